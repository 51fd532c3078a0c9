"""Images (png, jpeg, tiff, bmp, gif, webp) and scanned pages: OCR text as page lines.

OCR lines are emitted like a born-digital PDF page's lines: one block per line, first line HEADER,
last line FOOTER (where a banner stamped on the page sits), `top` from the word boxes. A paragraph
as tesseract laid it out starts after a skipped line number, the way a blank line separates
paragraphs in text, so portion marks are looked for at paragraph starts. Every OCR line carries its
confidence in `Location.ocr`.

An image in which OCR finds no text (a logo, a photo) is inspected and holds no text: not a
problem. One that could not be read (OCR off or not installed, budget spent) is a problem of its
document and counts in `Budget.images_skipped`.
"""
from __future__ import annotations

import time
import warnings

from cuiscan.errors import CorruptError
from cuiscan.extractors import ocr
from cuiscan.extractors.base import DocContext, Source, describe_exception
from cuiscan.records import Zone

MAX_FRAMES = 200   # pages of a multi-page TIFF looked at (each also costs OCR budget)


def ocr_refusal(ctx: DocContext) -> str | None:
    """Why this file's images and scanned pages are not OCRed, or None when they can be."""
    if ctx.ocr == "off":
        return "OCR is off"
    return ocr.unavailable()


def budget_spent(ctx: DocContext) -> str | None:
    """Why the file's OCR budget is spent, or None. Asked before a page is even rendered."""
    budget, limits = ctx.budget, ctx.limits
    if budget.ocr_stopped is None:
        if budget.ocr_pages >= limits.ocr_pages:
            budget.ocr_stopped = f"OCR page budget spent ({limits.ocr_pages} per file)"
        elif budget.ocr_seconds >= limits.ocr_seconds:
            budget.ocr_stopped = f"OCR time budget spent ({limits.ocr_seconds:g} s per file)"
    return budget.ocr_stopped


def ocr_page(ctx: DocContext, image, page_no: int, dpi: int | None = None) -> str | None:
    """OCR one page image into ctx. None when it was read (text or not), else why it was not.
    `image` is a PIL image or a function that makes one (a PDF page to render: its time counts)."""
    budget, limits = ctx.budget, ctx.limits
    if budget_spent(ctx) is not None:
        budget.images_skipped += 1
        return budget.ocr_stopped
    start = time.perf_counter()
    try:
        if callable(image):
            image = image()
        lines = ocr.read_image(image, limits.ocr_seconds - budget.ocr_seconds, dpi)
    except ocr.OcrTimeout:
        budget.ocr_stopped = f"OCR time budget spent ({limits.ocr_seconds:g} s per file)"
        budget.images_skipped += 1
        return budget.ocr_stopped
    except RuntimeError as exc:
        budget.images_skipped += 1
        return str(exc)
    finally:
        budget.ocr_seconds += time.perf_counter() - start
    budget.ocr_pages += 1
    emit_lines(ctx, lines, page_no)
    return None


def emit_lines(ctx: DocContext, lines: list[ocr.OcrLine], page_no: int) -> None:
    """Reading order, except that the topmost line comes first (HEADER) and the lowest last (FOOTER):
    tesseract reads a screenshot's side panel before the banner bar across its top."""
    if len(lines) > 2:
        top = min(range(len(lines)), key=lambda i: lines[i].top)
        bottom = max(range(len(lines)), key=lambda i: lines[i].bottom)
        if top != bottom:
            middle = [ln for i, ln in enumerate(lines) if i not in (top, bottom)]
            lines = [lines[top], *middle, lines[bottom]]
    last = len(lines)
    number = 0
    for n, line in enumerate(lines, 1):
        number += 2 if line.paragraph_start and n > 1 else 1
        zone = Zone.HEADER if n == 1 else Zone.FOOTER if n == last else Zone.BODY
        ctx.add(line.text, zone, page=page_no, line=number, kind="line", top=line.top, ocr=line.confidence)


def extract_image(src: Source, ctx: DocContext) -> None:
    from PIL import Image, ImageSequence

    refusal = ocr_refusal(ctx)
    if refusal is not None:
        ctx.budget.images_skipped += 1
        ctx.problem("image-only", f"image not read ({refusal})")
        return
    Image.MAX_IMAGE_PIXELS = ocr.MAX_PIXELS   # Pillow refuses twice this: a decompression bomb, not a scan
    with src.open() as fh:
        try:
            with warnings.catch_warnings():   # a large scan is not news; a bomb is refused below
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(fh)
            frames = getattr(image, "n_frames", 1) or 1
            # An animated GIF's frames are the same picture again; a TIFF's frames are pages.
            pages = min(frames, MAX_FRAMES) if image.format == "TIFF" else 1
            ctx.pages = pages
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= pages:
                    break
                frame.load()
                if min(frame.size) < ocr.MIN_SIDE:   # an icon or spacer: no text can be there
                    continue
                why = ocr_page(ctx, frame.copy(), index + 1, _dpi(frame))
                if why is not None:
                    ctx.problem("image-only" if "budget" not in why else "limit",
                                f"image{f' page {index + 1}' if pages > 1 else ''} not read ({why})")
            if frames > pages and image.format == "TIFF":
                ctx.problem("limit", f"only the first {pages} of {frames} pages were read")
        except Image.DecompressionBombError:
            ctx.problem("limit", f"image larger than {2 * ocr.MAX_PIXELS} pixels; not read")
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptError(f"not a readable image ({describe_exception(exc)})") from None


def _dpi(frame) -> int | None:
    dpi = frame.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 70 <= value <= 1200 else None
