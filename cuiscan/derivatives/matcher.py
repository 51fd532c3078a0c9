"""Which known sources a file repeats, how much of them, and where the repeated passage starts.

For every source that shares fingerprints with one of the file's documents, the shared k-grams are
laid out along the document and joined into passages: a shared k-gram continues a passage when at
most GAP words separate it from the passage's end (an edited word, a sentence boundary) and it sits
in the source near where the passage began (within DRIFT words of the same offset: sentences moved
within a paragraph). Phrases that two unrelated documents happen to share lie at unrelated places
of the source, so they do not chain into a passage.

A source is a hit when its best passage spans at least `min_words` words with MIN_COVER of
`min_words` inside shared k-grams, or when the file holds at least `min_share` of the source's
fingerprints in a passage of at least `share_floor` words (short sources, copied whole; not
sources of a line or two).
Boilerplate never counts: its words are masked at fingerprinting time, and hashes common to many
sources are dropped by the index.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cuiscan.derivatives.docprints import GAP, K, WINDOW, DocPrint
from cuiscan.derivatives.index import PrintIndex
from cuiscan.records import Location

MIN_SHARED = 3      # fewer shared hashes than this is never worth scoring
# Share of min_words a passage must have inside shared k-grams. A copy with one word changed in every
# sentence keeps 60-70% of its words in shared k-grams; phrases that recur by chance (template wording
# of specifications) sit 15-20 words apart and cover about a third of the span they stretch over.
MIN_COVER = 0.6
MIN_SOURCE_PRINTS = 8   # fingerprints a source needs for the share rule (about 30 words of content)
DRIFT = 160         # words a passage's text may have moved relative to the source (reordered sentences)
MAX_COMMON = 1 / 3  # share of a passage's cover that may be common text before only the rest is judged


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_words: int = 40
    min_share: float = 0.5

    def is_hit(self, span: int, covered: int, source_share: float, source_prints: int) -> bool:
        if span >= self.min_words and covered >= MIN_COVER * self.min_words:
            return True
        # A short source copied whole; a source of a line or two ("see attached, regards") is too
        # generic to tell apart from ordinary mail, so it only counts through the long-passage rule.
        return (source_prints >= MIN_SOURCE_PRINTS and source_share >= self.min_share
                and span >= self.share_floor and covered >= MIN_COVER * self.share_floor)

    @property
    def share_floor(self) -> int:
        """A whole short source must still be a passage longer than a phrase or a letterhead."""
        return max(K + WINDOW, self.min_words // 2)


@dataclass(frozen=True, slots=True)
class SourceHit:
    content_id: int
    passage_words: int        # the repeated passage (best covered), in words, estimated
    source_share: float       # share of the source's fingerprints found in the file
    file_share: float         # share of the matching document's fingerprints that come from the source
    location: Location        # the block where the longest passage starts


def find_sources(prints: tuple[DocPrint, ...], index: PrintIndex, limits: Thresholds,
                 common: np.ndarray | None = None) -> list[SourceHit]:
    """Sources the file repeats (those over the thresholds), longest passage first. Fingerprints in
    `common` (common text, common.py) do not count towards the source's share, and a passage made
    mostly of them is judged on its distinctive part only (longest_passage)."""
    if not prints:
        return []
    postings = index.postings(np.concatenate([dp.hash_array() for dp in prints]))
    if not postings:
        return []
    known = np.fromiter(postings, dtype=np.int64, count=len(postings))
    common_set = set(common.tolist()) if common is not None and common.size else set()
    shared_by_source: dict[int, set[int]] = {}
    best: dict[int, tuple[int, int, float, Location]] = {}  # source -> (covered, span, file share, location)
    for dp in prints:
        hashes, positions = dp.hash_array(), dp.position_array()
        rows = np.flatnonzero(np.isin(hashes, known))
        by_source: dict[int, list[tuple[int, int, bool]]] = {}   # source -> [(position here, there, common)]
        shared_with: dict[int, set[int]] = {}
        for h, here in zip(hashes[rows].tolist(), positions[rows].tolist()):
            is_common = h in common_set
            for content_id, source_pos in postings[h]:
                by_source.setdefault(content_id, []).append((here, source_pos, is_common))
                if not is_common:
                    shared_with.setdefault(content_id, set()).add(h)
        doc_distinct = None      # counted only for a document that shares enough with some source
        for content_id, points in by_source.items():
            shared = shared_with.get(content_id, set())
            shared_by_source.setdefault(content_id, set()).update(shared)
            if len(shared) < MIN_SHARED:
                continue
            span, covered, start = longest_passage(points)
            # Winnowing keeps a shared passage's first and last hash on average (WINDOW - 1) / 2 words
            # inside its ends: add them back, so that a copied passage of N words counts as about N.
            span = min(span + WINDOW - 1, dp.words)
            if (covered, span) > best.get(content_id, (-1, -1))[:2]:
                doc_distinct = doc_distinct or len(np.unique(hashes))
                best[content_id] = (covered, span, len(shared) / doc_distinct, dp.location_at(start))
    if not best:
        return []
    sizes = index.source_sizes(best)
    hits = []
    for content_id, (covered, span, file_share, location) in best.items():
        size = sizes.get(content_id, 0)
        source_share = len(shared_by_source[content_id]) / max(size, 1)
        if limits.is_hit(span, covered, source_share, size):
            hits.append(SourceHit(content_id=content_id, passage_words=span, source_share=min(source_share, 1.0),
                                  file_share=min(file_share, 1.0), location=location))
    hits.sort(key=lambda h: (-h.passage_words, -h.source_share, h.content_id))
    return hits


def longest_passage(points: list[tuple[int, int, bool]]) -> tuple[int, int, int]:
    """(span in words, words covered by shared k-grams, start position) of the best-covered passage among
    shared k-grams given as (position in the file, position in the source, common text), in file order.
    Several passages may be open at once: a stray shared phrase starts its own passage instead of
    breaking the one it interrupts.

    Common k-grams keep a passage open. A passage that is mostly common text (more than MAX_COMMON of
    its cover) is judged on its distinctive part: the span from its first to its last distinctive
    k-gram and their cover only. A few common phrases inside a copied passage change nothing."""
    best_all = (0, 0, 0, 0)      # (covered, span, start, distinctive cover) over all shared k-grams
    best_own = (0, 0, 0)         # (covered, span, start) over distinctive k-grams only
    # [start, end, offset, covered, distinctive start, distinctive end, distinctive covered]
    open_runs: list[list[int]] = []
    for here, there, common in points:
        offset = there - here
        open_runs = [run for run in open_runs if here <= run[1] + GAP]
        for run in open_runs:
            if abs(offset - run[2]) <= DRIFT:
                run[3] += min(K, here + K - run[1]) if here + K > run[1] else 0
                run[1] = max(run[1], here + K)
                if not common:
                    run[6] += min(K, here + K - run[5]) if here + K > run[5] else 0
                    run[4] = here if run[4] < 0 else run[4]
                    run[5] = max(run[5], here + K)
                break
        else:
            run = [here, here + K, offset, K, -1 if common else here, -1 if common else here + K, 0 if common else K]
            open_runs.append(run)
        if (run[3], run[1] - run[0]) > best_all[:2]:
            best_all = (run[3], run[1] - run[0], run[0], run[6])
        if run[4] >= 0 and (run[6], run[5] - run[4]) > best_own[:2]:
            best_own = (run[6], run[5] - run[4], run[4])
    covered, span, start, own = best_all
    if covered and own >= (1 - MAX_COMMON) * covered:
        return span, covered, start
    return best_own[1], best_own[0], best_own[2]


def shared_hashes(prints: tuple[DocPrint, ...], index: PrintIndex) -> np.ndarray:
    """The file's distinct fingerprints that some source holds (sorted)."""
    if not prints:
        return np.empty(0, dtype=np.int64)
    postings = index.postings(np.concatenate([dp.hash_array() for dp in prints]))
    return np.sort(np.fromiter(postings, dtype=np.int64, count=len(postings)))
