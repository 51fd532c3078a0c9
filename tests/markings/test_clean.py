"""No noise: correctly marked documents (both profiles, every format) and text ABOUT CUI give no findings."""
from __future__ import annotations

import pytest

import mk_builders as B

DOD_BODY = ["(U) Background of the program.", "(CUI) Personnel records of the test crew.", *B.DOD_DI]
NARA_BODY = ["(U) Background.", "(CUI//SP-CTI//NF) Engine results.", *B.NARA_DI]


def _dod_files(tmp):
    return {
        "docx": B.docx(tmp / "d.docx", DOD_BODY),
        "docx-first-page": B.docx(tmp / "f.docx", DOD_BODY, first_header="CUI", first_footer="CUI"),
        "pdf": B.pdf(tmp / "d.pdf", [("CUI", DOD_BODY, "CUI"), ("CUI", ["(U) Page two.", "(CUI) More."], "CUI")]),
        "txt": B.txt(tmp / "d.txt", ["CUI", "", *[x for b in DOD_BODY for x in (b, "")], "CUI"]),
        "pptx": B.pptx(tmp / "d.pptx", [("CUI", ["(U) Program review", *B.DOD_DI], "CUI"),
                                       ("CUI", ["(CUI) Crew roster"], "CUI")]),
        "xlsx": B.xlsx(tmp / "d.xlsx", [("Data", "CUI", "CUI", [["Part", "Value"]] + [[x] for x in B.DOD_DI])]),
        "eml": B.eml(tmp / "d.eml", "CUI\n\nHello, the roster is below.\n\n" + "\n".join(B.DOD_DI) + "\n\nCUI\n",
                     subject="CUI - roster"),
    }


def _nara_files(tmp):
    return {
        "docx": B.docx(tmp / "n.docx", NARA_BODY, header="CUI//SP-CTI//NOFORN", footer=None),
        "pdf": B.pdf(tmp / "n.pdf", [("CUI//SP-CTI//NOFORN", NARA_BODY, None),
                                     ("CUI//SP-CTI//NOFORN", ["(U) More."], "CUI//SP-CTI//NOFORN")]),
        "txt": B.txt(tmp / "n.txt", ["CUI//SP-CTI//NOFORN", "", *[x for b in NARA_BODY for x in (b, "")]]),
        "basic-only": B.docx(tmp / "b.docx", ["Privacy roster of the staff.", *B.NARA_DI], header="CUI", footer=None),
    }


@pytest.mark.parametrize("fmt", ["docx", "docx-first-page", "pdf", "txt", "pptx", "xlsx", "eml"])
def test_correct_dod_document_has_no_findings_above_info(tmp_path, fmt):
    path = _dod_files(tmp_path)[fmt]
    assert B.above_info(B.findings(path, "dod")) == []


@pytest.mark.parametrize("fmt", ["docx", "pdf", "txt", "basic-only"])
def test_correct_nara_document_has_no_findings_above_info(tmp_path, fmt):
    path = _nara_files(tmp_path)[fmt]
    assert B.above_info(B.findings(path, "nara")) == []


@pytest.mark.parametrize("profile", ["dod", "nara"])
def test_text_about_cui_is_not_a_marking(tmp_path, profile):
    memo = B.docx(tmp_path / "memo.docx", [
        "Policy on CUI handling",
        "All staff must mark CUI correctly. FOUO markings are no longer used; SECRET and NOFORN apply only "
        "to classified information.",
        "Controlled Unclassified Information (CUI) is information the government creates or possesses.",
        "Use the banner CUI//SP-CTI at the top of each page and write portion marks such as (CUI) first.",
        "CUI - a short history",
        "(a) first duty of the reader",
        "(C) 2024 Acme Corporation",
    ], header="Training Division", footer="Page 1")
    result = B.run(memo, profile)[0]
    assert result.findings == ()
    assert not result.is_marked and result.banner is None


def test_unmarked_document_gets_no_marking_findings(tmp_path):
    plain = B.pdf(tmp_path / "p.pdf", [(None, ["Quarterly picnic schedule.", "Bring food."], None)])
    assert B.findings(plain, "dod") == [] and B.findings(plain, "nara") == []
