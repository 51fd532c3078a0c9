"""--show-evidence: raw matched values appear in that run's report only; the inventory (and its WAL)
never holds them, so a later plain `report` shows the redacted excerpt."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cuiscan.cli import app

SSNS = ["412-55-6789", "523-11-9876", "231-45-6780"]
ROSTER = ("Personnel roster - privacy act data\n"
          + "".join(f"Employee {i}: Social Security Number {s}, date of birth 03/1{i}/1980\n"
                    for i, s in enumerate(SSNS)))


def _invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _inventory_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_raw_values_are_shown_for_the_run_and_never_stored(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    (share / "roster.txt").write_text(ROSTER)
    db = tmp_path / "inv.sqlite"

    first = _invoke("scan", share, "--db", db, "--format", "json", "--show-evidence", "--fail-on", "never")
    assert first.exit_code == 0, first.output
    detect = [f for f in json.loads(first.stdout)["findings"] if f["rule_id"] == "DETECT-001"]
    assert detect and any(s in detect[0]["evidence"] for s in SSNS)      # this run: raw, as asked

    stored = _inventory_bytes(db)
    for ssn in SSNS:
        assert ssn.encode() not in stored and ssn.replace("-", "").encode() not in stored

    later = _invoke("report", "--db", db, "--format", "json", "--fail-on", "never")
    again = [f for f in json.loads(later.stdout)["findings"] if f["rule_id"] == "DETECT-001"]
    assert again and again[0]["fingerprint"] == detect[0]["fingerprint"]
    assert not any(s in later.stdout for s in SSNS)
    assert "***-**-" in again[0]["evidence"]


def test_help_says_the_values_are_not_stored():
    text = " ".join(_invoke("scan", "--help").stdout.split())
    assert "Never stored" in text and "this run" in text
