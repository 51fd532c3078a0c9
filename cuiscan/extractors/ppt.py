"""PPT (PowerPoint 97-2003 binary): slide shapes with their position, notes, per slide, per [MS-PPT].

No maintained Python library reads .ppt, so this follows the published format over olefile. The
"Current User" stream points at the last UserEditAtom; the chain of edits gives the persist
directory (persist id -> stream offset), newest entry first. The DocumentContainer's slide list
(SlideListWithText, instance 0) gives the slides in order; each SlideContainer's drawing holds the
shapes: a ClientAnchor (the shape's rectangle), a PlaceholderAtom (title, footer ...) and its text
(TextCharsAtom / TextBytesAtom in a ClientTextbox, or an OutlineTextRefAtom pointing into the slide
list's text). Zones are as for pptx: title placeholder TITLE, footer placeholder FOOTER, short text
at the top or bottom edge HEADER/FOOTER; notes pages' body text is NOTES.

The footer text of the Header and Footer dialog (HeadersFootersContainer: the slide's own, else the
presentation's default for slides) is FOOTER when its "footer" box is ticked.

Plain text boxes on a slide's master print on it (variant "master") when the slide shows master
objects; master placeholders hold only sample text and are left out.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from cuiscan.errors import CorruptError, EncryptedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.legacy_ole import emit_summary, open_ole, read_stream, read_summary
from cuiscan.extractors.slides import shape_zone
from cuiscan.records import Zone

_DOCUMENT, _DOCUMENT_ATOM, _SLWT, _SLIDE_PERSIST = 0x03E8, 0x03E9, 0x0FF0, 0x03F3
_SLIDE, _SLIDE_ATOM, _NOTES, _SHOW_INFO, _MAIN_MASTER = 0x03EE, 0x03EF, 0x03F0, 0x03F9, 0x03F8
_USER_EDIT, _PERSIST_DIR = 0x0FF5, 0x1772
_HEADERS_FOOTERS, _HEADERS_FOOTERS_ATOM, _CSTRING, _HAS_FOOTER = 0x0FD9, 0x0FDA, 0x0FBA, 0x0020
_TEXT_HEADER, _TEXT_CHARS, _TEXT_BYTES, _OUTLINE_REF = 0x0F9F, 0x0FA0, 0x0FA8, 0x0F9E
_SP_CONTAINER, _CLIENT_ANCHOR, _CHILD_ANCHOR, _PLACEHOLDER = 0xF004, 0xF010, 0xF00F, 0x0BC3
_FIELDS = {0x0FD8, 0x0FF7, 0x0FF8}          # SlideNumberMCAtom, DateTimeMCAtom, GenericDateMCAtom
_ENCRYPTED_TOKEN = 0xF3D1C4DF
_TITLES = {0x01, 0x03, 0x0D, 0x0F, 0x11}
_FOOTER, _NOTES_BODY = {0x09}, {0x06, 0x0C}
_NOT_TEXT = {0x05, 0x07, 0x08, 0x0B}       # slide image on notes, date, slide number
_MAX_EDITS = 10_000
_MAX_DEPTH = 32
_DEFAULT_HEIGHT = 3240.0                    # 7.5 in at 576 master units per inch


@dataclass(slots=True)
class _Shape:
    text: str
    top: float | None = None
    bottom: float | None = None
    placeholder: int | None = None
    field: bool = False      # holds a slide-number or date field, written as "*" in the text


@dataclass(slots=True)
class _SlideEntry:
    persist: int
    slide_id: int | None = None
    texts: list[str] = field(default_factory=list)   # the slide list's text, for OutlineTextRefAtom


def extract_ppt(src: Source, ctx: DocContext) -> None:
    with open_ole(src, ctx, "ppt") as ole:
        user = read_stream(ole, "Current User", "ppt")
        stream = read_stream(ole, "PowerPoint Document", "ppt")
        summary = read_summary(ole)
    reader = _Reader(stream)
    persist, doc_ref = reader.persist_directory(_current_edit(user))
    document = reader.record_at(persist.get(doc_ref), _DOCUMENT)
    height = _slide_height(reader, document)
    slides = reader.slide_list(document, 0)
    notes_pages = {e.slide_id: e for e in reader.slide_list(document, 2)}
    masters = _Masters(reader, persist, reader.slide_list(document, 1))
    default_footer = reader.footer(document, instance=3)
    ctx.pages = len(slides)
    hidden_slides = []
    for number, entry in enumerate(slides[: ctx.limits.max_pages], 1):
        offset = persist.get(entry.persist)
        if offset is None:
            ctx.problem("corrupt", f"slide {number} is missing from the file")
            continue
        slide = reader.record_at(offset, _SLIDE)
        hidden = reader.hidden(slide)
        if hidden:
            hidden_slides.append(number)
        for shape in reader.shapes(slide, entry.texts):
            if shape.placeholder not in _NOT_TEXT:
                _emit(ctx, shape, number, height, hidden, None)
        # Text boxes on the slide's master print on it unless the slide hides master objects; the
        # master's placeholders only hold sample text ("Click to edit ...") and are left out.
        master_ref, follows = reader.master_of(slide)
        for shape in masters.plain(master_ref) if follows else ():
            _emit(ctx, shape, number, height, hidden, "master")
        own_footer = reader.footer(slide, instance=0)
        # The Header and Footer dialog's text: the slide's own, else the presentation's default.
        footer, variant = (own_footer, None) if own_footer is not None else (default_footer, "master")
        if footer:
            ctx.add(footer, Zone.FOOTER, slide=number, variant=variant, kind="shape", hidden=hidden)
        notes_page = notes_pages.get(reader.notes_ref(slide))
        if notes_page is not None and persist.get(notes_page.persist) is not None:
            notes = reader.record_at(persist[notes_page.persist], _NOTES)
            for shape in reader.shapes(notes, notes_page.texts):
                if shape.placeholder in _NOTES_BODY or shape.placeholder is None:
                    ctx.add(shape.text, Zone.NOTES, slide=number, kind="paragraph", hidden=hidden)
    if len(slides) > ctx.limits.max_pages:
        ctx.problem("limit", f"only the first {ctx.limits.max_pages} of {len(slides)} slides were read")
    ctx.fact("hidden_slides", tuple(hidden_slides))
    emit_summary(ctx, summary)


def _emit(ctx: DocContext, shape: _Shape, number: int, height: float, hidden: bool, variant: str | None) -> None:
    top = bottom = None
    if shape.top is not None:
        top = min(max(shape.top / height, 0.0), 1.0)
        bottom = min(max((shape.bottom or shape.top) / height, 0.0), 1.0)
    ph = "title" if shape.placeholder in _TITLES else "ftr" if shape.placeholder in _FOOTER else None
    ctx.add(shape.text, shape_zone(shape.text, ph, top, bottom), slide=number, variant=variant, kind="shape",
            top=None if top is None else round(top, 4), hidden=hidden)


class _Masters:
    """The plain text boxes of each slide master, read once, by master slide id."""

    def __init__(self, reader: _Reader, persist: dict[int, int], entries: list[_SlideEntry]):
        self.reader, self.persist = reader, persist
        self.entries = {e.slide_id: e for e in entries}
        self.cache: dict[int, list[_Shape]] = {}

    def plain(self, master_id: int | None) -> list[_Shape]:
        entry = self.entries.get(master_id)
        if entry is None:
            return []
        if master_id not in self.cache:
            offset = self.persist.get(entry.persist)
            shapes: list[_Shape] = []
            if offset is not None and self.reader.header(offset)[2] in (_MAIN_MASTER, _SLIDE):
                shapes = [s for s in self.reader.shapes(offset, entry.texts) if s.placeholder is None]
            self.cache[master_id] = shapes
        return self.cache[master_id]


def _current_edit(user: bytes) -> int:
    """CurrentUserAtom ([MS-PPT] 2.3.2): header token, then the offset of the last UserEditAtom."""
    if len(user) < 20:
        raise CorruptError("not a readable ppt file: the Current User stream is too short")
    token, offset = struct.unpack_from("<II", user, 12)
    if token == _ENCRYPTED_TOKEN:
        raise EncryptedError("password-protected (encrypted) PowerPoint 97-2003 presentation")
    return offset


class _Reader:
    def __init__(self, stream: bytes):
        self.data = stream

    def header(self, pos: int) -> tuple[int, int, int, int]:
        """(version, instance, type, length) of the record at `pos`."""
        if pos < 0 or pos + 8 > len(self.data):
            raise CorruptError("not a readable ppt file: a record lies outside the stream")
        ver_inst, rtype, length = struct.unpack_from("<HHI", self.data, pos)
        if pos + 8 + length > len(self.data):
            raise CorruptError("not a readable ppt file: a record runs past the end of the stream")
        return ver_inst & 0xF, ver_inst >> 4, rtype, length

    def children(self, pos: int):
        """(pos, version, instance, type, length) of each child of the container at `pos`."""
        _, _, _, length = self.header(pos)
        child, end = pos + 8, pos + 8 + length
        while child + 8 <= end:
            ver, inst, rtype, clen = self.header(child)
            yield child, ver, inst, rtype, clen
            child += 8 + clen

    def record_at(self, pos: int | None, expected: int) -> int:
        if pos is None:
            raise CorruptError("not a readable ppt file: the persist directory lacks a record")
        _, _, rtype, _ = self.header(pos)
        if rtype != expected:
            raise CorruptError(f"not a readable ppt file: expected record 0x{expected:04X} at {pos}")
        return pos

    def persist_directory(self, edit: int) -> tuple[dict[int, int], int]:
        """Persist id -> offset from the chain of UserEditAtoms (newest wins), and the document's id."""
        persist: dict[int, int] = {}
        doc_ref = None
        seen = set()
        while edit and edit not in seen and len(seen) < _MAX_EDITS:
            seen.add(edit)
            self.record_at(edit, _USER_EDIT)
            last_edit, directory, ref = struct.unpack_from("<III", self.data, edit + 8 + 8)
            doc_ref = ref if doc_ref is None else doc_ref
            self.record_at(directory, _PERSIST_DIR)
            _, _, _, length = self.header(directory)
            pos, end = directory + 8, directory + 8 + length
            while pos + 4 <= end:
                entry, = struct.unpack_from("<I", self.data, pos)
                first, count = entry & 0xFFFFF, entry >> 20
                pos += 4
                for i in range(count):
                    if pos + 4 > end:
                        break
                    persist.setdefault(first + i, struct.unpack_from("<I", self.data, pos)[0])
                    pos += 4
            edit = last_edit
        if doc_ref is None:
            raise CorruptError("not a readable ppt file: no user edit")
        return persist, doc_ref

    def slide_list(self, document: int, instance: int) -> list[_SlideEntry]:
        entries: list[_SlideEntry] = []
        for pos, _, inst, rtype, _ in self.children(document):
            if rtype != _SLWT or inst != instance:
                continue
            for child, _, _, ctype, clen in self.children(pos):
                if ctype == _SLIDE_PERSIST and clen >= 16:
                    # persistIdRef (4), flags (4), cTexts (4), slideId (4): a slide's notesIdRef is a slide id
                    ref, _, _, slide_id = struct.unpack_from("<IIII", self.data, child + 8)
                    entries.append(_SlideEntry(ref, slide_id))
                elif ctype in (_TEXT_CHARS, _TEXT_BYTES) and entries:
                    entries[-1].texts.append(self.text(child, ctype, clen))
        return entries

    def text(self, pos: int, rtype: int, length: int) -> str:
        raw = self.data[pos + 8: pos + 8 + length]
        text = raw.decode("utf-16-le", "replace") if rtype == _TEXT_CHARS else raw.decode("latin-1")
        return text.replace("\r", "\n").replace("\x0b", "\n").strip()

    def shapes(self, container: int, outline: list[str]) -> list[_Shape]:
        found: list[_Shape] = []
        self._walk(container, outline, found, 0)
        return found

    def _walk(self, pos: int, outline: list[str], found: list[_Shape], depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise CorruptError("not a readable ppt file: records nested too deeply")
        for child, ver, _, rtype, length in self.children(pos):
            if rtype == _SP_CONTAINER:
                shape = _Shape("")
                texts: list[str] = []
                self._shape(child, outline, shape, texts, depth + 1)
                shape.text = "\n".join(t for t in texts if t)
                if shape.text.strip() and not (shape.field and not shape.text.strip("* \n")):
                    found.append(shape)
            elif ver == 0xF:
                self._walk(child, outline, found, depth + 1)

    def _shape(self, pos: int, outline: list[str], shape: _Shape, texts: list[str], depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise CorruptError("not a readable ppt file: records nested too deeply")
        for child, ver, _, rtype, length in self.children(pos):
            if rtype == _CLIENT_ANCHOR and shape.top is None:
                if length == 8:      # SmallRectStruct: top, left, right, bottom (2 bytes each)
                    top, _, _, bottom = struct.unpack_from("<hhhh", self.data, child + 8)
                    shape.top, shape.bottom = float(top), float(bottom)
                elif length >= 16:   # RectStruct: 4 bytes each
                    top, _, _, bottom = struct.unpack_from("<iiii", self.data, child + 8)
                    shape.top, shape.bottom = float(top), float(bottom)
            elif rtype in _FIELDS:
                shape.field = True
            elif rtype == _PLACEHOLDER and length >= 5:
                shape.placeholder = self.data[child + 8 + 4]
            elif rtype in (_TEXT_CHARS, _TEXT_BYTES):
                texts.append(self.text(child, rtype, length))
            elif rtype == _OUTLINE_REF and length >= 4:
                index, = struct.unpack_from("<i", self.data, child + 8)
                if 0 <= index < len(outline):
                    texts.append(outline[index])
            elif ver == 0xF and rtype != _SP_CONTAINER:
                self._shape(child, outline, shape, texts, depth + 1)

    def hidden(self, slide: int) -> bool:
        for child, _, _, rtype, length in self.children(slide):
            if rtype == _SHOW_INFO and length >= 12:
                return bool(struct.unpack_from("<H", self.data, child + 8 + 10)[0] & 0x0004)
        return False

    def footer(self, container: int, instance: int) -> str | None:
        """Footer text of the container's HeadersFootersContainer: "" when it hides the footer,
        None when the container has none (then the presentation's default applies)."""
        for child, _, inst, rtype, _ in self.children(container):
            if rtype != _HEADERS_FOOTERS or inst != instance:
                continue
            shown, text = False, ""
            for atom, _, atom_inst, atype, alen in self.children(child):
                if atype == _HEADERS_FOOTERS_ATOM and alen >= 4:
                    shown = bool(struct.unpack_from("<H", self.data, atom + 8 + 2)[0] & _HAS_FOOTER)
                elif atype == _CSTRING and atom_inst == 2:   # FooterAtom
                    text = self.data[atom + 8: atom + 8 + alen].decode("utf-16-le", "replace").strip()
            return text if shown else ""
        return None

    def master_of(self, slide: int) -> tuple[int | None, bool]:
        """(master slide id, does the slide show the master's objects?) from its SlideAtom."""
        for child, _, _, rtype, length in self.children(slide):
            if rtype == _SLIDE_ATOM and length >= 22:
                master_id, = struct.unpack_from("<I", self.data, child + 8 + 12)
                flags, = struct.unpack_from("<H", self.data, child + 8 + 20)
                return master_id, bool(flags & 0x0001)
        return None, False

    def notes_ref(self, slide: int) -> int | None:
        for child, _, _, rtype, length in self.children(slide):
            if rtype == _SLIDE_ATOM and length >= 20:
                return struct.unpack_from("<I", self.data, child + 8 + 16)[0] or None
        return None


def _slide_height(reader: _Reader, document: int) -> float:
    for child, _, _, rtype, length in reader.children(document):
        if rtype == _DOCUMENT_ATOM and length >= 8:
            height = struct.unpack_from("<i", reader.data, child + 8 + 4)[0]
            return float(height) if height > 0 else _DEFAULT_HEIGHT
    return _DEFAULT_HEIGHT
