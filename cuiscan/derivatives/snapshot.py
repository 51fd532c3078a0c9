"""The inverted index held in memory for the matching at the end of a scan.

A full scan matches every candidate of the share against the index at once. One SQL lookup per
candidate costs a B-tree descent per hash; holding the index as arrays sorted by hash and looking
candidates up with a binary search in numpy is an order of magnitude cheaper. The arrays are built
from the indexed contents' own fingerprints (a few hundred blobs) rather than by reading the
posting table back row by row. They give the same answers: a hash that `common_cap` or more
sources share is boilerplate and left out, as the SQL lookup leaves it out. Used only while the
index is small enough to hold (MAX_POSTINGS, 24 bytes each) and there are enough candidates to
pay for building it; otherwise the matcher asks SQLite.
"""
from __future__ import annotations

import numpy as np

from cuiscan.derivatives.index import PrintIndex, source_points

MAX_POSTINGS = 8_000_000      # about 200 MB of arrays
MIN_CANDIDATES = 64


class PostingSnapshot:
    """Same lookups as PrintIndex (`postings`, `source_sizes`), answered from memory."""

    def __init__(self, index: PrintIndex, known: dict[int, tuple[np.ndarray, np.ndarray]] | None = None):
        """`known`: source points of contents at hand (the scan's deferred postings), not decoded again."""
        self.index = index
        self.common_cap = index.common_cap
        known = known or {}
        self._sizes: dict[int, int] = {}     # deriv_content.nhashes: the distinct hashes of each source
        hashes, ids, positions = [], [], []
        for (content_id,) in index.conn.execute("SELECT id FROM deriv_content WHERE indexed = 1").fetchall():
            points = known.get(content_id)
            distinct, first = points if points is not None else source_points(
                index.prints(content_id, locations=False))
            hashes.append(distinct)
            positions.append(first)
            ids.append(np.full(len(distinct), content_id, dtype=np.int64))
            self._sizes[content_id] = len(distinct)
        if not hashes:      # no source at all
            hashes, ids, positions = [[np.empty(0, dtype=np.int64)]] * 3
        order = np.argsort(all_hashes := np.concatenate(hashes), kind="stable")
        self.hashes = all_hashes[order]
        self.content_ids = np.concatenate(ids)[order]
        self.positions = np.concatenate(positions)[order]

    def postings(self, hashes: np.ndarray) -> dict[int, list[tuple[int, int]]]:
        """As PrintIndex.postings. Sorted keys keep the binary searches in cache (one search starts
        where the last ended); most hashes are not in the index, so the end of a hash's postings is
        looked up only for those that are."""
        keys = np.sort(hashes)
        left = np.searchsorted(self.hashes, keys, side="left")
        present = left < len(self.hashes)
        present[present] = self.hashes[left[present]] == keys[present]
        keys, left = keys[present], left[present]
        right = np.searchsorted(self.hashes, keys, side="right")
        ids, positions = self.content_ids, self.positions
        return {key: list(zip(ids[lo:hi].tolist(), positions[lo:hi].tolist()))
                for key, lo, hi in zip(keys.tolist(), left.tolist(), right.tolist()) if hi - lo < self.common_cap}

    def source_sizes(self, content_ids) -> dict[int, int]:
        """As PrintIndex.source_sizes, from memory (no SQL: it also serves forked processes)."""
        return {cid: self._sizes[cid] for cid in content_ids if cid in self._sizes}


def lookup_for(index: PrintIndex, candidates: int,
               known: dict[int, tuple[np.ndarray, np.ndarray]] | None = None) -> PrintIndex | PostingSnapshot:
    """The cheaper way to match `candidates` files against the index (`known`: see PostingSnapshot)."""
    if candidates < MIN_CANDIDATES or index.indexed_hashes() > MAX_POSTINGS:
        return index
    return PostingSnapshot(index, known)
