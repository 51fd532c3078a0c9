"""Real Office files built with python-docx, python-pptx and openpyxl, plus the XML those libraries
cannot write (text boxes, tracked changes, scaled groups, layout text boxes), injected as Office does.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from cuiscan.extractors import extract_file
from cuiscan.records import ExtractedDoc

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def extract_one(path: Path, ftype: str) -> ExtractedDoc:
    docs = extract_file(str(path), ftype=ftype)
    assert len(docs) == 1
    return docs[0]


@pytest.fixture
def extract():
    return extract_one


@pytest.fixture
def textbox_xml():
    return textbox_run_xml


def textbox_run_xml(text: str) -> str:
    """A run holding a text box the way Word 2010+ writes it: DrawingML choice + VML fallback."""
    box = f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
    return (
        f'<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
        f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>'
        f'</mc:Fallback></mc:AlternateContent></w:r>'
    )


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("Quarterly Engineering Report", style="Title")
    d.add_heading("Scope", level=1)
    d.add_paragraph("Body text in section one.")
    struck = d.add_paragraph()
    struck.add_run("CUI").font.strike = True
    struck.add_run("  ")
    struck.add_run("DECONTROLLED").font.strike = True
    partly = d.add_paragraph("Partly ")
    partly.add_run("struck").font.strike = True
    mixed = d.add_paragraph("Visible words ")
    mixed.add_run("secret hidden words").font.hidden = True
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Cell A1"
    table.cell(1, 1).text = "Cell B2"
    boxed = d.add_paragraph("Anchor paragraph")
    boxed._p.append(parse_xml(textbox_run_xml("CUI in a text box")))
    tracked = d.add_paragraph("Kept ")
    tracked._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:t>inserted text</w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="2" w:author="a"><w:r><w:delText>deleted text</w:delText></w:r></w:del>'))
    commented = d.add_paragraph("Commented paragraph")
    d.add_comment(commented.runs, text="Reviewer: this is CUI//SP-CTI", author="QA")

    first = d.sections[0]
    first.header.paragraphs[0].text = "CUI default header"
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "CUI first-page header"
    d.settings.odd_and_even_pages_header_footer = True
    first.even_page_header.paragraphs[0].text = "CUI even header"
    first.footer.paragraphs[0].text = "Section one footer"

    second = d.add_section()
    second.different_first_page_header_footer = False
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "Section two footer"
    d.add_paragraph("Body text in section two.")

    props = d.core_properties
    props.title = "Prop Title"
    props.subject = "Prop Subject"
    props.keywords = "CUI, CTI"
    props.comments = "Prop Description"
    path = tmp_path / "sample.docx"
    d.save(path)
    return path


def _layout_textbox_xml(text: str, y: int, cy: int, shape_id: int = 90) -> str:
    return (
        '<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<p:nvSpPr><p:cNvPr id="{shape_id}" name="Banner"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="0" y="{y}"/><a:ext cx="9144000" cy="{cy}"/></a:xfrm></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>'
    )


@pytest.fixture
def sample_pptx(tmp_path: Path) -> Path:
    import pptx
    from pptx.util import Emu, Inches

    prs = pptx.Presentation()
    height = prs.slide_height
    for ph in prs.slide_master.placeholders:
        if ph.placeholder_format.type == 15:   # FOOTER
            ph.text_frame.text = "CUI master footer"
    # A banner text box on the "Blank" layout: prints on every slide that uses that layout.
    blank = prs.slide_layouts[6]
    blank.shapes._spTree.append(etree.fromstring(_layout_textbox_xml("LAYOUT BANNER", 0, 300000)))

    s1 = prs.slides.add_slide(prs.slide_layouts[0])
    s1.shapes.title.text = "Program Review"
    s1.placeholders[1].text = "A subtitle that is long enough to be body text, well beyond sixty characters."
    top = s1.shapes.add_textbox(Inches(4), Emu(int(height * 0.02)), Inches(2), Emu(int(height * 0.06)))
    top.text_frame.text = "CUI"
    bottom = s1.shapes.add_textbox(Inches(4), Emu(int(height * 0.90)), Inches(2), Emu(int(height * 0.06)))
    bottom.text_frame.text = "CUI"
    middle = s1.shapes.add_textbox(Inches(4), Emu(int(height * 0.45)), Inches(2), Emu(int(height * 0.06)))
    middle.text_frame.text = "mid-slide note"

    s2 = prs.slides.add_slide(blank)
    group = s2.shapes.add_group_shape()
    inner = group.shapes.add_textbox(Inches(1), Inches(1), Inches(3), Inches(1))
    inner.text_frame.text = "Grouped text"
    # Scale the group: child space 0..1000 vertical maps onto the bottom band of the slide.
    xfrm = group._element.grpSpPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm")
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    xfrm.find(a + "off").set("y", str(int(height * 0.88)))
    xfrm.find(a + "ext").set("cy", str(int(height * 0.10)))
    xfrm.find(a + "chOff").set("y", "0")
    xfrm.find(a + "chExt").set("cy", "1000")
    inner._element.spPr.find(a + "xfrm").find(a + "off").set("y", "200")
    inner._element.spPr.find(a + "xfrm").find(a + "ext").set("cy", "500")
    table = s2.shapes.add_table(2, 2, Inches(1), Emu(int(height * 0.3)), Inches(4),
                                Emu(int(height * 0.2))).table
    table.cell(0, 0).text = "Table top-left"
    table.cell(1, 1).text = "Table bottom-right"
    s2.notes_slide.notes_text_frame.text = "Speaker notes mention CUI//SP-PRVCY"

    s3 = prs.slides.add_slide(prs.slide_layouts[1])
    s3.shapes.title.text = "Backup slide"
    s3._element.set("show", "0")

    s4 = prs.slides.add_slide(blank)
    s4._element.set("showMasterSp", "0")   # hides layout/master graphics on this slide
    path = tmp_path / "sample.pptx"
    prs.save(path)
    return path


@pytest.fixture
def sample_xlsx(tmp_path: Path) -> Path:
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Name", "Program", None, 42])
    ws.append([])
    ws.append([None, "Only B3", True])
    ws["C1"].comment = Comment("Reviewer: CUI//SP-EXPT", "QA")
    ws.row_dimensions[5].hidden = True
    ws["A5"] = "hidden row text"
    ws.oddHeader.center.text = "CUI"
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddFooter.left.text = "Page &P of &N"
    ws.oddFooter.right.text = "CUI && Co"
    ws.evenHeader.center.text = "even header not printed"   # differentOddEven is off

    second = wb.create_sheet("Pages")
    second["A1"] = "Second sheet"
    second.HeaderFooter.differentFirst = True
    second.firstHeader.center.text = "CUI first page"
    second.oddHeader.center.text = "CUI odd"

    hidden = wb.create_sheet("Stash")
    hidden.sheet_state = "hidden"
    hidden["B2"] = "Hidden sheet text"
    path = tmp_path / "sample.xlsx"
    wb.save(path)
    return path
