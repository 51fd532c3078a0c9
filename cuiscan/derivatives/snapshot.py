"""The inverted index held in memory for the matching at the end of a scan.

A full scan matches every candidate of the share against the index at once. One SQL lookup per
candidate costs a B-tree descent per hash; reading the whole posting table once, sorted by hash,
and looking candidates up with a binary search in numpy is an order of magnitude cheaper. It is
used only while the index is small enough to hold (MAX_POSTINGS rows, 16 bytes each) and there are
enough candidates to pay for the read; otherwise the matcher asks SQLite as before.
"""
from __future__ import annotations

import numpy as np

from cuiscan.derivatives.index import PrintIndex

MAX_POSTINGS = 8_000_000      # 128 MB of arrays
MIN_CANDIDATES = 64
_FETCH = 50_000


class PostingSnapshot:
    """Same lookups as PrintIndex (`postings`, `source_sizes`), answered from memory."""

    def __init__(self, index: PrintIndex, rows: int):
        self.index = index
        self.common_cap = index.common_cap
        table = np.empty((rows, 3), dtype=np.int64)
        cursor = index.conn.execute("SELECT hash, content_id, pos FROM deriv_posting ORDER BY hash")
        filled = 0
        while chunk := cursor.fetchmany(_FETCH):     # a chunk at a time: no list of millions of tuples
            if filled + len(chunk) > len(table):    # another writer added sources since the count
                table = np.concatenate([table, np.empty((len(chunk) + len(table) // 4, 3), dtype=np.int64)])
            table[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
        table = table[:filled]
        self.hashes, self.content_ids, self.positions = table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy()

    def postings(self, hashes: np.ndarray) -> dict[int, list[tuple[int, int]]]:
        left = np.searchsorted(self.hashes, hashes, side="left")
        right = np.searchsorted(self.hashes, hashes, side="right")
        counts = right - left
        found = np.flatnonzero((counts > 0) & (counts < self.common_cap))
        ids, positions = self.content_ids, self.positions
        return {int(hashes[i]): list(zip(ids[left[i]:right[i]].tolist(), positions[left[i]:right[i]].tolist()))
                for i in found.tolist()}

    def source_sizes(self, content_ids) -> dict[int, int]:
        return self.index.source_sizes(content_ids)


def lookup_for(index: PrintIndex, candidates: int) -> PrintIndex | PostingSnapshot:
    """The cheaper way to match `candidates` files against the index."""
    if candidates < MIN_CANDIDATES:
        return index
    rows = index.posting_count()
    return PostingSnapshot(index, rows) if rows <= MAX_POSTINGS else index
