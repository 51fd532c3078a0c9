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


# OpenDocument packages written per the ODF 1.3 package spec (Part 2): `mimetype` first and stored,
# META-INF/manifest.xml listing every file, pictures under Pictures/, a first-page thumbnail under
# Thumbnails/ as LibreOffice writes one. The body shows the picture in a draw:frame/draw:image.
_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink"')
_ODF_KINDS = {"odt": ("text", "text"), "ods": ("spreadsheet", "spreadsheet"), "odp": ("presentation", "presentation")}


def _frame(href: str, anchor: str, x: int) -> str:
    return (f'<draw:frame draw:name="{href}" {anchor}svg:x="{x}cm" svg:y="2cm" svg:width="17cm" svg:height="22cm">'
            f'<draw:image xlink:href="Pictures/{href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
            f'</draw:frame>')


def odf_with_pictures(kind: str, text: str, pictures: dict[str, bytes], thumbnail: bytes | None = None) -> bytes:
    """An .odt/.ods/.odp whose body has one line of text and shows each picture (name -> PNG bytes)."""
    import zipfile

    body_tag, mime_kind = _ODF_KINDS[kind]
    anchor = 'text:anchor-type="paragraph" ' if kind == "odt" else ""
    frames = "".join(_frame(name, anchor, 1 + 18 * n) for n, name in enumerate(pictures))
    if kind == "odt":
        body = f"<text:p>{text}</text:p><text:p>{frames}</text:p>"
    elif kind == "ods":
        body = (f'<table:table table:name="Sheet1"><table:shapes>{frames}</table:shapes><table:table-column/>'
                f'<table:table-row><table:table-cell office:value-type="string"><text:p>{text}</text:p>'
                f'</table:table-cell></table:table-row></table:table>')
    else:
        body = (f'<draw:page draw:name="page1"><draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="1cm">'
                f'<draw:text-box><text:p>{text}</text:p></draw:text-box></draw:frame>{frames}</draw:page>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} office:version="1.3">'
               f'<office:body><office:{body_tag}>{body}</office:{body_tag}></office:body></office:document-content>')
    mime = f"application/vnd.oasis.opendocument.{mime_kind}"
    files = {"content.xml": content.encode()}
    files.update({f"Pictures/{name}": data for name, data in pictures.items()})
    if thumbnail is not None:
        files["Thumbnails/thumbnail.png"] = thumbnail
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="'
                      f'{"text/xml" if name.endswith(".xml") else "image/png"}"/>' for name in files)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>{entries}'
                '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
