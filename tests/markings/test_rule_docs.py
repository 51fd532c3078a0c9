"""Every rule ID the marking checks emit is documented, at a severity no higher than its documentation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import mk_builders as B
from cuiscan.markings import grammar
from cuiscan.records import Severity
from cuiscan.rulebook import load_rulebook

OWN = ("checks/banner", "checks/ldc", "checks/portion", "checks/di", "checks/decon", "grammar", "ldcrules",
       "placement")
PKG = Path(grammar.__file__).parent


def test_rule_files_define_the_rule_book_ids():
    book = load_rulebook()
    expected = [f"BANNER-{i:03d}" for i in range(1, 15)] + [f"LDC-{i:03d}" for i in range(1, 9)] + \
        [f"PORTION-{i:03d}" for i in range(1, 8)] + [f"DI-{i:03d}" for i in range(1, 6)] + \
        [f"DECON-{i:03d}" for i in range(1, 5)] + ["DETECT-001", "DERIV-001", "BOUNDARY-001", "SCAN-001"]
    assert [i for i in expected if i not in book] == []
    assert {book[i].family_file for i in expected if i.startswith("BANNER")} == {"banner.yaml"}


@pytest.mark.parametrize("module", OWN)
def test_rule_ids_in_code_are_documented(module):
    book = load_rulebook()
    ids = set(re.findall(r"\b(?:BANNER|LDC|PORTION|DI|DECON)-\d{3}\b", (PKG / f"{module}.py").read_text()))
    assert ids and ids <= set(book), ids - set(book)


def test_grammar_table_severities_within_documented_default():
    book = load_rulebook()
    for code, (b_rule, b_sev, p_rule, p_sev, _) in grammar._TABLE.items():
        for rule, sev in ((b_rule, b_sev), (p_rule, p_sev)):
            if rule:
                assert Severity(sev).rank <= book[rule].severity.rank, (code, rule)


def test_emitted_findings_match_documentation(tmp_path):
    book = load_rulebook()
    files = [
        B.pdf(tmp_path / "a.pdf", [("UNCLASSIFIED//CUI", ["(CUI//NOFORN) x", "Controlled by: AFRL", "POC: Team"], None),
                                   ("CUI//SP-CTI//DIST-D", ["y (CUI)", "Decontrol On: soon"], "DECONTROLLED")]),
        B.docx(tmp_path / "b.docx", ["(U) a:", "b. x", "(CUI) c. y", "z", "CUI Category: PII",
                                     "Decontrol On: 20200101"], header="CUI//PRVCY/SP-CTI//NOCON/DL ONLY",
               footer=None, struck_header=True),
        B.txt(tmp_path / "c.txt", ["CUI//REL TO GBR, USA/RELIDO", "", "(U) a", "", "(U) b", "",
                                   "This document may contain CUI"]),
    ]
    seen = set()
    for path in files:
        for profile in ("dod", "nara"):
            for f in B.findings(path, profile):
                doc = book[f.rule_id]
                assert f.severity.rank <= doc.severity.rank, (f.rule_id, f.severity)
                assert doc.profile in ("both", profile), (f.rule_id, profile)
                assert f.confidence == 1.0 and f.message
                seen.add(f.rule_id)
    assert len(seen) >= 15
