"""PDFium backend (pypdfium2): text fragments with baselines, in PDFium's content order.

PDFium's text page already breaks the page text into lines ("\\r\\n"); each such line becomes one
fragment whose baseline is the origin of its first visible character. The common code in pdf.py
then merges fragments that share a baseline, exactly as it does for the pypdf backend.
"""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cuiscan.errors import CorruptError, EncryptedError
from cuiscan.extractors.base import Source
from cuiscan.extractors.pdf_pages import Fragment, PageText

_METADATA = {"Title": "title", "Subject": "subject", "Keywords": "keywords"}


def open_pdfium(src: Source) -> "PdfiumDocument":
    try:
        # PDFium tries the empty user password by itself when none is given.
        doc = pdfium.PdfDocument(src.path if src.data is None else src.data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedError("encrypted PDF (password required)") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedError("encrypted PDF (unsupported security handler)") from None
        raise CorruptError(f"not a readable PDF ({exc})") from None
    return PdfiumDocument(doc)


class PdfiumDocument:
    def __init__(self, doc: pdfium.PdfDocument):
        self._doc = doc
        self.page_count = len(doc)

    def metadata(self) -> dict[str, str]:
        raw = self._doc.get_metadata_dict(skip_empty=True)
        return {_METADATA[k]: v for k, v in raw.items() if k in _METADATA and v}

    def page(self, index: int) -> PageText:
        page = self._doc[index]
        try:
            left, bottom, right, top = page.get_bbox()
            textpage = page.get_textpage()
            try:
                fragments = _fragments(textpage)
            finally:
                textpage.close()
            result = PageText(fragments=fragments, box_top=top, box_height=top - bottom)
            if not fragments:
                result.has_images = _has_images(page)
            return result
        finally:
            page.close()

    def render(self, index: int, dpi: int):
        """The page as a greyscale PIL image at `dpi` (less for huge pages), for OCR."""
        from cuiscan.extractors.ocr import MAX_PIXELS

        page = self._doc[index]
        try:
            width, height = page.get_size()
            scale = dpi / 72
            if width * height * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                return bitmap.to_pil().convert("L")
            finally:
                bitmap.close()
        finally:
            page.close()

    def close(self) -> None:
        self._doc.close()


def _fragments(textpage: pdfium.PdfTextPage) -> list[Fragment]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    fragments = []
    x, y = ctypes.c_double(), ctypes.c_double()
    offset = 0
    for raw_line in text.splitlines(keepends=True):
        start = offset
        offset += len(raw_line)
        content = raw_line.rstrip("\r\n")
        stripped = content.lstrip()
        if not stripped.strip():
            continue
        text_index = start + (len(content) - len(stripped))
        char_index = pdfium_c.FPDFText_GetCharIndexFromTextIndex(textpage, text_index)
        if char_index < 0 or not pdfium_c.FPDFText_GetCharOrigin(textpage, char_index, ctypes.byref(x),
                                                                ctypes.byref(y)):
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage, char_index)
        fragments.append(Fragment(text=content, baseline=y.value, size=size))
    return fragments


def _has_images(page: pdfium.PdfPage) -> bool:
    # max_depth bounds the walk through nested form XObjects (hostile files nest them deeply).
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
        return True
    return False
