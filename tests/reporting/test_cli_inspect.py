"""`cuiscan inspect` exits like `scan`: 1 when a finding reaches --fail-on."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cuiscan.cli import app

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_inspect_exit_code_follows_fail_on():
    spill = SAMPLES / "dod" / "classified-spill.docx"
    assert CliRunner().invoke(app, ["inspect", str(spill)]).exit_code == 1            # SPILL-001 critical
    assert CliRunner().invoke(app, ["inspect", str(spill), "--fail-on", "never"]).exit_code == 0
    assert CliRunner().invoke(app, ["inspect", str(spill), "--no-findings"]).exit_code == 0


def test_inspect_of_a_clean_file_exits_0(tmp_path):
    memo = tmp_path / "lunch.txt"
    memo.write_text("Team lunch moved to Thursday at noon in the east cafeteria.\n")
    assert CliRunner().invoke(app, ["inspect", str(memo)]).exit_code == 0
