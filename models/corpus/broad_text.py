"""Sentence banks for the broad training set (make_broad_corpus.py), written for cuiscan from public knowledge.

Written independently of the rule packs and of make_training_corpus.py's templates: other registers
(mail, chat, notes, slides, spreadsheet rows, test logs), other vocabulary (weapons, munitions,
sensors, armor, space, networks), and many hard negatives (civilian engineering, public defense
news, guidance about CUI, open-source READMEs with export notices, engineering word salad).
Public facts only (USML categories of 22 CFR 121, CCL categories of 15 CFR 774, the CUI Registry's
category descriptions, DoD nomenclature conventions); every name, number and program is invented.

Slots in braces are filled by make_broad_corpus.py from FILL.
"""
from __future__ import annotations

FILL = {
    "sys": ["AN/TPQ-58 radar", "XM1211 projectile", "M-922 fuze", "AN/ALQ-271 pod", "XM30 turret", "Mk 54 warhead",
            "the seeker head", "the interceptor", "the loitering munition", "the UUV", "the SATCOM terminal",
            "the armor kit", "the EO/IR turret", "the guidance section", "the rocket motor", "the jammer",
            "the airframe", "the gun system", "the missile datalink", "the hypersonic glide body", "the counter-UAS effector",
            "the reentry vehicle", "the sonar array", "the laser designator", "the IR seeker", "the torpedo"],
    "part": ["P/N 8847-221 Rev C", "drawing 12A4471 rev F", "lot 23-117", "dwg 55K201-3 rev B", "P/N 400-1189-07",
             "assembly 7731-A rev D", "serial 0042 through 0061", "CDRL A012", "ECP 0093", "DI-MISC-80508 data item"],
    "num": ["0.38", "1,150", "72", "4.6", "9.81", "310", "0.012", "2,400", "18.5", "65", "140", "7.2", "0.45"],
    "unit": ["m/s", "g", "mm", "MPa", "kHz", "dB", "km", "ms", "deg C", "N-m", "mrad", "psi"],
    "name": ["Dana", "Raj", "Mei", "Tom", "Kofi", "Lena", "Ivan", "Priya", "Sam", "Grace", "Omar", "Beth"],
    "org": ["PEO Missiles and Space", "NAVSEA PMS-415", "AFLCMC/EBY", "DEVCOM AvMC", "SMC/LE", "PM Soldier Lethality",
            "MDA/DV", "NAWCWD China Lake", "the program office", "the customer"],
    "co": ["Halvorsen Dynamics", "Crestline Optics", "Bluewater Systems", "Tarrant Machine Works", "Kestrel Microwave",
           "Pioneer Composites", "Ardent Software Labs", "Meridian Test Services"],
    "site": ["Building 4 high bay", "the Yuma range", "White Sands LC-38", "the Huntsville lab", "Eglin test area C-64",
             "Pad 3", "the anechoic chamber", "the hardened facility in Ogden"],
    "host": ["10.20.4.17", "enclave-dc01", "fs-cui-02", "vpn-gw1", "10.8.0.33", "mes-db-03", "jump-host-2", "plm-app01"],
    "cve": ["CVE-2024-3400", "CVE-2023-4966", "CVE-2023-20198", "CVE-2024-21762", "CVE-2023-46805", "CVE-2021-44228"],
    "person": ["Jordan T. Ames", "Maria L. Ocampo", "Keith R. Dunmore", "Alicia Vance", "Terrence Holt", "Nadia Rahimi"],
    "ssn": ["471-83-2290", "520-41-7786", "318-62-0457", "604-25-9913", "233-70-1148"],
    "money": ["$4,812,300", "$96.40", "$1.27M", "$312,775", "$18,450", "$2,904,118", "$77.15"],
    "date": ["14 March", "the 22nd", "Tuesday 0600", "2 June", "next Thursday", "0400Z on the 9th", "1 October"],
    "ship": ["the USNS resupply", "convoy 3", "the C-17 lift", "the rail shipment", "the barge move", "the second sortie"],
}

