"""What a PDF backend reports (PDFium or pypdf): per page, raw text fragments with their baseline.

The contract between pdf.py, which turns fragments into lines and zones once for both backends,
and the backends (pdf_pdfium.py, pdf_pypdf.py), which only read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of text as a backend found it: its text, its baseline (PDF units, y up) and its size."""

    text: str
    baseline: float
    size: float


@dataclass(slots=True)
class PageText:
    fragments: list[Fragment] = field(default_factory=list)
    box_top: float = 792.0       # upper edge of the visible page box, PDF units
    box_height: float = 792.0
    has_images: bool = False     # only asked for when the page has no text (costly on some pages)


class PdfDocument(Protocol):
    page_count: int

    def metadata(self) -> dict[str, str]: ...       # lower-case keys: title, subject, keywords
    def page(self, index: int) -> PageText: ...     # 0-based
    def close(self) -> None: ...
