"""SUPP-001..002 on real files."""
from __future__ import annotations

from realdocs import NARA_DI, docx, of, pdf, txt

from cuiscan.records import Severity, Zone


def test_supplemental_marking_inside_portion_mark(tmp_path):
    path = pdf(tmp_path, "p.pdf", [{"header": "CUI//SP-CTI", "footer": "CUI//SP-CTI",
                                    "lines": ["(U) Coating trial summary.",
                                              "(CUI//SP-CTI//PREDECISIONAL) Coating B is preferred.",
                                              "(U) Next trial in May."], "bottom_lines": NARA_DI}])
    [f] = of(path, "SUPP", "nara")
    assert (f.rule_id, f.severity, f.location.page, f.location.zone) == ("SUPP-001", Severity.ERROR, 1, Zone.BODY)
    assert f.evidence == "(CUI//SP-CTI//PREDECISIONAL)" and "PREDECISIONAL" in f.message


def test_supplemental_inside_banner_is_reported_once_as_banner_013(tmp_path):
    path = txt(tmp_path, "t.txt", ["CUI//DRAFT", "Department of Good Works", "Talking points."] + NARA_DI)
    assert of(path, "SUPP", "nara") == []
    assert [f.rule_id for f in of(path, "BANNER-013", "nara")] == ["BANNER-013"]


def test_separate_draft_marking_is_allowed(tmp_path):
    path = docx(tmp_path, "d.docx", ["DRAFT", "Department of Good Works", "Award list for Region 4."] + NARA_DI,
                header="CUI//SP-PRVCY", footer="DRAFT")
    assert of(path, "SUPP", "nara") == []


def test_draft_with_designation_but_no_banner(tmp_path):
    path = docx(tmp_path, "w.docx", ["WORKING PAPER", "Region 4 applicant bank details, draft analysis."] + NARA_DI)
    [f] = of(path, "SUPP", "nara")
    assert (f.rule_id, f.severity, f.evidence) == ("SUPP-002", Severity.ERROR, "WORKING PAPER")


def test_draft_with_portions_but_no_banner_is_reported_once(tmp_path):
    """BANNER-001 already reports the missing banner: SUPP-002 does not repeat it."""
    path = docx(tmp_path, "w.docx", ["DRAFT", "(U) Summary.", "(CUI) Applicant bank details."] + NARA_DI)
    rules = sorted(f.rule_id for f in of(path, ("SUPP", "BANNER-001"), "nara"))
    assert rules == ["BANNER-001"]


def test_draft_without_any_cui_element_is_not_supp(tmp_path):
    path = docx(tmp_path, "w.docx", ["DRAFT", "Picnic planning for June."])
    assert of(path, "SUPP") == []
