"""Email: eml (MIME, stdlib email package), mbox (each message a member), msg (email_msg.py).

What the email checks (marking-rules.md section 8) read, and so what every email extractor emits:

* the subject as one SUBJECT block;
* From / To / Cc / Date as METADATA blocks of kind "property", written "From: ...";
* the body, one BODY block per non-empty line: `line` is the 1-based line number within the body
  (plain text: the line as written; html: the n-th visible line), `variant` says which body was read
  ("plain", "html", or "rtf" for Outlook RTF-only bodies). Quoted reply lines (">" at any depth,
  or inside an html <blockquote>) have kind "quote" and their text without the ">" markers, so a
  banner inside a quote reads "CUI" like any other; all other lines have kind "line". Signatures and
  trailing lines are kept: EMAIL-001 reads the first and last non-empty body lines;
* every attachment as a member (`ctx.add_member`), checked as a document of its own (EMAIL-006).
"""
from __future__ import annotations

import io
import mimetypes
import re
import tempfile
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from typing import IO, Iterator

from cuiscan.errors import CorruptError, EncryptedError, LimitExceeded
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.email_stream import STREAM_ABOVE, index_message
from cuiscan.extractors.email_parts import MemberNames, add_body, add_headers, member_name
from cuiscan.extractors.text import decode_bytes, decode_html

HEADER_FIELDS = ("From", "To", "Cc", "Date")
_SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature",
                    "application/pgp-signature"}
_SMIME_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
# Machine-written delivery reports: no user content (the bounced message itself is message/rfc822).
_REPORT_TYPES = {"message/delivery-status", "message/disposition-notification",
                 "message/feedback-report"}


def extract_eml(src: Source, ctx: DocContext) -> None:
    if src.size > STREAM_ABOVE:
        # A big message is indexed, not parsed whole: parts are read from the file when extracted.
        with src.open() as fh:
            msg = index_message(fh)
            if not msg.keys():
                raise CorruptError("no email header fields found: not an email message")
            _extract_message(msg, ctx)
        return
    data = src.read()
    if not data.strip():
        raise CorruptError("empty file: not an email message")
    # compat32 keeps raw header strings: policy.default re-parses Content-Type on every
    # get_content_type() call, which was 80% of the time on a 2,000-message mbox.
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    del data
    if not msg.keys():
        raise CorruptError("no email header fields found: not an email message")
    _extract_message(msg, ctx)


def _extract_message(msg: Message, ctx: DocContext) -> None:
    add_headers(ctx, header_text(msg, "Subject"), [(name, header_text(msg, name)) for name in HEADER_FIELDS])
    _refuse_unreadable_body(msg, ctx)
    body = _find_body(msg)
    if body is not None:
        payload = body.get_payload(decode=True) or b""
        is_html = body.get_content_subtype() == "html"
        charset = body.get_content_charset()
        text = decode_html(payload) if is_html and not charset else decode_bytes(payload, charset)
        add_body(ctx, text, "html" if is_html else "plain")
    ctx.fact("body_variant", None if body is None else body.get_content_subtype())
    names = MemberNames()
    attachments = 0
    for part in _leaf_parts(msg, body):
        member = _attachment(part, names)
        if member is not None:
            ctx.add_member(*member)
            attachments += 1
            del member   # a big attachment's bytes go as soon as it is extracted
    ctx.fact("attachments", attachments)


def extract_mbox(src: Source, ctx: DocContext) -> None:
    """Each message becomes the member "message-<n>.eml"; the mbox itself holds no text. A message
    bigger than STREAM_ABOVE is spooled to a private temporary file (deleted once it is extracted)
    and indexed from there, so a many-GB mbox is read one bounded message at a time."""
    ctx.pages = 0
    budget = ctx.budget
    with src.open() as fh:
        for number, message in enumerate(_mbox_messages(fh), 1):
            name = f"message-{number}.eml"
            budget.ensure_room()    # past archive_members messages, or the file's blocks spent: stop here
            try:
                with budget.own_limits():
                    if isinstance(message, bytes):
                        ctx.add_member(name, message)
                    else:
                        with message:
                            ctx.add_member(name, Source(name=name, path=message.name))
            except LimitExceeded as exc:
                if budget.exhausted:     # the whole file's bound (blocks): nothing more is read
                    raise
                ctx.problem("limit", f"{name} not read: {exc.message}")   # this message only
            ctx.pages = number


# --- eml internals -------------------------------------------------------------------------------

def header_text(msg: Message, name: str) -> str | None:
    """A header field decoded (RFC 2047; raw 8-bit bytes as UTF-8), or None. Never raises."""
    wanted = name.lower()
    for key, raw in msg.raw_items():
        if key.lower() == wanted:
            return decode_header_value(raw)
    return None


def decode_header_value(raw: object) -> str:
    text = str(raw)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # undecoded 8-bit bytes (surrogateescape)
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except Exception:  # an unknown charset or broken encoded word: keep the text as written
        return text


def _refuse_unreadable_body(msg: Message, ctx: DocContext) -> None:
    ctype = msg.get_content_type()
    if ctype == "multipart/encrypted":
        raise EncryptedError("PGP/MIME encrypted message: the body cannot be read without the recipient's key")
    if ctype in _SMIME_TYPES:
        smime_type = str(msg.get_param("smime-type") or "").lower()
        if smime_type in ("signed-data", "certs-only"):
            ctx.problem("unsupported", "opaque-signed S/MIME message: the signed body is not read")
            return
        raise EncryptedError("S/MIME encrypted message: the body cannot be read without the recipient's key")


