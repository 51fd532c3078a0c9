"""Shared plumbing for Office Open XML packages (docx, pptx, xlsx): safe zip and XML reading.

The three Office extractors walk the package XML with lxml instead of the python-docx / python-pptx /
openpyxl object models: those parse every part up front and hide what marking checks need (section
header inheritance, hidden runs, layout/master placeholders, raw header/footer codes). Walking the
parts directly is several times faster and sees all of it.

Hostile input is expected. Every part goes through a parser that resolves no entities, loads no DTD
and never touches the network; a part that declares a DOCTYPE at all is rejected (OOXML never has
one, a billion-laughs file does). Part sizes are checked against the limits before decompression.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from lxml import etree

from cuiscan.errors import CorruptError, EncryptedError, LimitExceeded, UnsupportedError
from cuiscan.extractors.base import DocContext, Source
from cuiscan.records import Zone
from cuiscan.settings import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_ID = f"{{{R_NS}}}id"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Parts bigger than this must also compress like real XML does; a higher ratio is a zip bomb.
_RATIO_FLOOR = 16 * 1024 * 1024

_CORE_PROPERTIES = (
    ("{http://purl.org/dc/elements/1.1/}title", "title"),
    ("{http://purl.org/dc/elements/1.1/}subject", "subject"),
    ("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords", "keywords"),
    ("{http://purl.org/dc/elements/1.1/}description", "description"),
    ("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category", "category"),
)


@dataclass(frozen=True, slots=True)
class Rel:
    rid: str
    type: str       # full relationship type URI; match with `is_a`
    target: str     # absolute part name inside the zip ("word/header1.xml"); the URI when external
    external: bool

    def is_a(self, kind: str) -> bool:
        """`kind` is the last segment of the type URI: "header", "slideLayout", "worksheet"."""
        return self.type.rsplit("/", 1)[-1] == kind


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=True, remove_pis=True)


def parse_part(data: bytes, part: str):
    """The root element of a part's XML, through the safe parser; malformed XML or a DTD is corrupt."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptError(f"part {part} is not well-formed XML ({_first_line(exc)})") from exc
    _reject_doctype(root, part)
    return root


def truthy(el) -> bool:
    """An OOXML on/off property: present means on unless w:val/val says 0/false/off."""
    if el is None:
        return False
    for key, value in el.attrib.items():
        if key.endswith("}val") or key == "val":
            return value not in ("0", "false", "off", "none")
    return True


_PICTURES = frozenset({"png", "jpg", "jpeg", "jpe", "tif", "tiff", "bmp", "gif", "webp"})


def emit_pictures(pkg: "Package", ctx: DocContext, folder: str) -> None:
    """Hand each picture to the dispatcher as a member: it is OCRed (or counted as not read)."""
    for part in pkg.pictures(folder):
        ctx.add_member(part.rsplit("/", 1)[-1], pkg.read(part))


class Package:
    """An open OOXML zip. Use `open_package(src, limits)` as a context manager."""

    def __init__(self, zf: zipfile.ZipFile, limits: Limits):
        self._zf = zf
        self._limits = limits
        # Part names are case-insensitive in OPC; zip entry names are not.
        self._names = {info.filename.lower(): info for info in zf.infolist()}
        self._rels: dict[str, dict[str, Rel]] = {}

    def has(self, part: str) -> bool:
        return part.lower() in self._names

    def pictures(self, folder: str) -> list[str]:
        """Raster pictures stored under `folder` ("word/media/"): a scanned page pasted into a
        document is one, and only OCR can read it. Vector formats (emf, wmf) are left out."""
        folder = folder.lower()   # the keys are lower case (OPC names); ODF's "Pictures/" is not
        return [info.filename for name, info in self._names.items()
                if name.startswith(folder) and name.rsplit(".", 1)[-1] in _PICTURES]

    def _info(self, part: str) -> zipfile.ZipInfo:
        info = self._names.get(part.lower())
        if info is None:
            raise KeyError(part)
        if info.file_size > self._limits.member_size:
            raise LimitExceeded(f"part {part} is {info.file_size} bytes, over the "
                                f"{self._limits.member_size}-byte limit")
        if info.file_size > _RATIO_FLOOR and info.file_size > self._limits.archive_ratio * max(info.compress_size, 1):
            raise LimitExceeded(f"part {part} expands more than {self._limits.archive_ratio:g} times")
        return info

    def read(self, part: str) -> bytes:
        info = self._info(part)
        try:
            return self._zf.read(info)
        except RuntimeError as exc:  # zipfile says "encrypted, password required" this way
            raise EncryptedError(f"part {part} is encrypted") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as exc:
            raise CorruptError(f"part {part} cannot be decompressed ({type(exc).__name__})") from exc

    def xml(self, part: str):
        """The parsed root element of `part`, or None when the package has no such part."""
        return parse_part(self.read(part), part) if self.has(part) else None

    def iterparse(self, part: str, tags: tuple[str, ...]) -> Iterator:
        """Stream `part`: yields each element whose tag is in `tags` at its end, then frees it.

        For big sheets: memory stays flat however many rows there are.
        """
        info = self._info(part)
        try:
            stream: BinaryIO = self._zf.open(info)
        except RuntimeError as exc:
            raise EncryptedError(f"part {part} is encrypted") from exc
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError, OSError) as exc:
            raise CorruptError(f"part {part} cannot be decompressed ({type(exc).__name__})") from exc
        checked = False
        context = etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False,
                                  no_network=True, huge_tree=False, load_dtd=False, remove_comments=True)
        try:
            with stream:
                for _event, el in context:
                    if not checked:
                        _reject_doctype(el, part)
                        checked = True
                    yield el
                    el.clear(keep_tail=False)
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
                if not checked and context.root is not None:
                    _reject_doctype(context.root, part)
        except etree.XMLSyntaxError as exc:
            raise CorruptError(f"part {part} is not well-formed XML ({_first_line(exc)})") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise CorruptError(f"part {part} cannot be decompressed ({type(exc).__name__})") from exc

    def rels(self, part: str) -> dict[str, Rel]:
        """Relationships of `part` ("" for the package itself), by rId."""
        cached = self._rels.get(part)
        if cached is not None:
            return cached
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
        result: dict[str, Rel] = {}
        root = self.xml(rels_part)
        if root is not None:
            for el in root.iter(_PKG_RELS):
                rid, rtype, target = el.get("Id"), el.get("Type", ""), el.get("Target", "")
                external = el.get("TargetMode") == "External"
                if not external:
                    target = _resolve(folder, target)
                result[rid] = Rel(rid=rid, type=rtype, target=target, external=external)
        self._rels[part] = result
        return result

    def related(self, part: str, kind: str) -> list[str]:
        """Internal targets of `part`'s relationships of `kind`, in rels-file order."""
        return [r.target for r in self.rels(part).values() if r.is_a(kind) and not r.external]

    def main_part(self, default: str) -> str:
        """The package's main document part (officeDocument relationship), e.g. word/document.xml."""
        found = self.related("", "officeDocument")
        part = found[0] if found else default
        if not self.has(part):
            raise CorruptError(f"no main document part ({part}); not an Office Open XML file")
        return part


