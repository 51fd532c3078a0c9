"""Scanned-page fixtures made with real tools: fpdf2 typesets a marked page, PDFium rasterises it,
Pillow wraps the picture in a PDF with no text layer (or saves it as PNG/TIFF/JPEG)."""
from __future__ import annotations

import io
from pathlib import Path

PARAGRAPHS = (
    ("(CUI)", "The propulsion test article drawings are delivered to the program office within thirty days."),
    ("(U)", "Meeting minutes are kept by the contracting officer and shared with the team each week."),
    ("(CUI)", "Test results for the second article show a pressure anomaly under the load described above."),
)
DI_BLOCK = ("Controlled by: Department of the Navy", "CUI Category: CTI", "POC: Jane Smith, 555-0100")


def marked_page_pdf(banner_top: str | None = "CUI", banner_bottom: str | None = "CUI",
                    paragraphs=PARAGRAPHS, pages: int = 1, di: bool = True) -> bytes:
    """A born-digital page: banner at top and bottom, portion-marked paragraphs, a DI block."""
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        if banner_top:
            pdf.set_xy(0, 10)
            pdf.cell(pdf.w, 8, banner_top, align="C")
        if banner_bottom:
            pdf.set_xy(0, pdf.h - 18)
            pdf.cell(pdf.w, 8, banner_bottom, align="C")
        pdf.set_font("Helvetica", "", 12)
        y = 40.0
        if di:
            for line in DI_BLOCK:
                pdf.set_xy(20, y)
                pdf.cell(0, 7, line)
                y += 7
            y += 8
        for mark, text in paragraphs:
            pdf.set_xy(20, y)
            pdf.multi_cell(pdf.w - 40, 7, f"{mark} {text}")
            y = pdf.get_y() + 9
    return bytes(pdf.output())


def rasterise(pdf_bytes: bytes, dpi: int = 200) -> list:
    """Every page of a PDF as a greyscale PIL image (what a scanner hands over)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def scanned_pdf(path: Path, dpi: int = 200, **page) -> Path:
    """Pictures of the pages in a PDF with no text layer and no fonts."""
    images = rasterise(marked_page_pdf(**page), dpi)
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path


def memo_image(fmt: str = "PNG", dpi: int = 200, **page) -> bytes:
    images = rasterise(marked_page_pdf(**page), dpi)
    buf = io.BytesIO()
    if fmt == "TIFF" and len(images) > 1:
        images[0].save(buf, "TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi))
    else:
        images[0].save(buf, fmt, dpi=(dpi, dpi))
    return buf.getvalue()


def logo_png(size: tuple[int, int] = (240, 80)) -> bytes:
    """A picture with no text: coloured shapes, like a letterhead logo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 70, 70), fill=(20, 60, 160, 255))
    draw.rectangle((90, 25, 230, 55), fill=(200, 30, 30, 255))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
