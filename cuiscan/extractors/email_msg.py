"""Outlook .msg (an OLE2 compound file, MS-OXMSG) through extract-msg.

Emits the same blocks as the eml extractor (see cuiscan/extractors/email.py): subject, From / To /
Cc / Date properties, body lines (plain, else html, else the RTF body), attachments as members.
An attached Outlook item becomes "<subject>.msg", re-exported by extract-msg as a standalone .msg.
"""
from __future__ import annotations

import email.utils
import mimetypes
from typing import Callable, TypeVar

from cuiscan.errors import CorruptError, EncryptedError, UnsupportedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.extractors.email_parts import MemberNames, add_body, add_headers, member_name
from cuiscan.extractors.text import decode_html, rtf_plain_text

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MIN_CFB_SIZE = 1536            # header + one FAT sector + one directory sector
_ENVELOPED_DATA_OID = bytes.fromhex("06092a864886f70d010703")   # PKCS#7 enveloped-data
_FIRST_ATTACHMENT_DATA = "__attach_version1.0_#00000000/__substg1.0_37010102"

T = TypeVar("T")


def extract_msg(src: Source, ctx: DocContext) -> None:
    msg = _open(src)
    try:
        _refuse_protected(msg)
        add_headers(ctx, _safe(lambda: msg.subject), [
            ("From", _safe(lambda: msg.sender)),
            ("To", _safe(lambda: msg.to)),
            ("Cc", _safe(lambda: msg.cc)),
            ("Date", _format_date(_safe(lambda: msg.date))),
        ])
        variant = _add_body(msg, ctx)
        ctx.fact("body_variant", variant)
        ctx.fact("attachments", _add_attachments(msg, ctx))
    finally:
        _safe(msg.close)


def _open(src: Source):
    import extract_msg
    from extract_msg.exceptions import (InvalidFileFormatError, UnrecognizedMSGTypeError,
                                        UnsupportedMSGTypeError)

    with src.open() as fh:
        head = fh.read(_MIN_CFB_SIZE)
    if not head.startswith(_CFB_MAGIC):
        raise CorruptError("not an Outlook .msg file: no OLE2 compound file header")
    if len(head) < _MIN_CFB_SIZE:
        raise CorruptError("truncated .msg file: shorter than the smallest compound file")
    # olefile takes bytes as file content only from 1536 bytes up (else as a path): checked above.
    target = src.data if src.data is not None else src.path
    try:
        return extract_msg.openMsg(target, delayAttachments=True)
    except (UnsupportedMSGTypeError, UnrecognizedMSGTypeError) as exc:
        raise UnsupportedError(f"Outlook item of an unsupported kind ({exc})") from None
    except InvalidFileFormatError as exc:
        raise CorruptError(f"not a readable Outlook .msg file ({exc})") from None
    except (MemoryError, RecursionError):
        raise  # the dispatcher reports these as limits / too-deep structure
    except Exception as exc:
        # olefile and extract-msg raise all sorts on damaged compound files
        message = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise CorruptError(f"not a readable Outlook .msg file ({type(exc).__name__}: {message})") from None


def _refuse_protected(msg) -> None:
    """S/MIME-encrypted and rights-protected (IRM) messages carry their body as ciphertext."""
    message_class = (_safe(lambda: msg.classType) or "").lower()
    if ".rpmsg" in message_class:
        raise EncryptedError("rights-protected (IRM) Outlook message: the body is encrypted")
    if message_class.endswith(".smime"):
        blob = _safe(lambda: msg.getStream(_FIRST_ATTACHMENT_DATA)) or b""
        if _ENVELOPED_DATA_OID in blob[:256]:
            raise EncryptedError("S/MIME encrypted Outlook message: the body cannot be read without the recipient's key")


def _add_body(msg, ctx: DocContext) -> str | None:
    plain = _safe(lambda: msg.getStringStream("__substg1.0_1000"))
    if plain and plain.strip():
        add_body(ctx, plain, "plain")
        return "plain"
    html = _safe(lambda: msg.htmlBody)
    if html:
        add_body(ctx, decode_html(html) if isinstance(html, bytes) else str(html), "html")
        return "html"
    rtf = _safe(lambda: msg.rtfBody)
    if rtf:
        add_body(ctx, rtf_plain_text(rtf), "rtf")
        return "rtf"
    body = _safe(lambda: msg.body)  # signed messages and other classes keep their body elsewhere
    if body and body.strip():
        add_body(ctx, body, "plain")
        return "plain"
    return None


def _add_attachments(msg, ctx: DocContext) -> int:
    from extract_msg.enums import AttachmentType

    try:
        attachments = list(msg.attachments)
    except Exception as exc:  # broken attachment tables must not hide the body we already have
        ctx.problem("corrupt", f"attachments could not be listed ({type(exc).__name__})")
        return 0
    names = MemberNames()
    added = 0
    for number, att in enumerate(attachments, 1):
        kind = _safe(lambda: att.type)
        if kind == AttachmentType.WEB:
            continue  # a link to a cloud file: nothing stored in the message to check
        data = _safe(lambda: att.data)
        if hasattr(data, "exportBytes"):  # an attached Outlook item
            blob = _export(data)
            if blob is None:
                ctx.problem("unreadable", f"attached Outlook item {number} could not be exported")
                continue
            subject = _safe(lambda: data.subject)
            ctx.add_member(names.unique(member_name(subject, "attached message") + ".msg"), blob)
        elif isinstance(data, (bytes, bytearray)):
            ctx.add_member(names.unique(member_name(_attachment_name(att), _fallback_name(att, number))), bytes(data))
        else:
            ctx.problem("unreadable", f"attachment {number} could not be read")
            continue
        added += 1
    return added


def _export(inner) -> bytes | None:
    for allow_bad in (False, True):
        try:
            return inner.exportBytes(allowBadEmbed=allow_bad)
        except Exception:
            continue
    return None


def _attachment_name(att) -> str | None:
    for attr in ("longFilename", "shortFilename", "displayName", "name"):
        value = _safe(lambda: getattr(att, attr, None))
        if isinstance(value, str) and value.strip():
            return value
    return None


def _fallback_name(att, number: int) -> str:
    mime = _safe(lambda: att.mimetype)
    ext = (mimetypes.guess_extension(mime) if isinstance(mime, str) else None) or ".bin"
    return f"attachment-{number}{ext}"


def _format_date(when) -> str | None:
    if when is None:
        return None
    try:
        return email.utils.format_datetime(when)
    except (TypeError, ValueError, AttributeError):
        return str(when)


def _safe(getter: Callable[[], T], default: T | None = None) -> T | None:
    """extract-msg computes fields lazily and raises on damaged streams: a bad field is a missing one."""
    try:
        return getter()
    except Exception:
        return default
