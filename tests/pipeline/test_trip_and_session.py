"""The per-file trip (pipeline.inspect_file / inspect_bytes) and the scan session (session.ScanSession):
one unit a worker runs, one way a result is recorded, one lock for every scan."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.inventory.store import Inventory
from cuiscan.locking import scan_lock
from cuiscan.pipeline import Inspector, InspectOptions, inspect_bytes, inspect_file
from cuiscan.records import Assessment, Status
from cuiscan.session import ScanSession
from cuiscan.settings import Settings, ZoneConfig

from pipeline_helpers import make_docx, run_cli

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def inspector() -> Inspector:
    settings = Settings()
    return Inspector.from_settings(settings, Detector.load(settings, use_model=False))


@pytest.mark.parametrize("sample", ["dod/classified-spill.docx", "dod/di-incomplete.pdf",
                                    "dod/briefing-partial-banners.pptx"])
def test_bytes_handed_over_are_judged_like_the_file_on_disk(inspector, sample):
    """What a remote worker would get (the content and a name) gives the result a local scan gives."""
    path = SAMPLES / sample
    [ref] = list(iter_files([str(path)], Settings(location_profiles=False)))
    on_disk = inspect_file(ref, inspector)
    handed = inspect_bytes(path.name, path.read_bytes(), inspector)
    assert on_disk.status is Status.INSPECTED and on_disk.findings
    same = ("ftype", "sha256", "status", "assessment", "banner", "categories", "explanation", "prints")
    assert {k: getattr(handed, k) for k in same} == {k: getattr(on_disk, k) for k in same}
    assert handed.findings == on_disk.findings        # fingerprints too: they are keyed by content
    assert handed.path == path.name and handed.size == path.stat().st_size


def test_empty_bytes_fail_with_a_reason(inspector):
    result = inspect_bytes("empty.docx", b"", inspector)
    assert result.status is Status.FAILED and result.status_reason == "corrupt: empty file (0 bytes)"
    assert [f.rule_id for f in result.findings] == ["SCAN-001"]


def test_options_carry_what_the_trip_reads_and_pickle():
    import pickle

    settings = Settings(profile="nara", ocr="off", detect_threshold=0.7, agency_requires_basic_categories=True)
    options = InspectOptions.from_settings(settings)
    assert pickle.loads(pickle.dumps(options)) == options
    ctx = options.marking_context()
    assert (ctx.profile, ctx.agency_requires_basic_categories) == ("nara", True)
    assert options.marking_context("dod").profile == "dod"
    assert (options.ocr, options.detect_threshold, options.limits) == ("off", 0.7, settings.limits)


def test_the_session_records_through_the_boundary_and_counts(tmp_path, inspector):
    share = tmp_path / "share"
    make_docx(share / "memo.docx", ["(U) Bracket assembly overview."], header="CUI", footer="CUI")
    settings = Settings(jobs=1, zones=(ZoneConfig("open", (f"{share}/**",), allows_cui=False),))
    [ref] = list(iter_files([str(share)], settings))
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        with ScanSession(settings, inv, [str(share)]) as session:
            stored = session.record(inspect_file(ref, inspector))
            counts = session.finish()
        assert stored.assessment is Assessment.MARKED_CUI and stored.zone == "open"
        assert "BOUNDARY-001" in {f.rule_id for f in stored.findings}
        assert (counts.files_seen, counts.inspected) == (1, 1)
        assert inv.get_scan(session.scan_id).counts.inspected == 1
        assert inv.previous(stored.path).zone == "open"
    finally:
        inv.close()


def _lock_is_free(db: Path) -> bool:
    """Asked from another process: POSIX locks never block their own process."""
    code = ("import sys\nfrom cuiscan.errors import InventoryLocked\nfrom cuiscan.locking import scan_lock\n"
            "try:\n    with scan_lock(sys.argv[1]):\n        pass\nexcept InventoryLocked:\n    sys.exit(4)\n")
    return subprocess.run([sys.executable, "-c", code, str(db)], timeout=60).returncode == 0


def test_the_scan_lock_is_held_until_the_outermost_holder_lets_go(tmp_path):
    """`cuiscan scan` holds the lock around the session, which takes it too: closing the inner
    holder's descriptor would drop the process's lock (POSIX), so the inner one opens nothing."""
    db = tmp_path / "inv.sqlite"
    with scan_lock(str(db)):
        with scan_lock(str(db)):
            assert not _lock_is_free(db)
        assert not _lock_is_free(db)
    assert _lock_is_free(db)


def test_the_session_takes_the_scan_lock(tmp_path):
    db = tmp_path / "inv.sqlite"
    inv = Inventory.open(str(db))
    try:
        with ScanSession(Settings(), inv, [str(tmp_path)]):
            assert not _lock_is_free(db)
        assert _lock_is_free(db)
    finally:
        inv.close()


def test_the_watch_start_up_scan_takes_the_scan_lock(tmp_path):
    """`cuiscan watch` first scans its folders like `cuiscan scan`, so it must not run beside another
    scan of the same inventory: exit 4, as a second `cuiscan scan` does."""
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "note.txt").write_text("ordinary words\n")
    db = tmp_path / "inv.sqlite"
    Inventory.open(str(db)).close()
    with scan_lock(str(db)):
        result = run_cli("watch", folder, "--db", db, timeout=120)
    assert result.returncode == 4, result.stderr
    assert "another scan" in result.stderr and "Traceback" not in result.stderr