# ---- positives, by category --------------------------------------------------------------------
POSITIVE: dict[str, list[str]] = {
    "CTI": [
        "The {sys} burst height setting drifted by {num} {unit} after the last firmware load; revert to build 4.2.7 before the next lot.",
        "Arena test 6 on {sys}: fragment density at 15 m was {num} per square meter, below the threshold we owe {org}.",
        "We changed the charge liner cone angle from 42 to 38 degrees; penetration into RHA went up by {num} {unit}.",
        "Seeker gimbal loop gain raised to {num} so it holds track at 30 deg/s crossing rates. Do not share the new tables outside the team.",
        "The armor coupon stopped the 14.5 mm AP round at {num} {unit} backface deformation with the revised ceramic tile layup.",
        "Attached are the {part} changes: the motor case wall thickness goes to {num} mm and the nozzle throat insert is now carbon-carbon.",
        "Track filter parameters for {sys}: process noise {num}, gate size 4.5 sigma, max coast 12 scans. These drive the engagement timeline.",
        "Jammer technique table v7 adds the range-gate pull-off profile at {num} {unit} per second against the new threat emitter.",
        "Hot-fire 17 of {sys}: chamber pressure peaked at {num} {unit}, thrust tailoff 0.4 s longer than predicted, nozzle erosion within limits.",
        "The warhead fuze arming delay is set to {num} ms after launch and the safe-separation distance is 150 m.",
        "Radar cross section of the modified inlet dropped {num} dB in the X band at the frontal aspect after the edge treatment.",
        "Miss distance statistics from the 200-run Monte Carlo: CEP {num} m against the maneuvering target set, 90th percentile 3.1 m.",
        "Datalink waveform hop rate and the crypto sync preamble length are in the attached ICD rev {num}; they set our anti-jam margin.",
        "The torpedo homing logic now switches to active at {num} yards and the doppler threshold was lowered to 2 knots.",
        "Blast overpressure at the crew station measured {num} {unit} with the new spall liner, meeting the protection requirement.",
        "Drop test: the round survived a {num} m drop onto steel and the safe-and-arm device stayed locked, per the qualification plan.",
        "IR signature of the exhaust plume fell by {num} percent with the new mixer lobes; see the band 2 radiance plots.",
        "Thermal batteries for {sys} activate in {num} ms and hold 28 V for 180 s at minus 54 C; we are at the edge of the spec.",
        "Software parameter file for the autopilot: max commanded lateral acceleration {num} g, roll rate limit 400 deg/s.",
        "Re-entry heat shield ablation depth was {num} mm at the stagnation point in arc-jet run 12; margin on the aeroshell is thin.",
        "Design change: the {part} spring force goes up {num} percent so the interlock clears under 40 g setback.",
        "Test results from {site}: the effector defeated 9 of 11 Group 2 drones, mean engagement range {num} {unit}.",
        "The sonar array beam pattern has a {num} dB sidelobe at 37 degrees that masks quiet contacts; the fix is in the shading weights.",
        "Tolerance stack on the {part} leaves {num} mm clearance to the launch tube rail at worst case; Dana will rerun the analysis.",
        "Laser designator code set and pulse repetition frequency for the trials are in the attached sheet; handle it within the team only.",
        "Performance of the GaN front end: {num} W per element at 35 percent duty, junction temperature 171 C, which limits the search mode.",
        "Stress analysis for the wing fold lug shows a margin of {num} under the carrier arrested-landing load case.",
        "Penetrator L/D is now 22 with a tungsten alloy core; the sabot discard was clean at {num} {unit} muzzle velocity.",
        "The detonator firing energy was measured at {num} mJ; all 30 units functioned within the 2 microsecond simultaneity window.",
        "Countermeasure flare burn profile: rise time {num} ms to 80 percent intensity, spectral ratio tuned against two-color seekers.",
        "Guidance software build 3.9 fixes the terminal dive angle error; the impact angle scatter is now {num} deg at 1 sigma.",
        "Satellite bus attitude control: reaction wheel momentum {num} N-m-s and the star tracker update rate drive the pointing budget for the payload.",
        "The ballistic limit V50 of the new helmet shell against the 9 mm FMJ is {num} m/s; the test report is attached.",
        "Minutes: propellant grain cracked in cold soak at minus {num} C. Action: change binder, rerun the cold cycle, brief the program office.",
        "Row 14: {part} | muzzle velocity {num} {unit} | chamber pressure 61,000 psi | accuracy 0.9 mil | PASS",
    ],
    "ISVI": [
        "Open POA&M item 12: the enclave file server {host} still accepts SMBv1; remediation slipped to next quarter.",
        "Scan results: {host} is vulnerable to {cve} (critical) and the patch is not applied; it sits in the CUI enclave.",
        "Firewall rule 41 allows any-any from the guest VLAN to {host} on 3389 until the change ticket closes.",
        "The SSP boundary diagram shows the only path into the enclave is through {host}; MFA is not yet enforced there.",
        "Pentest finding H-3: domain admin obtained in 40 minutes via Kerberoasting of the svc_backup account; password unchanged since 2019.",
        "Nessus export attached: 14 critical and 37 high findings on the engineering subnet, including unpatched {cve} on {host}.",
        "Weakness: audit logs on {host} are not forwarded to the SIEM, so failed logons to the CUI share go unseen. Milestone: 30 June.",
        "The backup appliance admin console is reachable from the user network with default credentials; we have not changed them.",
        "Remote access to the enclave uses a shared local account on {host}; no individual accountability, tracked as POA&M 7.",
        "VLAN 30 hosts the PLM servers and has no egress filtering; an attacker on any workstation could exfiltrate drawings.",
        "Unsupported Windows Server 2012 R2 still runs the test stand controller {host}; isolation is the only compensating control.",
        "The VPN concentrator firmware is two versions behind and exposed to {cve}; the vendor patch window is next month.",
    ],
    "SSEL": [
        "Technical evaluation: {co} rated Marginal on Factor 2 because their staffing plan lacks a cleared lead; {co} rated Good.",
        "Consensus scores: Offeror A 82, Offeror B 74, Offeror C 69. The SSA is leaning to award to A pending the price realism check.",
        "Competitive range determination: exclude {co}; their proposal has three deficiencies in the transition approach.",
        "Evaluator notes: {co}'s past performance references were only partially relevant and one was rated Unsatisfactory.",
        "Draft SSDD: the best value tradeoff favors the higher-priced offer because of its Outstanding technical rating.",
        "Price analysis: {co} came in 18 percent below the IGCE; the team suspects a buy-in and will ask in discussions.",
        "Please do not discuss the ranking outside the evaluation board until award: {co} is first, {co} second.",
        "Strengths and weaknesses matrix for Factor 1 attached; Offeror 3 has a significant weakness in the test approach.",
    ],
    "PROPIN": [
        "Our fully burdened labor rate for a senior engineer on this bid is {money} per hour, with a fee of 9 percent.",
        "Cost breakdown: materials {money}, labor {money}, overhead at 112 percent, G&A 14 percent. Do not share with the other teammates.",
        "{co} quoted us {money} per unit for 500 housings; their cost model sheet shows a 31 percent margin.",
        "Indirect rate forecast for next year: fringe 34.2 percent, overhead 118 percent, G&A 12.6 percent.",
        "Their proprietary bonding process runs at 180 C for 42 minutes under 0.6 MPa; that recipe is what gives them the yield.",
        "Supplier pricing attached: tier 1 {money}, tier 2 {money}; valid through year end, subject to the teaming agreement NDA.",
        "Row 7: {part} | unit cost {money} | qty 240 | extended {money} | margin 27%",
        "Negotiation position: we can drop to {money} total if the customer accepts the warranty change; floor is {money}.",
    ],
    "PRVCY": [
        "Employee {person}, SSN {ssn}, DOB 04/11/1979, was approved for the medical leave starting Monday.",
        "Please update the badge record for {person} (SSN {ssn}); her home address changed to 118 Larkin Street.",
        "Background investigation for {person} shows a 2016 DUI and a bankruptcy; adjudication is pending.",
        "Payroll correction: {person}, SSN {ssn}, was underpaid {money}; direct deposit to account ending 4471.",
        "{person}'s fitness for duty evaluation notes anxiety treatment; keep it in the medical file only.",
        "Row 3: {person} | {ssn} | 1984-07-19 | clearance: Secret | reinvestigation due 2026",
        "The passport number and date of birth for {person} are needed for the visit request; SSN {ssn}.",
        "Disciplinary action: {person} received a written warning for timecard falsification on 3 May.",
    ],
    "OPSEC": [
        "Shipment of the 40 production rounds leaves {site} on {date} by {ship}; two escorts, route via I-10.",
        "Movement schedule: test articles depart on {date}, arrive at the range the next morning; gate code changes weekly.",
        "The team will be at {site} from {date} for the live fire; the lodging list and vehicle plates are attached.",
        "Critical information list: launch window, number of interceptors on hand, and the spare seeker inventory.",
        "Delivery of the prototype jammers to the unit is on {date}; the convoy stops overnight at the depot in Barstow.",
        "{ship} carries the spare motors and is due at the port on {date}; keep arrival times off email lists.",
    ],
    "EXPT": [
        "This drawing package for the USML Category IV rocket motor case is ITAR-controlled technical data; send it only to the two cleared US engineers at {co}.",
        "The license request for exporting the 3A001 amplifier design data to our UK partner is still pending at BIS.",
        "Technical assistance agreement covers only the integration data; the seeker algorithms cannot go to the foreign partner.",
        "These build files for the 5A002 crypto module are EAR-controlled; no upload to the public repo until the classification is done.",
        "Attached is the defense article technical data for the {sys}; under the DSP-5 license it may go to the Australian site only.",
        "Foreign national engineers may not access the {part} folder; it contains Category XI electronics design data.",
    ],
}

