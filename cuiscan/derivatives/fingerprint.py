"""Content fingerprints: winnowing over hashed word k-grams (Schleimer, Wilkerson, Aiken 2003).

Every run of K consecutive normalised words is hashed to 64 bits; of every WINDOW consecutive
k-gram hashes the smallest is kept. Two texts that share a run of at least WINDOW + K - 1 words
therefore share at least one kept hash, whatever surrounds the run, and about 2 / (WINDOW + 1) of
all k-grams are kept. Only hashes leave this module: the text cannot be read back from them (the
hashes are not keyed, though: whoever holds them can test whether a guessed five-word phrase occurs).

Boilerplate (see boilerplate.py) is masked before winnowing: a k-gram that touches a masked word is
never kept, and each masked word advances the position scale by BARRIER, so the matcher never joins
two runs of shared words across a statement or a DI block.

Word hashes are BLAKE2b (stable across processes and runs); k-gram hashes combine them with a
polynomial and a SplitMix64 finaliser, vectorised with numpy so fingerprinting keeps up with extraction.
"""
from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cuiscan.derivatives import boilerplate
from cuiscan.derivatives.normalize import block_words, words_of
from cuiscan.records import ExtractedDoc, Location

K = 5                  # words per k-gram
WINDOW = 6             # k-grams per winnowing window: any shared run of 10+ words is seen
GAP = 20               # words a passage may bridge between shared k-grams (edited words, sentence joins)
BARRIER = GAP + K + 1  # position step of one masked word: more than any gap a passage may bridge

_NONE = np.uint64(0xFFFFFFFFFFFFFFFF)   # excluded k-gram: never the window minimum
_MULT = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_HASH, _POS = np.dtype("<i8"), np.dtype("<u4")    # stored little-endian whatever the machine


@dataclass(frozen=True, slots=True)
class DocPrint:
    """The fingerprints of one extracted document (the file itself, or one member of it).

    `hashes` (int64) and `positions` (uint32) are little-endian arrays as bytes, one entry per kept
    k-gram in text order. A position counts words from the start of the document, boilerplate
    stretched by BARRIER. `locations[i]` is the block in which positions from `location_starts[i]`
    on begin; only blocks in which some kept k-gram starts are listed.
    """

    member: str | None
    hashes: bytes
    positions: bytes
    words: int                          # words of content (boilerplate excluded)
    locations: tuple[Location, ...]
    location_starts: bytes              # uint32, ascending

    @property
    def count(self) -> int:
        return len(self.hashes) // 8

    def hash_array(self) -> np.ndarray:
        return np.frombuffer(self.hashes, dtype=_HASH)

    def position_array(self) -> np.ndarray:
        return np.frombuffer(self.positions, dtype=_POS)

    def location_at(self, position: int) -> Location:
        """The location of the block in which the word at `position` sits."""
        if not self.locations:
            return Location(member=self.member)
        starts = np.frombuffer(self.location_starts, dtype=_POS)
        i = int(np.searchsorted(starts, position, side="right")) - 1
        return self.locations[max(i, 0)]


def fingerprint_docs(docs: list[ExtractedDoc]) -> tuple[DocPrint, ...]:
    """Fingerprints of every document of a file that has enough content (at least K words)."""
    prints = []
    for doc in docs:
        dp = fingerprint_doc(doc)
        if dp is not None:
            prints.append(dp)
    return tuple(prints)


def fingerprint_doc(doc: ExtractedDoc) -> DocPrint | None:
    locations, parts = block_words(doc)
    word_hashes, block_starts = _encode_words(parts)
    n = len(word_hashes)
    if n < K:
        return None
    grams_by_length = ngram_hashes(word_hashes, _stop_lengths())
    masked = _boilerplate_mask(grams_by_length, n)
    grams = grams_by_length[K]
    touched = np.convolve(masked.astype(np.int32), np.ones(K, dtype=np.int32), mode="valid") > 0
    grams[touched] = _NONE
    kept = winnow(grams, WINDOW)
    if kept.size == 0:
        return None
    scale = (np.arange(n, dtype=np.int64) + BARRIER * np.cumsum(masked)).astype(_POS)
    used = _distinct_sorted(np.searchsorted(block_starts, kept, side="right") - 1)
    return DocPrint(
        member=doc.member,
        hashes=grams[kept].view(np.int64).astype(_HASH).tobytes(),
        positions=scale[kept].tobytes(),
        words=int(n - masked.sum()),
        locations=tuple(locations[i] for i in used),
        location_starts=scale[block_starts[used]].tobytes(),
    )


