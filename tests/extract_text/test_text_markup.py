"""html and rtf extraction on real files."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cuiscan.errors import ExtractionError
from cuiscan.extractors import extract_file
from cuiscan.extractors.base import Budget, DocContext, Source
from cuiscan.extractors.text import extract_html, extract_rtf, extract_text
from cuiscan.settings import Limits
from cuiscan.records import Zone


def extract_one(path, ftype=None):
    [doc] = extract_file(str(path), ftype=ftype)
    return doc


def zone_blocks(doc, zone):
    return [b for b in doc.blocks if b.loc.zone is zone]


def test_html_title_blocks_and_dropped_script(tmp_path):
    html = ("<!DOCTYPE html><html><head><title>CUI  Test   plan</title>"
            "<style>.x{content:'hidden style'}</style><script>var s='hidden script';</script></head>"
            "<body><h1>CUI</h1><p>Intro <b>bold</b> text\n  wrapped</p>"
            "<div>line one<br/>line two</div>"
            "<ul><li>alpha</li><li>beta</li></ul>"
            "<table><tr><td>A1</td><td>B1</td></tr></table>"
            "<pre>keep\n  spacing</pre><!-- a comment --><p>CUI</p></body></html>")
    path = tmp_path / "plan.html"
    path.write_text(html, encoding="utf-8")
    doc = extract_one(path)

    assert [b.text for b in zone_blocks(doc, Zone.TITLE)] == ["CUI Test plan"]
    assert [(b.loc.line, b.text) for b in zone_blocks(doc, Zone.BODY)] == [
        (1, "CUI"), (2, "Intro bold text wrapped"), (3, "line one"), (4, "line two"), (5, "alpha"),
        (6, "beta"), (7, "A1"), (8, "B1"), (9, "keep"), (10, "spacing"), (11, "CUI")]
    text = " ".join(b.text for b in doc.blocks)
    assert "hidden" not in text and "comment" not in text


def test_html_meta_charset_is_honoured(tmp_path):
    html = '<html><head><meta charset="windows-1252"><title>R\u00e9sum\u00e9</title></head><body><p>na\u00efve \u201cCUI\u201d</p></body></html>'
    path = tmp_path / "w.htm"
    path.write_bytes(html.encode("cp1252"))
    doc = extract_one(path, ftype="html")
    assert [b.text for b in doc.blocks] == ["R\u00e9sum\u00e9", "na\u00efve \u201cCUI\u201d"]


def test_deeply_nested_html_does_not_hit_the_recursion_limit(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 5000 + "CUI" + "</div>" * 5000, encoding="utf-8")
    doc = extract_one(path)
    assert doc.problems == ()
    assert [b.text for b in zone_blocks(doc, Zone.BODY)] == ["CUI"]


def test_rtf_body_header_and_footer(tmp_path):
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
           r"{\header\pard\qc CUI\par}"
           r"{\footerf\pard\qc CUI first page footer\par}"
           r"\pard First paragraph \{braces\}\par"
           r"\par "
           r"Caf\'e9 na\u239?ve\par"
           r"\pard CUI\par}")
    path = tmp_path / "memo.rtf"
    path.write_text(rtf, encoding="ascii")
    doc = extract_one(path)

    assert [(b.text, b.variant) for b in zone_blocks(doc, Zone.HEADER)] == [("CUI", "default")]
    assert [(b.text, b.variant) for b in zone_blocks(doc, Zone.FOOTER)] == [("CUI first page footer", "first")]
    assert [(b.loc.line, b.text) for b in zone_blocks(doc, Zone.BODY)] == [
        (1, "First paragraph {braces}"), (3, "Caf\u00e9 na\u00efve"), (4, "CUI")]


@pytest.mark.parametrize("data", [b"", b"plain text pretending to be rtf", b"{\\rtf1 unterminated {\\header CUI"])
def test_bad_rtf_never_crashes(tmp_path, data):
    path = tmp_path / "bad.rtf"
    path.write_bytes(data)
    doc = extract_one(path, ftype="rtf")
    if not data.startswith(b"{\\rtf"):
        assert [p.reason for p in doc.problems] == ["corrupt"]
    else:
        assert doc.problems == () and [b.text for b in doc.blocks] == ["unterminated"]


_MARKUP = st.sampled_from(["<", ">", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<!DOCTYPE x [", "]>",
                           "\"", "'", "&amp;", "&#xFFFFFFF;", "&#99999999;", "<p>", "</p>", "<br>", "<pre>",
                           "<blockquote>", "<script>", "\n", "\r", "CUI", "{\\rtf1", "{\\header", "}", "{", "\\par "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_MARKUP | st.text(max_size=8), max_size=40))
def test_markup_soup_never_crashes_the_extractors(parts):
    data = "".join(parts).encode("utf-8", "surrogatepass")
    for extractor, ftype in ((extract_text, "xml"), (extract_html, "html"), (extract_rtf, "rtf")):
        ctx = DocContext(ftype=ftype, member=None, depth=0, budget=Budget(Limits()))
        try:
            extractor(Source(name=f"x.{ftype}", data=data), ctx)
        except ExtractionError:
            pass


def test_html_over_the_markup_cap_is_cut_with_a_limit_problem(tmp_path):
    path = tmp_path / "big.html"
    path.write_text("<p>CUI</p>" + "<p>filler paragraph</p>" * 50 + "<p>LAST</p>", encoding="utf-8")
    [doc] = extract_file(str(path), Limits(max_text=100))  # markup read up to 4 bytes a character
    assert [p.reason for p in doc.problems] == ["limit"]
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "CUI" and "LAST" not in texts
