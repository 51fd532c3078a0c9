"""XLS (Excel 97-2003, BIFF8): cells with xlrd, sheet print headers/footers from the BIFF records.

Cells, sheet names, hidden sheets and rows and cell comments come from xlrd (maintained, reads
BIFF2-8). xlrd does not keep the print header and footer, where a CUI banner goes, so those are
read from the sheet's HEADER / FOOTER records ([MS-XLS] 2.4.136 / 2.4.123) and, for the even and
first-page variants, its HeaderFooter record (2.4.137). Blocks match the xlsx extractor's: one
"row" block per non-empty row, header/footer with Excel's codes stripped, variant odd/even/first.
"""
from __future__ import annotations

import struct

from cuiscan.errors import CorruptError, EncryptedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.legacy_ole import emit_summary, open_ole, read_stream, read_summary
from cuiscan.extractors.sheets import header_footer_text
from cuiscan.records import Zone

_BOF, _EOF, _BOUNDSHEET, _HEADER, _FOOTER, _HEADERFOOTER, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0014, 0x0015, 0x089C, 0x002F


def extract_xls(src: Source, ctx: DocContext) -> None:
    import xlrd

    with open_ole(src, ctx, "xls") as ole:
        stream = read_stream(ole, "Workbook", "xls", required=False) or read_stream(ole, "Book", "xls")
        edges = _sheet_headers(stream)   # also refuses encrypted workbooks before xlrd sees them
        summary = read_summary(ole)
    try:
        book = xlrd.open_workbook(file_contents=stream, formatting_info=True, on_demand=True,
                                  logfile=_Silent(), ignore_workbook_corruption=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedError("password-protected (encrypted) Excel 97-2003 workbook") from exc
        raise CorruptError(f"not a readable xls workbook ({str(exc)[:120]})") from exc
    del stream
    ctx.pages = book.nsheets
    hidden_sheets = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        hidden = sheet.visibility != 0
        if hidden:
            hidden_sheets.append(sheet.name)
        _rows(sheet, book, hidden, ctx)
        for zone, variant, code in edges.get(sheet.name, ()):
            ctx.add(header_footer_text(code), zone, sheet=sheet.name, variant=variant, kind="paragraph",
                    hidden=hidden)
        for (row, col), note in sorted(sheet.cell_note_map.items()):
            ctx.add((note.text or "").strip(), Zone.NOTES, sheet=sheet.name, cell=_ref(row, col),
                    kind="comment", hidden=hidden)
        book.unload_sheet(index)
    ctx.fact("hidden_sheets", tuple(hidden_sheets))
    emit_summary(ctx, summary)


def _rows(sheet, book, hidden: bool, ctx: DocContext) -> None:
    import xlrd

    add = ctx.add
    for row in range(sheet.nrows):
        cells, first = [], None
        for col, cell in enumerate(sheet.row(row)):
            text = _cell_text(cell, xlrd)
            if text and not text.isspace():
                cells.append(text)
                if first is None:
                    first = _ref(row, col)
        if cells:
            info = sheet.rowinfo_map.get(row)
            add(" | ".join(cells), Zone.BODY, sheet=sheet.name, line=row + 1, cell=first, kind="row",
                hidden=hidden or bool(info is not None and info.hidden))


def _cell_text(cell, xlrd) -> str | None:
    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_TEXT:
        return value
    if kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
        return str(int(value)) if float(value).is_integer() else repr(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    return None


def _sheet_headers(stream: bytes) -> dict[str, list[tuple[Zone, str, str]]]:
    """Sheet name -> [(zone, variant, header/footer code)], from the BIFF8 record stream."""
    sheets = []
    for rtype, body, _ in _records(stream, 0):
        if rtype == _FILEPASS:
            raise EncryptedError("password-protected (encrypted) Excel 97-2003 workbook")
        if rtype == _BOUNDSHEET and len(body) >= 8:
            # lbPlyPos (4), hsState (1), dt (1), then the name as ShortXLUnicodeString (1-byte length)
            sheets.append((_unicode_string(body, 7, body[6]), struct.unpack_from("<I", body)[0]))
        if rtype == _EOF:
            break
    found: dict[str, list[tuple[Zone, str, str]]] = {}
    for name, offset in sheets:
        edges: list[tuple[Zone, str, str]] = []
        for rtype, body, _ in _records(stream, offset):
            if rtype == _HEADER and body:
                edges.append((Zone.HEADER, "odd", _unicode_string(body)))
            elif rtype == _FOOTER and body:
                edges.append((Zone.FOOTER, "odd", _unicode_string(body)))
            elif rtype == _HEADERFOOTER:
                edges.extend(_header_footer_variants(body))
            elif rtype == _EOF:
                break
        found[name] = [e for e in edges if e[2]]
    return found


def _records(stream: bytes, offset: int):
    """(type, body, offset) of each BIFF record from `offset`; stops at the end or a cut record."""
    pos = offset
    end = len(stream)
    while pos + 4 <= end:
        rtype, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > end:
            return
        yield rtype, stream[pos + 4: pos + 4 + size], pos
        pos += 4 + size


def _unicode_string(body: bytes, pos: int = 0, count: int | None = None) -> str:
    """XLUnicodeString: 2-byte length (unless given), 1 flag byte, then 8-bit or UTF-16 characters."""
    try:
        if count is None:
            count = struct.unpack_from("<H", body, pos)[0]
            pos += 2
        high = body[pos] & 1
        pos += 1
        if high:
            return body[pos: pos + 2 * count].decode("utf-16-le", "replace")
        return body[pos: pos + count].decode("latin-1")
    except (IndexError, struct.error):
        return ""


def _header_footer_variants(body: bytes) -> list[tuple[Zone, str, str]]:
    """HeaderFooter (Excel 2007+): the even and first-page strings, when those variants are on."""
    # FrtHeader (12) + guidSView (16) + flags (2) + 4 lengths (2 each), then the strings in order.
    if len(body) < 38:
        return []
    flags = struct.unpack_from("<H", body, 28)[0]
    even_on, first_on = bool(flags & 0x1), bool(flags & 0x2)
    lengths = struct.unpack_from("<4H", body, 30)
    pos, out = 38, []
    for (zone, variant, on), count in zip(((Zone.HEADER, "even", even_on), (Zone.FOOTER, "even", even_on),
                                           (Zone.HEADER, "first", first_on), (Zone.FOOTER, "first", first_on)),
                                          lengths):
        if count == 0:
            continue
        high = body[pos] & 1 if pos < len(body) else 0
        text = _unicode_string(body, pos, count)
        pos += 1 + count * (2 if high else 1)
        if on:
            out.append((zone, variant, text))
    return out


def _ref(row: int, col: int) -> str:
    letters, index = "", col + 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class _Silent:
    """xlrd writes warnings about odd records to a log file; they are not findings."""

    def write(self, _text: str) -> None:
        pass
