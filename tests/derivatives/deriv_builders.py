"""Real files for the derivative tests: a marked specification and documents that copy from it, or not.

Every builder writes a real file with the format's own library (python-docx, python-pptx, openpyxl,
fpdf2, the email package); tests read them back through cuiscan.extractors.extract_file.
"""
from __future__ import annotations

import random
import re
import textwrap
from email.message import EmailMessage
from pathlib import Path

LETTERHEAD = "Northwind Aerospace Systems | 4100 Research Parkway | Huntsville, Alabama 35806 | (256) 555-0142"
DI_BLOCK = ["Controlled by: Department of the Air Force", "Controlled by: AFLCMC/WNA",
            "CUI Category: CTI", "Distribution Statement: D", "POC: Dana Whitfield, (937) 555-0199"]
DISTRIBUTION_D = ("DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD "
                  "contractors only; Critical Technology; 12 Mar 2025. Other requests for this document shall "
                  "be referred to AFLCMC/WNA, Wright-Patterson AFB, OH 45433.")
EXPORT_WARNING = ("WARNING - This document contains technical data whose export is restricted by the Arms Export "
                  "Control Act (Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979 "
                  "(Title 50, U.S.C., App. 2401 et seq.), as amended. Violations of these export laws are "
                  "subject to severe criminal penalties. Disseminate in accordance with provisions of DoD "
                  "Directive 5230.25.")

SPEC_TITLE = "Thermal Management Subsystem Specification for the AN/APX-990 Sensor Pod"
SPEC_PARAGRAPHS = [
    "The thermal management subsystem removes heat from the transmit and receive modules, the power "
    "conditioning unit and the signal processor. Coolant is a polyalphaolefin fluid circulated by two "
    "redundant centrifugal pumps at a nominal flow of 11.5 liters per minute. Each pump is driven by a "
    "brushless motor rated for continuous duty at 270 volts direct current. A bypass valve opens when the "
    "differential pressure across the cold plates exceeds 180 kilopascals, protecting the seals from "
    "surge during cold starts below minus 40 degrees Celsius.",
    "Heat rejection relies on a ram-air heat exchanger mounted in the aft fairing of the pod. At cruise "
    "the exchanger rejects up to 9.2 kilowatts with an inlet air temperature of 35 degrees Celsius. During "
    "ground operation an auxiliary fan draws ambient air through the core so that the array can radiate "
    "for twenty minutes without aircraft motion. The controller throttles transmit duty when the coolant "
    "supply temperature reaches 62 degrees Celsius and commands a safe shutdown at 71 degrees Celsius, "
    "logging the event with the mission time and the module identifier.",
    "Each transmit and receive module is bonded to an aluminum cold plate with a silver-filled epoxy of "
    "0.1 millimeter nominal bond line. Junction temperature of the gallium nitride amplifiers shall not "
    "exceed 165 degrees Celsius at the worst-case duty cycle of 22 percent with a pulse width of 80 "
    "microseconds. Thermocouples embedded at the inlet and outlet of every third cold plate report to the "
    "controller over a redundant serial bus, and a gradient above 8 degrees Celsius across one row of "
    "modules raises a maintenance advisory.",
    "Qualification testing follows a sequence of thermal cycling, vibration and altitude exposure. The "
    "pod is cycled between minus 54 and plus 71 degrees Celsius for 30 cycles with a dwell of two hours "
    "at each extreme. Random vibration is applied at 7.7 g root mean square for one hour per axis while "
    "the subsystem operates at full flow. Leakage after the sequence shall be less than 0.5 milliliters "
    "per hour measured by a helium mass spectrometer at a pressure of 500 kilopascals.",
    "Maintenance access is provided through two quick-release panels on the lower surface. The coolant "
    "reservoir carries a sight gauge and a pressure relief cap set at 310 kilopascals. Fluid samples are "
    "drawn every 400 flight hours and analyzed for water content, which shall remain below 50 parts per "
    "million. Replacement of a pump assembly requires no more than 45 minutes by two technicians using "
    "the standard tool kit and does not require draining the cold plate loop.",
]

# The same subject, written independently: it must never be taken for a derivative of the spec.
UNRELATED_SAME_TOPIC = [
    "Liquid cooling for airborne radar arrays has become standard as module power density rises. Most "
    "designs pump a synthetic hydrocarbon coolant through cold plates and dump the heat to a ram-air "
    "exchanger, which works well in flight but needs help on the ground. Engineers therefore add a fan "
    "or a fuel-cooled heat exchanger so that maintenance crews can run the array on the flight line.",
    "The review board examined how the contractor intends to verify cooling margins. Their plan combines "
    "computational fluid dynamics with a thermal mockup of one array row, instrumented with resistance "
    "thermometers. Board members asked for more detail on pump redundancy, on the logic that reduces "
    "transmit power when the coolant runs hot, and on how leaks will be detected in service.",
    "Gallium nitride amplifiers tolerate higher junction temperatures than gallium arsenide parts, yet "
    "their lifetime still falls sharply with heat. A rule of thumb in the industry is that every ten "
    "degrees of additional junction temperature halves the expected life, so program offices usually "
    "set derating limits well below the manufacturer's absolute maximum rating.",
]

