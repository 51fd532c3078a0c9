"""Real files of every type the sniffer tells apart, built with the libraries that write them."""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from email.message import EmailMessage

import docx
import openpyxl
import pptx
from extract_msg.ole_writer import OleWriter
from fpdf import FPDF
from msoffcrypto.format.ooxml import OOXMLFile
from PIL import Image


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "CUI")
    return bytes(pdf.output())


def docx_bytes(text: str = "CUI") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "CUI"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "CUI"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    writer = OleWriter()
    for path, data in streams.items():
        writer.addEntry(path.split("/"), data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_ooxml_bytes() -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes())).encrypt("s3cret", out)
    return out.getvalue()


def eml_bytes() -> bytes:
    message = EmailMessage()
    message["From"] = "alice@example.mil"
    message["To"] = "bob@example.mil"
    message["Subject"] = "Test results"
    message["Message-ID"] = "<1@example.mil>"
    message.set_content("See attached.\n")
    return message.as_bytes()


def mbox_bytes() -> bytes:
    return b"From alice@example.mil Sat Nov 28 05:00:00 2026\n" + eml_bytes() + b"\n"


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format=fmt)
    return out.getvalue()


def gzip_bytes() -> bytes:
    return gzip.compress(b"plain text inside")


def tar_bytes() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        data = b"hello"
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()
