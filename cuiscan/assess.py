"""Combine marking and detection results into one conclusion per document and per file.

Per document: classified (spill) > marked CUI > unmarked CUI (detection over threshold) > not CUI;
a document that could not be read at all is `unknown`. A container takes the most serious
assessment of its documents (report contract order). Derivative matching happens later, in the
main process, against the whole inventory (cuiscan.derivatives).
"""
from __future__ import annotations

from dataclasses import replace

from cuiscan.inventory.fingerprints import finding_fingerprint
from cuiscan.records import (
    Assessment, DetectResult, ExtractedDoc, FileResult, Finding, Location, MarkingResult, Problem, Severity, Signal,
    Status, Zone,
)

# Marking findings that by themselves establish unmarked CUI: an attachment the transmitting email
# declares to be CUI but which carries no marking of its own.
UNMARKED_CUI_RULES = frozenset({"EMAIL-006"})
# A legacy control marking (FOUO, SBU, LES ...) in marking position is a strong indicator that the
# content was meant to be protected (rule book DETECT-001): it leads the evidence of DETECT-001.
LEGACY_INDICATOR_SCORE = 0.8


def assess_file(base: FileResult, docs: list[ExtractedDoc], markings: list[MarkingResult],
                detections: list[DetectResult]) -> FileResult:
    from cuiscan.detection import detect_finding

    findings: list[Finding] = list(scan_findings(docs, scan_finding))
    conclusions: list[tuple[Assessment, str]] = []
    categories: list[str] = []
    banner: str | None = None
    unread: list[ExtractedDoc] = []
    for doc, marking, detection in zip(docs, markings, detections):
        findings.extend(marking.findings)
        if banner is None and doc.member is None:
            banner = marking.banner
        if marking.is_classified:
            conclusions.append((Assessment.CLASSIFIED, _where(doc, "classified markings")))
        elif marking.is_marked:
            conclusions.append((Assessment.MARKED_CUI, _where(doc, f"marked {marking.banner or 'CUI'}")))
            _extend_unique(categories, marking.categories)
        else:
            finding = detect_finding(with_legacy_indicator(detection, marking), marking)
            declared = [f for f in marking.findings if f.rule_id in UNMARKED_CUI_RULES]
            if finding is not None:   # flagged: over settings.detect_threshold on real evidence
                findings.append(finding)
                conclusions.append((Assessment.UNMARKED_CUI, _where(doc, detection.explanation or "likely CUI, unmarked")))
                _extend_unique(categories, detection.categories)
            elif declared:
                conclusions.append((Assessment.UNMARKED_CUI, _where(doc, declared[0].message.split(":")[0])))
                _extend_unique(categories, declared[0].categories)
            elif doc.problems and not has_content(doc):
                unread.append(doc)   # judged below: from what the rest of the file let us read
            else:
                conclusions.append((Assessment.NOT_CUI, ""))
    if unread and not any(has_content(doc) for doc in docs):
        # nothing of the file could be read: not knowing is not "no CUI"
        conclusions.append((Assessment.UNKNOWN, _where(unread[0], "could not be read")))
    assessment, explanation = max(conclusions, key=lambda c: c[0].rank, default=(Assessment.NOT_CUI, ""))
    if unread and assessment is not Assessment.UNKNOWN:
        explanation = "; ".join(filter(None, (explanation, "from what could be read; not read: " + _names(unread))))
    findings = with_ocr_readings(findings, docs)
    findings.sort(key=lambda f: (-f.severity.rank, f.rule_id, f.location.member or "", f.location.page or 0,
                                 f.location.slide or 0))
    return with_fingerprints(replace(base, status=Status.INSPECTED, assessment=assessment, banner=banner,
                                     categories=tuple(categories), findings=tuple(findings),
                                     explanation=explanation))


def failed_result(base: FileResult, reason: str, message: str, member: str | None = None) -> FileResult:
    """The file could not be inspected: status failed, one SCAN-001 saying why."""
    finding = scan_finding(Problem(reason=reason, message=message, member=member))
    return with_fingerprints(replace(base, status=Status.FAILED, status_reason=f"{reason}: {message}",
                                     assessment=Assessment.UNKNOWN, findings=(finding,)))


def scan_finding(problem: Problem) -> Finding:
    loc = Location(zone=Zone.FILENAME, member=problem.member)
    return Finding(rule_id="SCAN-001", severity=Severity.WARNING, location=loc, evidence=problem.reason,
                   message=f"could not be inspected ({problem.reason}): {problem.message}", match_digest=problem.reason)


def with_fingerprints(result: FileResult) -> FileResult:
    """Give every finding its content-keyed identity (what suppressions and baselines hold on to)."""
    key = result.sha256 or result.path
    findings = tuple(f if f.fingerprint else replace(f, fingerprint=finding_fingerprint(f.rule_id, key, f))
                     for f in result.findings)
    return replace(result, findings=findings)


