"""SUPP-001..002: supplemental administrative markings and drafts (rule book section 7).

SUPP-001 reports a supplemental marking (DRAFT, PRE-DECISIONAL, DELIBERATIVE, PROVISIONAL) written
inside a CUI portion mark: `(CUI//PREDECISIONAL)`. The same word inside a banner line is BANNER-013's
(ownership notes in cuiscan.markings). A supplemental marking shown separately (a DRAFT line or
watermark) is allowed: it is recorded in view.facts.supplemental, not reported.

A PRE-DECISIONAL / DELIBERATIVE label on a document without any CUI marking is SUPP-001 info: it is
seen, it is not a marking (the document is assessed from its content).

SUPP-002 reports a document labelled as a draft or working paper that shows CUI marking elements
(CUI portion marks, a DI block) but no CUI banner, unless BANNER-001 already reported that missing
banner for this document (one finding per defect; the draft label is then only the reason).
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.prefilter import DRAFT
from cuiscan.markings.view import DocView
from cuiscan.records import Finding, Severity, Zone

_LABEL_ZONES = (Zone.HEADER, Zone.FOOTER, Zone.BODY, Zone.TITLE)
_LABEL = re.compile(r"^\s*(?:DRAFT|WORKING\s+PAPERS?|PRE-?DECISIONAL|DELIBERATIVE|PROVISIONAL)"
                    r"(?:\s*(?:[-/,]|//)\s*(?:DRAFT|PRE-?DECISIONAL|DELIBERATIVE|WORKING\s+PAPERS?|"
                    r"NOT\s+FOR\s+(?:RELEASE|DISTRIBUTION)|DO\s+NOT\s+(?:CITE|DISTRIBUTE)))*\s*$")


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not view.portions and DRAFT not in view.candidates:
        return
    yield from _in_portions(view)
    labels = draft_labels(view)
    if labels:
        view.facts.supplemental = tuple(sorted({text for text, _ in labels}))
        yield from _draft_without_banner(view, labels)
        yield from _deliberative_alone(view, labels)


def _in_portions(view: DocView) -> Iterator[Finding]:
    groups: dict[str, list] = {}
    for hit in view.portions:
        if hit.marking.is_cui and hit.marking.of_kind("supplemental"):
            groups.setdefault(hit.marking.text, []).append(hit)
    for text, hits in groups.items():
        words = ", ".join(t.text for t in hits[0].marking.of_kind("supplemental"))
        more = f" (same mark in {len(hits) - 1} more portion{'s' if len(hits) > 2 else ''})" if len(hits) > 1 else ""
        yield finding("SUPP-001", f"portion mark '{text}' contains the supplemental marking {words}{more}: "
                      "supplemental markings may accompany CUI but are never part of a CUI marking - remove it "
                      "from the portion mark and show it separately", hits[0].loc, evidence=text,
                      categories=hits[0].marking.category_markings, key=text)


def draft_labels(view: DocView) -> list[tuple[str, object]]:
    """Whole-line supplemental labels: header/footer lines, top/bottom lines, standalone body lines."""
    found = []
    for block in view.candidates.blocks(DRAFT):
        if block.loc.zone not in _LABEL_ZONES or block.kind == "quote":
            continue
        for line in block.text.split("\n"):
            if len(line) <= 80 and _LABEL.match(line):
                found.append((" ".join(line.split()), block.loc))
    return found


def _deliberative_alone(view: DocView, labels) -> Iterator[Finding]:
    """PRE-DECISIONAL // DELIBERATIVE as the only marking of a document (agency practice of the FOUO
    era): seen and named (SUPP-001 info, "present elsewhere"), never taken for a CUI marking; the
    document is assessed from its content."""
    if view.is_cui_marked or view.is_classified_marked:
        return
    for text, loc in labels:
        upper = text.upper()
        if "DECISIONAL" in upper or "DELIBERATIVE" in upper:
            yield finding("SUPP-001", f"'{text}' ({loc.describe()}) is a supplemental administrative "
                          "marking, not a CUI or control marking: it cannot create safeguarding or dissemination "
                          "rules - if the content is CUI, mark it CUI (banner and designation indicator) and keep "
                          "this label separate from the banner", loc, evidence=text, key="deliberative", severity=Severity.INFO)
            return


def _draft_without_banner(view: DocView, labels) -> Iterator[Finding]:
    if view.cui_banners or view.body_banners or view.is_classified_marked:
        return
    elements = []
    if view.cui_portions:
        elements.append(f"CUI portion marks such as {view.cui_portions[0].marking.text}")
    if any(b.get("category") or b.get("controlled_by") for b in view.di_blocks):
        elements.append("a designation indicator block")
    if not elements:
        return
    if any(f.rule_id == "BANNER-001" for f in view.findings):
        return   # the missing banner is already reported once
    text, loc = labels[0]
    yield finding("SUPP-002", f"the document is labelled '{text}' and shows {' and '.join(elements)} but "
                  "no CUI banner: a draft or working paper containing CUI is marked like the final product - "
                  "add the CUI banner (and DI block); keep the draft label as a separate marking",
                  loc, evidence=text, key="draft")
