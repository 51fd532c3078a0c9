"""DOC (Word 97-2003 binary): the text of each story read from the piece table, per [MS-DOC].

No maintained Python library reads .doc text with its stories apart, so this follows the published
format over olefile: the FIB gives the length of each story (main text, footnotes, headers,
comments, endnotes, text boxes) and the piece table (CLX) maps character positions to bytes of the
WordDocument stream. Headers and footers are split into their stories with the PlcfHdd (6 per
section: even/odd header, even/odd footer, first header/footer; an empty story inherits the previous
section's), sections come from the PlcfSed, "different first page" from each section's SEPX and
"different odd and even" from the DOP. Blocks are as the docx extractor's: a paragraph each, with
section and variant on header and footer text, footnotes and comments as NOTES.

Not read (said in the notes): hidden and struck-through character formatting (CHPX), fields'
formatting. Field instructions ({ PAGE }, HYPERLINK "...") are dropped, their results kept.
"""
from __future__ import annotations

import struct

from cuiscan.errors import CorruptError, EncryptedError, UnsupportedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.doc_runs import HIDDEN, STRUCK, CharRuns, sprms
from cuiscan.extractors.legacy_ole import emit_summary, open_ole, read_stream, read_summary
from cuiscan.records import Zone

_STORIES = ("text", "footnotes", "headers", "macro", "comments", "endnotes", "textboxes", "header_textboxes")
# FibRgFcLcb97 pair indexes ([MS-DOC] 2.5.6)
_PLCF_SED, _PLCF_HDD, _PLCF_BTE_CHPX, _DOP, _CLX = 6, 11, 12, 31, 33
_HDD_KINDS = ((Zone.HEADER, "even"), (Zone.HEADER, "default"), (Zone.FOOTER, "even"), (Zone.FOOTER, "default"),
              (Zone.HEADER, "first"), (Zone.FOOTER, "first"))
_SPRM_TITLE_PAGE = 0x300A
_MAX_PIECES = 1_000_000
_DROP = dict.fromkeys(map(ord, "\x00\x01\x02\x03\x04\x05\x06\x08\x0e\x0f\x10\x11\x12\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1f"))
_DROP.update({0x0B: "\n", 0x1E: "-", 0xA0: " "})


def extract_doc(src: Source, ctx: DocContext) -> None:
    with open_ole(src, ctx, "doc") as ole:
        word = read_stream(ole, "WordDocument", "doc")
        fib = _Fib(word)
        table = read_stream(ole, "1Table" if fib.which_table else "0Table", "doc")
        summary = read_summary(ole)
    text = _Text(word, table, fib)
    del word
    stories = dict(zip(_STORIES, _story_ranges(fib)))
    sections = _sections(table, fib, stories["text"][1])
    main_start, main_end = stories["text"]
    for number, (start, end) in enumerate(sections, 1):
        for para in _paragraphs(text.read(max(start, main_start), min(end, main_end))):
            _add(ctx, para, Zone.BODY, section=number)
    _emit_headers(ctx, text, table, fib, stories["headers"], len(sections))
    for story, zone, kind in (("footnotes", Zone.NOTES, "footnote"), ("endnotes", Zone.NOTES, "footnote"),
                              ("comments", Zone.NOTES, "comment"), ("textboxes", Zone.BODY, "textbox"),
                              ("header_textboxes", Zone.HEADER, "textbox")):
        start, end = stories[story]
        for para in _paragraphs(text.read(start, end)):
            _add(ctx, para, zone, kind=kind)
    emit_summary(ctx, summary)


def _add(ctx: DocContext, para: tuple, zone: Zone, *, kind: str | None = None, section: int | None = None,
         variant: str | None = None) -> None:
    visible, hidden, para_kind, struck = para
    if zone is Zone.NOTES:   # a note starts with its reference mark and a tab: the portion mark follows
        visible, hidden = visible.strip(), hidden.strip()
    kind = kind or para_kind
    ctx.add(visible, zone, section=section, variant=variant, kind=kind, struck=struck)
    ctx.add(hidden, zone, section=section, variant=variant, kind=kind, hidden=True)


