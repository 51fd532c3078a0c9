"""Big email messages without big memory: the MIME tree indexed in one streaming pass, parts read
only when extracted.

The stdlib parser holds a message several times over (the bytes, the decoded text of every line,
each part's payload string): a 202 MB .eml peaked at 1.8 GB. Above `STREAM_ABOVE` bytes, a message
is instead read line by line to find its parts: each part keeps its parsed header fields and the
byte range of its body, nothing else. The tree is made of ordinary `email.message.Message` objects
(compat32, headers only), so the email extractor picks the body and the attachments with the same
code as for small messages; a leaf part's payload is read from its range and decoded (base64 in
chunks) only when asked for, and dropped once handed over. Memory is bounded by the largest part
being extracted, not by the message.
"""
from __future__ import annotations

import base64
import quopri
import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from typing import BinaryIO

STREAM_ABOVE = 16 * 1024 * 1024
_MAX_HEADER = 1024 * 1024          # header block of one part; longer is not a header
_MAX_PARTS = 100_000
_CHUNK = 4 * 1024 * 1024
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")


class LazyPart(Message):
    """A compat32 Message whose leaf payload stays in the file until get_payload(decode=True)."""

    _fh: BinaryIO | None = None         # set on leaf parts only: their payload is read from it
    _file: BinaryIO | None = None       # every part: where as_bytes reads the part as written
    _body: tuple[int, int] = (0, 0)     # body byte range
    _whole: tuple[int, int] = (0, 0)    # header + body, for an attached message's bytes

    def get_payload(self, i=None, decode=False):
        if isinstance(self._payload, list) or self._fh is None:
            return super().get_payload(i, decode)
        if not decode:
            return ""       # only the decoded payload is read; "" keeps the raw text out of memory
        encoding = str(self.get("content-transfer-encoding", "")).strip().lower()
        if encoding == "base64":
            return _base64_range(self._fh, *self._body)
        raw = self._read(*self._body)
        return quopri.decodestring(raw) if encoding == "quoted-printable" else raw

    def as_bytes(self, unixfrom=False, policy=None):   # an attached message/rfc822: its bytes as written
        if self._file is None:
            return super().as_bytes(unixfrom, policy)
        return self._read(*self._whole)

    def _read(self, start: int, end: int) -> bytes:
        self._file.seek(start)
        return self._file.read(max(end - start, 0))


def index_message(fh: BinaryIO) -> LazyPart:
    """The message in `fh` (seekable, positioned anywhere) as a tree of LazyParts."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(0)
    return _Indexer(fh).part(0, size, depth=0)


class _Indexer:
    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.parts = 0

    def part(self, start: int, end: int, depth: int) -> LazyPart:
        self.parts += 1
        fh = self.fh
        fh.seek(start)
        header = bytearray()
        pos = start
        while pos < end and len(header) < _MAX_HEADER:
            line = fh.readline(min(end - pos, 65536))
            if not line:
                break
            pos += len(line)
            header += line
            if line in (b"\r\n", b"\n"):
                break
        msg = BytesHeaderParser(_class=LazyPart, policy=policy.compat32).parsebytes(bytes(header))
        msg._fh, msg._file, msg._body, msg._whole = fh, fh, (pos, end), (start, end)
        ctype = msg.get_content_type()
        boundary = msg.get_boundary() if ctype.startswith("multipart/") else None
        if boundary and depth < 50 and self.parts < _MAX_PARTS:
            children = [self.part(s, e, depth + 1) for s, e in self._split(pos, end, boundary.encode("utf-8", "replace"))]
            if children:
                msg.set_payload(children)
                msg._fh = None
        elif ctype == "message/rfc822" and depth < 50 and self.parts < _MAX_PARTS and not _encoded(msg):
            inner = self.part(pos, end, depth + 1)
            msg.set_payload([inner])
            msg._fh = None
        return msg

    def _split(self, start: int, end: int, boundary: bytes) -> list[tuple[int, int]]:
        """Byte ranges of the parts between `--boundary` lines (the CRLF before a delimiter
        belongs to the delimiter, RFC 2046 5.1.1)."""
        fh = self.fh
        fh.seek(start)
        delimiter, closing = b"--" + boundary, b"--" + boundary + b"--"
        ranges: list[tuple[int, int]] = []
        part_start = None
        pos = start
        previous_eol = 0
        while pos < end:
            line = fh.readline(min(end - pos, _CHUNK))
            if not line:
                break
            line_start, pos = pos, pos + len(line)
            if line.startswith(b"--") and line.rstrip(b" \t\r\n") in (delimiter, closing):
                if part_start is not None:
                    ranges.append((part_start, max(part_start, line_start - previous_eol)))
                if line.rstrip(b" \t\r\n") == closing:
                    return ranges
                part_start = pos
            previous_eol = 2 if line.endswith(b"\r\n") else 1 if line.endswith(b"\n") else 0
        if part_start is not None and part_start < end:
            ranges.append((part_start, end))   # no closing delimiter: the last part runs to the end
        return ranges


def _encoded(msg: Message) -> bool:
    return str(msg.get("content-transfer-encoding", "")).strip().lower() in ("base64", "quoted-printable")


def _base64_range(fh: BinaryIO, start: int, end: int) -> bytes:
    """Decode base64 from a byte range a chunk at a time: the encoded text is never all in memory."""
    out = bytearray()
    carry = b""
    fh.seek(start)
    remaining = max(end - start, 0)
    while remaining > 0:
        raw = fh.read(min(_CHUNK, remaining))
        if not raw:
            break
        remaining -= len(raw)
        # Padding and line breaks are dropped everywhere: the last group is padded again at the end.
        chunk = carry + _B64_JUNK.sub(b"", raw)
        usable = len(chunk) // 4 * 4
        out += base64.b64decode(chunk[:usable])
        carry = chunk[usable:]
    if len(carry) > 1:
        out += base64.b64decode(carry + b"=" * (-len(carry) % 4))
    return bytes(out)
