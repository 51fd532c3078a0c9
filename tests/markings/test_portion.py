"""PORTION-001..007 on real files."""
from __future__ import annotations

import mk_builders as B
from cuiscan.records import Severity, Zone


def test_001_format_and_position(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CONTROLLED) Roster.", "(CUI-SP-CTI) Drawings.", *B.DOD_DI])
    fs = [f for f in B.findings(path, "dod") if f.rule_id == "PORTION-001"]
    assert sorted(f.evidence for f in fs) == ["(CONTROLLED)", "(CUI-SP-CTI)"]
    assert all(f.severity == Severity.ERROR and f.location.zone == Zone.BODY for f in fs)


def test_001_mark_at_the_end(tmp_path):
    path = B.txt(tmp_path / "a.txt", ["CUI", "", "The roster of the crew is attached (CUI)", "",
                                      "Controlled Unclassified Information (CUI).", "", *B.DOD_DI, "", "CUI"])
    f = B.only(B.findings(path, "dod"), "PORTION-001")
    assert (f.location.line, f.evidence) == (3, "(CUI)")


def test_002_only_cui_portions_marked(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["Background of the program.", "(CUI) Roster of the crew.",
                                               "Schedule of the tests.", *B.DOD_DI], "CUI")])
    f = B.only(B.findings(path, "dod"), "PORTION-002")
    assert f.location.page == 1 and "2 of 3 portions" in f.message
    assert "PORTION-003" not in B.ids(path, "dod")


def test_003_all_or_nothing(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "Unmarked paragraph.", "(CUI) Roster.", *B.DOD_DI],
                  title="Quarterly Test Summary")
    f = B.only(B.findings(path, "nara"), "PORTION-003")
    assert "2 of 4 portions" in f.message and "titles" in f.message and f.location.zone == Zone.TITLE


def test_no_portion_marks_is_fine_006(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Intro.", "Roster of the crew.", *B.DOD_DI])
    assert not [r for r in B.ids(path, "dod") if r.startswith("PORTION")]


def test_004_grouped_segments(tmp_path):
    body = ["(U) Schedule:", "a. Monday setup", "(CUI) b. Crew roster", "c. Friday teardown", "(U) Closing.",
            *B.DOD_DI]
    f = B.only(B.findings(B.docx(tmp_path / "a.docx", body), "dod"), "PORTION-004")
    assert f.severity == Severity.WARNING and f.evidence == "(U)"
    same = ["(CUI) Results:", "a. first", "b. second", "(U) Closing.", *B.DOD_DI]
    assert not [r for r in B.ids(B.docx(tmp_path / "b.docx", same), "dod") if r.startswith("PORTION")]


def test_005_over_marking(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(U) Schedule.", *B.DOD_DI])
    f = B.only(B.findings(path, "dod"), "PORTION-005")
    assert f.severity == Severity.ERROR and f.location.zone == Zone.HEADER and f.evidence == "CUI"


def test_005_nara_ldc_missing_and_extra_category(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI//SP-CTI/SP-EXPT", ["(U) Intro.", "(CUI//SP-CTI//NF) Results.",
                                                               *B.NARA_DI], None)])
    fs = {f.severity.value: f.message for f in B.findings(path, "nara") if f.rule_id == "PORTION-005"}
    assert set(fs) == {"error", "warning"}
    assert "omits LDCs used in portion marks: NOFORN" in fs["error"] and "lists SP-EXPT" in fs["warning"]


def test_007_dod_di_not_portion_marked(tmp_path):
    di = ["(U) " + l for l in B.DOD_DI]
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI) Roster.", *di])
    f = B.only(B.findings(path, "dod"), "PORTION-007")
    assert f.severity == Severity.INFO
    assert "PORTION-003" not in B.ids(path, "dod") and "PORTION-007" not in B.ids(path, "nara")
