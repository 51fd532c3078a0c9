#!/usr/bin/env python3
"""Rebuild every sample document under samples/ (run: .venv/bin/python samples/make_samples.py).

Deterministic: fixed dates, fixed zip times, fixed MIME boundaries, no randomness, so a rebuild gives
byte-identical files. All names, offices, numbers and technical content are fictional. The
`<name>.expected.json` files beside the samples are written by hand from the rule book and are NOT
produced here (tests/markings/test_samples_golden.py compares them with the checks' output).
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from builders import (docx_bytes, eml_bytes, html_bytes, pdf_bytes, pptx_bytes, text_bytes,  # noqa: E402
                      write, xlsx_bytes, zip_bytes)

# --- recurring text ------------------------------------------------------------------------------

DOD_DI_NAVY = ["Controlled by: Department of the Navy", "Controlled by: NAVSEA 05T",
               "CUI Category: PRVCY", "Distribution/Dissemination Control: FEDCON",
               "POC: Jane Smith, 202-555-0142"]
DOD_DI_AF_CTI = ["Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ",
                 "CUI Category: CTI", "Distribution/Dissemination Control: D",
                 "POC: Mark Owens, 937-555-0100"]
STATEMENT_D = [
    "DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD",
    "contractors only; Critical Technology; 12 Feb 2024. Other requests for this document shall be",
    "referred to AFRL/RQ, Wright-Patterson AFB, OH 45433.",
]
EXPORT_WARNING = [
    "WARNING - This document contains technical data whose export is restricted by the Arms Export",
    "Control Act (Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979",
    "(Title 50, U.S.C., App. 2401 et seq.), as amended. Violations of these export laws are subject",
    "to severe criminal penalties. Disseminate in accordance with provisions of DoD Directive 5230.25.",
]
NARA_DI = ["Controlled by: Office of Grants Management, Department of Good Works",
           "POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199"]
REPORT_BODY = [
    "1. Purpose. This report summarizes wind-tunnel results for the Model 7 inlet at Mach 2.2.",
    "2. Method. Pressure recovery was measured at 24 rake positions over 40 runs.",
    "3. Results. Recovery fell by 3.1 percent above 4 degrees angle of attack.",
    "4. Recommendation. Repeat runs 31-40 with the revised bleed schedule.",
]


def dod_samples(out: Path) -> None:
    d = out / "dod"
    memo_paras = [
        "DEPARTMENT OF THE NAVY", "NAVAL SEA SYSTEMS COMMAND", "14 March 2024",
        "MEMORANDUM FOR NAVSEA 05T BRANCH HEADS",
        "SUBJECT: Update of the Branch Recall Roster",
        "1. The attached recall roster lists home addresses and personal phone numbers of branch staff.",
        "2. Keep the roster on the branch share only; do not forward it outside NAVSEA 05T.",
        "J. SMITH", "Branch Head",
    ] + DOD_DI_NAVY
    write(d / "memo-correct.docx", docx_bytes([{"header": "CUI", "footer": "CUI", "paras": memo_paras}],
                                              title="Branch recall roster memo"))
    write(d / "di-missing.docx", docx_bytes(
        [{"header": "CUI", "footer": "CUI", "paras": memo_paras[: -len(DOD_DI_NAVY)]}],
        title="Branch recall roster memo (no DI)"))

    page1 = {"header": "CUI", "footer": "CUI",
             "lines": ["AFRL-RQ-WP-TR-2024-0117", "Model 7 Inlet Wind-Tunnel Test Report", "12 February 2024", ""]
             + STATEMENT_D + [""] + EXPORT_WARNING
             + ["", "DESTRUCTION NOTICE - Destroy by any method that will prevent disclosure of contents or",
                "reconstruction of the document."],
             "bottom_lines": DOD_DI_AF_CTI}
    body_pages = [{"header": "CUI", "footer": "CUI", "lines": REPORT_BODY[:2]},
                  {"header": "CUI", "footer": "CUI", "lines": REPORT_BODY[2:]}]
    write(d / "tech-report-correct.pdf", pdf_bytes([page1] + body_pages, title="Model 7 inlet test report"))

    no_footer = [dict(body_pages[0]), dict(body_pages[1])]
    no_footer[0]["footer"] = None
    write(d / "missing-footer-page2.pdf", pdf_bytes([page1] + no_footer, title="Model 7 inlet test report"))

    di_no_category = [line for line in DOD_DI_AF_CTI if not line.startswith("CUI Category")]
    write(d / "di-incomplete.pdf", pdf_bytes([dict(page1, bottom_lines=di_no_category)] + body_pages,
                                             title="Model 7 inlet test report (DI without category)"))

    unmarked = [{"header": None, "footer": None, "lines": page1["lines"][:-2]},
                {"header": None, "footer": None, "lines": REPORT_BODY}]
    write(d / "dist-d-unmarked.pdf", pdf_bytes(unmarked, title="Model 7 inlet test report (unmarked)"))

    write(d / "dist-a-with-cui.docx", docx_bytes([{"header": "CUI", "footer": "CUI", "paras": [
        "AFRL-RQ-WP-TR-2024-0201", "Public Summary of the Model 7 Inlet Program", "3 April 2024",
        "DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited.",
        "The Model 7 inlet program tests variable-geometry inlets for high-speed research aircraft.",
        "Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ", "CUI Category: CTI",
        "POC: Mark Owens, 937-555-0100"]}], title="Model 7 public summary"))

    write(d / "legacy-fouo-memo.docx", docx_bytes([{
        "header": "FOR OFFICIAL USE ONLY", "footer": "FOR OFFICIAL USE ONLY", "paras": [
            "DEPARTMENT OF THE ARMY", "HEADQUARTERS, 3RD SUSTAINMENT BRIGADE", "9 August 2023",
            "MEMORANDUM FOR RECORD", "SUBJECT: Convoy Schedule, Exercise Iron Wagon",
            "1. Convoys depart Gate 4 at 0500 on 21, 23 and 25 August 2023.",
            "2. Route Blue is closed; use Route Green.", "K. DIAZ", "MAJ, LG", "S4"]}],
        title="Convoy schedule"))

    write(d / "legacy-2012-archive.txt", text_bytes([
        "FOR OFFICIAL USE ONLY", "", "DEPARTMENT OF THE NAVY", "NAVAL SUPPORT ACTIVITY", "15 June 2012", "",
        "MEMORANDUM FOR FILE", "SUBJECT: Building 12 Badge Reader Outage", "",
        "1. Badge readers at Building 12 were down from 0600 to 1400 on 14 June 2012.",
        "2. Guards checked identification manually at the north entrance during the outage.", "",
        "FOR OFFICIAL USE ONLY"]))

    write(d / "classified-spill.docx", docx_bytes([{
        "header": "SECRET//NOFORN", "footer": "SECRET//NOFORN", "paras": [
            "(U) EXERCISE NOTIONAL HARBOR - PLANNING SUMMARY",
            "(U) This summary was written for a spill-handling training exercise; all content is notional.",
            "(S//NF) The notional task group will transit the notional strait on D+3.",
            "(U) Logistics support follows the standard exercise plan.",
            "Classified By: Exercise Director, Notional Fleet", "Derived From: Notional SCG 01",
            "Declassify On: 20491231"]}], title="Exercise planning summary"))

    slide_di = ["Controlled by: Department of the Navy", "Controlled by: NAVSEA 05T",
                "CUI Category: PRVCY", "POC: Jane Smith, 202-555-0142"]
    slides = [
        {"top": "CUI", "bottom": "CUI", "title": "Branch Readiness Review, March 2024",
         "lines": ["NAVSEA 05T", "14 March 2024"], "bottom_lines": slide_di},
        {"top": "CUI", "bottom": "CUI", "title": "Staffing",
         "lines": ["Recall roster verified for 42 of 45 staff", "Three home addresses to update"]},
        {"top": "CUI", "bottom": "CUI", "title": "Training",
         "lines": ["Annual CUI training complete: 45 of 45", "Next refresher: September 2024"]},
    ]
    write(d / "briefing-correct.pptx", pptx_bytes(slides, title="Branch readiness review"))
    partial = [slides[0], slides[1],
               {"top": None, "bottom": None, "title": "Open Actions",
                "lines": ["Update three home addresses in the roster", "Owner: J. Smith"]},
               {"top": None, "bottom": None, "title": "Questions", "lines": ["Contact J. Smith, x0142"]}]
    write(d / "briefing-partial-banners.pptx", pptx_bytes(partial, title="Branch readiness review (partial)"))

    roster_rows = [["Name", "Home phone", "Home address"], ["A. Able", "202-555-0101", "12 Elm St"],
                   ["B. Baker", "202-555-0102", "4 Oak Ave"]]
    di_rows = [[""]] + [[line] for line in DOD_DI_NAVY]
    sheets = [{"name": "Roster", "header": "CUI", "footer": "CUI", "rows": roster_rows + di_rows},
              {"name": "Alternates", "header": "CUI", "footer": "CUI",
               "rows": [["Name", "Home phone"], ["C. Clark", "202-555-0103"]]}]
    write(d / "roster-correct.xlsx", xlsx_bytes(sheets))
    write(d / "roster-sheet2-unmarked.xlsx", xlsx_bytes([sheets[0], dict(sheets[1], header=None, footer=None)]))

    drawing = pdf_bytes([dict(page1, lines=["Inlet Ramp Actuator Drawing Notes, Rev C", "12 February 2024", ""]
                              + STATEMENT_D, bottom_lines=DOD_DI_AF_CTI)], title="Actuator drawing notes")
    write(d / "transmittal-no-statement.eml", eml_bytes(
        "CUI - Actuator drawing notes for review",
        ["CUI", "", "Mark,", "", "Attached are the Rev C actuator drawing notes for your review by 22 March.",
         "", "V/r,", "Jane Smith", "NAVSEA 05T, 202-555-0142", "", "CUI"],
        [("actuator-notes.pdf", drawing)], sender="jane.smith@navsea.navy.mil", to="mark.owens@afrl.af.mil"))
    write(d / "transmittal-correct.eml", eml_bytes(
        "CUI - Actuator drawing notes for review",
        ["CUI", "", "Mark,", "", "Attached are the Rev C actuator drawing notes for your review by 22 March.",
         "When the attachment is removed, this email is Uncontrolled Unclassified Information.",
         "", "V/r,", "Jane Smith", "NAVSEA 05T, 202-555-0142", "", "CUI"],
        [("actuator-notes.pdf", drawing)], sender="jane.smith@navsea.navy.mil", to="mark.owens@afrl.af.mil"))
    notes = docx_bytes([{"header": None, "footer": None, "paras": [
        "Inlet Ramp Actuator Test Notes", "Run 12: ramp stalled at 14 degrees; hydraulic pressure 2,900 psi.",
        "Run 13: stall repeated; suspect the Rev B seal.", "Action: fit Rev C seal before run 14."]}],
        title="Actuator test notes")
    write(d / "email-unmarked-attachment.eml", eml_bytes(
        "CUI - Actuator test notes",
        ["CUI", "", "Mark,", "", "Attached are the actuator test notes from runs 12 and 13.",
         "When the attachment is removed, this email is Uncontrolled Unclassified Information.",
         "", "V/r,", "Jane Smith", "NAVSEA 05T, 202-555-0142", "", "CUI"],
        [("actuator-test-notes.docx", notes)], sender="jane.smith@navsea.navy.mil", to="mark.owens@afrl.af.mil"))


def nara_samples(out: Path) -> None:
    d = out / "nara"
    letterhead = ["Department of Good Works", "Office of Grants Management", "14 March 2024"]
    write(d / "memo-correct.docx", docx_bytes([{"header": "CUI//SP-PRVCY", "footer": "CUI//SP-PRVCY", "paras":
        letterhead + ["MEMORANDUM FOR REGIONAL GRANT OFFICERS",
                      "SUBJECT: Applicant Records Retention",
                      "Applicant files hold names, dates of birth and bank account numbers of grantees.",
                      "Keep them in the grants system only; purge local copies after award.",
                      ] + NARA_DI}], title="Applicant records retention"))

    report = [{"header": "CUI//SP-CTI//NOFORN", "footer": "CUI//SP-CTI//NOFORN",
               "lines": ["Model 9 Seeker Window Abrasion Test Report", "20 January 2024", ""] + REPORT_BODY[:2],
               "bottom_lines": ["Controlled by: Materials Directorate, Department of Good Works",
                                "POC: Lee Park, 202-555-0177"]},
              {"header": "CUI//SP-CTI//NOFORN", "footer": "CUI//SP-CTI//NOFORN", "lines": REPORT_BODY[2:]}]
    write(d / "report-correct.pdf", pdf_bytes(report, title="Seeker window test report"))

    portioned = [{"header": "CUI//SP-CTI", "footer": "CUI//SP-CTI",
                  "lines": ["(U) Model 9 Seeker Window Coating Trial", "(U) 20 January 2024",
                            "(CUI//SP-CTI) Coating B lost 0.4 dB of transmission after 40 sand-erosion cycles.",
                            "(CUI//SP-EXPT) Coating B uses the controlled deposition recipe R-17.",
                            "(U) The next trial is planned for May 2024."],
                  "bottom_lines": ["Controlled by: Materials Directorate, Department of Good Works",
                                   "POC: Lee Park, 202-555-0177"]}]
    write(d / "banner-missing-category.pdf", pdf_bytes(portioned, title="Seeker window coating trial"))

    write(d / "noforn-relto.docx", docx_bytes([{
        "header": "CUI//SP-CTI//NOFORN/REL TO USA, GBR", "footer": "CUI//SP-CTI//NOFORN/REL TO USA, GBR",
        "paras": letterhead + ["Model 9 Seeker Window Coating Summary for the Joint Review",
                               "Coating B meets the erosion goal; coating C is dropped.",
                               "Controlled by: Materials Directorate, Department of Good Works",
                               "POC: Lee Park, 202-555-0177"]}], title="Coating summary"))

    write(d / "partial-portions.docx", docx_bytes([{
        "header": "CUI//SP-PRVCY", "footer": "CUI//SP-PRVCY", "paras": [
            "Grant Applicant Review, Region 4",
            "(U) The panel reviewed 18 applications on 12 March 2024.",
            "(CUI//SP-PRVCY) Two applicants listed the same bank account; see case file 24-117.",
            "The panel recommends 11 awards.",
            "Controlled by: Office of Grants Management, Department of Good Works",
            "POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199"]}], title="Applicant review"))

    write(d / "wrong-separator.txt", text_bytes([
        "CUI/SP-CTI", "", "Department of Good Works - Materials Directorate", "20 January 2024", "",
        "Seeker window coupon inventory: 24 coated coupons, 6 spare substrates.",
        "Coupons 13-24 carry the R-17 coating and stay in cabinet M-2.", "",
    ] + ["Controlled by: Materials Directorate, Department of Good Works", "POC: Lee Park, 202-555-0177"]))

    write(d / "sp-order.md", text_bytes([
        "CUI//SP-EXPT/SP-CTI", "", "# Coating Process Sheet R-17", "",
        "Department of Good Works - Materials Directorate, 20 January 2024", "",
        "- Deposition temperature and chamber pressure are listed in table 2 of the process file.",
        "- Export screening was completed on 15 January 2024.", "",
        "Controlled by: Materials Directorate, Department of Good Works", "", "POC: Lee Park, 202-555-0177"]))

    write(d / "unknown-category.html", html_bytes("Applicant contact list", [
        ("p", "CUI//PII"), ("h1", "Applicant Contact List, Region 4"),
        ("p", "Department of Good Works - Office of Grants Management, 14 March 2024"),
        ("p", "Contact details of the 18 applicants are kept in the grants system, record set R4-2024."),
        ("p", "Controlled by: Office of Grants Management, Department of Good Works"),
        ("p", "POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199")]))

    write(d / "notice-correct.txt", text_bytes([
        "CUI//SP-PRVCY", "", "Department of Good Works - Office of Grants Management", "14 March 2024", "",
        "Region 4 applicant follow-up: call the two applicants with duplicate bank accounts before 22 March.",
        "Case numbers 24-117 and 24-121 are in the grants system.", ""] + NARA_DI))

    write(d / "process-sheet-correct.md", text_bytes([
        "CUI//SP-CTI/SP-EXPT", "", "# Coating Process Sheet R-17", "",
        "Department of Good Works - Materials Directorate, 20 January 2024", "",
        "- Deposition temperature and chamber pressure are listed in table 2 of the process file.",
        "- Export screening was completed on 15 January 2024.", "",
        "Controlled by: Materials Directorate, Department of Good Works", "", "POC: Lee Park, 202-555-0177"]))

    write(d / "contact-list-correct.html", html_bytes("Applicant contact list", [
        ("p", "CUI//SP-PRVCY"), ("h1", "Applicant Contact List, Region 4"),
        ("p", "Department of Good Works - Office of Grants Management, 14 March 2024"),
        ("p", "Contact details of the 18 applicants are kept in the grants system, record set R4-2024."),
        ("p", "Controlled by: Office of Grants Management, Department of Good Works"),
        ("p", "POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199"), ("p", "CUI//SP-PRVCY")]))

    write(d / "award-roster-correct.csv", text_bytes([
        "CUI//SP-PRVCY", "applicant,award_usd,bank_routing_last4", "24-101,45000,0231", "24-108,38000,7710",
        "24-113,52000,4409", "Controlled by: Office of Grants Management, Department of Good Works",
        "POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199"]))

    write(d / "di-missing.txt", text_bytes([
        "CUI//SP-PRVCY", "", "Region 4 applicant follow-up list", "14 March 2024", "",
        "Call the two applicants with duplicate bank accounts before 22 March.",
        "Case numbers are in the grants system."]))

    memo = docx_bytes([{"header": "CUI//SP-PRVCY", "footer": "CUI//SP-PRVCY", "paras":
                        letterhead + ["Region 4 award list: 11 awards, bank details verified."] + NARA_DI}],
                      title="Award list")
    draft_notes = text_bytes(["CUI//DRAFT", "", "Department of Good Works - Office of Grants Management",
                              "Draft talking points for the Region 4 award call, 14 March 2024.",
                              "Applicant bank details are not to be read out on the call."] + NARA_DI)
    write(d / "grants-package.zip", zip_bytes([("award-list.docx", memo), ("talking-points.txt", draft_notes)]))

    write(d / "reply-drops-banner.eml", eml_bytes(
        "RE: Region 4 duplicate bank accounts",
        ["Dana,", "", "Thanks - I will call both applicants tomorrow.", "", "Lee", "",
         "> CUI//SP-PRVCY", ">", "> Lee, applicants 24-117 and 24-121 listed the same bank account.",
         "> Please call them before 22 March.", ">",
         "> Controlled by: Office of Grants Management, Department of Good Works",
         "> POC: Dana Lee, grants-cui@dgw.example.gov, 202-555-0199"],
        sender="lee.park@dgw.example.gov", to="dana.lee@dgw.example.gov"))


def not_cui_samples(out: Path) -> None:
    d = out / "not-cui"
    write(d / "business-letter.docx", docx_bytes([{
        "header": "Acme Corporation", "footer": "(C) 2024 Acme Corporation. All rights reserved.", "paras": [
            "Acme Corporation, 100 Main Street, Springfield", "14 March 2024",
            "Dear Ms. Rivera,",
            "Thank you for your order of 40 folding tables. They leave our warehouse on 20 March.",
            "Our terms are net 30. Please contact us with any questions.",
            "Sincerely,", "Tom Baker", "Sales Manager",
            "(C) 2024 Acme Corporation. Product names are trademarks of Acme Corporation."]}], title="Order confirmation"))

    write(d / "cui-training-article.html", html_bytes("Understanding CUI markings", [
        ("h1", "Understanding CUI Markings: A Short Guide for New Staff"),
        ("p", "Controlled Unclassified Information (CUI) replaced older labels such as FOUO, SBU and LES."),
        ("p", "A banner such as CUI//SP-CTI tells the reader that the document holds Specified CTI."),
        ("p", "Older documents may show (U//FOUO) at the start of a paragraph; that marking is no longer used."),
        ("p", "Do not confuse CUI with classified information: SECRET and TOP SECRET documents follow other rules."),
        ("p", "Technical reports often carry Distribution Statement D, which limits release to DoD and its contractors."),
        ("p", "Banner markings like NOFORN or REL TO USA, GBR restrict foreign release."),
        ("p", "Questions? Write to the training office.")]))

    write(d / "policy-memo.md", text_bytes([
        "# Policy Memo 2024-07: Retiring Legacy Markings", "", "14 March 2024", "",
        "1. Effective immediately, staff will no longer apply FOUO or \"For Official Use Only\" to new documents.",
        "2. Documents that need protection are marked as CUI under the agency CUI policy.",
        "3. A document with a SECRET marking must never be stored on the corporate share; report it to security.",
        "4. Questions go to the records officer."]))

    write(d / "news-article.txt", text_bytes([
        "Local engineer honored for bridge design", "", "SPRINGFIELD, March 14, 2024 -",
        "Maria Chen, who held a SECRET clearance during her years at the Navy yard, received the city's",
        "engineering award on Tuesday. The secret to the bridge's long life, she said, is simple maintenance.",
        "Top secret? Not at all: the design drawings are on display at the public library."]))

    write(d / "office-supplies.csv", text_bytes([
        "item,quantity,unit_price,location", "folding table,40,39.90,Warehouse B",
        "stapler,25,7.50,Supply room", "toner (black),12,64.00,Supply room",
        "secret santa gift bags,30,1.20,Break room"]))


def main() -> None:
    out = HERE
    dod_samples(out)
    nara_samples(out)
    not_cui_samples(out)
    print(f"samples written under {out}")


if __name__ == "__main__":
    main()