MEMO_PARAGRAPHS = [
    "This memorandum announces the schedule for the quarterly program review in building 12. Attendees "
    "should bring their badge and arrive fifteen minutes early for the security check at the main gate.",
    "Parking is limited during the construction of the new laboratory wing, so car pools are encouraged. "
    "Lunch will be served in the atrium and vegetarian options are available on request.",
]

FILLER = [
    "Thanks for sending this over so quickly.",
    "Let me know if the numbers look right to you before the review on Thursday.",
    "I pasted the relevant part below so the team has it in one place.",
    "We can go through the open items at the stand-up tomorrow morning.",
    "Regards, Sam",
]


def excerpt(paragraph: int = 1, start_sentence: int = 1, max_words: int = 90) -> str:
    """Whole sentences of one spec paragraph, about 60-100 words."""
    sentences = split_sentences(SPEC_PARAGRAPHS[paragraph])[start_sentence:]
    out: list[str] = []
    for s in sentences:
        if out and len(" ".join(out + [s]).split()) > max_words:
            break
        out.append(s)
    return " ".join(out)


def split_sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text.strip())


def lightly_edited(text: str, seed: int = 7) -> str:
    """Change one word in every sentence and swap the order of two sentences."""
    rng = random.Random(seed)
    sentences = split_sentences(text)
    edited = []
    for s in sentences:
        words = s.split()
        i = rng.randrange(1, len(words) - 1)
        words[i] = rng.choice(["roughly", "the", "main", "new", "current", "system"])
        edited.append(" ".join(words))
    if len(edited) >= 3:
        edited[0], edited[1] = edited[1], edited[0]
    return " ".join(edited)


# -- writers -----------------------------------------------------------------------------------------
def marked_spec_docx(path: Path, paragraphs=SPEC_PARAGRAPHS, title=SPEC_TITLE, letterhead=LETTERHEAD) -> Path:
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "CUI"
    section.footer.paragraphs[0].text = "CUI"
    doc.add_paragraph(letterhead)
    doc.add_heading(title, level=1)
    for line in DI_BLOCK:
        doc.add_paragraph(line)
    doc.add_paragraph(DISTRIBUTION_D)
    doc.add_paragraph(EXPORT_WARNING)
    for number, text in enumerate(paragraphs, 1):
        doc.add_heading(f"3.{number} Requirement group {number}", level=2)
        doc.add_paragraph(text)
    doc.save(path)
    return path


def docx_with(path: Path, paragraphs: list[str], header: str | None = None) -> Path:
    from docx import Document

    doc = Document()
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def eml_with(path: Path, body: str, subject: str = "Pump numbers") -> Path:
    msg = EmailMessage()
    msg["From"] = "sam.ortiz@example.com"
    msg["To"] = "lee.chen@example.com"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 04 Mar 2025 10:15:00 +0000"
    msg.set_content(body)
    path.write_bytes(msg.as_bytes())
    return path


def quoted_reply(text: str, width: int = 64) -> str:
    """An email reply that quotes `text` reflowed to `width` columns with "> " prefixes."""
    quoted = "\n".join("> " + line for line in textwrap.wrap(text, width))
    return ("Agreed, this matches what the supplier told us.\n\nSam\n\n"
            "On Mon, 3 Mar 2025 at 16:02, Lee Chen <lee.chen@example.com> wrote:\n" + quoted + "\n")


def pptx_bullets(path: Path, title: str, bullets: list[str]) -> Path:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = "Program status"
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(5))
    frame = box.text_frame
    frame.word_wrap = True
    for i, bullet in enumerate(bullets):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = "\u2022 " + bullet
        para.font.size = Pt(14)
    prs.save(path)
    return path


def xlsx_rows(path: Path, rows: list[str], sheet: str = "Notes") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Item", "Cost"])
    ws.append(["Pump spares", 12000])
    notes = wb.create_sheet(sheet)
    for i, text in enumerate(rows, 1):
        notes.cell(row=i, column=1, value=text)
    wb.save(path)
    return path


def pdf_text(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for text in paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    pdf.output(str(path))
    return path


def chunks(text: str, size: int) -> list[str]:
    words = text.split()
    return [" ".join(words[i:i + size]) for i in range(0, len(words), size)]
