"""Documents that only share a topic or standard boilerplate with a source are not derivatives."""
from __future__ import annotations

import pytest
from deriv_linking import check, inspected
from deriv_builders import (
    DI_BLOCK, DISTRIBUTION_D, EXPORT_WARNING, LETTERHEAD, MEMO_PARAGRAPHS, SPEC_PARAGRAPHS, UNRELATED_SAME_TOPIC,
    docx_with, eml_with, excerpt, marked_spec_docx, pdf_text,
)

from cuiscan.derivatives import decode_prints
from cuiscan.derivatives.matcher import find_sources
from cuiscan.records import Assessment


@pytest.fixture
def spec(tmp_path, linker):
    path = marked_spec_docx(tmp_path / "spec.docx")
    check(linker, inspected(path, Assessment.MARKED_CUI, ("CTI",)))
    return path


def _flagged(result) -> bool:
    return any(f.rule_id == "DERIV-001" for f in result.findings) or result.assessment is Assessment.DERIVATIVE


def test_unrelated_document_on_the_same_topic(tmp_path, linker, spec):
    result = check(linker, inspected(docx_with(tmp_path / "article.docx", UNRELATED_SAME_TOPIC),
                                      Assessment.NOT_CUI))
    assert not _flagged(result) and result.assessment is Assessment.NOT_CUI


def test_same_boilerplate_different_content(tmp_path, linker, spec):
    """Letterhead, DI block, distribution statement D (same reason, date and office) and the export
    warning, all as body text, in a marked memo: not a derivative of the spec, nor the spec of it."""
    memo = docx_with(tmp_path / "memo.docx", [LETTERHEAD, *DI_BLOCK, DISTRIBUTION_D, EXPORT_WARNING,
                                              *MEMO_PARAGRAPHS])
    result = check(linker, inspected(memo, Assessment.NOT_CUI))
    assert not _flagged(result)
    # The other way round: the memo as a marked source, the spec's boilerplate in an unmarked file.
    check(linker, inspected(marked_spec_docx(tmp_path / "memo-marked.docx", paragraphs=MEMO_PARAGRAPHS,
                                              title="Quarterly review"), Assessment.MARKED_CUI, ("CTI",)))
    letter = pdf_text(tmp_path / "letter.pdf", [LETTERHEAD, DISTRIBUTION_D, EXPORT_WARNING,
                                                "Please find our invoice for March enclosed."])
    assert not _flagged(check(linker, inspected(letter, Assessment.NOT_CUI)))


def test_boilerplate_alone_gives_no_passage(tmp_path, linker, spec):
    """Even scored without any threshold, the shared boilerplate never forms a passage of 20 words."""
    from cuiscan.derivatives.matcher import Thresholds

    path = eml_with(tmp_path / "fwd.eml", "\n".join([LETTERHEAD, *DI_BLOCK, DISTRIBUTION_D, EXPORT_WARNING]))
    prints = decode_prints(inspected(path, Assessment.NOT_CUI).prints)
    hits = find_sources(prints, linker.index, Thresholds(min_words=20, min_share=1.0))
    assert hits == []


def test_short_quote_below_the_threshold(tmp_path, linker, spec):
    """One sentence (about 25 words) is not 'a passage of about 40 words'."""
    sentence = excerpt(1).split(". ")[1] + "."
    assert 15 <= len(sentence.split()) <= 30
    path = eml_with(tmp_path / "short.eml", "FYI, from the spec: " + sentence + "\n\nSam")
    assert not _flagged(check(linker, inspected(path, Assessment.NOT_CUI)))


def test_threshold_comes_from_settings(tmp_path, conn, spec):
    """derivative_min_words is the passage length: the same 25-word quote counts at 20 words."""
    from cuiscan.derivatives import LinkOptions, Linker
    from cuiscan.settings import Settings

    strict = Linker(conn, LinkOptions.from_settings(Settings(derivative_min_words=20)))
    strict.ensure_schema()
    sentence = excerpt(1).split(". ")[1] + "."
    path = eml_with(tmp_path / "short.eml", "FYI, from the spec: " + sentence + "\n\nSam")
    assert _flagged(check(strict, inspected(path, Assessment.NOT_CUI)))


def test_short_source_copied_whole_counts_but_a_generic_line_does_not(tmp_path, linker):
    """30 words copied whole are 'a set share of the source' although shorter than 40 words; a
    marked two-line cover note is too generic to match anything by share alone."""
    short = " ".join(SPEC_PARAGRAPHS[1].split()[:30])
    check(linker, inspected(docx_with(tmp_path / "short.docx", [short], header="CUI"),
                             Assessment.MARKED_CUI, ("CTI",)))
    copy = check(linker, inspected(eml_with(tmp_path / "copy.eml", "FYI\n\n" + short + "\n\nSam"),
                                    Assessment.NOT_CUI))
    [finding] = [f for f in copy.findings if f.rule_id == "DERIV-001"]
    assert "100% of the source" in finding.message

    note = "Please find attached the test report for review. Regards, John Smith, Program Manager"
    check(linker, inspected(docx_with(tmp_path / "cover.docx", [note], header="CUI"),
                             Assessment.MARKED_CUI, ("CTI",)))
    reply = eml_with(tmp_path / "other.eml", "Hello,\n\n" + note + "\n")
    assert not _flagged(check(linker, inspected(reply, Assessment.NOT_CUI)))
