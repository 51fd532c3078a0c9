"""The fast paths of fingerprinting give exactly what the plain algorithm gives.

Words are split over whole batches of blocks instead of line by line, stop n-grams are looked up by
their polynomials behind a low-bits filter, and window minima are found by doubling. Each is checked
here against the straightforward version (benchmarks/fingerprint_identity.py checks a whole corpus).
"""
from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cuiscan.derivatives import docprints, normalize
from cuiscan.derivatives.normalize import BLOCK, SEP, block_words, normalise, words_of
from cuiscan.records import ExtractedDoc, Location, TextBlock

# Pieces that exercise the normaliser: enumerators, bullets, quoting, hyphens, apostrophes, portion
# marks, control and Unicode spaces, line and block separators, non-ASCII letters and digits.
PIECES = ("a", "b", "iv", "x", "3", "12", ".", ")", "(", "-", "'", "word", "The", " ", "  ", "\t", "\n",
          "\r\n", "\x0b", "\x1c", "\x1e", "\x1f", "\x85", "\u2028", "\xa0", ">", ">> ", "*", "\u2022", "\u2013",
          "(CUI)", "(U)", "(CUI//SP-CTI)", "|", "_", "\u00e9", "\u00df", "\ufb01", "\u00ad", "\u2019", "\u0663",
          "\u2460", "\u03a3", "\u0130", "\ufeff", "\u2010", "\uff26", "x\u00b2", "3.", "b)", "(iv)", "ii.",
          "\n3.", "3.\n", "b)\x1e", "> 2) ")
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _reference_split(part: str) -> list[str]:
    """Words of one block of normalised text, line by line (the plain version)."""
    enumerator = re.compile(r"[\s>*+\-\u2022\u2013\u2014\u25aa\u25cf\u25e6]*\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s")
    table = dict(normalize._SEPARATORS)
    table[ord(SEP)] = " "
    words: list[str] = []
    for line in part.split("\n"):
        marker = enumerator.match(line)
        if marker:
            line = line[marker.end():]
        line = line.translate(table)
        words.extend(line.split() if line.isascii() else re.findall(r"[^\W_]+", line))
    return words


def _doc(texts: list[str]) -> ExtractedDoc:
    blocks = tuple(TextBlock(text=t, loc=Location(line=i + 1), order=i) for i, t in enumerate(texts))
    return ExtractedDoc(ftype="txt", member=None, blocks=blocks)


def _per_block(batches) -> list[list[str]]:
    blocks: list[list[str]] = []
    for words in batches:
        for word in words:
            if word == BLOCK:
                blocks.append([])
            else:
                blocks[-1].append(word)
    return blocks


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=6), st.sampled_from([1, 5, 1 << 20]))
def test_block_words_are_the_words_of_each_block_line_by_line(blocks, batch):
    joined = normalise(SEP.join(t.replace(SEP, " ") for t in blocks))
    old, normalize._BATCH = normalize._BATCH, batch
    try:
        got = _per_block(block_words(_doc(blocks))[1])
    finally:
        normalize._BATCH = old
    assert got == [_reference_split(part) for part in joined.split(SEP)]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_words_of_is_the_plain_split(text):
    assert words_of(text) == _reference_split(normalise(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=7, max_size=60), st.integers(1, 9))
def test_window_minima_are_the_leftmost_argmin(values, window):
    values = np.array([0xFFFFFFFFFFFFFFFF if v == 3 else v for v in values], dtype=np.uint64)
    if len(values) <= window:
        return
    windows = np.lib.stride_tricks.sliding_window_view(values, window)
    expected = windows.argmin(axis=1) + np.arange(len(windows))
    assert (docprints._window_minima(values, window) == expected).all()


def test_unmix_inverts_mix():
    rng = np.random.default_rng(5)
    values = np.concatenate([rng.integers(0, 1 << 63, 500, dtype=np.int64).astype(np.uint64) * np.uint64(3),
                             np.array([0, 1, 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)])
    mixed = docprints._mix(values.copy())
    assert [docprints._unmix(int(m)) for m in mixed] == values.tolist()


def test_stop_hits_by_polynomial_are_the_stop_hashes():
    rng = np.random.default_rng(6)
    stop = docprints._stop_hashes()
    for length in docprints._stop_lengths():
        planted, _ = docprints._stop_polynomials(length)
        sums = np.concatenate([rng.integers(0, 1 << 63, 20000, dtype=np.int64).astype(np.uint64), planted[::7]])
        rng.shuffle(sums)
        direct = np.flatnonzero(np.isin(docprints._finish(sums, length), stop))
        assert direct.size >= len(planted[::7])
        assert (docprints._stop_hits(sums, length) == direct).all()


def test_word_hashes_survive_the_cache_being_emptied(monkeypatch):
    words = ["alpha", "beta", BLOCK, "gamma", "alpha"]
    expected = docprints._hash_words(words)
    docprints._WORD_HASHES.clear()
    docprints._WORD_HASHES[BLOCK] = 0
    monkeypatch.setattr(docprints, "_CACHED_WORDS", 2)
    assert (docprints._hash_words(words) == expected).all()
    assert expected[2] == 0 and docprints._WORD_HASHES[BLOCK] == 0
