"""One cheap pass per document that finds the few blocks any marking check can care about.

Most blocks of real documents hold no marking, statement or legend at all, and running every check's
regular expressions over every block cost more than extracting the text. Instead the text of all
blocks is joined once and every 4-character window of it is tested against a small set of keys with
numpy (normalised, hashed into a table, hits checked exactly): a few nanoseconds per character,
whatever the number of keys. A block that holds a key gets the bits of the check FAMILIES that key belongs to;
the checks then run their real (unchanged) logic on those blocks only.

Each key is a piece of text that every match of the family's real pattern must contain, so a block
without the key cannot match (the keys are a superset filter, never a decision). Why each key is
necessary is noted beside it; when a pattern changes, its keys must be re-derived. The text is
normalised before the windows are read: ASCII letters lower-cased, every whitespace character, "?" and
every non-ASCII character (one byte each, so offsets stay those of the text) turned into a space -
except the four non-ASCII letters that case-insensitive patterns equate with ASCII ones (İ ı ſ K).
Normalising only merges characters, so it only adds candidates; so do hash collisions, which are
checked against the exact keys before a block is marked.
"""
from __future__ import annotations

import operator
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, repeat

import numpy as np

from cuiscan.records import TextBlock

# ---- families (bit flags) --------------------------------------------------------------------------
PAREN = 1 << 0        # "(" anywhere: portion marks and marks at a paragraph end (view)
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
FIELD = 1 << 15       # marking fields: "Classification: CUI", "Marking: ...", "Handling: ..." (shell._LABEL)
PROPRIETARY = 1 << 16  # company proprietary legends (legacy._COMPANY)
LEGACY_LINE = 1 << 17  # legacy words: mixed-case / wrapped legacy lines at the edges, banner-shaped ones in the body

# " " below: whatever stands before a word that follows \s, a line start or a block start (whitespace,
# a non-ASCII character, the "\n" the blocks are joined with) reads as a space once normalised.
_KEYS: tuple[tuple[int, tuple[str, ...]], ...] = (
    # CUI after \s or at a line start: body banner hint, "may contain CUI" (\s+ before CUI)
    (BODY | DISCLAIMER, (" cui",)),
    # CONTROLLED / Controlled by / Dissemination Control / Decontrol On / DECONTROLLED /
    # "controlled unclassified information"
    (BODY | DI | DISCLAIMER | DECON, ("trol",)),
    # Categor(y|ies), Distribution Statement, Point of Contact, Dissemination; LDC and POC start the label: after
    # \s, a line start or the ")" of a portion mark
    # "Limited Dissemination:" (SF 901 field) has neither "trol" nor "ibut": "emin"
    (DI, ("tego", "ibut", "poin", " ldc", ")ldc", " poc", ")poc", "emin")),
    (CLASSIFIED, ("cret", "fide")),                           # SECRET, CONFIDENTIAL
    (AUTHORITY, ("ssif", "eriv", "easo")),                    # Classified By/Declassify On, Derived From, Reason
    # Restricted Data, CNWDI, enclosure/attachment (transmittal), warning box: any two of its four
    # phrases include "derivative", "reviewed" or "5230.09"
    (SPILL, ("rict", "cnwd", "encl", "ttac", "eriv", "ewed", "5230")),
    (LEGEND, ("itiv", "ucle")),                               # Sensitive Security ..., Nuclear
    (STATEMENT, ("ibut", "oved", "urth")),                    # distribution, approved, further
    # export (warning, Export Administration ...), destroy, Traffic in Arms, ITAR, \s CFR, USML, ECCN, EAR99
    (EXPORT, ("xpor", "troy", "affi", "itar", "usml", "eccn", "ar99", " cfr")),
    (REMOVAL, ("encl", "ttac")),                              # enclosure(s), attachment(s)
    (ENCLOSURE, ("encl", "ttac", " atc")),                    # Encl/Enclosure, Attachment, ^\s*Atch
    (DRAFT, ("draf", "orki", "cisi", "libe", "ovis")),        # DRAFT WORKING PRE-DECISIONAL DELIBERATIVE PROVISIONAL
    # (SF|STANDARD FORM)\s*-?\s*90[123]: the character before 90 ends SF/FORM, or is \s or -
    (SF901, tuple(c + "90" + d for c in " fm-" for d in "123")),
    # every label of shell._LABEL / _INLINE_LABEL ends in classification, marking or handling
    (FIELD, ("ssif", "arki", "ndli")),
    # proprietary, "authorized use only", "company sensitive" / "company confidential" (also CLASSIFIED's "fide")
    (PROPRIETARY, ("prie", "oriz", "nsit")),
    # FOUO, OFFICIAL USE, LIMDIS, LIMITED (DISTRIBUTION / OFFICIAL USE), SENSITIVE (SBU, LES spelled
    # out): every legacy marking the LEGACY checks read beyond an upper-case stamp holds one
    # (a bare SBU / LES stamp is upper case: the stamp path reads every upper-case edge line anyway)
    (LEGACY_LINE, ("fouo", "l us", "limd", "mite", "nsit")),
)
_TEXT = operator.attrgetter("text")
_SPECIAL = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
_MULT = np.uint32(0x9E3779B1)
_BITS = 16
_SHIFT = np.uint32(32 - _BITS)
_NORMAL = bytes((b + 32 if 65 <= b <= 90 else 32 if b in b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f?" else b)
                for b in range(256))
_CHUNK = 1 << 15   # windows per numpy pass
_FEW = 64          # hash hits of a one-chunk document looked up without numpy
_MANY = 256        # more key hits than this are mapped to their texts with numpy
_PIECE = 1 << 17   # characters read per pass of a long document (block_families)


def _key(window: str) -> int:
    return int.from_bytes(window.encode("ascii").translate(_NORMAL), "little")


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, int]]:
    """(hash table, sorted keys, family bits per key, the same as a dict), built on first use."""
    bits: dict[int, int] = {}
    for family, windows in _KEYS:
        for w in windows:
            assert len(w) == 4, w
            k = _key(w)
            bits[k] = bits.get(k, 0) | family
    keys = np.array(sorted(bits), dtype=np.uint32)
    table = np.zeros(1 << _BITS, dtype=bool)
    table[(keys * _MULT) >> _SHIFT] = True
    return table, keys, np.array([bits[int(k)] for k in keys], dtype=np.int64), bits


