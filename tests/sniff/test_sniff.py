"""The sniffer names each file by its content; the extension only decides what content leaves open."""
from __future__ import annotations

import os

import pytest

import sniff_builders as build
from cuiscan.extractors.base import Source
from cuiscan.extractors.sniff import sniff

CASES = {
    # name: (file name, bytes factory, expected type)
    "pdf": ("report.pdf", build.pdf_bytes, "pdf"),
    "pdf-renamed": ("report.bin", build.pdf_bytes, "pdf"),
    "pdf-after-junk": ("x.pdf", lambda: b"\r\n\r\n" + build.pdf_bytes(), "pdf"),
    "docx": ("memo.docx", build.docx_bytes, "docx"),
    "docx-renamed-dat": ("memo.dat", build.docx_bytes, "docx"),
    "pptx": ("brief.pptx", build.pptx_bytes, "pptx"),
    "xlsx-no-extension": ("roster", build.xlsx_bytes, "xlsx"),
    "zip": ("bundle.zip", lambda: build.zip_bytes({"a.txt": b"x", "b/c.pdf": build.pdf_bytes()}), "zip"),
    "zip-with-stored-pdf-first": ("bundle.zip", lambda: _stored_zip("a.pdf", build.pdf_bytes()), "zip"),
    "empty-zip": ("empty.zip", lambda: build.zip_bytes({}), "zip"),
    "docx-named-zip": ("memo.zip", build.docx_bytes, "docx"),
    "msg": ("mail.msg", lambda: build.ole_bytes({"__substg1.0_0037001F": "Subject".encode("utf-16-le"),
                                                 "__properties_version1.0": b"\0" * 32}), "msg"),
    "msg-renamed": ("mail.dat", lambda: build.ole_bytes({"__substg1.0_1000001F": b"b\0"}), "msg"),
    "encrypted-docx": ("locked.docx", build.encrypted_ooxml_bytes, "docx"),
    "encrypted-xlsx": ("locked.xlsx", build.encrypted_ooxml_bytes, "xlsx"),
    "encrypted-pptx": ("locked.pptx", build.encrypted_ooxml_bytes, "pptx"),
    "encrypted-unknown-ext": ("locked.bin", build.encrypted_ooxml_bytes, "docx"),
    "doc": ("old.doc", lambda: build.ole_bytes({"WordDocument": b"\0" * 64, "1Table": b"\0" * 64}), "doc"),
    "xls": ("old.xls", lambda: build.ole_bytes({"Workbook": b"\0" * 64}), "xls"),
    "ppt": ("old.dat", lambda: build.ole_bytes({"PowerPoint Document": b"\0" * 64}), "ppt"),
    "ole-other": ("thing.db", lambda: build.ole_bytes({"Catalog": b"\0" * 64}), "ole"),
    "rtf": ("note.txt", lambda: b"{\\rtf1\\ansi CUI\\par}", "rtf"),
    "eml": ("mail.eml", build.eml_bytes, "eml"),
    "eml-no-extension": ("message", build.eml_bytes, "eml"),
    "eml-received-first": ("m", lambda: b"Received: from a by b; Sat, 28 Nov 2026\r\n\tid 7\r\n"
                                        b"Date: Sat, 28 Nov 2026\r\nFrom: a@b\r\n\r\nbody", "eml"),
    "mbox": ("archive", build.mbox_bytes, "mbox"),
    "html": ("page.txt", lambda: b"<!DOCTYPE html><html><body>CUI</body></html>", "html"),
    "html-comment-first": ("p", lambda: b"<!-- saved -->\n<html><body>x</body></html>", "html"),
    "xhtml": ("p.xml", lambda: b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="x"></html>', "html"),
    "xml": ("data.txt", lambda: b'<?xml version="1.0"?><root>CUI</root>', "xml"),
    "html-fragment-by-extension": ("frag.html", lambda: b"<div>CUI</div>", "html"),
    "png": ("scan.png", lambda: build.image_bytes("PNG"), "image"),
    "jpeg": ("scan.pdf", lambda: build.image_bytes("JPEG"), "image"),
    "gif": ("a", lambda: build.image_bytes("GIF"), "image"),
    "tiff": ("a.tif", lambda: build.image_bytes("TIFF"), "image"),
    "bmp": ("a.bmp", lambda: build.image_bytes("BMP"), "image"),
    "gzip": ("logs.gz", build.gzip_bytes, "archive"),
    "tar": ("files.tar", build.tar_bytes, "archive"),
    "7z": ("files.7z", lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 40, "archive"),
    "rar": ("files.rar", lambda: b"Rar!\x1a\x07\x01\x00" + b"\0" * 40, "archive"),
    "utf8-txt": ("notes", lambda: "Déjà vu: CUI//SP-CTI\n".encode(), "txt"),
    "utf16-bom": ("notes.txt", lambda: "CUI\r\nUnicode text with ümlauts\r\n".encode("utf-16"), "txt"),
    "utf16-no-bom": ("notes.txt", lambda: "CUI line\nanother line\n".encode("utf-16-le"), "txt"),
    "utf16-eml": ("m", lambda: b"\xff\xfe" + build.eml_bytes().decode().encode("utf-16-le"), "eml"),
    "cp1252-txt": ("old.txt", lambda: "Caf\u00e9 r\u00e9sum\u00e9 \u2014 na\u00efve fa\u00e7ade\n".encode("cp1252") * 5, "txt"),
    "md": ("README.md", lambda: b"# Title\n\nCUI text\n", "md"),
    "csv": ("data.csv", lambda: b"name,ssn\nA,123\n", "csv"),
    "log": ("app.log", lambda: b"2026-11-28 INFO started\n", "log"),
    "text-in-docx-name": ("fake.docx", lambda: b"just text, not a document\n", "txt"),
    "bmw-is-text": ("cars.txt", lambda: b"BMW and Mercedes notes\n" * 3, "txt"),
    "yaml-not-eml": ("cfg.yaml", lambda: b"from: a\nto: b\nname: x\n", "txt"),
    "binary": ("blob.bin", lambda: bytes(range(256)) * 16, "binary"),
    "binary-pdf-name": ("broken.pdf", lambda: bytes(range(256)) * 16, "pdf"),
    "empty-txt": ("empty.txt", lambda: b"", "txt"),
    "empty-docx": ("empty.docx", lambda: b"", "docx"),
}


def _stored_zip(name: str, data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_sniff_on_disk(tmp_path, case):
    name, factory, expected = CASES[case]
    path = tmp_path / name
    path.write_bytes(factory())
    assert sniff(Source(name=name, path=str(path))) == expected


@pytest.mark.parametrize("case", ["docx-renamed-dat", "msg", "eml-no-extension", "utf16-bom", "zip"])
def test_sniff_in_memory_member(case):
    name, factory, expected = CASES[case]
    assert sniff(Source(name=name, data=factory())) == expected


def test_sniff_reads_only_the_head_of_big_text(tmp_path):
    path = tmp_path / "big.log"
    with open(path, "wb") as fh:
        fh.write(b"2026-11-28 INFO line\n" * 1000)
        fh.seek(64 * 1024 * 1024)
        fh.write(b"\0")  # sparse NULs after the first 20 KB: beyond the head, unseen
    assert os.path.getsize(path) > 64 * 1024 * 1024
    assert sniff(Source(name="big.log", path=str(path))) == "log"


def test_damaged_zip_still_sniffs_as_zip(tmp_path):
    data = build.zip_bytes({"a.txt": b"hello"})
    assert sniff(Source(name="cut.zip", data=data[:20])) == "zip"
