"""Unreadable Office files become one Problem with the right reason; none takes the scan down."""
from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import olefile
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from cuiscan.extractors import extract_file

BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode()) for _ in range(10)))
        for i in range(1, 10)
    )
    + b"]>"
)


def _problem(path, ftype):
    [doc] = extract_file(str(path), ftype=ftype)
    assert doc.blocks == ()
    assert len(doc.problems) == 1
    return doc.problems[0]


@pytest.fixture(params=["docx", "pptx", "xlsx"])
def office_file(request, sample_docx, sample_pptx, sample_xlsx):
    return request.param, {"docx": sample_docx, "pptx": sample_pptx, "xlsx": sample_xlsx}[request.param]


def test_truncated_file_is_corrupt(office_file, tmp_path):
    ftype, path = office_file
    cut = tmp_path / f"cut.{ftype}"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    problem = _problem(cut, ftype)
    assert problem.reason == "corrupt"
    assert "zip" in problem.message


def test_empty_file_is_corrupt(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    problem = _problem(empty, "docx")
    assert (problem.reason, problem.message) == ("corrupt", "empty file")


def test_not_a_zip_is_corrupt(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("name,ssn\n")
    assert _problem(text, "xlsx").reason == "corrupt"


@pytest.mark.parametrize("ftype", ["docx", "xlsx", "pptx"])
def test_password_protected_is_encrypted(ftype, sample_docx, sample_xlsx, sample_pptx, tmp_path):
    plain = {"docx": sample_docx, "xlsx": sample_xlsx, "pptx": sample_pptx}[ftype]
    locked = tmp_path / f"locked.{ftype}"
    with plain.open("rb") as fh, locked.open("wb") as out:
        OOXMLFile(fh).encrypt("Secret123", out)
    assert olefile.isOleFile(str(locked))
    problem = _problem(locked, ftype)
    assert problem.reason == "encrypted"


def test_legacy_ole_with_docx_name_is_unsupported(tmp_path):
    """An OLE container without EncryptedPackage is a legacy binary saved under a new extension."""
    import docx

    locked = io.BytesIO()
    source = io.BytesIO()
    docx.Document().save(source)
    source.seek(0)
    OOXMLFile(source).encrypt("x", locked)
    # Rename the EncryptedPackage stream: same container shape, no encryption marker.
    data = locked.getvalue().replace("EncryptedPackage".encode("utf-16-le"), "OrdinaryStream16".encode("utf-16-le"))
    data = data.replace("EncryptionInfo".encode("utf-16-le"), "OrdinaryInfo14".encode("utf-16-le"))
    legacy = tmp_path / "legacy.docx"
    legacy.write_bytes(data)
    assert _problem(legacy, "docx").reason == "unsupported"


def _replace_part(path, part, data, out):
    src = zipfile.ZipFile(path)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info))


@pytest.mark.parametrize("ftype, part", [
    ("docx", "word/document.xml"),
    ("docx", "word/styles.xml"),
    ("pptx", "ppt/slides/slide1.xml"),
    ("xlsx", "xl/worksheets/sheet1.xml"),
])
def test_billion_laughs_fails_fast(ftype, part, sample_docx, sample_pptx, sample_xlsx, tmp_path):
    plain = {"docx": sample_docx, "xlsx": sample_xlsx, "pptx": sample_pptx}[ftype]
    original = zipfile.ZipFile(plain).read(part)
    declaration_end = original.find(b"?>")
    root_start = original.index(b"<", declaration_end + 2 if declaration_end >= 0 else 0)
    bomb = BILLION_LAUGHS + original[root_start:].replace(b"</", b"&lol9;</", 1)
    hostile = tmp_path / f"bomb.{ftype}"
    _replace_part(plain, part, bomb, hostile)
    tracemalloc.start()
    started = time.perf_counter()
    [doc] = extract_file(str(hostile), ftype=ftype)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.reason for p in doc.problems] in (["corrupt"], ["limit"])
    assert "lol" not in "".join(b.text for b in doc.blocks)
    assert elapsed < 5 and peak < 50 * 1024 * 1024


@pytest.mark.parametrize("ftype, part", [("docx", "word/header1.xml"), ("xlsx", "xl/worksheets/sheet1.xml")])
def test_any_dtd_is_refused(ftype, part, sample_docx, sample_xlsx, tmp_path):
    """A DTD too small for libxml2's amplification guard is still refused: Office never writes one."""
    plain = {"docx": sample_docx, "xlsx": sample_xlsx}[ftype]
    original = zipfile.ZipFile(plain).read(part)
    declaration_end = original.find(b"?>")
    root_start = original.index(b"<", declaration_end + 2 if declaration_end >= 0 else 0)
    doctype = b'<!DOCTYPE x [<!ENTITY banner "CUI">]>'
    hostile = tmp_path / f"dtd.{ftype}"
    _replace_part(plain, part, doctype + original[root_start:], hostile)
    [doc] = extract_file(str(hostile), ftype=ftype)
    assert [p.reason for p in doc.problems] == ["corrupt"]
    assert "DTD" in doc.problems[0].message and part in doc.problems[0].message


def test_malformed_xml_part_is_corrupt(sample_docx, tmp_path):
    broken = tmp_path / "broken.docx"
    _replace_part(sample_docx, "word/document.xml", b"<w:document><w:body><w:p>", broken)
    problem = _problem(broken, "docx")
    assert problem.reason == "corrupt" and "word/document.xml" in problem.message


def test_missing_main_part_is_corrupt(tmp_path):
    bare = tmp_path / "bare.pptx"
    with zipfile.ZipFile(bare, "w") as zf:
        zf.writestr("hello.txt", "not a presentation")
    assert _problem(bare, "pptx").reason == "corrupt"


def test_oversized_part_hits_member_limit(sample_xlsx):
    from cuiscan.settings import Limits

    [doc] = extract_file(str(sample_xlsx), Limits(member_size=200), ftype="xlsx")
    assert [p.reason for p in doc.problems] == ["limit"]


def test_bad_shared_string_index_is_corrupt(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    path = tmp_path / "sst.xlsx"
    wb.save(path)
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<c r="A1" t="n"><v>1</v></c>', b'<c r="A1" t="s"><v>99</v></c>')
    assert b't="s"' in sheet
    broken = tmp_path / "badsst.xlsx"
    _replace_part(path, "xl/worksheets/sheet1.xml", sheet, broken)
    assert _problem(broken, "xlsx").reason == "corrupt"


def test_member_bytes_are_read_like_files(sample_docx):
    """Office files inside emails and zips arrive as bytes, not paths."""
    from cuiscan.extractors import extract_source
    from cuiscan.extractors.base import Source
    from cuiscan.settings import Limits

    plain = sample_docx.read_bytes()
    locked = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("pw", locked)
    [ok] = extract_source(Source(name="a.docx", data=plain), Limits(), ftype="docx")
    [enc] = extract_source(Source(name="b.docx", data=locked.getvalue()), Limits(), ftype="docx")
    assert ok.problems == () and any(b.text == "CUI default header" for b in ok.blocks)
    assert [p.reason for p in enc.problems] == ["encrypted"]


def test_too_many_parts_hits_limit(sample_pptx):
    from cuiscan.settings import Limits

    [doc] = extract_file(str(sample_pptx), Limits(archive_members=5), ftype="pptx")
    assert [p.reason for p in doc.problems] == ["limit"]
