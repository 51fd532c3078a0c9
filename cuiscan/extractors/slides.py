"""PPTX: slide shapes (groups, tables, placeholders) with their vertical position, inherited
layout/master text that prints on each slide, speaker notes and hidden slides.

Zones come from placeholders (title, footer) and, for other short texts, from where the shape sits:
the top 15 % of the slide is HEADER, a shape reaching into the bottom 15 % is FOOTER.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.ooxml import (MC_ALTERNATE, MC_CHOICE, R_ID, Package, emit_core_properties, emit_pictures,
                                      open_package, require_root)
from cuiscan.records import Zone

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P_SP, P_GRPSP, P_FRAME, P_SPTREE, P_CSLD = P + "sp", P + "grpSp", P + "graphicFrame", P + "spTree", P + "cSld"
A_P, A_R, A_T, A_FLD, A_BR, A_RPR = A + "p", A + "r", A + "t", A + "fld", A + "br", A + "rPr"
A_XFRM, A_OFF, A_EXT, A_CHOFF, A_CHEXT = A + "xfrm", A + "off", A + "ext", A + "chOff", A + "chExt"
_PH_PATH = f"{P}nvSpPr/{P}nvPr/{P}ph"
_TITLE_TYPES = {"title", "ctrTitle"}
# Footer placeholders inherited from the layout/master. Date and slide-number placeholders are left
# out: their master text is a sample ("1/27/13", "‹#›"), never a marking.
_INHERITED_TYPES = ("ftr",)
_MASTER_TYPE = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}
_NOT_NOTES = {"sldImg", "sldNum"}
_DEFAULT_HEIGHT = 6858000   # 7.5 in, PowerPoint's default slide height in EMU
_SHORT = 60
_HEADER_BAND, _FOOTER_BAND = 0.15, 0.85
_BAND_HEIGHT = 0.25   # taller shapes are body text whatever their edges


@dataclass(slots=True)
class _Shape:
    text: str
    y: float | None          # EMU, slide coordinates
    cy: float | None
    ph_type: str | None      # placeholder type ("obj" when a placeholder names none)
    ph_idx: str | None
    kind: str = "shape"
    struck: bool = False


@dataclass(slots=True)
class _Template:
    """A layout or master: what prints from it, and where its placeholders sit."""

    placeholders: list[_Shape]
    plain: list[_Shape]          # non-placeholder text shapes: print on every slide using it
    show_master: bool
    master: str | None

    def placeholder(self, ph_type: str | None, idx: str | None) -> _Shape | None:
        if idx is not None:
            for s in self.placeholders:
                if s.ph_idx == idx:
                    return s
        wanted = _MASTER_TYPE.get(ph_type or "obj", ph_type)
        for s in self.placeholders:
            if _MASTER_TYPE.get(s.ph_type or "obj", s.ph_type) == wanted:
                return s
        return None


def extract_pptx(src: Source, ctx: DocContext) -> None:
    with open_package(src, ctx.limits) as pkg:
        main = pkg.main_part("ppt/presentation.xml")
        pres = pkg.xml(main)
        require_root(pres, P + "presentation", main)
        rels = pkg.rels(main)
        slide_parts = []
        for sld_id in pres.iter(P + "sldId"):
            rel = rels.get(sld_id.get(R_ID))
            if rel is not None and not rel.external:
                slide_parts.append(rel.target)
        size = pres.find(P + "sldSz")
        height = _int(size.get("cy")) if size is not None else None
        ctx.pages = len(slide_parts)
        if len(slide_parts) > ctx.limits.max_pages:
            ctx.problem("limit", f"only the first {ctx.limits.max_pages} of {len(slide_parts)} slides were read")
        reader = _Deck(pkg, ctx, float(height or _DEFAULT_HEIGHT))
        hidden_slides = []
        for number, part in enumerate(slide_parts[: ctx.limits.max_pages], 1):
            if reader.slide(number, part):
                hidden_slides.append(number)
        ctx.fact("hidden_slides", tuple(hidden_slides))
        emit_core_properties(pkg, ctx)
        emit_pictures(pkg, ctx, "ppt/media/")


class _Deck:
    def __init__(self, pkg: Package, ctx: DocContext, height: float):
        self.pkg, self.ctx, self.height = pkg, ctx, height
        self.templates: dict[str, _Template | None] = {}

    def slide(self, number: int, part: str) -> bool:
        """Emit one slide's blocks; returns whether the slide is hidden."""
        root = self.pkg.xml(part)
        if root is None:
            self.ctx.problem("corrupt", f"slide {number} is missing from the package")
            return False
        hidden = root.get("show") in ("0", "false")
        layout_parts = self.pkg.related(part, "slideLayout")
        layout = self.template(layout_parts[0]) if layout_parts else None
        master = self.template(layout.master) if layout is not None and layout.master else None
        own = list(_shapes(_tree(root)))
        for s in own:
            if s.y is None and s.ph_type is not None:
                _inherit_position(s, layout, master)
            self.emit(s, number, hidden, None)
        own_types = {s.ph_type for s in own if s.ph_type}
        for ph_type in _INHERITED_TYPES:
            if ph_type in own_types:
                continue
            for template, variant in ((layout, "layout"), (master, "master")):
                found = template.placeholder(ph_type, None) if template is not None else None
                if found is not None and found.ph_type == ph_type and found.text.strip():
                    self.emit(found, number, hidden, variant)
                    break
        if root.get("showMasterSp") not in ("0", "false") and layout is not None:
            for s in layout.plain:
                self.emit(s, number, hidden, "layout")
            if layout.show_master and master is not None:
                for s in master.plain:
                    self.emit(s, number, hidden, "master")
        for notes in self.pkg.related(part, "notesSlide"):
            notes_root = self.pkg.xml(notes)
            for s in _shapes(_tree(notes_root)) if notes_root is not None else ():
                if s.ph_type not in _NOT_NOTES:
                    self.ctx.add(s.text, Zone.NOTES, slide=number, kind="paragraph", hidden=hidden)
        return hidden

    def emit(self, s: _Shape, number: int, hidden: bool, variant: str | None) -> None:
        top = bottom = None
        if s.y is not None:
            top = min(max(s.y / self.height, 0.0), 1.0)
            bottom = min(max((s.y + (s.cy or 0.0)) / self.height, 0.0), 1.0)
        self.ctx.add(s.text, _zone(s, top, bottom), slide=number, variant=variant, kind=s.kind,
                     top=None if top is None else round(top, 4), hidden=hidden, struck=s.struck)

    def template(self, part: str) -> _Template | None:
        """Layouts and masters are shared by many slides: read each once."""
        if part in self.templates:
            return self.templates[part]
        self.templates[part] = None      # a layout pointing at itself must not recurse
        root = self.pkg.xml(part)
        if root is None:
            return None
        masters = self.pkg.related(part, "slideMaster")
        master_part = masters[0] if masters else None
        master = self.template(master_part) if master_part is not None else None
        shapes = list(_shapes(_tree(root)))
        placeholders = [s for s in shapes if s.ph_type is not None]
        for s in placeholders:
            if s.y is None:
                _inherit_position(s, None, master)
        result = _Template(placeholders=placeholders,
                           plain=[s for s in shapes if s.ph_type is None and s.text.strip()],
                           show_master=root.get("showMasterSp") not in ("0", "false"),
                           master=master_part)
        self.templates[part] = result
        return result


