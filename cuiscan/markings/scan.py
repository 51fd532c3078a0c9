"""One cheap pass per document that finds the few blocks any marking check can care about.

Most blocks of real documents hold no marking, statement or legend at all, and running every check's
regular expressions over every block cost more than extracting the text. Instead the text of all
blocks is joined once and every 4-character window of it is tested against a small set of keys with
numpy (case folded, hashed, then checked exactly): about as fast as reading the text once, whatever
the number of keys. A block that holds a key gets the bits of the check FAMILIES that key belongs to;
the checks then run their real (unchanged) logic on those blocks only.

Each key is a piece of text that every match of the family's real pattern must contain, so a block
without the key cannot match (the keys are a superset filter, never a decision). Why each key is
necessary is noted beside it; when a pattern changes, its keys must be re-derived. Case: windows are
compared with ASCII case folded (byte | 0x20), which also folds some punctuation together: that only
adds candidates. Non-ASCII characters become '?' (one byte each, so offsets stay those of the text),
except the four that case-insensitive patterns equate with ASCII letters (İ ı ſ K).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from cuiscan.records import TextBlock

# ---- families (bit flags) --------------------------------------------------------------------------
PAREN = 1 << 0        # "(": portion marks, trailing marks, lettered lists (view, portion, classified)
BODY = 1 << 1         # body banner lines: ^\s*(CUI|CONTROLLED|cui|Cui)\b (view)
DI = 1 << 2           # designation-indicator labels (diblock._DI)
CLASSIFIED = 1 << 3   # classified banner lines in the body: first item TOP SECRET|SECRET|CONFIDENTIAL
AUTHORITY = 1 << 4    # classification authority block labels (classified._CAB)
SPILL = 1 << 5        # RD/FRD notices, classified transmittal, CUI warning box (classified, paragraphs)
LEGEND = 1 << 6       # SSI / NNPI / UCNI legends (legacy._LEGENDS, paragraphs)
STATEMENT = 1 << 7    # distribution statements and home-made limitations (statements, paragraphs)
EXPORT = 1 << 8       # export warning, ITAR/EAR, destruction notice (statements, paragraphs)
REMOVAL = 1 << 9      # "when the enclosure is removed ..." (statements._REMOVAL, paragraphs)
ENCLOSURE = 1 << 10   # enclosure/attachment list lines (email._ENCLOSURE)
DISCLAIMER = 1 << 11  # "this document may contain CUI" (banner._DISCLAIMER)
DECON = 1 << 12       # DECONTROLLED marking lines (decon)
DRAFT = 1 << 13       # DRAFT / WORKING PAPER / PRE-DECISIONAL labels (supp._LABEL)
SF901 = 1 << 14       # SF 901 cover sheet (formats._SF901)

# What may stand before a word that follows \s, a line start or a block start: ASCII whitespace,
# '?' (every non-ASCII character, including Unicode spaces) and the "\n" the blocks are joined with.
_WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f?"
_KEYS: tuple[tuple[int, tuple[str, ...]], ...] = (
    # CUI after \s or at a line start: body banner hint, "may contain CUI" (\s+ before CUI)
    (BODY | DISCLAIMER, tuple(w + "cui" for w in _WS)),
    # CONTROLLED / Controlled by / Dissemination Control / Decontrol On / DECONTROLLED /
    # "controlled unclassified information"
    (BODY | DI | DISCLAIMER | DECON, ("trol",)),
    # Categor(y|ies), Distribution Statement, Point of Contact; LDC and POC start the label: after
    # \s, a line start or the ")" of a portion mark
    (DI, ("tego", "ibut", "poin") + tuple(w + x for w in _WS + ")" for x in ("ldc", "poc"))),
    (CLASSIFIED, ("cret", "fide")),                           # SECRET, CONFIDENTIAL
    (AUTHORITY, ("ssif", "eriv", "easo")),                    # Classified By/Declassify On, Derived From, Reason
    # Restricted Data, CNWDI, enclosure/attachment (transmittal), warning box: any two of its four
    # phrases include "derivative", "reviewed" or "5230.09"
    (SPILL, ("rict", "cnwd", "encl", "ttac", "eriv", "ewed", "5230")),
    (LEGEND, ("itiv", "ucle")),                               # Sensitive Security ..., Nuclear
    (STATEMENT, ("ibut", "oved", "urth")),                    # distribution, approved, further
    # export (warning, Export Administration ...), destroy, Traffic in Arms, ITAR, \s CFR, USML, ECCN, EAR99
    (EXPORT, ("xpor", "troy", "affi", "itar", "usml", "eccn", "ar99") + tuple(w + "cfr" for w in _WS)),
    (REMOVAL, ("encl", "ttac")),                              # enclosure(s), attachment(s)
    (ENCLOSURE, ("encl", "ttac") + tuple(w + "atc" for w in _WS)),   # Encl/Enclosure, Attachment, ^\s*Atch
    (DRAFT, ("draf", "orki", "cisi", "libe", "ovis")),        # DRAFT WORKING PRE-DECISIONAL DELIBERATIVE PROVISIONAL
    # (SF|STANDARD FORM)\s*-?\s*90[123]: the character before 90 ends SF/FORM, or is \s or -
    (SF901, tuple(c + "90" + d for c in _WS + "fm-" for d in "123")),
)
_SPECIAL = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
_FOLD = np.uint32(0x20202020)
_MULT = np.uint32(0x9E3779B1)
_SHIFT = np.uint32(16)


def _fold_key(window: str) -> int:
    return int.from_bytes(bytes(ord(c) | 0x20 for c in window), "little")


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hash table, sorted keys, family bits per key), built on first use."""
    bits: dict[int, int] = {}
    for family, windows in _KEYS:
        for w in windows:
            assert len(w) == 4, w
            k = _fold_key(w)
            bits[k] = bits.get(k, 0) | family
    keys = np.array(sorted(bits), dtype=np.uint32)
    table = np.zeros(1 << 16, dtype=bool)
    table[(keys * _MULT) >> _SHIFT] = True
    return table, keys, np.array([bits[int(k)] for k in keys], dtype=np.int64)


