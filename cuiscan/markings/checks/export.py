"""EXPORT-001..003: export-control warning, ITAR/EAR phrases, destruction notice (rule book section 13).

On a document WITHOUT CUI markings these texts are indicators of unmarked CUI: they are recorded in
view.facts.indicators ("export-warning", "itar-ear", "ear99", "destruction-notice") and DETECT-001
reports the file once (detection stage). Reporting them here as well would tell the reviewer the same
thing twice. On a CUI-marked document the checks report what a marking reviewer would still fix:

    EXPORT-001  the warning without a distribution statement B-F; the warning text incomplete; declared
                categories (banner/portions/DI) naming neither EXPT nor CTI
    EXPORT-002  ITAR/EAR phrases while the declared categories name neither EXPT nor CTI (heuristic,
                confidence 0.6; EAR99 alone 0.3), unless EXPORT-001 already said so
    EXPORT-003  the destruction notice beside statement A; on a CUI document not declaring CTI
Runs after dist (reads view.facts.distribution).
"""
from __future__ import annotations

from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.docfacts import (Paragraph, declared_categories, family_paragraphs, note_indicator,
                                       with_confidence)
from cuiscan.markings.prefilter import EXPORT
from cuiscan.markings.statements import (export_warning_gaps, is_destruction_notice, is_export_warning,
                                         itar_ear_hits)
from cuiscan.markings.view import DocView
from cuiscan.records import Finding

_EXPORT_CATEGORIES = {"EXPT", "EXPTR", "CTI"}


def check(view: DocView, ctx) -> Iterator[Finding]:
    if EXPORT not in view.candidates:
        return   # no warning, notice or ITAR/EAR reference: nothing below can fire
    paras = family_paragraphs(view, EXPORT)
    warning = next((p for p in paras if is_export_warning(p.text)), None)
    notice = next((p for p in paras if is_destruction_notice(p.text)), None)
    itar = next((p for p in paras if itar_ear_hits(p.text)[0]), None)
    ear99 = next((p for p in paras if itar_ear_hits(p.text)[1]), None)
    for name, para in (("export-warning", warning), ("destruction-notice", notice), ("itar-ear", itar),
                       ("ear99", ear99)):
        if para is not None:
            note_indicator(view, name)
    letter = view.facts.distribution
    if notice is not None and letter == "A":
        yield finding("EXPORT-003", f"destruction notice ({notice.loc.describe()}) on a document with "
                      "distribution statement A: the notice belongs to limited (B-F) technical documents - check "
                      "which of the two is wrong", notice.loc, evidence="destruction notice", key="A")
    if not view.is_cui_marked or view.is_classified_marked:
        return
    declared = declared_categories(view)
    names_export = bool(declared & _EXPORT_CATEGORIES)
    if warning is not None:
        yield from _warning(warning, letter, declared, names_export)
    elif (itar or ear99) is not None and declared and not names_export:
        para = itar or ear99
        f = finding("EXPORT-002", f"ITAR/EAR reference ({para.loc.describe()}) in a CUI document whose "
                    f"markings name {', '.join(sorted(declared))} but not EXPT: if the data is export-controlled, "
                    "add EXPT (SP-EXPT where a Specified authority applies)", para.loc,
                    evidence="ITAR/EAR reference", categories=("EXPT",), key="itar")
        yield with_confidence(f, 0.6 if itar is not None else 0.3)
    if notice is not None and declared and "CTI" not in declared and letter != "A":
        yield finding("EXPORT-003", f"DoD destruction notice ({notice.loc.describe()}) marks a limited "
                      f"technical document, but the CUI markings name {', '.join(sorted(declared))} and not CTI: "
                      "add CTI if the document is controlled technical information", notice.loc,
                      evidence="destruction notice", categories=("CTI",), key="cti")


def _warning(para: Paragraph, letter: str | None, declared: set[str], names_export: bool) -> Iterator[Finding]:
    where = para.loc.describe()
    if letter is None or letter not in "BCDEF":
        yield finding("EXPORT-001", f"export-control warning ({where}) without a distribution statement "
                      "B-F: documents with export-controlled technical data carry the warning in addition to a "
                      "distribution statement", para.loc, evidence="export-control warning", key="no-statement")
    gaps = export_warning_gaps(para.text)
    if gaps:
        yield finding("EXPORT-001", f"export-control warning ({where}) is incomplete (missing "
                      f"{', '.join(repr(g) for g in gaps)}): use the full DoD warning text", para.loc,
                      evidence="export-control warning", key="incomplete")
    if declared and not names_export:
        yield finding("EXPORT-001", f"export-control warning ({where}) but the CUI markings name "
                      f"{', '.join(sorted(declared))} and neither EXPT nor CTI: list EXPT (and CTI for DoD "
                      "technical data) in the banner or DI block", para.loc, evidence="export-control warning",
                      categories=("EXPT",), key="category")
