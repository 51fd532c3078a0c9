"""XLSX: cell text per row (streamed), sheet headers/footers with Excel codes stripped, comments,
drawing text boxes, hidden sheets and rows.

Sheets are streamed with iterparse (memory stays flat for million-row sheets); shared strings are
read once. Cell values are the stored text: numbers as written in the file, no number formats.
"""
from __future__ import annotations

import re

from cuiscan.errors import CorruptError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.ooxml import (R_ID, Package, emit_core_properties, emit_pictures, open_package, require_root,
                                      unescape_ooxml)
from cuiscan.records import Zone

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
S_ROW, S_C, S_V, S_IS, S_T, S_R, S_SI = S + "row", S + "c", S + "v", S + "is", S + "t", S + "r", S + "si"
S_HF = S + "headerFooter"
_HF_PARTS = (("oddHeader", Zone.HEADER, "odd"), ("evenHeader", Zone.HEADER, "even"),
             ("firstHeader", Zone.HEADER, "first"), ("oddFooter", Zone.FOOTER, "odd"),
             ("evenFooter", Zone.FOOTER, "even"), ("firstFooter", Zone.FOOTER, "first"))
# Excel header/footer codes ([MS-XLSB] 2.5.73 / ECMA-376 18.3.1.39): && is a literal ampersand;
# &L &C &R start a section; &"font,style", &<size>, &K<colour>, and single-letter fields go away.
_HF_TOKEN = re.compile(
    r'&&|&"[^"]*"?|&\d+(?:\.\d+)?|&[Kk][0-9A-Fa-f]{2}[0-9A-Fa-f+\-][0-9A-Fa-f]{3}|&[LCRlcr]'
    r'|&[PpNn](?:[+-]\d+)?|&.?|[^&]+', re.S)
_SPACES = re.compile(r"[ \t]+")
_BOOLEAN = {"0": "FALSE", "1": "TRUE"}
_TRUE = ("1", "true")


def extract_xlsx(src: Source, ctx: DocContext) -> None:
    with open_package(src, ctx.limits) as pkg:
        main = pkg.main_part("xl/workbook.xml")
        book = pkg.xml(main)
        require_root(book, S + "workbook", main)
        rels = pkg.rels(main)
        strings = _shared_strings(pkg, main)
        sheets = list(book.iter(S + "sheet"))
        ctx.pages = len(sheets)
        hidden_sheets = []
        for sheet in sheets:
            name = sheet.get("name") or "?"
            hidden = sheet.get("state") in ("hidden", "veryHidden")
            if hidden:
                hidden_sheets.append(name)
            rel = rels.get(sheet.get(R_ID))
            if rel is None or rel.external or not pkg.has(rel.target):
                continue
            if rel.is_a("worksheet"):
                _read_rows(pkg, rel.target, name, hidden, strings, ctx)
            elif rel.is_a("chartsheet"):
                _read_header_footer_only(pkg, rel.target, name, hidden, ctx)
            _read_comments(pkg, rel.target, name, hidden, ctx)
            _read_drawings(pkg, rel.target, name, hidden, ctx)
        ctx.fact("hidden_sheets", tuple(hidden_sheets))
        emit_core_properties(pkg, ctx)
        emit_pictures(pkg, ctx, "xl/media/")   # a scan pasted onto a sheet: read by OCR like docx pictures


def header_footer_text(code: str) -> str:
    """Printed text of an Excel header/footer string: codes gone, sections left-centre-right (tab-separated)."""
    sections = {"L": [], "C": [], "R": []}
    current = "C"   # text before any section code is centred
    for token in _HF_TOKEN.findall(code):
        if token == "&&":
            sections[current].append("&")
        elif token.startswith("&"):
            if len(token) == 2 and token[1] in "LCRlcr":
                current = token[1].upper()
        else:
            sections[current].append(token)
    texts = (_SPACES.sub(" ", "".join(sections[key])).strip() for key in "LCR")
    # a tab between sections: they print apart (left, centre, right), and the marking checks read
    # each as its own field ("Acme<tab>CUI<tab>Page of"), as in a docx header with tab stops
    return "\t".join(t for t in texts if t)


def _shared_strings(pkg: Package, main: str) -> list[str]:
    parts = pkg.related(main, "sharedStrings")
    if not parts or not pkg.has(parts[0]):
        return []
    strings = []
    for si in pkg.iterparse(parts[0], (S_SI,)):
        strings.append(_rich_text(si))
    return strings


