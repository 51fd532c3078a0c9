"""The scanner must not leak what it hunts, and its inventory must survive being killed."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

SSN = "123-45-6789"          # a valid-looking SSN (area 123) that detection must flag
SSN_DIGITS = SSN.replace("-", "")


def _cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "cuiscan", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    (root / "roster.txt").write_text(
        "Personnel roster for the program office\n"
        f"Name: John Q. Public  SSN: {SSN}  Date of birth: 04/12/1980\n"
        "Medical readiness status: deployable\n")
    d = docx.Document()
    d.add_paragraph("Employee record")
    d.add_paragraph(f"Jane Roe, social security number {SSN}, DOB 1975-03-02, personnel file")
    d.save(root / "hr-record.docx")
    return root


def test_no_raw_matched_value_in_inventory_reports_logs_or_temp_files(share, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    db = tmp_path / "inv" / "inventory.sqlite"
    scan = _cli("scan", share, "--db", db, "--format", "json", "--output", tmp_path / "report.json", env=env)
    assert scan.returncode == 0, scan.stderr          # DETECT-001 is a warning, below --fail-on error
    outputs = [scan.stdout, scan.stderr]
    for fmt in ("table", "jsonl", "csv", "sarif", "html"):
        rep = _cli("report", "--db", db, "--format", fmt, "--output", tmp_path / f"report.{fmt}", "--fail-on", "never",
                   env=env)
        assert rep.returncode == 0, rep.stderr
        outputs += [rep.stdout, rep.stderr]
    report = (tmp_path / "report.json").read_text()
    assert "DETECT-001" in report and "PRVCY" in report       # it was found ...
    files = [db, *db.parent.glob("inventory.sqlite-*"), *tmp_path.glob("report.*")]
    for path in files:                                          # ... but never written down
        data = path.read_bytes()
        assert SSN.encode() not in data and SSN_DIGITS.encode() not in data, path
    for text in outputs:
        assert SSN not in text and SSN_DIGITS not in text
    assert list(tmpdir.iterdir()) == []                         # no temp files left behind
    for path in [db, *tmp_path.glob("report.*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_corrupt_inventory_is_exit_3_with_a_clear_message(share, tmp_path):
    db = tmp_path / "inv.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    result = _cli("scan", share, "--db", db)
    assert result.returncode == 3
    assert "inventory" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _wait_for_committed(db, proc, results: int, timeout: float = 120.0) -> None:
    """Until the newest scan has `results` committed files (or the scan ended)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                done = conn.execute("SELECT count(*) FROM scan_files WHERE scan_id = "
                                    "(SELECT id FROM scans ORDER BY rowid DESC LIMIT 1)").fetchone()[0]
            if done >= results:
                return
        except sqlite3.Error:
            pass                                # not created yet, or busy: look again
        time.sleep(0.01)


def test_inventory_survives_repeated_kill_9_and_ends_complete(tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    n = 3000
    for i in range(n):
        (root / f"f{i:04d}.txt").write_text(f"status report {i}: schedule, budget and staffing notes\n" * 20)
    db = tmp_path / "inv.sqlite"
    rng = random.Random(5)
    kills = 0
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "cuiscan", "scan", str(root), "--db", str(db),
                                 "--jobs", "2", "--quiet", "--full"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # A random point of the run: during start-up in the first round, then after a random number of
        # committed results (mid-batch or between commits). Waiting on progress instead of the clock
        # keeps the kill inside the scan however fast the machine is.
        if round_ == 0:
            time.sleep(rng.uniform(0.2, 0.8))
        else:
            _wait_for_committed(db, proc, rng.randint(1, n // 2))
            time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert kills >= 1
    final = _cli("scan", root, "--db", db, "--format", "json", "--fail-on", "never")
    assert final.returncode == 0, final.stderr
    import json

    report = json.loads(final.stdout)
    assert report["scan"]["counts"]["files_seen"] == n and report["scan"]["counts"]["failed"] == 0
    assert len({f["path"] for f in report["files"]}) == n
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
