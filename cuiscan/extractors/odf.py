"""OpenDocument text, spreadsheet and presentation (odt, ods, odp): content.xml and styles.xml walked
with lxml, with the zones the marking checks read.

* odt: paragraphs, headings, lists, tables and text frames as BODY; footnotes/endnotes and comments
  as NOTES; the header and footer of every page style in use as HEADER/FOOTER, numbered as sections
  in order of use (a paragraph naming a master page starts a new one). `header-left` prints on even
  pages (variant "even"), `header-first` on the first page (variant "first"), as docx variants do.
* ods: one "row" block per non-empty row (cells joined by " | ", cell = first cell's reference),
  the sheet's page-style header/footer (variant "odd"/"even"/"first" as for xlsx), cell comments.
* odp: one slide per draw:page; frames near the top or bottom edge are HEADER/FOOTER as for pptx,
  the title placeholder is TITLE, the footer declared for the slide is FOOTER, notes are NOTES.

The document type tells the marking checks which layout rules apply (see markings/view.py).
"""
from __future__ import annotations

import re

from cuiscan.errors import CorruptError, EncryptedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.ooxml import Package, emit_pictures, open_package
from cuiscan.extractors.sheets import column_letters
from cuiscan.extractors.slides import shape_zone
from cuiscan.records import Zone

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
PRES = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"

T_P, T_H, T_S, T_TAB, T_BR, T_NOTE = TEXT + "p", TEXT + "h", TEXT + "s", TEXT + "tab", TEXT + "line-break", TEXT + "note"
T_NOTE_BODY, ANNOTATION, D_FRAME = TEXT + "note-body", OFFICE + "annotation", DRAW + "frame"
TB, TB_ROW, TB_CELL, TB_COVERED = TABLE + "table", TABLE + "table-row", TABLE + "table-cell", TABLE + "covered-table-cell"
# Never printed or not the document's text: change-tracking records, deleted text, field declarations.
_SKIP = {TEXT + "tracked-changes", TEXT + "deletion", TEXT + "note-citation", TEXT + "sequence-decls",
         TEXT + "variable-decls", TEXT + "user-field-decls", OFFICE + "forms", DRAW + "image",
         OFFICE + "annotation-end", SVG + "title", SVG + "desc", TABLE + "table-columns",
         TABLE + "table-column", TABLE + "table-header-columns", TABLE + "table-column-group"}
_HIDDEN = {TEXT + "hidden-text", TEXT + "hidden-paragraph"}
_HF = (("header", Zone.HEADER), ("footer", Zone.FOOTER))
_HF_VARIANTS = (("", "default"), ("-left", "even"), ("-first", "first"))
_METADATA = ((DC + "title", "title"), (DC + "subject", "subject"), (META + "keyword", "keywords"),
             (DC + "description", "description"))
_LENGTH = re.compile(r"^\s*(-?[0-9.]+)\s*(cm|mm|in|pt|pc|px)?\s*$")
_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96, None: 1.0}
# The slide thumbnail on a notes page and the fields LibreOffice shows as "<number>" or a date.
_NOT_NOTES = {"page", "page-number", "date-time"}


def extract_odt(src: Source, ctx: DocContext) -> None:
    with _open(src, ctx) as (pkg, content, styles):
        body = _body(content, "text")
        doc = _Styles(content, styles)
        walker = _Walker(ctx)
        sections = walker.text_body(body, doc)
        _emit_page_headers(walker, doc, sections)
        _emit_metadata(pkg, ctx)
        _emit_pictures(pkg, ctx)


def extract_ods(src: Source, ctx: DocContext) -> None:
    with _open(src, ctx) as (pkg, content, styles):
        body = _body(content, "spreadsheet")
        doc = _Styles(content, styles)
        walker = _Walker(ctx)
        tables = [t for t in body if t.tag == TB]
        ctx.pages = len(tables)
        hidden_sheets = []
        for table in tables:
            name = table.get(TABLE + "name") or "?"
            hidden = doc.table_hidden(table.get(TABLE + "style-name"))
            if hidden:
                hidden_sheets.append(name)
            walker.sheet(table, name, hidden)
            master = doc.masters.get(doc.master_of(table.get(TABLE + "style-name")) or doc.default_master)
            if master is not None:
                for kind, zone in _HF:
                    for suffix, variant in _HF_VARIANTS:
                        el = master.find(STYLE + kind + suffix)
                        if el is not None and el.get(STYLE + "display") != "false":
                            walker.walk(el, zone, sheet=name, variant="odd" if variant == "default" else variant,
                                        hidden=hidden)
        ctx.fact("hidden_sheets", tuple(hidden_sheets))
        _emit_metadata(pkg, ctx)
        _emit_pictures(pkg, ctx)


