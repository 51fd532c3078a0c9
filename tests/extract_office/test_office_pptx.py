from __future__ import annotations

import pptx
from pptx.util import Emu, Inches

from cuiscan.records import Zone


def _slide(doc, n):
    return [b for b in doc.blocks if b.loc.slide == n]


def _one(blocks, text):
    found = [b for b in blocks if b.text == text]
    assert len(found) == 1, (text, [b.text for b in blocks])
    return found[0]


def test_slide_count_title_and_position_zones(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    assert doc.problems == ()
    assert doc.pages == 4
    s1 = _slide(doc, 1)
    title = _one(s1, "Program Review")
    assert title.loc.zone is Zone.TITLE and title.kind == "shape"
    # The title placeholder has no position of its own: it sits where the layout puts it.
    assert title.top is not None and 0.0 < title.top < 0.5
    tops = [b for b in s1 if b.text == "CUI" and b.variant is None]
    assert sorted((round(b.top, 2), b.loc.zone) for b in tops) == [(0.02, Zone.HEADER), (0.9, Zone.FOOTER)]
    assert _one(s1, "mid-slide note").loc.zone is Zone.BODY
    subtitle = next(b for b in s1 if b.text.startswith("A subtitle"))
    assert subtitle.loc.zone is Zone.BODY   # long text is never a banner, wherever it sits


def test_master_footer_prints_on_every_slide_without_its_own(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    for n in (1, 2, 3, 4):
        footer = _one(_slide(doc, n), "CUI master footer")
        assert footer.loc.zone is Zone.FOOTER
        assert footer.variant in ("master", "layout")
        assert footer.top is not None and footer.top > 0.85


def test_slide_with_own_footer_placeholder_does_not_inherit(tmp_path, extract):
    prs = pptx.Presentation()
    for ph in prs.slide_master.placeholders:
        if ph.placeholder_format.type == 15:
            ph.text_frame.text = "MASTER FOOTER"
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    layout_footer = next(p for p in prs.slide_layouts[1].placeholders if p.placeholder_format.type == 15)
    slide.shapes.clone_placeholder(layout_footer)   # what Insert > Header & Footer does
    slide.shapes[-1].text_frame.text = "SLIDE FOOTER"
    path = tmp_path / "own.pptx"
    prs.save(path)
    blocks = extract(path, "pptx").blocks
    footer = _one(blocks, "SLIDE FOOTER")
    assert footer.loc.zone is Zone.FOOTER and footer.variant is None and footer.top > 0.85
    assert not any(b.text == "MASTER FOOTER" for b in blocks)


def test_layout_text_box_prints_unless_slide_hides_master_shapes(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    banner = _one(_slide(doc, 2), "LAYOUT BANNER")
    assert banner.variant == "layout" and banner.loc.zone is Zone.HEADER and banner.top == 0.0
    assert not any(b.text == "LAYOUT BANNER" for b in _slide(doc, 1))   # slide 1 uses another layout
    assert not any(b.text == "LAYOUT BANNER" for b in _slide(doc, 4))   # showMasterSp="0"


def test_group_shape_position_uses_group_transform(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    grouped = _one(_slide(doc, 2), "Grouped text")
    # child y=200 of 0..1000 inside a group at 0.88 with height 0.10 -> 0.90 of the slide
    assert abs(grouped.top - 0.90) < 0.001
    assert grouped.loc.zone is Zone.FOOTER


def test_table_cells_with_row_positions(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    s2 = _slide(doc, 2)
    first, last = _one(s2, "Table top-left"), _one(s2, "Table bottom-right")
    assert first.kind == last.kind == "table"
    assert first.loc.zone is Zone.BODY
    assert abs(first.top - 0.3) < 0.001 and last.top > first.top


def test_notes_and_hidden_slide(sample_pptx, extract):
    doc = extract(sample_pptx, "pptx")
    notes = [b for b in doc.blocks if b.loc.zone is Zone.NOTES]
    assert [(b.loc.slide, b.text) for b in notes] == [(2, "Speaker notes mention CUI//SP-PRVCY")]
    assert doc.fact("hidden_slides") == (3,)
    s3 = _slide(doc, 3)
    assert s3 and all(b.hidden for b in s3)
    assert _one(s3, "Backup slide").loc.zone is Zone.TITLE
    assert not any(b.hidden for b in _slide(doc, 1) + _slide(doc, 2))


def test_struck_shape_text(tmp_path, extract):
    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(3), Inches(4), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "CUI"
    run.font._rPr.set("strike", "sngStrike")
    plain = slide.shapes.add_textbox(Inches(1), Inches(4), Inches(4), Inches(1))
    plain.text_frame.text = "not struck"
    path = tmp_path / "strike.pptx"
    prs.save(path)
    blocks = extract(path, "pptx").blocks
    assert _one(blocks, "CUI").struck is True
    assert _one(blocks, "not struck").struck is False


def test_top_uses_custom_slide_height(tmp_path, extract):
    prs = pptx.Presentation()
    prs.slide_height = Emu(1000000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Emu(500000), Inches(4), Emu(100000))
    box.text_frame.text = "halfway"
    path = tmp_path / "size.pptx"
    prs.save(path)
    assert _one(extract(path, "pptx").blocks, "halfway").top == 0.5
