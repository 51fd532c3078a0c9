"""EMAIL-001..006 and XMIT-001: email and transmittal documents (rule book sections 8 and 9).

Emails (eml/msg and mbox members) are one unit: the first and last non-empty body lines outside
quoted text are the banner positions (cuiscan.markings.view). Ownership (cuiscan.markings notes):
an email with CUI portions/DI and no banner at all is BANNER-001's; placement gaps of an email that
does show a banner are EMAIL-001's (via placement.banner_gaps); CUI that only appears in quoted or
forwarded text is EMAIL-003's (markings not carried forward), not a placement gap.

A transmittal is an email (or letter, XMIT-001) whose own text holds no CUI while its attachments
(enclosures, sibling members) are CUI-marked, or that states "when the attachment is removed ...".
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.docfacts import family_paragraphs, first_unit_blocks, has_cui_banner, with_confidence
from cuiscan.markings.placement import banner_gaps
from cuiscan.markings.prefilter import ENCLOSURE, REMOVAL
from cuiscan.markings.statements import is_removal_statement
from cuiscan.markings.view import DocView, Hit
from cuiscan.records import Finding, Location, Severity, Zone

_SSN = re.compile(r"\b(\d{3})[- ](\d{2})[- ](\d{4})\b")
_CUI_WORD = re.compile(r"\bCUI\b|\bcontains\s+CUI\b", re.IGNORECASE)
_FORWARD = re.compile(r"^\s*(?:-{2,}\s*(?:Original|Forwarded)\s+Message\s*-{2,}|Begin\s+forwarded\s+message:)", re.I)
_AGENCY = re.compile(r"\b(?:Department|Agency|Administration|Command|Office|Division|Directorate|Bureau|Service|"
                     r"Center|Laboratory|Ministry|NAVSEA|NAVAIR|AFRL|DLA|DISA|DCSA)\b")
_GOV_SENDER = re.compile(r"^From:.*@[\w.-]+\.(?:gov|mil)\b", re.IGNORECASE)
_ENCLOSURE = re.compile(r"^\s*(?:Enclosures?|Encl\.?|Attachments?|Atch\.?)\s*(?::|\(\d+\)|\d+\b)", re.IGNORECASE)


def check(view: DocView, ctx) -> Iterator[Finding]:
    if view.is_email:
        quoted = _quoted_cui_banners(view)
        own = _own_cui(view)
        if own and view.is_cui_marked:
            yield from _placement(view, ctx)
        yield from _subject(view, ctx, own)
        yield from _carried_forward(view, quoted, ctx)
        transmittal = _is_transmittal(view, own)
        if own and not transmittal:
            yield from _designation(view, ctx)
        if transmittal:
            yield from _transmittal_face(view, ctx)
    if view.parent is not None and view.parent.is_email:
        yield from _attachment(view)
    if not view.is_email:
        yield from _paper_transmittal(view)


# --- EMAIL-001 -----------------------------------------------------------------------------------

def _own_cui(view: DocView) -> bool:
    """CUI markings in the message's own text (not only in quoted or forwarded parts)."""
    own = [h for h in view.cui_banners + view.body_banners + view.cui_portions if not _in_quote(view, h)]
    return bool(own) or any(b.get("category") and not _block_quoted(view, b.lines[0].line.block) for b in view.di_blocks)


def _placement(view: DocView, ctx) -> Iterator[Finding]:
    main = view.cui_banners[0] if view.cui_banners else (view.body_banners[0] if view.body_banners else None)
    text = main.marking.text if main else "CUI"
    for gap in banner_gaps(view, ctx.profile):
        for unit, _ in gap.locations():
            line = (unit.top or unit.bottom)
            if gap.position == "top":
                loc = unit.top[0].loc if unit.top else Location(zone=Zone.BODY, member=view.member)
                msg = (f"the message body does not start with the CUI banner (first line: not a banner); put {text} "
                       "as the first line of the body")
                if main is not None and main.position == "body":
                    msg += f" - the banner appears only at {main.loc.describe()}"
                yield finding("EMAIL-001", msg, loc, evidence=text, key="top")
            else:
                loc = unit.bottom[0].loc if unit.bottom else (line[0].loc if line else Location(member=view.member))
                f = finding("EMAIL-001", f"the message body does not end with the banner: DoD marks CUI email "
                            f"with {text} as the first and the last line of the body", loc, evidence=text, key="bottom")
                yield with_confidence(f, 0.7)