def ngram_hashes(word_hashes: np.ndarray, lengths: tuple[int, ...]) -> dict[int, np.ndarray]:
    """n -> 64-bit hash of every run of n consecutive words (uint64, len(words) - n + 1 of them),
    for each n in `lengths` (ascending); one pass builds all of them."""
    out: dict[int, np.ndarray] = {}
    acc = word_hashes
    for n in range(1, lengths[-1] + 1):
        if n > 1:
            acc = acc[:-1] * _MULT + word_hashes[n - 1:]
        if n in lengths:
            out[n] = _mix(acc ^ np.uint64(n))
    return out


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Indices of the kept hashes (the minimum of every window), ascending, excluded ones dropped."""
    if hashes.size == 0:
        return np.empty(0, dtype=np.int64)
    if hashes.size <= window:
        kept = np.array([int(np.argmin(hashes))], dtype=np.int64)
    else:
        windows = sliding_window_view(hashes, window)
        kept = _distinct_sorted(windows.argmin(axis=1) + np.arange(len(windows)))
    return kept[hashes[kept] != _NONE]


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """np.unique for an already non-decreasing array, without the sort (window minima only move right)."""
    if values.size < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


@lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little")


def _encode_words(parts: Iterable[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of all words, block after block, and the index of each block's first word. Words become
    small integer codes as they come (8 bytes a word instead of a string object each)."""
    index: dict[str, int] = {}
    codes, starts = array("q"), array("q")
    for words in parts:
        starts.append(len(codes))
        for word in set(words).difference(index):
            index[word] = len(index)
        codes.extend(map(index.__getitem__, words))
    table = np.fromiter(map(_word_hash, index), dtype=np.uint64, count=len(index))
    return table[np.frombuffer(codes, dtype=np.int64)], np.frombuffer(starts, dtype=np.int64)


def _hash_words(words: list[str]) -> np.ndarray:
    return _encode_words([words])[0]


def _boilerplate_mask(grams_by_length: dict[int, np.ndarray], words: int) -> np.ndarray:
    """True for every word covered by a boilerplate k-gram or a boilerplate label."""
    grams = np.concatenate(list(grams_by_length.values()))
    stop = _stop_hashes()
    hit = stop[np.minimum(np.searchsorted(stop, grams), len(stop) - 1)] == grams
    masked = np.zeros(words, dtype=bool)
    if hit.any():
        offset = 0
        for length, part in grams_by_length.items():
            starts = hit[offset:offset + len(part)]
            offset += len(part)
            for j in range(length):
                masked[j:j + len(starts)] |= starts
    return masked


@lru_cache(maxsize=1)
def _stop_lengths() -> tuple[int, ...]:
    """n-gram lengths to look up: the labels' word counts and K (the passages' k-grams)."""
    return tuple(sorted({K} | {len(words_of(label)) for label in boilerplate.LABELS} - {0}))


@lru_cache(maxsize=1)
def _stop_hashes() -> np.ndarray:
    """Sorted hashes of the boilerplate n-grams: every K-gram of the passages, every whole label."""
    stop: set[int] = set()
    for passage in boilerplate.PASSAGES:
        stop.update(ngram_hashes(_hash_words(words_of(passage)), (K,)).get(K, np.empty(0)).tolist())
    for label in boilerplate.LABELS:
        words = words_of(label)
        if words:
            stop.add(int(ngram_hashes(_hash_words(words), (len(words),))[len(words)][0]))
    return np.array(sorted(stop), dtype=np.uint64)
