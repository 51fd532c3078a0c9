"""SLIDE-001, SHEET-001, COVER-001..002: presentations, spreadsheets, cover sheets (rule book section 9).

SLIDE-001 / SHEET-001 are the placement rules of their formats (BANNER-010 for the others): the gaps
come from placement.banner_gaps(), the one notion of "banner present" shared with BANNER-010 and
EMAIL-001, so every format reports a missing banner the same way (per unit and position; once for the
document when no unit has it). Hidden slides and sheets are units like the others.

COVER-001 reports a home-made cover sheet (a first page calling itself a cover sheet without SF 901);
an SF 901 title is a CUI indicator recorded for detection. COVER-002 reports a mailing label or
envelope template that shows a CUI marking.
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.docfacts import first_unit_blocks, note_indicator
from cuiscan.markings.placement import banner_gaps
from cuiscan.markings.prefilter import BODY, SF901, normalise
from cuiscan.markings.view import DocView
from cuiscan.records import Finding

_RULE = {"pptx": ("SLIDE-001", "slide"), "xlsx": ("SHEET-001", "sheet")}
_SF901 = re.compile(r"\b(?:SF|STANDARD\s+FORM)\s*-?\s*90[123]\b", re.IGNORECASE)
_COVER = re.compile(r"\bCOVER\s*SHEET\b", re.IGNORECASE)
# a fax or report cover sheet is not a CUI cover sheet: only one that claims to protect something
_SENSITIVE = re.compile(r"\b(?:SENSITIVE|CONTROLLED|CUI|FOUO|OFFICIAL\s+USE|PROPRIETARY|PRIVACY|RESTRICTED|"
                        r"PROTECTED)\b", re.IGNORECASE)
_LABEL_CUES = re.compile(r"\b(?:SHIP\s+TO|MAILING\s+LABEL|RETURN\s+ADDRESS|POSTAGE|FIRST[-\s]CLASS\s+MAIL|"
                         r"RETURN\s+SERVICE\s+REQUESTED|POSTMASTER|OFFICIAL\s+BUSINESS|ENVELOPE|ADDRESSEE)\b",
                         re.IGNORECASE)
_CUE_WORDS = (b"ship", b"mail", b"address", b"post", b"service", b"business", b"envelope")
_SPELLED = re.compile(r"^\s*CONTROLLED\s+UNCLASSIFIED\s+INFORMATION\s*$", re.IGNORECASE)
_MAX_LABEL_LINES = 25


def check(view: DocView, ctx) -> Iterator[Finding]:
    if view.ftype in _RULE:
        yield from _placement(view, ctx)
    yield from _cover_sheet(view)
    yield from _package_label(view)


def _placement(view: DocView, ctx) -> Iterator[Finding]:
    rule, noun = _RULE[view.ftype]
    main = view.cui_banners[0] if view.cui_banners else (view.body_banners[0] if view.body_banners else None)
    text = main.marking.text if main else "CUI"
    need = ("the DoD profile requires the banner at the top and bottom of every " + noun if ctx.dod
            else "the banner is required at the top of every " + noun)
    where = {"top": "in the header" if noun == "sheet" else "at the top",
             "bottom": "in the footer" if noun == "sheet" else "at the bottom"}
    for gap in banner_gaps(view, ctx.profile):
        if gap.all_units:
            _, loc = gap.locations()[0]
            yield finding(rule, f"no {noun} has a CUI banner {where[gap.position]} "
                          f"({len(gap.units)} {noun}s); {need}: add {text} to every {noun}"
                          + (" (set it once on the slide master)" if noun == "slide" else ""),
                          loc, evidence=text, key=f"{gap.position}:all")
            continue
        for unit, loc in gap.locations():
            hidden = " (hidden)" if unit.hidden else ""
            yield finding(rule, f"{unit.describe()}{hidden} has no CUI banner {where[gap.position]} "
                          f"while other {noun}s are marked; {need}: add {text}", loc, evidence=text,
                          key=f"{gap.position}:{unit.index}:{unit.name or ''}")


def _cover_sheet(view: DocView) -> Iterator[Finding]:
    if any(_SF901.search(b.text) for b in view.body_candidates(SF901)):
        note_indicator(view, "sf901")
        return
    for block in first_unit_blocks(view)[:6]:
        if len(block.text) <= 80 and _COVER.search(block.text) and _SENSITIVE.search(block.text):
            yield finding("COVER-001", f"home-made cover sheet '{block.text.strip()}' "
                          f"({block.loc.describe()}): CUI cover sheets, if used, must be the SF 901 - replace it "
                          "or drop it", block.loc, evidence=block.text.strip()[:80], key="cover")
            return


def _package_label(view: DocView) -> Iterator[Finding]:
    if not (view.cui_banners or view.body_banners) and BODY not in view.candidates:
        return   # no marking to show: a spelled-out CONTROLLED ... line holds a BODY key ("trol")
    body = []
    for b in view.body:
        if b.text and not b.text.isspace():   # b.text.strip() without copying long texts
            body.append(b)
            if len(body) > _MAX_LABEL_LINES:
                return
    # the marks first: the cue search reads all the text and matters only when a CUI marking shows
    marks = [(h.marking.text, h.loc) for h in view.cui_banners + view.body_banners]
    marks += [(b.text.strip(), b.loc) for b in body if _SPELLED.match(b.text)]
    if not marks:
        return
    low = normalise("\n".join(b.text for b in body))   # lower case: a word every cue holds, first
    if not any(word in low for word in _CUE_WORDS):
        return
    cues = {m.group(0).upper() for b in body for m in _LABEL_CUES.finditer(b.text)}
    if len(cues) < 2:
        return
    text, loc = marks[0]
    yield finding("COVER-002", f"mailing label / envelope layout ({', '.join(sorted(cues))}) shows the "
                  f"CUI marking '{text}': packages must not show CUI markings on the outside - mark the contents "
                  "instead", loc, evidence=text, key="label")
