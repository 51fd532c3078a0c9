"""BANNER-001..014 on real files: rule ID, severity and exact location."""
from __future__ import annotations

import pytest

import mk_builders as B
from cuiscan.records import Severity, Zone

DI = B.DOD_DI


def test_001_portions_but_no_banner(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI) Roster.", *DI], header=None, footer=None)
    for profile in ("dod", "nara"):
        f = B.only(B.findings(path, profile), "BANNER-001")
        assert f.severity == Severity.ERROR and f.location.zone == Zone.BODY and f.evidence == "(CUI)"
        assert "BANNER-010" not in B.ids(path, profile)   # reported once, as "no banner"


@pytest.mark.parametrize("banner", ["SENSITIVE//PRIVACY", "CUI-PRIVACY"])
def test_001_wrong_control_word_in_header(tmp_path, banner):
    path = B.pdf(tmp_path / "a.pdf", [(banner, ["(CUI) Roster.", *DI], "CUI")])
    f = B.only(B.findings(path, "nara"), "BANNER-001")
    assert f.location.page == 1 and f.location.zone == Zone.HEADER and f.evidence == banner


def test_001_controlled_is_nara_only(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CONTROLLED", ["(CUI) Roster.", *DI], "CONTROLLED")])
    assert "BANNER-001" not in B.ids(path, "nara")
    assert B.only(B.findings(path, "dod"), "BANNER-001").severity == Severity.ERROR


@pytest.mark.parametrize("banner,severity", [("UNCLASSIFIED//CUI", "error"), ("U//CUI", "error"),
                                             ("CUI//FOUO", "error"),
                                             ("CONTROLLED UNCLASSIFIED INFORMATION", "warning")])
def test_002_substitute_words(tmp_path, banner, severity):
    path = B.docx(tmp_path / "a.docx", ["(CUI) Roster.", *DI], header=banner, footer=banner)
    f = B.only(B.findings(path, "dod"), "BANNER-002")
    assert f.severity.value == severity and f.location.zone == Zone.HEADER and f.location.section == 1
    assert f.evidence == banner   # reported once for header and footer


@pytest.mark.parametrize("banner,severity", [("CUI/SP-CTI", "error"), ("CUI//SP-CTI//SP-EXPT", "error"),
                                             ("CUI // SP-CTI", "warning"), ("CUI//sp-cti", "warning")])
def test_003_grammar_nara_only(tmp_path, banner, severity):
    path = B.pdf(tmp_path / "a.pdf", [(banner, ["Engine results.", *B.NARA_DI], None)])
    f = B.only(B.findings(path, "nara"), "BANNER-003")
    assert f.severity.value == severity and f.location.page == 1 and f.location.zone == Zone.HEADER
    assert "BANNER-003" not in B.ids(path, "dod")


@pytest.mark.parametrize("banner", ["CUI//CTI", "CUI//SP-MIL", "CUI//PII"])
def test_004_registry_categories(tmp_path, banner):
    path = B.txt(tmp_path / "a.txt", [banner, "", "Results.", "", *B.NARA_DI])
    f = B.only(B.findings(path, "nara"), "BANNER-004")
    assert f.severity == Severity.ERROR and f.location.line == 1


@pytest.mark.parametrize("banner", ["CUI//SP-CTI", "CUI//SSEL", "CUI//SP-SSEL", "CUI//SP-CTI/SP-EXPT/PROPIN/PRVCY"])
def test_004_006_compliant(tmp_path, banner):
    path = B.txt(tmp_path / "a.txt", [banner, "", "Results.", "", *B.NARA_DI])
    assert B.above_info(B.findings(path, "nara")) == []


def test_005_specified_category_missing(tmp_path):
    body = ["(U) Intro.", "(CUI//SP-CTI) Drawings.", "(CUI//SP-EXPT) Export data.", *B.NARA_DI]
    bad = B.pdf(tmp_path / "a.pdf", [("CUI//SP-CTI", body, None)])
    f = B.only(B.findings(bad, "nara"), "BANNER-005")
    assert f.severity == Severity.ERROR and f.location.page == 1 and f.location.zone == Zone.HEADER
    assert "CUI//SP-CTI/SP-EXPT" in f.message and f.categories == ("EXPT",)
    good = B.pdf(tmp_path / "b.pdf", [("CUI//SP-CTI/SP-EXPT", body, None)])
    assert "BANNER-005" not in B.ids(good, "nara")


def test_006_collation_is_upper_case_ascii(tmp_path):
    # the rule book's implementation note (ASCII order) puts PROPIN before PRVCY, although its compliant
    # example lists PRVCY/PROPIN; cuiscan follows the note
    path = B.txt(tmp_path / "a.txt", ["CUI//SP-CTI/PRVCY/PROPIN", "", "Results.", "", *B.NARA_DI])
    assert "SP-CTI/PROPIN/PRVCY" in B.only(B.findings(path, "nara"), "BANNER-006").message


def test_006_order(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Results.", *B.NARA_DI], header="CUI//PRVCY/SP-CTI", footer=None)
    f = B.only(B.findings(path, "nara"), "BANNER-006")
    assert f.severity == Severity.WARNING and "SP-CTI/PRVCY" in f.message


def test_007_basic_categories_only_with_policy_flag(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI//PRVCY) Roster.", *B.NARA_DI], header="CUI",
                  footer=None)
    assert "BANNER-007" not in B.ids(path, "nara")
    f = B.only(B.findings(path, "nara", agency_requires_basic_categories=True), "BANNER-007")
    assert f.severity == Severity.INFO and "CUI//PRVCY" in f.message


@pytest.mark.parametrize("banner,severity", [("CUI//SP-CTI//ORCON", "error"), ("CUI//NOCON/DL ONLY", "warning")])
def test_008_ldc_block(tmp_path, banner, severity):
    path = B.txt(tmp_path / "a.txt", [banner, "", "Results. Dissemination List: A, B", "", *B.NARA_DI])
    assert B.only(B.findings(path, "nara"), "BANNER-008").severity.value == severity


def test_009_banner_differs_between_pages(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI//SP-CTI", ["Intro.", *B.NARA_DI], None), ("CUI//SP-CTI", ["x"], None),
                                      ("CUI//SP-CTI//NOFORN", ["Results."], None)])
    f = B.only(B.findings(path, "nara"), "BANNER-009")
    assert f.location.page == 3 and f.severity == Severity.ERROR and f.evidence == "CUI//SP-CTI//NOFORN"


def test_010_dod_missing_footer_on_one_page(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["(CUI) Roster.", *DI], "CUI"), ("CUI", ["More text."], None),
                                      ("CUI", ["End."], "CUI")])
    f = B.only(B.findings(path, "dod"), "BANNER-010")
    assert (f.location.page, f.location.zone, f.severity) == (2, Zone.FOOTER, Severity.ERROR)
    assert "BANNER-010" not in B.ids(path, "nara")   # bottom banner optional under NARA


