"""Terminal and CSV output read as intended: labelled findings, whole folder names, true/false in
CSV, no Python lists and no text eaten as markup."""
from __future__ import annotations

import csv
import io
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cuiscan.reporting.inventory_report as inventory_report
from cuiscan.cli import app
from cuiscan.inventory.rollups import inventory_rollup
from cuiscan.inventory.store import Inventory
from cuiscan.records import Assessment
from cuiscan.reporting import render

from inv_builders import result, store_scan
from report_helpers import ZONES


def _table(inv, scan_id) -> str:
    out = io.StringIO()
    render("table", inv, scan_id, out)
    return out.getvalue()


def test_findings_have_a_header_and_labelled_evidence_and_fingerprint(stored):
    inv, scan_id, files = stored
    text = _table(inv, scan_id)
    assert re.search(r"^\s+severity\s+rule\s+where: message$", text, re.M)
    spill = next(f for r in files for f in r.findings if f.rule_id == "SPILL-001")
    line = next(l for l in text.splitlines() if spill.fingerprint in l)
    assert f"evidence: {spill.evidence}" in line and f"fingerprint: {spill.fingerprint}" in line
    head = text.splitlines()[text.splitlines().index(line) - 1]
    assert "SPILL-001" in head and spill.fingerprint not in head      # not run together on one line


@pytest.mark.parametrize("width", [100, 120])
def test_inventory_table_never_cuts_the_folder(tmp_path, monkeypatch, width):
    root = "/srv/departments/engineering/programs"
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        store_scan(inv, [result(f"{root}/{name}/a.docx", root=root, assessment=Assessment.MARKED_CUI)
                         for name in ("dod", "nara", "not-cui")], roots=(root,))
        rows = inventory_rollup(inv, (), set())
    finally:
        inv.close()
    # A terminal of this width (make_console widens only files and pipes).
    monkeypatch.setattr(inventory_report, "make_console",
                        lambda out, min_width=0: Console(file=out, width=width, soft_wrap=True))
    out = io.StringIO()
    inventory_report.render_inventory("table", rows, out, "now")
    text = out.getvalue()
    cells = [line.split("│")[3].strip() for line in text.splitlines() if line.startswith("│")]
    assert {"dod", "nara", "not-cui"} <= set(cells), text
    assert f"folders below {root}" in text
    assert "…" not in "".join(cells)


def test_inventory_csv_writes_allows_cui_as_true_false(tmp_path, stored):
    inv, _, _ = stored
    out = io.StringIO()
    inventory_report.render_inventory("csv", inventory_rollup(inv, ZONES, set()), out, "now")
    values = {row["allows_cui"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert values == {"true", "false"}
    out = io.StringIO()
    inventory_report.render_inventory("csv", inventory_rollup(inv, (), set()), out, "now")
    assert {row["allows_cui"] for row in csv.DictReader(io.StringIO(out.getvalue()))} == {""}


def test_rules_show_lists_references_as_text():
    text = CliRunner().invoke(app, ["rules", "show", "CTI-003"]).stdout
    assert "references: DoDI 5230.24" in text
    assert "['" not in text


def test_inspect_prints_rule_names_in_brackets(tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("Technical data on the missile seeker test results follows.\n"
                   "Distribution authorized to the Department of Defense and U.S. DoD contractors only; "
                   "Critical Technology; 4 Apr 2024.\n")
    text = " ".join(CliRunner().invoke(app, ["inspect", str(doc), "--fail-on", "never"]).stdout.split())
    assert "CTI-003 [distribution statement D] at" in text
    assert "CTI-003  at" not in text
