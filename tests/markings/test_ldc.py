"""LDC-001..007 on real files."""
from __future__ import annotations

import pytest

import mk_builders as B
from cuiscan.records import Severity, Zone


@pytest.mark.parametrize("banner,rule,severity", [
    ("CUI//NF", "LDC-001", "error"), ("CUI//FED-ONLY", "LDC-001", "error"),
    ("CUI//NOFORN/REL TO USA, GBR", "LDC-002", "error"), ("CUI//FED ONLY/NOCON", "LDC-002", "warning"),
    ("CUI//REL TO GBR, USA", "LDC-003", "error"), ("CUI//REL TO USA, GBR, AUS", "LDC-003", "warning"),
    ("CUI//SP-PRVCY//Attorney-WP", "LDC-005", "error"), ("CUI//SP-INTEL//RELIDO", "LDC-006", "info"),
])
def test_banner_ldcs_nara(tmp_path, banner, rule, severity):
    path = B.pdf(tmp_path / "a.pdf", [(banner, ["Results.", *B.NARA_DI], None)])
    f = B.only(B.findings(path, "nara"), rule)
    assert (f.severity.value, f.location.page, f.location.zone, f.evidence) == (severity, 1, Zone.HEADER, banner)
    assert rule not in B.ids(path, "dod")   # DoD: the banner gets BANNER-011, LDCs belong on the DI


@pytest.mark.parametrize("banner", ["CUI//NOFORN", "CUI//PRIVILEGE//Attorney-Client", "CUI//REL TO USA, AUS, CAN, GBR",
                                    "CUI//SP-EXPT//FEDCON", "CUI//DISPLAY ONLY USA, DEU"])
def test_compliant_ldcs(tmp_path, banner):
    path = B.pdf(tmp_path / "a.pdf", [(banner, ["Results.", *B.NARA_DI], None)])
    assert B.above_info(B.findings(path, "nara")) == []


def test_portion_ldcs_both_profiles(tmp_path):
    path = B.docx(tmp_path / "a.docx", ["(U) Intro.", "(CUI//NOFORN/REL TO USA, GBR) Results.", *B.DOD_DI])
    for profile in ("dod", "nara"):
        fs = B.findings(path, profile)
        conflict = B.only(fs, "LDC-002")
        assert conflict.location.zone == Zone.BODY and conflict.evidence == "(CUI//NOFORN/REL TO USA, GBR)"
        assert any(f.rule_id == "LDC-001" and f.severity == Severity.WARNING for f in fs)   # NOFORN in a portion


def test_004_dl_only_needs_a_list(tmp_path):
    bad = B.txt(tmp_path / "a.txt", ["CUI//DL ONLY", "", "Results.", "", *B.NARA_DI])
    f = B.only(B.findings(bad, "nara"), "LDC-004")
    assert f.severity == Severity.WARNING and f.location.line == 1
    good = B.txt(tmp_path / "b.txt", ["CUI//DL ONLY", "", "Results.", "", *B.NARA_DI, "", "Dissemination List",
                                      "J. Doe, DGW"])
    assert "LDC-004" not in B.ids(good, "nara")


def test_007_dod_di_with_statement_and_ldc(tmp_path):
    di = [l for l in B.DOD_DI if not l.startswith("Distribution")] + ["Distribution Statement: C", "LDC: NOFORN"]
    path = B.pdf(tmp_path / "a.pdf", [("CUI", ["(CUI) Results.", *di], "CUI")])
    f = B.only(B.findings(path, "dod"), "LDC-007")
    assert f.severity == Severity.ERROR and f.location.page == 1 and f.evidence == "LDC: NOFORN"
    assert "LDC-007" not in B.ids(path, "nara")


def test_dod_di_dissemination_line_is_checked(tmp_path):
    di = [l for l in B.DOD_DI if not l.startswith("Distribution")] + ["Distribution/Dissemination Control: FED ONLY, FEDCON"]
    path = B.docx(tmp_path / "a.docx", ["(CUI) Results.", *di])
    f = B.only(B.findings(path, "dod"), "LDC-002")
    assert f.location.zone == Zone.BODY and "FED ONLY" in f.evidence
