"""Shared plumbing for the legacy binary Office formats (doc, xls, ppt): the OLE2 compound file
opened with olefile, bounded stream reads, and the SummaryInformation properties as METADATA.

Every failure of the container becomes a CorruptError or EncryptedError: a broken legacy file is a
finding, never an exception out of the extractor.
"""
from __future__ import annotations

import struct
from contextlib import contextmanager
from typing import Iterator

from cuiscan.errors import CorruptError, LimitExceeded
from cuiscan.extractors.base import DocContext, Source
from cuiscan.records import Zone

# SummaryInformation property ids ([MS-OLEPS] 2.25.1): the ones a marking could sit in.
_MAX_PROPERTY_STREAM = 1024 * 1024
_MAX_PROPERTIES = 4096
_SUMMARY = ((2, "title"), (3, "subject"), (5, "keywords"), (6, "description"))


@contextmanager
def open_ole(src: Source, ctx: DocContext, what: str) -> Iterator:
    import olefile

    if src.size > ctx.limits.member_size:
        raise LimitExceeded(f"{what} file is {src.size} bytes, over the {ctx.limits.member_size}-byte limit")
    try:
        ole = olefile.OleFileIO(src.path if src.data is None else src.data)
    except Exception as exc:  # olefile raises assorted errors on damaged containers
        raise CorruptError(f"not a readable {what} file: broken OLE2 container ({type(exc).__name__})") from exc
    try:
        yield ole
    finally:
        ole.close()


def read_stream(ole, name: str, what: str, required: bool = True) -> bytes | None:
    """A whole stream's bytes, or None when an optional stream is absent."""
    if not ole.exists(name):
        if required:
            raise CorruptError(f"not a readable {what} file: no {name} stream")
        return None
    try:
        return ole.openstream(name).read()
    except Exception as exc:
        raise CorruptError(f"not a readable {what} file: the {name} stream is damaged ({type(exc).__name__})") from exc


def read_summary(ole) -> list[tuple[str, str]]:
    """(property, text) for title, subject, keywords and comments of the SummaryInformation stream,
    read here ([MS-OLEPS] 2.20-2.21) rather than by olefile's get_metadata, which walks whatever
    property count a file claims, one by one (a mutated file hung the fuzzer for minutes)."""
    name = "\x05SummaryInformation"
    try:
        if not ole.exists(name) or ole.get_size(name) > _MAX_PROPERTY_STREAM:
            return []
        data = ole.openstream(name).read()
        base, = struct.unpack_from("<I", data, 44)          # header (28) + FMTID0 (16), then Offset0
        size, count = struct.unpack_from("<II", data, base)
        if base + size > len(data) or count > min(size // 8, _MAX_PROPERTIES):
            return []
        where = dict(struct.unpack_from(f"<{2 * count}I", data, base + 8)[i: i + 2] for i in range(0, 2 * count, 2))
        codepage = _codepage(data, base + where[1]) if 1 in where else "cp1252"
        found = []
        for pid, variant in _SUMMARY:
            if pid in where:
                text = _string(data, base + where[pid], codepage)
                if text:
                    found.append((variant, text))
        return found
    except (struct.error, ValueError, LookupError, OSError):   # a damaged property set hides only itself
        return []


def _codepage(data: bytes, at: int) -> str:
    vtype, value = struct.unpack_from("<HxxH", data, at)
    if vtype != 0x0002 or value in (1200, 1201):   # VT_I2; UTF-16 code pages only apply to VT_LPWSTR
        return "cp1252"
    return "utf-8" if value == 65001 else f"cp{value}"


def _string(data: bytes, at: int, codepage: str) -> str:
    vtype, length = struct.unpack_from("<HxxI", data, at)
    if vtype == 0x001E:     # VT_LPSTR: length in bytes, NUL-terminated
        raw = data[at + 8: at + 8 + min(length, len(data))]
        text = raw.decode(codepage, "replace")
    elif vtype == 0x001F:   # VT_LPWSTR: length in characters
        text = data[at + 8: at + 8 + 2 * min(length, len(data))].decode("utf-16-le", "replace")
    else:
        return ""
    return text.replace("\x00", "").strip()


def emit_summary(ctx: DocContext, summary: list[tuple[str, str]]) -> None:
    """The properties as METADATA blocks, after the document's text (as for OOXML core properties)."""
    for variant, text in summary:
        ctx.add(text, Zone.METADATA, kind="property", variant=variant)