def _find_body(msg: Message) -> Message | None:
    """The first inline text part in reading order: an alternative resolves to its plain part when
    it has one (else its richest), a multipart/related to its root part."""
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        if ctype in ("text/plain", "text/html"):
            if not _is_attachment(part):
                return part
            continue
        children = _children(part)
        if not ctype.startswith("multipart/") or not children:
            continue
        if ctype == "multipart/alternative":
            children = [_alternative_choice(children)]
        elif ctype == "multipart/related":
            children = [_related_root(part, children)]
        stack.extend(reversed(children))
    return None


def _leaf_parts(msg: Message, body: Message | None) -> Iterator[Message]:
    """Non-multipart parts and attached messages, except the body and its alternative renderings."""
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        children = _children(part)
        if ctype.startswith("multipart/") and children:
            if ctype == "multipart/alternative":
                holding_body = [c for c in children if body is not None and any(p is body for p in c.walk())]
                children = holding_body[:1] or [_alternative_choice(children)]
            stack.extend(reversed(children))
        elif part is not body:
            yield part


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _alternative_choice(children: list[Message]) -> Message:
    for child in children:
        if child.get_content_type() == "text/plain" and not _is_attachment(child):
            return child
    return children[-1]  # RFC 2046: alternatives come in increasing order of richness


def _related_root(part: Message, children: list[Message]) -> Message:
    start = part.get_param("start")
    if isinstance(start, str):
        for child in children:
            if str(child.get("content-id", "")).strip() == start.strip():
                return child
    return children[0]


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _attachment(part: Message, names: MemberNames) -> tuple[str, bytes] | None:
    ctype = part.get_content_type()
    if ctype in _SIGNATURE_TYPES or ctype in _REPORT_TYPES:
        return None
    if ctype.startswith("message/"):
        inner = _children(part)
        if inner:
            subject = header_text(inner[0], "Subject")
            return names.unique(member_name(subject, "attached message") + ".eml"), _message_bytes(inner[0])
        if ctype == "message/global":  # RFC 6532 UTF-8 message: kept as bytes, parsed as a member
            return names.unique("attached message.eml"), part.get_payload(decode=True) or b""
    filename = _filename(part)
    if not filename and part.get_content_disposition() != "attachment" and part.get_content_maintype() == "image":
        return None  # nameless inline images: logos and spacers, no text to check
    data = part.get_payload(decode=True)
    if data is None:  # a multipart or message payload that did not parse as such
        data = _message_bytes(part)
    fallback = f"attachment-{names.count + 1}{mimetypes.guess_extension(ctype) or '.bin'}"
    return names.unique(member_name(filename, fallback)), data


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename() or part.get_param("name")
    except Exception:
        return None
    if isinstance(name, tuple):  # RFC 2231 triple from get_param
        name = name[2]
    # RFC 2047 inside a parameter is invalid but what Outlook writes.
    return decode_header_value(name) if name else None


def _message_bytes(inner: Message) -> bytes:
    for pol in (policy.compat32, policy.default):
        try:
            return inner.as_bytes(policy=pol)
        except Exception:
            continue
    return str(inner).encode("utf-8", "replace")


# --- mbox ----------------------------------------------------------------------------------------

_ESCAPED_FROM = re.compile(rb"^>(>*From )")


def _mbox_messages(fh) -> Iterator[bytes | IO[bytes]]:
    """Split on "From " lines that start the file or follow a blank line; undo ">From " escaping.

    Requiring the blank line keeps an unescaped "From " inside a body (mboxo writers) from
    splitting a message in two. Reads line by line: only one message is held at a time, and one
    bigger than STREAM_ABOVE moves to a temporary file (yielded open, rewound; the caller closes it).
    """
    message = _Spool()
    started = False
    previous_blank = True
    for line in fh:
        if line.startswith(b"From ") and previous_blank:
            if started:
                yield message.finish()
            message = _Spool()
            started = True
        elif not started:
            if line.strip():
                raise CorruptError("not an mbox file: it does not start with a 'From ' line")
        else:
            message.write(_ESCAPED_FROM.sub(rb"\1", line) if line.startswith(b">") else line)
        previous_blank = not line.strip()
    if started:
        yield message.finish()


class _Spool:
    """One mbox message being collected: in memory, or past STREAM_ABOVE in a temporary file."""

    def __init__(self) -> None:
        self.buf: io.BytesIO | IO[bytes] = io.BytesIO()
        self.on_disk = False
        self.pending = b""     # a blank line is held back: the one before the next "From " is the separator's

    def write(self, line: bytes) -> None:
        if self.pending:
            self.buf.write(self.pending)
            self.pending = b""
        if not line.strip():
            self.pending = line
            return
        self.buf.write(line)
        if not self.on_disk and self.buf.tell() > STREAM_ABOVE:
            spooled = tempfile.NamedTemporaryFile(prefix="cuiscan-mbox-", suffix=".eml")
            spooled.write(self.buf.getbuffer())
            self.buf, self.on_disk = spooled, True

    def finish(self) -> bytes | IO[bytes]:
        if not self.on_disk:
            return self.buf.getvalue()
        self.buf.flush()
        self.buf.seek(0)
        return self.buf
