"""Legacy Office (doc, xls, ppt) written by LibreOffice: text, zones and findings as for OOXML."""
from __future__ import annotations

import pytest

from legacy_compare import layout_keys
from lo_fixtures import real_formats_dir, doc_with_encryption_flag, ppt_with_encrypted_token, xls_with_filepass
from cuiscan.extractors import extract_file
from cuiscan.extractors.base import Source
from cuiscan.extractors.sniff import sniff
from cuiscan.records import Zone

ORIGINAL = {"doc": ".docx", "xls": ".xlsx", "ppt": ".pptx"}


def _original(corpus, name):
    stem, ext = name.rsplit(".", 1)
    return corpus[stem + ORIGINAL[ext]]


def test_xls_cells_sheets_and_print_headers(lo_corpus):
    doc = extract_file(str(lo_corpus["book.xls"]))[0]
    assert doc.ftype == "xls" and doc.pages == 2 and not doc.problems
    rows = [(b.loc.sheet, b.loc.line, b.loc.cell, b.text) for b in doc.blocks if b.kind == "row"]
    assert rows[:2] == [("Roster", 1, "A1", "Name | Home phone"), ("Roster", 2, "A2", "A. Able | 202-555-0101")]
    assert ("Alternates", 2, "A2", "C. Clark") in rows
    edges = sorted((b.loc.sheet, b.loc.zone.value, b.variant, b.text) for b in doc.blocks
                   if b.loc.zone in (Zone.HEADER, Zone.FOOTER))
    assert edges == [("Roster", "footer", "odd", "CUI"), ("Roster", "header", "odd", "CUI")]


@pytest.mark.parametrize("name", ["book.xls", "marked_memo.doc", "plain_memo.doc", "unmarked_cui.doc", "deck.ppt"])
def test_findings_match_the_ooxml_original(lo_corpus, name):
    assert layout_keys(lo_corpus[name]) == layout_keys(_original(lo_corpus, name))


@pytest.mark.parametrize("name,ftype", [("book.xls", "xls"), ("marked_memo.doc", "doc"), ("deck.ppt", "ppt")])
def test_sniffed_by_content_not_name(lo_corpus, name, ftype):
    data = lo_corpus[name].read_bytes()
    assert sniff(Source(name="renamed.dat", data=data)) == ftype
    assert sniff(Source(name="wrong.docx", data=data)) == ftype


@pytest.mark.parametrize("name,lock", [("book.xls", xls_with_filepass), ("marked_memo.doc", doc_with_encryption_flag),
                                       ("deck.ppt", ppt_with_encrypted_token)])
def test_encrypted_legacy_file_is_a_finding(lo_corpus, tmp_path, name, lock):
    path = tmp_path / ("locked." + name.rsplit(".", 1)[1])
    path.write_bytes(lock(lo_corpus[name].read_bytes()))
    doc = extract_file(str(path))[0]
    assert [p.reason for p in doc.problems] == ["encrypted"] and not doc.blocks


@pytest.mark.parametrize("name", ["book.xls", "marked_memo.doc", "deck.ppt"])
@pytest.mark.parametrize("cut", [0.1, 0.5, 0.8])
def test_truncated_legacy_file_is_corrupt(lo_corpus, tmp_path, name, cut):
    data = lo_corpus[name].read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * cut)])
    doc = extract_file(str(path))[0]
    assert doc.problems and doc.problems[0].reason == "corrupt", doc.problems


def test_real_xls_files_read():
    for name in ("Unstructured-IO__unstructured__tests-example.xls", "deanmalmgren__textract__raw_text.xls"):
        doc = extract_file(f"{real_formats_dir()}/{name}")[0]
        assert doc.ftype == "xls" and not doc.problems
        assert sum(b.kind == "row" for b in doc.blocks) >= 5


