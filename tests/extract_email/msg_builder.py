"""Builds real Outlook .msg files (MS-OXMSG) for the msg extractor's tests.

No package writes .msg messages from scratch, but extract-msg ships a general OLE2/CFB writer
(`extract_msg.ole_writer.OleWriter`, the one behind its own `exportBytes`). This module lays out the
MS-OXMSG structure on top of it: the property stream `__properties_version1.0` (fixed-size values
and the sizes of variable ones), one `__substg1.0_<tag>` stream per string/binary property,
recipient and attachment storages, and the named-property storage every reader expects. The
extractor under test then reads these files through extract-msg and olefile, unmocked.
"""
from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass, field

from extract_msg.ole_writer import OleWriter

PT_LONG = 0x0003
PT_SYSTIME = 0x0040
PT_UNICODE = 0x001F
PT_BINARY = 0x0102
PT_OBJECT = 0x000D

ATTACH_BY_VALUE = 1
ATTACH_EMBEDDED_MSG = 5
_FLAG_READABLE_WRITABLE = 0x6
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class MsgSpec:
    subject: str = ""
    body: str | None = None               # PR_BODY (plain text)
    html: bytes | None = None             # PR_HTML (bytes, as Outlook stores it)
    rtf_compressed: bytes | None = None   # PR_RTF_COMPRESSED
    sender: str | None = None
    to: list[tuple[str, str]] = field(default_factory=list)   # (display name, address)
    cc: list[tuple[str, str]] = field(default_factory=list)
    sent: dt.datetime | None = None
    message_class: str = "IPM.Note"
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    embedded: list["MsgSpec"] = field(default_factory=list)    # attached Outlook items


def build_msg(spec: MsgSpec) -> bytes:
    writer = OleWriter()
    _write_message(writer, "", spec, top_level=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Props:
    """Collects one storage's properties: streams for variable data, 16-byte entries for all."""

    def __init__(self, writer: OleWriter, prefix: str):
        self.writer, self.prefix, self.entries = writer, prefix, bytearray()

    def string(self, prop_id: int, value: str | None) -> None:
        if value is not None:
            self.binary(prop_id, value.encode("utf-16-le"), PT_UNICODE, extra=2)

    def binary(self, prop_id: int, data: bytes, ptype: int = PT_BINARY, extra: int = 0) -> None:
        self.writer.addEntry(f"{self.prefix}__substg1.0_{prop_id:04X}{ptype:04X}", data)
        self.entries += struct.pack("<IIII", (prop_id << 16) | ptype, _FLAG_READABLE_WRITABLE, len(data) + extra, 0)

    def long(self, prop_id: int, value: int) -> None:
        self.entries += struct.pack("<IIII", (prop_id << 16) | PT_LONG, _FLAG_READABLE_WRITABLE, value, 0)

    def systime(self, prop_id: int, when: dt.datetime) -> None:
        ticks = int((when - _FILETIME_EPOCH).total_seconds() * 10_000_000)
        self.entries += struct.pack("<IIQ", (prop_id << 16) | PT_SYSTIME, _FLAG_READABLE_WRITABLE, ticks)

    def write(self, header: bytes) -> None:
        self.writer.addEntry(f"{self.prefix}__properties_version1.0", header + bytes(self.entries))


def _write_message(writer: OleWriter, prefix: str, spec: MsgSpec, top_level: bool) -> None:
    props = _Props(writer, prefix)
    props.string(0x001A, spec.message_class)
    props.string(0x0037, spec.subject)
    props.string(0x1000, spec.body)
    props.string(0x0C1A, spec.sender)
    if spec.html is not None:
        props.binary(0x1013, spec.html)
    if spec.rtf_compressed is not None:
        props.binary(0x1009, spec.rtf_compressed)
    props.long(0x0E07, 0x1)  # MSGFLAG_READ: a sent/received message, not a draft
    if spec.sent is not None:
        props.systime(0x0039, spec.sent)
    recipients = [(r, 1) for r in spec.to] + [(r, 2) for r in spec.cc]
    for n, ((name, address), rtype) in enumerate(recipients):
        sub = _Props(writer, f"{prefix}__recip_version1.0_#{n:08X}/")
        writer.addEntry(f"{prefix}__recip_version1.0_#{n:08X}", storage=True)
        sub.string(0x3001, name)
        sub.string(0x3003, address)
        sub.string(0x39FE, address)
        sub.long(0x0C15, rtype)
        sub.write(b"\0" * 8)
    count = len(spec.attachments) + len(spec.embedded)
    for n, (name, data) in enumerate(spec.attachments):
        sub = _attachment_storage(writer, prefix, n)
        sub.long(0x3705, ATTACH_BY_VALUE)
        sub.binary(0x3701, data)
        sub.string(0x3707, name)
        sub.string(0x3001, name)
        sub.write(b"\0" * 8)
    for n, inner in enumerate(spec.embedded, len(spec.attachments)):
        sub = _attachment_storage(writer, prefix, n)
        sub.long(0x3705, ATTACH_EMBEDDED_MSG)
        sub.string(0x3001, inner.subject)
        inner_prefix = f"{prefix}__attach_version1.0_#{n:08X}/__substg1.0_3701000D/"
        writer.addEntry(inner_prefix.rstrip("/"), storage=True)
        sub.entries += struct.pack("<IIII", (0x3701 << 16) | PT_OBJECT, _FLAG_READABLE_WRITABLE, 0xFFFFFFFF, 0)
        sub.write(b"\0" * 8)
        _write_message(writer, inner_prefix, inner, top_level=False)
    counts = struct.pack("<IIII", len(recipients), count, len(recipients), count)
    if top_level:
        writer.addEntry("__nameid_version1.0", storage=True)
        for stream in ("00020102", "00030102", "00040102"):  # GUID, entry and string streams
            writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
        props.write(b"\0" * 8 + counts + b"\0" * 8)
    else:
        props.write(b"\0" * 8 + counts)


def _attachment_storage(writer: OleWriter, prefix: str, n: int) -> _Props:
    path = f"{prefix}__attach_version1.0_#{n:08X}"
    writer.addEntry(path, storage=True)
    return _Props(writer, path + "/")
