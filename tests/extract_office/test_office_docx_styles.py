"""Styles read on demand (word_styles.py): the fragment lookup must see exactly what a whole-part
parse sees, and any styles part it cannot read plainly must go to the whole-part parse."""
from __future__ import annotations

import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from cuiscan.extractors import extract_file
from cuiscan.extractors.ooxml import parse_part
from cuiscan.extractors.word_styles import Styles, _Fragments, _Parsed
from cuiscan.records import Zone

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _styled_docx(path):
    """python-docx's real template plus a chain: Secret (paragraph) -> Veiled (hidden) -> Normal."""
    d = docx.Document()
    veiled = d.styles.add_style("Veiled", WD_STYLE_TYPE.PARAGRAPH)
    veiled.font.hidden = True
    veiled.base_style = d.styles["Normal"]
    secret = d.styles.add_style("Secret", WD_STYLE_TYPE.PARAGRAPH)
    secret.base_style = veiled
    struck = d.styles.add_style("Struck", WD_STYLE_TYPE.CHARACTER)
    struck.font.strike = True
    d.add_paragraph("Program Plan", style="Title")
    d.add_heading("Scope", level=2)
    d.add_paragraph("inherited hidden words", style="Secret")
    d.add_paragraph().add_run("struck by style", style="Struck")
    d.add_paragraph("plain words")
    d.save(path)
    return path


def _body(path):
    [doc] = extract_file(str(path), ftype="docx")
    assert not doc.problems
    return {b.text: (b.loc.zone, b.kind, b.hidden, b.struck) for b in doc.blocks if b.text}


def _with_styles(src, out, edit):
    original = zipfile.ZipFile(src)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in original.infolist():
            data = original.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == "word/styles.xml" else data)
    return out


def test_fragment_lookup_resolves_every_style_as_the_whole_parse_does(tmp_path):
    data = zipfile.ZipFile(_styled_docx(tmp_path / "s.docx")).read("word/styles.xml")
    fragments = _Fragments.of(data, "word/styles.xml")
    whole = _Parsed(parse_part(data, "word/styles.xml"))
    assert fragments is not None
    ids = set(whole._by_id)
    assert len(ids) > 100 and {"Secret", "Veiled", "Struck", "Heading2"} <= ids
    on_demand, parsed = Styles(fragments), Styles(whole)
    for sid in sorted(ids) + ["NoSuchStyle", ""]:
        assert on_demand.get(sid) == parsed.get(sid), sid
    assert on_demand.get("Secret").vanish is True and on_demand.get("Heading2").level == "heading"


def test_only_the_styles_a_document_uses_are_parsed(tmp_path):
    path = _styled_docx(tmp_path / "s.docx")
    data = zipfile.ZipFile(path).read("word/styles.xml")
    fragments = _Fragments.of(data, "word/styles.xml")
    Styles(fragments).get("Secret")
    assert set(fragments._parsed) == {"Secret", "Veiled", "Normal"}


def _commented(data):
    return data.replace(b'<w:style ', b'<!-- <w:style w:styleId="Decoy"/> --><w:style ', 1)


def _default_namespace(data):
    return data.replace(b'xmlns:w="%s"' % W_NS.encode(), b'xmlns="%s" xmlns:w="%s"' % ((W_NS.encode(),) * 2), 1)


def _escaped_id(data):
    return data.replace(b'w:styleId="Secret"', b'w:styleId="Sec&#114;et"')


def _redeclared(data):
    return data.replace(b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Secret"',
                        b'<w:style xmlns:q="urn:x" w:type="paragraph" w:customStyle="1" w:styleId="Secret"')


@pytest.mark.parametrize("edit", [_commented, _default_namespace, _escaped_id, _redeclared])
def test_a_styles_part_out_of_the_plain_form_gets_the_whole_parse(edit, tmp_path):
    plain = _styled_docx(tmp_path / "plain.docx")
    edited = _with_styles(plain, tmp_path / "edited.docx", edit)
    data = zipfile.ZipFile(edited).read("word/styles.xml")
    assert data != zipfile.ZipFile(plain).read("word/styles.xml")
    assert _Fragments.of(data, "word/styles.xml") is None
    assert _body(edited) == _body(plain)


def test_both_ways_read_the_same_blocks(tmp_path):
    plain = _styled_docx(tmp_path / "plain.docx")
    whole = _with_styles(plain, tmp_path / "whole.docx", _commented)
    blocks = _body(plain)
    assert blocks == _body(whole)
    assert blocks["inherited hidden words"][2] is True
    assert blocks["struck by style"][3] is True
    assert blocks["Program Plan"][0] is Zone.TITLE and blocks["Scope"][1] == "heading"


def test_a_style_that_does_not_parse_alone_is_judged_on_the_whole_part(tmp_path):
    plain = _styled_docx(tmp_path / "plain.docx")
    broken = _with_styles(plain, tmp_path / "broken.docx",
                          lambda d: d.replace(b'w:styleId="Veiled">', b'w:styleId="Veiled"><w:oops>', 1))
    [doc] = extract_file(str(broken), ftype="docx")
    assert [p.reason for p in doc.problems] == ["corrupt"]
    assert "word/styles.xml" in doc.problems[0].message


def test_a_based_on_loop_ends(tmp_path):
    plain = _styled_docx(tmp_path / "plain.docx")
    looped = _with_styles(plain, tmp_path / "loop.docx",    # Secret -> Veiled -> Secret -> ...
                          lambda d: d.replace(b'<w:basedOn w:val="Normal"/>', b'<w:basedOn w:val="Secret"/>'))
    data = zipfile.ZipFile(looped).read("word/styles.xml")
    assert Styles(_Fragments.of(data, "word/styles.xml")).get("Secret").vanish is True
    assert _body(looped)["inherited hidden words"][2] is True
