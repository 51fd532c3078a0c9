"""Normalisation: one text, many layouts, the same words and the same fingerprints."""
from __future__ import annotations

import textwrap

import pytest
from deriv_builders import excerpt

from cuiscan.derivatives import doc_prints
from cuiscan.derivatives.normalize import words_of
from cuiscan.records import ExtractedDoc, Location, TextBlock, Zone

PASSAGE = excerpt(2)


def _doc(texts, kind="paragraph", zone=Zone.BODY, variant=None) -> ExtractedDoc:
    blocks = tuple(TextBlock(text=t, loc=Location(zone=zone, line=i + 1), order=i, kind=kind, variant=variant)
                   for i, t in enumerate(texts))
    return ExtractedDoc(ftype="txt", member=None, blocks=blocks)


def _hashes(doc: ExtractedDoc) -> bytes:
    [dp] = doc_prints([doc])
    return dp.hashes


@pytest.mark.parametrize("a, b", [
    ("The SYSTEM, shall: report!", "the system shall report"),
    ("speci-\nfication of the high-\ntemperature loop", "specification of the high-temperature loop"),
    ("> quoted text\n>> deeper quote", "quoted text deeper quote"),
    ("\u2022 first bullet\n- second bullet\n3. third item\n(b) fourth", "first bullet second bullet third item fourth"),
    ("(CUI) The pump is rated. (CUI//SP-CTI) The valve opens.", "The pump is rated. The valve opens."),
    ("\ufb01lter\u00a0o\ufb00set \u201cquoted\u201d don\u2019t", "filter offset quoted dont"),
    ("soft\u00adhyphen and MIL\u2010STD\u2011810", "softhyphen and MIL-STD-810"),
])
def test_layout_noise_gives_the_same_words(a, b):
    assert words_of(a) == words_of(b)


def test_reflow_bullets_and_quoting_give_the_same_fingerprints():
    paragraph = _doc([PASSAGE])
    lines = _doc(textwrap.wrap(PASSAGE, 40), kind="line")
    quoted = _doc(["> " + line for line in textwrap.wrap(PASSAGE, 60)], kind="line")
    words = PASSAGE.split()
    bullets = _doc(["\u2022 " + " ".join(words[i:i + 7]) for i in range(0, len(words), 7)])
    shouted = _doc([PASSAGE.upper().replace(",", " ,")])
    expected = _hashes(paragraph)
    assert all(_hashes(d) == expected for d in (lines, quoted, bullets, shouted))


def test_running_headers_metadata_and_template_text_are_not_content():
    body = TextBlock(text=PASSAGE, loc=Location(), order=0)
    noise = (TextBlock(text="Acme Corp Quarterly Report Template Placeholder Title", loc=Location(zone=Zone.HEADER),
                       order=1),
             TextBlock(text="author: somebody important at the company office", loc=Location(zone=Zone.METADATA),
                       order=2, kind="property"),
             TextBlock(text="Click to add the presentation title text here", loc=Location(), order=3,
                       variant="layout"))
    with_noise = ExtractedDoc(ftype="docx", member=None, blocks=(body, *noise))
    assert _hashes(with_noise) == _hashes(_doc([PASSAGE]))
    # PDF lines tagged header/footer are a guess from their position: they stay content.
    pdf_line = TextBlock(text=PASSAGE, loc=Location(zone=Zone.HEADER, page=1, line=1), order=0, kind="line")
    assert doc_prints([ExtractedDoc(ftype="pdf", member=None, blocks=(pdf_line,))])


def test_too_little_text_has_no_fingerprints():
    assert doc_prints([_doc(["CUI"]), _doc([]), _doc(["four words only here"])]) == ()
