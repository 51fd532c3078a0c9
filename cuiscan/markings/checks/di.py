"""DI-001..005: the designation indicator ("Controlled by" block).

    nara  DI-001 designating agency named on the first page/cover (a `Controlled by:` line or an agency
          letterhead in the first lines); DI-002 a point of contact or contact details somewhere.
    dod   DI-003 the block on the first page with `Controlled by:`, `CUI Category:` and `POC:` (the
          dissemination line is optional: omitted when there is none); POC a named person/phone/mailbox
          DI-004 category values are Registry markings or full names; DI-005 portion categories and
          LDCs appear in the block.
Runs only on documents that show CUI markings, not on email (EMAIL-004) or classified documents (CNSI-002).
In docx (no pages) "first page" means: in a first-page/section-1 header or footer, or within the first
~3,500 characters of body text. The lower-right position cannot be seen in text (documented).
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.diblock import split_values
from cuiscan.markings.checks.ldc import dissem_parts
from cuiscan.markings.view import DIBlock, DocView
from cuiscan.records import Finding, Severity, Zone

_CONTACT = re.compile(r"\(?\b\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}\b|\bDSN\s*\d|[\w.+-]+@[\w-]+\.[\w.]+")
_GROUP = re.compile(r"\b(?:team|group|office|branch|division|staff|program|directorate|section|department|"
                    r"cell|desk|committee|personnel)\b", re.IGNORECASE)
_LETTERHEAD = re.compile(r"\b(?:DEPARTMENT|Department|MINISTRY|AGENCY|Agency|ADMINISTRATION|Administration|"
                         r"COMMISSION|Commission|BUREAU|Bureau|OFFICE OF|Office of|COMMAND|Command|SERVICE|Service|"
                         r"INSTITUTE|Institute|U\.S\.|UNITED STATES|United States|AIR FORCE|Air Force|ARMY|Army|"
                         r"NAVY|Navy|CORPS|Corps)\b")
_FIRST_PAGE_CHARS = 3500


def check(view: DocView, ctx) -> Iterator[Finding]:
    if view.is_email or view.is_classified_marked or not view.is_cui_marked or not view.units:
        return
    if ctx.applies("DI-001"):      # DI-001/002: the NARA designation indicator
        yield from _nara(view)
    if ctx.applies("DI-003"):      # DI-003/004/005: the DoD designation indicator block
        yield from _dod(view)


# ---- NARA ---------------------------------------------------------------------------------------------
def _nara(view: DocView) -> Iterator[Finding]:
    controlled = [h for h in view.di_lines if h.di.kind == "controlled_by" and h.di.value]
    first = [h for h in controlled if _on_first_page(view, h.line.block)]
    if not first and not _letterhead(view):
        first_unit = view.first_unit()
        loc = first_unit.location(Zone.BODY) if first_unit else view.units[0].location(Zone.BODY)
        if controlled:
            h = controlled[0]
            yield finding("DI-001", f"the designating agency is named only at {h.loc.describe()} "
                          f"('{h.line.text.strip()}'); it must appear on the first page or cover: move the "
                          "'Controlled by:' line there", h.loc, evidence=h.line.text.strip())
        else:
            yield finding("DI-001", "no designating agency is identified on the first page (no "
                          "'Controlled by:' line or agency letterhead); add 'Controlled by: <agency>' to the "
                          "first page", loc, evidence="")
        return
    has_poc = any(h.di.kind == "poc" and h.di.value for h in view.di_lines)
    if not has_poc and not any(_CONTACT.search(b.text) for b in view.blocks if b.loc.zone != Zone.METADATA):
        h = (first or controlled or [None])[0]
        loc = h.loc if h else view.units[0].location(Zone.BODY)
        yield finding("DI-002", "the designation indicator names no point of contact and the document "
                      "gives no contact details; add 'POC: <name>, <phone or e-mail>' below 'Controlled by:'",
                      loc, evidence=h.line.text.strip() if h else "")


def _letterhead(view: DocView) -> bool:
    """An agency name in the first page's header or first lines stands in for 'Controlled by' (2002.20(d))."""
    u = view.first_unit()
    if u is None:
        return False
    lines = [ln.text for ln in u.top] + [b.text for b in (u.body or view.body)[:6]]
    return any(_LETTERHEAD.search(t) and len(t) <= 120 and ":" not in t[:30] for t in lines)


