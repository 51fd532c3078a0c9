"""File type by content (magic bytes, OOXML part names, OLE2 streams), the extension only a hint.

A .docx renamed .dat is still a docx: the extension is consulted only where the content leaves the
type open (plain text: md, csv, log or txt; an encrypted OOXML package; an empty or unrecognised
binary file). Only the first few KB are read, plus the zip central directory or the OLE2 directory.
"""
from __future__ import annotations

import codecs
import os
import re
import struct
import zipfile
from typing import BinaryIO

from cuiscan.extractors.base import Source

HEAD_BYTES = 8192
MAX_ZIP_DIRECTORY = 16 * 1024 * 1024   # a bigger central directory is not worth reading to sniff
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_OOXML_MAIN_PARTS = (("word/document.xml", "docx"), ("ppt/presentation.xml", "pptx"), ("xl/workbook.xml", "xlsx"))
_OOXML_FOLDERS = (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx"))
_ARCHIVE_MAGIC = (b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"BZh", b"\xfd7zXZ\x00")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_TEXT_EXTENSIONS = {"md": "md", "markdown": "md", "csv": "csv", "tsv": "csv", "log": "log",
                    "htm": "html", "html": "html", "xhtml": "html", "xml": "xml"}
# Types whose extractor gives a clearer message ("corrupt docx") than "unsupported binary".
_TRUSTED_EXTENSIONS = {"pdf", "docx", "docm", "xlsx", "xlsm", "pptx", "pptm", "zip", "msg", "eml", "rtf",
                       "odt", "ods", "odp"}
# OpenDocument packages say what they are in their "mimetype" member (templates read like documents).
_ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
              "application/vnd.oasis.opendocument.text-template": "odt",
              "application/vnd.oasis.opendocument.spreadsheet": "ods",
              "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
              "application/vnd.oasis.opendocument.presentation": "odp",
              "application/vnd.oasis.opendocument.presentation-template": "odp"}
_EXTENSION_ALIASES = {"docm": "docx", "xlsm": "xlsx", "pptm": "pptx"}

_HEADER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*:[ \t]*\S")
_MAIL_HEADERS = {"received", "from", "to", "cc", "subject", "date", "message-id", "mime-version",
                 "return-path", "reply-to", "content-type", "delivered-to", "sender", "in-reply-to",
                 "references", "x-mailer", "dkim-signature", "content-transfer-encoding", "thread-topic"}
# Headers only mail has; the common ones (from, to, date) also start many YAML and note files.
_STRONG_MAIL_HEADERS = {"received", "message-id", "mime-version", "return-path", "delivered-to", "dkim-signature"}
_MBOX_FROM = re.compile(r"^From \S+")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")     # control characters other than \t \n \v \f \r
_MAIL_START = re.compile(rb"(?i)(From |(received|return-path|mime-version|message-id|from|subject|to|date)\s*:)")


def sniff(src: Source) -> str:
    with src.open() as fh:
        head = fh.read(HEAD_BYTES)
        ext = extension(src.name)
        if not head:
            return _known_extension(ext) or "txt"
        if head.startswith(b"%PDF"):
            return "pdf"
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            return _zip_type(fh)
        if head.startswith(OLE_MAGIC):
            return _ole_type(fh, ext)
        if b"%PDF-" in head[:1024] and not _MAIL_START.match(head):
            return "pdf"  # readers accept junk before the header; a mail carrying a PDF is still a mail
        binary = _binary_type(head)
        if binary:
            return binary
        text = decode_head(head)
        if text is None:
            return _known_extension(ext) or "binary"
        return _text_type(text, ext)


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _known_extension(ext: str) -> str | None:
    if ext in _TRUSTED_EXTENSIONS:
        return _EXTENSION_ALIASES.get(ext, ext)
    return None


def _zip_type(fh: BinaryIO) -> str:
    names = zip_member_names(fh)
    if names is None:
        return "zip"  # damaged or oversized directory: the zip extractor says what is wrong
    name_set = set(names)
    for part, ftype in _OOXML_MAIN_PARTS:
        if part in name_set:
            return ftype
    if "[Content_Types].xml" in name_set:
        for folder, ftype in _OOXML_FOLDERS:
            if any(n.startswith(folder) for n in names):
                return ftype
    if "content.xml" in name_set and "mimetype" in name_set:
        return _odf_type(fh) or "zip"
    return "zip"


def _odf_type(fh: BinaryIO) -> str | None:
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            info = zf.getinfo("mimetype")
            if info.file_size > 200:
                return None
            mime = zf.read(info).decode("ascii", "replace").strip()
    except Exception:  # a damaged member: the zip extractor says what is wrong
        return None
    return _ODF_TYPES.get(mime)


def zip_member_names(fh: BinaryIO) -> list[str] | None:
    """Member names from the central directory, or None if it is unreadable or too big to sniff."""
    directory = zip_directory_size(fh)
    if directory is None or directory[1] > MAX_ZIP_DIRECTORY:
        return None
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, struct.error, EOFError, NotImplementedError):
        return None


