"""DOCX: body, tables, text boxes, per-section headers/footers, comments and properties.

Headers and footers are emitted per section as they print: a section without its own reference of
a type inherits the previous section's; "first" applies only where the section has titlePg, "even"
only where settings.xml turns on evenAndOddHeaders. Facts `first_page_sections` and
`even_odd_headers` tell the checks which variants print even when a variant has no text at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.ooxml import (MC_ALTERNATE, MC_FALLBACK, R_ID, Package, emit_core_properties, emit_pictures,
                                      open_package, require_root, truthy, unescape_ooxml)
from cuiscan.extractors.word_styles import Style, Styles, read_styles
from cuiscan.records import Zone

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_BODY, W_P, W_R, W_T, W_TBL = W + "body", W + "p", W + "r", W + "t", W + "tbl"
W_TR, W_TC, W_PPR, W_RPR = W + "tr", W + "tc", W + "pPr", W + "rPr"
W_PSTYLE, W_RSTYLE, W_SECTPR = W + "pStyle", W + "rStyle", W + "sectPr"
W_STRIKE, W_DSTRIKE, W_VANISH = W + "strike", W + "dstrike", W + "vanish"
W_TXBX, W_COMMENT = W + "txbxContent", W + "comment"
W_VAL = W + "val"
V_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_BREAKS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-", W + "ptab": "\t"}
# Run children that can hold text boxes or WordArt (watermarks).
_GRAPHICS = {W + "drawing", W + "pict", W + "object", MC_ALTERNATE}
# Subtrees that never print: deletions, moved-away text, properties, the duplicate VML fallback.
_SKIP = {W + "del", W + "moveFrom", W_PPR, W_RPR, W + "sdtPr", W + "sdtEndPr", W + "tblPr", W + "trPr",
         W + "tcPr", W + "tblGrid", W_SECTPR, MC_FALLBACK, W + "customXmlPr", W + "instrText"}
# Block-level containers whose children are paragraphs/tables.
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W_TBL, W_TR, W_TC, W + "ins", W + "moveTo"}
_VARIANTS = ("default", "first", "even")


@dataclass(slots=True)
class _ParaText:
    visible: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    struck_runs: int = 0
    plain_runs: int = 0
    boxes: list = field(default_factory=list)   # txbxContent elements or WordArt strings


def extract_docx(src: Source, ctx: DocContext) -> None:
    with open_package(src, ctx.limits) as pkg:
        main = pkg.main_part("word/document.xml")
        root = pkg.xml(main)
        require_root(root, W + "document", main)
        body = root.find(W_BODY)
        rels = pkg.rels(main)
        doc = _Doc(ctx, read_styles(pkg, main))
        if body is not None:
            doc.walk(body, Zone.BODY, top_level=True)
        sections = [s for s in (body.iter(W_SECTPR) if body is not None else ())
                    if s.getparent().tag in (W_PPR, W_BODY)]
        even_odd = _even_and_odd(pkg, main)
        _emit_headers_footers(pkg, doc, rels, sections, even_odd)
        for part in pkg.related(main, "comments"):
            _emit_comments(pkg.xml(part), doc)
        emit_core_properties(pkg, ctx)
        emit_pictures(pkg, ctx, "word/media/")


class _Doc:
    """Walks WordprocessingML block content and emits one block per paragraph."""

    def __init__(self, ctx: DocContext, styles: Styles):
        self.ctx = ctx
        self.styles = styles
        self.seen_first = False

    def walk(self, container, zone: Zone, *, kind: str = "paragraph", top_level: bool = False,
             section: int | None = None, variant: str | None = None) -> None:
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.paragraph(el, zone, kind, top_level, section, variant)
            elif tag in _CONTAINERS:
                self.walk(el, zone, kind="table" if tag == W_TBL else kind, top_level=top_level and tag != W_TBL,
                          section=section, variant=variant)

    def paragraph(self, p, zone: Zone, kind: str, top_level: bool, section: int | None,
                  variant: str | None) -> None:
        pstyle = self._style_of(p.find(W_PPR), W_PSTYLE)
        acc = _ParaText()
        self._runs(p, pstyle, acc)
        text = "".join(acc.visible)
        if kind == "paragraph" and pstyle is not None and pstyle.level:
            kind = "heading"
        if top_level and zone is Zone.BODY and not self.seen_first and text.strip():
            self.seen_first = True
            if pstyle is not None and pstyle.level == "title":
                zone = Zone.TITLE
        struck = acc.plain_runs == 0 and acc.struck_runs > 0
        add = self.ctx.add
        add(text, zone, section=section, variant=variant, kind=kind, struck=struck)
        add("".join(acc.hidden), zone, section=section, variant=variant, kind=kind, hidden=True)
        for box in acc.boxes:
            if isinstance(box, str):
                add(box, zone, section=section, variant=variant, kind="textbox")
            else:
                self.walk(box, zone, kind="textbox", section=section, variant=variant)

    def text_of(self, p) -> str:
        """Visible text of a paragraph, for comments (no emission)."""
        acc = _ParaText()
        self._runs(p, self._style_of(p.find(W_PPR), W_PSTYLE), acc)
        return "".join(acc.visible)

    def _runs(self, el, pstyle: Style | None, acc: _ParaText) -> None:
        for child in el:
            tag = child.tag
            if tag == W_R:
                self._run(child, pstyle, acc)
            elif tag not in _SKIP and len(child):
                self._runs(child, pstyle, acc)   # ins, hyperlink, smartTag, fldSimple, sdt, moveTo ...

    def _run(self, r, pstyle: Style | None, acc: _ParaText) -> None:
        pieces = []
        for ch in r:
            tag = ch.tag
            if tag == W_T:
                if ch.text:
                    pieces.append(ch.text)
            elif tag in _BREAKS:
                pieces.append(_BREAKS[tag])
            elif tag in _GRAPHICS:
                _find_boxes(ch, acc.boxes)
        text = unescape_ooxml("".join(pieces)) if pieces else ""
        if not text:
            return
        rpr = r.find(W_RPR)
        rstyle = self._style_of(rpr, W_RSTYLE)
        if _effective(rpr, (W_VANISH,), "vanish", rstyle, pstyle):
            acc.hidden.append(text)
            return
        acc.visible.append(text)
        if text.strip():
            if _effective(rpr, (W_STRIKE, W_DSTRIKE), "strike", rstyle, pstyle):
                acc.struck_runs += 1
            else:
                acc.plain_runs += 1

    def _style_of(self, props, tag: str) -> Style | None:
        if props is None:
            return None
        ref = props.find(tag)
        return self.styles.get(ref.get(W_VAL, "")) if ref is not None else None


def _effective(rpr, tags: tuple[str, ...], attr: str, rstyle: Style | None, pstyle: Style | None) -> bool:
    """Direct formatting wins over the character style, which wins over the paragraph style."""
    if rpr is not None:
        for tag in tags:
            el = rpr.find(tag)
            if el is not None and truthy(el):
                return True
        if any(rpr.find(tag) is not None for tag in tags):
            return False
    for style in (rstyle, pstyle):
        value = getattr(style, attr) if style is not None else None
        if value is not None:
            return value
    return False


def _find_boxes(el, out: list) -> None:
    """Outermost text boxes under a drawing (nested ones are found when the box is walked)."""
    for child in el:
        tag = child.tag
        if tag == W_TXBX:
            out.append(child)
        elif tag == V_TEXTPATH:
            out.append(child.get("string") or "")
        elif tag != MC_FALLBACK:
            _find_boxes(child, out)


def _even_and_odd(pkg: Package, main: str) -> bool:
    parts = pkg.related(main, "settings")
    root = pkg.xml(parts[0]) if parts else None
    return root is not None and truthy(root.find(W + "evenAndOddHeaders"))


def _emit_headers_footers(pkg: Package, doc: _Doc, rels: dict, sections: list, even_odd: bool) -> None:
    count = max(len(sections), 1)
    doc.ctx.fact("sections", count)
    doc.ctx.fact("even_odd_headers", even_odd)
    first_page: list[int] = []
    inherited: dict[tuple[str, str], str] = {}   # (header|footer, variant) -> part, carried forward
    parsed: dict[str, object] = {}
    for number, sect in enumerate(sections, 1):
        for kind in ("header", "footer"):
            for ref in sect.iter(f"{W}{kind}Reference"):
                rel = rels.get(ref.get(R_ID))
                if rel is not None and not rel.external:
                    inherited[(kind, ref.get(W + "type", "default"))] = rel.target
        title_pg = truthy(sect.find(W + "titlePg"))
        if title_pg:
            first_page.append(number)
        applies = {"default": True, "first": title_pg, "even": even_odd}
        for kind, zone in (("header", Zone.HEADER), ("footer", Zone.FOOTER)):
            for variant in _VARIANTS:
                part = inherited.get((kind, variant))
                if not applies[variant] or part is None:
                    continue
                if part not in parsed:
                    parsed[part] = pkg.xml(part)
                if parsed[part] is not None:
                    doc.walk(parsed[part], zone, section=number, variant=variant)
    doc.ctx.fact("first_page_sections", tuple(first_page))


def _emit_comments(root, doc: _Doc) -> None:
    if root is None:
        return
    for comment in root.iter(W_COMMENT):
        text = "\n".join(doc.text_of(p) for p in comment.iter(W_P))
        doc.ctx.add(text.strip(), Zone.NOTES, kind="comment")
