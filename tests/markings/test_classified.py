"""SPILL-001, CNSI-001..003 on real files; false-positive controls; the folder-level negative test."""
from __future__ import annotations

from realdocs import all_findings, b, docx, eml, of, pdf, results, save, txt

from cuiscan.records import Severity, Zone


def test_classified_banner_in_docx_header_is_one_critical_spill(tmp_path):
    path = docx(tmp_path, "x.docx", ["(U) Exercise summary.", "(S//NF) Notional transit on D+3."],
                header="SECRET//NOFORN", footer="SECRET//NOFORN")
    spills = of(path, "SPILL")
    assert len(spills) == 1
    f = spills[0]
    assert (f.severity, f.location.zone, f.location.section, f.evidence) == (Severity.CRITICAL, Zone.HEADER, 1, "SECRET//NOFORN")
    assert f.confidence == 1.0
    assert "Notional transit" not in f.message and "Notional transit" not in f.evidence
    assert results(path)[0].is_classified


def test_portion_marks_in_pdf_without_banner(tmp_path):
    path = pdf(tmp_path, "p.pdf", [{"header": "Exercise Notes", "footer": "Page 1 of 1",
                                    "lines": ["(U) Background of the notional exercise.",
                                              "(S) The notional route is listed in annex B.",
                                              "(U) Logistics follow the plan."]}])
    [f] = of(path, "SPILL")
    assert (f.location.page, f.location.zone, f.evidence, f.confidence) == (1, Zone.BODY, "(S)", 1.0)


def test_lone_bare_portion_mark_has_lower_confidence(tmp_path):
    path = txt(tmp_path, "t.txt", ["Shipping notes", "(S) Route via the north gate.", "Thanks."])
    [f] = of(path, "SPILL")
    assert f.severity == Severity.CRITICAL and f.confidence == 0.6 and f.location.line == 2


def test_subject_banner_of_email(tmp_path):
    path = eml(tmp_path, "m.eml", "SECRET//NOFORN - exercise plan", ["See the plan.", "Thanks"])
    [f] = of(path, "SPILL")
    assert f.location.zone == Zone.SUBJECT and f.evidence == "SECRET//NOFORN"


def test_classification_authority_block_needs_shape(tmp_path):
    cab = txt(tmp_path, "cab.txt", ["Notes", "Classified By: J. Smith, Director", "Derived From: SCG 12",
                                    "Declassify On: 20451231"])
    [f] = of(cab, "SPILL")
    assert f.evidence == "Classified By:" and f.location.line == 2
    survey = txt(tmp_path, "survey.txt", ["Survey results", "Derived From: the 2023 staff survey", "Done."])
    assert of(survey, "SPILL") == []


def test_classified_transmittal_statement_but_not_cui_transmittal(tmp_path):
    classified = docx(tmp_path, "c.docx", ["Cover letter", "Unclassified when classified enclosure removed."])
    assert [f.rule_id for f in of(classified, "SPILL")] == ["SPILL-001"]
    cui = docx(tmp_path, "u.docx", ["Cover letter", "When enclosure is removed, this document is Uncontrolled "
                                                    "Unclassified Information."], header="CUI", footer="CUI")
    assert of(cui, "SPILL") == []


def test_false_positive_controls(tmp_path):
    lettered = docx(tmp_path, "statute.docx", [
        "Section 4. Definitions", "(A) the term agency means an executive agency;",
        "(B) the term record has the meaning given in section 3301;",
        "(C) the term secret means information classified under an executive order."])
    copyright_ = docx(tmp_path, "letter.docx", ["Dear customer,", "(C) 2024 Acme Corporation. All rights reserved."],
                      footer="(C) Copyright 2024 Acme")
    prose = txt(tmp_path, "news.txt", ["Engineer honored", "She held a SECRET clearance for ten years.",
                                       "Top secret? The secret is maintenance."])
    unclassified = docx(tmp_path, "u.docx", ["Lunch menu for Friday."], header="UNCLASSIFIED", footer="UNCLASSIFIED")
    plural = txt(tmp_path, "plural.txt", ["Item(s) listed below", "(s) denotes optional items"])
    for path in (lettered, copyright_, prose, unclassified, plural):
        assert of(path, ("SPILL", "CNSI")) == [], path.name


def test_cnsi_001_nara_banner_must_carry_cui(tmp_path):
    pages = [{"header": "SECRET", "footer": "SECRET",
              "lines": ["(U) Test summary.", "(S) Notional threat parameters.",
                        "(CUI//SP-CTI) Seeker window coating recipe R-17."]}]
    path = pdf(tmp_path, "n.pdf", pages)
    [f] = of(path, "CNSI", profile="nara")
    assert (f.rule_id, f.severity, f.location.zone, f.location.page) == ("CNSI-001", Severity.ERROR, Zone.HEADER, 1)
    commingled = pdf(tmp_path, "ok.pdf", [dict(pages[0], header="SECRET//CUI//SP-CTI", footer="SECRET//CUI//SP-CTI")])
    assert of(commingled, "CNSI", profile="nara") == []
    assert [f.rule_id for f in of(commingled, "SPILL", profile="nara")] == ["SPILL-001"]


