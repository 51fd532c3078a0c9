"""Units: the page-like places where banners live, built for each format (table in cuiscan.markings.view).

Building reads each block once at most with a Python step (most blocks only through C-level maps and
slices), and splits into lines only the blocks whose lines become banner positions: the first and
last non-empty line of a body, the header/footer blocks.
"""
from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from itertools import compress
from typing import TYPE_CHECKING

from cuiscan.records import Location, TextBlock, Zone

if TYPE_CHECKING:
    from cuiscan.markings.view import DocView

EMAIL_TYPES = frozenset({"eml", "msg", "mbox"})
# Legacy Office and OpenDocument files carry the same layout as their OOXML kin (sections with
# headers/footers, slides, sheets): the checks read them by the OOXML type.
LAYOUT_FAMILY = {"doc": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx", "xls": "xlsx", "ods": "xlsx"}
# Enum class attribute lookups cost ~0.2 us each: the per-block loops compare with these instead
_BODY, _TITLE, _HEADER, _FOOTER = Zone.BODY, Zone.TITLE, Zone.HEADER, Zone.FOOTER
_EDGES = (_HEADER, _FOOTER)
_LOC, _SHEET = operator.attrgetter("loc"), operator.attrgetter("sheet")
_PREAMBLE = ("#!", "<?xml", "<!DOCTYPE", "<!doctype", "# -*-")
_VARIANT_ORDER = {"first": 0, None: 1, "default": 1, "odd": 1, "even": 2}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a block: the unit banners, DI lines and portions are parsed from."""

    text: str
    block: TextBlock
    offset: int = 0   # line index inside the block

    @property
    def loc(self) -> Location:
        loc = self.block.loc
        if loc.line is not None and self.offset:
            return dataclasses.replace(loc, line=loc.line + self.offset)
        return loc


@dataclass(slots=True)
class Unit:
    kind: str                          # page | slide | sheet | section | message | document
    index: int                         # 1-based page/slide/sheet position or docx section
    member: str | None = None
    name: str | None = None            # sheet name
    variant: str | None = None         # docx header/footer variant this unit stands for
    top: list[Line] = field(default_factory=list)
    bottom: list[Line] = field(default_factory=list)
    body: list[TextBlock] = field(default_factory=list)
    hidden: bool = False
    empty: bool = False                # no text at all (image-only page): nothing can be checked

    def location(self, zone: Zone) -> Location:
        """Where a missing banner of this unit is reported (`zone` header or footer)."""
        kw: dict = {"zone": zone, "member": self.member}
        if self.kind == "page":
            kw["page"] = self.index
        elif self.kind == "slide":
            kw["slide"] = self.index
        elif self.kind == "sheet":
            kw["sheet"] = self.name
        elif self.kind == "section":
            kw["section"] = self.index
        return Location(**kw)

    def describe(self) -> str:
        if self.kind == "sheet":
            return f"sheet '{self.name}'"
        if self.kind == "section":
            v = {"first": " (first-page variant)", "even": " (even-page variant)"}.get(self.variant or "", "")
            return f"section {self.index}{v}"
        return f"{self.kind} {self.index}" if self.kind in ("page", "slide") else f"the {self.kind}"


def split_lines(b: TextBlock) -> list[Line]:
    """The block's non-empty lines."""
    if "\n" not in b.text:
        return [Line(b.text, b)] if b.text.strip() else []
    return [Line(t, b, i) for i, t in enumerate(b.text.split("\n")) if t.strip()]


def build_units(view: DocView, locs: list[Location], zones: list[Zone]) -> list[Unit]:
    """The units of the document (see the table in cuiscan.markings.view); `locs`/`zones` are the
    blocks' locations and zones, read once by the view."""
    if view.ftype == "docx":
        return _docx_units(view, zones)
    if view.ftype in ("pdf", "pptx", "image"):   # an image is a page (a TIFF, pages) of OCR lines
        return _paged_units(view, locs, "slide" if view.ftype == "pptx" else "page")
    if view.ftype == "xlsx":
        return _sheet_units(view, locs, zones)
    unit = Unit("message" if view.ftype in EMAIL_TYPES else "document", 1, view.member)
    own = [b for b in view.body if b.kind != "quote"]
    first, last = first_line(view, own), last_line(view, own)
    if first is not None and first.text.startswith(_PREAMBLE) and len(own) > 1:
        # "#!/usr/bin/env python", "<?xml ...?>": the marking is the first line after it
        first = first_line(view, own[1:]) if first.block is own[0] and first.offset == 0 else first
    unit.body = list(view.body)
    view.body_unit = unit
    # rtf and html keep real header/footer groups (compress: no Python step for the other blocks)
    for b, zone in compress(zip(view.doc.blocks, zones), map(_EDGES.__contains__, zones)):
        if zone == _HEADER:
            unit.top.extend(view.lines_of(b))
        elif zone == _FOOTER:
            unit.bottom.extend(view.lines_of(b))
    if first is not None and not unit.top:
        unit.top = [first]
    if first is not last and not unit.bottom:
        unit.bottom = [last]
    unit.empty = not (first or unit.top or unit.bottom)
    return [unit]


def first_line(view: DocView, blocks: list[TextBlock]) -> Line | None:
    """First non-empty line of the blocks, without splitting the others."""
    for b in blocks:
        if b.text and not b.text.isspace():
            return view.lines_of(b)[0]
    return None


def last_line(view: DocView, blocks: list[TextBlock]) -> Line | None:
    for b in reversed(blocks):
        if b.text and not b.text.isspace():
            return view.lines_of(b)[-1]
    return None


def _docx_units(view: DocView, zones: list[Zone]) -> list[Unit]:
    """Variants in effect per section: default always, first with titlePg, even with evenAndOdd."""
    hf = [b for b, zone in zip(view.doc.blocks, zones) if zone in _EDGES and not b.hidden]
    shown = [b for b in view.body if not b.hidden]
    first, last = first_line(view, shown), last_line(view, shown)
    sections = int(view.doc.fact("sections", 0) or 0) or max((b.loc.section or 1 for b in hf), default=1)
    first_page = set(view.doc.fact("first_page_sections", ()) or ())
    even = bool(view.doc.fact("even_odd_headers", False))
    keys = {(b.loc.section or 1, b.variant or "default") for b in hf}
    for sec in range(1, sections + 1):
        keys.add((sec, "default"))
        if sec in first_page:
            keys.add((sec, "first"))
        if even:
            keys.add((sec, "even"))
    units = []
    for sec, variant in sorted(keys, key=lambda k: (k[0], _VARIANT_ORDER.get(k[1], 1))):
        u = Unit("section", sec, view.member, variant=variant)
        for b in hf:
            if (b.loc.section or 1, b.variant or "default") == (sec, variant):
                (u.top if b.loc.zone == Zone.HEADER else u.bottom).extend(view.lines_of(b))
        units.append(u)
    if not any(b.loc.zone == Zone.HEADER for b in hf) and first is not None:
        units[0].top = [first]
    if not any(b.loc.zone == Zone.FOOTER for b in hf) and first is not last:
        units[-1].bottom = [last]
    if not hf:   # no header/footer anywhere: the document's first/last paragraph is the banner place
        units = units[:1]
    units[0].body = list(view.body)
    view.body_unit = units[0]
    return units


def _paged_units(view: DocView, locs: list[Location], kind: str) -> list[Unit]:
    attr = "page" if kind == "page" else "slide"
    count = view.doc.pages or max((getattr(b.loc, attr) or 0 for b in view.doc.blocks), default=0)
    units = [Unit(kind, i, view.member) for i in range(1, count + 1)]
    by_page = attr == "page"
    for b, loc in zip(view.doc.blocks, locs):
        n = loc.page if by_page else loc.slide
        if not n or n > count:
            continue
        zone = loc.zone
        if zone == _BODY or zone == _TITLE:
            units[n - 1].body.append(b)
        elif zone == _HEADER:
            units[n - 1].top.extend(view.lines_of(b))
        elif zone == _FOOTER:
            units[n - 1].bottom.extend(view.lines_of(b))
    edge = 0.15 if kind == "slide" else 0.2
    for u in units:
        first, last = first_line(view, u.body), last_line(view, u.body)
        u.empty = not (first or u.top or u.bottom)
        u.hidden = bool(u.body) and all(b.hidden for b in u.body)
        if not u.top and first is not None and (first.block.top is None or first.block.top < edge):
            u.top = [first]
        if not u.bottom and first is not last and (last.block.top is None or last.block.top > 1 - edge):
            u.bottom = [last]
    return units


def _sheet_units(view: DocView, locs: list[Location], zones: list[Zone]) -> list[Unit]:
    units: dict[str, Unit] = {}
    sheets = list(map(_SHEET, locs))
    unnamed = sheets.count(None)
    first = next((name for name in sheets if name is not None), None)
    if first is not None and unnamed + sheets.count(first) == len(sheets):
        # one sheet (the usual workbook): no step per row; blocks without a sheet belong to no unit
        u = units[first] = Unit("sheet", 1, view.member, name=first)
        u.body = [b for b, name in zip(view.body, map(_SHEET, map(_LOC, view.body))) if name is not None] \
            if unnamed else list(view.body)
        for b, zone, name in compress(zip(view.doc.blocks, zones, sheets), map(_EDGES.__contains__, zones)):
            if zone == _HEADER and name is not None:
                u.top.extend(view.lines_of(b))
            elif zone == _FOOTER and name is not None:
                u.bottom.extend(view.lines_of(b))
    else:
        name, u = None, None
        for b, loc in zip(view.doc.blocks, locs):
            if loc.sheet != name or u is None:   # rows come sheet by sheet: look the unit up on a change
                name = loc.sheet
                if name is None:
                    u = None
                    continue
                u = units.get(name) or units.setdefault(name, Unit("sheet", len(units) + 1, view.member,
                                                                   name=name))
            zone = loc.zone
            if zone == _BODY or zone == _TITLE:
                u.body.append(b)
            elif zone == _HEADER:
                u.top.extend(view.lines_of(b))
            elif zone == _FOOTER:
                u.bottom.extend(view.lines_of(b))
    for u in units.values():
        u.hidden = bool(u.body) and all(b.hidden for b in u.body)
        u.empty = not (u.body or u.top or u.bottom)
        # no print header/footer: the first / last row is where a marking shows (as the first / last
        # paragraph of a docx without headers); "Controlled Unclassified Information (CUI)" in A1
        if not u.top:
            first = first_line(view, u.body)
            u.top = [first] if first is not None else []
        if not u.bottom:
            last = last_line(view, u.body)
            u.bottom = [last] if last is not None and (not u.top or last is not u.top[0]) else []
    return list(units.values())
