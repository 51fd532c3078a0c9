"""EXPORT-001..003 on real files: indicators on unmarked documents go to detection, not to a finding."""
from __future__ import annotations

from realdocs import DOD_DI, STATEMENT_D, docx, of, pdf, views

from cuiscan.records import Severity, Zone

WARNING = ["WARNING - This document contains technical data whose export is restricted by the Arms Export",
           "Control Act (Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979",
           "(Title 50, U.S.C., App. 2401 et seq.), as amended. Violations of these export laws are subject",
           "to severe criminal penalties. Disseminate in accordance with provisions of DoD Directive 5230.25."]
DESTRUCTION = "DESTRUCTION NOTICE - Destroy by any method that will prevent disclosure of contents or reconstruction of the document."
DESTRUCTION_LINES = ["DESTRUCTION NOTICE - Destroy by any method that will prevent disclosure of contents or",
                     "reconstruction of the document."]
DI_PRVCY = [line.replace("CTI", "PRVCY") if line.startswith("CUI Category") else line for line in DOD_DI]
DI_NO_LETTER = [line for line in DOD_DI if not line.startswith("Distribution/")]


def _wrap(text: str, width: int = 90) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + [current]


def page(lines, bottom=(), marked=True):
    return {"header": "CUI" if marked else None, "footer": "CUI" if marked else None, "lines": lines,
            "bottom_lines": list(bottom)}


def test_unmarked_indicators_are_recorded_not_reported(tmp_path):
    path = pdf(tmp_path, "u.pdf", [page(["Model 7 report", ""] + WARNING + [""] + DESTRUCTION_LINES,
                                        marked=False)])
    [view] = views(path)
    assert [f for f in view.findings if f.rule_id.startswith("EXPORT")] == []
    assert {"export-warning", "destruction-notice"} <= set(view.facts.indicators)


def test_correct_cti_report_is_quiet(tmp_path):
    path = pdf(tmp_path, "ok.pdf", [page(["Model 7 report", ""] + _wrap(STATEMENT_D) + [""] + WARNING
                                         + [""] + DESTRUCTION_LINES, bottom=DOD_DI)])
    assert of(path, "EXPORT") == []


def test_warning_without_statement_on_cui_document(tmp_path):
    path = pdf(tmp_path, "ns.pdf", [page(["Model 7 report", ""] + WARNING, bottom=DI_NO_LETTER)])
    [f] = of(path, "EXPORT")
    assert (f.rule_id, f.severity, f.location.page, f.location.zone) == ("EXPORT-001", Severity.INFO, 1, Zone.BODY)
    assert "distribution statement" in f.message


def test_incomplete_warning_and_wrong_category(tmp_path):
    short = "WARNING - EXPORT CONTROLLED. This document contains technical data whose export is restricted by the Arms Export Control Act."
    path = docx(tmp_path, "w.docx", ["Model 7 report", STATEMENT_D, short] + DI_PRVCY, header="CUI", footer="CUI")
    found = sorted(f.message.split(":")[0] for f in of(path, "EXPORT-001"))
    assert len(found) == 2
    assert any("incomplete" in m for m in found) and any("neither EXPT nor CTI" in f.message for f in of(path, "EXPORT-001"))


def test_itar_reference_on_cui_document_not_naming_expt(tmp_path):
    path = docx(tmp_path, "i.docx", ["Fixture drawing notes", "Item is USML Category XI(a); handle per ITAR."] + DI_PRVCY,
                header="CUI", footer="CUI")
    [f] = of(path, "EXPORT")
    assert (f.rule_id, f.severity, f.confidence, f.categories) == ("EXPORT-002", Severity.INFO, 0.6, ("EXPT",))
    expt = docx(tmp_path, "e.docx", ["Datasheet", "ECCN 3A001 applies."] + DOD_DI, header="CUI", footer="CUI")
    assert of(expt, "EXPORT") == []


def test_destruction_notice_with_statement_a(tmp_path):
    path = docx(tmp_path, "a.docx", ["Public summary", "DISTRIBUTION STATEMENT A. Approved for public release; "
                                                       "distribution is unlimited.", DESTRUCTION])
    [f] = of(path, "EXPORT")
    assert (f.rule_id, f.severity) == ("EXPORT-003", Severity.INFO)


def test_sentences_about_export_control_are_not_indicators(tmp_path):
    path = docx(tmp_path, "p.docx", ["Training note", "The export warning cites the Arms Export Control Act and "
                                     "warns of severe criminal penalties.", "Ask trade compliance about ITAR."])
    [view] = views(path)
    assert "export-warning" not in view.facts.indicators
    assert of(path, "EXPORT") == []