def test_cnsi_002_dod_first_page_blocks(tmp_path):
    lines = ["(U) Test summary.", "(S) Notional threat parameters.", "(CUI) Coating recipe R-17."]
    bare = pdf(tmp_path, "bare.pdf", [{"header": "SECRET", "footer": "SECRET", "lines": lines}])
    [f] = of(bare, "CNSI")
    assert (f.rule_id, f.severity, f.confidence, f.location.page) == ("CNSI-002", Severity.ERROR, 0.8, 1)
    assert "designation indicator" in f.message and "warning box" in f.message
    full_lines = lines + [
        "(U) This content is classified at the SECRET level and may contain elements of controlled",
        "unclassified information (CUI). It shall not be used as a source of derivative classification.",
        "Classified By: Notional Director", "Derived From: Notional SCG", "Declassify On: 20491231"]
    complete = pdf(tmp_path, "full.pdf", [{"header": "SECRET", "footer": "SECRET", "lines": full_lines,
                                           "bottom_lines": ["Controlled by: Notional Fleet", "CUI Category: CTI",
                                                            "POC: J. Smith, 202-555-0100"]}])
    assert of(complete, "CNSI") == []
    assert of(bare, "CNSI", profile="nara")[0].rule_id == "CNSI-001"


def test_cnsi_003_restricted_data_with_cui(tmp_path):
    path = docx(tmp_path, "rd.docx", ["(U) Summary.", "(S//RD) Notional yield table.", "(CUI) Shipping schedule."],
                header="CUI", footer="CUI")
    rules = sorted(f.rule_id for f in of(path, ("SPILL", "CNSI")))
    assert "SPILL-001" in rules and "CNSI-003" in rules
    [f] = [f for f in of(path, "CNSI-003")]
    assert f.severity == Severity.WARNING and f.evidence == "(S//RD)"


def test_business_folder_has_no_findings_above_info(tmp_path):
    """Ordinary documents and writing ABOUT markings, in every format: nothing above info."""
    folder = tmp_path / "share"
    files = [
        save(folder, "article.docx", b.docx_bytes([{"header": "Security Awareness Newsletter", "paras": [
            "How CUI markings work",
            "A banner such as CUI//SP-CTI or CUI//SP-PRVCY//NOFORN tells readers what the document holds.",
            "The old FOUO and SBU labels are retired; (U//FOUO) portion marks should no longer appear.",
            "Distribution Statement D limits release to DoD and its contractors.",
            "Classified markings like SECRET//NOFORN never belong on this network."]}])),
        save(folder, "memo.pdf", b.pdf_bytes([{"header": "Acme Corporation", "footer": "(C) 2024 Acme Corporation",
                                                "lines": ["14 March 2024", "MEMORANDUM FOR ALL STAFF",
                                                          "Our records policy no longer uses For Official Use Only.",
                                                          "Export questions go to the trade compliance office."]}])),
        save(folder, "deck.pptx", b.pptx_bytes([{"title": "Marking 101", "lines": [
            "CUI replaces FOUO, SBU and LES", "Never put SECRET material on this share"]}])),
        save(folder, "budget.xlsx", b.xlsx_bytes([{"name": "Budget", "rows": [["Item", "Cost"], ["Secret santa", 30]]}])),
        save(folder, "newsletter.eml", b.eml_bytes("Newsletter: what is CUI?", [
            "Hi all,", "This month: CUI basics. Markings such as CUI//SP-CTI are explained on the intranet.",
            "The classified SECRET level is out of scope.", "Regards"], sender="news@acme.example.com",
            to="all@acme.example.com")),
        save(folder, "notes.txt", b.text_bytes(["Meeting notes", "(C) 2024 Acme", "(a) budget (b) hiring (c) travel",
                                                "Discussed the ITAR training schedule."])),
    ]
    for path in files:
        for profile in ("dod", "nara"):
            above_info = [f for f in all_findings(path, profile) if f.severity != Severity.INFO]
            assert above_info == [], (path.name, profile, [(f.rule_id, f.message) for f in above_info])


def test_bare_confidential_banner_is_a_less_certain_alert(tmp_path):
    company = docx(tmp_path, "co.docx", ["Pricing proposal for Springfield schools."], footer="CONFIDENTIAL")
    [f] = of(company, "SPILL")
    assert (f.severity, f.confidence, f.location.zone) == (Severity.CRITICAL, 0.5, Zone.FOOTER)
    corroborated = docx(tmp_path, "cl.docx", ["(U) Summary.", "(C) Notional frequencies."], header="CONFIDENTIAL",
                        footer="CONFIDENTIAL")
    [g] = of(corroborated, "SPILL")
    assert g.confidence == 1.0
