"""Plain data passed between the stages: frozen, slotted, picklable (worker processes return them).

Flow: discovery yields FileRef -> extraction yields ExtractedDoc (TextBlocks) -> markings, detection
and assessment yield Findings -> pipeline returns one FileResult per file -> store and report.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cuiscan.pathnames import path_bytes


def with_path_bytes(data: dict) -> dict:
    """Add `path_bytes` (base64 of the file name's bytes) where the readable path carries escapes."""
    raw = path_bytes(data["path"])
    if raw is not None:
        data["path_bytes"] = raw
    return data


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3, Severity.CRITICAL: 4}


class Zone(str, enum.Enum):
    """Where in a file text sits (report contract, `location.zone`)."""

    HEADER = "header"
    FOOTER = "footer"
    BODY = "body"
    TITLE = "title"
    SUBJECT = "subject"
    NOTES = "notes"        # speaker notes, comments, annotations
    METADATA = "metadata"  # document properties, email header fields
    FILENAME = "filename"


class Status(str, enum.Enum):
    INSPECTED = "inspected"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


class Assessment(str, enum.Enum):
    CLASSIFIED = "classified"
    DERIVATIVE = "derivative"
    UNMARKED_CUI = "unmarked-cui"
    MARKED_CUI = "marked-cui"
    UNKNOWN = "unknown"
    NOT_CUI = "not-cui"

    @property
    def rank(self) -> int:
        """Seriousness: a container takes the highest rank among its members (report contract)."""
        return _ASSESSMENT_RANK[self]


_ASSESSMENT_RANK = {
    Assessment.NOT_CUI: 0,
    Assessment.UNKNOWN: 1,
    Assessment.MARKED_CUI: 2,
    Assessment.UNMARKED_CUI: 3,
    Assessment.DERIVATIVE: 4,
    Assessment.CLASSIFIED: 5,
}


@dataclass(frozen=True, slots=True)
class Location:
    zone: Zone = Zone.BODY
    page: int | None = None    # 1-based (pdf page)
    slide: int | None = None   # 1-based
    sheet: str | None = None   # worksheet name
    line: int | None = None    # 1-based line in a text body / email body
    member: str | None = None  # path inside a container: "report.docx", "drawings.zip/part-7.pdf"
    section: int | None = None  # docx section (1-based), where headers/footers live
    cell: str | None = None    # spreadsheet cell, "B7"
    ocr: float | None = None   # text read by OCR: the line's OCR confidence (0..1); None for text the file holds

    def __reduce__(self):
        # Workers return many of these; the generic slotted-dataclass pickling walks fields() per object.
        return (Location, (self.zone, self.page, self.slide, self.sheet, self.line, self.member, self.section,
                           self.cell, self.ocr))

    def to_dict(self) -> dict:
        if self.ocr is not None:   # only then: reports of born-digital files keep their exact shape
            return {**self._base_dict(), "ocr": True, "ocr_confidence": round(self.ocr, 3)}
        return self._base_dict()

    def _base_dict(self) -> dict:
        return {
            "zone": self.zone.value,
            "page": self.page,
            "slide": self.slide,
            "sheet": self.sheet,
            "line": self.line,
            "member": self.member,
            "section": self.section,
            "cell": self.cell,
        }

    def describe(self) -> str:
        """Human form for messages and tables: 'page 3 footer', 'slide 2 header (in report.pptx)'."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.slide is not None:
            parts.append(f"slide {self.slide}")
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'" + (f" {self.cell}" if self.cell else ""))
        if self.section is not None:
            parts.append(f"section {self.section}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        parts.append(self.zone.value)
        if self.ocr is not None:
            parts.append("(OCR)")
        text = " ".join(parts)
        return f"{text} (in {self.member})" if self.member else text


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One run of text as the extractor found it, with everything known about where it sits.

    `variant` refines the zone: docx header/footer "default" | "first" | "even"; pptx text inherited
    from "layout" | "master"; xlsx header/footer "odd" | "even" | "first"; email body "plain" | "html".
    `top` is the vertical position of the block's top edge, 0.0 (top of page/slide) .. 1.0 (bottom),
    where the format knows it (pdf lines, pptx shapes). `kind` says what the text is: "paragraph",
    "heading", "table", "textbox", "line", "cell", "shape", "quote" (quoted email text), "property".
    """

    text: str
    loc: Location
    order: int = 0
    variant: str | None = None
    kind: str = "paragraph"
    top: float | None = None
    hidden: bool = False   # hidden slide, hidden sheet, hidden text
    struck: bool = False   # strike-through formatting over the whole block (decontrol, DECON-003)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why (part of) a file could not be read. Becomes a SCAN-001 finding."""

    reason: str     # encrypted | corrupt | unsupported | too-large | timeout | image-only | limit | unreadable
    message: str
    member: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedDoc:
    """One logical document: the file itself (member None) or one member of a container."""

    ftype: str                      # docx pdf pptx xlsx eml mbox msg txt md csv log html rtf xml zip ...
    member: str | None
    blocks: tuple[TextBlock, ...]
    pages: int | None = None        # pages / slides / sheets, where the format has them
    problems: tuple[Problem, ...] = ()
    facts: tuple[tuple[str, object], ...] = ()   # format facts: ("image_only_pages", (2, 5)), ("hidden_slides", (3,))

    def fact(self, key: str, default: object = None) -> object:
        for k, v in self.facts:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    location: Location
    confidence: float = 1.0
    categories: tuple[str, ...] = ()
    evidence: str = ""        # marking text, or a redacted excerpt; never raw detected CUI by default
    match_digest: str = ""    # hash of what matched (part of the fingerprint); never the text itself
    fingerprint: str = ""     # filled by the pipeline: rule + file content hash + location kind + digest
    # The unredacted evidence, only under --show-evidence: for this run's own report, never stored
    # (the inventory writes `evidence`; see inventory/rows.py) and never part of the fingerprint.
    raw_evidence: str = ""

    def __reduce__(self):
        return (Finding, (self.rule_id, self.severity, self.message, self.location, self.confidence,
                          self.categories, self.evidence, self.match_digest, self.fingerprint,
                          self.raw_evidence))

    def to_dict(self, path: str) -> dict:
        data = {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "confidence": round(self.confidence, 3),
            "path": path,
            "location": self.location.to_dict(),
            "message": self.message,
            "categories": list(self.categories),
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }
        return with_path_bytes(data)