def prepare() -> None:
    """Build the key tables now rather than on the first document."""
    _tables()


def normalise(text: str) -> bytes:
    """One byte per character, as the keys are compared (see the module notes)."""
    if not text.isascii():
        for special, plain in _SPECIAL:
            if special in text:
                text = text.replace(special, plain)
    return text.encode("ascii", "replace").translate(_NORMAL)


def _window_hits(raw: bytes, n: int, table: np.ndarray):
    """(offsets, windows) of the 4-byte windows starting at 0..n-1 whose hash is in the table."""
    if n < _CHUNK:   # one overlapping view: fewest numpy calls
        views = [(0, 1, np.ndarray(shape=(n,), dtype="<u4", buffer=raw, strides=(1,)))]
    else:            # four contiguous views (one per offset mod 4): vectorised loops on long texts
        views = [(k, 4, np.frombuffer(raw, dtype="<u4", count=(n - k + 3) // 4, offset=k)) for k in range(4)]
    for start, step, windows in views:
        # in slices: the temporaries stay small and in cache, and their memory is reused at once
        for first in range(0, len(windows), _CHUNK):
            chunk = windows[first:first + _CHUNK] if len(windows) > _CHUNK else windows
            hashed = chunk * _MULT
            hashed >>= _SHIFT
            hit = table.take(hashed).nonzero()[0]   # methods, not np.* wrappers: called per document
            if hit.size:
                yield (hit + first) * step + start, chunk[hit]


def block_families(texts: list[str]) -> dict[int, int]:
    """Index of every text holding a key -> OR of its families' bits (texts without keys left out).

    The texts are read as one string, "\n" + the texts joined by "\n" + "\n\n\n" (the "\n" first: line 1
    starts after a line start too; three after: a full window at every offset). A long document is
    read in pieces of about _PIECE characters, each with the two characters after it, so that the
    window at every offset is still tested once: its buffers stay in cache and reuse memory, where one
    piece per document made three fresh buffers of its size (a page fault per 4 KiB) on every scan.
    """
    if not texts:
        return {}
    found: list[tuple[int, int]] = []
    at_parts: list[np.ndarray] = []
    bit_parts: list[np.ndarray] = []
    starts: list[int] | None = None
    size = sum(map(len, texts)) + len(texts)
    if size <= _PIECE:
        n = size
        _piece_hits("\n".join(["", *texts, "", "", ""]), n, 0, found, at_parts, bit_parts)
    else:
        # offset of each text in the whole string: 1 + the lengths (each + 1 for its "\n") before it
        starts = list(accumulate(map(operator.add, map(len, texts), repeat(1)), initial=1))
        n = starts[-1] - 1
        first, count = 0, len(texts)
        while first < count:
            begin = starts[first] - 1                    # the "\n" before texts[first]
            last = bisect_right(starts, begin + _PIECE, first + 2) - 1
            end = min(max(last, first + 1), count)       # texts[first:end]; at least one text
            if end == count:
                piece, windows = "\n".join(["", *texts[first:], "", "", ""]), n - begin
            else:   # up to the "\n" before texts[end], and the two characters after that "\n"
                after = ("\n".join(texts[end:end + 3]) + "\n\n\n")[:2]
                piece, windows = "\n".join(["", *texts[first:end], after]), starts[end] - 1 - begin
            _piece_hits(piece, windows, begin, found, at_parts, bit_parts)
            first = end
    many = sum(len(part) for part in at_parts)
    if many + len(found) > _MANY:
        if found:
            at_parts.append(np.array([a for a, _ in found], dtype=np.int64))
            bit_parts.append(np.array([f for _, f in found], dtype=np.int64))
        return _by_text_vectorised(np.concatenate(at_parts), np.concatenate(bit_parts), texts, n)
    for at_part, bit_part in zip(at_parts, bit_parts):
        found.extend(zip(at_part.tolist(), bit_part.tolist()))
    if not found:
        return {}
    if starts is None:
        starts = list(accumulate(map(operator.add, map(len, texts), repeat(1)), initial=1))
    out: dict[int, int] = {}
    for at, f in found:
        lo = max(bisect_right(starts, at) - 1, 0)
        hi = max(bisect_right(starts, min(at + 3, n - 1)) - 1, 0)
        for i in range(lo, hi + 1):   # a window over a joint marks the texts on both sides
            out[i] = out.get(i, 0) | f
    return out


def _piece_hits(piece: str, n: int, base: int, found: list[tuple[int, int]],
                at_parts: list[np.ndarray], bit_parts: list[np.ndarray]) -> None:
    """Keys in the windows at offsets 0..n-1 of `piece`, recorded at offset + base: few hits (the usual
    case) as Python pairs in `found`, since a handful of numpy calls costs more than the lookups; many
    as numpy arrays. Hash collisions are dropped here."""
    raw = normalise(piece)
    table, keys, key_bits, bits_of = _tables()
    for hit, values in _window_hits(raw, n, table):
        if hit.size <= _FEW and n < _CHUNK:
            found.extend((p + base, bits_of[v]) for p, v in zip(hit.tolist(), values.tolist()) if v in bits_of)
            continue
        at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
        exact = keys[at] == values
        at_parts.append(hit[exact] + base)
        bit_parts.append(key_bits[at[exact]])
    first = piece.find("(", 0, n)   # a memchr: most texts have none, and then this is all they pay
    parens = piece.count("(", first, n) if first >= 0 else 0
    if 0 < parens <= _FEW:
        at = first
        while 0 <= at < n:
            found.append((at + base, PAREN))
            at = piece.find("(", at + 1)
    elif parens:
        at_parts.append((np.frombuffer(raw, dtype=np.uint8, count=n) == 40).nonzero()[0] + base)
        bit_parts.append(np.full(parens, PAREN, dtype=np.int64))


def _by_text_vectorised(at: np.ndarray, fam: np.ndarray, texts: list[str], n: int) -> dict[int, int]:
    """The same mapping as block_families' loop, for documents with very many hits."""
    at = at.astype(np.int64, copy=False)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - lengths
    lo = np.maximum(np.searchsorted(starts, at, side="right") - 1, 0)
    hi = np.maximum(np.searchsorted(starts, np.minimum(at + 3, n - 1), side="right") - 1, 0)
    spans = hi > lo   # windows over a joint: add every text they touch
    if spans.any():
        extra = [(i, f) for a, b, f in zip(lo[spans].tolist(), hi[spans].tolist(), fam[spans].tolist())
                 for i in range(a + 1, b + 1)]
        lo = np.concatenate([lo, np.array([i for i, _ in extra], dtype=np.int64)])
        fam = np.concatenate([fam, np.array([f for _, f in extra], dtype=np.int64)])
    order = np.argsort(lo, kind="stable")
    lo, fam = lo[order], fam[order]
    heads = np.flatnonzero(np.r_[True, lo[1:] != lo[:-1]])
    return dict(zip(lo[heads].tolist(), np.bitwise_or.reduceat(fam, heads).tolist()))


class Candidates:
    """The blocks of one document that may matter to each family, in document order."""

    def __init__(self, blocks: tuple[TextBlock, ...] | list[TextBlock]):
        self._blocks = blocks
        masks = block_families(list(map(_TEXT, blocks)))
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
