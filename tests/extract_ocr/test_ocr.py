"""OCR end to end on pictures made with real tools (fpdf2 -> PDFium raster -> Pillow), read by tesseract
(libtesseract through tesserocr, with the English model shipped in models/ocr/)."""
from __future__ import annotations

import io
import os
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from cuiscan.discovery import iter_files
from cuiscan.extractors import extract_file, ocr
from cuiscan.pipeline import Inspector
from cuiscan.records import Assessment, Severity, Status, Zone
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks

from ocr_builders import PARAGRAPHS, logo_png, marked_page_pdf, memo_image, scanned_pdf

UNMARKED_MIDDLE = (PARAGRAPHS[0], ("", PARAGRAPHS[1][1]), PARAGRAPHS[2])


def scan(root: Path, **settings) -> dict:
    """Every file under root through the real pipeline (workers, markings, assessment)."""
    s = Settings(jobs=1, **settings)
    results = run_tasks(((ref, None) for ref in iter_files([str(root)], s)), Inspector.from_settings(s), 1)
    return {os.path.basename(r.path): r for r in results}


def edges(doc, page: int) -> tuple[str, str]:
    lines = [b for b in doc.blocks if b.loc.page == page]
    header = [b.text for b in lines if b.loc.zone is Zone.HEADER]
    footer = [b.text for b in lines if b.loc.zone is Zone.FOOTER]
    return header[0] if header else "", footer[0] if footer else ""