class _Fib:
    """The parts of the File Information Block this reader needs."""

    def __init__(self, word: bytes):
        if len(word) < 0x22 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
            raise CorruptError("not a readable doc file: no Word file information block")
        n_fib, = struct.unpack_from("<H", word, 2)
        flags, = struct.unpack_from("<H", word, 0x0A)
        if flags & 0x0100:
            raise EncryptedError("password-protected (encrypted) Word 97-2003 document")
        if n_fib < 0x00C1:
            raise UnsupportedError("Word 6.0/95 or older .doc is not supported; save as .docx")
        self.which_table = bool(flags & 0x0200)
        pos = 0x20
        csw, = struct.unpack_from("<H", word, pos)
        pos += 2 + 2 * csw
        cslw, = struct.unpack_from("<H", word, pos)
        self.lw = struct.unpack_from(f"<{cslw}i", word, pos + 2)
        pos += 2 + 4 * cslw
        cb, = struct.unpack_from("<H", word, pos)
        if cslw < 11 or cb <= _CLX:
            raise CorruptError("not a readable doc file: truncated file information block")
        self.fclcb = struct.unpack_from(f"<{2 * cb}I", word, pos + 2)

    def pair(self, index: int) -> tuple[int, int]:
        return self.fclcb[2 * index], self.fclcb[2 * index + 1]


def _story_ranges(fib: _Fib) -> list[tuple[int, int]]:
    """(start, end) CPs of each story, in the order of _STORIES (ccpText, ccpFtn, ... in FibRgLw97)."""
    lengths = [max(fib.lw[i], 0) for i in range(3, 11)]
    ranges, start = [], 0
    for length in lengths:
        ranges.append((start, start + length))
        start += length
    return ranges


