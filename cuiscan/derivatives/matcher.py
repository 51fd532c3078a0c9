"""Which known sources a file repeats, how much of them, and where the repeated passage starts.

For every source that shares fingerprints with one of the file's documents, the shared k-grams are
laid out along the document and joined into passages: two shared k-grams belong to one passage when
at most GAP words separate them (an edited word, a sentence moved within a paragraph). A source is a
hit when the longest passage has at least `min_words` words, or when the file holds at least
`min_share` of the source's fingerprints in a passage of at least `share_floor` words (short
sources, copied whole). Boilerplate never counts: its hashes are masked at fingerprinting time, and
hashes common to many sources are dropped by the index.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cuiscan.derivatives.fingerprint import GAP, K, WINDOW, DocPrint
from cuiscan.derivatives.index import PrintIndex, distinct_hashes
from cuiscan.records import Location

MIN_SHARED = 3      # fewer shared hashes than this is never worth scoring


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_words: int = 40
    min_share: float = 0.5

    @property
    def share_floor(self) -> int:
        """A whole short source must still be a passage longer than a phrase or a letterhead."""
        return max(K + WINDOW, self.min_words // 2)


@dataclass(frozen=True, slots=True)
class SourceHit:
    content_id: int
    passage_words: int        # the longest repeated passage, in words
    source_share: float       # share of the source's fingerprints found in the file
    file_share: float         # share of the matching document's fingerprints that come from the source
    location: Location        # the block where the longest passage starts


def find_sources(prints: tuple[DocPrint, ...], index: PrintIndex, limits: Thresholds,
                 consider: Callable[[int], bool] | None = None) -> list[SourceHit]:
    """Sources the file repeats, longest passage first. `consider` limits which sources are scored."""
    postings = index.postings(distinct_hashes(prints))
    if consider is not None:
        postings = {h: kept for h, ids in postings.items() if (kept := [c for c in ids if consider(c)])}
    if not postings:
        return []
    known = np.fromiter(postings, dtype=np.int64, count=len(postings))
    shared_by_source: dict[int, set[int]] = {}
    best: dict[int, tuple[int, float, Location]] = {}      # source -> (passage, file share, location)
    for dp in prints:
        hashes, positions = dp.hash_array(), dp.position_array()
        rows = np.flatnonzero(np.isin(hashes, known))
        by_source: dict[int, list[int]] = {}
        for row in rows.tolist():
            for content_id in postings[int(hashes[row])]:
                by_source.setdefault(content_id, []).append(row)
        doc_distinct = len(np.unique(hashes))
        for content_id, source_rows in by_source.items():
            shared = {int(hashes[r]) for r in source_rows}
            shared_by_source.setdefault(content_id, set()).update(shared)
            if len(source_rows) < MIN_SHARED:
                continue
            length, start = longest_passage(positions[source_rows])
            if length > best.get(content_id, (-1,))[0]:
                best[content_id] = (length, len(shared) / doc_distinct, dp.location_at(start))
    if not best:
        return []
    sizes = index.source_sizes(best)
    hits = []
    for content_id, (length, file_share, location) in best.items():
        source_share = len(shared_by_source[content_id]) / max(sizes.get(content_id, 0), 1)
        if length >= limits.min_words or (source_share >= limits.min_share and length >= limits.share_floor):
            hits.append(SourceHit(content_id=content_id, passage_words=length, source_share=min(source_share, 1.0),
                                  file_share=min(file_share, 1.0), location=location))
    hits.sort(key=lambda h: (-h.passage_words, -h.source_share, h.content_id))
    return hits


def longest_passage(positions: np.ndarray) -> tuple[int, int]:
    """(words, start position) of the longest run of shared k-grams, each within GAP words of the last."""
    best_len, best_start = 0, 0
    start = end = None
    for pos in positions.tolist():
        if start is None or pos > end + GAP:
            start, end = pos, pos + K
        else:
            end = max(end, pos + K)
        if end - start > best_len:
            best_len, best_start = end - start, start
    return best_len, best_start
