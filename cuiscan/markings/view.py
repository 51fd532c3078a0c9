"""DocView: one ExtractedDoc seen the way a marking reviewer sees it, parsed once, shared by all checks.

Units are the page-like places where banners live (see `Unit`); per format:

    docx   one unit per (section, header/footer variant in effect: first, default, even); top = the
           header lines, bottom = the footer lines; with no header (footer) anywhere in the document,
           the first (last) body paragraph stands in. docx has no pages: locations name the section.
    pdf    one unit per page; top/bottom = the HEADER/FOOTER lines the extractor tagged (fallback when
           a page has none tagged: its first/last body line, if near the edge or position unknown).
    pptx   one unit per slide; HEADER/FOOTER blocks (own or inherited from layout/master), fallback:
           short text in the top/bottom 15 % of the slide.
    xlsx   one unit per sheet; header/footer text (all variants).
    email  one unit (the message): first and last non-empty body line outside quoted text; the
           plain-text body is used when both plain and html exist. SUBJECT lines kept in `subject`.
    other  one unit (the document): first and last non-empty body line.

Markings found: `banners` (parsed lines in top/bottom position), `body_banners` (banner-shaped
lines elsewhere in the body), `portions` (paragraph-initial marks), `slots` (every body portion, marked
or not, for the all-or-nothing rules), `trailing` (marks at a paragraph end), `di_blocks` (grouped
designation-indicator lines) and `di_lines` (all DI-labelled lines incl. standalone POC / Decontrol).
Checks leave facts for later checks and for the MarkingResult in the typed `facts` (DocFacts).

Speed: the banner positions of every unit are parsed; body banners, portion marks, trailing marks and
DI lines are looked for only in the blocks `candidates` (cuiscan.markings.prefilter) marks for them, and
`slots` is built on first use (documents with portion marks). A document without any marking costs
one text scan plus a few C-level passes over its blocks.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from itertools import compress, repeat

from cuiscan.markings.diblock import DILine, may_hold_di, parse_di_line
from cuiscan.markings.grammar import Marking, find_trailing_portion, parse_banner, parse_portion
from cuiscan.markings.prefilter import BODY, DI, FIELD, PAREN, Candidates
from cuiscan.markings.shell import may_hold_field, pieces, unbold
from cuiscan.markings.units import EMAIL_TYPES, LAYOUT_FAMILY, Line, Unit, build_units, split_lines
from cuiscan.markings.vocab import Vocabulary
from cuiscan.records import ExtractedDoc, Finding, Location, TextBlock, Zone

_EMPHASIS = ("*", "_", "`")
_BODY_BANNER_HINT = re.compile(r"^\s*(?:CUI|CONTROLLED|cui|Cui)\b")
# Enum class attribute lookups cost ~0.2 us each: the per-block loops compare with these instead
_BODY, _TITLE, _SUBJECT = Zone.BODY, Zone.TITLE, Zone.SUBJECT
_NO_DI = (Zone.METADATA, Zone.FILENAME, Zone.SUBJECT)
_LOC, _ZONE = operator.attrgetter("loc"), operator.attrgetter("zone")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-\u2013]?\s*\d+\s*(?:of\s+\d+)?\s*[-\u2013]?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Hit:
    marking: Marking
    line: Line
    unit: Unit | None
    position: str                      # top | bottom | body | subject

    @property
    def loc(self) -> Location:
        return self.line.loc

    @property
    def struck(self) -> bool:
        return self.line.block.struck


@dataclass(frozen=True, slots=True)
class Slot:
    """One body portion (paragraph, heading, list item, table, text box) and its mark, if any."""

    line: Line
    unit: Unit | None
    marking: Marking | None
    kind: str


@dataclass(frozen=True, slots=True)
class DIHit:
    di: DILine
    line: Line
    unit: Unit | None

    @property
    def loc(self) -> Location:
        return self.line.loc


@dataclass(slots=True)
class DIBlock:
    lines: list[DIHit]

    def get(self, kind: str) -> list[DIHit]:
        return [h for h in self.lines if h.di.kind == kind]

    @property
    def unit(self) -> Unit | None:
        return self.lines[0].unit

    @property
    def loc(self) -> Location:
        return self.lines[0].loc


@dataclass(slots=True)
class DocFacts:
    """What the checks learn about a document beyond their findings, typed (was a string-keyed dict).

    distribution   the letter of the document's first known distribution statement (set by dist,
                   which CHECKS runs before export, the one check that reads it); MarkingResult.distribution
    decontrolled   a passed decontrol date or decontrol shown (set by decon); MarkingResult.decontrolled
    indicators     CUI indicators seen (export warning, ITAR/EAR, destruction notice, SF 901), sorted
    supplemental   supplemental labels (DRAFT, DELIBERATIVE ...) outside CUI banners, sorted
    """

    distribution: str | None = None
    decontrolled: bool = False
    indicators: tuple[str, ...] = ()
    supplemental: tuple[str, ...] = ()


class DocView:
    def __init__(self, doc: ExtractedDoc, vocab: Vocabulary):
        self.doc = doc
        self.vocab = vocab
        self.ftype = LAYOUT_FAMILY.get(doc.ftype, doc.ftype)
        self.member = doc.member
        self.facts = DocFacts()
        # derived views of the document computed once on demand (paragraphs, statements, date):
        # functions of the document alone, so whichever check asks first makes no difference
        self.memo: dict[object, object] = {}
        self.findings: list[Finding] = []          # filled by the runner, check by check
        self.file_views: tuple[DocView, ...] = ()  # every document of the same file, in order
        self.parent: DocView | None = None         # the container document (email of an attachment)
        self.children: list[DocView] = []
        self.blocks = doc.blocks
        self._line_cache: dict[int, list[Line]] = {}
        self.candidates = Candidates(doc.blocks)   # the few blocks each check family has to read
        # per-block attributes read once, by C-level maps: documents have up to ~100k blocks
        locs = list(map(_LOC, doc.blocks))
        zones = list(map(_ZONE, locs))
        self.body = self._body_blocks(zones)
        self.subject = [Line(b.text, b) for b in compress(doc.blocks, map(operator.eq, zones, repeat(_SUBJECT)))] \
            if _SUBJECT in zones else []
        self.body_unit: Unit | None = None          # the unit whose body is all of self.body (set by build_units)
        self.units = build_units(self, locs, zones)
        self._unit_of: dict[int, Unit] | None = None
        self.banners: list[Hit] = []
        self.body_banners: list[Hit] = []
        self.portions: list[Hit] = []
        self.trailing: list[tuple[Line, str]] = []
        self.fields: list[Line] = []                # "Classification: <value>" values that are no CUI banner
        self.di_lines: list[DIHit] = []
        self.di_blocks: list[DIBlock] = []
        self._positioned: set[tuple[int, int]] = set()
        self._found: dict[int, dict[int, Marking]] = {}   # portion marks per block (id) that has any
        self._slots: list[Slot] | None = None
        self._cui_marked: bool | None = None
        self._classified_marked: bool | None = None
        self._parse()

    # ---- facts shared by the checks -------------------------------------------------------------
    def lines_of(self, block: TextBlock) -> list[Line]:
        """The block's non-empty lines (split once, shared by every check)."""
        lines = self._line_cache.get(id(block))
        if lines is None:
            lines = self._line_cache[id(block)] = split_lines(block)
        return lines

    def unit_of(self, block: TextBlock) -> Unit | None:
        """The unit whose body holds the block, else the first unit with a top/bottom line of it."""
        if self.body_unit is not None and self.in_body(block):
            return self.body_unit   # docx, text, email: one unit holds the whole body (no per-block map)
        if self._unit_of is None:   # built on first use: documents without any marking never need it
            unit_of: dict[int, Unit] = {}
            if self.body_unit is None:
                for u in self.units:
                    unit_of.update(zip(map(id, u.body), repeat(u)))
            for u in self.units:
                for ln in u.top + u.bottom:
                    unit_of.setdefault(id(ln.block), u)
            self._unit_of = unit_of
        return self._unit_of.get(id(block))

    def in_body(self, block: TextBlock) -> bool:
        """block in self.body, without a set of the whole body."""
        return block.loc.zone in self._body_zones and not (self._plain_only and block.variant == "html")

    def body_candidates(self, family: int) -> list[TextBlock]:
        """Body blocks (reading order) that may matter to a family of checks (cuiscan.markings.prefilter)."""
        found = self.candidates.blocks(family)
        return [b for b in found if self.in_body(b)] if found else found

    @property
    def slots(self) -> list[Slot]:
        """Every body portion, marked or not; built on first use (only documents with portion marks)."""
        if self._slots is None:
            self._slots = []
            prev: TextBlock | None = None
            gaps = _line_gaps(self.body)
            for b in self.body:
                self._slots_of(b, prev, self.lines_of(b), self._found.get(id(b), {}), self.unit_of(b), gaps)
                prev = b
        return self._slots

    @property
    def cui_banners(self) -> list[Hit]:
        return [h for h in self.banners if h.marking.is_cui]

    @property
    def cui_portions(self) -> list[Hit]:
        return [h for h in self.portions if h.marking.is_cui]

    @property
    def is_cui_marked(self) -> bool:
        """The document shows CUI markings anywhere (banner, body banner line, portion, DI block)."""
        if self._cui_marked is None:   # the hits are final once parsed; checks ask this many times
            self._cui_marked = bool(self.cui_banners or self.body_banners or self.cui_portions
                                    or any(b.get("category") for b in self.di_blocks))
        return self._cui_marked

    @property
    def is_classified_marked(self) -> bool:
        if self._classified_marked is None:
            self._classified_marked = any(h.marking.kind == "classified" for h in self.banners + self.portions)
        return self._classified_marked

    @property
    def is_email(self) -> bool:
        return self.ftype in EMAIL_TYPES

    def first_unit(self) -> Unit | None:
        return self.units[0] if self.units else None

    # ---- building ---------------------------------------------------------------------------------
    def _body_blocks(self, zones: list[Zone]) -> list[TextBlock]:
        # an html <title> is not page text (it shows in the browser tab), unlike a docx/pptx title
        body_zones = self._body_zones = (_BODY,) if self.ftype == "html" else (_BODY, _TITLE)
        if zones.count(_BODY) == len(zones):   # all body (text, sheets): no step per block
            body = list(self.doc.blocks)
        else:
            body = [b for b, zone in zip(self.doc.blocks, zones) if zone in body_zones]
        self._plain_only = self.ftype in EMAIL_TYPES and any(b.variant == "plain" for b in body)
        if self._plain_only:
            body = [b for b in body if b.variant != "html"]
        return body

    def _slots_of(self, b: TextBlock, prev: TextBlock | None, lines: list[Line], found: dict[int, Marking],
                  unit: Unit | None, gaps: dict) -> None:
        """Portions for the all-or-nothing rules: paragraphs (pdf/text lines regrouped), tables as one."""
        if b.kind in ("quote", "row") or b.hidden or self.ftype == "xlsx":
            return
        slots = self._slots
        if b.kind == "table" and prev is not None and prev.kind == "table" and slots:
            mk = next(iter(found.values()), None)
            if mk is not None and slots[-1].marking is None:
                last = slots[-1]
                slots[-1] = Slot(last.line, last.unit, mk, "table")
            return
        starts = lines[:1] if b.kind == "line" else _portion_lines(b, lines)
        if b.kind == "line" and lines and not (lines[0].offset in found or _new_paragraph(prev, b, gaps)):
            return
        positioned = self._positioned
        for ln in starts:
            if (id(b), ln.offset) in positioned or _PAGE_NUMBER.match(ln.text):
                continue
            slots.append(Slot(ln, unit, found.get(ln.offset), b.kind))

    # ---- parsing ----------------------------------------------------------------------------------
    def _parse(self) -> None:
        vocab = self.vocab
        positioned = self._positioned
        for u in self.units:
            for pos, lines in (("top", u.top), ("bottom", u.bottom)):
                for ln in lines:
                    mk, ln = _banner_in(ln, vocab)
                    if mk is not None:
                        self.banners.append(Hit(mk, ln, u, pos))
                        positioned.add((id(ln.block), ln.offset))
        # body banners, portion marks and trailing marks need "(" or a CUI/CONTROLLED word in the block;
        # marking fields ("Classification: CUI") a field label
        fielded = {id(b) for b in self.candidates.blocks(FIELD) if may_hold_field(b.text)} \
            if FIELD in self.candidates else ()
        for b in self.body_candidates(BODY | PAREN | FIELD):
            unit = self.unit_of(b)
            lines = self.lines_of(b)
            found: dict[int, Marking] = {}
            for ln in lines:
                if (id(b), ln.offset) in positioned:
                    continue
                if ln.text[:1] in _EMPHASIS and len(ln.text) <= 90:
                    ln = Line(unbold(ln.text), b, ln.offset)   # "**CONTROLLED UNCLASSIFIED INFORMATION (CUI)**"
                if len(ln.text) <= 80 and _BODY_BANNER_HINT.match(ln.text):
                    mk = parse_banner(ln.text, vocab)
                    if mk is not None and mk.kind == "cui" and not _described(mk):
                        self.body_banners.append(Hit(mk, ln, unit, "body"))
                        positioned.add((id(b), ln.offset))
                        continue
                if id(b) in fielded and self._field(ln, unit):
                    continue
                mk = parse_portion(ln.text, vocab)
                if mk is not None:
                    self.portions.append(Hit(mk, ln, unit, "body"))
                    found[ln.offset] = mk
            if found:
                self._found[id(b)] = found
            elif lines and b.kind != "quote" and (id(b), lines[-1].offset) not in positioned:
                trail = find_trailing_portion(lines[-1].text)
                if trail:
                    self.trailing.append((lines[-1], trail[2]))
        for b in self.candidates.blocks(DI):
            if b.loc.zone in _NO_DI or not may_hold_di(b.text):
                continue
            for ln in self.lines_of(b):
                di = parse_di_line(ln.text)
                if di is not None:
                    self.di_lines.append(DIHit(di, ln, self.unit_of(b)))
        self.di_blocks = _group_di(self.di_lines)


    def _field(self, ln: Line, unit: Unit | None) -> bool:
        """A labelled marking field in the body: a CUI value is a body banner (the document is marked,
        BANNER-010 says where the banner belongs); any other value is kept for the LEGACY checks."""
        found = pieces(ln.text, edge=False)
        if not found:
            return False
        for piece in found:
            mk = parse_banner(piece.text, self.vocab)
            if mk is not None and mk.kind == "cui":
                self.body_banners.append(Hit(mk, Line(piece.text, ln.block, ln.offset), unit, "body"))
                self._positioned.add((id(ln.block), ln.offset))
                self.fields.extend(Line(p.text, ln.block, ln.offset) for p in found if p is not piece)
                return True
        self.fields.extend(Line(p.text, ln.block, ln.offset) for p in found)
        return True


