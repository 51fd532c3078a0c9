"""The inventory store: creation, permissions, round trips, batching, damage and concurrency."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from cuiscan.errors import InventoryError
from cuiscan.inventory import schema
from cuiscan.inventory.store import BATCH_SIZE, Inventory, default_db_path
from cuiscan.records import Assessment, ScanCounts, Severity, Zone

from inv_builders import VERSIONS, finding, mixed_share, result, store_scan

VERSIONS_KEY = "tool=0.1.0"     # what inv_builders.result() stores as each result's versions

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_new_inventory_is_private_wal_and_versioned(tmp_path):
    db = tmp_path / "deep" / "er" / "inv.sqlite"
    inv = Inventory.open(str(db))
    store_scan(inv, mixed_share())
    try:
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
        for side in (db.with_name("inv.sqlite-wal"), db.with_name("inv.sqlite-shm")):
            assert stat.S_IMODE(side.stat().st_mode) == 0o600
        assert inv.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert schema.current_version(inv.conn) == schema.SCHEMA_VERSION
        assert inv.conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    finally:
        inv.close()


def test_default_path_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CUISCAN_DB", str(tmp_path / "env.sqlite"))
    assert default_db_path() == str(tmp_path / "env.sqlite")
    Inventory.open(None).close()
    assert (tmp_path / "env.sqlite").is_file()
    monkeypatch.delenv("CUISCAN_DB")
    assert default_db_path().endswith(os.path.join("cuiscan", "inventory.sqlite"))


def test_previous_returns_the_full_latest_result(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    files = mixed_share()
    store_scan(inv, files)
    newer = result("/srv/share/eng/spec.docx", content="v2", assessment=Assessment.MARKED_CUI,
                   findings=[finding("BANNER-001", page=1, zone=Zone.HEADER, member="a.zip/b.docx")])
    store_scan(inv, [newer], finish=False)    # an interrupted scan still counts as the latest
    assert inv.previous("/srv/share/eng/spec.docx") == newer
    assert inv.previous("/srv/share/hr/people.xlsx") == files[3]
    assert inv.previous("/srv/share/nope.txt") is None
    inv.close()


def test_previous_map_covers_only_paths_below_the_root(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    store_scan(inv, mixed_share("/srv/share") + mixed_share("/srv/share2"), roots=("/srv",))
    known = inv.previous_map("/srv/share", VERSIONS_KEY)
    assert set(known) == {r.path for r in mixed_share("/srv/share")}
    r = mixed_share("/srv/share")[0]
    assert known[r.path][:4] == (r.size, r.mtime_ns, r.inode, True)
    assert inv.stored_sha256(r.path) == r.sha256
    assert not inv.previous_map("/srv/share", "tool=0.0.1")[r.path].current
    assert set(inv.previous_map("/srv/share/", VERSIONS_KEY)) == set(known)
    inv.close()


def test_removed_files_are_forgotten(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    scan = store_scan(inv, mixed_share())
    inv.mark_removed(scan, ["/srv/share/hr/old.pdf"])
    assert inv.previous("/srv/share/hr/old.pdf") is None
    assert "/srv/share/hr/old.pdf" not in inv.previous_map("/srv/share", VERSIONS_KEY)
    inv.close()


def test_same_file_twice_in_one_session_keeps_the_newer(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    first = result("/srv/share/a.docx", content="1", findings=[finding(page=1)])
    second = result("/srv/share/a.docx", content="2", findings=[finding(page=2), finding(page=3)])
    scan = store_scan(inv, [first, second])
    stored = list(inv.iter_results(scan))
    assert [r.sha256 for r in stored] == [second.sha256]
    assert [row.finding.location.page for row in inv.iter_findings(scan)] == [2, 3]
    inv.close()


def test_results_commit_in_batches(tmp_path):
    db = str(tmp_path / "inv.sqlite")
    inv = Inventory.open(db)
    scan = inv.begin_scan("dod", ["/srv/share"], VERSIONS)
    for i in range(BATCH_SIZE * 2 + 50):
        inv.record(scan, result(f"/srv/share/f{i:04}.txt"))
    other = sqlite3.connect(db)
    assert other.execute("SELECT count(*) FROM results").fetchone()[0] == BATCH_SIZE * 2
    inv.finish_scan(scan, ScanCounts(files_seen=BATCH_SIZE * 2 + 50))
    assert other.execute("SELECT count(*) FROM results").fetchone()[0] == BATCH_SIZE * 2 + 50
    other.close()
    inv.close()


_KILLED_WRITER = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[2] + "/tests/inventory")
    from inv_builders import result
    from cuiscan.inventory.store import Inventory
    inv = Inventory.open(sys.argv[1])
    scan = inv.begin_scan("dod", ["/srv/share"], {"tool": "0.1.0"})
    for i in range(450):
        inv.record(scan, result(f"/srv/share/f{i:04}.txt"))
    os._exit(9)     # killed mid-scan: no flush, no finish, no close
""")


