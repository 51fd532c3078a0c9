"""The inventory: a SQLite file holding every scan's results, findings and the suppressions.

Writers are short transactions in WAL mode with a busy timeout, so a `watch` process and a scheduled
scan can write to the same file at once. `record` buffers results and commits them in small batches:
a killed scan loses at most one batch and leaves a consistent database (its scan row simply has no
`finished_at`). Raw matched content never gets here: findings carry the already-redacted evidence
and a digest; derivative fingerprints live in the derivative index (its own tables on `conn`).
"""
from __future__ import annotations

import functools
import json
import os
import secrets
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from cuiscan.errors import InventoryError
from cuiscan.inventory import queries, rows, schema
from cuiscan.inventory.rows import utc_now
from cuiscan.inventory.suppressions import active_fingerprints
from cuiscan.records import FileResult, ScanCounts, ScanSummary, Severity

BATCH_SIZE = 200
BATCH_SECONDS = 2.0
BUSY_TIMEOUT_S = 30.0


def default_db_path() -> str:
    """$CUISCAN_DB, else inventory.sqlite in the user's data directory."""
    env = os.environ.get("CUISCAN_DB")
    if env:
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("cuiscan", appauthor=False)) / "inventory.sqlite")


def _db_errors(method):
    """SQLite failures (corruption, disk full, locked past the timeout) become one-line InventoryErrors."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise InventoryError(f"inventory {self.path}: {exc}") from None
    return wrapper


class Inventory:
    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._buffer: list[tuple[str, FileResult]] = []
        self._buffered: dict[str, FileResult] = {}     # path -> newest unflushed result
        self._last_flush = time.monotonic()
        self._companions: list = []     # writers whose pending rows commit with each batch (the linker)

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | None = None) -> "Inventory":
        path = str(path) if path else default_db_path()
        if path != ":memory:":
            _create_private(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise InventoryError(f"cannot open inventory {path}: {exc}") from None
        try:
            _check_is_ours(conn, path)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")   # durable enough in WAL; a crash loses the last batch at most
            schema.migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise InventoryError(f"inventory {path} is unusable: {exc}") from None
        except InventoryError:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        with self._lock:
            try:
                self.flush()
            finally:
                self.conn.close()

    def __enter__(self) -> "Inventory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing a scan ------------------------------------------------------------------------
    @_db_errors
    def begin_scan(self, profile: str, roots: list[str], versions: dict[str, str]) -> str:
        now = datetime.now(timezone.utc)
        with self._lock:
            for _ in range(20):
                scan_id = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
                try:
                    self.conn.execute(
                        "INSERT INTO scans (id, profile, roots, versions, started_at) VALUES (?,?,?,?,?)",
                        (scan_id, profile, json.dumps(list(roots)), json.dumps(dict(versions)),
                         now.strftime("%Y-%m-%dT%H:%M:%SZ")))
                    return scan_id
                except sqlite3.IntegrityError:
                    continue
        raise InventoryError("could not allocate a unique scan id")

    def record(self, scan_id: str, result: FileResult) -> None:
        with self._lock:
            self._buffer.append((scan_id, result))
            self._buffered[result.path] = result
            if len(self._buffer) >= BATCH_SIZE or time.monotonic() - self._last_flush >= BATCH_SECONDS:
                self.flush()

    def add_companion(self, companion) -> None:
        """`companion.has_pending()` / `.flush()` get called with every flush, inside its
        transaction: the companion's rows and the results they belong to commit together."""
        with self._lock:
            self._companions.append(companion)

    def remove_companion(self, companion) -> None:
        with self._lock:
            self._companions.remove(companion)

    @_db_errors
    def flush(self) -> None:
        with self._lock:
            batch, self._buffer = self._buffer, []
            self._buffered = {}
            self._last_flush = time.monotonic()
            companions = [c for c in self._companions if c.has_pending()]
            if batch or companions:
                with self._write():
                    for companion in companions:
                        companion.flush()
                    for scan_id, result in batch:
                        try:
                            self._insert(scan_id, result)
                        except UnicodeEncodeError:   # a lone surrogate somewhere: store it replaced
                            self._insert(scan_id, rows.storable_result(result))

    def _insert(self, scan_id: str, result: FileResult) -> None:
        c = self.conn
        # The same file recorded again in one session (watch, or the derivative pass at the end of a
        # scan): the newer result takes the older one's place in the scan.
        replaced = [old for (old,) in c.execute(
            "SELECT sf.result_id FROM results r JOIN scan_files sf ON sf.result_id = r.id AND sf.scan_id = ? "
            "WHERE r.path = ?", (scan_id, result.path))]
        c.executemany("DELETE FROM scan_files WHERE scan_id = ? AND result_id = ?", ((scan_id, old) for old in replaced))
        cur = c.execute(
            "INSERT INTO results (scan_id, path, root, folder, ftype, size, mtime_ns, inode, sha256, "
            "status, status_reason, assessment, banner, categories, zone, explanation, versions, "
            "recorded_at, n_findings, max_rank, mismarked) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows.result_row(scan_id, result, utc_now()))
        result_id = cur.lastrowid
        if result.findings:
            c.executemany(
                f"INSERT INTO findings (result_id, scan_id, rank, {rows.FINDING_COLUMNS}) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [rows.finding_row(result_id, scan_id, f) for f in result.findings])
        c.execute("INSERT INTO scan_files (scan_id, result_id) VALUES (?, ?)", (scan_id, result_id))
        c.execute(
            "INSERT INTO current (path, result_id, size, mtime_ns, inode, versions, scan_id) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(path) DO UPDATE SET result_id = excluded.result_id, size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, inode = excluded.inode, versions = excluded.versions, "
            "scan_id = excluded.scan_id WHERE excluded.result_id > current.result_id",
            (result.path, result_id, result.size, result.mtime_ns, result.inode, result.versions, scan_id))
        for old in replaced:
            self._drop_if_unused(old)

    def _drop_if_unused(self, result_id: int) -> None:
        """Delete a result no scan lists and `current` does not point to (a watch session's older take)."""
        c = self.conn
        if c.execute("SELECT 1 FROM scan_files WHERE result_id = ?1 UNION ALL "
                     "SELECT 1 FROM current WHERE result_id = ?1 LIMIT 1", (result_id,)).fetchone() is None:
            c.execute("DELETE FROM findings WHERE result_id = ?", (result_id,))
            c.execute("DELETE FROM results WHERE id = ?", (result_id,))

    @_db_errors
    def finish_scan(self, scan_id: str, counts: ScanCounts) -> None:
        with self._lock:
            self.flush()
            with self._write():
                self.conn.execute("UPDATE scans SET finished_at = ?, counts = ? WHERE id = ?",
                                  (utc_now(), json.dumps(counts.to_dict()), scan_id))

    @_db_errors
    def mark_removed(self, scan_id: str, paths) -> None:
        with self._lock:
            self.flush()
            now = utc_now()
            with self._write():
                for path in paths:
                    self.conn.execute("INSERT INTO removals (scan_id, path, removed_at) VALUES (?,?,?)",
                                      (scan_id, path, now))
                    self.conn.execute("DELETE FROM current WHERE path = ?", (path,))

    def _write(self) -> "_Transaction":
        return _Transaction(self.conn)

    # -- incremental scans ---------------------------------------------------------------------
    @_db_errors
    def previous(self, path: str) -> FileResult | None:
        """The latest stored result for `path` (any scan), with its findings; None if unknown or removed.

        A result still in the write buffer counts (no flush: the incremental scan calls this per file).
        """
        with self._lock:
            if path in self._buffered:
                return self._buffered[path]
            row = self.conn.execute(
                f"SELECT r.id, r.n_findings, {_prefixed(rows.RESULT_COLUMNS)} FROM current c "
                "JOIN results r ON r.id = c.result_id WHERE c.path = ?", (path,)).fetchone()
            if row is None:
                return None
            found = self.conn.execute(
                f"SELECT {rows.FINDING_COLUMNS} FROM findings WHERE result_id = ? ORDER BY id",
                (row[0],)).fetchall() if row[1] else ()
        return rows.result_from_row(row[2:], tuple(rows.finding_from_row(f) for f in found))

    @_db_errors
    def previous_map(self, root: str, versions: str) -> dict[str, "Stored"]:
        """path -> what an incremental scan needs to know of the latest result of each file under `root`
        (`versions`: the versions key of this scan, to tell results that still hold)."""
        with self._lock:
            self.flush()
            low, high = queries.prefix_range(root)
            cur = self.conn.execute(
                "SELECT path, size, mtime_ns, inode, versions = ?, result_id, scan_id, versions FROM current "
                "WHERE path = ? OR (path >= ? AND path < ?)", (versions, root.rstrip("/\\") or root, low, high))
            return {row[0]: Stored._make(row[1:]) for row in cur}

    @_db_errors
    def stored_sha256(self, path: str) -> str | None:
        row = self.conn.execute("SELECT r.sha256 FROM current c JOIN results r ON r.id = c.result_id "
                                "WHERE c.path = ?", (path,)).fetchone()
        return row[0] if row else None

    @_db_errors
    def carry_forward(self, scan_id: str, result_ids: list[int]) -> None:
        """List stored results (of files unchanged since) in this scan as they are: one small row each,
        no copy of the result or its findings. The caller checked that they still hold (same stat,
        versions and zones): see scan.py."""
        with self._lock:
            self.flush()
            with self._write():
                self.conn.execute("INSERT OR IGNORE INTO scan_files (scan_id, result_id) "
                                  "SELECT ?, value FROM json_each(?)", (scan_id, json.dumps(result_ids)))

    @_db_errors
    def scans_judged_under(self, zones: str) -> set[str]:
        """Ids of the scans whose boundary findings were judged under these zones (zones.zones_key)."""
        return {sid for (sid,) in self.conn.execute(
            "SELECT id FROM scans WHERE json_extract(versions, '$.zones') IS ?", (zones,))}

    # -- reading (reports; see queries.py) -----------------------------------------------------
    @_db_errors
    def scans(self, limit: int | None = None) -> list[ScanSummary]:
        return queries.list_scans(self.conn, limit)

    @_db_errors
    def get_scan(self, scan_id: str) -> ScanSummary:
        return queries.get_scan(self.conn, scan_id)

    @_db_errors
    def scan_versions(self, scan_id: str) -> dict[str, str]:
        return queries.scan_versions(self.conn, scan_id)

    @_db_errors
    def resolve_scan(self, ref: str | None = None) -> str:
        with self._lock:
            self.flush()
        return queries.resolve_scan(self.conn, ref)

    def iter_results(self, scan_id: str):
        """FileResults of the scan (without findings), in path order, streamed."""
        return self._guarded(queries.iter_results(self.conn, scan_id))

    def iter_file_dicts(self, scan_id: str):
        """The scan's files as report dicts (FileResult.to_dict keys), streamed; faster than records."""
        return self._guarded(queries.iter_file_dicts(self.conn, scan_id))

    def iter_findings(self, scan_id: str, min_rank: int = 1):
        """(FileResult without findings, Finding) pairs of the scan, in path order, streamed."""
        return self._guarded(queries.iter_findings(self.conn, scan_id, min_rank))

    @_db_errors
    def file_counts(self, scan_id: str) -> dict[str, dict[str, int]]:
        """The scan's files counted by status, assessment and zone."""
        return queries.file_counts(self.conn, scan_id)

    @_db_errors
    def finding_counts(self, scan_id: str, suppressed, min_rank: int = 0) -> dict:
        """The scan's findings counted by severity, rule and category (suppressed ones apart)."""
        return queries.finding_counts(self.conn, scan_id, suppressed, min_rank)

    @_db_errors
    def removed_paths(self, scan_id: str) -> list[str]:
        return queries.removed_paths(self.conn, scan_id)

    @_db_errors
    def rule_ids(self, scan_id: str) -> list[str]:
        """Every rule ID among the scan's findings (suppressed or not)."""
        return queries.distinct_rules(self.conn, scan_id)

    @_db_errors
    def marked_cui_rules(self, scan_id: str, min_rank: int) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
        """The scan's marked-CUI files as (path, versions), and their findings at or above
        `min_rank` as (path, versions, rule_id): what the profile hint weighs."""
        return queries.marked_cui_rules(self.conn, scan_id, min_rank)

    def _guarded(self, generator):
        try:
            yield from generator
        except sqlite3.Error as exc:
            raise InventoryError(f"inventory {self.path}: {exc}") from None

    @_db_errors
    def max_severity(self, scan_id: str, include_suppressed: bool = False,
                     suppressed: frozenset[str] | set[str] | None = None) -> Severity | None:
        """Highest severity among the scan's findings, ignoring suppressed fingerprints unless asked.

        `suppressed`: the active suppressed fingerprints (SuppressionPolicy); None -> the stored
        suppressions active today. This decides the exit code.
        """
        self.flush()
        if suppressed is None and not include_suppressed:
            suppressed = active_fingerprints(self)
        return queries.max_severity(self.conn, scan_id, set() if include_suppressed else suppressed)


class Stored(NamedTuple):
    """The latest stored result of a file, as an incremental scan sees it."""
    size: int
    mtime_ns: int
    inode: int
    current: bool        # inspected with this scan's versions (tool, rules, model, profile)
    result_id: int
    scan_id: str
    versions: str = ""   # the versions key itself (a file a folder's cuiscan.toml gives another profile)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT: takes the write lock up front so two writers queue, never deadlock."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def _prefixed(columns: str, alias: str = "r") -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


def _create_private(path: str) -> None:
    """Create the parent folders and an empty 0600 file before SQLite writes a byte into it.

    SQLite gives the -wal and -shm files the main file's permissions, so they are private too.
    """
    target = Path(path)
    if target.is_dir():
        raise InventoryError(f"inventory path {path} is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise InventoryError(f"cannot create inventory {path}: {exc.strerror}") from None


def _check_is_ours(conn: sqlite3.Connection, path: str) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = schema.user_tables(conn)
    except sqlite3.DatabaseError as exc:
        raise InventoryError(f"{path} is not a cuiscan inventory (corrupt or not SQLite: {exc})") from None
    if app_id not in (0, schema.APPLICATION_ID) or (tables and "schema_version" not in tables):
        raise InventoryError(f"{path} is a SQLite database but not a cuiscan inventory")
    if "schema_version" in tables and schema.current_version(conn) > schema.SCHEMA_VERSION:
        raise InventoryError(f"{path} was written by a newer cuiscan (schema "
                             f"{schema.current_version(conn)} > {schema.SCHEMA_VERSION}); upgrade cuiscan")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. The switch needs an exclusive lock and SQLite does not wait for it (no busy
    handler), so two processes opening a new inventory at once would fail: retry for the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
