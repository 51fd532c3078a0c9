"""A mistyped --db never starts a new, empty inventory for commands that only read one."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cuiscan.cli import app


@pytest.mark.parametrize("args", [
    ["report"], ["report", "--list"], ["inventory"], ["diff", "latest~1", "latest"],
    ["suppress", "ab" * 16, "--reason", "reviewed"], ["suppressions"], ["reference", "list"],
    ["reference", "remove", "/x/spec.pdf"],
])
def test_reading_commands_refuse_a_missing_inventory(tmp_path, args):
    db = tmp_path / "typo.sqlite"
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert result.output.strip() == f"cuiscan: no inventory at {db}; run a scan first"
    assert not db.exists()


def test_scan_creates_the_inventory_and_says_so_once(tmp_path):
    (tmp_path / "a.txt").write_text("hello\n")
    db = tmp_path / "new.sqlite"
    first = CliRunner().invoke(app, ["scan", "-q", "--db", str(db), str(tmp_path / "a.txt")])
    assert first.exit_code == 0 and f"created a new inventory at {db}" in first.output and db.exists()
    again = CliRunner().invoke(app, ["scan", "-q", "--db", str(db), str(tmp_path / "a.txt")])
    assert again.exit_code == 0 and "created" not in again.output
    assert CliRunner().invoke(app, ["report", "--db", str(db), "-f", "json"]).exit_code == 0
