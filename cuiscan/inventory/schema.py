"""The inventory's SQLite schema and its migrations.

`schema_version` holds one row with the version the database is at. MIGRATIONS[i] takes a database
from version i to i + 1; `migrate` runs the missing ones in one transaction each, so a crash mid-way
leaves the database at the last complete version. Append new migrations; never edit a shipped one.

Layout (version 4; v3 added findings.ocr, the OCR confidence of a finding read from a scan; v4 the
derivative index's tables, described in cuiscan/derivatives/index.py):
  scans         one row per scan (or watch session): profile, roots, versions, times, counts
  results       one row per inspected state of a file: the FileResult without findings, plus derived
                columns (folder, max_rank, mismarked) that keep the inventory rollups one GROUP BY;
                `scan_id` is the scan that produced it
  scan_files    which results make up each scan: a file unchanged since an earlier scan is the same
                result row again (its status in the later scan is `unchanged`), so a rescan of an
                unchanged share writes one small row per file instead of a copy of every result
  findings      one row per finding, keyed to its result; evidence is already redacted upstream
  current       path -> latest result row: the live inventory (incremental scans, rollups), with
                that result's stat, versions and scan, which is all a rescan reads per file
  removals      files seen gone by a scan or a watch session
  suppressions  suppressions made with `cuiscan suppress` (config-file ones are not copied here)
  deriv_*       the derivative index: fingerprints of marked sources, references and candidates

Every table is created and migrated here, and nowhere else: the seam a second backend plugs into.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

APPLICATION_ID = 0x43554953   # "CUIS": marks the file as a cuiscan inventory (PRAGMA application_id)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, which would break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE scans (
            id TEXT PRIMARY KEY,
            profile TEXT NOT NULL,
            roots TEXT NOT NULL,          -- JSON list
            versions TEXT NOT NULL,       -- JSON object
            started_at TEXT NOT NULL,     -- ISO 8601 UTC, 'Z'
            finished_at TEXT,
            counts TEXT                   -- JSON object (ScanCounts)
        );
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            scan_id TEXT NOT NULL REFERENCES scans(id),
            path TEXT NOT NULL,
            root TEXT NOT NULL,
            folder TEXT NOT NULL,         -- top-level folder of the path under its root
            ftype TEXT,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            sha256 TEXT,
            status TEXT NOT NULL,
            status_reason TEXT,
            assessment TEXT NOT NULL,
            banner TEXT,
            categories TEXT NOT NULL,     -- comma-separated registry markings
            zone TEXT,
            explanation TEXT NOT NULL,
            versions TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            n_findings INTEGER NOT NULL,
            max_rank INTEGER NOT NULL,    -- highest finding severity rank, 0 when none
            mismarked INTEGER NOT NULL    -- 1 when an error-or-worse marking finding is present
        );
        CREATE UNIQUE INDEX results_scan_path ON results(scan_id, path);
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            result_id INTEGER NOT NULL REFERENCES results(id),
            scan_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            severity TEXT NOT NULL,
            rank INTEGER NOT NULL,
            confidence REAL NOT NULL,
            message TEXT NOT NULL,
            loc_zone TEXT NOT NULL,
            page INTEGER, slide INTEGER, sheet TEXT, line INTEGER,
            member TEXT, section INTEGER, cell TEXT,
            categories TEXT NOT NULL,
            evidence TEXT NOT NULL,
            match_digest TEXT NOT NULL,
            fingerprint TEXT NOT NULL
        );
        CREATE INDEX findings_scan ON findings(scan_id, rank);
        CREATE INDEX findings_result ON findings(result_id);
        CREATE INDEX findings_fingerprint ON findings(fingerprint);
        CREATE TABLE current (
            path TEXT PRIMARY KEY,
            result_id INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX current_result ON current(result_id);
        CREATE TABLE removals (
            id INTEGER PRIMARY KEY,
            scan_id TEXT NOT NULL,
            path TEXT NOT NULL,
            removed_at TEXT NOT NULL
        );
        CREATE INDEX removals_scan ON removals(scan_id);
        CREATE TABLE suppressions (
            fingerprint TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            expires TEXT,                 -- YYYY-MM-DD, active through that day, NULL = never
            created_at TEXT NOT NULL
        );
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE scan_files (
            scan_id TEXT NOT NULL,
            result_id INTEGER NOT NULL,
            PRIMARY KEY (scan_id, result_id)
        ) WITHOUT ROWID;
        CREATE INDEX scan_files_result ON scan_files(result_id);
        INSERT INTO scan_files (scan_id, result_id) SELECT scan_id, id FROM results;
        DROP INDEX results_scan_path;
        CREATE INDEX results_path ON results(path);
        ALTER TABLE current ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE current ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE current ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE current ADD COLUMN versions TEXT NOT NULL DEFAULT '';
        ALTER TABLE current ADD COLUMN scan_id TEXT NOT NULL DEFAULT '';
        UPDATE current SET (size, mtime_ns, inode, versions, scan_id) =
            (SELECT size, mtime_ns, inode, versions, scan_id FROM results r WHERE r.id = current.result_id)
        """
    )


def _v3(conn: sqlite3.Connection) -> None:
    # findings read from OCR text keep their reading's confidence (report: location.ocr)
    _run_script(conn, "ALTER TABLE findings ADD COLUMN ocr REAL;")


def _v4(conn: sqlite3.Connection) -> None:
    # The derivative index's tables, which derivatives/index.py used to create (and alter) itself.
    # IF NOT EXISTS: inventories written before this version already have them.
    _run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS deriv_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS deriv_content (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            prints BLOB NOT NULL,
            nhashes INTEGER NOT NULL,
            indexed INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS deriv_file (
            path TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('source', 'reference', 'candidate')),
            content_id INTEGER NOT NULL REFERENCES deriv_content(id),
            categories TEXT NOT NULL DEFAULT '',
            checked_gen INTEGER NOT NULL DEFAULT -1,
            added_at TEXT NOT NULL,
            hit_key TEXT,
            PRIMARY KEY (path, kind)
        );
        CREATE INDEX IF NOT EXISTS deriv_file_content ON deriv_file(content_id);
        CREATE TABLE IF NOT EXISTS deriv_posting (
            hash INTEGER NOT NULL,
            content_id INTEGER NOT NULL,
            pos INTEGER NOT NULL,
            PRIMARY KEY (hash, content_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS deriv_public (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            words INTEGER NOT NULL,
            fingerprints INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS deriv_public_hash (
            hash INTEGER NOT NULL,
            public_id INTEGER NOT NULL,
            PRIMARY KEY (hash, public_id)
        ) WITHOUT ROWID;
        """
    )
    columns = {row[1] for row in conn.execute("PRAGMA table_info(deriv_file)")}
    if "hit_key" not in columns:     # inventories written before hit keys were kept
        conn.execute("ALTER TABLE deriv_file ADD COLUMN hit_key TEXT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4]
SCHEMA_VERSION = len(MIGRATIONS)


def user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows if not r[0].startswith("sqlite_")}


def current_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a fresh or older cuiscan database up to SCHEMA_VERSION (the caller checked it is ours)."""
    if "schema_version" not in user_tables(conn):
        conn.execute("BEGIN IMMEDIATE")
        if "schema_version" not in user_tables(conn):   # another process may have won the race
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    while (version := current_version(conn)) < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) == version:        # re-check under the write lock
                MIGRATIONS[version](conn)
                conn.execute("UPDATE schema_version SET version = ?", (version + 1,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
