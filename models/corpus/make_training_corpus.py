"""Generate the labelled TRAINING passages for the cuiscan passage classifier.

    python models/corpus/make_training_corpus.py [--seed 13] [--out models/corpus/train.jsonl]

Everything here was written for cuiscan: no text is copied from real documents. Templates combine
slot values from vocabulary pools to vary wording. The held-out evaluation set is NOT made here: it
lives in tests/detection/heldout_docs.py with its own templates, phrasings and vocabulary (other
program names, people, systems), so the held-out score measures generalisation, not memory.

Labels: CUI (0/1) plus one 0/1 label per category (CTI, EXPT, PRVCY, PROPIN, PROCURE, SSEL, LEI,
PRIVILEGE, OPSEC). Negatives are deliberately close to the positives: public news about defense
contracts, job ads naming ITAR, articles about the CUI program, statement-A abstracts, HR policy
text about SSNs, civilian engineering with tolerances.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

LABELS = ("CTI", "EXPT", "PRVCY", "PROPIN", "PROCURE", "SSEL", "LEI", "PRIVILEGE", "OPSEC")

POOLS = {
    "program": ["Project Halyard", "the SABRE-9 program", "Program TALON EDGE", "the Kestrel interceptor program",
                "the Meridian radar upgrade", "Project Ironwake", "the STORMCROW UAS effort", "the Pike-class frigate refit"],
    "system": ["the AN/SPY-7X array", "the Mk 58 torpedo", "the BOLT-4 seeker", "the XR-200 rocket motor",
               "the Hawkline fire control radar", "the ARROWHEAD missile", "the T-19 turret drive", "the sonar dome"],
    "part": ["gimbal housing", "guidance section", "warhead adapter", "transmit/receive module", "nozzle throat",
             "afterbody", "radome", "hydraulic actuator", "antenna feed", "propellant grain", "fin actuator"],
    "org": ["PEO Missiles and Space", "NAVSEA 05", "AFRL/RW", "DEVCOM AvMC", "NAVAIR PMA-201", "the program office",
            "MDA/DE", "DARPA TTO"],
    "company": ["Halvorsen Dynamics", "Kestrel Systems", "Norrland Aero", "Bluewater Defense Labs", "Tarn Precision",
                "Ostrava Microwave", "Greyfield Engineering"],
    "person": ["Dana Whitcomb", "Luis Ortega", "Priya Natarajan", "Tom Becker", "Alicia Grant", "Marcus Lee",
               "Ines Duarte", "Kofi Mensah", "Hannah Vogel", "Raj Patel"],
    "rank": ["SGT", "SSG", "SPC", "PFC", "CPT", "LT", "PO2", "SrA", "TSgt", "MAJ"],
    "unit": ["2nd Battalion, 5th Marines", "HHC 1-12 IN", "VFA-87", "the 33rd Fighter Wing detachment",
             "C Company, 3rd Engineer Battalion", "USS Harlan County crew"],
    "value": ["0.002 in", "0.05 mm", "0.5 dB", "12 GHz", "9.4 GHz", "3.2 nmi", "41 kN", "1.5 deg", "260 ms", "14.7 psi"],
    "date": ["3 March 2024", "17 Sep 2023", "1 Feb 2025", "22 Nov 2022", "8 June 2024", "30 Jan 2023"],
    "civil": ["commercial HVAC compressor", "e-bike motor controller", "elevator door operator", "dishwasher pump",
              "solar inverter", "farm irrigation valve", "wind turbine pitch drive", "hospital bed actuator",
              "race car suspension upright", "water meter", "rail car brake valve", "smart thermostat"],
    "place": ["Huntsville", "Dahlgren", "Eglin", "White Sands", "China Lake", "Redstone Arsenal", "Patuxent River"],
}


def fill(rng: random.Random, text: str) -> str:
    while "{" in text:
        start = text.index("{")
        end = text.index("}", start)
        key = text[start + 1:end]
        value = _special(rng, key) if key not in POOLS else rng.choice(POOLS[key])
        text = text[:start] + value + text[end + 1:]
    return text


def _special(rng: random.Random, key: str) -> str:
    if key == "ssn":
        return f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
    if key == "dob":
        return f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1958, 2002)}"
    if key == "money":
        return f"${rng.randint(40, 400)}.{rng.randint(0, 99):02d}"
    if key == "num":
        return str(rng.randint(2, 96))
    if key == "pct":
        return f"{rng.randint(3, 60)}.{rng.randint(0, 9)}%"
    if key == "letter":
        return rng.choice("ABCDE")
    if key == "piid":
        return f"{rng.choice('WNFH')}{rng.randint(10, 99)}{rng.choice('ABCDPQ')}{rng.randint(10, 99)}{rng.choice('AB')}-{rng.randint(18, 25)}-{rng.choice('CDP')}-{rng.randint(1000, 9999)}"
    if key == "cage":
        return f"{rng.randint(1, 9)}{rng.choice('ABCDEFGH')}{rng.choice('JKLMN')}{rng.randint(10, 99)}"
    if key == "nsn":
        return f"{rng.randint(1000, 9999)}-{rng.randint(0, 99):02d}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
    if key == "dwg":
        return f"{rng.randint(1000000, 9999999)}-{rng.randint(1, 20):03d}"
    raise KeyError(key)


POSITIVE = {
    "CTI": [
        "The {part} on {system} failed qualification at {value} over the limit; {org} wants the root cause analysis before CDR.",
        "Drawing {dwg} Rev {letter}: machine the {part} bore to tolerance +/- {value}; surface finish per the {system} specification.",
        "Test results from {place}: {system} detected the target at {value} with {num} dropped tracks; raw data on the program share.",
        "Attached is the interface control document for the {part}, including pinouts and timing for {system}.",
        "Source code for the {part} controller of {system} is in the repo; the guidance loop gains were retuned to {value}.",
        "Thermal and acoustic signature data of {system} from the {place} range, run {num}, are summarised in the table below.",
        "{org} comments on the design specification: the {part} margin is only {value}, below the threshold for {program}.",
        "The failure mode analysis of the {part} shows fatigue cracks after {num} cycles; {program} flight software must limit load.",
        "Performance parameters of {system}: max range {value}, detection probability {pct}, update rate {num} Hz.",
        "Firmware build {num} for the {part} of {system} fixes the seeker lock-on timing; do not post outside the program team.",
        "Captive carry run {num}: the {part} temperature rose to {value} above limit; telemetry dropouts at {num} s.",
        "Please review the redlined {part} drawing before the CDR; the mounting hole pattern changed for {system}.",
        "{org} asked for the link budget and jammer susceptibility numbers for {system} by {date}.",
        "Warhead fuzing logic for {system}: arm delay {num} ms, proximity threshold {value}.",
    ],
    "EXPT": [
        "These {part} drawings for {system} are ITAR technical data (USML Category {roman}); do not share with foreign nationals.",
        "The {part} is classified ECCN {eccn}; shipments to the {place} partner need an export license before release.",
        "Technical data for the {system} {part} may not be exported to foreign persons without DDTC approval under the TAA.",
        "Export-controlled: the attached {part} test data for {program} falls under the EAR; keep it on the controlled share.",
        "Before the {company} visit, strip the {part} performance data from the slides; it is ITAR-controlled technical data.",
        "Our jurisdiction review puts the {system} {part} under USML Category {roman}; the manufacturing data needs a DSP-5.",
        "Do not send the {part} build package to the overseas supplier; it is controlled under the ITAR and no license covers it.",
        "Commodity classification for the {part}: ECCN {eccn}; reexport to third countries requires BIS authorization.",
    ],
    "PRVCY": [
        "{rank} {person}, SSN {ssn}, DOB {dob}, was assigned to {unit}.",
        "Roster: {person} {ssn}; {person} {ssn}; {person} {ssn}.",
        "{person} (employee ID {num}) was diagnosed with a knee injury; her medical profile limits duty until {date}.",
        "Background investigation for {person}: SF-86 lists home address, spouse DOB {dob} and prior arrests.",
        "Performance appraisal for {rank} {person}: rated {num}/100; supervisor recommends a letter of reprimand.",
        "Patient {person}, DOB {dob}, medical record shows treatment for PTSD; next appointment {date}.",
        "Payroll correction: {person}, SSN {ssn}, garnishment order {num} applies from {date}.",
        "Recall roster update: {rank} {person} {ssn} home phone changed; {rank} {person} {ssn} moved off post.",
        "Line of duty determination for {rank} {person}: injury occurred during PT, hospitalized two days.",
    ],
    "PROPIN": [
        "This briefing contains proprietary information of {company}; the {part} process yields are not to be shared.",
        "{company} proprietary: our {part} coating recipe uses a {pct} additive cured at {value}.",
        "The attached cost model is the proprietary property of {company} and is provided solely for the {program} review.",
        "Competition sensitive - {company} internal yield data for the {part} line, lot {num}.",
        "Trade secret process sheet: {company} {part} winding tension {value}, cure {num} minutes.",
    ],
    "PROCURE": [
        "Fully burdened labor rates for {program}: senior engineer {money}/hr, technician {money}/hr, G&A {pct}.",
        "Basis of estimate for CLIN {num}: {num} hours of design at {money} plus material escalation of {pct}.",
        "The IGCE for option year {num} is {money}K; our pre-negotiation objective is {pct} below the offeror's bid.",
        "{company}'s price proposal: unit price {money}, fee {pct}, indirect rates per the forward pricing agreement.",
        "Subcontract quote from {company}: {num} units of the {part} at {money} each, escalation factor {pct}.",
    ],
    "SSEL": [
        "SSEB consensus: Offeror {letter} rated Marginal on technical with {num} weaknesses; Offeror {letter} Outstanding.",
        "The competitive range determination excludes {company}; their past performance confidence is Limited.",
        "Source selection sensitive: evaluation notices to {company} on the {part} approach are due {date}.",
        "Award recommendation: {company} offers best value; price evaluation team found their bid {pct} below the IGCE.",
        "Evaluator notes: {company}'s proposal has a significant weakness in the {part} risk mitigation; strength in staffing.",
    ],
    "LEI": [
        "Case {num}: the confidential informant reported {person} meeting a buyer in {place}; surveillance log attached.",
        "Agent notes: subject {person} was interviewed on {date}; a search warrant for the storage unit is pending.",
        "NCIC check on {person} returned an active arrest warrant; the case agent requests a pen register.",
        "Law enforcement sensitive: undercover officer identities for operation {num} are in the case file.",
    ],
    "PRIVILEGE": [
        "Attorney-client privileged: counsel advises that the {company} claim on the {part} contract is weak.",
        "Attorney work product prepared in anticipation of litigation over the {program} termination.",
        "Privileged and confidential - General Counsel's analysis of the {company} settlement offer.",
    ],
    "OPSEC": [
        "{unit} deployment dates: advance party departs {date} from {place}; main body follows by convoy route {letter}.",
        "Critical Information List for the exercise: unit strength {num}, departure date {date}, ship movement schedule.",
        "EEFI for {unit}: troop movements, rotation schedule and the force protection condition at {place}.",
        "Patrol schedule for {unit}: shifts change at {num}00; the north gate has a camera blind spot.",
    ],
}

NEGATIVE = [
    "FOR IMMEDIATE RELEASE: {company} wins a {money}M Navy contract for {system} sustainment in {place}.",
    "Job description: {company} seeks a systems engineer for {program}. Qualifications: US person due to ITAR. Apply now.",
    "The CUI program, set up by Executive Order 13556, covers categories such as export control and privacy.",
    "Training reminder: documents with distribution statements B through F are controlled technical information.",
    "Never email your SSN; HR will never ask for your social security number by phone.",
    "DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited. This paper reviews open literature on {part} materials.",
    "Team lunch at {place} on {date}; {person} will bring the cake.",
    "The kitchen remodel drawings show cabinet tolerances of {value}; the contractor starts Monday.",
    "The {place} museum shows a decommissioned {system} and the history of the program.",
    "Reminder: annual performance review cycle opens {date}; managers see the HR portal for forms.",
    "Our export sales to Canada grew {pct} this quarter, mostly office furniture.",
    "The Army-Navy game watch party is in the break room; {person} is organising snacks.",
    "IT notice: the VPN will be down on {date} for maintenance; save your work.",
    "The conference on hypersonics in {place} is open to the public; slides are posted on the website.",
    "Newsletter: {person} joined {company} as VP of marketing; read more about our team.",
    "Please submit travel vouchers for the {place} trip within five days of return.",
    "Our proprietary blend of coffee is available in the cafeteria this week.",
    "The budget request for {program} was published in the President's budget; totals are public.",
    "Lessons from the CUI training: mark banners top and bottom, use the CUI Registry, and ask your CUI program manager.",
    "Automotive brake rotor drawing: thickness {value} tolerance, per SAE standards.",
    "{company} will attend the trade show in {place}; booth {num} shows our commercial drone line.",
    "Meeting notes: discussed office move, parking passes and the holiday schedule for {date}.",
    "Public article: how the DoD uses distribution statements and export warnings to protect technical data.",
    "The website privacy policy explains how we use cookies and analytics.",
    "Invoice {num} for printer toner, total {money}, due {date}.",
    "Safety stand-down on {date}: review ladder safety and lifting technique.",
    "The local news reported that the {unit} returned home to {place} after a six-month deployment; families gathered at the gym.",
    "{person} presented a public paper on radar history at the IEEE conference in {place}.",
    "Our policy: employees must protect proprietary information and report suspected leaks to security.",
    "The bid for the school cafeteria renovation closes {date}; see the county website.",
    "Quarterly town hall: revenue up {pct}, new contracts with the Air Force announced publicly last month.",
    "The ITAR and EAR overview course is offered online; register now to learn export compliance basics.",
    "Open-source flight simulator release {num}: source code on GitHub, community contributions welcome.",
    "Weather delay: the {place} test range open house moves to {date}.",
    "Our benefits include health insurance, dental and a 401(k) match; the salary range is listed in the posting.",
    "Court records show the lawsuit was dismissed; the article quotes both attorneys.",
    "The unit's family readiness group bake sale raised {money} for the holiday party.",
    "Procurement basics webinar: what is a CLIN, how the FAR works, and tips for small businesses.",
    # ordinary office life
    "Reminder from facilities: the {place} office closes early on {date}; the cafeteria serves breakfast until ten.",
    "Hi {person}, can you send me the slides from yesterday's all-hands? Thanks, {person}.",
    "Carpool sign-up for the {place} site: leave at 0630 from the north lot, back by 1800.",
    "Expense reports are due by the fifth; attach receipts for hotel, rental car and meals over {money}.",
    "Happy retirement {person}! Cake and coffee in conference room {num} at 3 pm.",
    "The printer on floor {num} is out of toner again; a ticket is open with the help desk.",
    "Please complete the annual ethics and harassment training by {date}.",
    "New hire orientation: badge photos at 9, laptop pickup at 10, benefits briefing at 11.",
    "Our holiday food drive collected {num} boxes for the {place} food bank.",
    "Town hall recording and slides are on the intranet; questions go to the communications team.",
    "Per the lease, the landlord will repaint the lobby and replace the carpet in suite {num}.",
    "Shuttle schedule for the symposium: buses leave the hotel every 20 minutes from 0700.",
    "Thank you for registering for the supplier day; parking is free in garage B.",
    "The quarterly safety award goes to the {place} warehouse team for {num} days without injury.",
    # public and promotional text about defense work
    "{company} is proud to support the warfighter; visit our booth to see the new {part} demonstrator.",
    "The Navy announced today that {company} will build {num} more hulls; the award was posted on defense.gov.",
    "Article: the history of {system}, from the first prototype to its retirement, told by veterans of {place}.",
    "Open house at {place}: families can tour the hangars and watch a flyover; no registration needed.",
    "{person} spoke at the public symposium about workforce shortages in test and evaluation.",
    "Career fair: {company} is hiring machinists, electricians and software developers for defense programs.",
    "Applicants must be U.S. citizens able to obtain a security clearance; equal opportunity employer.",
    "Press kit: photos of {system} at the air show are free for editorial use with credit to {company}.",
    "Podcast episode {num}: what does a program manager do all day? Guests from {org} share stories.",
    "Our annual report highlights growth in defense electronics and commercial aviation.",
    # general compliance and training text
    "Export compliance 101: learn the difference between the EAR and the ITAR in this short online module.",
    "Policy reminder: do not post customer data or technical drawings on public websites or social media.",
    "FAQ: what is a distribution statement? It tells readers who may receive a technical document.",
    "Security awareness month: lock your screen, badge in every time, and report phishing emails.",
    "The records management schedule says to keep travel files for six years, then destroy.",
    "Privacy tip: shred documents with personal data and never store Social Security numbers on laptops.",
    "The contracting officer's handbook explains how to read a solicitation and submit questions.",
    "Guide for small businesses: registering in SAM, getting a CAGE code and finding opportunities.",
    "Our data-handling standard lists public, internal and restricted classes; most email is internal.",
    # civilian engineering and science
    "Tolerance stack-up for the bicycle frame lug: {value} on the seat tube, measured with calipers.",
    "The water treatment plant upgrade includes new pumps, valves and a SCADA dashboard for operators.",
    "Test results from the wind tunnel show the new car mirror cuts drag by {pct}.",
    "Source code for the open-source weather app is licensed under MIT; pull requests welcome.",
    "The lab's spectrometer calibration is due {date}; the procedure is in the equipment manual.",
    "Roof truss drawings, Rev {letter}: spacing 24 in on center, per the county building code.",
    "Our commercial drone's camera gimbal holds {value} stability in 20 knot wind.",
    "The highway bridge inspection found minor spalling; repairs are in next year's budget.",
    # lists, tables and forms that only look like records
    "Name | Office | Extension: {person} | {num} | {num}; {person} | {num} | {num}.",
    "Conference room bookings for {date}: {person} 9-10, {person} 11-12, {person} 2-3.",
    "Price list: coffee {money}, sandwich {money}, salad {money}; prices include tax.",
    "Part catalog: bracket {num}, hinge {num}, washer {num}; order through the supply portal.",
    "Public contract awards this week: {company}, {company} and {company}; totals published by the agency.",
    "Volunteer roster for the charity run: {person}, {person}, {person}, {person}.",
    "Course roster: {person}, {person} and {person} completed the spreadsheet training on {date}.",
    # civilian engineering with the same technical vocabulary as CTI (what makes CTI is the military use)
    "Drawing {dwg} Rev {letter} for the {civil}: machine the bore to +/- {value}; finish per the customer specification.",
    "Test results for the {civil}: {num} of {num} samples passed the fatigue test at {value}; the failure analysis is attached.",
    "Firmware build {num} for the {civil} controller fixes the sensor timing bug; release notes are on the wiki.",
    "Interface control document for the {civil}: connector pinout, message timing and power budget.",
    "Schematics and the bill of materials for the {civil} are in the PLM system, Rev {letter}.",
    "Root cause analysis: the {civil} bracket cracked after {num} cycles; redesign adds a fillet and changes the material specification.",
    "Qualification test plan for the {civil}: vibration, thermal cycling and humidity per the customer standard.",
    "The design review for the {civil} closed {num} action items; tolerances on the housing were relaxed to {value}.",
    "Source code review of the {civil} app found {num} defects; the fix ships in version {num}.{num}.",
    "Performance parameters of the {civil}: range {value}, efficiency {pct}, update rate {num} Hz.",
    "Wiring diagram for the {civil}, sheet {num}: the ground strap moves to terminal {letter}.",
    # public lists with codes and numbers
    "Award notice list: contract {piid} to {company}, CAGE {cage}; contract {piid} to {company}, CAGE {cage}.",
    "Supplier directory: {company}, CAGE {cage}, UEI on file; {company}, CAGE {cage}.",
    "Stock list: NSN {nsn} bolt, NSN {nsn} washer, NSN {nsn} gasket; order through the catalog.",
    "Phone list: {person} ext {num}, {person} ext {num}, {person} ext {num}.",
    # email footers and boilerplate
    "This message and any attachments are intended only for the addressee. If you received it in error, delete it.",
    "Confidentiality notice: this email may contain confidential or privileged information; if you are not the intended recipient, notify the sender.",
    "Sent from my phone. Please excuse typos.",
]

_ROMAN = ["IV", "VIII", "XI", "XII", "XV", "XVIII"]
_ECCN = ["3A001", "5A002", "9E003", "6A008", "3E001", "7A103", "0A606"]


def generate(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    for label, templates in POSITIVE.items():
        for i in range(260):
            text = _compose(rng, templates)
            if rng.random() < 0.3:   # CUI sits among ordinary sentences in real documents
                text = f"{text} {_compose(rng, NEGATIVE)}" if rng.random() < 0.5 else f"{_compose(rng, NEGATIVE)} {text}"
            cats = {lab: 1.0 if lab == label else 0.0 for lab in LABELS}
            rows.append({"text": text, "cats": {"CUI": 1.0, **cats}, "template": f"{label}"})
    for i in range(3400):
        text = _compose(rng, NEGATIVE)
        rows.append({"text": text, "cats": {"CUI": 0.0, **{lab: 0.0 for lab in LABELS}}, "template": "negative"})
    rng.shuffle(rows)
    return rows


def _compose(rng: random.Random, templates: list[str]) -> str:
    """One to three filled sentences from the same pool, so passages vary in length and mix."""
    count = rng.choice((1, 1, 2, 2, 3))
    parts = []
    for _ in range(count):
        template = rng.choice(templates).replace("{roman}", rng.choice(_ROMAN)).replace("{eccn}", rng.choice(_ECCN))
        parts.append(fill(rng, template))
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=str(Path(__file__).with_name("train.jsonl")))
    args = parser.parse_args()
    rows = generate(args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} passages to {args.out}")


if __name__ == "__main__":
    main()
