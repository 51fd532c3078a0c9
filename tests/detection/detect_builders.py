"""Real files for detection tests: docx (python-docx), pdf (fpdf2), pptx (python-pptx), xlsx (openpyxl),
eml (email package). Each writer takes plain content and an optional CUI banner for headers/footers."""
from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path


def write_docx(path: Path, paragraphs: list[str], banner: str | None = None,
               table: list[list[str]] | None = None, title: str | None = None) -> Path:
    import docx

    d = docx.Document()
    if banner:
        section = d.sections[0]
        section.header.paragraphs[0].text = banner
        section.footer.paragraphs[0].text = banner
    if title:
        d.add_heading(title, level=1)
    for text in paragraphs:
        d.add_paragraph(text)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(path)
    return path


def write_pdf(path: Path, paragraphs: list[str], banner: str | None = None, title: str | None = None) -> Path:
    from fpdf import FPDF

    class Doc(FPDF):
        def header(self):
            if banner:
                self.set_font("helvetica", "B", 11)
                self.cell(0, 8, banner, align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            if banner:
                self.set_y(-15)
                self.set_font("helvetica", "B", 11)
                self.cell(0, 8, banner, align="C")

    pdf = Doc()
    pdf.add_page()
    if title:
        pdf.set_font("helvetica", "B", 14)
        pdf.multi_cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    for text in paragraphs:
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return path


def write_pptx(path: Path, slides: list[tuple[str, list[str]]], banner: str | None = None,
               notes: dict[int, str] | None = None) -> Path:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    for index, (title, bullets) in enumerate(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0] if bullets else ""
        for line in bullets[1:]:
            body.add_paragraph().text = line
        if banner:
            for top in (Inches(0.05), Inches(7.1)):
                box = slide.shapes.add_textbox(Inches(4), top, Inches(2), Inches(0.35))
                box.text_frame.text = banner
                box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        if notes and index in notes:
            slide.notes_slide.notes_text_frame.text = notes[index]
    prs.save(path)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], banner: str | None = None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if banner:
            ws.oddHeader.center.text = banner
            ws.oddFooter.center.text = banner
    wb.save(path)
    return path


def write_eml(path: Path, subject: str, body: str, sender: str = "a.writer@example.com",
              to: str = "team@example.com", attachments: list[tuple[str, bytes, str]] | None = None) -> Path:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Tue, 04 Jun 2024 09:12:00 -0400"
    msg.set_content(body)
    for name, data, mime in attachments or []:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(msg.as_bytes())
    return path


def _latin(text: str) -> str:
    """fpdf2's core fonts are latin-1: swap the few typographic characters we write."""
    table = {"—": "-", "–": "-", "’": "'", "“": '"', "”": '"', "±": "+/-", "•": "-"}
    return "".join(table.get(c, c) for c in text).encode("latin-1", "replace").decode("latin-1")
