"""Incremental scans: unchanged files are not read again; interrupted scans continue."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import cuiscan.detection
import cuiscan.extractors
import cuiscan.pipeline
from cuiscan.inventory.store import Inventory
from cuiscan.locking import scan_lock
from cuiscan.records import Status
from cuiscan.scan import run_scan
from cuiscan.settings import Settings

from pipeline_helpers import make_docx, run_cli


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "share"
    for i in range(6):
        (root / f"d{i % 2}").mkdir(parents=True, exist_ok=True)
        (root / f"d{i % 2}" / f"note{i}.txt").write_text(f"meeting note {i}: schedule review and budget\n")
    make_docx(root / "spec.docx", ["(U) Bracket assembly overview."], header="CUI", footer="CUI")
    return root


@pytest.fixture
def counting(monkeypatch):
    calls = {"extract": 0, "hash": 0}
    real_extract, real_hash = cuiscan.extractors.extract_file, cuiscan.pipeline.sha256_file

    def extract(*a, **k):
        calls["extract"] += 1
        return real_extract(*a, **k)

    def sha(path):
        calls["hash"] += 1
        return real_hash(path)

    monkeypatch.setattr(cuiscan.extractors, "extract_file", extract)
    monkeypatch.setattr(cuiscan.pipeline, "sha256_file", sha)
    return calls


def _scan(root, db, **kw):
    inv = Inventory.open(str(db))
    try:
        return run_scan([str(root)], Settings(jobs=1), inv, **kw)
    finally:
        inv.close()


def test_second_scan_of_unchanged_tree_reads_no_file(tree, tmp_path, counting):
    first = _scan(tree, tmp_path / "inv.sqlite")
    assert first.counts.inspected == 7 and counting["extract"] == 7
    counting.update(extract=0, hash=0)
    second = _scan(tree, tmp_path / "inv.sqlite")
    assert counting == {"extract": 0, "hash": 0}
    assert second.counts.unchanged == 7 and second.counts.inspected == 0


def test_only_the_modified_file_is_reinspected(tree, tmp_path, counting):
    _scan(tree, tmp_path / "inv.sqlite")
    target = tree / "d1" / "note1.txt"
    target.write_text("changed content, longer than before\n")
    counting.update(extract=0, hash=0)
    second = _scan(tree, tmp_path / "inv.sqlite")
    assert counting["extract"] == 1 and second.counts.inspected == 1 and second.counts.unchanged == 6


def test_touched_file_with_same_content_is_not_reinspected(tree, tmp_path, counting):
    _scan(tree, tmp_path / "inv.sqlite")
    target = tree / "d0" / "note0.txt"
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    counting.update(extract=0, hash=0)
    second = _scan(tree, tmp_path / "inv.sqlite")
    assert counting == {"extract": 0, "hash": 1}
    assert second.counts.unchanged == 7


def test_rule_pack_version_change_reinspects_everything(tree, tmp_path, counting, monkeypatch):
    _scan(tree, tmp_path / "inv.sqlite")
    monkeypatch.setattr(cuiscan.detection, "rules_version", lambda: "a-newer-rule-pack")
    counting.update(extract=0, hash=0)
    second = _scan(tree, tmp_path / "inv.sqlite")
    assert counting["extract"] == 7 and second.counts.inspected == 7


def test_full_forces_reinspection_and_removed_files_are_reported(tree, tmp_path, counting):
    _scan(tree, tmp_path / "inv.sqlite")
    (tree / "d0" / "note2.txt").unlink()
    counting.update(extract=0, hash=0)
    outcome = _scan(tree, tmp_path / "inv.sqlite", full=True)
    assert counting["extract"] == 6 and outcome.removed == 1


def test_scan_killed_with_sigkill_continues_and_accounts_for_every_file(tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    n = 1500
    for i in range(n):
        (root / f"f{i:04d}.txt").write_text(f"line {i} of an ordinary status report " * 30)
    db = tmp_path / "inv.sqlite"
    cmd = [sys.executable, "-m", "cuiscan", "scan", str(root), "--db", str(db), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    recorded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                recorded = conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        except sqlite3.Error:
            continue
        if recorded >= 50:
            break
    assert proc.poll() is None, "scan finished before it could be killed; make the tree bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < recorded < n
    result = run_cli("scan", root, "--db", db, "--jobs", "1", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    counts = report["scan"]["counts"]
    assert counts["files_seen"] == n and counts["failed"] == 0
    assert counts["unchanged"] >= recorded - 200      # what was committed before the kill is reused
    assert sorted(f["path"] for f in report["files"]) == sorted(str(p) for p in root.iterdir())
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_second_concurrent_scan_exits_with_lock_code(tree, tmp_path):
    db = tmp_path / "inv.sqlite"
    Inventory.open(str(db)).close()
    with scan_lock(str(db)):
        result = run_cli("scan", tree, "--db", db, "--quiet")
    assert result.returncode == 4
    assert "another scan" in result.stderr and "Traceback" not in result.stderr


def test_sigterm_finishes_cleanly_with_summary(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    for i in range(1500):
        (root / f"f{i:04d}.txt").write_text("ordinary words " * 200)
    db = tmp_path / "inv.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "cuiscan", "scan", str(root), "--db", str(db), "--jobs", "2",
                             "--format", "json", "--fail-on", "never"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:   # wait until the scan is under way
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                if conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] > 0:
                    break
        except sqlite3.Error:
            continue
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "interrupted" in err
    import json

    counts = json.loads(out)["scan"]["counts"]
    assert counts["files_seen"] == counts["inspected"] + counts["unchanged"] + counts["skipped"] + counts["failed"]


def _findings_by_path(db, scan_id):
    inv = Inventory.open(str(db))
    try:
        found: dict[str, list] = {r.path: [] for r in inv.iter_results(scan_id)}
        for row in inv.iter_findings(scan_id, min_rank=0):
            f = row.finding
            found[row.path].append((f.rule_id, f.message, f.location.to_dict(), f.fingerprint))
        return {path: sorted(items, key=repr) for path, items in found.items()}
    finally:
        inv.close()


def test_unchanged_files_keep_every_finding_in_the_rescan(tmp_path, counting):
    """The rescan carries the stored results forward in bulk: same findings, same places, same IDs."""
    import shutil

    share = tmp_path / "samples"
    shutil.copytree(os.path.join(os.path.dirname(__file__), "..", "..", "samples", "dod"), share)
    db = tmp_path / "inv.sqlite"
    first = _scan(share, db)
    counting.update(extract=0, hash=0)
    second = _scan(share, db)
    assert counting["extract"] == 0 and second.counts.unchanged == first.counts.files_seen
    before, after = _findings_by_path(db, first.scan_id), _findings_by_path(db, second.scan_id)
    assert sum(len(v) for v in before.values()) > 10
    assert after == before
    inv = Inventory.open(str(db))
    try:
        assert {r.status for r in inv.iter_results(second.scan_id)} == {Status.UNCHANGED}
    finally:
        inv.close()


def test_new_zones_rejudge_the_boundary_without_reading_files(tree, tmp_path, counting):
    from cuiscan.settings import ZoneConfig

    db = tmp_path / "inv.sqlite"
    _scan(tree, db)
    counting.update(extract=0, hash=0)
    inv = Inventory.open(str(db))
    try:
        office = ZoneConfig(name="office", paths=(str(tree) + "/**",), allows_cui=False)
        outcome = run_scan([str(tree)], Settings(jobs=1, zones=(office,)), inv)
        flagged = {row.path for row in inv.iter_findings(outcome.scan_id, min_rank=0)
                   if row.finding.rule_id == "BOUNDARY-001"}
    finally:
        inv.close()
    assert counting["extract"] == 0 and outcome.counts.unchanged == 7
    assert flagged == {str(tree / "spec.docx")}      # the marked spec may not live in this zone


def test_a_relative_root_is_rescanned_incrementally(tree, tmp_path, counting, monkeypatch):
    monkeypatch.chdir(tree.parent)
    first = _scan("share", tmp_path / "inv.sqlite")
    counting.update(extract=0, hash=0)
    second = _scan("share/", tmp_path / "inv.sqlite")
    assert counting["extract"] == 0 and second.counts.unchanged == first.counts.files_seen == 7
    (tree / "d0" / "note0.txt").unlink()
    third = _scan("./share", tmp_path / "inv.sqlite")
    assert third.removed == 1 and third.counts.unchanged == 6
