"""PORTION-001..007: portion mark format and position, all-or-nothing, grouping, agreement with banner.

    001  format of each mark (deviations of the parsed mark) and marks written at the END of a paragraph
    002  the document marks CUI portions but never uses (U): its unmarked portions should be (U)
    003  the document uses (U) and (CUI...) marks but leaves some portions unmarked
    004  a lead portion ending ':' covers sub-portions, yet some sub-portions carry other marks
    005  (b) NARA: LDCs of portions missing from the banner, (c) every portion (U) under a CUI banner,
         (d) NARA: banner SP- categories no portion uses, in a fully portion-marked document.
         (a) "CUI portion without banner" is BANNER-001/010/012; SP- categories missing: BANNER-005.
    006  absence of portion marks is not a finding (unclassified CUI); nothing is reported
    007  DoD: the designation indicator lines are portion marked (info)
Portions are the view's slots: paragraphs, headings, list items, text boxes, and each table as a whole.
Not portions: banner lines, DI lines (PORTION-007), page numbers, distribution/warning/destruction
notices, quoted email text, spreadsheet rows.
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.checks.banner import main_banner
from cuiscan.markings.common import deviation_findings, finding
from cuiscan.markings.view import DocView, Slot
from cuiscan.records import Finding, Severity

_NOTICE = re.compile(r"^\s*(?:DISTRIBUTION\s+STATEMENT|WARNING\b|DESTRUCTION\s+NOTICE|EXPORT\s+CONTROL|"
                     r"When\s+(?:the\s+)?(?:enclosure|attachment)|Page\s+\d+)", re.IGNORECASE)
_LEAD = re.compile(r":\s*$")
# a sub-item: "a. ...", "ii) ...", "- ...", possibly after its own portion mark "(CUI) b. ..."
_SUBITEM = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s|[-\u2022*]\s)")
_MAX_SUB = 300


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not (view.portions or view.trailing or view.di_blocks):
        return   # no portion mark at all: nothing to check (PORTION-006), no slots built
    marks = [h for h in view.portions if h.marking.kind in ("cui", "uncontrolled")]
    yield from deviation_findings(marks, "PORTION-001", "portion mark")
    yield from _trailing(view)
    if ctx.applies("PORTION-007"):
        yield from _di_marked(view)
    if not marks or view.is_classified_marked:
        return
    slots = _portions(view)
    unmarked, mixed = _unmarked(slots)
    yield from mixed
    if unmarked:
        yield from _incomplete(view, slots, unmarked)
    yield from _agreement(view, ctx, fully_marked=not unmarked)


def _portions(view: DocView) -> list[Slot]:
    di = {(id(h.line.block), h.line.offset) for h in view.di_lines}
    out = []
    for s in view.slots:
        text = s.line.text.strip()
        if (id(s.line.block), s.line.offset) in di or len(text) < 3 or _NOTICE.match(text):
            continue
        if s.marking is not None and s.marking.kind not in ("cui", "uncontrolled"):
            continue   # legacy/classified marks belong to other families
        out.append(s)
    return out


def _unmarked(slots: list[Slot]) -> tuple[list[Slot], list[Finding]]:
    """Unmarked portions not covered by a lead mark (CFR 2002.20(f)(5)); PORTION-004 for mixed groups."""
    unmarked, findings = [], []
    i = 0
    while i < len(slots):
        s = slots[i]
        if s.marking is not None and _LEAD.search(s.line.text):
            j = i + 1
            while j < len(slots) and len(slots[j].line.text) <= _MAX_SUB and j - i <= 12 and \
                    (slots[j].marking is None or _SUBITEM.match(slots[j].line.text)):
                j += 1
            group = slots[i + 1:j]
            others = [g for g in group if g.marking is not None and g.marking.text != s.marking.text]
            bare = [g for g in group if g.marking is None]
            if others and bare:
                findings.append(finding("PORTION-004", f"'{s.marking.text}' leads sub-portions ({s.line.loc.describe()}) but "
                    f"{len(others)} of them carry other marks ({others[0].marking.text}) while {len(bare)} are "
                    "unmarked; when sub-portions differ in control level, mark each one separately",
                    s.line.loc, evidence=s.marking.text))
            i = j   # sub-portions are covered by the lead mark (or reported above as PORTION-004)
            continue
        if s.marking is None:
            unmarked.append(s)
        i += 1
    return unmarked, findings


def _incomplete(view: DocView, slots: list[Slot], unmarked: list[Slot]) -> Iterator[Finding]:
    first = unmarked[0]
    kinds = sorted({_kind_name(s) for s in unmarked})
    has_u = any(h.marking.kind == "uncontrolled" for h in view.portions)
    count = f"{len(unmarked)} of {len(slots)} portions"
    if not has_u:
        yield finding("PORTION-002", f"the document portion-marks its CUI but leaves {count} unmarked "
                      f"(first: {first.line.loc.describe()}; {', '.join(kinds)}); when portion marking is used, "
                      "every uncontrolled portion is marked (U)", first.line.loc, evidence="")
    else:
        yield finding("PORTION-003", f"{count} have no portion mark (first: {first.line.loc.describe()}; "
                      f"{', '.join(kinds)}); once any portion is marked, every portion - titles, paragraphs, "
                      "bullets, tables, captions - must be marked (U) or (CUI...)", first.line.loc, evidence="")


def _kind_name(s: Slot) -> str:
    return {"heading": "headings", "table": "tables", "textbox": "text boxes", "shape": "text boxes"}.get(
        s.kind, "titles" if s.line.block.loc.zone.value == "title" else "paragraphs")


def _agreement(view: DocView, ctx, fully_marked: bool) -> Iterator[Finding]:
    cui = view.cui_portions
    main = main_banner(view)
    if main is None:
        return
    if not cui and fully_marked:
        n = sum(1 for h in view.portions if h.marking.kind == "uncontrolled")
        yield finding("PORTION-005", f"all {n} portions are marked (U) but the document carries the CUI "
                      f"banner '{main.marking.text}'; remove the CUI markings if it holds no CUI, or mark the CUI "
                      "portions (CUI...)", main.loc, evidence=main.marking.text, key="over-marked")
        return
    if not ctx.nara:
        return
    have = {t.value for t in main.marking.ldcs}
    missing = {}
    for h in cui:
        for t in h.marking.ldcs:
            if t.value not in have:
                missing.setdefault(t.value, h)
    if missing:
        names = ", ".join(f"{t.ldc.banner.split(' USA')[0] if (t := _tok(h, v)) and t.ldc else v} "
                          f"({h.loc.describe()})" for v, h in missing.items())
        yield finding("PORTION-005", f"banner '{main.marking.text}' omits LDCs used in portion marks: {names}; "
                      "every LDC in a portion must appear in the banner", main.loc, evidence=main.marking.text,
                      key="ldc-missing")
    if fully_marked:
        used = {m for h in cui for m in h.marking.sp_markings}
        extra = sorted(main.marking.sp_markings - used)
        if extra:
            yield finding("PORTION-005", f"banner '{main.marking.text}' lists "
                          f"{', '.join('SP-' + e for e in extra)} but no portion carries it; remove the category "
                          "from the banner or mark the portions that hold it", main.loc,
                          evidence=main.marking.text, key="banner-extra", severity=Severity.WARNING)


def _tok(hit, value):
    return next((t for t in hit.marking.ldcs if t.value == value), None)


def _trailing(view: DocView) -> Iterator[Finding]:
    if not view.trailing or not (view.is_cui_marked or len(view.trailing) > 1):
        return
    line, mark = view.trailing[0]
    more = f" ({len(view.trailing) - 1} more paragraph{'s' if len(view.trailing) > 2 else ''} end the same way)" \
        if len(view.trailing) > 1 else ""
    yield finding("PORTION-001", f"portion mark '{mark}' is written at the end of the paragraph "
                  f"({line.loc.describe()}){more}; a portion mark goes at the very start of the portion",
                  line.loc, evidence=mark, key="trailing")


def _di_marked(view: DocView) -> Iterator[Finding]:
    marked = [h for b in view.di_blocks for h in b.lines if h.di.portion_marked]
    if marked:
        h = marked[0]
        yield finding("PORTION-007", f"designation indicator line '{h.line.text.strip()}' is portion "
                      "marked; DoD guidance says the DI block is not portion marked: remove the mark",
                      h.loc, evidence=h.line.text.strip()[:40])