def _ascii(text: str) -> bytes:
    """One byte per character: case-insensitive equivalents of ASCII letters mapped, the rest '?'."""
    if text.isascii():
        return text.encode("ascii")
    for special, plain in _SPECIAL:
        if special in text:
            text = text.replace(special, plain)
    return text.encode("ascii", "replace")


def block_families(texts: list[str]) -> dict[int, int]:
    """Index of every text holding a key -> OR of its families' bits (texts without keys left out)."""
    if not texts:
        return {}
    joined = "\n" + "\n".join(texts)    # the leading \n: the first line starts after a "line start" too
    n = len(joined)
    raw = _ascii(joined) + b"\n\n\n"
    table, keys, key_bits = _tables()
    positions, bits = [], []
    for k in range(4):
        count = (n - k + 3) // 4
        if count <= 0:
            continue
        windows = np.frombuffer(raw, dtype="<u4", count=count, offset=k)
        folded = windows | _FOLD
        hashed = folded * _MULT
        hashed >>= _SHIFT
        hit = np.flatnonzero(table[hashed])
        if not hit.size:
            continue
        values = folded[hit]
        at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
        exact = keys[at] == values
        if exact.any():
            positions.append(hit[exact] * 4 + k)
            bits.append(key_bits[at[exact]])
    if "(" in joined:
        parens = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8, count=n) == 40)
        positions.append(parens)
        bits.append(np.full(parens.size, PAREN, dtype=np.int64))
    if not positions:
        return {}
    pos = np.concatenate(positions)
    fam = np.concatenate(bits)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - lengths     # offset of each text in `joined`
    first = np.maximum(np.searchsorted(starts, pos, side="right") - 1, 0)
    last = np.maximum(np.searchsorted(starts, np.minimum(pos + 3, n - 1), side="right") - 1, 0)
    out: dict[int, int] = {}
    for lo, hi, f in zip(first.tolist(), last.tolist(), fam.tolist()):
        for i in range(lo, hi + 1):   # a window over a joint marks the texts on both sides
            out[i] = out.get(i, 0) | f
    return out


class Candidates:
    """The blocks of one document that may matter to each family, in document order."""

    def __init__(self, blocks: tuple[TextBlock, ...] | list[TextBlock]):
        self._blocks = blocks
        masks = block_families([b.text for b in blocks])
        self._hits = sorted(masks.items())
        self.families = 0
        for _, m in self._hits:
            self.families |= m
        self._cache: dict[int, list[TextBlock]] = {}

    def __contains__(self, family: int) -> bool:
        return bool(self.families & family)

    def blocks(self, family: int) -> list[TextBlock]:
        """Blocks that hold a key of any of the given families, in document order."""
        out = self._cache.get(family)
        if out is None:
            blocks = self._blocks
            out = self._cache[family] = [blocks[i] for i, m in self._hits if m & family] \
                if self.families & family else []
        return out
