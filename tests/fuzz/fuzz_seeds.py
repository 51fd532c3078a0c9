"""The seed corpus: small REAL files of every supported type, built with the libraries that write them.

Mutations start from these, so the fuzzer spends its time inside the parsers rather than being
turned away at the magic bytes. Every seed carries a CUI banner, a portion mark and an attachment or
nested member where its format allows, so that the marking and container code paths are reached too,
and the canary word below (and mostly an SSN) in its text: neither may ever show up in a problem
message, a log record or a warning, whatever the mutation did to the file.
"""
from __future__ import annotations

import importlib.util
import io
import zipfile
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent

CANARIES = ("ZEBRACANARY", "123-45-6789")

# seed name -> the extractor type it exercises (the dispatcher is also run without the hint)
SEED_TYPES = {
    "memo.docx": "docx", "deck.pptx": "pptx", "book.xlsx": "xlsx", "report.pdf": "pdf",
    "note.eml": "eml", "inbox.mbox": "mbox", "mail.msg": "msg", "bundle.zip": "zip",
    "page.html": "html", "memo.rtf": "rtf", "notes.txt": "txt", "data.csv": "csv", "feed.xml": "xml",
    "memo.doc": "doc", "book.xls": "xls", "deck.ppt": "ppt", "memo.odt": "odt", "book.ods": "ods",
    "deck.odp": "odp",
}


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "CUI"
    section.footer.paragraphs[0].text = "CUI//SP-PRVCY"
    d.core_properties.title = "Quarterly readiness"
    d.add_heading("Readiness summary", level=1)
    d.add_paragraph("(CUI) Unit strength figures follow ZEBRACANARY. Controlled by: DoD CIO")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "SSN"
    table.cell(1, 0).text, table.cell(1, 1).text = "J. Smith", "123-45-6789"
    d.add_paragraph("(U) Routine text that anyone may read.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pptx_bytes() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "CUI"
    slide.placeholders[1].text = "(CUI//SP-EXPT) Export-controlled design notes ZEBRACANARY"
    box = slide.shapes.add_textbox(Inches(1), Inches(6.5), Inches(6), Inches(0.5))
    box.text_frame.text = "CUI"
    slide.notes_slide.notes_text_frame.text = "speaker notes: ECCN 3A001"
    second = prs.slides.add_slide(prs.slide_layouts[5])
    second.shapes.title.text = "Unclassified agenda"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Roster"
    ws.oddHeader.center.text = "CUI"
    ws.oddFooter.center.text = "CUI"
    ws.append(["Name", "SSN", "Date"])
    ws.append(["J. Smith", "123-45-6789", "2024-01-02"])
    ws["E5"] = "=SUM(1,2)"
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "(CUI) hidden sheet text ZEBRACANARY"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.set_title("Test plan")
    for page in range(2):
        pdf.add_page()
        pdf.cell(0, 8, "CUI", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, f"(CUI) Page {page + 1} body text ZEBRACANARY SSN 123-45-6789.")
        pdf.set_y(-20)
        pdf.cell(0, 8, "CUI", align="C")
    return bytes(pdf.output())


def eml_bytes() -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "CUI//SP-PRVCY roster"
    msg["From"] = "a@example.com"
    msg["To"] = "b@example.com"
    msg["Message-ID"] = "<1@example.com>"
    msg.set_content("CUI\n\nThe roster is attached ZEBRACANARY.\n> quoted line\n")
    msg.add_alternative("<html><body><p>CUI</p><p>The roster is attached.</p></body></html>", subtype="html")
    msg.add_attachment(b"Name,SSN\nJ. Smith,123-45-6789\n", maintype="text", subtype="csv", filename="roster.csv")
    inner = EmailMessage()
    inner["Subject"] = "forwarded"
    inner.set_content("inner body\n")
    msg.add_attachment(inner)
    return bytes(msg)


def mbox_bytes() -> bytes:
    parts = []
    for n in (1, 2):
        msg = EmailMessage()
        msg["Subject"] = f"Message {n}"
        msg["From"] = "a@example.com"
        msg["Date"] = "Mon, 1 Jan 2024 10:00:00 +0000"
        msg.set_content(f"CUI\nbody {n} ZEBRACANARY\n")
        parts.append(b"From a@example.com Mon Jan  1 10:00:00 2024\n" + bytes(msg) + b"\n")
    return b"".join(parts)


def msg_bytes() -> bytes:
    builder = _load("msg_builder", TESTS / "extract_email" / "msg_builder.py")
    spec = builder.MsgSpec(subject="CUI weekly", body="CUI\r\nThe numbers are attached ZEBRACANARY.\r\n",
                           sender="a@example.com", to=[("B", "b@example.com")])
    return builder.build_msg(spec)


def zip_bytes() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inner/notes.txt", "CUI\ninner note\n")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "CUI\nA bundle of files ZEBRACANARY.\n")
        zf.writestr("nested.zip", inner.getvalue())
        zf.writestr("memo.rtf", rtf_bytes())
    return out.getvalue()


def html_bytes() -> bytes:
    return (b"<!doctype html><html><head><title>CUI memo</title></head><body><header>CUI</header>"
            b"<p>(CUI) Body &amp; text ZEBRACANARY</p><table><tr><td>SSN</td><td>123-45-6789</td></tr></table>"
            b"<footer>CUI</footer></body></html>")


def rtf_bytes() -> bytes:
    return (b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}{\\header CUI\\par}"
            b"\\pard CUI\\par (CUI) body text ZEBRACANARY \\b bold\\b0\\par {\\*\\ignored hidden}\\u8212?\\par}")


def text_bytes() -> bytes:
    return "CUI\n\n(CUI) Meeting notes ZEBRACANARY\nSSN 123-45-6789\nCUI//SP-PRVCY\n".encode()


def csv_bytes() -> bytes:
    return b"name,ssn,date\nJ. Smith,123-45-6789,2024-01-02\nZEBRACANARY,\"quoted, value\",x,y\n"


def xml_bytes() -> bytes:
    return b'<?xml version="1.0"?><feed><title>CUI</title><entry a="1">(CUI) entry text ZEBRACANARY</entry></feed>'


_BUILDERS = {
    "memo.docx": docx_bytes, "deck.pptx": pptx_bytes, "book.xlsx": xlsx_bytes, "report.pdf": pdf_bytes,
    "note.eml": eml_bytes, "inbox.mbox": mbox_bytes, "mail.msg": msg_bytes, "bundle.zip": zip_bytes,
    "page.html": html_bytes, "memo.rtf": rtf_bytes, "notes.txt": text_bytes, "data.csv": csv_bytes,
    "feed.xml": xml_bytes,
}
# Legacy Office and OpenDocument seeds: the seeds above converted by LibreOffice, committed
# (tests/fuzz/make_legacy_seeds.py rewrites them).
for _name in ("memo.doc", "book.xls", "deck.ppt", "memo.odt", "book.ods", "deck.odp"):
    _BUILDERS[_name] = (lambda path: lambda: path.read_bytes())(TESTS / "fuzz" / "seeds" / _name)


@lru_cache(maxsize=None)
def seed(name: str) -> bytes:
    """One seed's bytes (built once per process; read-only data, nothing to reset)."""
    return _BUILDERS[name]()


def write_corpus(directory: Path, names: list[str] | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or list(_BUILDERS):
        path = directory / name
        path.write_bytes(seed(name))
        paths.append(path)
    return paths


def _load(name: str, path: Path):
    import sys

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
