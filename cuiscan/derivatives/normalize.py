"""From extracted blocks to one stream of normalised words, with where each block starts in it.

The same sentence must give the same words whether it sits in a Word paragraph, a PDF page broken
into lines, pptx bullets, spreadsheet rows or a quoted email reply. So:

* only the text counts: case (casefold), punctuation, whitespace and Unicode forms (NFKC: ligatures,
  full-width forms, no-break spaces) are dropped or folded;
* line and block boundaries are ignored: words flow on from one block into the next, so a passage
  split over bullets, table cells, rows or reflowed lines reads as it did in one paragraph;
* hyphenation is undone: "speci-" + newline + "fication" and "high-temperature" both become one word
  (so "high-" + newline + "temperature" agrees with the unbroken compound);
* layout furniture is removed: email quote prefixes ("> ", ">> "), bullets and list enumerators at
  the start of a line, and CUI portion marks "(CUI)", "(U)", "(CUI//SP-CTI)";
* blocks that are not content are left out: metadata and file names, docx/pptx/xlsx running
  headers and footers, and pptx text inherited from layouts and masters. PDF and plain-text lines
  tagged header/footer are kept: those zones are a guess from the position of the line on the page.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cuiscan.records import ExtractedDoc, Location, TextBlock, Zone

SEP = "\x1e"    # joins block texts so one regex pass sees block boundaries as line starts

_SKIPPED_ZONES = frozenset({Zone.METADATA, Zone.FILENAME})
_RUNNING_ZONES = frozenset({Zone.HEADER, Zone.FOOTER})
_TEMPLATE_VARIANTS = frozenset({"layout", "master"})

_FOLD = str.maketrans({
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,   # invisible
    "\u2010": "-", "\u2011": "-",                                                      # hyphens
    "\u2018": "'", "\u2019": "'", "\u02bc": "'",                                       # apostrophes
})
_LINE_START = r"(?:^|(?<=\x1e))"
_PORTION_MARK = re.compile(r"\((?:U|CUI)(?://[A-Z0-9 ,/&\-]*)?\)")
_QUOTE_PREFIX = re.compile(_LINE_START + r"[ \t]*(?:>[ \t]?)+", re.M)
_LIST_MARKER = re.compile(
    _LINE_START + r"[ \t]*(?:[\u2022\u25e6\u25aa\u25ab\u2023\u2219\u00b7\u25cf\u25cb\u25a0\u25a1"
    r"\u27a2\u27a4\u25ba\u25b6\u2713\u2714\u2013\u2014*+-]|\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})[.)])[ \t]+",
    re.M)
# "speci-" at the end of a line or block: pull the continuation up so the word is whole again.
_BROKEN_WORD = re.compile(r"(?<=[^\W_])-[ \t]*([\n\x1e])[ \t]*([^\W_]+)")
_INNER_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class WordStream:
    words: list[str]
    block_starts: list[int]            # index in `words` of each block's first word (ascending)
    locations: list[Location]          # the block's location, parallel to block_starts


def content_blocks(doc: ExtractedDoc) -> list[TextBlock]:
    """The blocks whose text is the document's content (see the module docstring)."""
    kept = []
    for block in doc.blocks:
        zone = block.loc.zone
        if zone in _SKIPPED_ZONES or block.variant in _TEMPLATE_VARIANTS:
            continue
        if zone in _RUNNING_ZONES and block.kind != "line":
            continue
        kept.append(block)
    return kept


def normalise(text: str) -> str:
    """Normalised text of one or more blocks joined by SEP; words are `_WORD` runs of the result."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_FOLD))
    text = _PORTION_MARK.sub(" ", text)
    text = _QUOTE_PREFIX.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = _BROKEN_WORD.sub(r"\2\1", text)
    text = _INNER_HYPHEN.sub("", text)
    text = _INNER_APOSTROPHE.sub("", text)
    return text.casefold()


def words_of(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def word_stream(doc: ExtractedDoc) -> WordStream:
    blocks = content_blocks(doc)
    # One pass over the joined text is much faster than one per block (PDFs have a block per line).
    parts = normalise(SEP.join(b.text.replace(SEP, " ") for b in blocks)).split(SEP)
    words: list[str] = []
    starts: list[int] = []
    for part in parts:
        starts.append(len(words))
        words.extend(_WORD.findall(part))
    return WordStream(words=words, block_starts=starts, locations=[b.loc for b in blocks])
