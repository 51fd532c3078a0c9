"""One error style through the real console script: `cuiscan: ...` on one line, the contract's exit codes."""
from __future__ import annotations

import subprocess
import sys

import pytest

from cuiscan.inventory.store import Inventory


def cuiscan(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cuiscan", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


@pytest.mark.parametrize("args,needle", [
    (["diff"], "Missing argument 'OLD'"),
    (["scna"], "No such command 'scna'"),
    (["scan", "--jobs", "many", "x"], "--jobs"),
    (["report", "--bogus"], "--bogus"),
])
def test_usage_errors_are_one_line_exit_2(args, needle):
    proc = cuiscan(*args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("cuiscan: ") and needle in proc.stderr
    assert "╭" not in proc.stderr and "Traceback" not in proc.stderr


def test_inventory_without_the_scans_asked_for_exits_3_for_report_and_diff_alike(tmp_path):
    db = tmp_path / "inv.sqlite"
    Inventory.open(str(db)).close()
    for args in (["report"], ["diff", "latest~1"]):
        proc = cuiscan(*args, "--db", db)
        assert proc.returncode == 3 and proc.stderr.startswith("cuiscan: ") and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("command", [["scan"], ["report"], ["diff"], ["watch"], ["reference", "add"], ["inspect"]])
def test_help_shows_no_internal_type_tags(command):
    proc = cuiscan(*command, "--help")
    assert proc.returncode == 0
    assert "<bool>" not in proc.stdout and "<list[" not in proc.stdout and "<str>" not in proc.stdout
    assert "<path>" not in proc.stdout and "<int>" not in proc.stdout


def test_no_arguments_prints_help_and_exits_0():
    proc = cuiscan()
    assert proc.returncode == 0 and "Commands:" in proc.stdout and "scan" in proc.stdout
