"""The derivative index: fingerprints of known CUI (and of unmarked files, for later re-checks) in SQLite.

Tables (on the inventory's connection; created and migrated with the inventory's own, in
cuiscan/inventory/schema.py):

    deriv_meta     key -> integer (`generation`: bumped whenever the set of indexed sources changes)
    deriv_content  one row per distinct file content (sha256): its encoded DocPrints (hashes,
                   positions, block locations; never text), its number of distinct hashes (counted
                   when it becomes a source's content; 0 until then), and
                   whether its hashes are in the inverted index (`indexed`: it is some source's content)
    deriv_file     path + kind -> content: kind `source` (a marked file on a share), `reference`
                   (registered with `cuiscan reference add`) or `candidate` (an unmarked file); a
                   candidate also keeps the generation it was last matched at and the sources its
                   recorded result names (`hit_key`; NULL: not known)
    deriv_posting  the inverted index: hash -> (content, position of its first occurrence in the
                   content), sources only. A hash gets at most
                   `common_cap` postings; one that has them all is boilerplate and ignored by lookups,
                   which keeps each lookup's cost bounded however large the index grows.
    deriv_public   public references (`reference add --public`): path, content hash, sizes;
    deriv_public_hash  their distinct fingerprints: common text, never evidence of copying (common.py)

Copies of one file (same sha256) share one content row and one set of postings, so a document
copied to many shares does not turn its own text into "boilerplate".
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from cuiscan.derivatives.codec import decode_prints
from cuiscan.derivatives.docprints import DocPrint
from cuiscan.inventory import schema

SOURCE, REFERENCE, CANDIDATE = "source", "reference", "candidate"
SOURCE_KINDS = (SOURCE, REFERENCE)
DEFAULT_COMMON_CAP = 50
_CHUNK = 500          # host parameters per IN (...) lookup
MAX_PENDING_ROWS = 1_000_000   # deferred postings held in memory at most (16 bytes each, 5x that to write)

@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str
    kind: str
    content_id: int
    sha256: str
    categories: tuple[str, ...]
    checked_gen: int
    added_at: str


class PrintIndex:
    def __init__(self, conn: sqlite3.Connection, common_cap: int = DEFAULT_COMMON_CAP, *,
                 defer_postings: bool = False):
        self.conn = conn
        self.common_cap = common_cap
        self.changes = 0      # index changes made through this object (sources added or removed)
        # Postings of contents indexed but not yet written, written in one sorted batch: far cheaper
        # than one B-tree insert after another per source. Without `defer_postings` every transaction
        # writes its own; with it (a scan) they wait for `write_pending` or MAX_PENDING_ROWS: batches
        # of random hashes spread over the whole table rewrite most of its pages each time.
        self.defer_postings = defer_postings
        self._unwritten: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._marked_incomplete = False   # deriv_meta says postings are pending (see ensure_schema)

    def ensure_schema(self) -> None:
        """The tables are the inventory's (inventory/schema.py creates and migrates them, as it does
        on opening): here only a connection opened some other way is brought up to date, and the
        postings a dead process left unwritten are rebuilt."""
        if not self.conn.in_transaction:
            schema.migrate(self.conn)
        with self.transaction():
            if self._meta("postings_complete", 1) == 0:
                self._rebuild_postings()      # a process died holding deferred postings

    def write_pending(self) -> None:
        """Write the deferred postings now."""
        if self._unwritten:
            with self.transaction():
                self._write_postings()

    def pending_points(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The deferred postings: content id -> its distinct hashes and their positions
        (`source_points`), which the end-of-scan matcher reuses instead of decoding the prints."""
        return dict(self._unwritten)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Join the caller's transaction (as a savepoint) or run our own, taking the write lock up front."""
        conn = self.conn
        saved = dict(self._unwritten), self._marked_incomplete
        nested = conn.in_transaction
        conn.execute("SAVEPOINT deriv" if nested else "BEGIN IMMEDIATE")
        try:
            yield conn
            self._after_changes()
        except BaseException:
            self._unwritten, self._marked_incomplete = saved
            conn.execute("ROLLBACK TO deriv" if nested else "ROLLBACK")
            if nested:
                conn.execute("RELEASE deriv")
            raise
        conn.execute("RELEASE deriv" if nested else "COMMIT")

    def _after_changes(self) -> None:
        if not self._unwritten:
            return
        if not self.defer_postings or sum(len(h) for h, _ in self._unwritten.values()) >= MAX_PENDING_ROWS:
            self._write_postings()
        elif not self._marked_incomplete:
            # Committed with the contents marked indexed: if the process dies before the postings
            # are written, the next PrintIndex on this inventory rebuilds them.
            self._set_meta("postings_complete", 0)
            self._marked_incomplete = True

    def _rebuild_postings(self) -> None:
        self.conn.execute("DELETE FROM deriv_posting")
        for content_id, blob in self.conn.execute("SELECT id, prints FROM deriv_content WHERE indexed = 1").fetchall():
            self._unwritten[content_id] = source_points(decode_prints(blob, locations=False))
        self._write_postings()
        self._set_meta("postings_complete", 1)

    def _meta(self, key: str, default: int) -> int:
        row = self.conn.execute("SELECT value FROM deriv_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: int) -> None:
        self.conn.execute("INSERT INTO deriv_meta (key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- generation ------------------------------------------------------------------------------
    def generation(self) -> int:
        return self._meta("generation", 0)

    def bump(self) -> None:
        self.changes += 1
        self.conn.execute("INSERT INTO deriv_meta (key, value) VALUES ('generation', 1) "
                          "ON CONFLICT(key) DO UPDATE SET value = value + 1")

    # -- files and contents ----------------------------------------------------------------------
    def entry(self, path: str, kind: str) -> FileEntry | None:
        row = self.conn.execute(
            "SELECT f.path, f.kind, f.content_id, c.sha256, f.categories, f.checked_gen, f.added_at "
            "FROM deriv_file f JOIN deriv_content c ON c.id = f.content_id WHERE f.path = ? AND f.kind = ?",
            (path, kind)).fetchone()
        return _entry(row) if row else None

    def entries(self, kind: str) -> list[FileEntry]:
        rows = self.conn.execute(
            "SELECT f.path, f.kind, f.content_id, c.sha256, f.categories, f.checked_gen, f.added_at "
            "FROM deriv_file f JOIN deriv_content c ON c.id = f.content_id WHERE f.kind = ? ORDER BY f.path",
            (kind,)).fetchall()
        return [_entry(r) for r in rows]

    def attach(self, path: str, kind: str, sha256: str, prints: bytes,
               categories: Iterable[str] = ()) -> tuple[int, bool]:
        """Record `path` as `kind` with this content (`prints`: its encoded DocPrints, codec.py);
        returns (content id, content newly indexed).

        A candidate is attached when it was just inspected, so its recorded result names no source
        yet and it is due for matching: its hit key becomes '' and its checked generation -1."""
        content_id = self._content(sha256, prints)
        old = self.entry(path, kind)
        if old is not None and old.content_id != content_id:
            self.detach(path, kind)
        cats = ",".join(categories)
        self.conn.execute(
            "INSERT INTO deriv_file (path, kind, content_id, categories, added_at, hit_key) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(path, kind) DO UPDATE SET categories = excluded.categories, "
            "checked_gen = -1, hit_key = excluded.hit_key",
            (path, kind, content_id, cats, _now(), "" if kind == CANDIDATE else None))
        newly = kind in SOURCE_KINDS and self._set_indexed(content_id, True)
        return content_id, newly

    def detach(self, path: str, kind: str) -> bool:
        old = self.entry(path, kind)
        if old is None:
            return False
        self.conn.execute("DELETE FROM deriv_file WHERE path = ? AND kind = ?", (path, kind))
        self._collect(old.content_id)
        return True

    def mark_checked(self, checked: Iterable[tuple[str, int, str]]) -> None:
        """(path, generation, hit key) of candidates just matched."""
        self.conn.executemany("UPDATE deriv_file SET checked_gen = ?, hit_key = ? WHERE path = ? AND kind = ?",
                              ((gen, key, path, CANDIDATE) for path, gen, key in checked))

    def unchecked(self, generation: int) -> list[tuple[str, int, str | None]]:
        """(path, content id, hit key) of the candidates not matched against this generation's sources."""
        return self.conn.execute("SELECT path, content_id, hit_key FROM deriv_file WHERE kind = ? AND "
                                 "checked_gen != ? ORDER BY rowid", (CANDIDATE, generation)).fetchall()

    def prints(self, content_id: int, locations: bool = True) -> tuple[DocPrint, ...]:
        row = self.conn.execute("SELECT prints FROM deriv_content WHERE id = ?", (content_id,)).fetchone()
        return decode_prints(row[0], locations) if row else ()

    def indexed_hashes(self) -> int:
        """Distinct hashes over all indexed contents (the posting table's size, before the cap)."""
        return self.conn.execute("SELECT coalesce(sum(nhashes), 0) FROM deriv_content WHERE indexed = 1").fetchone()[0]

    def _content(self, sha256: str, prints: bytes) -> int:
        row = self.conn.execute("SELECT id FROM deriv_content WHERE sha256 = ?", (sha256,)).fetchone()
        if row:
            return row[0]
        # nhashes is only read for sources: counted when the content is indexed, not for every candidate
        cur = self.conn.execute("INSERT INTO deriv_content (sha256, prints, nhashes) VALUES (?,?,0)",
                                (sha256, prints))
        return cur.lastrowid

    def _collect(self, content_id: int) -> None:
        """Drop what no file needs any more: postings of a content no source has, unused contents."""
        kinds = {k for (k,) in self.conn.execute("SELECT DISTINCT kind FROM deriv_file WHERE content_id = ?",
                                                 (content_id,))}
        if not kinds & set(SOURCE_KINDS):
            self._set_indexed(content_id, False)
        if not kinds:
            self.conn.execute("DELETE FROM deriv_content WHERE id = ?", (content_id,))

    def _set_indexed(self, content_id: int, indexed: bool) -> bool:
        row = self.conn.execute("SELECT indexed FROM deriv_content WHERE id = ?", (content_id,)).fetchone()
        if row is None or bool(row[0]) == indexed:
            return False
        hashes, positions = source_points(self.prints(content_id, locations=False))
        if indexed:
            self._unwritten[content_id] = (hashes, positions)
            self.conn.execute("UPDATE deriv_content SET nhashes = ? WHERE id = ?", (len(hashes), content_id))
        elif self._unwritten.pop(content_id, None) is None:
            self.conn.executemany("DELETE FROM deriv_posting WHERE hash = ? AND content_id = ?",
                                  ((h, content_id) for h in hashes.tolist()))
        self.conn.execute("UPDATE deriv_content SET indexed = ? WHERE id = ?", (int(indexed), content_id))
        self.bump()
        return True

    def _write_postings(self) -> None:
        """Insert the postings of the contents indexed since the last write, sorted by hash. A hash
        gets postings only up to common_cap: past that it is boilerplate, ignored by lookups anyway."""
        if not self._unwritten:
            return
        if self._marked_incomplete:
            self._set_meta("postings_complete", 1)
            self._marked_incomplete = False
        ids = np.concatenate([np.full(len(h), cid, dtype=np.int64) for cid, (h, _) in self._unwritten.items()])
        hashes = np.concatenate([h for h, _ in self._unwritten.values()])
        positions = np.concatenate([p for _, p in self._unwritten.values()])
        self._unwritten.clear()
        order = np.argsort(hashes, kind="stable")
        hashes, ids, positions = hashes[order], ids[order], positions[order]
        distinct, first, counts = np.unique(hashes, return_index=True, return_counts=True)
        room = np.full(len(distinct), self.common_cap, dtype=np.int64)
        empty = self.conn.execute("SELECT 1 FROM deriv_posting LIMIT 1").fetchone() is None
        existing = {} if empty else self._counts(distinct)
        if existing:
            keys = np.fromiter(existing, dtype=np.int64, count=len(existing))
            room[np.searchsorted(distinct, keys)] -= np.fromiter(existing.values(), dtype=np.int64, count=len(keys))
        rank = np.arange(len(hashes)) - np.repeat(first, counts)     # place of each row within its hash
        keep = rank < np.repeat(room, counts)
        with _page_cache(self.conn, 64 * 1024):
            _insert_postings(self.conn, np.stack([hashes[keep], ids[keep], positions[keep]], axis=1))

    def _counts(self, hashes: np.ndarray) -> dict[int, int]:
        """Postings already stored per hash (only hashes that have some)."""
        found: dict[int, int] = {}
        values = hashes.tolist()
        for i in range(0, len(values), _CHUNK):
            chunk = values[i:i + _CHUNK]
            found.update(self.conn.execute(
                f"SELECT hash, count(*) FROM deriv_posting WHERE hash IN ({','.join('?' * len(chunk))}) "
                "GROUP BY hash", chunk))
        return found

    # -- lookups ---------------------------------------------------------------------------------
    def postings(self, hashes: np.ndarray) -> dict[int, list[tuple[int, int]]]:
        """hash -> [(content id, position in the content)] for the given hashes (repeats allowed);
        boilerplate hashes (those at the cap) left out."""
        self.write_pending()
        found: dict[int, list[tuple[int, int]]] = {}
        values = np.unique(hashes).tolist()
        for i in range(0, len(values), _CHUNK):
            chunk = values[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for h, content_id, pos in self.conn.execute(
                    f"SELECT hash, content_id, pos FROM deriv_posting WHERE hash IN ({marks})", chunk):
                found.setdefault(h, []).append((content_id, pos))
        return {h: hits for h, hits in found.items() if len(hits) < self.common_cap}

    def source_sizes(self, content_ids: Iterable[int]) -> dict[int, int]:
        ids = list(content_ids)
        marks = ",".join("?" * len(ids))
        return dict(self.conn.execute(f"SELECT id, nhashes FROM deriv_content WHERE id IN ({marks})", ids))

    def sources_of(self, content_ids: Iterable[int]) -> dict[int, list[FileEntry]]:
        ids = list(content_ids)
        marks = ",".join("?" * len(ids))
        out: dict[int, list[FileEntry]] = {}
        for row in self.conn.execute(
                "SELECT f.path, f.kind, f.content_id, c.sha256, f.categories, f.checked_gen, f.added_at "
                "FROM deriv_file f JOIN deriv_content c ON c.id = f.content_id "
                f"WHERE f.content_id IN ({marks}) AND f.kind IN ('source', 'reference') ORDER BY f.path", ids):
            out.setdefault(row[2], []).append(_entry(row))
        return out


_ROWS_PER_INSERT = 256      # rows per INSERT statement: 768 parameters, under SQLite's old 999 limit
_ROWS_PER_SLICE = 256 * _ROWS_PER_INSERT


@contextmanager
def _page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """Up to `kib` KiB of page cache while a scan's postings go in: with the default 2 MB the pages
    they dirty spill to the WAL and are read back while the insert goes on (30% slower)."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def _insert_postings(conn: sqlite3.Connection, rows: np.ndarray) -> None:
    """Insert (hash, content id, position) rows, many per statement: binding and stepping one
    statement per row cost twice as much as the B-tree inserts themselves. Rows become Python ints
    a slice at a time (a million of them at once would take 100 MB)."""
    insert = "INSERT OR IGNORE INTO deriv_posting (hash, content_id, pos) VALUES "
    statement = insert + ",".join(["(?,?,?)"] * _ROWS_PER_INSERT)
    width = 3 * _ROWS_PER_INSERT
    whole = len(rows) - len(rows) % _ROWS_PER_INSERT
    for start in range(0, whole, _ROWS_PER_SLICE):
        flat = rows[start:min(start + _ROWS_PER_SLICE, whole)].ravel().tolist()
        conn.executemany(statement, (flat[i:i + width] for i in range(0, len(flat), width)))
    if whole < len(rows):
        conn.execute(insert + ",".join(["(?,?,?)"] * (len(rows) - whole)), rows[whole:].ravel().tolist())


def distinct_hashes(prints: Iterable[DocPrint]) -> np.ndarray:
    arrays = [dp.hash_array() for dp in prints]
    return np.unique(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.int64)


def source_points(prints: Iterable[DocPrint]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct hashes of a content with the position of each one's first occurrence, members laid
    end to end (far apart) so that one scale covers the whole file."""
    hashes, positions, base = [], [], 0
    for dp in prints:
        pos = dp.position_array().astype(np.int64)
        hashes.append(dp.hash_array())
        positions.append(pos + base)
        base += int(pos[-1]) + 10_000 if pos.size else 0
    if not hashes:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    all_hashes, all_positions = np.concatenate(hashes), np.concatenate(positions)
    distinct, first = np.unique(all_hashes, return_index=True)
    return distinct, all_positions[first]


def _entry(row) -> FileEntry:
    path, kind, content_id, sha256, categories, checked_gen, added_at = row
    return FileEntry(path=path, kind=kind, content_id=content_id, sha256=sha256,
                     categories=tuple(c for c in categories.split(",") if c), checked_gen=checked_gen,
                     added_at=added_at)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