def has_content(doc: ExtractedDoc) -> bool:
    """Text of the document itself was read, not only its properties (a scan's title, a file name)."""
    return any(b.loc.zone not in _NOT_CONTENT for b in doc.blocks)


_NOT_CONTENT = frozenset({Zone.METADATA, Zone.FILENAME})


def _names(docs: list[ExtractedDoc]) -> str:
    return _names_of([doc.member or "the file's own text" for doc in docs])


def scan_findings(docs: list[ExtractedDoc], make) -> list[Finding]:
    """At most one SCAN-001 per file: one problem as it is, several summed up with a count (an email
    with eleven unread pictures is one gap in coverage, not eleven)."""
    problems = [p for doc in docs for p in doc.problems]
    if len(problems) <= 1:
        return [make(p) for p in problems]
    groups: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        groups.setdefault((p.reason, p.message), []).append(p.member or "")
    parts = []
    for (reason, message), members in groups.items():
        named = [m for m in members if m]
        where = f" in {_names_of(named)}" if named else ""
        parts.append(f"{message}{where}" if len(members) == 1 else f"{len(members)} x {message}{where}")
    reasons = list(dict.fromkeys(p.reason for p in problems))
    finding = make(Problem(reason=reasons[0], message=f"{len(problems)} parts not read: " + "; ".join(parts)))
    if len(reasons) == 1:
        return [finding]
    # evidence stays one known reason (the first met); the message and the identity name them all
    return [replace(finding, message=finding.message.replace(f"({reasons[0]})", f"({', '.join(reasons)})", 1),
                    match_digest=",".join(sorted(reasons)))]


def _names_of(names: list[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def with_ocr_readings(findings: list[Finding], docs: list[ExtractedDoc]) -> list[Finding]:
    """Mark every finding that rests on OCR text: its own line's reading, else (a banner missing from
    a scanned page, a document-wide rule) the mean reading of that page or of the OCRed document."""
    if not docs or not docs[0].fact("ocr_pages"):   # nothing OCRed: no pass over the blocks
        return findings
    pages: dict[tuple, list[float]] = {}
    for doc in docs:
        for b in doc.blocks:
            if b.loc.ocr is not None:
                pages.setdefault((doc.member, b.loc.page), []).append(b.loc.ocr)
                pages.setdefault((doc.member, None), []).append(b.loc.ocr)
    if not pages:
        return findings
    whole = {doc.member for doc in docs if has_content(doc) and all(
        b.loc.ocr is not None for b in doc.blocks if b.loc.zone not in _NOT_CONTENT)}
    out = []
    for f in findings:
        loc = f.location
        if loc.ocr is None:
            readings = pages.get((loc.member, loc.page)) if loc.page is not None or loc.member in whole else None
            if readings is None or f.rule_id == "SCAN-001":
                out.append(f)
                continue
            f = replace(f, location=replace(loc, ocr=round(sum(readings) / len(readings), 3)))
        out.append(ocr_caveat(f))
    return out


def ocr_caveat(finding: Finding) -> Finding:
    """A finding from OCR text: its confidence is at most the reading's; a doubtful reading alone
    never makes an error (the page should be looked at, not the file failed)."""
    from cuiscan.extractors.ocr import LOW_CONFIDENCE

    read = finding.location.ocr or 0.0
    confidence = min(finding.confidence, read)
    if read < LOW_CONFIDENCE and finding.severity.rank > Severity.WARNING.rank:
        return replace(finding, severity=Severity.WARNING, confidence=confidence,
                       message=f"{finding.message} (read by OCR with low confidence {read:.2f}: check the page)")
    return replace(finding, confidence=confidence)


def _where(doc: ExtractedDoc, text: str) -> str:
    return f"{doc.member}: {text}" if doc.member else text


def _extend_unique(target: list[str], items) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def with_legacy_indicator(detection: DetectResult, marking: MarkingResult) -> DetectResult:
    """Put the document's legacy marking first among the detection signals (rule book DETECT-001)."""
    legacy = next((f for f in marking.findings if f.rule_id.startswith("LEGACY-") and f.rule_id != "LEGACY-004"), None)
    if legacy is None or marking.is_marked:
        return detection
    signal = Signal(rule_id=legacy.rule_id, category=detection.categories[0] if detection.categories else "",
                    score=LEGACY_INDICATOR_SCORE, location=legacy.location,
                    evidence=f"[legacy marking {legacy.evidence}]", digest=legacy.match_digest)
    return replace(detection, signals=(signal, *detection.signals), flagged=True,
                   score=max(detection.score, LEGACY_INDICATOR_SCORE))
