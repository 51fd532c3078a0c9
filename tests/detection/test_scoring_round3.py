"""Round 3 of issue 13's detection: false alarms the blind writers' training groups showed, a rate sheet's
indirect rates, and a sure model carrying weak rule evidence. Documents written for these tests, rendered
to real files by the blind renderer (python-docx, python-pptx, openpyxl, the email package) and read back
by the real extractors; the real shipped model scores them."""
from __future__ import annotations

import sys
from pathlib import Path

from cuiscan.detection import detect_file, detect_finding, scoring
from cuiscan.detection.evaluate import check_markings
from cuiscan.detection.explain import explain_file
from cuiscan.extractors import extract_file
from cuiscan.records import Severity
from cuiscan.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from blind_render import render_case  # noqa: E402

MAIL = {"from": "Maya Ortiz <mortiz@example.com>", "to": "Range team <range@example.com>",
        "date": "Tue, 11 Mar 2025 16:42:08 -0500"}
LIVE_FIRE = ("Summary of the live-fire: the new penetrator defeated the reference armor plate at 1,450 m/s striking "
             "velocity, but yaw at impact was above the allowable and two rounds broke up. Recommend increasing the "
             "core length to diameter ratio and rerunning the velocity series at the range next month.")


def verdict(tmp_path, detector, fmt: str, content: dict):
    path = render_case({"id": "case", "format": fmt, "content": content}, tmp_path)
    docs = extract_file(str(path))
    markings = check_markings(docs, Settings())
    results = detect_file(docs, markings, detector)
    findings = [f for f in (detect_finding(r, m) for r, m in zip(results, markings)) if f is not None]
    return docs, markings, results, findings


def test_a_policy_listing_export_controlled_data_among_kinds_of_data_is_not_flagged(tmp_path, detector):
    _, _, results, findings = verdict(tmp_path, detector, "docx", {"blocks": [
        {"h": "Generative AI tools - what you may and may not do"},
        {"p": "Approved tools may be used for drafting general correspondence and summarizing public documents."},
        {"h": "Not allowed"},
        {"list": ["Entering customer data, export-controlled technical data, CUI, source code of our products or "
                  "personal information into any AI tool that is not approved for that data.",
                  "Uploading proposal pricing or ITAR-controlled drawings, personnel files and so on to a public chatbot."]},
        {"p": "Questions go to the IT service desk."}]})
    assert not findings, results[0].explanation
    assert not any(s.rule_id == "EXPT-003" for s in results[0].signals)


def test_the_same_words_about_this_data_still_count(tmp_path, detector):
    _, _, results, _ = verdict(tmp_path, detector, "eml", {**MAIL, "subject": "blade repair package", "body":
        "Attached is the ITAR-controlled drawing package for the blade repair; keep it on the engineering share."})
    assert any(s.rule_id == "EXPT-003" for s in results[0].signals)


def test_a_reading_list_of_published_armor_research_is_not_cti(tmp_path, detector):
    _, _, results, findings = verdict(tmp_path, detector, "docx", {"blocks": [
        {"h": "Reading group: ballistic response of armor laminates"},
        {"p": "Compiled for the materials journal club from peer-reviewed open literature; all figures are from "
              "published papers."},
        {"p": "Published studies report that higher consolidation pressure raises V50 of UHMWPE armor panels by "
              "5-15% and that back-face deformation falls by 3 mm at 1,200 bar; fragment simulating projectiles of "
              "1.1 g were used at 610 m/s."},
        {"p": "Next meeting: two papers on ceramic strike faces."}]})
    assert not findings
    assert "CTX-013" in results[0].explanation          # the values are seen, and lowered as published research


def test_a_car_radar_radome_is_not_a_military_application(tmp_path, detector):
    _, _, results, findings = verdict(tmp_path, detector, "pptx", {"slides": [
        {"title": "Front radar module - winter validation",
         "bullets": ["77 GHz corner radar behind the bumper fascia radome", "Radome loss 1.8 dB dry, 4.1 dB with slush",
                     "Detection range 160 m for a car, 62 m for a pedestrian"]},
        {"title": "Next steps", "bullets": ["Heated radome sample from supplier by 14 Feb", "Re-run on the ice track"]}]})
    assert not findings and not any(s.category == "CTI" for s in results[0].signals)


def test_a_rate_sheet_with_fringe_overhead_and_g_and_a_is_proprietary(tmp_path, detector):
    _, _, results, findings = verdict(tmp_path, detector, "xlsx", {"sheets": [{"name": "Rates", "rows": [
        ["Labor category", "Direct rate FY26 ($/hr)"], ["Systems engineer III", "71.40"], ["Test technician II", "38.95"],
        [], ["Indirect rates (provisional billing)", ""], ["Fringe", "33.1% of direct labor"],
        ["Overhead", "44.0% of direct labor + fringe"], ["G&A", "12.2% of total cost input"], ["Fee", "8%"]]}]})
    assert findings and "PROPIN" in findings[0].categories, results[0].explanation
    assert any(s.rule_id == "PROPIN-007" for s in results[0].signals)
    assert findings[0].severity is Severity.WARNING       # rates without a legend: not strong evidence


def test_a_sure_model_carries_weak_rule_evidence_and_explain_says_so(tmp_path, detector):
    """One engineering value in a weapons passage (CTI-013, 0.30) is below the bar on its own; the model,
    sure that the passage is CUI, carries it - as a warning, never an error."""
    p = detector.model.score_texts([LIVE_FIRE])[0].cui
    assert p >= scoring.MODEL_SURE
    docs, markings, results, findings = verdict(tmp_path, detector, "eml", {**MAIL, "subject": "live-fire summary",
                                                                           "body": LIVE_FIRE})
    rules = [s for s in results[0].signals if s.rule_id != "NLP"]
    assert rules and max(s.score for s in rules) < 0.9 * detector.threshold     # the rules alone would not flag
    assert findings and findings[0].categories[0] == "CTI" and findings[0].severity is Severity.WARNING
    assert "carried by the sure model vote" in results[0].explanation
    text = "\n".join(line for e in explain_file(detector, docs, markings) for line in e.verdict)
    assert "carried by the sure model vote" in text and "DETECT-001 (warning)" in text


def test_a_less_sure_model_does_not_carry_weak_rule_evidence(tmp_path, detector, monkeypatch):
    p = detector.model.score_texts([LIVE_FIRE])[0].cui
    monkeypatch.setattr(scoring, "MODEL_SURE", min(p + 0.01, 1.0))    # the same vote, now under the bar
    _, _, results, findings = verdict(tmp_path, detector, "eml", {**MAIL, "subject": "live-fire summary",
                                                                 "body": LIVE_FIRE})
    assert not findings, results[0].explanation
