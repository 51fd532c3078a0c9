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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from cuiscan.derivatives import boilerplate
from cuiscan.derivatives.normalize import BLOCK, block_words, words_of
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


def doc_prints(docs: list[ExtractedDoc]) -> tuple[DocPrint, ...]:
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
    sums_by_length = _polynomials(word_hashes, _stop_lengths())
    masked = _boilerplate_mask(sums_by_length, n)
    grams = _finish(sums_by_length[K], K)
    if masked.any():
        grams[_touching(masked, K)] = _NONE
    kept = winnow(grams, WINDOW)
    if kept.size == 0:
        return None
    masked_so_far = np.cumsum(masked)
    used = _distinct_sorted(np.searchsorted(block_starts, kept, side="right") - 1)
    return DocPrint(
        member=doc.member,
        hashes=grams[kept].view(np.int64).astype(_HASH).tobytes(),
        positions=_scale(kept, masked_so_far).tobytes(),
        words=int(n - masked_so_far[-1]),
        locations=tuple(map(locations.__getitem__, used.tolist())),
        location_starts=_scale(block_starts[used], masked_so_far).tobytes(),
    )


def _scale(index: np.ndarray, masked_so_far: np.ndarray) -> np.ndarray:
    """Positions of the words at `index`: each masked word up to them counts BARRIER words more."""
    return (index + BARRIER * masked_so_far[index]).astype(_POS)


def ngram_hashes(word_hashes: np.ndarray, lengths: tuple[int, ...]) -> dict[int, np.ndarray]:
    """n -> 64-bit hash of every run of n consecutive words (uint64, len(words) - n + 1 of them),
    for each n in `lengths` (ascending); one pass builds all of them."""
    return {n: _finish(sums, n) for n, sums in _polynomials(word_hashes, lengths).items()}


def _polynomials(word_hashes: np.ndarray, lengths: tuple[int, ...]) -> dict[int, np.ndarray]:
    """n -> the polynomial of every run of n consecutive words (an n-gram's hash before `_finish`), for
    each n in `lengths` (ascending); one pass builds all of them."""
    out: dict[int, np.ndarray] = {}
    acc = word_hashes
    for n in range(1, lengths[-1] + 1):
        if n > 1:
            acc = acc[:-1] * _MULT          # in place from here: one new array per length
            acc += word_hashes[n - 1:]
        if n in lengths:
            out[n] = acc
    return out


def _finish(sums: np.ndarray, n: int) -> np.ndarray:
    """The hashes of n-grams from their polynomials (a new array)."""
    return _mix(sums ^ np.uint64(n))


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Indices of the kept hashes (the minimum of every window), ascending, excluded ones dropped."""
    if hashes.size == 0:
        return np.empty(0, dtype=np.int64)
    if hashes.size <= window:
        kept = np.array([int(np.argmin(hashes))], dtype=np.int64)
    else:
        kept = _distinct_sorted(_window_minima(hashes, window))
    return kept[hashes[kept] != _NONE]


def _window_minima(values: np.ndarray, window: int) -> np.ndarray:
    """Index of the smallest of every `window` consecutive values, the leftmost of equal ones (as
    argmin would). By doubling: minima of spans of 2, 4 ... values, then of two overlapping spans per
    window; a few whole-array operations cost less than an argmin per window."""
    index, span = np.arange(len(values)), 1
    while span * 2 <= window:
        values, index = _leftmost_minima(values[:-span], index[:-span], values[span:], index[span:])
        span *= 2
    count, shift = len(index) - (window - span), window - span
    return np.where(values[:count] <= values[shift:], index[:count], index[shift:])   # where, not what


def _leftmost_minima(values: np.ndarray, index: np.ndarray, right: np.ndarray, right_index: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Element-wise minimum of two spans' minima and where it is: the left span's on a tie."""
    return np.minimum(values, right), np.where(values <= right, index, right_index)


def _touching(masked: np.ndarray, k: int) -> np.ndarray:
    """For every k-gram: whether one of its k words is masked."""
    touched = masked[:len(masked) - k + 1].copy()
    for j in range(1, k):
        touched |= masked[j:j + len(touched)]
    return touched


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


