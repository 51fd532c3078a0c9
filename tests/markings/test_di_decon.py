"""DI-001..005 and DECON-001..003 on real files."""
from __future__ import annotations

import pytest

import mk_builders as B
from cuiscan.records import Severity, Zone


def test_di_001_nara_no_agency(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Results of the tests.", "POC: J. Doe, 202-555-0100"], header="CUI",
                  footer=None)
    f = B.only(B.findings(path, "nara"), "DI-001")
    assert f.severity == Severity.ERROR and f.location.zone == Zone.BODY


def test_di_001_nara_controlled_by_only_on_last_page(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["Results."], None), ("CUI", ["More."], None),
                                      ("CUI", ["End.", *B.NARA_DI], None)])
    f = B.only(B.findings(path, "nara"), "DI-001")
    assert f.location.page == 3


def test_di_001_letterhead_is_enough(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["DEPARTMENT OF GOOD WORKS", "Results.", "POC: J. Doe, 202-555-0100"],
                  header="CUI", footer=None)
    assert B.above_info(B.findings(path, "nara")) == []


def test_di_002_no_contact(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Results.", "Controlled by: Department of Good Works"], header="CUI",
                  footer=None)
    f = B.only(B.findings(path, "nara"), "DI-002")
    assert f.severity == Severity.WARNING


def test_di_003_missing_block_and_lines(tmp_path):
    none = B.docx(tmp_path / "a.docx", ["(CUI) Roster."])
    assert B.only(B.findings(none, "dod"), "DI-003").severity == Severity.ERROR
    partial = B.pdf(tmp_path / "b.pdf", [("CUI", ["(CUI) Roster.", "Controlled by: AFRL/RQ",
                                                  "POC: Program Office Team"], "CUI")])
    fs = [f for f in B.findings(partial, "dod") if f.rule_id == "DI-003"]
    assert sorted((f.severity.value, f.location.page) for f in fs) == [("error", 1), ("warning", 1)]
    assert any("CUI Category:" in f.message for f in fs) and any("Program Office Team" in f.message for f in fs)


def test_di_003_block_on_later_page(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["(CUI) Roster."], "CUI"), ("CUI", ["More.", *B.DOD_DI], "CUI")])
    f = B.only(B.findings(path, "dod"), "DI-003")
    assert (f.severity, f.location.page) == (Severity.WARNING, 2)


def test_di_003_in_first_page_footer_of_docx(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI) Roster."], first_header="CUI",
                  first_footer="\n".join(B.DOD_DI + ["CUI"]))
    assert B.above_info(B.findings(path, "dod")) == []


def test_di_004_categories(tmp_path):
    di = [l if not l.startswith("CUI Category") else "CUI Category: PII, FOUO" for l in B.DOD_DI]
    f = B.only(B.findings(B.docx(tmp_path / "a.docx", ["(CUI) Roster.", *di]), "dod"), "DI-004")
    assert "PII, FOUO" in f.message and f.severity == Severity.ERROR
    ok = [l if not l.startswith("CUI Category") else "CUI Category: Controlled Technical Information, PRVCY"
          for l in B.DOD_DI]
    assert "DI-004" not in B.ids(B.docx(tmp_path / "b.docx", ["(CUI) Roster.", *ok]), "dod")


def test_di_005_portion_categories_missing_from_di(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI//SP-CTI) Drawings.", *B.DOD_DI])
    f = B.only(B.findings(path, "dod"), "DI-005")
    assert f.severity == Severity.WARNING and f.categories == ("CTI",)


@pytest.mark.parametrize("value,rule,severity", [
    ("20240101", "DECON-002", "info"), ("when no longer sensitive", "DECON-001", "warning"),
    ("2030/13/45", "DECON-001", "warning"), ("contract award announcement", "DECON-001", "warning"),
])
def test_decon_indicator(tmp_path, value, rule, severity):
    di = [l for l in B.NARA_DI if not l.startswith("POC")] + [f"Decontrol On: {value}"]
    path = B.docx(tmp_path / "a.docx", ["Results.", *di], header="CUI", footer=None)
    f = B.only(B.findings(path, "nara"), rule)
    assert f.severity.value == severity and f.evidence == f"Decontrol On: {value}"
    assert B.run(path, "nara")[0].decontrolled == (rule == "DECON-002")


@pytest.mark.parametrize("value", ["20300101", "1 Jan 2030", "contract award announcement; POC J. Doe, 202-555-0100"])
def test_decon_compliant(tmp_path, value):
    path = B.docx(tmp_path / "a.docx", ["Results.", *B.NARA_DI, f"Decontrol On: {value}"], header="CUI", footer=None)
    assert not [r for r in B.ids(path, "nara") if r.startswith("DECON")]


def test_decon_003_struck_banner(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Results.", *B.NARA_DI], header="CUI", footer=None, struck_header=True)
    f = B.only(B.findings(path, "nara"), "DECON-003")
    assert f.severity == Severity.INFO and f.location.zone == Zone.HEADER
    assert B.run(path, "nara")[0].decontrolled


def test_decon_003_decontrolled_only_on_later_page(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["Results.", *B.NARA_DI], None),
                                      ("DECONTROLLED", ["More."], None)])
    f = B.only(B.findings(path, "nara"), "DECON-003")
    assert (f.severity, f.location.page) == (Severity.WARNING, 2)
