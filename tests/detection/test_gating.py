"""Technical text is not CUI by itself; severity follows confidence; the evaluation tools tell the truth.

The cases in data/own_cases.jsonl are this project's own fixtures (written by the same hand as the
rules, so they show behaviour, not generalisation; the blind set measures that). They are rendered
with the blind-set renderer, i.e. by python-docx, fpdf2, python-pptx, openpyxl and the email package.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cuiscan.detection import detect_file, detect_finding
from cuiscan.detection.evaluate import check_markings
from cuiscan.detection.packs import default_packs_dir
from cuiscan.extractors import extract_file
from cuiscan.records import Severity
from cuiscan.settings import Settings

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
from blind_render import FORMATS, load_cases, render_case  # noqa: E402

DATA = Path(__file__).parent / "data"
CASES = {c["id"]: c for c in load_cases(DATA)}
STRONG = {"own-prvcy-csv", "own-isvi-xlsx", "own-cti-pdf"}        # SSNs by names, scan results, statement D
WEAK = {"own-cti-eml", "own-cti-docx", "own-opsec-pptx"}          # values and schedules, no legend


def verdict(path: Path, detector):
    docs = extract_file(str(path))
    markings = check_markings(docs, Settings())
    results = detect_file(docs, markings, detector)
    findings = [f for f in (detect_finding(r, m) for r, m in zip(results, markings)) if f is not None]
    return docs, results, findings


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_own_cases_render_to_real_files_and_get_the_right_verdict(tmp_path, detector, case_id):
    case = CASES[case_id]
    path = render_case(case, tmp_path)
    docs, results, findings = verdict(path, detector)
    text = " ".join(b.text for d in docs for b in d.blocks)
    assert len(text) > 40, f"{case_id}: the rendered {case['format']} reads back almost empty"
    if case["label"] == "cui":
        assert findings, f"{case_id} missed: {[r.explanation for r in results]}"
        assert case["category"] in findings[0].categories
        expected = Severity.ERROR if case_id in STRONG else Severity.WARNING
        if case_id in STRONG | WEAK:
            assert findings[0].severity is expected, results[0].explanation
    else:
        assert not findings, f"{case_id} false alarm: {[r.explanation for r in results if r.flagged]}"


def test_own_cases_cover_every_format():
    assert {c["format"] for c in CASES.values()} == set(FORMATS)


def test_engineering_word_salad_with_military_numbers_elsewhere_is_not_cti(tmp_path, detector):
    """Radar/firmware/telemetry words with numbers, but no military application: no CTI value rule."""
    path = tmp_path / "notes.txt"
    path.write_text("Radar antenna gimbal torque 42 N·m at 3.1 GHz; firmware telemetry margin 3 dB; "
                    "housing bore 120 mm ±0.05 mm per drawing revision C.\n", encoding="utf-8")
    _, results, findings = verdict(path, detector)
    assert not findings and not any(s.rule_id == "CTI-013" for s in results[0].signals)


def test_the_same_values_in_a_weapons_passage_are_cti_and_the_explanation_says_why(tmp_path, detector):
    path = tmp_path / "notes.txt"
    path.write_text("Missile seeker gimbal torque 42 N·m at 3.1 GHz; warhead fuze delay 12 ms; "
                    "housing bore 120 mm ±0.05 mm per drawing revision C.\n", encoding="utf-8")
    _, results, findings = verdict(path, detector)
    assert findings and findings[0].categories[0] == "CTI" and findings[0].severity is Severity.WARNING
    assert "CTI-013" in results[0].explanation


def test_public_text_naming_itar_usml_and_an_eccn_is_not_flagged(tmp_path, detector):
    path = tmp_path / "careers.txt"
    path.write_text("Join our team! Positions require ITAR eligibility (22 CFR 120-130); our products fall under "
                    "USML Category XI and ECCN 3A611. Apply now. Equal opportunity employer.\n", encoding="utf-8")
    assert not verdict(path, detector)[2]


def test_every_pack_states_its_sources_and_their_date():
    import yaml

    for path in default_packs_dir().glob("*.yaml"):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert pack["sources"] and all(s["source"] and s["date"] for s in pack["sources"]), path.name


def test_a_pack_without_sources_or_with_an_unknown_word_group_is_refused(tmp_path):
    from cuiscan.detection.packs import load_packs
    from cuiscan.errors import ConfigError

    rule = ("rules:\n  - {id: TST-001, name: t, category: CTI, kind: pattern, patterns: ['thing'], score: 0.5,"
            " severity: warning, summary: s, rationale: r, references: [x], examples: {match: [thing]}%s}\n")
    (tmp_path / "t.yaml").write_text("family: TST\ntitle: t\n" + rule % "", encoding="utf-8")
    with pytest.raises(ConfigError, match="sources"):
        load_packs(str(tmp_path))
    (tmp_path / "t.yaml").write_text("family: TST\ntitle: t\nsources: [{source: s, date: 2026-12-06}]\n"
                                     + rule % ", needs: [nosuch]", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown word group"):
        load_packs(str(tmp_path))


def test_benchmark_corpus_detect_001_matches_the_generators_truth(tmp_path):
    """make_corpus.py records which files it meant to carry CUI indicators; a scan must agree."""
    import make_corpus
    from scan_findings import scan_detections

    out = tmp_path / "corpus"
    make_corpus.build(out, 120, 7)
    truth = {}
    for line in make_corpus.truth_path(out).read_text(encoding="utf-8").splitlines()[1:]:
        rel, _, carries = line.split("\t")
        truth[(out / rel).resolve()] = carries == "1"
    assert any(truth.values()) and not all(truth.values())
    found, _ = scan_detections(out, jobs=1)
    assert {p for p, c in truth.items() if c} == set(found)