@contextmanager
def open_package(src: Source, limits: Limits) -> Iterator[Package]:
    """An OOXML Source as a Package; encrypted, legacy and non-zip input raise on entry."""
    with src.open() as fh:
        head = fh.read(8)
        if not head:
            raise CorruptError("empty file")
        if head.startswith(OLE_MAGIC):
            _raise_for_ole(src)
        if not head.startswith(ZIP_MAGIC):
            raise CorruptError("not an Office Open XML file (no zip signature)")
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            raise CorruptError(f"broken or truncated zip package ({_first_line(exc)})") from exc
        with zf:
            if len(zf.infolist()) > limits.archive_members:
                raise LimitExceeded(f"package has more than {limits.archive_members} parts")
            yield Package(zf, limits)


def emit_core_properties(pkg: Package, ctx: DocContext) -> None:
    """Title, subject, keywords, description, category -> METADATA blocks, variant = property name."""
    parts = pkg.related("", "core-properties") or ["docProps/core.xml"]
    root = pkg.xml(parts[0])
    if root is None:
        return
    for tag, name in _CORE_PROPERTIES:
        el = root.find(tag)
        if el is not None:
            ctx.add("".join(el.itertext()).strip(), Zone.METADATA, kind="property", variant=name)


def require_root(root, expected: str, part: str) -> None:
    """Strict Open XML (or a foreign file named .docx) uses other namespaces: say so, never read nothing."""
    if root is None:
        raise CorruptError(f"missing part {part}")
    if root.tag != expected:
        if "purl.oclc.org/ooxml" in str(root.tag):
            raise UnsupportedError("Strict Open XML documents are not supported; save as Transitional")
        raise CorruptError(f"part {part} is not the expected document type")


_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_ooxml(text: str) -> str:
    """Excel and Word write control characters as _xHHHH_ in text."""
    if "_x" not in text:
        return text
    return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def is_encrypted_ooxml(src: Source) -> bool:
    """Whether `src` is a password-protected docx/xlsx/pptx: an OLE compound file that holds an
    EncryptedPackage stream (also IRM-protected files). For the sniffer, too."""
    import olefile

    with src.open() as fh:
        if fh.read(8) != OLE_MAGIC:
            return False
    try:
        with olefile.OleFileIO(src.path if src.data is None else src.data) as ole:
            return bool(ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"))
    except Exception as exc:  # olefile raises assorted errors on broken containers
        raise CorruptError(f"unreadable OLE compound file ({type(exc).__name__})") from exc


def _raise_for_ole(src: Source) -> None:
    """An OLE compound file with an OOXML name: encrypted OOXML or a legacy binary format."""
    if is_encrypted_ooxml(src):
        raise EncryptedError("password-protected (encrypted) Office document")
    raise UnsupportedError("legacy binary Office file (OLE) with an Office Open XML name; save as OOXML")


def _reject_doctype(el, part: str) -> None:
    if el.getroottree().docinfo.doctype:
        raise CorruptError(f"part {part} declares a DTD, which Office files never do (entity attack?)")


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0][:160] if text else type(exc).__name__
