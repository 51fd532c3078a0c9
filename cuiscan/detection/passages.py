"""Blocks -> passages: the units that rules and the model read.

Extractors hand over text as they find it: a pdf line, a spreadsheet cell, a slide text box. A
distribution statement wraps over three pdf lines and a name sits two cells left of its SSN, so
consecutive blocks of the same place (zone + page/slide/sheet/section + member) are joined into one
passage. Whitespace is normalised to single spaces because phrase matching works on tokens and a
line break would otherwise split a phrase. Each passage remembers where each block starts, so a
match maps back to the block's Location.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable

from cuiscan.records import ExtractedDoc, Location

MAX_PASSAGE = 3000   # characters; long enough for a statement, short enough for a focused model score
_DIGIT = re.compile(r"\d")
_ZERO_ASCII_DIGITS = str.maketrans("123456789", "000000000")


@dataclass(frozen=True, slots=True)
class Passage:
    text: str
    starts: tuple[int, ...]         # offset in `text` where each contributing block begins
    locs: tuple[Location, ...]

    def location_at(self, offset: int) -> Location:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.locs[max(index, 0)]


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters, like 'İ', grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def token_text(text: str) -> str:
    """What spaCy reads, for the matchers and the model alike: lower case, every digit as 0 (a record's
    numbers are not its meaning; their shape - 000-00-0000 - is). Same length as `text`."""
    return zero_digits(lower_same_length(text))


def zero_digits(text: str) -> str:
    """Every digit (regex \\d) as 0; token_text of an already lower-cased text."""
    if text.isascii():
        return text.translate(_ZERO_ASCII_DIGITS)   # several times faster than the regex
    return _DIGIT.sub("0", text)


def build_passages(doc: ExtractedDoc, skip_texts: Iterable[str] = ()) -> list[Passage]:
    """Group the doc's blocks into passages; blocks whose text is in `skip_texts` (its banner) are left out.

    Written for speed: a spreadsheet hands over one block per cell, tens of thousands per file."""
    skip = {" ".join(s.split()).casefold() for s in skip_texts if s}
    passages: list[Passage] = []
    parts: list[str] = []
    starts: list[int] = []
    locs: list[Location] = []
    size = 0
    key = block_key = None
    last_loc = None
    for block in doc.blocks:
        text = block.text
        # Most blocks are single-spaced already: then " ".join(text.split()) == text, known without
        # splitting - ASCII whose only whitespace is single inner spaces (other whitespace is unprintable).
        if not (text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
            text = " ".join(text.split())
        if not text or (skip and text.casefold() in skip):
            continue
        loc = block.loc
        if loc is not last_loc:
            block_key = (loc.zone, loc.page, loc.slide, loc.sheet, loc.section, loc.member)
            last_loc = loc
        if block_key != key or size + len(text) + 1 > MAX_PASSAGE:
            if parts:
                passages.append(Passage(" ".join(parts), tuple(starts), tuple(locs)))
                parts, starts, locs = [], [], []
            size = 0
            key = block_key
        for chunk in (_chunks(text) if len(text) > MAX_PASSAGE else (text,)):
            if parts and size + len(chunk) + 1 > MAX_PASSAGE:
                passages.append(Passage(" ".join(parts), tuple(starts), tuple(locs)))
                parts, starts, locs, size = [], [], [], 0
            start = size + 1 if parts else 0
            starts.append(start)
            size = start + len(chunk)
            parts.append(chunk)
            locs.append(loc)
    if parts:
        passages.append(Passage(" ".join(parts), tuple(starts), tuple(locs)))
    return passages


def _chunks(text: str) -> list[str]:
    """Split an oversized block at spaces; a plain-text file can be one block of megabytes."""
    if len(text) <= MAX_PASSAGE:
        return [text]
    out = []
    while len(text) > MAX_PASSAGE:
        cut = text.rfind(" ", MAX_PASSAGE // 2, MAX_PASSAGE)
        cut = cut if cut > 0 else MAX_PASSAGE
        out.append(text[:cut])
        text = text[cut:].lstrip()
    if text:
        out.append(text)
    return out