# --- EMAIL-002 -----------------------------------------------------------------------------------

def _subject(view: DocView, ctx, own: bool) -> Iterator[Finding]:
    for line in view.subject:
        m = _SSN.search(line.text)
        if m and m.group(1) not in ("000", "666") and not m.group(1).startswith("9"):
            yield finding("EMAIL-002", "the subject line carries an SSN-shaped value: subjects are not "
                          "protected in transit or in mail indexes - remove it from the subject", line.loc,
                          evidence=f"***-**-{m.group(3)}", key="ssn")
        if ctx.dod and own and has_cui_banner(view) and not _CUI_WORD.search(line.text):
            f = finding("EMAIL-002", "DoD/DON practice puts CUI in the subject of a CUI email "
                        "(e.g. 'CUI - <subject>'); this subject has no CUI indicator", line.loc,
                        evidence="", key="indicator", severity=Severity.INFO)
            yield with_confidence(f, 0.6)


# --- EMAIL-003 -----------------------------------------------------------------------------------

def _quoted_cui_banners(view: DocView) -> list[Hit]:
    return [h for h in view.body_banners if _in_quote(view, h)]


def _in_quote(view: DocView, hit: Hit) -> bool:
    return _block_quoted(view, hit.line.block)


def _block_quoted(view: DocView, block) -> bool:
    if block.kind == "quote":
        return True
    start = view.memo.get("_forward_order")
    if start is None:
        start = view.memo["_forward_order"] = next((b.order for b in view.body if _FORWARD.match(b.text)), -1)
    return 0 <= start < block.order


def _carried_forward(view: DocView, quoted: list[Hit], ctx) -> Iterator[Finding]:
    if not quoted:
        return
    top = [h for h in view.cui_banners if h.position == "top"]
    q = quoted[0]
    if not top:
        yield finding("EMAIL-003", f"the message quotes or forwards CUI marked '{q.marking.text}' "
                      f"({q.loc.describe()}) but carries no banner of its own: start the reply/forward with a banner "
                      "at least as inclusive as the quoted one", q.loc, evidence=q.marking.text, key="none")
        return
    if ctx.dod:
        return   # DoD banners are CUI only; categories live in the DI block
    own = top[0].marking
    need = {t.value for h in quoted for t in h.marking.categories if t.sp} | {t.value for h in quoted for t in h.marking.ldcs}
    have = {t.value for t in own.categories if t.sp} | {t.value for t in own.ldcs}
    missing = sorted(need - have)
    if missing:
        yield finding("EMAIL-003", f"the banner '{own.text}' is less inclusive than the quoted/forwarded "
                      f"banner '{q.marking.text}' (missing {', '.join(missing)}): carry all applicable markings "
                      "to the new message", top[0].loc, evidence=own.text, key="less")


# --- EMAIL-004 -----------------------------------------------------------------------------------

def _designation(view: DocView, ctx) -> Iterator[Finding]:
    if any(not _block_quoted(view, b.lines[0].line.block) for b in view.di_blocks):
        return
    if ctx.nara:
        own_lines = [b.text for b in view.body if not _block_quoted(view, b)]
        if any(_AGENCY.search(t) for t in own_lines[-12:]) or any(
                _GOV_SENDER.match(b.text) for b in view.doc.blocks if b.loc.zone == Zone.METADATA):
            return
    loc = view.cui_banners[0].loc if view.cui_banners else Location(zone=Zone.BODY, member=view.member)
    need = ("the DoD DI block (Controlled by, CUI Category, POC) after the signature" if ctx.dod
            else "a 'Controlled by:' line or an agency signature block")
    f = finding("EMAIL-004", f"CUI email without a designation indicator: add {need}", loc,
                evidence=view.cui_banners[0].marking.text if view.cui_banners else "", key="di")
    yield f if ctx.nara else with_confidence(f, 0.8)


# --- EMAIL-005 / EMAIL-006 ------------------------------------------------------------------------