def extract_odp(src: Source, ctx: DocContext) -> None:
    with _open(src, ctx) as (pkg, content, styles):
        body = _body(content, "presentation")
        doc = _Styles(content, styles)
        walker = _Walker(ctx)
        footers = {d.get(PRES + "name"): "".join(d.itertext()) for d in body.iter(PRES + "footer-decl")}
        pages = [p for p in body if p.tag == DRAW + "page"]
        ctx.pages = len(pages)
        hidden_slides = []
        for number, page in enumerate(pages[: ctx.limits.max_pages], 1):
            hidden = doc.page_hidden(page.get(DRAW + "style-name"))
            if hidden:
                hidden_slides.append(number)
            master_name = page.get(DRAW + "master-page-name")
            height = doc.page_height(master_name)
            walker.shapes(page, number, height, hidden, None)
            footer = footers.get(page.get(PRES + "use-footer-name"))
            if footer:
                ctx.add(footer.strip(), Zone.FOOTER, slide=number, kind="shape", hidden=hidden)
            master = doc.masters.get(master_name)
            if master is not None:
                walker.shapes(master, number, height, hidden, "master", plain_only=True)
            for notes in page.iter(PRES + "notes"):
                walker.shapes(notes, number, None, hidden, None, zone=Zone.NOTES)
        if len(pages) > ctx.limits.max_pages:
            ctx.problem("limit", f"only the first {ctx.limits.max_pages} of {len(pages)} slides were read")
        ctx.fact("hidden_slides", tuple(hidden_slides))
        _emit_metadata(pkg, ctx)
        _emit_pictures(pkg, ctx)


class _open:
    """The package with its content.xml and styles.xml roots; encrypted packages refused."""

    def __init__(self, src: Source, ctx: DocContext):
        self._cm = open_package(src, ctx.limits)

    def __enter__(self):
        pkg: Package = self._cm.__enter__()
        manifest = pkg.xml("META-INF/manifest.xml")
        if manifest is not None and next(manifest.iter(MANIFEST + "encryption-data"), None) is not None:
            raise EncryptedError("password-protected (encrypted) OpenDocument file")
        content = pkg.xml("content.xml")
        if content is None:
            raise CorruptError("no content.xml: not an OpenDocument file")
        return pkg, content, pkg.xml("styles.xml")

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def _body(content, kind: str):
    body = content.find(OFFICE + "body")
    inner = body.find(OFFICE + kind) if body is not None else None
    if inner is None:
        raise CorruptError(f"content.xml holds no office:{kind} body")
    return inner


class _Styles:
    """What the checks need from the styles: master pages, which styles start a page style, hidden
    sheets and slides, page heights."""

    def __init__(self, content, styles):
        self.master_by_style: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        self.hidden_tables: set[str] = set()
        self.hidden_pages: set[str] = set()
        self.masters: dict[str, object] = {}
        self.layout_height: dict[str, float] = {}
        self.page_layout_of: dict[str, str] = {}
        self.default_master: str | None = None
        for root in (styles, content):
            if root is None:
                continue
            for st in root.iter(STYLE + "style"):
                name = st.get(STYLE + "name")
                if st.get(STYLE + "master-page-name"):
                    self.master_by_style[name] = st.get(STYLE + "master-page-name")
                if st.get(STYLE + "parent-style-name"):
                    self.parent[name] = st.get(STYLE + "parent-style-name")
                props = st.find(STYLE + "table-properties")
                if props is not None and props.get(TABLE + "display") == "false":
                    self.hidden_tables.add(name)
                props = st.find(STYLE + "drawing-page-properties")
                if props is not None and props.get(PRES + "visibility") == "hidden":
                    self.hidden_pages.add(name)
            for layout in root.iter(STYLE + "page-layout"):
                props = layout.find(STYLE + "page-layout-properties")
                height = _cm(props.get(FO + "page-height")) if props is not None else None
                if height:
                    self.layout_height[layout.get(STYLE + "name")] = height
            for master in root.iter(STYLE + "master-page"):
                name = master.get(STYLE + "name")
                self.masters[name] = master
                self.page_layout_of[name] = master.get(STYLE + "page-layout-name")
        names = list(self.masters)
        # The page style of a paragraph that names none: LibreOffice's "Standard" (or "Default").
        self.default_master = next((n for n in ("Standard", "Default") if n in self.masters),
                                   names[0] if names else None)

    def master_of(self, style: str | None) -> str | None:
        return self.master_by_style.get(style) if style else None

    def is_title(self, style: str | None) -> bool:
        for _ in range(8):   # automatic style -> its parent, a few levels at most
            if style is None:
                return False
            if style.lower() == "title":
                return True
            style = self.parent.get(style)
        return False

    def table_hidden(self, style: str | None) -> bool:
        return style in self.hidden_tables

    def page_hidden(self, style: str | None) -> bool:
        return style in self.hidden_pages

    def page_height(self, master: str | None) -> float | None:
        return self.layout_height.get(self.page_layout_of.get(master or "", ""))


