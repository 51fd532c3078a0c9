"""The cheap pass that picks the blocks each marking check reads (cuiscan.markings.prefilter).

block_families must give exactly what reading every 4-character window of the whole document would
give, also when a long document is read in pieces: a key across the joint of two blocks, or across
the end of a piece, still marks its blocks. The reference below reads the windows one by one in
plain Python, as the module's notes describe them.
"""
from __future__ import annotations

import random

import pytest

from cuiscan.markings import prefilter
from cuiscan.markings.prefilter import BODY, LEGACY_LINE, PAREN, block_families


def _reference(texts: list[str]) -> dict[int, int]:
    families: dict[bytes, int] = {}
    for family, windows in prefilter._KEYS:
        for w in windows:
            k = w.encode().translate(prefilter._NORMAL)
            families[k] = families.get(k, 0) | family
    whole = "\n" + "\n".join(texts) + "\n\n\n"
    n = len(whole) - 3
    raw = prefilter.normalise(whole)
    starts, at = [], 1
    for t in texts:
        starts.append(at)
        at += len(t) + 1

    def text_at(offset: int) -> int:
        return max(i for i, s in enumerate(starts) if s <= offset) if offset >= starts[0] else 0

    out: dict[int, int] = {}
    for w in range(n):
        bits = families.get(raw[w:w + 4], 0) | (PAREN if whole[w] == "(" else 0)
        if bits:
            for i in range(text_at(w), text_at(min(w + 3, n - 1)) + 1):
                out[i] = out.get(i, 0) | bits
    return out


_PARTS = ["CUI", "cui", "Controlled", "trol", "(U)", "(", "Distri", "bution", "Official", "Use", "FOUO", " ",
          "\n", "", "x", "\u0130", "\u00e9", "EAR99", "5230", "Company Proprietary", "l", "us"]


def _random_texts(rnd: random.Random) -> list[str]:
    return ["".join(rnd.choice(_PARTS) for _ in range(rnd.randrange(0, 7))) for _ in range(rnd.randrange(1, 40))]


@pytest.mark.parametrize("piece", [6, 17, 64, 1 << 17])
def test_pieces_read_every_window_once(monkeypatch, piece):
    monkeypatch.setattr(prefilter, "_PIECE", piece)
    rnd = random.Random(piece)
    for _ in range(400):
        texts = _random_texts(rnd)
        assert block_families(texts) == _reference(texts), texts


def test_long_document_keys_at_piece_ends(monkeypatch):
    """A real-sized document (several pieces): keys split by a block joint right at a piece end."""
    filler = "Review thermal firmware analysis fatigue flange schedule milestone. " * 30
    texts = [filler] * 400
    texts[150] = filler + "For Official"
    texts[151] = "Use Only " + filler
    texts[300] = "CUI"
    texts[301] = "(CUI) " + filler
    assert sum(map(len, texts)) > 4 * prefilter._PIECE
    got = block_families(texts)
    assert got == _reference(texts)
    assert got[150] & LEGACY_LINE and got[151] & LEGACY_LINE   # "l us" across the joint
    assert got[300] & BODY and got[301] & PAREN
    for piece in (1000, len(filler) + 1, len(filler) + 2, len(filler) + 3):
        monkeypatch.setattr(prefilter, "_PIECE", piece)
        assert block_families(texts) == got, piece
