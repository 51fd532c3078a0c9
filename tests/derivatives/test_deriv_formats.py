"""Excerpts of a marked specification, pasted into other formats, are found with the right source."""
from __future__ import annotations

import pytest
from deriv_linking import check, inspected
from deriv_builders import (
    SPEC_PARAGRAPHS, chunks, docx_with, eml_with, excerpt, lightly_edited, marked_spec_docx, pdf_text,
    pptx_bullets, quoted_reply, textwrap, xlsx_rows,
)

from cuiscan.records import Assessment, Finding, Location, Severity, Zone


@pytest.fixture
def spec(tmp_path, linker):
    path = marked_spec_docx(tmp_path / "spec.docx")
    result = check(linker, inspected(path, Assessment.MARKED_CUI, ("CTI",)))
    assert result.assessment is Assessment.MARKED_CUI and not _deriv(result)
    return str(path)


def _deriv(result) -> list[Finding]:
    return [f for f in result.findings if f.rule_id == "DERIV-001"]


def _check_found(result, source: str, passage: str) -> Finding:
    [finding] = _deriv(result)
    assert result.assessment is Assessment.DERIVATIVE
    assert finding.severity is Severity.ERROR
    assert finding.categories == ("CTI",) and "CTI" in result.categories
    assert source in finding.evidence and source in finding.message
    assert "% of the source matched" in finding.evidence
    assert finding.fingerprint and finding.match_digest
    # Evidence and message name the source and the share, never the text.
    words = [w for w in passage.split() if len(w) > 6]
    assert not any(w in finding.evidence or w in finding.message for w in words)
    return finding


def test_excerpt_in_email_body(tmp_path, linker, spec):
    passage = excerpt(1)
    body = "Hi Lee,\n\nHere is what the spec says:\n\n" + textwrap.fill(passage, 70) + "\n\nRegards, Sam\n"
    result = check(linker, inspected(eml_with(tmp_path / "note.eml", body), Assessment.NOT_CUI))
    finding = _check_found(result, spec, passage)
    assert finding.location.zone is Zone.BODY and finding.location.line is not None
    assert finding.location.line >= 4   # the passage starts below the greeting, not on line 1


def test_excerpt_quoted_in_email_reply(tmp_path, linker, spec):
    passage = excerpt(2)
    reply = quoted_reply(passage, width=58)
    assert "\n> " in reply
    result = check(linker, inspected(eml_with(tmp_path / "reply.eml", reply, "Re: module bonding"),
                                      Assessment.NOT_CUI))
    _check_found(result, spec, passage)


def test_excerpt_split_over_pptx_bullets(tmp_path, linker, spec):
    passage = excerpt(3)
    path = pptx_bullets(tmp_path / "brief.pptx", "Qualification", chunks(passage, 9))
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, passage)
    assert finding.location.slide == 2


def test_excerpt_in_xlsx_rows(tmp_path, linker, spec):
    passage = excerpt(4)
    path = xlsx_rows(tmp_path / "tracker.xlsx", chunks(passage, 11), sheet="Notes")
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, passage)
    assert finding.location.sheet == "Notes" and finding.location.cell == "A1"


def test_excerpt_in_pdf(tmp_path, linker, spec):
    passage = excerpt(0)
    path = pdf_text(tmp_path / "minutes.pdf", ["Minutes of the supplier meeting held on 4 March.",
                                               "Background for new staff: " + passage,
                                               "Action items are tracked in the usual spreadsheet."])
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, passage)
    assert finding.location.page == 1


def test_lightly_edited_and_reordered_excerpt(tmp_path, linker, spec):
    passage = lightly_edited(excerpt(1))
    assert passage != excerpt(1)
    path = docx_with(tmp_path / "notes.docx", ["Design notes", passage, "More to follow."])
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, passage)
    assert "-word passage" in finding.evidence


def test_excerpt_in_an_attachment_is_reported_on_the_member(tmp_path, linker, spec):
    from email.message import EmailMessage

    inner = docx_with(tmp_path / "draft.docx", ["Draft text for the proposal.", excerpt(2)])
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.com", "b@example.com", "draft"
    msg.set_content("See the attached draft.")
    msg.add_attachment(inner.read_bytes(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="draft.docx")
    path = tmp_path / "with-attachment.eml"
    path.write_bytes(msg.as_bytes())
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, excerpt(2))
    assert finding.location.member == "draft.docx"
    assert "of this document" in finding.message


def test_unmarked_cui_becomes_derivative_with_both_findings(tmp_path, linker, spec):
    detect = Finding(rule_id="DETECT-001", severity=Severity.WARNING, message="likely CUI", location=Location(),
                     categories=("EXPT",))
    path = docx_with(tmp_path / "copy.docx", SPEC_PARAGRAPHS[:2])
    result = check(linker, inspected(path, Assessment.UNMARKED_CUI, ("EXPT",), findings=(detect,)))
    assert result.assessment is Assessment.DERIVATIVE
    assert {f.rule_id for f in result.findings} == {"DETECT-001", "DERIV-001"}
    assert result.categories == ("CTI", "EXPT")
    assert "100% of the source" not in _deriv(result)[0].message   # two of five paragraphs, not all


@pytest.mark.parametrize("paragraph", range(len(SPEC_PARAGRAPHS)))
def test_a_passage_of_about_forty_words_is_enough(tmp_path, linker, spec, paragraph):
    passage = " ".join(SPEC_PARAGRAPHS[paragraph].split()[10:54])       # 44 words, cut mid-sentence
    path = eml_with(tmp_path / "snippet.eml", "Note:\n\n" + textwrap.fill(passage, 72) + "\n\nbye\n")
    finding = _check_found(check(linker, inspected(path, Assessment.NOT_CUI)), spec, passage)
    words = int(finding.evidence.split("(")[-1].split("-word")[0])
    assert 36 <= words <= 56      # the reported passage length estimates the copied one