def test_doc_sections_headers_and_footers(lo_corpus):
    doc = extract_file(str(lo_corpus["marked_memo.doc"]))[0]
    assert doc.ftype == "doc" and not doc.problems
    body = [(b.loc.section, b.text) for b in doc.blocks if b.loc.zone is Zone.BODY]
    assert body[0] == (1, "(CUI) The test schedule for the Block 3 radar is attached.")
    assert body[-1] == (2, "(CUI) Annex A lists the test ranges.")
    edges = sorted((b.loc.section, b.loc.zone.value, b.variant, b.text) for b in doc.blocks
                   if b.loc.zone in (Zone.HEADER, Zone.FOOTER))
    assert edges == [(1, "footer", "default", "CUI"), (1, "header", "default", "CUI"),
                     (2, "header", "default", "CUI//FEDCON")]
    assert dict(doc.facts)["sections"] == 2


def test_doc_footnotes_comments_and_first_page_header(lo_corpus):
    doc = extract_file(str(lo_corpus["notes_memo.doc"]))[0]
    notes = sorted((b.kind, b.text) for b in doc.blocks if b.loc.zone is Zone.NOTES)
    assert notes == [("comment", "Check the marking of this line"),
                     ("footnote", "(CUI) Footnote naming the range."), ("footnote", "(U) Endnote text.")]
    headers = sorted((b.variant, b.text) for b in doc.blocks if b.loc.zone is Zone.HEADER)
    assert headers == [("default", "CUI"), ("first", "CUI FIRST PAGE")]
    assert dict(doc.facts)["first_page_sections"] == (1,)
    body = [b.text for b in doc.blocks if b.loc.zone is Zone.BODY]
    assert body == ["(CUI) The range schedule is below.", "(U) Parking is in lot B.", "(U) End of memo."]
    # the same file as OpenDocument gives the same findings
    assert layout_keys(lo_corpus["notes_memo.doc"]) == layout_keys(lo_corpus["notes_memo.odt"])


def test_real_doc_files_read():
    for name in ("Unstructured-IO__unstructured__fake.doc", "Unstructured-IO__unstructured__simple.doc",
                 "deanmalmgren__textract__raw_text.doc"):
        doc = extract_file(f"{real_formats_dir()}/{name}")[0]
        assert doc.ftype == "doc" and not doc.problems
        assert any(b.loc.zone is Zone.BODY and len(b.text) > 20 for b in doc.blocks)


def test_ppt_slides_edges_and_notes(lo_corpus):
    doc = extract_file(str(lo_corpus["deck.ppt"]))[0]
    assert doc.ftype == "ppt" and doc.pages == 3 and not doc.problems
    first = [(b.loc.zone, b.text) for b in doc.blocks if b.loc.slide == 1]
    assert first[0] == (Zone.HEADER, "CUI") and (Zone.FOOTER, "CUI") in first
    assert [t for z, t in first if z is Zone.NOTES] == ["(CUI) Speaker note about ranges"]
    third = [(b.loc.zone, b.text) for b in doc.blocks if b.loc.slide == 3]
    assert third == [(Zone.BODY, "Actions"), (Zone.BODY, "(CUI) Actions for March")]


def test_real_ppt_files_read():
    # named .ppt, but a PowerPoint 2007+ package inside: read by its content
    doc = extract_file(f"{real_formats_dir()}/Unstructured-IO__unstructured__eng_spa_mult.ppt")[0]
    assert doc.ftype == "pptx" and doc.pages == 6 and not doc.problems
    assert (1, Zone.TITLE, "Testing multiple languages") in [(b.loc.slide, b.loc.zone, b.text) for b in doc.blocks]
    assert [b.text for b in doc.blocks if b.loc.zone is Zone.NOTES] == ["This is a slide note."]
    doc = extract_file(f"{real_formats_dir()}/Unstructured-IO__unstructured__fake-power-point.ppt")[0]
    assert doc.ftype == "ppt" and not doc.problems
    assert [(b.loc.zone, b.text) for b in doc.blocks][:1] == [(Zone.TITLE, "Adding a Bullet Slide")]
    assert "Here is some text in a text box!" in [b.text for b in doc.blocks]