def _described(mk: Marking) -> bool:
    """A marking followed by words in ordinary case: a table row or list naming a marking and what it
    is for ("CUI//SP-PROCURE Source Selection Evaluation Report"), not a banner line."""
    return any(t.kind == "unknown" and " " in t.text.strip() and not t.text.isupper() for t in mk.tokens)


def _line_gaps(body: list[TextBlock]) -> dict:
    """Typical distance between consecutive printed lines per page (pdf), to find paragraph breaks."""
    diffs: dict[int | None, list[float]] = {}
    prev = None
    for b in body:
        if b.kind == "line" and b.top is not None and prev is not None and prev.top is not None \
                and prev.loc.page == b.loc.page and b.top > prev.top:
            diffs.setdefault(b.loc.page, []).append(b.top - prev.top)
        prev = b
    out: dict = {page: sorted(d)[len(d) // 2] for page, d in diffs.items() if d}
    for b in body:
        if b.kind == "line":
            key = ("width", b.loc.page)
            out[key] = max(out.get(key, 0), len(b.text))
    return out


def _new_paragraph(prev: TextBlock | None, b: TextBlock, gaps: dict) -> bool:
    if prev is None or prev.kind != "line" or prev.loc.page != b.loc.page:
        return True
    if prev.loc.line is not None and b.loc.line is not None and b.loc.line - prev.loc.line > 1:
        return True   # a blank line between (text, email)
    if b.top is not None and prev.top is not None:
        typical = gaps.get(b.loc.page)
        if typical is not None and b.top - prev.top > typical * 1.4:
            return True
        # uniform spacing: a short line ending a sentence closes its paragraph (wrapped lines run full width)
        width = gaps.get(("width", b.loc.page), 0)
        return prev.text.rstrip().endswith((".", ":", "!", "?")) and len(prev.text) < 0.8 * width
    return False


def _portion_lines(b: TextBlock, lines: list[Line]) -> list[Line]:
    """Where portion marks can start: each paragraph of a text box/cell, else the block start only."""
    if b.kind in ("textbox", "shape", "cell", "line", "quote"):
        return lines
    return lines[:1]


def _banner_in(ln: Line, vocab: Vocabulary) -> tuple[Marking | None, Line]:
    """The marking on a banner-position line, and the line as the marking reads it: the line itself,
    or the piece of it left once comment leaders, markdown, a field label and the other fields on the
    line ("CUI<tab>Page 1 of 3", "CONTROLLED UNCLASSIFIED INFORMATION | Acme") are taken off."""
    mk = parse_banner(ln.text, vocab)
    if mk is not None:
        return mk, ln
    for piece in pieces(ln.text):
        mk = parse_banner(piece.text, vocab)
        if mk is not None:
            return mk, Line(piece.text, ln.block, ln.offset)
    return None, ln


def _group_di(hits: list[DIHit]) -> list[DIBlock]:
    """Consecutive DI lines (within 3 blocks of each other) form one block, if it has a strong label."""
    groups: list[list[DIHit]] = []
    for h in hits:
        if groups:
            prev = groups[-1][-1]
            # pdf tags a page's first/last line header/footer, so a DI block may span zones
            if 0 <= h.line.block.order - prev.line.block.order <= 3:
                groups[-1].append(h)
                continue
        groups.append([h])
    blocks = []
    for g in groups:
        if any(h.di.kind in ("controlled_by",) or (h.di.kind == "category" and not h.di.weak) for h in g):
            blocks.append(DIBlock(g))
    return blocks
