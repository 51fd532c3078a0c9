"""DIST-001..005 on real files."""
from __future__ import annotations

from realdocs import DOD_DI, STATEMENT_D, docx, of, pdf, results, txt

from cuiscan.records import Severity, Zone

WRAPPED_D = ["DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD",
             "contractors only; Critical Technology; 12 Feb 2024. Other requests for this document shall be",
             "referred to AFRL/RQ, Wright-Patterson AFB, OH 45433."]


def page(lines, header="CUI", footer="CUI", bottom=()):
    return {"header": header, "footer": footer, "lines": lines, "bottom_lines": list(bottom)}


def test_correct_dod_report_has_no_dist_findings_and_records_the_letter(tmp_path):
    path = pdf(tmp_path, "r.pdf", [page(["Model 7 report", ""] + WRAPPED_D, bottom=DOD_DI),
                                   page(["Results on page 2."])])
    assert of(path, "DIST") == []
    assert results(path)[0].distribution == "D"


def test_unmarked_statement_is_left_to_detect_001(tmp_path):
    path = pdf(tmp_path, "u.pdf", [page(["Model 7 report", ""] + WRAPPED_D, header=None, footer=None)])
    assert of(path, "DIST") == []
    result = results(path)[0]
    assert result.distribution == "D" and not result.is_marked


def test_incomplete_statement_is_dist_002(tmp_path):
    path = docx(tmp_path, "i.docx", ["Report", "DISTRIBUTION STATEMENT C. Distribution authorized to U.S. "
                                               "Government agencies and their contractors."],
                header="CUI", footer="CUI")
    [f] = of(path, "DIST-002", "nara")
    assert f.severity == Severity.WARNING and f.evidence == "DISTRIBUTION STATEMENT C"
    assert "reason" in f.message and "date" in f.message and "controlling" in f.message


def test_statement_a_on_cui_document(tmp_path):
    path = docx(tmp_path, "a.docx", ["Public summary", "DISTRIBUTION STATEMENT A. Approved for public release; "
                                                       "distribution is unlimited."] + DOD_DI[:3] + DOD_DI[4:],
                header="CUI", footer="CUI")
    [f] = of(path, "DIST")
    assert (f.rule_id, f.severity, f.location.zone) == ("DIST-003", Severity.ERROR, Zone.BODY)
    public = docx(tmp_path, "p.docx", ["Public summary", "Approved for public release; distribution is unlimited."])
    assert of(public, "DIST") == [] and results(public)[0].distribution == "A"


def test_obsolete_and_restricted_letters(tmp_path):
    x = txt(tmp_path, "x.txt", ["Report 2022", "DISTRIBUTION STATEMENT X. Distribution authorized to U.S. Government "
                                "agencies and private individuals or enterprises eligible to obtain export-controlled "
                                "technical data."])
    [f] = of(x, "DIST-005")
    assert (f.severity, f.confidence, f.location.line) == (Severity.WARNING, 0.8, 2)
    fdoc = txt(tmp_path, "f.txt", ["Report", "DISTRIBUTION STATEMENT F. Further dissemination only as directed by "
                                   "AFRL/RQ, 12 Feb 2024, or higher DoD authority."])
    assert [f.rule_id for f in of(fdoc, "DIST")] == ["DIST-005"]


def test_wrong_wording_and_unknown_letter_are_dist_001(tmp_path):
    path = txt(tmp_path, "w.txt", ["Report", "DISTRIBUTION STATEMENT C. Distribution authorized to DoD Components "
                                   "only; Critical Technology; 1 Mar 2024. Other requests for this document shall be "
                                   "referred to AFRL/RQ.", "", "DISTRIBUTION STATEMENT G: internal only"])
    found = sorted((f.rule_id, f.severity, f.location.line) for f in of(path, "DIST"))
    assert found == [("DIST-001", Severity.INFO, 2), ("DIST-001", Severity.INFO, 4)]


def test_home_made_limitation_on_cui_document(tmp_path):
    marked = docx(tmp_path, "m.docx", ["Report", "Distribution limited to friends of the program."] + DOD_DI,
                  header="CUI", footer="CUI")
    [f] = of(marked, "DIST-001")
    assert f.severity == Severity.INFO
    plain = docx(tmp_path, "p.docx", ["Picnic", "Distribution limited to department heads."])
    assert of(plain, "DIST") == []


def test_dod_di_letter_needs_full_statement_on_first_page(tmp_path):
    path = pdf(tmp_path, "late.pdf", [page(["Model 7 report"], bottom=DOD_DI), page(["Body", ""] + WRAPPED_D)])
    [f] = of(path, "DIST-004")
    assert (f.severity, f.location.page, f.location.zone) == (Severity.ERROR, 1, Zone.BODY)
    assert f.evidence.startswith("Distribution/Dissemination Control")
    assert of(path, "DIST-004", "nara") == []


def test_dod_statement_needs_its_letter_on_the_di(tmp_path):
    di = [line if not line.startswith("Distribution/") else "Distribution/Dissemination Control: FEDCON" for line in DOD_DI]
    path = pdf(tmp_path, "ldc.pdf", [page(["Model 7 report", ""] + WRAPPED_D, bottom=di)])
    [f] = of(path, "DIST-004")
    assert f.location.page == 1 and "FEDCON" in f.message


def test_sentences_about_statements_are_not_statements(tmp_path):
    path = docx(tmp_path, "article.docx", [
        "Understanding distribution statements",
        "Distribution Statement D limits release to DoD and its contractors.",
        "Technical reports often carry Distribution Statement C, which reads 'Distribution authorized to U.S. "
        "Government agencies and their contractors'.",
        "Statement A means approved for public release."])
    assert of(path, "DIST") == [] and results(path)[0].distribution is None


def test_statement_constant_is_recognised_in_one_paragraph(tmp_path):
    path = docx(tmp_path, "d.docx", ["Report", STATEMENT_D] + DOD_DI, header="CUI", footer="CUI")
    assert of(path, "DIST") == [] and results(path)[0].distribution == "D"
