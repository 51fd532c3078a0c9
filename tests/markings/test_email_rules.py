"""EMAIL-001..006 and XMIT-001 on real emails (stdlib email package), PDFs, docx and zips."""
from __future__ import annotations

from realdocs import DOD_DI, NARA_DI, all_findings, b, docx, eml, of, pdf, save

from cuiscan.records import Severity, Zone

SIG = ["V/r,", "Jane Smith", "NAVSEA 05T, 202-555-0142"]
MARKED_PDF = b.pdf_bytes([{"header": "CUI", "footer": "CUI", "lines": ["Actuator drawing notes, Rev C"],
                           "bottom_lines": DOD_DI}])
UNMARKED_DOCX = b.docx_bytes([{"paras": ["Actuator test notes", "Run 12: ramp stalled at 14 degrees."]}])
STATEMENT = "When the attachment is removed, this email is Uncontrolled Unclassified Information."


def test_dod_email_needs_cui_as_last_line(tmp_path):
    path = eml(tmp_path, "m.eml", "CUI - roster", ["CUI", "", "Roster below.", "(CUI) A. Able, 12 Elm St."]
               + SIG + DOD_DI)
    [f] = of(path, "EMAIL")
    assert (f.rule_id, f.severity, f.confidence, f.location.zone) == ("EMAIL-001", Severity.ERROR, 0.7, Zone.BODY)
    assert f.location.line == 4 + len(SIG) + len(DOD_DI)   # the last body line
    assert of(path, "EMAIL-001", "nara") == []               # NARA: the bottom banner is optional


def test_banner_not_on_the_first_line(tmp_path):
    path = eml(tmp_path, "m.eml", "Applicant list", ["Dana,", "", "CUI//SP-PRVCY", "Applicant 24-117 bank details.",
                                                     "Lee"] + NARA_DI, sender="lee@dgw.example.gov")
    [f] = of(path, "EMAIL-001", "nara")
    assert (f.severity, f.location.zone, f.location.line, f.confidence) == (Severity.ERROR, Zone.BODY, 1, 1.0)
    assert "line 3" in f.message


def test_ssn_in_subject_is_redacted(tmp_path):
    path = eml(tmp_path, "s.eml", "CUI - J. Doe SSN 123-45-6789", ["CUI", "See attached.", "CUI"])
    [f] = of(path, "EMAIL-002")
    assert (f.severity, f.location.zone, f.evidence) == (Severity.WARNING, Zone.SUBJECT, "***-**-6789")
    assert "123-45" not in f.message + f.evidence


def test_dod_subject_indicator_is_info_only_under_dod(tmp_path):
    path = eml(tmp_path, "s.eml", "Roster update", ["CUI", "(CUI) Roster: A. Able, 12 Elm St."] + SIG + DOD_DI + ["CUI"])
    [f] = of(path, "EMAIL-002")
    assert (f.severity, f.confidence) == (Severity.INFO, 0.6)
    assert of(path, "EMAIL-002", "nara") == []


def test_reply_must_carry_the_quoted_markings(tmp_path):
    quoted = ["> CUI//SP-PRVCY", "> Applicants 24-117 and 24-121 share a bank account."] + [f"> {x}" for x in NARA_DI]
    none = eml(tmp_path, "r1.eml", "RE: accounts", ["Thanks, calling them tomorrow.", "Lee"] + quoted,
               sender="lee@dgw.example.gov")
    [f] = of(none, "EMAIL", "nara")
    assert (f.rule_id, f.severity, f.evidence) == ("EMAIL-003", Severity.ERROR, "CUI//SP-PRVCY")
    weaker = eml(tmp_path, "r2.eml", "RE: accounts", ["CUI", "Thanks, calling them tomorrow.", "Lee"] + NARA_DI + quoted,
                 sender="lee@dgw.example.gov")
    [g] = of(weaker, "EMAIL-003", "nara")
    assert "PRVCY" in g.message and g.location.line == 1
    kept = eml(tmp_path, "r3.eml", "RE: accounts", ["CUI//SP-PRVCY", "Thanks.", "Lee"] + NARA_DI + quoted,
               sender="lee@dgw.example.gov")
    assert of(kept, "EMAIL", "nara") == []