def _has_removal_statement(view: DocView) -> bool:
    return any(is_removal_statement(p.text) for p in family_paragraphs(view, REMOVAL))


def _is_transmittal(view: DocView, own: bool) -> bool:
    if own and view.cui_portions:
        return False   # CUI in its own text: an ordinary CUI email, not a pure transmittal
    return _has_removal_statement(view) or any(c.is_cui_marked for c in view.children)


def _transmittal_face(view: DocView, ctx) -> Iterator[Finding]:
    missing = []
    if not has_cui_banner(view):
        missing.append("the CUI banner as the first line" + (" and the last line" if ctx.dod else ""))
    if not _has_removal_statement(view):
        missing.append("the statement 'When the attachment is removed, this email is Uncontrolled Unclassified "
                       "Information'")
    if not missing:
        return
    marked = [c.member for c in view.children if c.is_cui_marked]
    what = f"its attachment{'s' if len(marked) > 1 else ''} {', '.join(marked)} carr{'y' if len(marked) > 1 else 'ies'} CUI" \
        if marked else "it transmits CUI"
    first = view.units[0].top[0].loc if view.units and view.units[0].top else Location(zone=Zone.BODY, member=view.member)
    yield finding("EMAIL-005", f"transmittal email ({what}) lacks {' and '.join(missing)}", first,
                  evidence=view.cui_banners[0].marking.text if view.cui_banners else "", key="face")


def _attachment(view: DocView) -> Iterator[Finding]:
    parent = view.parent
    if parent is None or view.is_cui_marked or view.is_classified_marked:
        return
    siblings = parent.children
    if any(c.is_cui_marked for c in siblings) or not _has_removal_statement(parent):
        return   # another attachment carries the CUI, or nothing says this one does
    unit = view.first_unit()
    loc = unit.location(Zone.HEADER) if unit else Location(zone=Zone.HEADER, member=view.member)
    yield finding("EMAIL-006", f"attachment {view.member} carries no CUI marking of its own, while the email "
                  "transmitting it says its attachment is CUI: mark the attachment itself (banner on every page, "
                  "designation indicator on its first page); the email's marking does not cover it", loc,
                  evidence="", key="unmarked")


# --- XMIT-001 ------------------------------------------------------------------------------------

def _paper_transmittal(view: DocView) -> Iterator[Finding]:
    if view.is_classified_marked or (ENCLOSURE | REMOVAL) not in view.candidates:
        return   # neither an enclosure line nor a removal statement can be there
    enclosure = None
    if ENCLOSURE in view.candidates:
        first = {id(b) for b in first_unit_blocks(view)}
        enclosure = next((b for b in view.candidates.blocks(ENCLOSURE) if id(b) in first and _ENCLOSURE.match(b.text)),
                         None)
    statement = _has_removal_statement(view)
    if statement and not has_cui_banner(view):
        para = next(p for p in family_paragraphs(view, REMOVAL) if is_removal_statement(p.text))
        yield finding("XMIT-001", f"the document carries a transmittal removal statement "
                      f"({para.loc.describe()}) but no CUI banner: a transmittal of CUI is itself marked CUI",
                      para.loc, evidence="removal statement", key="statement-no-banner")
        return
    if enclosure is None or statement:
        return
    unit = view.first_unit()
    paged = unit is not None and unit.kind in ("page", "section")
    later = [h for h in view.cui_banners if h.unit is not None and h.unit.index > unit.index] if paged else []
    first_marked = paged and any(h.unit is not None and h.unit.index == unit.index for h in view.cui_banners)
    siblings = [c for c in (view.parent.children if view.parent is not None and view.parent.ftype == "zip" else [])
                if c is not view and c.is_cui_marked]
    if (later and not first_marked) or (siblings and not has_cui_banner(view)):
        what = f"{later[0].unit.kind}s marked {later[0].marking.text} follow it" if later else \
            f"its enclosure {siblings[0].member} is marked CUI"
        yield finding("XMIT-001", f"transmittal letter/memo with an enclosure list ({enclosure.loc.describe()}); "
                      f"{what}, but the letter shows no CUI banner and no removal statement: mark it CUI and add "
                      "'When enclosure is removed, this document is Uncontrolled Unclassified Information'",
                      enclosure.loc, evidence="", key="letter")
