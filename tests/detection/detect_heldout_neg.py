"""Held-out NEGATIVES: text that must not get DETECT-001.

Ordinary business text about defense work, public articles and training about CUI, statement-A
papers, job ads naming ITAR, email disclaimers, public contract lists full of identifiers, and
correctly MARKED CUI files (a banner means DETECT-001 does not apply). `g` is detect_heldout.Gen.
"""
from __future__ import annotations

from pathlib import Path

from detect_builders import write_docx, write_eml, write_pdf, write_pptx, write_xlsx


def press_release_docx(g, path: Path):
    write_docx(path, title="For Immediate Release", paragraphs=[
        f"{g.pick('company')} Awarded ${g.num(20, 400)} Million Army Contract for {g.pick('system')} Sustainment",
        f"{g.pick('place')} - {g.pick('company')} today announced a five-year contract from {g.pick('org')} to "
        "provide depot repair, spare parts and field engineering. Work will be performed in Ohio and Texas.",
        "Media contact: communications office. About the company: founded in 1987, employee-owned.",
    ])


def job_ad_pdf(g, path: Path):
    write_pdf(path, title=f"Job description: Senior RF Engineer - {g.pick('company')}", paragraphs=[
        f"Join the team building radar and electronic warfare products for the Navy and Air Force.",
        "Qualifications: BSEE, 8+ years; experience with MIL-STD-461 testing. This position requires access to "
        "information subject to ITAR; applicants must be U.S. persons. Active Secret clearance preferred.",
        "Benefits include 401(k) match and tuition support. Equal opportunity employer. Apply now.",
    ])


def cui_article_pdf(g, path: Path):
    write_pdf(path, title="Understanding Controlled Unclassified Information", paragraphs=[
        "Executive Order 13556 established the CUI program, and 32 CFR Part 2002 sets the rules agencies follow. "
        "The CUI Registry lists the categories, such as Controlled Technical Information and Privacy.",
        "Defense contractors meet safeguarding requirements through NIST SP 800-171 and DFARS 252.204-7012. "
        "Technical documents carry distribution statements B through F; an export-control warning may be added.",
        "Examples of CUI include export-controlled technical data, Social Security numbers and proprietary "
        "business information. In this article we explain marking requirements step by step.",
    ])


def cui_training_pptx(g, path: Path):
    write_pptx(path, slides=[
        ("CUI Awareness Training 2024", ["Annual refresher for all staff", "DoDI 5200.48 and the CUI Registry"]),
        ("Marking basics", ["Banner CUI at top and bottom", "Designation indicator block on the first page",
                            "Distribution statement C example: 'Distribution authorized to U.S. Government agencies "
                            "and their contractors' goes on technical documents"]),
        ("Privacy", ["Never store SSNs on shared drives", "Report spills to the CUI program manager"]),
    ])


def statement_a_paper_pdf(g, path: Path):
    write_pdf(path, title=f"A Survey of Inertial Navigation Error Models", paragraphs=[
        "DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited. Public Affairs case "
        f"number AFRL-2024-{g.num(1000, 9999)}.",
        "This paper reviews published error models for MEMS gyroscopes used in guided munitions and unmanned "
        "aircraft, compares test data from the open literature, and discusses tolerance of bias drift.",
        "The source code of our simulation is available on a public repository.",
    ])


def newsletter_docx(g, path: Path):
    write_docx(path, title="Engineering Newsletter - Summer", paragraphs=[
        f"Congratulations to {g.person()} on 20 years with the missile systems division!",
        f"Our partnership with {g.pick('org')} continues; the team visited {g.pick('place')} for a public open house.",
        "Reminder: the engineering drawings library moves to the new PLM system next month - training sessions "
        "are on the intranet.",
        "Read more in the next newsletter.",
    ])


def office_notes_docx(g, path: Path):
    write_docx(path, title="Facilities meeting notes", paragraphs=[
        "Office move to building 4 on 15 July; crates arrive Monday.",
        "Parking passes for the new garage are at the front desk. Holiday party at the golf club, 13 December.",
        f"Action: {g.person()} to book the shuttle for the Army-Navy game outing.",
    ])


def travel_email(g, path: Path):
    write_eml(path, subject=f"Travel to {g.pick('place')} next week", body=(
        f"Hi all,\n\nFor the site visit at {g.pick('place')} next week: the rental cars are booked under my name, "
        "hotel is the Hampton Inn, and the range badging office opens at 0700. Bring two forms of ID. "
        f"Lunch will be at the base cafeteria.\n\nThanks,\n{g.person()}"))


def sales_xlsx(g, path: Path):
    rows = [["Region", "Q1", "Q2", "Q3", "Q4"]]
    for region in ("North", "South", "East", "West", "Export - Canada"):
        rows.append([region] + [g.num(100, 900) * 1000 for _ in range(4)])
    write_xlsx(path, {"Office furniture sales": rows})


def hr_policy_docx(g, path: Path):
    write_docx(path, title="Policy: Protecting Personal Information", paragraphs=[
        "Employees must not email Social Security numbers or dates of birth. HR will never ask for your SSN by phone.",
        "Medical records are kept by the benefits provider, not by managers. Performance appraisals are stored in "
        "the HR system with restricted access.",
        "Questions? Contact the privacy office.",
    ])