def zip_directory_size(fh: BinaryIO) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end record, read before zipfile loads it all.

    Zip64 archives store 0xFFFF / 0xFFFFFFFF here; those come back as 0 (unknown) so the caller lets
    zipfile read the real figures. None when there is no end record at all.
    """
    try:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        tail_len = min(size, 65535 + 22)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
    except (OSError, ValueError):
        return None
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    entries, directory_size = struct.unpack_from("<HI", tail, pos + 10)
    return (0 if entries == 0xFFFF else entries, 0 if directory_size == 0xFFFFFFFF else directory_size)


def _ole_type(fh: BinaryIO, ext: str) -> str:
    import olefile  # only OLE2 files pay for the import

    try:
        fh.seek(0)
        with olefile.OleFileIO(fh) as ole:
            streams = ["/".join(entry) for entry in ole.listdir(streams=True, storages=True)]
    except Exception:  # olefile raises assorted errors on damaged files
        # A damaged legacy Office file named as one: its extractor says "corrupt", not "unsupported".
        return ext if ext in ("doc", "xls", "ppt") else "ole"
    top_level = {s for s in streams if "/" not in s}
    if any(s.rsplit("/", 1)[-1].startswith("__substg1.0_") for s in streams):
        return "msg"
    if "EncryptedPackage" in top_level:
        # An encrypted OOXML file is an OLE2 wrapper; let the OOXML extractor report "encrypted".
        return {"xlsx": "xlsx", "xlsm": "xlsx", "xlsb": "xlsx", "pptx": "pptx", "pptm": "pptx"}.get(ext, "docx")
    if "WordDocument" in top_level:
        return "doc"
    if "Workbook" in top_level or "Book" in top_level:
        return "xls"
    if "PowerPoint Document" in top_level:
        return "ppt"
    return "ole"


def _binary_type(head: bytes) -> str | None:
    if head.startswith(_IMAGE_MAGIC) or _is_bmp(head) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(_ARCHIVE_MAGIC) or head[257:262] == b"ustar":
        return "archive"
    return None


def _is_bmp(head: bytes) -> bool:
    # "BM" alone would catch text starting with those letters; check the reserved and header fields.
    if len(head) < 18 or not head.startswith(b"BM"):
        return False
    reserved = head[6:10]
    dib_size = struct.unpack_from("<I", head, 14)[0]
    return reserved == b"\x00\x00\x00\x00" and dib_size in (12, 40, 52, 56, 64, 108, 124)


def decode_head(head: bytes) -> str | None:
    """The head as text if it is text (any common encoding), else None."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return _decode_prefix(head[len(bom):], encoding)
    if b"\x00" in head:
        encoding = _bomless_utf16(head)
        return _decode_prefix(head, encoding) if encoding else None
    text = _decode_prefix(head, "utf-8")
    if text is not None:
        return text if _mostly_printable(text) else None
    return _guess_legacy(head)


def _decode_prefix(data: bytes, encoding: str) -> str | None:
    # The head may end mid-character: decode incrementally and leave the tail undecoded.
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _bomless_utf16(head: bytes) -> str | None:
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) // 2)
    odd_zero = sample[1::2].count(0) / (len(sample) // 2)
    if odd_zero > 0.6 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.6 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _guess_legacy(head: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only non-UTF-8 text pays for the import

    best = from_bytes(head).best()
    if best is not None:
        text = str(best)
        if _mostly_printable(text):
            return text
    text = head.decode("latin-1")
    return text if _mostly_printable(text) else None


def _mostly_printable(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) / len(text) < 0.02


def _text_type(text: str, ext: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    lowered = stripped[:2048].lower()
    if stripped.startswith("{\\rtf"):
        return "rtf"
    lines = stripped.splitlines()[:40]
    if lines and _MBOX_FROM.match(lines[0]) and _mail_header_count(lines[1:]) >= 2:
        return "mbox"
    if lines and _HEADER_LINE.match(lines[0]) and _mail_header_count(lines) >= 2:
        return "eml"
    if _looks_html(lowered):
        return "html"
    if lowered.startswith("<?xml"):
        return "xml"
    return _TEXT_EXTENSIONS.get(ext, "txt")


def _looks_html(lowered: str) -> bool:
    body = lowered
    if body.startswith("<?xml"):
        body = body[body.find("?>") + 2:].lstrip()
    while body.startswith("<!--"):
        end = body.find("-->")
        if end < 0:
            return False
        body = body[end + 3:].lstrip()
    return body.startswith(("<!doctype html", "<html"))


def _mail_header_count(lines: list[str]) -> float:
    """Score of mail header names in the header block; 0 if a non-header line comes first.

    A capitalised common header ("Subject:") or any mail-only header counts 1; a lower-case common
    one ("date:") counts only half, so a YAML file with from/to keys does not pass for an email.
    """
    known = 0.0
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t":
            continue  # folded continuation of the previous header
        if not _HEADER_LINE.match(line) and not line.rstrip().endswith(":"):
            return 0
        raw_name = line.split(":", 1)[0]
        name = raw_name.lower()
        if name in _STRONG_MAIL_HEADERS or (name in _MAIL_HEADERS and raw_name[0].isupper()):
            known += 1
        elif name in _MAIL_HEADERS:
            known += 0.5
    return known
