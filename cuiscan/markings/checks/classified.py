"""SPILL-001 and CNSI-001..003: classified markings on an unclassified share (rule book section 10).

Classified markings are recognised by position and shape only (false-positive controls of SPILL-001):
a banner line in header/footer/top/bottom position or the email subject, a `//` classified banner
line anywhere, a paragraph-initial upper-case portion mark followed by a space, the labelled lines of
a classification authority block, RESTRICTED DATA markings, classified transmittal statements and the
DoD CUI-in-classified warning box. "(C) 2024 Acme" (copyright), "(a)/(s)" (lower case), lettered
lists "(A) (B) (C)", a "SECRET clearance" sentence and an UNCLASSIFIED banner are not spills.

One SPILL-001 per document (or member): the alert is about the file; the message counts the evidence.
Evidence is the marking itself ("SECRET//NOFORN", "(S//NF)", "Declassify On:"), never the text it
marks.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.docfacts import family_paragraphs, in_first_unit, with_confidence
from cuiscan.markings.grammar import parse_banner, parse_portion
from cuiscan.markings.prefilter import AUTHORITY, CLASSIFIED, SPILL
from cuiscan.markings.view import DocView
from cuiscan.records import Finding, Location

_CAB = re.compile(r"^\s*(?:\([A-Z/ ]{1,12}\)\s*)?(?P<label>Classified\s+By|Derived\s+From|Declassify\s+On|Reason)\s*:\s*(?P<value>\S.*)?$",
                  re.IGNORECASE)
_REASON_14 = re.compile(r"^\s*1\.4\s*\(")
_RD_LINE = re.compile(r"^\s*(?:FORMERLY\s+)?RESTRICTED\s+DATA\b|^\s*CNWDI\b")
_RD_NOTICE = re.compile(r"contains\s+(?:Formerly\s+)?Restricted\s+Data\s+as\s+defined\s+in\s+the\s+Atomic\s+Energy\s+Act",
                        re.IGNORECASE)
_XMIT = re.compile(r"\bUnclassified\s+when\s+classified\s+(?:enclosures?|attachments?)\s+(?:(?:is|are)\s+)?removed"
                   r"|\bupon\s+removal\s+of\s+(?:the\s+)?(?:classified\s+)?(?:attachments?|enclosures?)\W+"
                   r"(?:\w+\W+){0,3}?(?:is|becomes)\s+(?:TOP\s+SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)\b(?!\s+information)",
                   re.IGNORECASE)
_BOX_TOKENS = ("may contain elements of controlled unclassified information",
               "shall not be used as a source of derivative classification",
               "reviewed for both classified national security information",
               "dodi 5230.09")
_ENUM = re.compile(r"^\s*\((?P<letter>[A-Za-z])\)\s")
_RD_TOKENS = frozenset({"RD", "FRD", "CNWDI", "RESTRICTED DATA", "FORMERLY RESTRICTED DATA"})
_PRIORITY = ("banner", "portion", "authority block", "atomic-energy marking", "transmittal statement", "warning box")


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str        # one of _PRIORITY
    text: str        # the marking itself
    loc: Location
    strong: bool = True


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not (view.banners or view.subject or view.portions) and (CLASSIFIED | AUTHORITY | SPILL) not in view.candidates:
        return   # no place where spill evidence could be
    evidence = spill_evidence(view)
    if not evidence:
        return
    yield _spill(view, evidence)
    cui = _cui_evidence(view)
    if cui and ctx.applies("CNSI-001"):
        yield from _cnsi_nara(view, evidence)
    if cui and ctx.applies("CNSI-002"):
        yield from _cnsi_dod(view, evidence)
    rd = [e for e in evidence if e.kind == "atomic-energy marking" or _has_rd(e.text)]
    if rd and cui:
        yield finding("CNSI-003", f"Restricted Data / Formerly Restricted Data marking '{rd[0].text}' in a "
                      "document that also carries CUI markings: keep RD/FRD in a separate classified document or "
                      "apply the 10 CFR 1045 markings as well", rd[0].loc, evidence=rd[0].text)


def spill_evidence(view: DocView) -> list[Evidence]:
    found: list[Evidence] = []
    for hit in view.banners:
        if hit.marking.kind == "classified":
            found.append(Evidence("banner", hit.marking.text, hit.loc))
    for line in view.subject:
        mk = parse_banner(line.text.split(" - ")[0], view.vocab) or parse_portion(line.text, view.vocab)
        if mk is not None and mk.kind == "classified":
            found.append(Evidence("banner", mk.text, line.loc))
    positioned = {(id(h.line.block), h.line.offset) for h in view.banners}
    for block in view.body_candidates(CLASSIFIED):   # a classified banner names its level
        for offset, text in enumerate(block.text.split("\n")):
            if (id(block), offset) in positioned or "//" not in text or len(text) > 120:
                continue
            mk = parse_banner(text, view.vocab)
            if mk is not None and mk.kind == "classified" and mk.text == text.strip():
                found.append(Evidence("banner", mk.text, _line_loc(block, offset)))
    enumerated = None
    for hit in view.portions:
        if hit.marking.kind != "classified":
            continue
        bare = hit.marking.text in ("(S)", "(C)")
        if bare and enumerated is None:
            enumerated = _lettered_list(view)
        if bare and enumerated:
            continue   # "(A) ... (B) ... (C) ..." is a lettered list, not CONFIDENTIAL
        found.append(Evidence("portion", hit.marking.text, hit.loc, strong=not bare))
    found.extend(_authority_block(view))
    for para in family_paragraphs(view, SPILL, include_quotes=True):
        text = para.text
        if _RD_LINE.match(text) and text.strip()[:4].isupper() or _RD_NOTICE.search(text):
            found.append(Evidence("atomic-energy marking", _rd_text(text), para.loc))
        m = _XMIT.search(text)
        if m:
            found.append(Evidence("transmittal statement", " ".join(m.group(0).split()), para.loc))
        low = " ".join(text.lower().split())
        if sum(token in low for token in _BOX_TOKENS) >= 2:
            found.append(Evidence("warning box", "CUI warning box for classified documents", para.loc))
    return found


def _spill(view: DocView, evidence: list[Evidence]) -> Finding:
    ordered = sorted(evidence, key=lambda e: _PRIORITY.index(e.kind))
    first = ordered[0]
    counts: dict[str, int] = {}
    for e in evidence:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    listed = ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in sorted(counts.items(), key=lambda kv: _PRIORITY.index(kv[0])))
    msg = (f"classified marking '{first.text}' ({first.loc.describe()}; found: {listed}): possible classified spill "
           "on an unclassified system. Do not copy, open further or forward the file; report it to the security "
           "office (ISSM) for spill handling")
    f = finding("SPILL-001", msg, first.loc, evidence=first.text, key=first.kind)
    if all(e.kind == "banner" and e.text == "CONFIDENTIAL" for e in evidence):
        # a bare CONFIDENTIAL header/footer is also a common company label: still an alert, less certain
        f = finding("SPILL-001", msg + "; a bare CONFIDENTIAL banner may also be a company "
                    "confidentiality label - confirm before escalating", first.loc, evidence=first.text, key=first.kind)
        return with_confidence(f, 0.5)
    if any(e.strong for e in evidence):
        return f
    # only bare (S)/(C) marks: strong when the document is portion marked throughout ((U) beside them)
    others = [h for h in view.portions if h.marking.text not in ("(S)", "(C)")]
    return f if others else with_confidence(f, 0.6)


def _authority_block(view: DocView) -> list[Evidence]:
    labels: dict[str, Evidence] = {}
    for block in view.body_candidates(AUTHORITY):
        for offset, text in enumerate(block.text.split("\n")):
            m = _CAB.match(text)
            if not m:
                continue
            label = " ".join(m.group("label").split()).title()
            value = m.group("value") or ""
            if label == "Reason" and not _REASON_14.match(value):
                continue
            labels.setdefault(label, Evidence("authority block", f"{label}:", _line_loc(block, offset)))
    decisive = any(k in labels for k in ("Declassify On", "Reason"))
    if decisive or len(labels) >= 2:
        return sorted(labels.values(), key=lambda e: (e.loc.page or 0, e.loc.line or 0))[:1]
    return []


def _lettered_list(view: DocView) -> bool:
    """Paragraph-initial single letters other than U/C/S mean (C)/(S) are list items."""
    letters = set()
    for block in view.body:
        m = _ENUM.match(block.text)
        if m:
            letters.add(m.group("letter"))
    return bool(letters - {"U", "C", "S"})


def _cui_evidence(view: DocView) -> bool:
    return bool(view.cui_portions or any(b.get("category") or b.get("controlled_by") for b in view.di_blocks)
                or any(h.marking.is_cui for h in view.banners))


def _cnsi_nara(view: DocView, evidence: list[Evidence]) -> Iterator[Finding]:
    banners = [h for h in view.banners if h.marking.kind == "classified"]
    portion_sp = sorted({m for h in view.cui_portions for m in h.marking.sp_markings})
    if banners:
        main = banners[0]
        if not any(t.kind == "control" for t in main.marking.tokens):
            yield finding("CNSI-001", f"classified banner '{main.marking.text}' of a document that contains "
                          "CUI lacks the CUI control marking: add CUI (and every SP- category of the CUI portions) "
                          "to the overall banner", main.loc, evidence=main.marking.text, key="no-cui")
        else:
            missing = [m for m in portion_sp if m not in main.marking.sp_markings]
            if missing:
                yield finding("CNSI-001", f"classified banner '{main.marking.text}' lacks SP-{', SP-'.join(missing)} "
                              "found in the CUI portions: add every Specified category to the overall banner",
                              main.loc, evidence=main.marking.text, categories=missing, key="sp")
    if not view.cui_portions:
        loc = view.di_blocks[0].loc if view.di_blocks else evidence[0].loc
        yield finding("CNSI-001", "classified document that contains CUI has no CUI portion marks: portion "
                      "marking of all CUI is mandatory in classified documents - mark each CUI portion (CUI//...)",
                      loc, evidence="", key="portions")


def _cnsi_dod(view: DocView, evidence: list[Evidence]) -> Iterator[Finding]:
    first_blocks = [e for e in evidence if e.kind == "authority block"]
    missing = []
    if not any(_first_page(view, e.loc) for e in first_blocks):
        missing.append("the classification authority block")
    if not any(b.get("controlled_by") and in_first_unit(view, b.lines[0].line.block) for b in view.di_blocks):
        missing.append("the CUI designation indicator block")
    if not any(e.kind == "warning box" and _first_page(view, e.loc) for e in evidence):
        missing.append("the CUI warning box")
    if not missing:
        return
    anchor = view.cui_portions[0] if view.cui_portions else None
    loc = anchor.loc if anchor else evidence[0].loc
    text = anchor.marking.text if anchor else evidence[0].text
    f = finding("CNSI-002", "classified document with CUI portions: its first page lacks "
                + ", ".join(missing) + " (DoD practice: classification authority block, CUI DI block and CUI "
                "warning box on the first page)", loc, evidence=text)
    yield with_confidence(f, 0.8)


def _first_page(view: DocView, loc: Location) -> bool:
    unit = view.first_unit()
    if unit is None or unit.kind != "page":
        return True
    return loc.page in (None, unit.index)


def _has_rd(text: str) -> bool:
    parts = {p.strip() for p in re.split(r"//|/", text.strip("()"))}
    return bool(parts & _RD_TOKENS)


def _rd_text(text: str) -> str:
    m = _RD_LINE.match(text)
    return m.group(0).strip() if m else "Restricted Data notice"


def _line_loc(block, offset: int) -> Location:
    loc = block.loc
    if offset and loc.line is not None:
        return dataclasses.replace(loc, line=loc.line + offset)
    return loc