def shape_zone(text: str, ph_type: str | None, top: float | None, bottom: float | None) -> Zone:
    """The zone of a slide shape from its placeholder type and its top/bottom edges (0..1 of the
    slide height); shared with the OpenDocument presentation reader."""
    return _zone(_Shape(text, None, None, ph_type, None), top, bottom)


def _zone(s: _Shape, top: float | None, bottom: float | None) -> Zone:
    if s.ph_type in _TITLE_TYPES:
        return Zone.TITLE
    if s.ph_type == "ftr":
        return Zone.FOOTER
    if top is not None and len(s.text.strip()) <= _SHORT:
        # A banner is a strip along an edge; a body placeholder reaching into the bottom band is not.
        height = (bottom - top) if bottom is not None else 0.0
        at_top = top < _HEADER_BAND and height <= _BAND_HEIGHT
        at_bottom = bottom is not None and bottom >= _FOOTER_BAND and height <= _BAND_HEIGHT
        if at_top and not at_bottom:
            return Zone.HEADER
        if at_bottom and not at_top:
            return Zone.FOOTER
    return Zone.BODY


def _inherit_position(s: _Shape, first: _Template | None, second: _Template | None) -> None:
    """A placeholder without its own xfrm sits where its layout placeholder (same idx) sits, else
    where the master placeholder of its type sits (master idx values do not follow the layout's)."""
    for template, idx in ((first, s.ph_idx), (second, None)):
        base = template.placeholder(s.ph_type, idx) if template is not None else None
        if base is not None and base.y is not None:
            s.y, s.cy = base.y, base.cy
            return


