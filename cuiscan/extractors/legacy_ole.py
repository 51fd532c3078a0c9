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
_PROPERTY_STREAMS = ("\x05SummaryInformation", "\x05DocumentSummaryInformation")
_MAX_PROPERTY_STREAM = 1024 * 1024
_MAX_PROPERTIES = 4096
_SUMMARY = (("title", "title"), ("subject", "subject"), ("keywords", "keywords"), ("comments", "description"))


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
    """(property, text) for title, subject, keywords and comments of the SummaryInformation stream."""
    if not all(_sane_property_set(ole, name) for name in _PROPERTY_STREAMS):
        return []
    try:
        meta = ole.get_metadata()
    except Exception:  # a damaged property set hides only the properties, not the document
        return []
    found = []
    for attr, variant in _SUMMARY:
        value = getattr(meta, attr, None)
        if isinstance(value, bytes):
            value = value.decode("cp1252", "replace")
        if isinstance(value, str) and value.replace("\x00", "").strip():
            found.append((variant, value.replace("\x00", "").strip()))
    return found


def _sane_property_set(ole, name: str) -> bool:
    """Whether a property set stream ([MS-OLEPS] 2.21) is small and counts no more properties than it
    can hold: olefile walks whatever count a file claims, one by one (a mutated count hung the fuzzer)."""
    if not ole.exists(name):
        return True
    try:
        if ole.get_size(name) > _MAX_PROPERTY_STREAM:
            return False
        data = ole.openstream(name).read()
        offset, = struct.unpack_from("<I", data, 44)        # header (28) + FMTID0 (16), then Offset0
        size, count = struct.unpack_from("<II", data, offset)
    except Exception:   # too short or unreadable: olefile would fail on it too
        return False
    return offset + size <= len(data) and count * 8 <= size and count <= _MAX_PROPERTIES


def emit_summary(ctx: DocContext, summary: list[tuple[str, str]]) -> None:
    """The properties as METADATA blocks, after the document's text (as for OOXML core properties)."""
    for variant, text in summary:
        ctx.add(text, Zone.METADATA, kind="property", variant=variant)