class _Walker:
    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.seen_first = True     # only a text body's first paragraph may be its TITLE
        self.doc: _Styles | None = None

    # ---- text documents ----
    def text_body(self, body, doc: _Styles) -> list[str]:
        """Walk the body; returns the master page of each section, in order."""
        sections: list[str] = []
        seen_text = False
        for el in body.iter(T_P, T_H, TB):
            master = doc.master_of(el.get(TEXT + "style-name") or el.get(TABLE + "style-name"))
            if master:
                if seen_text and not sections:
                    sections.append(doc.default_master or "Standard")   # text before the first page style
                if sections and not seen_text:
                    sections[-1] = master   # no text yet on the page: the later page style is the one printed
                else:
                    sections.append(master)
                seen_text = False
            # Marked on the element itself (lxml proxies are not stable dict keys); walk() takes it off.
            el.set("_section", str(max(len(sections), 1)))
            seen_text = seen_text or bool(el.tag != TB and "".join(el.itertext()).strip())
        if not sections:
            sections.append(doc.default_master or "Standard")
        self.seen_first = False
        self.doc = doc
        self.walk(body, Zone.BODY, top_level=True)
        return sections

    def walk(self, container, zone: Zone, *, kind: str = "paragraph", top_level: bool = False,
             section: int | None = None, variant: str | None = None, sheet: str | None = None,
             hidden: bool = False) -> None:
        for el in container:
            tag = el.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if el.get("_section"):
                section = int(el.attrib.pop("_section")) if zone is Zone.BODY else section
            if tag in (T_P, T_H):
                self.paragraph(el, zone, "heading" if tag == T_H and kind == "paragraph" else kind, top_level,
                               section, variant, sheet, hidden)
            elif tag == TB:
                self.walk(el, zone, kind="table", section=section, variant=variant, sheet=sheet, hidden=hidden)
            else:
                self.walk(el, zone, kind=kind, top_level=top_level and tag != TB_ROW, section=section,
                          variant=variant, sheet=sheet, hidden=hidden or tag in _HIDDEN)

    def paragraph(self, p, zone: Zone, kind: str, top_level: bool, section: int | None,
                  variant: str | None, sheet: str | None, hidden: bool) -> None:
        pieces: list[str] = []
        extras: list = []
        _inline(p, pieces, extras)
        text = "".join(pieces)
        if top_level and zone is Zone.BODY and not self.seen_first and text.strip():
            self.seen_first = True
            if self.doc.is_title(p.get(TEXT + "style-name")):
                zone = Zone.TITLE
        self.ctx.add(text, zone, section=section, variant=variant, sheet=sheet, kind=kind, hidden=hidden)
        for extra in extras:
            if extra.tag == T_NOTE:
                note_body = extra.find(T_NOTE_BODY)
                if note_body is not None:
                    self.walk(note_body, Zone.NOTES, kind="footnote", section=section, sheet=sheet, hidden=hidden)
            elif extra.tag == ANNOTATION:
                self.ctx.add(_plain(extra).strip(), Zone.NOTES, section=section, sheet=sheet, kind="comment",
                             hidden=hidden)
            else:   # a text frame anchored in the paragraph prints where the paragraph's zone is
                self.walk(extra, zone, kind="textbox", section=section, variant=variant, sheet=sheet,
                          hidden=hidden)

    # ---- spreadsheets ----
    def sheet(self, table, name: str, hidden: bool) -> None:
        row_number = 0
        for row in table.iter(TB_ROW):
            repeat = _int(row.get(TABLE + "number-rows-repeated"), 1)
            row_number += 1
            row_hidden = hidden or row.get(TABLE + "visibility") in ("collapse", "filter")
            cells, first_ref, column = [], None, 0
            for cell in row:
                if cell.tag not in (TB_CELL, TB_COVERED):
                    continue
                column += 1
                text = "\n".join(_plain(p) for p in cell if p.tag in (T_P, T_H))
                if not text.strip():
                    text = cell.get(OFFICE + "string-value") or cell.get(OFFICE + "value") or ""
                if text.strip():
                    cells.append(text.strip())
                    if first_ref is None:
                        first_ref = f"{column_letters(column)}{row_number}"
                for note in cell.iter(ANNOTATION):
                    self.ctx.add(_plain(note).strip(), Zone.NOTES, sheet=name,
                                 cell=f"{column_letters(column)}{row_number}", kind="comment", hidden=row_hidden)
                column += _int(cell.get(TABLE + "number-columns-repeated"), 1) - 1
            if cells:
                self.ctx.add(" | ".join(cells), Zone.BODY, sheet=name, line=row_number, cell=first_ref,
                             kind="row", hidden=row_hidden)
            row_number += repeat - 1

    # ---- presentations ----
    def shapes(self, page, number: int, height: float | None, hidden: bool, variant: str | None, *,
               plain_only: bool = False, zone: Zone | None = None) -> None:
        for shape in page:
            tag = shape.tag
            if not isinstance(tag, str) or tag == PRES + "notes":
                continue
            if tag == DRAW + "g":
                self.shapes(shape, number, height, hidden, variant, plain_only=plain_only, zone=zone)
                continue
            ph = shape.get(PRES + "class")
            if (plain_only and ph) or ph in _NOT_NOTES:
                continue   # master placeholders hold sample text; a slide's own shape replaces them
            paragraphs = [p for p in shape.iter(T_P, T_H)]
            text = "\n".join(_plain(p) for p in paragraphs).strip()
            if not text:
                continue
            if zone is None:
                top = bottom = None
                y, cy = _cm(shape.get(SVG + "y")), _cm(shape.get(SVG + "height"))
                if height and y is not None:
                    top = min(max(y / height, 0.0), 1.0)
                    bottom = min(max((y + (cy or 0.0)) / height, 0.0), 1.0)
                ph_type = {"title": "title", "footer": "ftr"}.get(ph or "", ph)
                shape_zone_ = shape_zone(text, ph_type, top, bottom)
                kind = "table" if shape.find(".//" + TB) is not None else "shape"
                self.ctx.add(text, shape_zone_, slide=number, variant=variant, kind=kind,
                             top=None if top is None else round(top, 4), hidden=hidden)
            else:
                self.ctx.add(text, zone, slide=number, kind="paragraph", hidden=hidden)