def brochure_pdf(g, path: Path):
    write_pdf(path, title=f"{g.pick('company')} - Precision Composites", paragraphs=[
        "Our proprietary resin-transfer process delivers aerospace-grade parts at automotive prices.",
        "Trusted by defense primes and commercial airlines. ISO 9001 and AS9100 certified.",
        "Learn more at our booth at the trade show. All rights reserved.",
    ])


def disclaimer_email(g, path: Path):
    write_eml(path, subject="Friday lunch order", body=(
        "Hi team, please put your lunch order in the sheet by 10 am.\n\n--\n"
        "CONFIDENTIALITY NOTICE: This e-mail may contain confidential and privileged information. It is intended "
        "only for the use of the individual or entity named above. If you are not the intended recipient, "
        "please delete it."))


def conference_pptx(g, path: Path):
    write_pptx(path, slides=[
        ("Hypersonics Industry Day - Public Agenda", ["Open to the public; registration required"]),
        ("Speakers", [f"{g.person()}, {g.pick('company')}: history of glide vehicles",
                      f"{g.person()}: workforce needs in test and evaluation", "Panel: small business opportunities"]),
    ])


def export_training_email(g, path: Path):
    write_eml(path, subject="Export compliance course - register now", body=(
        "The annual ITAR and EAR overview is open for registration. Topics: what an ECCN is, how the U.S. Munitions "
        "List is organised, and when an export license is needed. The course is online and takes 45 minutes.\n\n"
        "Trade Compliance Office"))


def civil_drawing_docx(g, path: Path):
    write_docx(path, title="Pedestrian bridge - shop drawing notes", paragraphs=[
        "Drawing S-201 Rev C: fabricate the handrail posts to 1.500 in +/- 0.010 in; weld per AWS D1.1.",
        "Test results from the concrete cylinder breaks met 4,000 psi at 28 days.",
        "City inspector to review before the deck pour.",
    ])


def contract_awards_xlsx(g, path: Path):
    rows = [["Contract", "Vendor", "CAGE", "Award date", "Amount"]]
    for i in range(8):
        rows.append([f"W{g.num(10, 99)}P{g.num(1, 9)}Q-{g.num(19, 24)}-C-{g.num(1000, 9999)}", g.pick("company"),
                     f"{g.num(1, 9)}{g.rng.choice('ABCDEFGHJK')}{g.rng.choice('LMNPQR')}{g.num(10, 99)}",
                     "2024-03-01", g.num(100, 999) * 1000])
    write_xlsx(path, {"Public awards": rows})


def webinar_pptx(g, path: Path):
    write_pptx(path, slides=[
        ("Procurement basics webinar", ["How the FAR is organised", "What a CLIN is"]),
        ("Pricing tips for small businesses", ["Know your labor rates and indirect rates",
                                               "A basis of estimate explains your hours", "Learn more on our website"]),
    ])


def court_news_docx(g, path: Path):
    write_docx(path, title="Local news digest", paragraphs=[
        "A federal judge dismissed the lawsuit against the county; attorneys for both sides spoke to reporters.",
        "Police reported a drop in burglaries; the department will hold a public safety fair on Saturday.",
    ])


# ------------------------------------------------- marked CUI: content is CUI, but the file carries a banner

def marked_report_docx(g, path: Path):
    write_docx(path, banner="CUI", title=f"{g.pick('system')} Test Plan", paragraphs=[
        "Controlled by: " + g.pick("org"), "CUI Category: CTI", "Distribution Statement: D",
        "POC: " + g.person(),
        "DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD contractors "
        "only; Critical Technology; 2 Feb 2024. Other requests for this document shall be referred to the program office.",
        f"The {g.pick('part')} will be tested to 45 g shock and the seeker track loop retuned.",
    ])


def marked_roster_pdf(g, path: Path):
    write_pdf(path, banner="CUI", title="Recall roster", paragraphs=[
        f"{g.person()}  SSN {g.ssn()}  DOB {g.dob()}", f"{g.person()}  SSN {g.ssn()}  DOB {g.dob()}",
        "Controlled by: HQ G-1. CUI Category: PRVCY. POC: S1 shop.",
    ])


def marked_email(g, path: Path):
    write_eml(path, subject="CUI - drawings for review", body=(
        "CUI\n\nTeam, the attached drawings are ITAR-controlled (USML Category XI(a)); do not forward to foreign "
        "persons.\n\nControlled by: Trade Compliance\nCUI Category: EXPT\nPOC: export office\n\nCUI"))


NEGATIVES = [press_release_docx, job_ad_pdf, cui_article_pdf, cui_training_pptx, statement_a_paper_pdf,
             newsletter_docx, office_notes_docx, travel_email, sales_xlsx, hr_policy_docx, brochure_pdf,
             disclaimer_email, conference_pptx, export_training_email, civil_drawing_docx, contract_awards_xlsx,
             webinar_pptx, court_news_docx]
MARKED = [marked_report_docx, marked_roster_pdf, marked_email]