def _tree(root):
    csld = root.find(P_CSLD)
    tree = csld.find(P_SPTREE) if csld is not None else None
    return () if tree is None else tree


def _shapes(tree, scale: float = 1.0, shift: float = 0.0):
    """Every text-bearing shape under `tree`, groups flattened, y mapped to slide coordinates."""
    for el in tree:
        tag = el.tag
        if tag == P_SP:
            y, cy = _offset(el.find(f"{P}spPr/{A_XFRM}"), scale, shift)
            ph = el.find(_PH_PATH)
            body = el.find(P + "txBody")
            text, struck = _text(body) if body is not None else ("", False)
            yield _Shape(text=text, y=y, cy=cy, ph_type=None if ph is None else ph.get("type", "obj"),
                         ph_idx=None if ph is None else ph.get("idx"), struck=struck)
        elif tag == P_GRPSP:
            yield from _shapes(el, *_group_transform(el.find(f"{P}grpSpPr/{A_XFRM}"), scale, shift))
        elif tag == P_FRAME:
            yield from _table_cells(el, scale, shift)
        elif tag == MC_ALTERNATE:
            choice = el.find(MC_CHOICE)
            if choice is not None:
                yield from _shapes(choice, scale, shift)


def _table_cells(frame, scale: float, shift: float):
    table = frame.find(f"{A}graphic/{A}graphicData/{A}tbl")
    if table is None:
        return
    y, _cy = _offset(frame.find(P + "xfrm"), scale, shift)
    for row in table.iterchildren(A + "tr"):
        height = _int(row.get("h")) * scale
        for cell in row.iterchildren(A + "tc"):
            body = cell.find(A + "txBody")
            if body is not None:
                text, struck = _text(body)
                yield _Shape(text=text, y=y, cy=height, ph_type=None, ph_idx=None, kind="table", struck=struck)
        if y is not None:
            y += height


def _text(body) -> tuple[str, bool]:
    """Paragraphs joined by newlines; struck when every non-blank run has strike-through."""
    lines = []
    struck = plain = 0
    for para in body.iterchildren(A_P):
        pieces = []
        for r in para:
            if r.tag in (A_R, A_FLD):
                t = r.find(A_T)
                if t is not None and t.text:
                    pieces.append(t.text)
                    if t.text.strip():
                        rpr = r.find(A_RPR)
                        if rpr is not None and rpr.get("strike", "noStrike") != "noStrike":
                            struck += 1
                        else:
                            plain += 1
            elif r.tag == A_BR:
                pieces.append("\n")
        lines.append("".join(pieces))
    return "\n".join(lines).strip("\n"), struck > 0 and plain == 0


def _offset(xfrm, scale: float, shift: float) -> tuple[float | None, float | None]:
    if xfrm is None:
        return None, None
    off, ext = xfrm.find(A_OFF), xfrm.find(A_EXT)
    y = _int(off.get("y")) * scale + shift if off is not None else None
    cy = _int(ext.get("cy")) * scale if ext is not None else None
    return y, cy


def _group_transform(xfrm, scale: float, shift: float) -> tuple[float, float]:
    """Children of a group use the group's own coordinate space (chOff/chExt) mapped onto off/ext."""
    if xfrm is None:
        return scale, shift
    off, ext, ch_off, ch_ext = (xfrm.find(t) for t in (A_OFF, A_EXT, A_CHOFF, A_CHEXT))
    y = _int(off.get("y")) if off is not None else 0
    cy = _int(ext.get("cy")) if ext is not None else 0
    ch_y = _int(ch_off.get("y")) if ch_off is not None else 0
    ch_cy = _int(ch_ext.get("cy")) if ch_ext is not None else 0
    inner = cy / ch_cy if ch_cy else 1.0
    return scale * inner, shift + scale * (y - ch_y * inner)


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0
