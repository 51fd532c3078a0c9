"""PDF text as lines per page, with the first and last line of each page as banner candidates.

Two backends read the file: PDFium (pypdfium2, fast, C) and pypdf (pure Python, the fallback).
Each backend only reports raw text fragments with their baseline; the grouping into lines, the
reading order, the zones and the problems are decided here, once, so that both backends give the
same lines on the same file. A CUI banner prints as the top and bottom line of a page, which is why
the first line of a page is tagged HEADER and the last one FOOTER.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cuiscan.errors import CorruptError, ExtractionError, UnsupportedError
from cuiscan.extractors.base import DocContext, Source, describe_exception
from cuiscan.extractors.pdf_pages import Fragment, PageText, PdfDocument  # noqa: F401  (the backends' contract)
from cuiscan.records import Zone

BACKENDS = ("auto", "pdfium", "pypdf")
METADATA_KEYS = ("title", "subject", "keywords")
# A file whose page tree is broken throughout would otherwise yield one problem per page (thousands).
MAX_BROKEN_PAGES = 20


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    top: float   # 0.0 top of page .. 1.0 bottom


def extract_pdf(src: Source, ctx: DocContext) -> None:
    backend = _open_backend(ctx.pdf_backend)
    try:
        doc = backend(src)
    except ExtractionError:
        raise
    except MemoryError:
        raise
    except RecursionError:
        raise CorruptError("PDF structure nested too deeply to read") from None
    except Exception as exc:  # a parser choking on hostile input is a corrupt file, not a crash
        raise CorruptError(f"not a readable PDF ({_short(exc)})") from None
    try:
        _read(doc, ctx)
    finally:
        try:
            doc.close()
        except Exception:  # closing a half-broken document must not hide the real outcome
            pass


def _open_backend(choice: str):
    if choice not in BACKENDS:
        raise ValueError(f"pdf backend must be one of {', '.join(BACKENDS)}, not {choice!r}")
    if choice in ("auto", "pdfium"):
        try:
            from cuiscan.extractors.pdf_pdfium import open_pdfium
            return open_pdfium
        except ImportError:
            if choice == "pdfium":
                raise UnsupportedError("pdf_backend is pdfium but pypdfium2 is not installed") from None
    from cuiscan.extractors.pdf_pypdf import open_pypdf
    return open_pypdf


def _read(doc: PdfDocument, ctx: DocContext) -> None:
    try:
        total = doc.page_count
        ctx.pages = total
        for key, value in _guard(doc.metadata).items():
            if key in METADATA_KEYS:
                ctx.add(normalise(value), Zone.METADATA, kind="property", variant=key)
        readable = min(total, ctx.limits.max_pages)
        if readable < total:
            ctx.problem("limit", f"only the first {readable} of {total} pages were read")
        image_only: list[int] = []
        pages_with_text = broken = 0
        scans = _Scans(ctx, doc)
        for index in range(readable):
            page = _read_page(doc, index, ctx)
            if page is None:
                broken += 1
                if broken >= MAX_BROKEN_PAGES:
                    ctx.problem("corrupt", f"{broken} pages could not be read; stopped at page {index + 1}")
                    break
                continue
            lines = lines_from_fragments(page)
            if ctx.ocr == "force" and scans.refusal is None:
                pages_with_text += scans.read(index)   # the text layer is not trusted: OCR replaces it
            elif lines:
                pages_with_text += 1
                _emit_page(ctx, index + 1, lines)
            elif page.has_images:
                image_only.append(index + 1)
                pages_with_text += scans.read(index)
    except ExtractionError:
        raise
    except MemoryError:
        raise
    except RecursionError:
        raise CorruptError("PDF structure nested too deeply to read") from None
    except Exception as exc:
        raise CorruptError(f"not a readable PDF ({_short(exc)})") from None
    if image_only:
        ctx.fact("image_only_pages", tuple(image_only))
        if pages_with_text == 0 and not scans.ocr_read:
            why = f"; not OCRed: {scans.refusal}" if scans.refusal else ""
            ctx.problem("image-only", f"no text layer on any page (scanned image?){why}")
    scans.report()


class _Scans:
    """OCR of the pages that have no text layer (or of every page with --ocr force)."""

    def __init__(self, ctx: DocContext, doc: PdfDocument):
        from cuiscan.extractors.images import ocr_refusal

        self.ctx, self.doc = ctx, doc
        self.refusal = ocr_refusal(ctx)
        if self.refusal is None and not hasattr(doc, "render"):
            self.refusal = "the pypdf backend cannot render pages"
        self.ocr_read = 0
        self.unread: list[int] = []
        self.why: str | None = None

    def read(self, index: int) -> int:
        """OCR page index (0-based); 1 when it was read."""
        from cuiscan.extractors.images import ocr_page
        from cuiscan.extractors.ocr import RENDER_DPI

        if self.refusal is not None:
            self.ctx.budget.images_skipped += 1
            return 0
        try:
            why = ocr_page(self.ctx, lambda: self.doc.render(index, RENDER_DPI), index + 1, RENDER_DPI)
        except (ExtractionError, MemoryError, RecursionError):
            raise
        except Exception as exc:   # PDFium could not draw this page; the others are still read
            self.ctx.budget.images_skipped += 1
            why = f"page could not be rendered ({_short(exc)})"
        if why is not None:
            self.unread.append(index + 1)
            self.why = why
            return 0
        self.ocr_read += 1
        return 1

    def report(self) -> None:
        if self.unread:
            pages = _page_list(self.unread)
            reason = "limit" if self.why and "budget" in self.why else "image-only"
            self.ctx.problem(reason, f"scanned page{'s' if len(self.unread) > 1 else ''} {pages} not OCRed ({self.why})")


def _page_list(pages: list[int]) -> str:
    """2, 3, 4, 7 -> '2-4, 7'"""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in runs)


def _read_page(doc: PdfDocument, index: int, ctx: DocContext) -> PageText | None:
    """One broken page is reported and skipped; the rest of the document is still read."""
    try:
        return doc.page(index)
    except (ExtractionError, MemoryError):
        raise
    except RecursionError:
        ctx.problem("corrupt", f"page {index + 1}: structure nested too deeply to read")
    except Exception as exc:
        ctx.problem("corrupt", f"page {index + 1} could not be read ({_short(exc)})")
    return None


def _emit_page(ctx: DocContext, page_no: int, lines: list[Line]) -> None:
    last = len(lines)
    for number, line in enumerate(lines, 1):
        if number == 1:
            zone = Zone.HEADER
        elif number == last:
            zone = Zone.FOOTER
        else:
            zone = Zone.BODY
        ctx.add(line.text, zone, page=page_no, line=number, kind="line", top=line.top)


def lines_from_fragments(page: PageText) -> list[Line]:
    """Group fragments whose baselines agree (within half the larger font size) into lines.

    The larger size keeps a superscript on its line; lines come out top to bottom.

    Within a line the fragments keep the order the backend reported them in (content order): both
    backends agree on that order, whereas their x positions are not equally reliable.
    """
    indexed = [(i, f) for i, f in enumerate(page.fragments) if f.text and not f.text.isspace()]
    indexed.sort(key=lambda item: (-item[1].baseline, item[0]))
    groups: list[list[tuple[int, Fragment]]] = []
    for item in indexed:
        frag = item[1]
        if groups:
            ref = groups[-1][0][1]
            tolerance = 0.5 * max(ref.size, frag.size, 1.0)
            if abs(ref.baseline - frag.baseline) <= tolerance:
                groups[-1].append(item)
                continue
        groups.append([item])
    lines = []
    for group in groups:
        group.sort(key=lambda item: item[0])
        text = normalise(" ".join(f.text for _, f in group))
        if text:
            lines.append(Line(text=text, top=_top(group[0][1], page)))
    return lines


def _top(frag: Fragment, page: PageText) -> float:
    # The glyph top sits roughly 0.8 em above the baseline; both backends report baseline and em.
    height = page.box_height if page.box_height > 0 else 792.0
    top = (page.box_top - (frag.baseline + 0.8 * frag.size)) / height
    return round(min(1.0, max(0.0, top)), 4)


_WS = re.compile(r"\s+")
# Control characters, surrogates, private-use glyphs (unmapped symbol fonts) and non-characters:
# none of it is text a reader sees. A regex, because a per-character category test halves throughput.
_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff\U000f0000-\U0010ffff]")


def normalise(text: str) -> str:
    """NFKC (ligatures, full-width forms), control characters out, whitespace collapsed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", _JUNK.sub(" ", text)).strip()


def _guard(fn) -> dict[str, str]:
    """Broken document info is not worth failing the document over."""
    try:
        return fn()
    except (MemoryError, RecursionError):
        raise
    except Exception:
        return {}


def _short(exc: BaseException) -> str:
    return describe_exception(exc)

