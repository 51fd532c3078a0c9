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
import string
import unicodedata
from collections.abc import Iterator

from cuiscan.records import ExtractedDoc, Location, TextBlock, Zone

SEP = "\x1e"    # joins block texts so one regex pass sees block boundaries as line starts
BLOCK = "|"     # stands for a block start in the word lists of `block_words`: never a word, "|" separates words
_BATCH = 1 << 20   # characters of text split into words at once: bounds the memory a large document's words take

_SKIPPED_ZONES = frozenset({Zone.METADATA, Zone.FILENAME})
_RUNNING_ZONES = frozenset({Zone.HEADER, Zone.FOOTER})
_TEMPLATE_VARIANTS = frozenset({"layout", "master"})

_FOLD = str.maketrans({
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,   # invisible
    "\u2010": "-", "\u2011": "-",                                                      # hyphens
    "\u2018": "'", "\u2019": "'", "\u02bc": "'",                                       # apostrophes
})
_PORTION_MARK = re.compile(r"\((?:U|CUI)(?://[A-Z0-9 ,/&\-]*)?\)")
# Patterns start with a literal so the regex engine can skip ahead: these run over whole documents.
# "speci-" at the end of a line or block: pull the continuation up so the word is whole again.
_BROKEN_WORD = re.compile(r"-(?<=[^\W_]-)[ \t]*([\n\x1e])[ \t]*([^\W_]+)")
_INNER_HYPHEN = re.compile(r"-(?<=[^\W_]-)(?=[^\W_])")
_INNER_APOSTROPHE = re.compile(r"'(?<=[^\W_]')(?=[^\W_])")
# Numbered list items ("3.", "b)", "(iv)") once quote marks and bullets are blanked out, at the start
# of a line or block. The whole text is searched at once, so the pattern's spaces exclude the line and
# block breaks (a match never leaves its line), and each line start gets its own pattern that begins
# with that literal character: the regex engine then skips ahead to the next one quickly.
_LINE_SPACE = r"[^\S\n\x1e]"
_ENUMERATOR = (rf"(?:{_LINE_SPACE}|[>*+\-\u2022\u2013\u2014\u25aa\u25cf\u25e6])*"
               rf"\(?(?:\d{{1,3}}|[a-z]|[ivx]{{1,4}})[.)]{_LINE_SPACE}")
_ENUMERATOR_AFTER = {brk: re.compile(brk + _ENUMERATOR) for brk in ("\x1e", "\n")}
_WORD_OR_BLOCK = re.compile(r"[^\W_]+|\|")


def _separators() -> dict[int, str]:
    """Punctuation and symbols that separate words: ASCII, Latin-1, general punctuation, arrows,
    math, box drawing, geometric shapes (bullets), dingbats. Applied with str.translate (C speed).
    Control characters too, but for line breaks and SEP, which `_marked_words` still needs."""
    table = {ord(c): " " for c in string.punctuation}
    table.update({cp: " " for cp in (*range(0x00, 0x0A), *range(0x0B, 0x1E), *range(0x1F, 0x20), 0x7F)})
    for low, high in ((0x80, 0xBF), (0x2000, 0x206F), (0x2190, 0x23FF), (0x2500, 0x27BF),
                      (0x2E00, 0x2E7F), (0x3000, 0x303F), (0xFE30, 0xFE4F)):
        table.update({cp: " " for cp in range(low, high + 1)})
    table.update({0xD7: " ", 0xF7: " ", 0xFFFD: " "})
    return table


_SEPARATORS = _separators()


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
    """Casefolded text with marks, hyphenation and apostrophes resolved; still has its punctuation
    and line breaks, which `_marked_words` uses (list enumerators sit at the start of a line)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_FOLD))
    if "(" in text:
        text = _PORTION_MARK.sub(" ", text)
    if "-" in text:
        text = _BROKEN_WORD.sub(r"\2\1", text)
        text = _INNER_HYPHEN.sub("", text)
    if "'" in text:
        text = _INNER_APOSTROPHE.sub("", text)
    return text.casefold()


def words_of(text: str) -> list[str]:
    """Normalised words of one text (a SEP in it is just a separator)."""
    return _marked_words(SEP + normalise(text).replace(SEP, " "))[1:]


def block_words(doc: ExtractedDoc) -> tuple[list[Location], Iterator[list[str]]]:
    """The locations of the document's content blocks, and the normalised words of the blocks in
    batches of whole blocks, each block's words preceded by BLOCK (lazily: a large document never
    holds all its words as strings at once)."""
    blocks = content_blocks(doc)
    # One normalising pass over the joined text is much faster than one per block (PDFs have a
    # block per line), and it sees a word hyphenated across two blocks.
    text = normalise(SEP.join(b.text.replace(SEP, " ") for b in blocks))
    return [b.loc for b in blocks], map(_marked_words, _batches(SEP + text))


def _batches(text: str) -> Iterator[str]:
    """Pieces of about _BATCH characters of `text`, each beginning with the SEP of a block start."""
    start = 0
    while start < len(text):
        end = text.find(SEP, start + _BATCH)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end


def _marked_words(text: str) -> list[str]:
    """Words of normalised text that starts with SEP, with BLOCK in place of each SEP. A few calls over
    whole batches of blocks cost much less than a few per block and line (spreadsheets have a block
    per cell)."""
    for brk, enumerator in _ENUMERATOR_AFTER.items():
        text = enumerator.sub(brk, text)
    text = text.translate(_SEPARATORS).replace(SEP, f" {BLOCK} ")
    # ASCII text is letters, digits and spaces by now: str.split finds the same words as the regex.
    return text.split() if text.isascii() else _WORD_OR_BLOCK.findall(text)
