"""Every rule the part-2 check modules report is documented in rules/markings/*.yaml, with the
severity it is reported at (the rule book's, or a lower one named in severity_note), and partial/none
rules say why."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cuiscan.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parents[2]
MODULES = {"legacy": "legacy.yaml", "supp": "supp.yaml", "email_rules": "email.yaml", "formats": "formats.yaml",
           "classified": "classified.yaml", "dist": "dist.yaml", "export": "export.yaml"}


def reported(source: str) -> list[tuple[str, str | None]]:
    """(rule ID, lowered severity or None) of every finding("ID", ...) call; SLIDE/SHEET IDs of the
    formats table. The severity itself comes from the rule book: a call may only lower it."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "finding" and node.args \
                and isinstance(node.args[0], ast.Constant):
            lowered = next((kw.value.attr.lower() for kw in node.keywords if kw.arg == "severity"
                            and isinstance(kw.value, ast.Attribute)), None)
            calls.append((node.args[0].value, lowered))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                re.fullmatch(r"(?:SLIDE|SHEET)-\d{3}", node.value):
            calls.append((node.value, None))
    return calls


@pytest.mark.parametrize("module", sorted(MODULES))
def test_reported_rules_are_documented_with_their_severity(module):
    book = load_rulebook()
    source = (ROOT / "cuiscan" / "markings" / "checks" / f"{module}.py").read_text()
    calls = reported(source)
    assert calls, f"{module}.py reports no rule"
    for rule_id, lowered in calls:
        doc = book[rule_id]
        assert doc.family_file == MODULES[module], (rule_id, doc.family_file)
        assert lowered is None or lowered in doc.severity_note, (rule_id, lowered)


def test_part2_yaml_files_document_every_rule_of_their_sections():
    book = load_rulebook()
    expected = {"LEGACY-001", "LEGACY-002", "LEGACY-003", "LEGACY-004", "SUPP-001", "SUPP-002", "SUPP-003",
                "EMAIL-001", "EMAIL-002", "EMAIL-003", "EMAIL-004", "EMAIL-005", "EMAIL-006", "XMIT-001",
                "SLIDE-001", "SHEET-001", "COVER-001", "COVER-002", "CNSI-001", "CNSI-002", "CNSI-003",
                "SPILL-001", "DIST-001", "DIST-002", "DIST-003", "DIST-004", "DIST-005", "EXPORT-001",
                "EXPORT-002", "EXPORT-003"}
    assert expected <= set(book)
    for rule_id in expected:
        doc = book[rule_id]
        assert doc.family_file in MODULES.values()
        assert doc.compliant and doc.non_compliant and doc.fix and doc.source
        if doc.checkable != "full":
            assert len(doc.check_note) > 40, rule_id
