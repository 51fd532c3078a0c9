"""The HELD-OUT evaluation set: real files (docx, pdf, pptx, xlsx, eml) in the styles of real emails,
slides, memos, meeting notes and spreadsheets, with a labels.csv for `cuiscan eval`.

Written separately from the training generator (models/corpus/make_training_corpus.py) and never read
by training: other templates, other phrasings, other vocabulary (programs, systems, people, places,
companies). Negatives are ordinary business text that talks about defense topics without holding
CUI, public articles and training about CUI, statement-A papers, and correctly MARKED CUI files
(which must not get DETECT-001 either).

    build_heldout(folder, seed=7) -> Path of labels.csv
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

from detect_builders import write_docx, write_eml, write_pdf, write_pptx, write_xlsx

V = {
    "program": ["Project Sandpiper", "the GALEFORCE glide body effort", "Program NIGHTJAR", "the Trident Lance upgrade",
                "Project Basalt Veil", "the WRAITHLINE decoy program"],
    "system": ["the LRX-5 laser designator", "the Mk 71 mine", "the Cobalt-3 datalink", "the VESPA loitering munition",
               "the AN/TPQ-90 counter-battery radar", "the Harrow-2 sonobuoy"],
    "part": ["inertial measurement unit", "igniter assembly", "phased-array tile", "fuze board", "cooling manifold",
             "optical window", "servo amplifier", "battery pack"],
    "org": ["PEO Soldier", "NAVWAR 5.0", "AFLCMC/EB", "PM Close Combat Systems", "SMDC Tech Center", "NSWC Crane"],
    "company": ["Ardent Kinetics", "Sollund Optics", "Brightwater Avionics", "Calder & Finch Composites",
                "Mirova Power Systems", "Tessaly Labs"],
    "first": ["Gwen", "Omar", "Tatiana", "Bruno", "Keiko", "Desmond", "Lena", "Arturo", "Nadia", "Felix"],
    "last": ["Halloran", "Abiodun", "Szabo", "Lindqvist", "Moreau", "Takahashi", "Okafor", "Brandt", "Varga", "Quinn"],
    "place": ["Yuma Proving Ground", "Point Mugu", "Aberdeen", "Kwajalein", "Fort Huachuca", "Wallops Island"],
    "unit": ["1st Squadron, 4th Cavalry", "Bravo Battery, 2-44 ADA", "HSC-21", "3rd Platoon, A Co 1-502",
             "the 727th EACS detachment"],
}


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, key: str) -> str:
        return self.rng.choice(V[key])

    def person(self) -> str:
        return f"{self.pick('first')} {self.pick('last')}"

    def ssn(self) -> str:
        r = self.rng
        return f"{r.randint(101, 665):03d}-{r.randint(10, 99):02d}-{r.randint(1000, 9999):04d}"

    def dob(self) -> str:
        r = self.rng
        return f"{r.randint(1, 12)}/{r.randint(1, 28)}/{r.randint(1961, 2001)}"

    def num(self, a: int = 2, b: int = 90) -> int:
        return self.rng.randint(a, b)


# ---------------------------------------------------------------- positives (unmarked CUI)

def cti_test_report_pdf(g: Gen, path: Path):
    sys_, part = g.pick("system"), g.pick("part")
    write_pdf(path, title=f"Environmental Qualification Report - {sys_} {part}", paragraphs=[
        f"DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD contractors "
        f"only; Test and Evaluation; {g.num(1, 28)} Apr 2024. Other requests for this document shall be referred "
        f"to {g.pick('org')}.",
        f"1. Summary. Vibration testing of the {part} was performed at {g.pick('place')} per MIL-STD-810H "
        f"Method 514.8. Unit S/N {g.num(100, 999)} exhibited a resonance at {g.num(180, 900)} Hz with a transmissibility "
        f"of {g.num(3, 12)}.{g.num(0, 9)}, exceeding the allocation in the performance specification.",
        f"2. Results. Shock pulses of {g.num(20, 75)} g caused intermittent loss of the telemetry channel. "
        f"Root cause analysis points to connector J{g.num(2, 9)} fretting.",
        "DESTRUCTION NOTICE - For unclassified, limited documents, destroy by any method that will prevent "
        "disclosure of contents or reconstruction of the document.",
    ])
    return "CTI"


def cti_design_memo_docx(g: Gen, path: Path):
    part = g.pick("part")
    write_docx(path, title=f"Design Review Action Items - {g.pick('program')}", paragraphs=[
        f"Attendees: {g.person()}, {g.person()}, {g.person()} ({g.pick('org')})",
        f"The {part} housing wall must be thickened to 3.40 mm +/- 0.05 mm; revised drawing to be released as "
        f"Rev {g.rng.choice('BCDEF')}.",
        f"Firmware for the {part} will be frozen at build {g.num(10, 60)}; the guidance filter time constant moves "
        f"to {g.num(20, 90)} ms after the last captive-carry test.",
        "Distribution Statement C. Critical Technology.",
    ])
    return "CTI"


def cti_slides_pptx(g: Gen, path: Path):
    sys_ = g.pick("system")
    write_pptx(path, slides=[
        (f"{sys_}: Program Review", ["DIST STATEMENT D - Test and Evaluation", f"Presented to {g.pick('org')}"]),
        ("Seeker performance", [f"Acquisition range {g.num(4, 19)}.{g.num(0, 9)} km against the threat set",
                                f"False-alarm rate {g.num(1, 9)} per hour in clutter", "Gimbal slew limit 240 deg/s"]),
        ("Open issues", ["Radome boresight error above spec at high temperature",
                         f"Software build {g.num(3, 12)} fixes track-drop; flight test slips to Q3"]),
    ], notes={1: "Do not share the range numbers outside the IPT."})
    return "CTI"


def cti_meeting_email(g: Gen, path: Path):
    sys_, part = g.pick("system"), g.pick("part")
    write_eml(path, subject=f"Notes from today's {g.pick('program')} test readiness review", body=(
        f"Team,\n\nQuick notes from the TRR for {sys_}:\n"
        f"- The {part} failed the thermal cycle at -40 C on unit {g.num(2, 9)}; "
        f"the missile program office wants failure analysis before live fire.\n"
        f"- Test results from the last sled run show {g.num(12, 40)} g peak at the warhead interface, above the "
        f"design specification limit of {g.num(8, 11)} g.\n"
        f"- Updated schematics and the wiring diagram are on the program share.\n\n"
        f"Thanks,\n{g.person()}\nLead Systems Engineer"))
    return "CTI"


def expt_email(g: Gen, path: Path):
    part = g.pick("part")
    write_eml(path, subject=f"RE: drawings for {g.pick('company')}", body=(
        f"Hi {g.pick('first')},\n\nPlease do not forward the {part} drawing set to the team in Bristol. The attached "
        f"drawings are ITAR-controlled (USML Category XII(e)) and our TAA does not cover manufacturing data. "
        f"Foreign persons on the program may not access the drawings without a license.\n\n"
        f"Regards,\n{g.person()}\nTrade Compliance"))
    return "EXPT"


def expt_matrix_xlsx(g: Gen, path: Path):
    rows = [["Part number", "Description", "ECCN", "Jurisdiction", "License required"]]
    for i in range(g.num(6, 12)):
        eccn = g.rng.choice(["6A003.b.4", "7A003", "3A001.b.2", "5A002.a", "9A610.x"])
        rows.append([f"{g.num(10000, 99999)}-{i:02d}", f"{g.pick('part')}", eccn, "EAR", "Yes - export license"])
    write_xlsx(path, {"Classification": rows})
    return "EXPT"


def expt_warning_docx(g: Gen, path: Path):
    write_docx(path, title=f"{g.pick('system')} Interface Description", paragraphs=[
        "WARNING - This document contains technical data whose export is restricted by the Arms Export Control "
        "Act (Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979, as amended. "
        "Violations of these export laws are subject to severe criminal penalties.",
        f"The {g.pick('part')} exchanges messages at {g.num(10, 200)} Hz over the {g.pick('system')} bus; "
        "the message catalog is in Appendix B.",
    ])
    return "EXPT CTI"


def prvcy_roster_xlsx(g: Gen, path: Path):
    rows = [["Last", "First", "SSN", "DOB", "Grade", "Unit"]]
    for _ in range(g.num(8, 20)):
        rows.append([g.pick("last"), g.pick("first"), g.ssn(), g.dob(), g.rng.choice(["E-4", "E-5", "O-2", "GS-11"]),
                     g.pick("unit")])
    write_xlsx(path, {"Roster": rows})
    return "PRVCY"


def prvcy_hr_email(g: Gen, path: Path):
    name = g.person()
    write_eml(path, subject="Leave request - medical", body=(
        f"Sir,\n\nSSgt {name} (DoD ID {g.num(1000000000, 1999999999)}) was seen at the clinic on Monday and "
        f"diagnosed with a herniated disc. His medical profile restricts lifting until 30 August. "
        f"Request convalescent leave from 12 to 26 July.\n\nV/r,\n{g.person()}\nFirst Sergeant"))
    return "PRVCY"


def prvcy_case_notes_docx(g: Gen, path: Path):
    name = g.person()
    write_docx(path, title="Counseling record", paragraphs=[
        f"Employee: {name}    Date of birth: {g.dob()}    SSN: {g.ssn()}",
        f"On 3 June the supervisor issued a letter of reprimand to {name} for unexcused absences. "
        "A performance improvement plan follows; the employee was advised of appeal rights.",
    ])
    return "PRVCY"


def propin_proposal_pdf(g: Gen, path: Path):
    write_pdf(path, title=f"Technical Volume - {g.pick('company')} response to RFP W56HZV-24-R-{g.num(1000, 9999)}",
              paragraphs=[
        "This proposal includes data that shall not be disclosed outside the Government and shall not be "
        "duplicated, used, or disclosed - in whole or in part - for any purpose other than to evaluate this proposal.",
        f"Our approach reuses the {g.pick('part')} we developed under IR&D; process yields and cycle times are in "
        "Section 4.",
        "Use or disclosure of data contained on this sheet is subject to the restriction on the title page of "
        "this proposal.",
    ])
    return "PROPIN"


def propin_slides_pptx(g: Gen, path: Path):
    co = g.pick("company")
    write_pptx(path, slides=[
        (f"{co} Manufacturing Roadmap", [f"{co} Proprietary - do not distribute",
                                         "Prepared for the supplier summit"]),
        ("Yield improvements", [f"Line 3 yield up to {g.num(70, 95)}% after the new bonding cure",
                                "Cure profile: 135 C for 42 min, vacuum 0.8 bar"]),
    ])
    return "PROPIN"


def procure_pricing_xlsx(g: Gen, path: Path):
    rows = [["Labor category", "Hours", "Direct rate", "Fringe", "Overhead", "G&A", "Fully burdened rate"]]
    for cat in ["Principal engineer", "Software engineer II", "Test technician", "Program manager"]:
        rows.append([cat, g.num(200, 2000), g.num(45, 95), "31.2%", "88.5%", "12.1%", g.num(140, 260)])
    rows.append(["Basis of estimate: analogous to CLIN 0003 of the prior contract", "", "", "", "", "", ""])
    write_xlsx(path, {"Cost volume": rows, "Fee": [["Fee percentage", "8.5%"], ["Escalation", "3.1%/yr"]]})
    return "PROCURE"


def procure_co_email(g: Gen, path: Path):
    write_eml(path, subject="Negotiation strategy for the sustainment award", body=(
        f"All,\n\nOur independent government cost estimate for the base year is ${g.num(2, 9)}.{g.num(1, 9)}M. "
        f"The pre-negotiation objective is to bring {g.pick('company')}'s labor rates down by about {g.num(4, 12)}% "
        "and hold fee at 7%. Please keep this inside the contracting team.\n\nContracting Officer"))
    return "PROCURE"


def ssel_consensus_docx(g: Gen, path: Path):
    write_docx(path, title="Technical Evaluation - Consensus Report", paragraphs=[
        "SOURCE SELECTION INFORMATION - SEE FAR 2.101 AND 3.104",
        f"Offeror A ({g.pick('company')}): Acceptable. Strength: mature {g.pick('part')} design. Weakness: "
        "staffing plan relies on new hires.",
        f"Offeror B ({g.pick('company')}): Marginal. Significant weakness in integration schedule.",
        "The SSEB recommends both offerors for the competitive range.",
    ])
    return "SSEL"


def ssel_notes_email(g: Gen, path: Path):
    write_eml(path, subject="evaluator notes - day 3", body=(
        f"Panel,\n\nAfter caucus we rated {g.pick('company')}'s proposal Unacceptable on Factor 2; the past "
        f"performance confidence for {g.pick('company')} stays Satisfactory. Draft evaluation notices go to the "
        "contracting officer Friday. Source selection sensitive - do not discuss outside the panel.\n\n"
        f"{g.person()}, Factor 2 lead"))
    return "SSEL"


def pcii_pdf(g: Gen, path: Path):
    write_pdf(path, title="Submission to the PCII Program Office", paragraphs=[
        "This document contains Protected Critical Infrastructure Information (PCII). In accordance with the "
        "provisions of the Critical Infrastructure Information Act of 2002, PCII is exempt from release under "
        "the Freedom of Information Act.",
        f"Substation {g.num(10, 99)} relies on a single transformer bank; the backup SCADA link runs over leased lines.",
    ])
    return "PCII"


def ssi_docx(g: Gen, path: Path):
    write_docx(path, title="Checkpoint staffing changes", paragraphs=[
        "SENSITIVE SECURITY INFORMATION",
        f"Checkpoint {g.rng.choice('ABCD')} will run with {g.num(2, 5)} officers between 0200 and 0400; "
        "the explosives trace detector is offline for calibration.",
        "WARNING: This record contains Sensitive Security Information that is controlled under 49 CFR parts 15 "
        "and 1520. No part of this record may be disclosed to persons without a need to know.",
    ])
    return "SSI"


def lei_email(g: Gen, path: Path):
    write_eml(path, subject=f"Case {g.num(1000, 9999)} update", body=(
        f"Detective,\n\nOur confidential informant says {g.person()} moves the product through the warehouse on "
        f"Tuesdays. The case agent is drafting a search warrant affidavit; surveillance log for last week "
        "is attached to the case file.\n\nSA " + g.person()))
    return "LEI"


def privilege_docx(g: Gen, path: Path):
    write_docx(path, title="Memorandum to the Program Director", paragraphs=[
        "PRIVILEGED - ATTORNEY-CLIENT COMMUNICATION",
        f"You asked whether the termination of the {g.pick('company')} subcontract exposes us to a claim. "
        "In our view the notice period was not respected, and a settlement offer is advisable.",
        "Office of General Counsel",
    ])
    return "PRIVILEGE"


def opsec_slides_pptx(g: Gen, path: Path):
    unit = g.pick("unit")
    write_pptx(path, slides=[
        (f"{unit} Deployment Brief", ["Movement schedule and routes", "Battalion staff only"]),
        ("Timeline", [f"Advance party departs {g.num(1, 28)} Sep", f"Main body departure date {g.num(1, 28)} Oct",
                      "Convoy route GOLD via MSR Tampa; rest halt at km 112"]),
        ("Critical Information List", ["Unit strength and equipment", "Departure and return dates"]),
    ])
    return "OPSEC"


POSITIVES = [cti_test_report_pdf, cti_design_memo_docx, cti_slides_pptx, cti_meeting_email, expt_email,
             expt_matrix_xlsx, expt_warning_docx, prvcy_roster_xlsx, prvcy_hr_email, prvcy_case_notes_docx,
             propin_proposal_pdf, propin_slides_pptx, procure_pricing_xlsx, procure_co_email, ssel_consensus_docx,
             ssel_notes_email, pcii_pdf, ssi_docx, lei_email, privilege_docx, opsec_slides_pptx]
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "pptx": ".pptx", "xlsx": ".xlsx", "email": ".eml"}


def build_heldout(folder: Path, seed: int = 7, copies: int = 2) -> Path:
    """Write every held-out template `copies` times (different vocabulary draws) and the labels.csv."""
    from detect_heldout_neg import MARKED, NEGATIVES

    g = Gen(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for copy in range(copies):
        for fn in POSITIVES:
            name = f"{fn.__name__}-{copy}{_ext(fn.__name__)}"
            cats = fn(g, folder / name)
            rows.append((name, "cui", cats))
        for fn in NEGATIVES:
            name = f"{fn.__name__}-{copy}{_ext(fn.__name__)}"
            fn(g, folder / name)
            rows.append((name, "not-cui", ""))
        for fn in MARKED:
            name = f"{fn.__name__}-{copy}{_ext(fn.__name__)}"
            fn(g, folder / name)
            rows.append((name, "marked-cui", ""))
    labels = folder / "labels.csv"
    with labels.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "label", "categories"])
        writer.writerows(rows)
    return labels


def _ext(name: str) -> str:
    return EXTENSIONS[name.rsplit("_", 1)[1]]