@dataclass(slots=True)   # not frozen: a frozen dataclass costs 2.5x to build, and there is one per file
class FileRef:
    """A file found by discovery: identity and stat, no content yet. Treated as immutable."""

    path: str           # absolute, normalised
    root: str           # the crawl root it was found under
    size: int
    mtime_ns: int
    inode: int = 0
    skip_reason: str | None = None     # set by discovery for files it will not read (excluded, too large)
    error: str | None = None           # set by discovery when stat/open failed (permission denied ...)
    profile: str | None = None         # marking profile set by a folder's cuiscan.toml (None: the scan's)


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    root: str
    ftype: str | None
    size: int
    mtime_ns: int
    inode: int
    sha256: str | None
    status: Status
    assessment: Assessment
    status_reason: str | None = None
    banner: str | None = None
    categories: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    zone: str | None = None                 # boundary zone name, filled by the boundary stage
    prints: bytes = b""                     # encoded DocPrints (derivatives/codec.py): hashes, never text
    explanation: str = ""                    # why the assessment, in one line
    versions: str = ""                       # rules/model/profile versions that produced this result
    ocr_pages: int = 0                       # pages and images read by OCR (scan counts; not stored)
    images_skipped: int = 0                  # images and scanned pages left unread (scan counts; not stored)

    def to_dict(self) -> dict:
        return with_path_bytes({
            "path": self.path,
            "type": self.ftype,
            "size": self.size,
            "sha256": self.sha256,
            "status": self.status.value,
            "status_reason": self.status_reason,
            "assessment": self.assessment.value,
            "banner": self.banner,
            "categories": list(self.categories),
            "zone": self.zone,
            "explanation": self.explanation,
        })


@dataclass(frozen=True, slots=True)
class ScanCounts:
    files_seen: int = 0
    inspected: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    ocr_pages: int = 0          # coverage: pages and images this scan read by OCR
    images_skipped: int = 0     # ... and those it left unread (OCR off or missing, budget spent)

    def to_dict(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "inspected": self.inspected,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
            "ocr_pages": self.ocr_pages,
            "images_skipped": self.images_skipped,
        }


@dataclass(slots=True)
class ScanSummary:
    id: str
    profile: str
    roots: list[str]
    started_at: str
    finished_at: str | None = None
    counts: ScanCounts = field(default_factory=ScanCounts)


@dataclass(frozen=True, slots=True)
class MarkingResult:
    """What the marking validator concluded about one ExtractedDoc."""

    member: str | None
    findings: tuple[Finding, ...] = ()
    banner: str | None = None            # the document's CUI banner as written (first one found)
    categories: tuple[str, ...] = ()     # registry markings named by banner, portions or DI ("CTI", "PRVCY")
    is_marked: bool = False              # carries a CUI marking in banner position (or CUI portion marks)
    is_classified: bool = False          # classified markings found (SPILL-001)
    has_legacy: bool = False             # legacy control markings (FOUO, SBU, ...)
    distribution: str | None = None      # DoD distribution statement letter found, "A".."F" / "X"
    decontrolled: bool = False           # decontrol date passed or decontrol marked (DECON-002/003)
    originator: str | None = None        # "Controlled by" / letterhead agency, for follow-up (DETECT-002)


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of detection evidence: a rule-pack match or a model score. Never raw text."""

    rule_id: str                 # detection rule ID ("EXPT-003") or "NLP"
    category: str                # registry marking ("CTI", "PRVCY")
    score: float
    location: Location
    evidence: str = ""           # redacted excerpt ("***-**-6789")
    digest: str = ""             # hash of the matched text
    raw: str = ""                # the matched text itself, only under --show-evidence; never stored


@dataclass(frozen=True, slots=True)
class DetectResult:
    """Detection's view of one ExtractedDoc: how likely it holds CUI, of which categories, and why."""

    member: str | None
    score: float = 0.0                       # 0..1 document-level likelihood of CUI
    categories: tuple[str, ...] = ()         # candidate categories, strongest first
    signals: tuple[Signal, ...] = ()
    explanation: str = ""
    flagged: bool = False                    # score reached settings.detect_threshold on real (not supporting-only) evidence
    strong: bool = False                     # flagged on strong evidence: DETECT-001 is an error (scoring.STRONG_SCORE)
