"""PDF extractor: lines and banner zones per page, both backends, and every way a PDF can be unreadable."""
from __future__ import annotations

import pytest
from fpdf.enums import EncryptionMethod

import pdf_builders as build
from cuiscan.errors import CorruptError, EncryptedError
from cuiscan.extractors import extract_file
from cuiscan.extractors.base import Budget, DocContext, Source
from cuiscan.extractors.pdf import _open_backend, extract_pdf
from cuiscan.records import Zone
from cuiscan.settings import Limits

BACKENDS = ("pdfium", "pypdf")


def extract(source: Source, backend: str, limits: Limits | None = None, ocr: str = "auto"):
    ctx = DocContext(ftype="pdf", member=None, depth=0, budget=Budget(limits or Limits()), pdf_backend=backend,
                     ocr=ocr)
    extract_pdf(source, ctx)
    return ctx.finish()


def from_path(path, backend, limits=None, ocr="auto"):
    return extract(Source(name=path.name, path=str(path)), backend, limits, ocr)


def page_lines(doc, page):
    return [b for b in doc.blocks if b.loc.page == page]


@pytest.mark.parametrize("backend", BACKENDS)
def test_banner_lines_are_header_and_footer_of_each_page(tmp_path, backend):
    doc = from_path(build.banner_pdf(tmp_path / "plan.pdf"), backend)
    assert doc.pages == 4
    for page in (1, 2, 4):
        lines = page_lines(doc, page)
        assert [b.loc.line for b in lines] == list(range(1, len(lines) + 1))
        assert (lines[0].text, lines[0].loc.zone) == ("CUI", Zone.HEADER)
        assert (lines[-1].text, lines[-1].loc.zone) == ("CUI", Zone.FOOTER)
        assert lines[0].top < 0.1 and lines[-1].top > 0.9
        assert all(b.loc.zone == Zone.BODY for b in lines[1:-1])
        assert all(b.kind == "line" for b in lines)
        assert lines[1].text == f"Section {page} Owner: J. Smith Rev B"
    page3 = page_lines(doc, 3)
    assert page3[0].text == "CUI"
    assert (page3[-1].text, page3[-1].loc.zone) == ("Last body line of page 3", Zone.FOOTER)
    assert page3[-1].top < 0.5  # no banner at the bottom: the footer candidate is mid-page body text
    assert "CUI" not in [b.text for b in page3[1:]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_lines_come_in_reading_order(tmp_path, backend):
    doc = from_path(build.banner_pdf(tmp_path / "plan.pdf", pages=1, bare_footer_pages=()), backend)
    tops = [b.top for b in page_lines(doc, 1)]
    assert tops == sorted(tops)
    assert len(tops) >= 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_document_info_becomes_metadata_properties(tmp_path, backend):
    doc = from_path(build.banner_pdf(tmp_path / "plan.pdf"), backend)
    props = {b.variant: b.text for b in doc.blocks if b.loc.zone == Zone.METADATA}
    assert props == {"title": "Propulsion test plan", "subject": "Test stand 4", "keywords": "CUI CTI"}
    assert all(b.kind == "property" and b.loc.page is None for b in doc.blocks if b.loc.zone == Zone.METADATA)


@pytest.mark.parametrize("builder", [build.banner_pdf, build.canvas_pdf, build.story_pdf,
                                     lambda p: build.image_pdf(p, text_pages=(2,), pages=3)],
                         ids=["fpdf2-banners", "reportlab-canvas", "reportlab-story", "fpdf2-scans"])
def test_both_backends_give_the_same_lines(tmp_path, builder):
    path = builder(tmp_path / "doc.pdf")
    fast, slow = from_path(path, "pdfium"), from_path(path, "pypdf")
    assert fast.pages == slow.pages
    assert [(b.text, b.loc, b.kind, b.variant) for b in fast.blocks] == \
        [(b.text, b.loc, b.kind, b.variant) for b in slow.blocks]
    assert all(abs((a.top or 0) - (b.top or 0)) < 0.01 for a, b in zip(fast.blocks, slow.blocks))
    assert fast.facts == slow.facts and fast.problems == slow.problems
    assert fast.blocks


def test_canvas_layout_lines(tmp_path):
    doc = from_path(build.canvas_pdf(tmp_path / "canvas.pdf"), "pdfium")
    page1 = [b.text for b in page_lines(doc, 1)]
    assert page1[0] == page1[-1] == "CUI//SP-EXPT"
    assert page1[1] == "Program office Page 1 of 3"
    assert "Line 5 of the text object on page 1" in page1
    landscape = page_lines(doc, 4)
    assert [(b.text, b.loc.zone) for b in landscape] == [("Landscape appendix", Zone.HEADER),
                                                        ("Second landscape line", Zone.FOOTER)]


def test_auto_backend_prefers_pdfium():
    assert _open_backend("auto").__name__ == "open_pdfium"
    assert _open_backend("pypdf").__name__ == "open_pypdf"
    with pytest.raises(ValueError):
        _open_backend("ghostscript")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method", [EncryptionMethod.RC4, EncryptionMethod.AES_256])
def test_user_password_means_encrypted(tmp_path, backend, method):
    path = build.encrypted_pdf(tmp_path / "locked.pdf", user_password="s3cret", method=method)
    with pytest.raises(EncryptedError, match="password required"):
        from_path(path, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_owner_password_only_is_readable(tmp_path, backend):
    path = build.encrypted_pdf(tmp_path / "owner.pdf", user_password="", method=EncryptionMethod.AES_128)
    doc = from_path(path, backend)
    assert [(b.text, b.loc.zone) for b in doc.blocks] == [("CUI", Zone.HEADER), ("Encrypted body text", Zone.FOOTER)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_truncated_and_garbage_pdfs_are_corrupt(tmp_path, backend):
    data = build.banner_pdf(tmp_path / "plan.pdf").read_bytes()
    with pytest.raises(CorruptError):
        extract(Source(name="cut.pdf", data=data[: len(data) // 2]), backend)
    with pytest.raises(CorruptError):
        extract(Source(name="junk.pdf", data=b"%PDF-1.4\n" + bytes(range(256)) * 20), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_scanned_pdf_is_image_only(tmp_path, backend):
    doc = from_path(build.image_pdf(tmp_path / "scan.pdf"), backend, ocr="off")
    assert doc.blocks == ()
    assert doc.fact("image_only_pages") == (1, 2)
    assert [(p.reason, p.message) for p in doc.problems] == [
        ("image-only", "no text layer on any page (scanned image?); not OCRed: OCR is off")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_some_image_pages_are_a_fact_not_a_problem(tmp_path, backend):
    doc = from_path(build.image_pdf(tmp_path / "mixed.pdf", text_pages=(1,), pages=3), backend, ocr="off")
    assert doc.fact("image_only_pages") == (2, 3)
    assert doc.problems == ()
    assert [b.text for b in doc.blocks] == ["Typed cover sheet"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_blank_page_is_neither_text_nor_image(tmp_path, backend):
    doc = from_path(build.blank_pdf(tmp_path / "blank.pdf"), backend)
    assert (doc.blocks, doc.problems, doc.fact("image_only_pages"), doc.pages) == ((), (), None, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_page_limit_truncates_with_a_problem(tmp_path, backend):
    doc = from_path(build.banner_pdf(tmp_path / "plan.pdf"), backend, Limits(max_pages=2))
    assert doc.pages == 4
    assert {b.loc.page for b in doc.blocks if b.loc.page} == {1, 2}
    assert [(p.reason, p.message) for p in doc.problems] == [("limit", "only the first 2 of 4 pages were read")]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hostile", [build.self_referencing_pdf, build.deep_page_tree_pdf])
def test_hostile_page_trees_end_as_corrupt(backend, hostile):
    try:
        doc = extract(Source(name="evil.pdf", data=hostile()), backend)
    except CorruptError:
        return
    assert "corrupt" in [p.reason for p in doc.problems]


def test_dispatcher_reports_reasons(tmp_path):
    locked = build.encrypted_pdf(tmp_path / "locked.pdf", user_password="pw")
    (doc,) = extract_file(str(locked), pdf_backend="pypdf")
    assert (doc.ftype, [(p.reason, p.message) for p in doc.problems]) == (
        "pdf", [("encrypted", "encrypted PDF (password required)")])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    (doc,) = extract_file(str(broken))
    assert [p.reason for p in doc.problems] == ["corrupt"]
    (doc,) = extract_file(str(build.banner_pdf(tmp_path / "plan.pdf")))
    assert doc.ftype == "pdf" and doc.pages == 4 and doc.problems == ()


def test_scan_of_a_blank_sheet_is_read_and_holds_no_text(tmp_path):
    # OCR (auto) reads the picture and finds nothing: inspected, no text, not a problem
    path = build.image_pdf(tmp_path / "blank-scan.pdf", pages=1)
    ctx = DocContext(ftype="pdf", member=None, depth=0, budget=Budget(Limits()), pdf_backend="pdfium")
    extract_pdf(Source(name=path.name, path=str(path)), ctx)
    doc = ctx.finish()
    assert (doc.blocks, doc.problems, ctx.budget.ocr_pages, ctx.budget.images_skipped) == ((), (), 1, 0)


def test_pypdf_backend_cannot_ocr_and_says_so(tmp_path):
    doc = from_path(build.image_pdf(tmp_path / "scan.pdf"), "pypdf")
    assert [p.message for p in doc.problems] == [
        "no text layer on any page (scanned image?); not OCRed: the pypdf backend cannot render pages"]