def test_cui_email_without_designation_indicator(tmp_path):
    lines = ["CUI//SP-PRVCY", "Applicant 24-117 bank details are in the case file.", "Lee"]
    private = eml(tmp_path, "p.eml", "CUI - case file", lines, sender="lee@mail.example.com")
    [f] = of(private, "EMAIL-004", "nara")
    assert (f.severity, f.location.line) == (Severity.WARNING, 1)
    agency = eml(tmp_path, "a.eml", "CUI - case file", lines, sender="lee@dgw.example.gov")
    assert of(agency, "EMAIL-004", "nara") == []


def test_transmittal_email_face(tmp_path):
    bare = eml(tmp_path, "t1.eml", "Drawings", ["Mark,", "See attached CTI drawings."] + SIG,
               [("drawings.pdf", MARKED_PDF)])
    [f] = of(bare, "EMAIL")
    assert (f.rule_id, f.severity, f.location.member) == ("EMAIL-005", Severity.ERROR, None)
    assert "CUI banner" in f.message and "removed" in f.message and "drawings.pdf" in f.message
    complete = eml(tmp_path, "t2.eml", "CUI - Drawings", ["CUI", "Mark,", "Attached CTI drawings.", STATEMENT] + SIG
                   + ["CUI"], [("drawings.pdf", MARKED_PDF)])
    assert of(complete, "EMAIL") == []


def test_unmarked_attachment_of_a_transmittal(tmp_path):
    path = eml(tmp_path, "u.eml", "CUI - test notes", ["CUI", "Attached are the test notes.", STATEMENT] + SIG + ["CUI"],
               [("test-notes.docx", UNMARKED_DOCX)])
    [f] = of(path, "EMAIL")
    assert (f.rule_id, f.severity, f.location.member, f.location.zone) == ("EMAIL-006", Severity.ERROR,
                                                                           "test-notes.docx", Zone.HEADER)
    ordinary = eml(tmp_path, "o.eml", "Lunch", ["Menu attached."], [("menu.docx", UNMARKED_DOCX)],
                   sender="a@example.com", to="b@example.com")
    assert all_findings(ordinary) == []


def test_paper_transmittal_letter_before_marked_enclosure(tmp_path):
    letter = {"header": "NAVSEA 05T", "footer": "Page 1",
              "lines": ["14 March 2024", "From: Branch Head", "To: AFRL/RQ", "Subj: Drawing notes",
                        "Encl: (1) Actuator drawing notes, Rev C", "1. Enclosure (1) is forwarded for review."]}
    enclosure = {"header": "CUI", "footer": "CUI", "lines": ["Actuator drawing notes, Rev C"], "bottom_lines": DOD_DI}
    path = pdf(tmp_path, "x.pdf", [letter, enclosure])
    xmit = of(path, "XMIT")
    assert [(f.rule_id, f.severity, f.location.page) for f in xmit] == [("XMIT-001", Severity.ERROR, 1)]


def test_removal_statement_without_banner_and_zip_sibling(tmp_path):
    statement_only = docx(tmp_path, "s.docx", ["Cover letter", "When enclosure is removed, this document is "
                                                               "Uncontrolled Unclassified Information."])
    [f] = of(statement_only, "XMIT")
    assert f.severity == Severity.ERROR
    cover = b.docx_bytes([{"paras": ["Cover letter", "Enclosures: (1) drawings.pdf", "Please review by Friday."]}])
    bundle = save(tmp_path, "bundle.zip", b.zip_bytes([("cover.docx", cover), ("drawings.pdf", MARKED_PDF)]))
    [g] = of(bundle, "XMIT")
    assert g.location.member == "cover.docx"
    marked_cover = b.docx_bytes([{"header": "CUI", "footer": "CUI", "paras": [
        "Cover letter", "Enclosures: (1) drawings.pdf",
        "When enclosure is removed, this document is Uncontrolled Unclassified Information."]}])
    ok = save(tmp_path, "ok.zip", b.zip_bytes([("cover.docx", marked_cover), ("drawings.pdf", MARKED_PDF)]))
    assert of(ok, "XMIT") == []


def test_docx_letter_section_before_marked_enclosure_section(tmp_path):
    enclosure = {"header": "CUI", "footer": "CUI", "paras": ["Actuator drawing notes, Rev C"] + DOD_DI}
    path = docx(tmp_path, "l.docx", ["14 March 2024", "Enclosure: (1) Actuator drawing notes",
                                     "1. Enclosure (1) is forwarded for review."], more_sections=[enclosure])
    [f] = of(path, "XMIT")
    assert (f.rule_id, f.severity) == ("XMIT-001", Severity.ERROR) and "sections marked CUI" in f.message