def test_every_real_format_file_is_inspected():
    """The shared corpus of real legacy/ODF/mail files: none fails as an unsupported format."""
    from cuiscan.extractors import extract_file as extract

    folder = real_formats_dir()
    names = [line.split("\t")[0].split("/", 1)[1] for line in (folder.parent / "MANIFEST.tsv").read_text().splitlines()
             if line.startswith("formats/")]
    assert len(names) >= 20
    for name in names:
        docs = extract(str(folder / name))
        # the file itself reads cleanly; a member may still be of a kind not read (a 7z attachment)
        problems = [(name, p.reason, p.message) for p in docs[0].problems]
        assert not problems, problems
        assert any(b.text.strip() for d in docs for b in d.blocks), name


def test_ppt_header_and_footer_dialog_text_is_the_footer(lo_corpus):
    doc = extract_file(str(lo_corpus["footer_deck.ppt"]))[0]
    footers = [(b.loc.slide, b.text) for b in doc.blocks if b.loc.zone is Zone.FOOTER]
    assert footers == [(1, "CUI"), (2, "CUI")]
    assert layout_keys(lo_corpus["footer_deck.ppt"]) == layout_keys(lo_corpus["footer_deck.odp"])
    assert not [k for k in layout_keys(lo_corpus["footer_deck.ppt"]) if k[0] == "BANNER-001"]


def test_doc_hidden_and_struck_runs(lo_corpus):
    doc = extract_file(str(lo_corpus["struck_memo.doc"]))[0]
    header = [(b.text, b.struck) for b in doc.blocks if b.loc.zone is Zone.HEADER]
    assert header == [("FOUO", True)]
    body = [(b.text, b.hidden) for b in doc.blocks if b.loc.zone is Zone.BODY]
    assert body == [("(CUI) Visible text of the memo.", False), (" SSN 123-45-6789 hidden note", True),
                    ("(U) Second paragraph.", False)]
    assert layout_keys(lo_corpus["struck_memo.doc"]) == layout_keys(lo_corpus["struck_memo.docx"])


@pytest.mark.parametrize("name", ["master_deck.ppt", "master_deck.odp"])
def test_banner_on_the_slide_master_prints_on_every_slide(lo_corpus, name):
    doc = extract_file(str(lo_corpus[name]))[0]
    edges = [(b.loc.slide, b.loc.zone, b.text) for b in doc.blocks if b.loc.zone in (Zone.HEADER, Zone.FOOTER)]
    assert edges == [(1, Zone.HEADER, "CUI"), (1, Zone.FOOTER, "CUI"), (2, Zone.HEADER, "CUI"), (2, Zone.FOOTER, "CUI")]
    assert layout_keys(lo_corpus[name]) == layout_keys(lo_corpus["master_deck.pptx"])


def test_property_set_claiming_billions_of_properties_is_skipped_fast(lo_corpus, tmp_path):
    """Found by the atheris xls target: olefile walks whatever property count a file claims."""
    import io
    import struct
    import time

    import olefile

    data = lo_corpus["marked_memo.doc"].read_bytes()
    ole = olefile.OleFileIO(data)
    summary = bytearray(ole.openstream("\x05SummaryInformation").read())
    offset, = struct.unpack_from("<I", summary, 44)
    struct.pack_into("<I", summary, offset + 4, 0x7FFFFFFF)
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as rw:
        rw.write_stream("\x05SummaryInformation", bytes(summary))
    path = tmp_path / "bomb.doc"
    path.write_bytes(out.getvalue())
    started = time.perf_counter()
    doc = extract_file(str(path))[0]
    assert time.perf_counter() - started < 5
    assert not doc.problems and not [b for b in doc.blocks if b.loc.zone is Zone.METADATA]
    assert any(b.text.startswith("(CUI) The test schedule") for b in doc.blocks)