def _rich_text(el) -> str:
    """Text of an si / is / comment text element: its t, or its runs' t; phonetic runs left out."""
    pieces = []
    for child in el:
        if child.tag == S_T:
            pieces.append(child.text or "")
        elif child.tag == S_R:
            t = child.find(S_T)
            if t is not None and t.text:
                pieces.append(t.text)
    return unescape_ooxml("".join(pieces))


def _read_rows(pkg: Package, part: str, name: str, hidden: bool, strings: list[str], ctx: DocContext) -> None:
    add = ctx.add
    row_number = 0
    for el in pkg.iterparse(part, (S_ROW, S_HF)):
        if el.tag == S_HF:
            _emit_header_footer(el, name, hidden, ctx)
            continue
        row_number = _int(el.get("r"), row_number + 1)
        cells = []
        first_ref = None
        for column, c in enumerate(el.iterchildren(S_C), 1):
            text = _cell_text(c, strings)
            if text and not text.isspace():
                cells.append(text)
                if first_ref is None:
                    first_ref = c.get("r") or f"{column_letters(column)}{row_number}"
        if cells:
            add(" | ".join(cells), Zone.BODY, sheet=name, line=row_number, cell=first_ref, kind="row",
                hidden=hidden or el.get("hidden") in _TRUE)


def _cell_text(c, strings: list[str]) -> str | None:
    """The stored text of a cell: its inline string (is) when t="inlineStr", else its value (v).
    A loop over the cell's one or two children: lxml's find() costs more, and this runs per cell."""
    for child in c:
        tag = child.tag
        if tag == S_V:
            text = child.text
            kind = c.get("t")
            if kind == "inlineStr":
                continue
            if text is None or kind is None or kind == "n":
                return text
            if kind == "s":
                try:
                    return strings[int(text)]
                except (ValueError, IndexError):
                    raise CorruptError(f"cell {c.get('r', '?')} points at a shared string that does not exist") from None
            if kind == "b":
                return _BOOLEAN.get(text, text)
            return unescape_ooxml(text) if kind == "str" else text
        if tag == S_IS and c.get("t") == "inlineStr":
            return _rich_text(child)
    return None


def _read_header_footer_only(pkg: Package, part: str, name: str, hidden: bool, ctx: DocContext) -> None:
    for el in pkg.iterparse(part, (S_HF,)):
        _emit_header_footer(el, name, hidden, ctx)


def _emit_header_footer(hf, name: str, hidden: bool, ctx: DocContext) -> None:
    """Only the variants that print: even with differentOddEven, first with differentFirst."""
    applies = {"odd": True, "even": hf.get("differentOddEven") in _TRUE,
               "first": hf.get("differentFirst") in _TRUE}
    for tag, zone, variant in _HF_PARTS:
        el = hf.find(S + tag)
        if el is not None and el.text and applies[variant]:
            ctx.add(header_footer_text(el.text), zone, sheet=name, variant=variant,
                    kind="paragraph", hidden=hidden)


def _read_comments(pkg: Package, part: str, name: str, hidden: bool, ctx: DocContext) -> None:
    for comments_part in pkg.related(part, "comments"):
        root = pkg.xml(comments_part)
        if root is None:
            continue
        for comment in root.iter(S + "comment"):
            text_el = comment.find(S + "text")
            if text_el is not None:
                ctx.add(_rich_text(text_el).strip(), Zone.NOTES, sheet=name, cell=comment.get("ref"),
                        kind="comment", hidden=hidden)


def _read_drawings(pkg: Package, part: str, name: str, hidden: bool, ctx: DocContext) -> None:
    """Text boxes and shapes floating over a sheet; cell = their top-left anchor."""
    for drawing in pkg.related(part, "drawing"):
        root = pkg.xml(drawing)
        if root is None:
            continue
        for anchor in root:
            start = anchor.find(XDR + "from")
            cell = None
            if start is not None:
                col, row = start.findtext(XDR + "col"), start.findtext(XDR + "row")
                if col is not None and row is not None and col.isdigit() and row.isdigit():
                    cell = f"{column_letters(int(col) + 1)}{int(row) + 1}"
            for body in anchor.iter(XDR + "txBody"):
                lines = ("".join(t.text or "" for t in p.iter(A + "t")) for p in body.iter(A + "p"))
                ctx.add("\n".join(lines).strip(), Zone.BODY, sheet=name, cell=cell, kind="textbox",
                        hidden=hidden)


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
