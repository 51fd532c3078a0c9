"""Real files for the marking tests, built with the real libraries, and a helper to run them through
extraction + the marking validator."""
from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

from cuiscan.extractors import extract_file
from cuiscan.markings import MarkingContext, check_file
from cuiscan.records import Finding, Severity

TODAY = date(2026, 6, 1)
DOD_DI = ["Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ", "CUI Category: PRVCY",
          "Distribution/Dissemination Control: FEDCON", "POC: J. Smith, 937-555-0100"]
NARA_DI = ["Controlled by: Department of Good Works", "POC: J. Doe, 202-555-0100"]


def run(path, profile: str = "dod", **kw):
    ctx = MarkingContext(profile=profile, today=TODAY, strict=True, **kw)
    return check_file(extract_file(str(path)), ctx)


def findings(path, profile: str = "dod", member: int = 0, **kw) -> list[Finding]:
    return list(run(path, profile, **kw)[member].findings)


def ids(path, profile: str = "dod", member: int = 0, **kw) -> list[str]:
    return sorted(f.rule_id for f in findings(path, profile, member, **kw))


def above_info(fs: list[Finding]) -> list[str]:
    return [f"{f.rule_id} {f.severity.value} {f.location.describe()}: {f.message}" for f in fs
            if f.severity != Severity.INFO]


def only(fs: list[Finding], rule: str) -> Finding:
    hits = [f for f in fs if f.rule_id == rule]
    assert len(hits) == 1, (rule, [(f.rule_id, f.message) for f in fs])
    return hits[0]


# ---- docx ---------------------------------------------------------------------------------------------
def docx(path: Path, body: list[str], header: str | None = "CUI", footer: str | None = "CUI",
         first_header: str | None = None, first_footer: str | None = None, struck_header: bool = False,
         sections: list[tuple[str | None, str | None]] | None = None, title: str | None = None) -> Path:
    """Body paragraphs; header/footer of section 1 (and further sections with their own text)."""
    import docx as pydocx
    from docx.enum.section import WD_SECTION

    d = pydocx.Document()
    if title:
        d.add_paragraph(title, style="Title")
    for text in body:
        d.add_paragraph(text)
    sec = d.sections[0]
    _hf(sec.header, header, struck_header)
    _hf(sec.footer, footer, False)
    if first_header is not None or first_footer is not None:
        sec.different_first_page_header_footer = True
        _hf(sec.first_page_header, first_header, False)
        _hf(sec.first_page_footer, first_footer, False)
    for h, f in sections or []:
        new = d.add_section(WD_SECTION.NEW_PAGE)
        d.add_paragraph("(U) Annex text.")
        new.header.is_linked_to_previous = False
        new.footer.is_linked_to_previous = False
        _hf(new.header, h, False)
        _hf(new.footer, f, False)
    d.save(path)
    return path


def _hf(part, text: str | None, struck: bool) -> None:
    if text is None:
        part.is_linked_to_previous = False
        return
    lines = text.split("\n")
    part.paragraphs[0].text = ""
    run = part.paragraphs[0].add_run(lines[0])
    run.font.strike = struck
    for extra in lines[1:]:
        part.add_paragraph(extra)


# ---- pdf ----------------------------------------------------------------------------------------------
def pdf(path: Path, pages: list[tuple[str | None, list[str], str | None]]) -> Path:
    """Each page: (top banner or None, body paragraphs, bottom banner or None). Paragraphs wrap."""
    from fpdf import FPDF

    p = FPDF()
    p.set_auto_page_break(False)
    for top, body, bottom in pages:
        p.add_page()
        p.set_font("Helvetica", size=10)
        if top is not None:
            p.set_xy(10, 8)
            p.cell(0, 6, top, align="C")
        p.set_xy(10, 25)
        for para in body:
            p.multi_cell(0, 6, para)
            p.ln(4)
        if bottom is not None:
            p.set_xy(10, 282)
            p.cell(0, 6, bottom, align="C")
    p.output(str(path))
    return path


# ---- pptx ---------------------------------------------------------------------------------------------
def pptx(path: Path, slides: list[tuple[str | None, list[str], str | None]]) -> Path:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    blank = prs.slide_layouts[6]
    for top, body, bottom in slides:
        s = prs.slides.add_slide(blank)
        if top is not None:
            s.shapes.add_textbox(Inches(4), Inches(0.1), Inches(2), Inches(0.4)).text_frame.text = top
        box = s.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(3)).text_frame
        for i, para in enumerate(body):
            (box.paragraphs[0] if i == 0 else box.add_paragraph()).text = para
        if bottom is not None:
            s.shapes.add_textbox(Inches(4), Inches(7.0), Inches(2), Inches(0.4)).text_frame.text = bottom
        for shape in s.shapes:
            for p_ in shape.text_frame.paragraphs:
                for r in p_.runs:
                    r.font.size = Pt(12)
    prs.save(path)
    return path


# ---- xlsx ---------------------------------------------------------------------------------------------
def xlsx(path: Path, sheets: list[tuple[str, str | None, str | None, list[list[str]]]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, header, footer, rows in sheets:
        ws = wb.create_sheet(name)
        if header is not None:
            ws.oddHeader.center.text = header
        if footer is not None:
            ws.oddFooter.center.text = footer
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


# ---- email / text -------------------------------------------------------------------------------------
def eml(path: Path, body: str, subject: str = "Test schedule",
        attachments: list[tuple[str, bytes, str]] = ()) -> Path:
    msg = EmailMessage()
    msg["From"] = "a@example.mil"
    msg["To"] = "b@example.mil"
    msg["Subject"] = subject
    msg.set_content(body)
    for name, data, mime in attachments:
        main, sub = mime.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    path.write_bytes(bytes(msg))
    return path


def txt(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
