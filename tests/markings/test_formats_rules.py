"""SLIDE-001, SHEET-001, COVER-001..002 on real pptx, xlsx and docx files."""
from __future__ import annotations

from realdocs import DOD_DI, NARA_DI, b, docx, of, save

from cuiscan.records import Severity, Zone

TITLE = {"top": "CUI", "bottom": "CUI", "title": "Branch Readiness Review", "lines": ["NAVSEA 05T"],
         "bottom_lines": ["Controlled by: Department of the Navy", "Controlled by: NAVSEA 05T",
                          "CUI Category: PRVCY", "POC: Jane Smith, 202-555-0142"]}


def slide(title, top="CUI", bottom="CUI"):
    return {"top": top, "bottom": bottom, "title": title, "lines": [f"{title} details for March 2024"]}


def test_slides_missing_banners(tmp_path):
    path = save(tmp_path, "d.pptx", b.pptx_bytes([TITLE, slide("Staffing"), slide("Actions", None, None)]))
    got = sorted((f.location.slide, f.location.zone.value, f.severity) for f in of(path, "SLIDE"))
    assert got == [(3, "footer", Severity.ERROR), (3, "header", Severity.ERROR)]
    nara = [(f.location.slide, f.location.zone) for f in of(path, "SLIDE", "nara")]
    assert nara == [(3, Zone.HEADER)]   # NARA: bottom banner optional
    assert of(path, "BANNER-010") == []  # placement of slides is SLIDE-001's


def test_dod_interior_slide_may_say_unclassified(tmp_path):
    path = save(tmp_path, "u.pptx", b.pptx_bytes([TITLE, slide("Agenda", "UNCLASSIFIED", "UNCLASSIFIED"), slide("Staffing")]))
    assert of(path, "SLIDE") == []


def test_no_slide_marked_is_not_a_placement_finding(tmp_path):
    path = save(tmp_path, "n.pptx", b.pptx_bytes([slide("Picnic", None, None), slide("Menu", None, None)]))
    assert of(path, "SLIDE") == []


def test_sheet_without_header_banner(tmp_path):
    sheets = [{"name": "Roster", "header": "CUI", "footer": "CUI",
               "rows": [["Name", "Home phone"], ["A. Able", "202-555-0101"], [""]] + [[line] for line in DOD_DI]},
              {"name": "Alternates", "rows": [["Name"], ["C. Clark"]]},
              {"name": "Old", "header": "CUI", "rows": [["Name"], ["D. Dunn"]], "hidden": True}]
    path = save(tmp_path, "r.xlsx", b.xlsx_bytes(sheets))
    got = sorted((f.location.sheet, f.location.zone.value, f.severity) for f in of(path, "SHEET"))
    assert got == [("Alternates", "footer", Severity.WARNING), ("Alternates", "header", Severity.WARNING),
                   ("Old", "footer", Severity.WARNING)]
    hidden = [f for f in of(path, "SHEET") if f.location.sheet == "Old"]
    assert "(hidden)" in hidden[0].message
    nara = sorted((f.location.sheet, f.location.zone.value) for f in of(path, "SHEET", "nara"))
    assert nara == [("Alternates", "header")]


def test_home_made_cover_sheet(tmp_path):
    path = docx(tmp_path, "c.docx", ["SENSITIVE INFORMATION COVER SHEET", "Handle with care.", "Report follows."] + NARA_DI,
                header="CUI", footer="CUI")
    [f] = of(path, "COVER")
    assert (f.rule_id, f.severity, f.evidence) == ("COVER-001", Severity.INFO, "SENSITIVE INFORMATION COVER SHEET")
    sf901 = docx(tmp_path, "s.docx", ["CONTROLLED UNCLASSIFIED INFORMATION", "STANDARD FORM 901 (11-18) COVER SHEET",
                                      "Report follows."] + NARA_DI, header="CUI", footer="CUI")
    assert of(sf901, "COVER") == []


def test_mailing_label_bearing_cui(tmp_path):
    label = docx(tmp_path, "label.docx", ["RETURN ADDRESS: NAVSEA 05T, 1333 Isaac Hull Ave SE", "SHIP TO:",
                                          "AFRL/RQ, Bldg 18", "Wright-Patterson AFB, OH 45433", "FIRST-CLASS MAIL"],
                 header="CUI", footer="CUI")
    [f] = of(label, "COVER")
    assert (f.rule_id, f.severity, f.location.zone, f.evidence) == ("COVER-002", Severity.WARNING, Zone.HEADER, "CUI")
    plain = docx(tmp_path, "plain.docx", ["RETURN ADDRESS: NAVSEA 05T", "SHIP TO:", "AFRL/RQ, Bldg 18", "FIRST-CLASS MAIL"])
    memo = docx(tmp_path, "memo.docx", ["Roster memo: ship to the new address in March."] + DOD_DI,
                header="CUI", footer="CUI")
    assert of(plain, "COVER") == [] and of(memo, "COVER") == []


def test_fax_cover_sheet_is_not_a_cui_cover_sheet(tmp_path):
    path = docx(tmp_path, "fax.docx", ["FAX COVER SHEET", "To: Springfield Schools", "Pages: 3"])
    assert of(path, "COVER") == []
