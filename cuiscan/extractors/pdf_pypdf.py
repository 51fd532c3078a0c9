"""pypdf backend (pure Python, the fallback when PDFium is not importable).

pypdf's text visitor reports each run of text it emits together with the text and transformation
matrices in force where the run starts; the run's baseline is the y of their product. pypdf ends a
run at every line change it detects, so a run never spans two baselines.
"""
from __future__ import annotations

import logging
import math
import warnings
from contextlib import contextmanager
from typing import BinaryIO, Iterator

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from cuiscan.errors import EncryptedError
from cuiscan.extractors.base import Source
from cuiscan.extractors.pdf_pages import Fragment, PageText

_METADATA = {"/Title": "title", "/Subject": "subject", "/Keywords": "keywords"}


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf logs (and warns about) what it repairs, quoting the raw bytes around it, page text
    included. Workers share the terminal's stderr, and a scan must never echo what it hunts."""
    logger = logging.getLogger("pypdf")   # its modules log to child loggers, which inherit the level
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def open_pypdf(src: Source) -> "PypdfDocument":
    stream = src.open()
    try:
        with _quiet():
            reader = pypdf.PdfReader(stream, strict=False)
            if reader.is_encrypted:
                _decrypt_with_empty_password(reader)
            count = len(reader.pages)
    except BaseException:
        stream.close()
        raise
    return PypdfDocument(reader, stream, count)


def _decrypt_with_empty_password(reader: pypdf.PdfReader) -> None:
    try:
        result = reader.decrypt("")
    except DependencyError:
        raise EncryptedError("encrypted PDF (cipher not supported without the cryptography package)") from None
    except (FileNotDecryptedError, PdfReadError, NotImplementedError) as exc:
        raise EncryptedError(f"encrypted PDF (cannot decrypt: {exc})") from None
    if result == pypdf.PasswordType.NOT_DECRYPTED:
        raise EncryptedError("encrypted PDF (password required)")


class PypdfDocument:
    def __init__(self, reader: pypdf.PdfReader, stream: BinaryIO, count: int):
        self._reader = reader
        self._stream = stream
        self.page_count = count

    def metadata(self) -> dict[str, str]:
        with _quiet():
            info = self._reader.metadata or {}
            result = {}
            for key, name in _METADATA.items():
                value = info.get(key)
                if value is not None and str(value):
                    result[name] = str(value)
        return result

    def page(self, index: int) -> PageText:
        with _quiet():
            return self._page(index)

    def _page(self, index: int) -> PageText:
        page = self._reader.pages[index]
        box = page.cropbox
        fragments: list[Fragment] = []

        def visit(text, cm, tm, font_dict, font_size) -> None:
            if not text or text.isspace():
                return
            m = _multiply(tm, cm)
            size = (font_size or 0.0) * math.hypot(m[2], m[3])
            # A literal newline inside a run is not a line change (pypdf starts a new run for those).
            fragments.append(Fragment(text=text.replace("\n", " "), baseline=m[5], size=size))

        try:
            page.extract_text(visitor_text=visit)
        except FileNotDecryptedError:
            raise EncryptedError("encrypted PDF (password required)") from None
        result = PageText(fragments=fragments, box_top=float(box.top), box_height=float(box.top - box.bottom))
        if not fragments:
            result.has_images = _has_images(page)
        return result

    def close(self) -> None:
        self._stream.close()


def _multiply(a, b) -> list[float]:
    """Product of two PDF matrices [a b c d e f] (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _has_images(page) -> bool:
    return _resources_hold_image(page.get("/Resources"), depth=0) or _has_inline_image(page)


def _resources_hold_image(resources, depth: int) -> bool:
    # Form XObjects can nest (and a hostile file can make them refer to each other): bound the walk.
    if depth > 8 or resources is None:
        return False
    resources = resources.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is None:
        return False
    for ref in xobjects.get_object().values():
        obj = ref.get_object()
        subtype = obj.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_hold_image(obj.get("/Resources"), depth + 1):
            return True
    return False


def _has_inline_image(page) -> bool:
    contents = page.get_contents()
    return contents is not None and any(op == b"INLINE IMAGE" for _, op in contents.operations)