def test_010_docx_header_without_footer(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(CUI) Roster.", *DI], header="CUI", footer=None)
    f = B.only(B.findings(path, "dod"), "BANNER-010")
    assert (f.location.section, f.location.zone) == (1, Zone.FOOTER)


def test_010_docx_second_section_without_header(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(CUI) Roster.", *DI], sections=[(None, "CUI")])
    f = B.only(B.findings(path, "dod"), "BANNER-010")
    assert (f.location.section, f.location.zone) == (2, Zone.HEADER)


def test_010_banner_only_in_body(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [(None, ["Intro text here.", *DI], None), (None, ["More text."], None),
                                      (None, ["Results follow.", "CUI", "Closing words."], None)])
    fs = [f for f in B.findings(path, "nara") if f.rule_id == "BANNER-010"]
    assert len(fs) == 1 and "page 3" in fs[0].message and fs[0].location.zone == Zone.HEADER


def test_011_dod_banner_carries_only_cui(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI//SP-CTI", ["(CUI) Roster.", *DI], "CUI//SP-CTI"),
                                      ("CUI//SP-CTI", ["x"], "CUI//SP-CTI")])
    f = B.only(B.findings(path, "dod"), "BANNER-011")
    assert (f.severity, f.location.page, f.location.zone) == (Severity.WARNING, 1, Zone.HEADER)
    assert "same banner in 3 more places" in f.message


def test_012_unclassified_pages(tmp_path):
    ok = B.pdf(tmp_path / "a.pdf", [("CUI", ["(CUI) Roster.", *DI], "CUI"),
                                    ("UNCLASSIFIED", ["(U) Schedule only."], "UNCLASSIFIED")])
    assert B.above_info(B.findings(ok, "dod")) == []
    bad = B.pdf(tmp_path / "b.pdf", [("CUI", ["(CUI) Roster.", *DI], "CUI"),
                                     ("UNCLASSIFIED", ["(CUI) More roster."], "UNCLASSIFIED")])
    fs = [f for f in B.findings(bad, "dod") if f.rule_id == "BANNER-012"]
    assert [(f.location.page, f.location.zone) for f in fs] == [(2, Zone.HEADER), (2, Zone.FOOTER)]
    assert "BANNER-009" in B.ids(bad, "nara")   # NARA: banner must be identical


@pytest.mark.parametrize("banner", ["CUI//SP-CTI//DIST-D", "CUI//DRAFT", "CUI//ITAR"])
def test_013_statements_out_of_banner(tmp_path, banner):
    path = B.txt(tmp_path / "a.txt", [banner, "", "Results.", "", *B.NARA_DI])
    for profile in ("dod", "nara"):
        assert B.only(B.findings(path, profile), "BANNER-013").severity == Severity.ERROR


def test_014_may_contain_cui_disclaimer(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["Roster."], header="Office memo", footer="This document may contain CUI")
    f = B.only(B.findings(path, "dod"), "BANNER-014")
    assert f.location.zone == Zone.FOOTER and f.severity == Severity.WARNING
    assert "BANNER-014" not in B.ids(path, "nara")
    quoted = B.docx(tmp_path / "b.docx", ['Never write "this document may contain CUI" on a memo.'], header=None,
                    footer=None)
    assert B.findings(quoted, "dod") == []


def test_result_facts(tmp_path):
    path = B.pdf(tmp_path / "a.pdf", [("CUI//SP-CTI", ["(CUI//SP-CTI) Drawings.", *B.NARA_DI], None)])
    r = B.run(path, "nara")[0]
    assert r.banner == "CUI//SP-CTI" and r.categories == ("CTI",) and r.is_marked
    assert r.originator == "Department of Good Works" and not r.is_classified and not r.decontrolled
