"""Builders for real documents with marking text in the places a real author puts it.

Used by `make_samples.py` (the committed sample set) and by the marking tests (files built in
tmp_path), so both exercise the real libraries and the real extractors. Every builder is
deterministic: fixed dates in document properties, fixed zip timestamps, fixed MIME boundaries, a
fixed PDF creation date, so a rebuilt sample is byte-identical.

Layout conventions (what the extractors read as banner position):
  docx   sections: {"header": str|None, "footer": str|None, "paras": [str], "first_header": ...}
  pdf    pages:    {"header": str|None, "footer": str|None, "lines": [str], "bottom_lines": [str]}
         `bottom_lines` are set low on the page (a DI block in the lower right), above the footer.
  pptx   slides:   {"top": str|None, "bottom": str|None, "title": str, "lines": [str], "notes": str}
  xlsx   sheets:   {"name": str, "header": str|None, "footer": str|None, "rows": [[cell, ...]], "hidden": bool}
  eml    body lines, quoted lines start with "> ", attachments as (file name, bytes)
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

FIXED_TIME = _dt.datetime(2024, 3, 14, 9, 0, 0, tzinfo=_dt.timezone.utc)
_ZIP_TIME = (2024, 3, 14, 9, 0, 0)
_W3C = "2024-03-14T09:00:00Z"


# --- zip-based formats ---------------------------------------------------------------------------

def _normalise_ooxml(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member times and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + _W3C.encode() + rb"\g<2>", blob)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, blob)
    return out.getvalue()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob)
    return out.getvalue()


def docx_bytes(sections: list[dict], title: str = "") -> bytes:
    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    for index, spec in enumerate(sections):
        section = document.sections[0] if index == 0 else document.add_section(WD_SECTION.NEW_PAGE)
        for attr, key in (("header", "header"), ("footer", "footer")):
            part = getattr(section, attr)
            part.is_linked_to_previous = False
            part.paragraphs[0].text = spec.get(key) or ""
        for text in spec.get("paras", []):
            document.add_paragraph(text)
    props = document.core_properties
    props.title = title
    props.author = "cuiscan samples"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.last_modified_by = "cuiscan samples"
    props.comments = ""
    buf = io.BytesIO()
    document.save(buf)
    return _normalise_ooxml(buf.getvalue())


def pptx_bytes(slides: list[dict], title: str = "") -> bytes:
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def box(slide, text, top, height, size, align=PP_ALIGN.LEFT, left=0.6, width=12.1):
        shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = shape.text_frame
        for i, line in enumerate(text.split("\n")):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = line
            para.alignment = align
            for run in para.runs:
                run.font.size = Pt(size)

    for spec in slides:
        slide = prs.slides.add_slide(blank)
        if spec.get("top"):
            box(slide, spec["top"], 0.1, 0.4, 14, PP_ALIGN.CENTER, left=4.5, width=4.3)
        if spec.get("title"):
            box(slide, spec["title"], 1.2, 0.8, 28)
        if spec.get("lines"):
            box(slide, "\n".join(spec["lines"]), 2.1, 2.8, 16)
        if spec.get("bottom_lines"):
            box(slide, "\n".join(spec["bottom_lines"]), 5.0, 1.6, 11, left=8.3, width=4.8)
        if spec.get("bottom"):
            box(slide, spec["bottom"], 7.0, 0.4, 14, PP_ALIGN.CENTER, left=4.5, width=4.3)
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    props = prs.core_properties
    props.title = title
    props.author = props.last_modified_by = "cuiscan samples"
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return _normalise_ooxml(buf.getvalue())


def xlsx_bytes(sheets: list[dict]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec["name"])
        if spec.get("header"):
            ws.oddHeader.center.text = spec["header"]
        if spec.get("footer"):
            ws.oddFooter.center.text = spec["footer"]
        for row in spec.get("rows", []):
            ws.append(list(row))
        if spec.get("hidden"):
            ws.sheet_state = "hidden"
    wb.properties.creator = "cuiscan samples"
    wb.properties.created = wb.properties.modified = FIXED_TIME.replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_ooxml(buf.getvalue())


# --- pdf -----------------------------------------------------------------------------------------

def pdf_bytes(pages: list[dict], title: str = "") -> bytes:
    """Letter pages: header line at the very top, footer line at the very bottom, body between."""
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title(title)
    pdf.set_author("cuiscan samples")
    pdf.set_auto_page_break(False)
    for spec in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if spec.get("header"):
            pdf.set_xy(36, 24)
            pdf.cell(540, 14, spec["header"], align="C")
        y = 72.0
        for line in spec.get("lines", []):
            pdf.set_xy(54, y)
            pdf.cell(504, 14, line)
            y += 16
        bottom = spec.get("bottom_lines", [])
        y = 700 - 14 * len(bottom)
        for line in bottom:
            pdf.set_xy(340, y)
            pdf.cell(230, 12, line)
            y += 14
        if spec.get("footer"):
            pdf.set_xy(36, 752)
            pdf.cell(540, 14, spec["footer"], align="C")
    return bytes(pdf.output())


# --- email ---------------------------------------------------------------------------------------

def eml_bytes(subject: str, body_lines: list[str], attachments: list[tuple[str, bytes]] = (),
              sender: str = "j.smith@navsea.navy.mil", to: str = "r.jones@navsea.navy.mil",
              html: bool = False) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Thu, 14 Mar 2024 09:00:00 +0000"
    msg["Message-ID"] = f"<{abs(hash_text(subject + ''.join(body_lines))) }@samples.cuiscan.invalid>"
    body = "\n".join(body_lines) + "\n"
    if html:
        msg.set_content(body)
        escaped = "".join(f"<p>{_html_escape(line)}</p>" for line in body_lines if line)
        msg.add_alternative(f"<html><body>{escaped}</body></html>", subtype="html")
    else:
        msg.set_content(body)
    for name, blob in attachments:
        maintype, subtype = _mime_type(name)
        msg.add_attachment(blob, maintype=maintype, subtype=subtype, filename=name)
    counter = 0
    for part in msg.walk():
        if part.is_multipart():
            counter += 1
            part.set_boundary(f"==sample-boundary-{counter}==")
    return msg.as_bytes(policy=SMTP)


def hash_text(text: str) -> int:
    """A stable (not per-process salted) small hash, for Message-IDs."""
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:6], "big")


def _mime_type(name: str) -> tuple[str, str]:
    ext = name.rsplit(".", 1)[-1].lower()
    return {
        "pdf": ("application", "pdf"),
        "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
        "txt": ("text", "plain"),
    }.get(ext, ("application", "octet-stream"))


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- text ----------------------------------------------------------------------------------------

def text_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def html_bytes(title: str, blocks: list[tuple[str, str]]) -> bytes:
    """blocks: (tag, text) pairs, e.g. ("h1", "..."), ("p", "..."), ("blockquote", "...")."""
    body = "\n".join(f"<{tag}>{_html_escape(text)}</{tag}>" for tag, text in blocks)
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_html_escape(title)}"
            f"</title></head>\n<body>\n{body}\n</body></html>\n")
    return page.encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
