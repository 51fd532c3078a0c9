"""DOCX paragraph and character styles, read on demand.

A template's styles.xml defines hundreds of styles (python-docx's default template: 350 KB, about
4 ms to parse, more than the rest of a short document) while a document uses a handful. When the
part is plain XML (UTF-8; no DTD, comment or CDATA; the WordprocessingML namespace declared once,
on the root, with a prefix) only the <w:style> elements that a lookup reaches are parsed, each on
its own inside a copy of the root's start tag. Anything else gets the whole-part parse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cuiscan.errors import CorruptError
from cuiscan.extractors.ooxml import Package, parse_part, truthy

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
W_STYLE, W_RPR, W_VAL = W + "style", W + "rPr", W + "val"
W_STRIKE, W_DSTRIKE, W_VANISH = W + "strike", W + "dstrike", W + "vanish"

_ATTRS = rb"""((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*"""
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml\s[^>]*\?>)?\s*")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*):styles" + _ATTRS + rb">")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([\w.-]+)["']""")


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    level: str | None        # "title" | "heading" | None
    strike: bool | None
    vanish: bool | None


def read_styles(pkg: Package, main: str) -> Styles:
    parts = pkg.related(main, "styles")
    if not parts or not pkg.has(parts[0]):
        return Styles(_Parsed(None))
    part = parts[0]
    data = pkg.read(part)
    return Styles(_Fragments.of(data, part) or _Parsed(parse_part(data, part)))


class Styles:
    """Style lookups resolved on first use, following basedOn chains."""

    def __init__(self, elements: _Parsed | _Fragments):
        self._elements = elements
        self._resolved: dict[str, Style | None] = {}

    def get(self, sid: str) -> Style | None:
        if sid not in self._resolved:
            self._resolved[sid] = self._resolve(sid) if self._elements.get(sid) is not None else None
        return self._resolved[sid]

    def _resolve(self, sid: str) -> Style:
        name, level, strike, vanish = None, None, None, None
        seen: set[str] = set()
        current: str | None = sid
        while current is not None and current not in seen:   # basedOn chains can loop in hostile files
            st = self._elements.get(current)
            if st is None:
                break
            seen.add(current)
            name_el, based_el, rpr = st.find(W + "name"), st.find(W + "basedOn"), st.find(W_RPR)
            own_name = (name_el.get(W_VAL, "") if name_el is not None else current).lower()
            name = own_name if name is None else name
            if level is None:
                if own_name in ("title", "subtitle"):
                    level = "title" if own_name == "title" else "heading"
                elif own_name.startswith("heading"):
                    level = "heading"
            strike = _style_flag(rpr, (W_STRIKE, W_DSTRIKE)) if strike is None else strike
            vanish = _style_flag(rpr, (W_VANISH,)) if vanish is None else vanish
            current = based_el.get(W_VAL) if based_el is not None else None
        return Style(name=name or sid, level=level, strike=strike, vanish=vanish)


class _Parsed:
    """Every style of a whole-part parse, by id (the last one wins, as in Word)."""

    def __init__(self, root):
        self._by_id = {} if root is None else {
            st.get(W + "styleId"): st for st in root.iterchildren(W_STYLE) if st.get(W + "styleId")}

    def get(self, sid: str):
        return self._by_id.get(sid)


class _Fragments:
    """Where each <w:style> lies in the raw part; an element is parsed when first asked for."""

    def __init__(self, data: bytes, part: str, head: bytes, tail: bytes, spans: dict[str, tuple[int, int]]):
        self._data, self._part, self._head, self._tail, self._spans = data, part, head, tail, spans
        self._parsed: dict[str, object] = {}
        self._whole: _Parsed | None = None

    @classmethod
    def of(cls, data: bytes, part: str) -> _Fragments | None:
        """The index of a plain styles part, or None when only a whole-part parse reads it right."""
        if (b"!" in data and b"<!" in data) or data.count(W_NS.encode()) != 1:   # "!" alone: memchr, fast
            return None
        prolog = _PROLOG.match(data)
        encoding = _ENCODING.search(prolog.group())
        if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        root = _ROOT.match(data, prolog.end())
        if root is None or b'xmlns:%s="%s"' % (root.group(1), W_NS.encode()) not in root.group(2):
            return None
        prefix = re.escape(root.group(1))
        start = re.compile(rb"<" + prefix + rb":style\b" + _ATTRS + rb"(/?)>")
        style_id = re.compile(rb"\s" + prefix + rb""":styleId\s*=\s*(?:"([^"]*)"|'([^']*)')""")
        close = b"</" + root.group(1) + b":style>"
        spans: dict[str, tuple[int, int]] = {}
        end = root.end()
        for m in start.finditer(data, root.end()):
            if m.start() < end or b"xmlns" in m.group(1):
                return None           # a style inside a style, or namespaces redeclared: not plain
            if m.group(2):            # <w:style .../>
                end = m.end()
            else:
                end = data.find(close, m.end())
                if end < 0:
                    return None
                end += len(close)
            found = style_id.search(m.group(1))
            if found is None:
                continue
            sid = found.group(1) if found.group(1) is not None else found.group(2)
            if b"&" in sid:
                return None           # an escaped id: leave the unescaping to the parser
            if sid:
                spans[sid.decode("utf-8", "replace")] = (m.start(), end)
        return cls(data, part, root.group(), b"</" + root.group(1) + b":styles>", spans)

    def get(self, sid: str):
        if self._whole is not None:
            return self._whole.get(sid)
        if sid not in self._parsed:
            span = self._spans.get(sid)
            try:
                self._parsed[sid] = None if span is None else parse_part(
                    self._head + self._data[span[0]:span[1]] + self._tail, self._part)[0]
            except CorruptError:
                # The fragment alone does not parse: the whole part decides (and says what is wrong).
                self._whole = _Parsed(parse_part(self._data, self._part))
                return self._whole.get(sid)
        return self._parsed[sid]


def _style_flag(rpr, tags: tuple[str, ...]) -> bool | None:
    if rpr is None:
        return None
    found = [rpr.find(t) for t in tags]
    if all(el is None for el in found):
        return None
    return any(truthy(el) for el in found if el is not None)