class _Text:
    """Character positions to text through the piece table."""

    def __init__(self, word: bytes, table: bytes, fib: _Fib):
        fc, lcb = fib.pair(_CLX)
        clx = _slice(table, fc, lcb, "piece table")
        pos = 0
        while pos < len(clx) and clx[pos] == 0x01:        # Prc: property modifiers, skipped
            size, = struct.unpack_from("<h", clx, pos + 1)
            pos += 3 + max(size, 0)
        if pos + 5 > len(clx) or clx[pos] != 0x02:
            raise CorruptError("not a readable doc file: no piece table")
        size, = struct.unpack_from("<I", clx, pos + 1)
        plc = _slice(clx, pos + 5, size, "piece table")
        count = (len(plc) - 4) // 12
        if count <= 0 or count > _MAX_PIECES:
            raise CorruptError("not a readable doc file: empty or oversized piece table")
        self.cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
        self.pieces = []
        for i in range(count):
            fc_value, = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * i + 2)
            compressed = bool(fc_value & 0x40000000)
            self.pieces.append((fc_value & 0x3FFFFFFF, compressed))
        self.word = word
        self.runs = CharRuns(word, table, *fib.pair(_PLCF_BTE_CHPX))

    def read(self, start: int, end: int) -> list[tuple[str, int]]:
        """(text, HIDDEN/STRUCK flags) segments of the characters start..end."""
        out = []
        for i, (fc, compressed) in enumerate(self.pieces):
            cp0, cp1 = self.cps[i], self.cps[i + 1]
            lo, hi = max(start, cp0), min(end, cp1)
            if lo >= hi:
                continue
            width = 1 if compressed else 2
            offset = (fc // 2 if compressed else fc) + width * (lo - cp0)
            raw = self.word[offset: offset + width * (hi - lo)]
            text = raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace")
            for first, last, flags in self.runs.split(offset, offset + len(raw), width):
                out.append((text[first:last], flags))
        return out


def _slice(data: bytes, fc: int, lcb: int, what: str) -> bytes:
    if lcb == 0 or fc + lcb > len(data):
        raise CorruptError(f"not a readable doc file: the {what} lies outside its stream")
    return data[fc: fc + lcb]


def _sections(table: bytes, fib: _Fib, text_end: int) -> list[tuple[int, int]]:
    """(start, end) CP of each section of the main text (PlcfSed: CPs, then 12-byte SEDs)."""
    fc, lcb = fib.pair(_PLCF_SED)
    count = (lcb - 4) // 16 if lcb >= 16 and fc + lcb <= len(table) else 0
    if count <= 0:
        return [(0, text_end)]
    cps = struct.unpack_from(f"<{count + 1}I", table, fc)
    return [(cps[i], cps[i + 1]) for i in range(count)]


def _emit_headers(ctx: DocContext, text: _Text, table: bytes, fib: _Fib, story: tuple[int, int],
                  word_sections: int) -> None:
    ctx.fact("sections", word_sections)
    even_odd = _facing_pages(table, fib)
    ctx.fact("even_odd_headers", even_odd)
    first_pages = tuple(n for n, on in enumerate(_title_pages(text.word, table, fib), 1) if on)
    ctx.fact("first_page_sections", first_pages)
    fc, lcb = fib.pair(_PLCF_HDD)
    if lcb < 8 or fc + lcb > len(table) or story[1] <= story[0]:
        return
    cps = struct.unpack_from(f"<{lcb // 4}I", table, fc)
    inherited: dict[tuple[Zone, str], list] = {}
    for number in range(1, word_sections + 1):
        applies = {"default": True, "first": number in first_pages, "even": even_odd}
        for k, (zone, variant) in enumerate(_HDD_KINDS):
            index = 6 + 6 * (number - 1) + k
            if index + 1 < len(cps) and cps[index + 1] > cps[index]:
                inherited[(zone, variant)] = text.read(story[0] + cps[index], story[0] + cps[index + 1])
            story_text = inherited.get((zone, variant))
            if story_text is None or not applies[variant]:
                continue
            for para in _paragraphs(story_text):
                _add(ctx, para, zone, section=number, variant=variant)


def _facing_pages(table: bytes, fib: _Fib) -> bool:
    fc, lcb = fib.pair(_DOP)
    return bool(lcb and fc < len(table) and table[fc] & 0x01)


def _title_pages(word: bytes, table: bytes, fib: _Fib) -> list[bool]:
    """Per section: does its SEPX turn on sprmSFTitlePage (a different first-page header)?"""
    fc, lcb = fib.pair(_PLCF_SED)
    count = (lcb - 4) // 16 if lcb >= 16 and fc + lcb <= len(table) else 0
    found = []
    for i in range(count):
        fc_sepx, = struct.unpack_from("<i", table, fc + 4 * (count + 1) + 12 * i + 2)
        found.append(_sepx_title_page(word, fc_sepx))
    return found


def _sepx_title_page(word: bytes, fc: int) -> bool:
    if fc < 0 or fc + 2 > len(word):
        return False
    size, = struct.unpack_from("<H", word, fc)
    grpprl = word[fc + 2: fc + 2 + size]
    for sprm, pos in sprms(grpprl):
        if sprm == _SPRM_TITLE_PAGE:
            return pos < len(grpprl) and grpprl[pos] != 0
    return False


def _paragraphs(segments: list[tuple[str, int]]) -> list[tuple[str, str, str, bool]]:
    """(visible text, hidden text, kind, struck) per paragraph of a story: \\r ends a paragraph,
    \\x07 a table cell; field instructions (between \\x13 and \\x14) are dropped, results kept.
    A paragraph is struck when all its visible non-blank characters are struck through."""
    out = []
    visible: list[str] = []
    hidden: list[str] = []
    struck = plain = 0
    stack: list[bool] = []      # per open field: still in its instructions?
    for text, flags in segments:
        for ch in text:
            if ch == "\x13":
                stack.append(True)
            elif ch == "\x14":
                if stack:
                    stack[-1] = False
            elif ch == "\x15":
                if stack:
                    stack.pop()
            elif stack and stack[-1]:
                continue
            elif ch in "\r\x07\x0c":
                out.append(("".join(visible).translate(_DROP), "".join(hidden).translate(_DROP),
                            "table" if ch == "\x07" else "paragraph", struck > 0 and plain == 0))
                visible, hidden, struck, plain = [], [], 0, 0
            elif flags & HIDDEN:
                hidden.append(ch)
            else:
                visible.append(ch)
                if not ch.isspace():
                    if flags & STRUCK:
                        struck += 1
                    else:
                        plain += 1
    if visible or hidden:
        out.append(("".join(visible).translate(_DROP), "".join(hidden).translate(_DROP), "paragraph",
                    struck > 0 and plain == 0))
    return [p for p in out if p[0].strip() or p[1].strip()]
