"""Common text: what a marked document shares with public or unmarked documents is no evidence of copying.

Standard template text (control statements, form instructions, policy wording) sits in marked
templates and in public guidance alike. A document that quotes it repeats a passage of the marked
template, but it copied nothing controlled. So a fingerprint shared with a source does not count
towards a derivative when the same fingerprint also occurs

* in a public reference (`cuiscan reference add --public`): a document the user says is public, such
  as NIST SP 800-171 or a published template; or
* in at least `derivative_common_docs` unmarked documents of the inventory, the one judged included
  (different contents: copies of one file are one document).

What remains is judged on the distinctive part: a document that quotes the boilerplate and also
copies the source's own text is still a derivative, and its passage is measured without the
boilerplate. The quorum of unmarked documents is a trade-off, stated in the README: a CUI excerpt
pasted into that many unmarked files is treated as common text too (those copies are still found
through any longer, distinctive passage they carry).

Tables (index.py, created by PrintIndex.ensure_schema): `deriv_public` (one row per public reference: path,
content hash, word count) and `deriv_public_hash` (its distinct fingerprints). Never any text.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from cuiscan.derivatives.codec import blob_hashes
from cuiscan.derivatives.index import CANDIDATE, PrintIndex

_CHUNK = 500



@dataclass(frozen=True, slots=True)
class PublicEntry:
    path: str
    sha256: str
    words: int
    fingerprints: int
    added_at: str


def attach_public(index: PrintIndex, path: str, sha256: str, hashes: np.ndarray, words: int, added_at: str) -> None:
    """Register (or replace) the public reference at `path` with its distinct fingerprints."""
    conn = index.conn
    detach_public(index, path)
    cur = conn.execute("INSERT INTO deriv_public (path, sha256, words, fingerprints, added_at) VALUES (?,?,?,?,?)",
                       (path, sha256, words, len(hashes), added_at))
    conn.executemany("INSERT OR IGNORE INTO deriv_public_hash (hash, public_id) VALUES (?, ?)",
                     ((h, cur.lastrowid) for h in hashes.tolist()))
    index.bump()    # every candidate is due again: its verdict may change


def detach_public(index: PrintIndex, path: str) -> bool:
    conn = index.conn
    row = conn.execute("SELECT id FROM deriv_public WHERE path = ?", (path,)).fetchone()
    if row is None:
        return False
    conn.execute("DELETE FROM deriv_public_hash WHERE public_id = ?", row)
    conn.execute("DELETE FROM deriv_public WHERE id = ?", row)
    index.bump()
    return True


def public_entries(conn: sqlite3.Connection) -> list[PublicEntry]:
    rows = conn.execute("SELECT path, sha256, words, fingerprints, added_at FROM deriv_public ORDER BY path")
    return [PublicEntry(*row) for row in rows]


@dataclass
class CommonText:
    """Which of the given fingerprints are common text, per judged content (see the module doc)."""

    public: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))   # sorted
    holders: dict[int, set[int]] = field(default_factory=dict)   # hash -> unmarked contents holding it
    quorum: int = 0

    @classmethod
    def build(cls, index: PrintIndex, shared: dict[int, np.ndarray], quorum: int) -> "CommonText":
        """`shared`: content id of each judged document -> its fingerprints found in some source.
        Looks them up in the public references and in every unmarked content of the inventory."""
        wanted = np.unique(np.concatenate(list(shared.values()))) if shared else np.empty(0, dtype=np.int64)
        if not wanted.size:
            return cls(quorum=quorum)
        public = _public_hashes(index.conn, wanted)
        holders: dict[int, set[int]] = {}
        if quorum > 1:
            last = len(wanted) - 1
            for content_id, blob in _unmarked_contents(index.conn):
                hashes = blob_hashes(blob)     # raw hashes: nothing decompressed, nothing sorted
                found = hashes[wanted[np.minimum(np.searchsorted(wanted, hashes), last)] == hashes]
                for h in set(found.tolist()):
                    holders.setdefault(h, set()).add(content_id)
        return cls(public=public, holders=holders, quorum=quorum)

    def for_content(self, content_id: int, shared: np.ndarray) -> np.ndarray:
        """The fingerprints of `shared` that are common text for the document `content_id`."""
        others = self.quorum - 1
        common = [h for h in shared.tolist()
                  if others > 0 and len(self.holders.get(h, ()) - {content_id}) >= others]
        out = np.union1d(np.asarray(common, dtype=np.int64), shared[np.isin(shared, self.public)])
        return out.astype(np.int64)


def _public_hashes(conn: sqlite3.Connection, hashes: np.ndarray) -> np.ndarray:
    found: list[int] = []
    values = hashes.tolist()
    for i in range(0, len(values), _CHUNK):
        chunk = values[i:i + _CHUNK]
        found.extend(h for (h,) in conn.execute(
            f"SELECT DISTINCT hash FROM deriv_public_hash WHERE hash IN ({','.join('?' * len(chunk))})", chunk))
    return np.unique(np.asarray(found, dtype=np.int64))


def _unmarked_contents(conn: sqlite3.Connection) -> Iterable[tuple[int, bytes]]:
    """Encoded prints of every unmarked document of the inventory (each distinct content once)."""
    return conn.execute("SELECT c.id, c.prints FROM deriv_content c WHERE c.id IN "
                        "(SELECT content_id FROM deriv_file WHERE kind = ?)", (CANDIDATE,))