def _inline(el, pieces: list[str], extras: list) -> None:
    """The printed text of a paragraph; notes, comments and frames go to `extras`."""
    if el.text:
        pieces.append(el.text)
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            pass
        elif tag == T_S:
            pieces.append(" " * _int(child.get(TEXT + "c"), 1))
        elif tag == T_TAB:
            pieces.append("\t")
        elif tag == T_BR:
            pieces.append("\n")
        elif tag in (T_NOTE, ANNOTATION, D_FRAME):
            extras.append(child)
        elif tag not in _SKIP:
            _inline(child, pieces, extras)
        if child.tail:
            pieces.append(child.tail)


def _plain(el) -> str:
    """Text of an element's paragraphs, one line each (annotations, cells, shapes)."""
    if el.tag in (T_P, T_H):
        pieces: list[str] = []
        _inline(el, pieces, [])
        return "".join(pieces)
    return "\n".join(_plain(p) for p in el.iter(T_P, T_H) if p is not el and p.getparent().tag not in (T_P, T_H))


def _emit_page_headers(walker: _Walker, doc: _Styles, sections: list[str]) -> None:
    ctx = walker.ctx
    ctx.fact("sections", len(sections))
    first_page, even_odd = [], False
    for number, name in enumerate(sections, 1):
        master = doc.masters.get(name)
        if master is None:
            continue
        for kind, zone in _HF:
            for suffix, variant in _HF_VARIANTS:
                el = master.find(STYLE + kind + suffix)
                if el is None or el.get(STYLE + "display") == "false":
                    continue
                if variant == "even":
                    even_odd = True
                elif variant == "first" and number not in first_page:
                    first_page.append(number)
                walker.walk(el, zone, section=number, variant=variant)
    ctx.fact("even_odd_headers", even_odd)
    ctx.fact("first_page_sections", tuple(first_page))


def _emit_pictures(pkg: Package, ctx: DocContext) -> None:
    """Pictures/ holds every picture the document shows (a pasted scan: read by OCR). Thumbnails/ is
    left out: it is a picture of the first page, whose text was just read from content.xml."""
    emit_pictures(pkg, ctx, "Pictures/")


def _emit_metadata(pkg: Package, ctx: DocContext) -> None:
    root = pkg.xml("meta.xml") if pkg.has("meta.xml") else None
    meta = root.find(OFFICE + "meta") if root is not None else None
    if meta is None:
        return
    for tag, name in _METADATA:
        for el in meta.iter(tag):
            ctx.add("".join(el.itertext()).strip(), Zone.METADATA, kind="property", variant=name)


def _cm(value: str | None) -> float | None:
    m = _LENGTH.match(value or "")
    if not m:
        return None
    try:
        return float(m.group(1)) * _CM[m.group(2)]
    except ValueError:
        return None


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value), 1) if value is not None else default
    except ValueError:
        return default