class _WordHashes(dict):
    """word -> its 64-bit hash (BLAKE2b digest, little-endian), computed on first use and shared by all
    documents; emptied when full, to bound its memory. BLOCK hashes to 0, which finds block marks fast."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _CACHED_WORDS:
            self.clear()
            self[BLOCK] = 0
        digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        value = self[word] = int.from_bytes(digest, "little")
        return value


_CACHED_WORDS = 1 << 17
_WORD_HASHES = _WordHashes({BLOCK: 0})


def _encode_words(batches: Iterable[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of all words, block after block, and the index of each block's first word, from batches
    of words in which BLOCK marks where each block starts."""
    hashes, starts, done = [], [], 0
    for words in batches:
        batch = _hash_words(words)
        marks = _block_marks(batch, words)
        starts.append(done + marks - np.arange(len(marks)))   # words before each mark, marks left out
        hashes.append(np.delete(batch, marks))
        done += len(hashes[-1])
    return np.concatenate(hashes), np.concatenate(starts)


def _hash_words(words: list[str]) -> np.ndarray:
    """Hashes of the words: one C-level dictionary look-up per word, as a rule."""
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))


def _block_marks(hashes: np.ndarray, words: list[str]) -> np.ndarray:
    """Indices of the BLOCK marks among the words: those that hash to 0 and are BLOCK (a word might too)."""
    return np.array([i for i in np.flatnonzero(hashes == 0).tolist() if words[i] == BLOCK], dtype=np.int64)


def _boilerplate_mask(sums_by_length: dict[int, np.ndarray], words: int) -> np.ndarray:
    """True for every word covered by a boilerplate k-gram or a boilerplate label, from the n-grams'
    polynomials (see `_stop_polynomials`)."""
    masked = np.zeros(words, dtype=bool)
    for length, sums in sums_by_length.items():
        starts = _stop_hits(sums, length)
        masked[(starts[:, None] + np.arange(length)).ravel()] = True
    return masked


def _stop_hits(sums: np.ndarray, length: int) -> np.ndarray:
    """Indices of the n-grams (of `length` words, given by their polynomials) whose hash is a stop hash.
    Few are: a table look-up on the low bits drops almost all of them before the binary search, which
    would cost more than all else."""
    stop, maybe = _stop_polynomials(length)
    low_bits = (sums & _FILTER_MASK).view(np.int64)   # numpy's index type: no conversion pass
    candidates = np.flatnonzero(maybe[low_bits])
    found = sums[candidates]
    return candidates[stop.take(np.searchsorted(stop, found), mode="clip") == found]


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


_FILTER_MASK = np.uint64(0xFFFF)
_U64 = (1 << 64) - 1


@lru_cache(maxsize=None)
def _stop_polynomials(length: int) -> tuple[np.ndarray, np.ndarray]:
    """The polynomials of the n-grams of `length` words whose hash is a stop hash (sorted), and whether
    some has these low 16 bits, by the low 16 bits (a few hundred of 65,536 do). `_finish` is a
    bijection, so this finds the same n-grams as looking up their hashes in `_stop_hashes`, without
    finishing the n-grams of the labels' lengths, which nothing else needs."""
    sums = np.array(sorted({_unmix(h) ^ length for h in _stop_hashes().tolist()}), dtype=np.uint64)
    maybe = np.zeros(int(_FILTER_MASK) + 1, dtype=bool)
    maybe[sums & _FILTER_MASK] = True
    return sums, maybe


def _unmix(x: int) -> int:
    """The inverse of `_mix`, on one int: its steps undone in reverse order."""
    x = _unxorshift(x, int(_S31))
    x = x * pow(int(_M2), -1, 1 << 64) & _U64
    x = _unxorshift(x, int(_S27))
    x = x * pow(int(_M1), -1, 1 << 64) & _U64
    return _unxorshift(x, int(_S30))


def _unxorshift(y: int, shift: int) -> int:
    """x from y = x ^ (x >> shift): the top `shift` bits of y are x's, and every pass recovers as many more."""
    x = y
    for _ in range(64 // shift):
        x = y ^ (x >> shift)
    return x