def test_killed_scan_leaves_a_consistent_inventory(tmp_path):
    db = str(tmp_path / "inv.sqlite")
    proc = subprocess.run([sys.executable, "-c", _KILLED_WRITER, db, REPO], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    inv = Inventory.open(db)
    assert inv.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    scan = inv.resolve_scan(None)
    assert inv.get_scan(scan).finished_at is None
    assert sum(1 for _ in inv.iter_results(scan)) == 400     # at most the last (partial) batch lost
    inv.close()


@pytest.mark.parametrize("content, expected", [
    (b"this is a text file, not a database\n" * 50, "not a cuiscan inventory"),
    (b"SQLite format 3\x00" + os.urandom(4000), "inventory"),
])
def test_damaged_file_raises_inventory_error(tmp_path, content, expected):
    db = tmp_path / "inv.sqlite"
    db.write_bytes(content)
    with pytest.raises(InventoryError, match=expected):
        inv = Inventory.open(str(db))
        inv.scans()      # a header that parses but pages that do not: caught on first use


def test_other_programs_database_is_refused(tmp_path):
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(InventoryError, match="not a cuiscan inventory"):
        Inventory.open(str(db))


def test_newer_schema_is_refused(tmp_path):
    db = str(tmp_path / "inv.sqlite")
    Inventory.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(InventoryError, match="newer cuiscan"):
        Inventory.open(db)


def test_older_schema_is_migrated(tmp_path):
    db = tmp_path / "inv.sqlite"
    conn = sqlite3.connect(db)          # what a version-0 cuiscan database looks like
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (0)")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.commit()
    conn.close()
    inv = Inventory.open(str(db))
    assert schema.current_version(inv.conn) == schema.SCHEMA_VERSION
    assert {"scans", "results", "findings", "current", "removals", "suppressions"} <= schema.user_tables(inv.conn)
    store_scan(inv, mixed_share())
    inv.close()


def test_directory_path_is_refused(tmp_path):
    with pytest.raises(InventoryError, match="directory"):
        Inventory.open(str(tmp_path))


_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[3] + "/tests/inventory")
    from inv_builders import result, finding
    from cuiscan.inventory.store import Inventory
    from cuiscan.records import ScanCounts
    inv = Inventory.open(sys.argv[1])
    tag = sys.argv[2]
    scan = inv.begin_scan("dod", ["/srv/" + tag], {"tool": "0.1.0"})
    for i in range(1500):
        inv.record(scan, result(f"/srv/{tag}/f{i:05}.txt", f"/srv/{tag}", findings=[finding(page=i % 7)]))
        if i % 300 == 0:
            inv.previous(f"/srv/{tag}/f{i:05}.txt")     # reads interleaved with the other's writes
    inv.finish_scan(scan, ScanCounts(files_seen=1500))
    inv.close()
""")


def test_two_processes_write_at_once(tmp_path):
    db = str(tmp_path / "inv.sqlite")      # not created beforehand: both race to create and migrate it
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, db, tag, REPO], stderr=subprocess.PIPE, text=True)
             for tag in ("watch", "scheduled")]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    inv = Inventory.open(db)
    assert inv.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    scans = inv.scans()
    assert len(scans) == 2 and all(s.finished_at for s in scans)
    for s in scans:
        assert sum(1 for _ in inv.iter_results(s.id)) == 1500
        assert sum(1 for _ in inv.iter_findings(s.id)) == 1500
    assert inv.conn.execute("SELECT count(*) FROM current").fetchone()[0] == 3000
    inv.close()


def test_max_severity_and_scan_resolution(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    first = store_scan(inv, mixed_share())
    second = store_scan(inv, [result("/srv/share/a.txt", findings=[finding("DETECT-001", Severity.WARNING)])])
    assert inv.max_severity(first) is Severity.CRITICAL
    assert inv.max_severity(second) is Severity.WARNING
    assert inv.resolve_scan("latest") == second
    assert inv.resolve_scan("latest~1") == first
    prefix = first[:-1]
    if not second.startswith(prefix):     # same second and same 3 random hex digits: ambiguous
        assert inv.resolve_scan(prefix) == first
    inv.close()


def test_inventory_of_schema_1_is_migrated_with_its_scans_intact(tmp_path):
    """An inventory written before scans listed their files (schema 1: one result row per file per
    scan) opens, and every stored scan reports the same files and findings as before."""
    db = str(tmp_path / "inv.sqlite")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    schema.MIGRATIONS[0](conn)
    conn.execute("COMMIT")
    conn.close()
    # Fill it the way schema 1 did: two scans, each with its own copy of every result.
    legacy = Inventory(sqlite3.connect(db, isolation_level=None, check_same_thread=False), db)
    legacy._insert = lambda scan_id, r: _insert_v1(legacy.conn, scan_id, r)
    first = store_scan(legacy, mixed_share())
    second = store_scan(legacy, mixed_share())
    legacy.conn.close()

    inv = Inventory.open(db)
    try:
        assert schema.current_version(inv.conn) == schema.SCHEMA_VERSION
        for scan_id in (first, second):
            files = list(inv.iter_results(scan_id))
            assert sorted(r.path for r in files) == sorted(r.path for r in mixed_share())
            assert len(list(inv.iter_findings(scan_id, min_rank=0))) == sum(len(r.findings) for r in mixed_share())
        assert inv.max_severity(second) is Severity.CRITICAL
        known = inv.previous_map("/srv/share", VERSIONS_KEY)     # what a rescan reads, from `current` alone
        assert {p: s[:4] for p, s in known.items()} == {
            r.path: (r.size, r.mtime_ns, r.inode, True) for r in mixed_share()}
        assert {s.scan_id for s in known.values()} == {second}
    finally:
        inv.close()


def _insert_v1(conn, scan_id, r):
    from cuiscan.inventory import rows
    from cuiscan.inventory.store import utc_now

    cur = conn.execute(
        f"INSERT INTO results (scan_id, {rows.RESULT_COLUMNS}, recorded_at, n_findings, max_rank, mismarked) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows.result_row(scan_id, r, utc_now()))
    v1_columns = rows.FINDING_COLUMNS.replace(", ocr", "")   # findings.ocr came with schema 3
    conn.executemany(f"INSERT INTO findings (result_id, scan_id, rank, {v1_columns}) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     [rows.finding_row(cur.lastrowid, scan_id, f)[:-1] for f in r.findings])
    conn.execute("INSERT OR REPLACE INTO current (path, result_id) VALUES (?, ?)", (r.path, cur.lastrowid))