# ---- negatives: hard ones ----------------------------------------------------------------------
NEGATIVE: list[str] = [
    # civilian engineering
    "The bridge deck pour is scheduled for Thursday; the concrete mix is 5,000 psi with fly ash and the slump test passed.",
    "Pump station 4 vibration readings dropped to {num} {unit} after the impeller balance; the bearing temperature is normal.",
    "HVAC retrofit: the new chiller delivers {num} tons with a COP of 6.1; commissioning is next week.",
    "Wind turbine blade inspection found leading-edge erosion on blade B; repair with the polyurethane tape at the next outage.",
    "The car's brake caliper bracket passed the fatigue test at 2 million cycles with a torque of {num} {unit}.",
    "Torque the flange bolts to {num} N-m in a star pattern and check the gasket seating after the hydrotest.",
    "Our FEA of the pedestrian bridge shows a first natural frequency of 3.4 Hz, above the 3 Hz comfort limit.",
    "The firmware update for the smart thermostat fixes the Wi-Fi reconnect bug and improves the scheduler.",
    "Lab report: tensile strength of the 6061-T6 coupons averaged 310 MPa; elongation 12 percent; all within the ASTM spec.",
    "The drone delivery pilot uses off-the-shelf quadcopters with a 5 km range for medical samples between clinics.",
    "Weather radar upgrade at the airport adds dual polarization, which improves hail detection.",
    "Solar inverter efficiency measured 97.8 percent at full load; the harmonic distortion is below 3 percent.",
    "Telemetry from the race car shows the rear tires overheating after lap 12; adjust the camber by 0.3 degrees.",
    "The satellite TV dish alignment guide: point azimuth 210 degrees, elevation 38, and fine-tune with the signal meter.",
    "Row 12: pump P-101 | flow 240 gpm | head 85 ft | motor 15 hp | status: OK",
    "Our university rocketry club reached 10,000 ft with a commercial K motor; the avionics bay logged the altitude.",
    "Bicycle frame test: the carbon fork survived the EN 14781 impact test with no visible cracking.",
    "Results of the asphalt core samples: air voids 6.2 percent, slightly above target; adjust the compaction pattern.",
    "The medical device software passed IEC 62304 verification; the anomaly list is closed.",
    "Pipeline corrosion survey: wall loss up to 18 percent at the river crossing; schedule the sleeve repair.",
    # public defense news, press and history
    "The Army awarded a contract for the production of the new rifle, according to a Department of Defense release.",
    "Congress added funding for hypersonic weapons testing in the annual defense bill, the committee said in a statement.",
    "The Navy christened its newest destroyer at the shipyard on Saturday; the ship will be homeported in San Diego.",
    "Public affairs: the air show at the base this weekend features a flyover and static displays of the F-35.",
    "A museum exhibit tells the history of the Patriot missile and its use in the 1991 Gulf War.",
    "Defense News reports the program completed its critical design review and is moving to low-rate production.",
    "The Missile Defense Agency announced a successful intercept test over the Pacific, according to a press release.",
    "Wikipedia: the M1 Abrams is a third-generation American main battle tank produced by General Dynamics Land Systems.",
    "The company's quarterly report notes strong demand for munitions and a growing backlog in its defense segment.",
    "Job posting: systems engineer for radar programs; must be a US person due to ITAR; Secret clearance preferred.",
    "The Pentagon's budget request includes funds for the next-generation interceptor and space sensors.",
    "Veterans day ceremony at 1100 in the courtyard; the color guard and the high school band will attend.",
    # guidance about CUI, compliance, security awareness
    "CUI training reminder: all employees must complete the annual course by 30 September. Mark documents with the banner and the designation indicator.",
    "What is CUI? Controlled Unclassified Information is information the government creates or possesses that requires safeguarding under law, regulation or policy.",
    "NIST SP 800-171 requirement 3.5.3 calls for multifactor authentication for local and network access to privileged accounts.",
    "Our policy: Social Security numbers may only be stored in the HR system and must never be sent by email.",
    "The CMMC Level 2 assessment covers the 110 requirements of NIST SP 800-171; plan for the assessment in the spring.",
    "Security awareness: report phishing emails using the button in Outlook; never open attachments from unknown senders.",
    "A POA&M is a plan of action and milestones that lists weaknesses and the dates by which they will be fixed.",
    "The vulnerability management standard requires critical patches within 15 days and high within 30 days.",
    "Export compliance training covers the ITAR, the EAR, the USML and the Commerce Control List, with examples of deemed exports.",
    "Source selection information must be protected under FAR 3.104; evaluators sign non-disclosure agreements.",
    "DoDI 5200.48 establishes policy for CUI in the Department of Defense; see the CUI Registry for categories.",
    "The incident response plan template has sections for preparation, detection, containment, eradication and recovery.",
    # open-source READMEs, public software
    "This software is subject to U.S. export controls. It is classified as EAR99 and may be exported to most destinations without a license.",
    "Export notice: this distribution includes cryptographic software classified under ECCN 5D002 and released under License Exception TSU as publicly available source code.",
    "To build, run cmake and make; the unit tests use GoogleTest. Contributions welcome under the Apache 2.0 license.",
    "DISTRIBUTION STATEMENT A. Approved for public release: distribution unlimited. This material is based upon work supported by the Department of the Air Force.",
    "The flight software framework provides a publish-subscribe message bus, table services and an event log for small satellites.",
    "Installation: pip install the package, then run the example notebook to simulate the radar returns.",
    "The simulator models a generic pulse-Doppler radar for teaching; all parameters are textbook values.",
    "Release notes 2.3: fixed a crash in the telemetry parser, added support for CCSDS packets, updated the docs.",
    # office life, finance, HR in general
    "Reminder: the quarterly all-hands is on Friday at 2 pm in the cafeteria; pizza will be provided.",
    "Can you review the slides for the customer meeting? I moved the schedule chart to the appendix.",
    "The cafeteria will close early on Wednesday for the holiday party setup.",
    "Open enrollment for benefits starts Monday; compare the medical plans on the HR portal.",
    "Travel policy: book flights at least 14 days ahead and use the corporate card for hotels.",
    "Our public price list: standard support {money} per year, premium support {money} per year.",
    "Meeting notes: action item owner Raj to update the milestone chart; next review in two weeks.",
    "Row 5: office supplies | toner | qty 12 | {money} | approved",
    "The parking garage will be restriped this weekend; please use the north lot.",
    "Team lunch on Thursday to welcome the new interns; RSVP by Tuesday.",
    "Press release: the company opened a new manufacturing facility creating 200 jobs in the region.",
    "The annual report shows revenue of {money} and a backlog that grew 8 percent.",
]

# Engineering word pools for word-salad negatives: vocabulary with nothing said (benchmarks/make_corpus.py
# keeps its own pools; these extend them to other domains).
SALAD_POOLS = [
    ("system assembly bracket tolerance flange rotor harness connector firmware radar antenna sensor thermal "
     "vibration fatigue composite fastener torque housing gimbal actuator telemetry uplink schedule budget "
     "review meeting action item owner status milestone customer supplier quality inspection drawing revision "
     "baseline interface requirement verification test procedure result margin analysis load stress coating "
     "alloy weld seam pressure valve pump cable shield ground").split(),
    ("missile warhead seeker fuze armor propellant guidance datalink jammer sonar torpedo interceptor launcher "
     "munition payload satellite encryption waveform signature target range lethality survivability").split(),
    ("server firewall vulnerability patch scan host network enclave credential password audit log baseline "
     "configuration backup domain account privilege exploit remediation").split(),
]
