"""`cuiscan inspect --explain`: per passage the rules that fired or were held back and the model's
score; per document why DETECT-001 was or was not given - on every format."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cuiscan.detection.evaluate import check_markings
from cuiscan.detection.explain import explain_file
from cuiscan.extractors import extract_file
from cuiscan.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from blind_render import FORMATS, load_cases, render_case  # noqa: E402

CASES = load_cases(Path(__file__).parent / "data")


def explained(path: Path, detector):
    docs = extract_file(str(path))
    return explain_file(detector, docs, check_markings(docs, Settings()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_explain_works_on_every_format_and_gives_the_scans_verdict(tmp_path, detector, fmt):
    for case in (c for c in CASES if c["format"] == fmt):
        items = explained(render_case(case, tmp_path), detector)
        verdicts = [line for item in items for line in item.verdict]
        given = [v for v in verdicts if v.startswith("DETECT-001")]
        if case["label"] == "cui":
            assert given, (case["id"], verdicts)
            assert any(line for item in items for view in item.passages for line in view.fired)
            assert any(view.model.startswith("p(CUI)=") for item in items for view in item.passages)
        else:
            assert not given and any(v.startswith("no DETECT-001") for v in verdicts), (case["id"], verdicts)


def test_explain_says_which_rule_was_held_back_and_for_lack_of_what(tmp_path, detector):
    """Civil engineering values: the CTI value rule would match but no military application is in sight."""
    path = tmp_path / "pump.txt"
    path.write_text("Pump housing bore 120 mm ±0.05 mm; flow 42 L/s at 3.1 bar; 1450 rpm.\n", encoding="utf-8")
    items = explained(path, detector)
    held = [line for view in items[0].passages for line in view.held]
    assert any(line.startswith("CTI-013") and "military_application" in line for line in held), held
    assert items[0].verdict[-1].startswith("no DETECT-001")


def test_explain_of_strong_evidence_names_the_error_and_redacts_by_default(tmp_path, detector):
    path = tmp_path / "roster.csv"
    path.write_text("Name,SSN,Grade\nDana Ortiz,412-56-7890,GS-12\nLee Park,231-45-6789,GS-11\n", encoding="utf-8")
    items = explained(path, detector)
    fired = " ".join(line for view in items[0].passages for line in view.fired)
    assert "PRVCY-001" in fired and "strong-evidence rule" in fired
    assert "412-56-7890" not in fired and "231-45-6789" not in fired and "***-**-" in fired
    assert any(v.startswith("DETECT-001 (error)") for v in items[0].verdict)


def test_explain_of_a_marked_document_says_detection_is_not_reported(tmp_path, detector):
    path = tmp_path / "marked.txt"
    path.write_text("CUI\n\nWarhead fuze delay 12 ms; case wall 2.6 mm after the arena test.\n\nCUI\n", encoding="utf-8")
    items = explained(path, detector)
    assert any(v.startswith("no DETECT-001: the document is marked") for v in items[0].verdict)


def test_cli_inspect_explain_prints_passages_verdict_and_findings(tmp_path):
    case = next(c for c in CASES if c["id"] == "own-cti-eml")
    path = render_case(case, tmp_path)
    done = subprocess.run([sys.executable, "-m", "cuiscan", "inspect", "--explain", str(path)],
                          capture_output=True, text=True, timeout=300, env={"COLUMNS": "200", "PATH": ""})
    out = done.stdout
    assert done.returncode == 0, done.stderr[-500:]   # a warning does not reach the default --fail-on error
    assert "passage at line" in out and "fired  CTI-013" in out and "model  p(CUI)=" in out
    assert "DETECT-001 (warning)" in out and "warning  DETECT-001" in out
    assert "[engineering values in a military application]" in out   # bracketed evidence survives rich markup
