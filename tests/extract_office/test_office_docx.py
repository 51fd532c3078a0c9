from __future__ import annotations

import docx

from cuiscan.records import Zone


def _blocks(doc, zone=None, **where):
    out = []
    for b in doc.blocks:
        if zone is not None and b.loc.zone is not zone:
            continue
        if all(getattr(b.loc, k, getattr(b, k, None)) == v for k, v in where.items()):
            out.append(b)
    return out


def _texts(doc, zone=None, **where):
    return [b.text for b in _blocks(doc, zone, **where)]


def test_body_paragraphs_in_order_with_title_and_heading(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    assert doc.problems == ()
    assert doc.ftype == "docx"
    title = _blocks(doc, Zone.TITLE)
    assert [(b.text, b.kind) for b in title] == [("Quarterly Engineering Report", "heading")]
    body = _blocks(doc, Zone.BODY)
    assert body[0].text == "Scope" and body[0].kind == "heading"
    assert body[1].text == "Body text in section one." and body[1].kind == "paragraph"
    assert body[-1].text == "Body text in section two."
    orders = [b.order for b in doc.blocks]
    assert orders == sorted(orders)


def test_title_zone_only_for_first_paragraph(tmp_path, extract):
    d = docx.Document()
    d.add_paragraph("Opening line")
    d.add_paragraph("Late Title", style="Title")
    path = tmp_path / "t.docx"
    d.save(path)
    doc = extract(path, "docx")
    assert _texts(doc, Zone.TITLE) == []
    late = _blocks(doc, Zone.BODY)[1]
    assert (late.text, late.kind) == ("Late Title", "heading")


def test_struck_paragraph_only_when_every_run_is_struck(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    by_text = {b.text: b for b in _blocks(doc, Zone.BODY)}
    assert by_text["CUI  DECONTROLLED"].struck is True
    assert by_text["Partly struck"].struck is False
    assert by_text["Body text in section one."].struck is False


def test_double_strike_and_style_strike_count(tmp_path, extract):
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("dstrike run").font.double_strike = True
    style = d.styles.add_style("Gone", WD_STYLE_TYPE.CHARACTER)
    style.font.strike = True
    d.add_paragraph().add_run("styled strike", style="Gone")
    off = d.add_paragraph().add_run("explicitly not struck", style="Gone")
    off.font.strike = False
    path = tmp_path / "s.docx"
    d.save(path)
    struck = {b.text: b.struck for b in extract(path, "docx").blocks if b.loc.zone is Zone.BODY}
    assert struck == {"dstrike run": True, "styled strike": True, "explicitly not struck": False}


def test_hidden_text_is_split_out_and_flagged(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    visible = [b for b in doc.blocks if b.text == "Visible words "]
    hidden = [b for b in doc.blocks if b.text == "secret hidden words"]
    assert len(visible) == 1 and visible[0].hidden is False
    assert len(hidden) == 1 and hidden[0].hidden is True and hidden[0].loc.zone is Zone.BODY


def test_table_cells_and_text_box(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    assert [(b.text, b.kind) for b in doc.blocks if b.kind == "table"] == [("Cell A1", "table"), ("Cell B2", "table")]
    boxes = [b for b in doc.blocks if b.kind == "textbox"]
    # Word writes each text box twice (DrawingML and the VML fallback): it must appear once.
    assert [(b.text, b.loc.zone) for b in boxes] == [("CUI in a text box", Zone.BODY)]
    anchor = next(b for b in doc.blocks if b.text == "Anchor paragraph")
    assert boxes[0].order == anchor.order + 1


def test_tracked_insertions_kept_deletions_dropped(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    assert "Kept inserted text" in _texts(doc, Zone.BODY)
    assert not any("deleted text" in b.text for b in doc.blocks)


def test_headers_per_section_and_variant(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    headers = {(b.loc.section, b.variant, b.text) for b in _blocks(doc, Zone.HEADER)}
    assert headers == {
        (1, "default", "CUI default header"),
        (1, "first", "CUI first-page header"),
        (1, "even", "CUI even header"),
        # Section 2 has no header of its own and no titlePg: it prints section 1's default and even.
        (2, "default", "CUI default header"),
        (2, "even", "CUI even header"),
    }
    footers = {(b.loc.section, b.variant, b.text) for b in _blocks(doc, Zone.FOOTER)}
    assert footers == {(1, "default", "Section one footer"), (2, "default", "Section two footer")}
    assert doc.fact("sections") == 2
    assert doc.fact("first_page_sections") == (1,)
    assert doc.fact("even_odd_headers") is True


def test_first_and_even_variants_only_when_switched_on(tmp_path, extract):
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "default only"
    section.first_page_header.paragraphs[0].text = "first, but titlePg is off"
    section.even_page_header.paragraphs[0].text = "even, but evenAndOddHeaders is off"
    section.different_first_page_header_footer = False
    d.add_paragraph("x")
    path = tmp_path / "v.docx"
    d.save(path)
    doc = extract(path, "docx")
    assert [(b.variant, b.text) for b in _blocks(doc, Zone.HEADER)] == [("default", "default only")]
    assert doc.fact("sections") == 1 and doc.fact("even_odd_headers") is False


def test_comments_and_core_properties(sample_docx, extract):
    doc = extract(sample_docx, "docx")
    notes = _blocks(doc, Zone.NOTES)
    assert [(b.text, b.kind) for b in notes] == [("Reviewer: this is CUI//SP-CTI", "comment")]
    props = {b.variant: b.text for b in _blocks(doc, Zone.METADATA)}
    assert props["title"] == "Prop Title"
    assert props["subject"] == "Prop Subject"
    assert props["keywords"] == "CUI, CTI"
    assert props["description"] == "Prop Description"
    assert all(b.kind == "property" for b in _blocks(doc, Zone.METADATA))


def test_text_box_and_watermark_in_header_keep_header_zone(tmp_path, extract, textbox_xml):
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("body")
    header_para = d.sections[0].header.paragraphs[0]
    header_para._p.append(parse_xml(textbox_xml("CUI boxed banner")))
    header_para._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape>'
        '<v:textpath string="CUI WATERMARK"/></v:shape></w:pict></w:r>'))
    path = tmp_path / "h.docx"
    d.save(path)
    doc = extract(path, "docx")
    header = [(b.text, b.kind, b.loc.section, b.variant) for b in _blocks(doc, Zone.HEADER)]
    assert header == [("CUI boxed banner", "textbox", 1, "default"), ("CUI WATERMARK", "textbox", 1, "default")]