def test_scanned_pdf_gives_banners_and_portion_marks_per_page_and_zone(tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", pages=2)
    [doc] = extract_file(str(path))
    assert doc.problems == ()
    for page in (1, 2):
        assert edges(doc, page) == ("CUI", "CUI")
        body = [b for b in doc.blocks if b.loc.page == page and b.loc.zone is Zone.BODY]
        assert [b.text.split()[0] for b in body if b.text.startswith("(")] == ["(CUI)", "(U)", "(CUI)"]
        assert all(b.loc.ocr is not None and 0.0 < b.loc.ocr <= 1.0 and b.kind == "line" for b in body)
    assert doc.fact("ocr_pages") == 2


def test_scanned_page_findings_match_the_born_digital_page_and_say_ocr(tmp_path):
    page = dict(banner_bottom=None, paragraphs=UNMARKED_MIDDLE, pages=2)
    (tmp_path / "digital.pdf").write_bytes(marked_page_pdf(**page))
    scanned_pdf(tmp_path / "scanned.pdf", **page)
    results = scan(tmp_path)
    digital, scanned = results["digital.pdf"], results["scanned.pdf"]
    assert digital.assessment is scanned.assessment is Assessment.MARKED_CUI

    def where(result):
        return {(f.rule_id, f.location.zone, f.location.page) for f in result.findings}

    assert where(scanned) == where(digital) == {("BANNER-010", Zone.FOOTER, 1), ("PORTION-002", Zone.BODY, 1)}
    assert all(f.location.ocr is None for f in digital.findings)
    for f in scanned.findings:
        assert f.location.ocr is not None and f.location.to_dict()["ocr"] is True
        assert f.confidence <= f.location.ocr and f.severity is Severity.ERROR   # a clear reading: still errors
    assert scanned.ocr_pages == 2 and scanned.images_skipped == 0


def test_png_memo_and_multipage_tiff_are_pages_of_ocr_lines(tmp_path):
    (tmp_path / "memo.png").write_bytes(memo_image("PNG"))
    (tmp_path / "pages.tif").write_bytes(memo_image("TIFF", pages=2, banner_top="CUI//SP-CTI"))
    png = extract_file(str(tmp_path / "memo.png"))[0]
    tiff = extract_file(str(tmp_path / "pages.tif"))[0]
    assert (png.ftype, png.pages, edges(png, 1)) == ("image", 1, ("CUI", "CUI"))
    assert (tiff.pages, edges(tiff, 1), edges(tiff, 2)) == (2, ("CUI//SP-CTI", "CUI"), ("CUI//SP-CTI", "CUI"))
    results = scan(tmp_path)
    assert results["memo.png"].assessment is Assessment.MARKED_CUI and results["memo.png"].banner == "CUI"
    assert not [f for f in results["memo.png"].findings if f.severity.rank >= Severity.ERROR.rank]


def test_pictures_inside_docx_email_and_zip_are_read(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Please find the signed memo below.")
    d.add_picture(io.BytesIO(memo_image("PNG")))
    d.save(tmp_path / "pasted-scan.docx")

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.com", "b@example.com", "Scanned memo"
    msg.set_content("The scan is attached. Our logo is below.")
    msg.add_attachment(logo_png(), maintype="image", subtype="png", filename="logo.png", disposition="inline")
    msg.add_attachment(memo_image("JPEG"), maintype="image", subtype="jpeg", filename="memo.jpg")
    (tmp_path / "mail.eml").write_bytes(msg.as_bytes())

    with zipfile.ZipFile(tmp_path / "scans.zip", "w") as zf:
        zf.writestr("memo.png", memo_image("PNG"))
        zf.writestr("logo.png", logo_png())

    results = scan(tmp_path)
    for name, member in (("pasted-scan.docx", "image1.png"), ("mail.eml", "memo.jpg"), ("scans.zip", "memo.png")):
        result = results[name]
        assert result.assessment is Assessment.MARKED_CUI, name
        assert not [f for f in result.findings if f.rule_id == "SCAN-001"], name   # the logo is no failure
    docs = extract_file(str(tmp_path / "mail.eml"))
    memo = next(d for d in docs if d.member == "memo.jpg")
    logo = next(d for d in docs if d.member == "logo.png")
    assert edges(memo, 1) == ("CUI", "CUI") and memo.blocks[0].loc.member == "memo.jpg"
    assert (logo.blocks, logo.problems) == ((), ())   # inspected: an image with no text


def test_ocr_off_leaves_scans_unknown_with_one_finding_per_file(tmp_path):
    scanned_pdf(tmp_path / "scan.pdf")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.com", "b@example.com", "Site visit"
    msg.set_content("Directions to the site are in the pictures.")
    for n in range(3):
        msg.add_attachment(logo_png(), maintype="image", subtype="png", filename=f"pic{n}.png")
    (tmp_path / "mail.eml").write_bytes(msg.as_bytes())
    results = scan(tmp_path, ocr="off")
    pdf, mail = results["scan.pdf"], results["mail.eml"]
    # a title in the properties is not the page: nothing of the scan was read, so not "not-cui"
    assert pdf.assessment is Assessment.UNKNOWN
    assert [f.rule_id for f in pdf.findings] == ["SCAN-001"] and "OCR is off" in pdf.findings[0].message
    # the email is judged from its text; its three pictures are one finding with a count
    assert mail.assessment is Assessment.NOT_CUI and "not read: pic0.png, pic1.png, pic2.png" in mail.explanation
    [finding] = mail.findings
    assert finding.rule_id == "SCAN-001" and "3 x image not read (OCR is off)" in finding.message
    assert mail.images_skipped == 3 and pdf.images_skipped == 1


@pytest.mark.parametrize("take_away", ["wheel", "model"])
def test_missing_engine_is_a_clear_coverage_note(tmp_path, monkeypatch, take_away):
    (tmp_path / "memo.png").write_bytes(memo_image("PNG"))
    scanned_pdf(tmp_path / "scan.pdf")
    if take_away == "wheel":   # a platform with no tesserocr wheel: the import fails
        monkeypatch.setitem(sys.modules, "tesserocr", None)
        expected = "OCR engine not installed (pip install tesserocr"
    else:                      # a tree without models/ocr/eng.traineddata
        monkeypatch.setattr(ocr, "MODEL_DIR", tmp_path / "no-models")
        expected = "OCR model missing ("
    ocr.reset()
    try:
        results = scan(tmp_path)
    finally:
        monkeypatch.undo()
        ocr.reset()
    png, pdf = results["memo.png"], results["scan.pdf"]
    assert png.status is Status.FAILED and pdf.assessment is Assessment.UNKNOWN
    for result in (png, pdf):
        [finding] = result.findings
        assert expected in finding.message
    assert ocr.unavailable() is None   # given back


def test_force_replaces_a_bad_text_layer(tmp_path):
    from fpdf import FPDF
    from fpdf.enums import TextMode

    picture = tmp_path / "page.png"
    picture.write_bytes(memo_image("PNG"))
    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.image(str(picture), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.set_font("Helvetica", size=10)
    pdf.text_mode = TextMode.INVISIBLE   # what a poor scanner's OCR layer looks like
    pdf.text(20, 40, "Cul l0 rn ooo")
    pdf.output(str(tmp_path / "layered.pdf"))
    auto = extract_file(str(tmp_path / "layered.pdf"))[0]
    force = extract_file(str(tmp_path / "layered.pdf"), ocr="force")[0]
    assert [b.text for b in auto.blocks if b.loc.zone is not Zone.METADATA] == ["Cul l0 rn ooo"]
    assert edges(force, 1) == ("CUI", "CUI") and all(b.loc.ocr is not None for b in force.blocks)


def test_page_budget_stops_ocr_with_a_note(tmp_path):
    path = scanned_pdf(tmp_path / "long.pdf", pages=3)
    [doc] = extract_file(str(path), Limits(ocr_pages=1))
    assert {b.loc.page for b in doc.blocks if b.loc.ocr is not None} == {1}
    assert [(p.reason, p.message) for p in doc.problems] == [
        ("limit", "scanned pages 2-3 not OCRed (OCR page budget spent (1 per file))")]


def test_config_and_command_line_choose_the_mode(tmp_path):
    from cuiscan.errors import ConfigError
    from cuiscan.settings import settings_from_mapping

    assert settings_from_mapping({"ocr": "off", "limits": {"ocr_pages": 5, "ocr_seconds": 9}}).ocr == "off"
    with pytest.raises(ConfigError, match="ocr = .sometimes. is not allowed"):
        settings_from_mapping({"ocr": "sometimes"})


@pytest.mark.parametrize("text, fixed", [("(CUD The test", "(CUI) The test"), ("(CUI//SP-CTD Drawings", "(CUI//SP-CTI) Drawings"),
                                        ("Cul", "CUI"), ("CuI//SP-CTI", "CUI//SP-CTI"), ("Culture of safety", None),
                                        ("(CUI) fine", None)])
def test_repairs_of_known_misreadings_are_narrow_and_lower_confidence(text, fixed):
    out, confidence = ocr.repair(text, 0.95)
    assert (out, confidence) == ((fixed, ocr.REPAIRED_CONFIDENCE) if fixed else (text, 0.95))


def test_hostile_images_are_problems_not_crashes():
    from PIL import Image

    from cuiscan.extractors import extract_source
    from cuiscan.extractors.base import Source

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")   # 400 M pixels in 48 KB
    bomb = buf.getvalue()
    buf = io.BytesIO()
    Image.new("L", (400, 300), 255).save(buf, "PNG")
    cut = buf.getvalue()[:200]
    reasons = {}
    for name, data in (("bomb.png", bomb), ("cut.png", cut), ("junk.png", b"\x89PNG\r\n\x1a\n" + b"x" * 500)):
        [doc] = extract_source(Source(name=name, data=data), Limits())
        assert doc.blocks == (), name
        reasons[name] = [p.reason for p in doc.problems]
    assert reasons == {"bomb.png": ["limit"], "cut.png": ["corrupt"], "junk.png": ["corrupt"]}


def office_files_with_a_pasted_scan(folder: Path) -> list[str]:
    """The same pasted scan and a logo in every office format, each written by its real library (ODF:
    a package written per the ODF 1.3 spec, opened by LibreOffice as shown)."""
    import docx
    import openpyxl
    import pptx
    from openpyxl.drawing.image import Image as SheetImage
    from pptx.util import Inches

    from ocr_builders import odf_with_pictures

    text = "The signed memo is pasted below."
    d = docx.Document()
    d.add_paragraph(text)
    d.add_picture(io.BytesIO(memo_image("PNG")))
    d.add_picture(io.BytesIO(logo_png()))
    d.save(folder / "memo.docx")

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_textbox(Inches(0.5), Inches(0.2), Inches(8), Inches(0.5)).text_frame.text = text
    slide.shapes.add_picture(io.BytesIO(memo_image("PNG")), Inches(1), Inches(1), height=Inches(6))
    slide.shapes.add_picture(io.BytesIO(logo_png()), Inches(7), Inches(1))
    deck.save(folder / "deck.pptx")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = text
    sheet.add_image(SheetImage(io.BytesIO(memo_image("PNG"))), "A3")
    sheet.add_image(SheetImage(io.BytesIO(logo_png())), "N3")
    book.save(folder / "book.xlsx")

    pictures = {"memo.png": memo_image("PNG"), "logo.png": logo_png()}
    for kind in ("odt", "ods", "odp"):
        # the thumbnail is a picture of page 1 as LibreOffice stores one: never OCRed (its text is read already)
        thumbnail = memo_image("PNG", banner_top="SECRET", banner_bottom="SECRET")
        (folder / f"pasted.{kind}").write_bytes(odf_with_pictures(kind, text, pictures, thumbnail))
    return ["memo.docx", "deck.pptx", "book.xlsx", "pasted.odt", "pasted.ods", "pasted.odp"]


def test_pictures_inside_every_office_format_are_read(tmp_path):
    names = office_files_with_a_pasted_scan(tmp_path)
    results = scan(tmp_path)
    for name in names:
        result = results[name]
        assert result.assessment is Assessment.MARKED_CUI, name
        assert not [f for f in result.findings if f.rule_id in ("SCAN-001", "SPILL-001")], name
        assert (result.ocr_pages, result.images_skipped) == (2, 0), name   # the scan and the logo
        docs = extract_file(str(tmp_path / name))
        scans = [d for d in docs if d.ftype == "image" and d.blocks]
        assert len(scans) == 1 and edges(scans[0], 1) == ("CUI", "CUI"), name
        assert not [d for d in docs if d.member and "thumbnail" in d.member], name


def test_pictures_inside_office_files_with_ocr_off_are_one_finding_per_file(tmp_path):
    names = office_files_with_a_pasted_scan(tmp_path)
    results = scan(tmp_path, ocr="off")
    for name in names:
        result = results[name]
        [finding] = result.findings
        assert finding.rule_id == "SCAN-001" and "2 parts not read: 2 x image not read (OCR is off)" in finding.message, name
        assert (result.ocr_pages, result.images_skipped) == (0, 2), name
        assert result.assessment is Assessment.NOT_CUI, name   # judged from its text, unread parts listed
