"""LEGACY-001..004 on real files: position and shape, date-dependent severity, mixed CUI/legacy."""
from __future__ import annotations

from realdocs import NARA_DI, docx, eml, of, pdf, results, txt

from cuiscan.records import Severity, Zone

MEMO = ["DEPARTMENT OF THE ARMY", "{date}", "MEMORANDUM FOR RECORD", "SUBJECT: Convoy schedule",
        "1. Convoys depart Gate 4 at 0500."]


def memo(date: str) -> list[str]:
    return [p.format(date=date) for p in MEMO]


def test_legacy_banner_on_new_document_is_error_once(tmp_path):
    path = docx(tmp_path, "m.docx", memo("9 August 2023"), header="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
                footer="UNCLASSIFIED//FOR OFFICIAL USE ONLY")
    for profile in ("dod", "nara"):
        [f] = of(path, "LEGACY", profile)
        assert (f.rule_id, f.severity, f.location.zone, f.location.section) == ("LEGACY-001", Severity.ERROR, Zone.HEADER, 1)
        assert f.evidence == "UNCLASSIFIED//FOR OFFICIAL USE ONLY" and "1 more place" in f.message
        assert results(path, profile)[0].has_legacy


def test_severity_follows_the_document_date(tmp_path):
    between = docx(tmp_path, "2018.docx", memo("12 May 2018"), header="FOUO", footer="FOUO")
    [dod] = of(between, "LEGACY", "dod")
    [nara] = of(between, "LEGACY", "nara")
    assert (dod.rule_id, dod.severity) == ("LEGACY-001", Severity.WARNING)      # DoD kept FOUO until 2020
    assert (nara.rule_id, nara.severity) == ("LEGACY-001", Severity.ERROR)
    old = txt(tmp_path, "2012.txt", ["FOR OFFICIAL USE ONLY", "NAVAL SUPPORT ACTIVITY", "15 June 2012",
                                     "Badge readers were down.", "FOR OFFICIAL USE ONLY"])
    [stored] = of(old, "LEGACY")
    assert (stored.rule_id, stored.severity, stored.location.line) == ("LEGACY-003", Severity.INFO, 1)
    undated = txt(tmp_path, "undated.txt", ["SBU", "Gate codes change weekly.", "SBU"])
    [f] = of(undated, "LEGACY")
    assert (f.rule_id, f.severity, f.evidence) == ("LEGACY-001", Severity.ERROR, "SBU")


def test_legacy_portion_in_cui_document_is_mixed(tmp_path):
    path = docx(tmp_path, "mixed.docx", ["14 March 2024", "(U) Background.", "(U//FOUO) Gate codes change weekly.",
                                         "(CUI) Roster attached."] + NARA_DI, header="CUI", footer="CUI")
    [f] = of(path, "LEGACY", "nara")
    assert (f.rule_id, f.severity, f.evidence, f.location.zone) == ("LEGACY-002", Severity.ERROR, "(U//FOUO)", Zone.BODY)


def test_legacy_word_inside_cui_banner_is_banner_002_not_legacy(tmp_path):
    path = docx(tmp_path, "cf.docx", ["14 March 2024", "Roster."] + NARA_DI, header="CUI//FOUO", footer="CUI//FOUO")
    assert of(path, "LEGACY", "nara") == []
    assert [f.rule_id for f in of(path, "BANNER-002", "nara")] == ["BANNER-002"]


def test_legacy_portion_mark_in_pdf(tmp_path):
    path = pdf(tmp_path, "p.pdf", [{"header": "Team notes", "footer": "Page 1",
                                    "lines": ["3 April 2024", "(FOUO) Access list for the lab.", "(U) Lunch at noon."]}])
    [f] = of(path, "LEGACY")
    assert (f.rule_id, f.location.page, f.location.zone, f.evidence) == ("LEGACY-001", 1, Zone.BODY, "(FOUO)")


def test_legacy_in_email_subject(tmp_path):
    path = eml(tmp_path, "m.eml", "(U//FOUO) Gate schedule", ["Gates open at 0500.", "Thanks"])
    [f] = of(path, "LEGACY")
    assert (f.rule_id, f.location.zone, f.evidence) == ("LEGACY-001", Zone.SUBJECT, "(U//FOUO)")


def test_text_about_legacy_markings_is_not_a_marking(tmp_path):
    prose = docx(tmp_path, "policy.docx", [
        "Policy 2024-07", "14 March 2024", "Staff will no longer apply FOUO or FOR OFFICIAL USE ONLY to documents.",
        "Legacy labels:", "FOR OFFICIAL USE ONLY", "SENSITIVE BUT UNCLASSIFIED", "LAW ENFORCEMENT SENSITIVE",
        "All of them are replaced by CUI markings where the information qualifies.", "Questions: records office.",
        "Signed, the records officer"])
    header_prose = docx(tmp_path, "h.docx", ["Body."], header="LES Miserables reading group")
    for path in (prose, header_prose):
        assert of(path, "LEGACY") == [], path.name


def test_statutory_legend_is_category_indicator_not_legacy(tmp_path):
    warning = ("WARNING: This record contains Sensitive Security Information that is controlled under 49 CFR "
               "parts 15 and 1520.")
    wrong = docx(tmp_path, "ssi.docx", ["14 March 2024", "Screening checkpoint layout.", warning] + NARA_DI,
                 header="CUI//SP-PRVCY", footer="CUI//SP-PRVCY")
    [f] = of(wrong, "LEGACY", "nara")
    assert (f.rule_id, f.severity, f.categories) == ("LEGACY-004", Severity.INFO, ("SSI",))
    assert not results(wrong, "nara")[0].has_legacy
    right = docx(tmp_path, "ok.docx", ["14 March 2024", "Screening checkpoint layout.", warning] + NARA_DI,
                 header="CUI//SP-SSI", footer="CUI//SP-SSI")
    assert of(right, "LEGACY", "nara") == []
