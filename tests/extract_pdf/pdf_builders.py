"""Real PDFs for the PDF extractor tests, written with fpdf2 and reportlab (two different writers:
fpdf2 puts each line in its own text object, reportlab puts many lines in one with T* / TJ)."""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from PIL import Image
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

BODY = "Technical data for the propulsion test stand, distribution limited to program staff."


class _BannerPdf(FPDF):
    """A page-banner document: "CUI" as the top and bottom line of each page, except on `bare`."""

    def __init__(self, banner: str, bare_footer_pages: tuple[int, ...]):
        super().__init__()
        self.banner = banner
        self.bare_footer_pages = bare_footer_pages

    def header(self):
        self.set_font("helvetica", "B", 12)
        self.cell(0, 10, self.banner, align="C", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        if self.page_no() in self.bare_footer_pages:
            return
        self.set_y(-15)
        self.set_font("helvetica", "B", 12)
        self.cell(0, 10, self.banner, align="C")


def banner_pdf(path: Path, pages: int = 4, bare_footer_pages: tuple[int, ...] = (3,), banner: str = "CUI") -> Path:
    pdf = _BannerPdf(banner, bare_footer_pages)
    pdf.set_title("Propulsion test plan")
    pdf.set_subject("Test stand 4")
    pdf.set_keywords("CUI CTI")
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.cell(50, 8, f"Section {number}")
        pdf.cell(50, 8, "Owner: J. Smith")
        pdf.cell(0, 8, "Rev B", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, (BODY + " ") * 4)
        pdf.set_font("times", "I", 13)
        pdf.cell(0, 10, f"Last body line of page {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def long_pdf(path: Path, pages: int) -> Path:
    """Many pages of banner + 40 lines of prose: the benchmark document."""
    pdf = _BannerPdf("CUI//SP-CTI", ())
    pdf.set_font("helvetica", size=10)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        for line in range(40):
            pdf.cell(0, 5.5, f"{line:02d} {BODY}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def canvas_pdf(path: Path) -> Path:
    """reportlab canvas: multi-line text objects, right-aligned text sharing a line, rotated text."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setTitle("Canvas report")
    for number in (1, 2, 3):
        c.setFont("Helvetica-Bold", 12)
        c.drawCentredString(306, 770, "CUI//SP-EXPT")
        c.setFont("Helvetica", 10)
        c.drawString(72, 740, "Program office")
        c.drawRightString(540, 740, f"Page {number} of 3")
        text = c.beginText(72, 700)
        text.setFont("Times-Roman", 11)
        for line in range(6):
            text.textLine(f"Line {line} of the text object on page {number}")
        c.drawText(text)
        c.saveState()
        c.translate(560, 400)
        c.rotate(90)
        c.setFont("Helvetica", 9)
        c.drawString(0, 0, "Rotated margin note")
        c.restoreState()
        c.setFont("Helvetica-Bold", 12)
        c.drawCentredString(306, 30, "CUI//SP-EXPT")
        c.showPage()
    c.setPageSize(landscape(letter))
    c.setFont("Helvetica", 14)
    c.drawString(72, 500, "Landscape appendix")
    c.drawString(72, 470, "Second landscape line")
    c.showPage()
    c.save()
    return path


def story_pdf(path: Path) -> Path:
    """reportlab platypus: justified paragraphs (word spacing), a table, banners drawn per page."""
    styles = getSampleStyleSheet()

    def banners(canv, _doc):
        canv.setFont("Helvetica-Bold", 10)
        canv.drawCentredString(306, 760, "CUI")
        canv.drawCentredString(306, 20, "CUI")

    story = []
    for number in range(3):
        story += [
            Paragraph(f"Chapter {number + 1}", styles["Heading1"]),
            Paragraph((BODY + " ") * 6, styles["BodyText"]),
            Table([["Name", "Role", "Phone"], ["A. Jones", "Lead", "555-0100"], ["B. Lee", "QA", "555-0101"]]),
            Spacer(1, 12),
            Paragraph("Controlled by: Program Office", styles["BodyText"]),
            PageBreak(),
        ]
    SimpleDocTemplate(str(path), pagesize=letter, title="Story").build(story, onFirstPage=banners,
                                                                        onLaterPages=banners)
    return path


def encrypted_pdf(path: Path, user_password: str, method: EncryptionMethod = EncryptionMethod.AES_256) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "CUI", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "Encrypted body text")
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password, encryption_method=method)
    pdf.output(str(path))
    return path


def image_pdf(path: Path, text_pages: tuple[int, ...] = (), pages: int = 2) -> Path:
    """Pages that carry only a picture (a scan), except those in `text_pages`."""
    picture = path.with_suffix(".png")
    Image.new("RGB", (300, 200), "white").save(picture)
    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        if number in text_pages:
            pdf.set_font("helvetica", size=12)
            pdf.cell(0, 10, "Typed cover sheet")
        else:
            pdf.image(str(picture), x=10, y=10, w=150)
    pdf.output(str(path))
    return path


def blank_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.output(str(path))
    return path


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A hand-assembled PDF (objects 1..n, correct xref) for structures no writer produces."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


_CONTENT = b"BT /F1 12 Tf 72 720 Td (CUI) Tj ET"
_STREAM = b"<< /Length %d >>\nstream\n" % len(_CONTENT) + _CONTENT + b"\nendstream"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(parent: int) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>" % parent)


def self_referencing_pdf() -> bytes:
    """The page tree lists itself among its own kids."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                    _page(2), _STREAM, _FONT])


def deep_page_tree_pdf(depth: int = 3000) -> bytes:
    """A chain of `depth` nested /Pages nodes above a single page."""
    objects = [b"<< /Type /Catalog /Pages 6 0 R >>", b"<< >>", _page(5 + depth), _STREAM, _FONT]
    for level in range(depth):
        kid = 6 + level + 1 if level < depth - 1 else 3
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % kid)
    return raw_pdf(objects)