# ---- DoD ----------------------------------------------------------------------------------------------
def _dod(view: DocView) -> Iterator[Finding]:
    blocks = view.di_blocks
    unit = view.first_unit()
    if not blocks:
        loc = unit.location(Zone.BODY) if unit else view.units[0].location(Zone.BODY)
        yield finding("DI-003", "no CUI designation indicator block found; add on the first page (lower "
                      "right): 'Controlled by: <component>', 'Controlled by: <office>', 'CUI Category: <categories>', "
                      "'Distribution/Dissemination Control: <statement letter or LDC>' and 'POC: <name, phone>'",
                      loc, evidence="")
        return
    block = next((b for b in blocks if _on_first_page(view, b.lines[0].line.block)), None)
    if block is None:
        block = blocks[0]
        yield finding("DI-003", f"the designation indicator block is at {block.loc.describe()}, not on "
                      "the first page; place it on the first/title page or cover (lower right)", block.loc,
                      evidence=block.lines[0].line.text.strip(), severity=Severity.WARNING)
    yield from _lines(block)
    yield from _categories(view, block)
    yield from _consistency(view, block)


def _lines(block: DIBlock) -> Iterator[Finding]:
    missing = [label for kind, label in (("controlled_by", "Controlled by:"), ("category", "CUI Category:"),
                                         ("poc", "POC:")) if not any(h.di.value for h in block.get(kind))]
    if missing:
        yield finding("DI-003", f"the designation indicator block ({block.loc.describe()}) lacks "
                      f"{', '.join(missing)}; the DoD block names the controlling component/office, every CUI "
                      "category, the dissemination control (if any) and a POC", block.loc,
                      evidence=block.lines[0].line.text.strip(), key="missing:" + ",".join(missing))
    for h in block.get("poc"):
        value = h.di.value
        if value and not _CONTACT.search(value) and (_GROUP.search(value) or len(value.split()) < 2):
            yield finding("DI-003", f"POC '{value}' is not a named person with a phone number or an "
                          "office mailbox; name a person (with phone) or give a mailbox address", h.loc,
                          evidence=h.line.text.strip(), key="poc", severity=Severity.WARNING)


def _categories(view: DocView, block: DIBlock) -> Iterator[Finding]:
    registry = view.vocab.registry
    for h in block.get("category"):
        bad = [part for part, _ in split_values(h.di.value) if registry.category(part) is None]
        if bad:
            yield finding("DI-004", f"'{h.line.text.strip()}': {', '.join(bad)} "
                          f"{'is' if len(bad) == 1 else 'are'} not a CUI Registry category marking or name; use "
                          "the Registry abbreviations (e.g. PRVCY, CTI) or the full category names", h.loc,
                          evidence=h.line.text.strip())


def _consistency(view: DocView, block: DIBlock) -> Iterator[Finding]:
    registry = view.vocab.registry
    listed = set()
    for h in block.get("category"):
        for part, _ in split_values(h.di.value):
            cat = registry.category(part)
            if cat is not None and cat.marking:
                listed.add(cat.marking)
    used = {}
    for h in view.cui_portions:
        for m in h.marking.category_markings:
            used.setdefault(m, h)
    missing = sorted(set(used) - listed)
    if missing and block.get("category"):
        h = block.get("category")[0]
        yield finding("DI-005", f"portion marks use {', '.join(missing)} (first at "
                      f"{used[missing[0]].loc.describe()}) but the DI category line lists "
                      f"{', '.join(sorted(listed)) or 'none of them'}; list every category the document contains",
                      h.loc, evidence=h.line.text.strip(), categories=missing, key="categories")
    _, ldcs, _ = dissem_parts(view, block)
    have = {t.value for _, toks in ldcs for t in toks}
    portion_ldcs = {}
    for h in view.cui_portions:
        for t in h.marking.ldcs:
            portion_ldcs.setdefault(t.value, h)
    absent = sorted(set(portion_ldcs) - have)
    if absent:
        yield finding("DI-005", f"portion marks use the LDC {', '.join(absent)} (first at "
                      f"{portion_ldcs[absent[0]].loc.describe()}) but the DI dissemination line does not show it; "
                      "add it to 'Distribution/Dissemination Control:'", block.loc,
                      evidence=block.lines[0].line.text.strip(), key="ldcs")


# ---- position -----------------------------------------------------------------------------------------
def _on_first_page(view: DocView, block) -> bool:
    unit = view.unit_of(block)
    first = view.first_unit()
    if view.ftype == "docx":
        if block.loc.zone in (Zone.HEADER, Zone.FOOTER):
            return (block.loc.section or 1) == 1 and block.variant in (None, "default", "first")
        chars = 0
        for b in view.body:
            if b is block:
                return chars <= _FIRST_PAGE_CHARS
            chars += len(b.text)
        return False
    if view.ftype == "xlsx":
        return unit is None or unit is first
    return unit is None or unit is first or unit.index == 1
