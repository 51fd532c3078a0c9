"""Golden test of the whole pipeline over samples/: every finding (marking, detection, derivative)
and every assessment a careful reviewer expects, no more, no fewer.

Each `samples/**/X.expected.json` names its profile; the scan of samples/ under that profile must
give file X exactly the findings listed under `findings`, `detection_findings` and
`derivative_findings` (rule, severity, zone/page/slide/sheet/member) and the `assessment`.
The marking-only golden test (tests/markings/test_samples_golden.py) pins the marking part alone.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from cuiscan.inventory.store import Inventory
from cuiscan.scan import run_scan
from cuiscan.settings import Settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXPECTED = sorted(SAMPLES.rglob("*.expected.json"))
KEYS = ("zone", "page", "slide", "sheet", "member")


def _key(rule_id, severity, location) -> tuple:
    return rule_id, severity, tuple(location.get(k) for k in KEYS)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """path -> (assessment, Counter of finding keys), for both profiles, from one real scan each."""
    out = {}
    for profile in ("dod", "nara"):
        db = tmp_path_factory.mktemp(profile) / "inv.sqlite"
        inv = Inventory.open(str(db))
        try:
            outcome = run_scan([str(SAMPLES)], Settings(jobs=1, profile=profile), inv)
            assert outcome.counts.failed == 0
            for result in inv.iter_results(outcome.scan_id):
                full = inv.previous(result.path)
                out[(profile, result.path)] = (
                    full.assessment.value,
                    Counter(_key(f.rule_id, f.severity.value, f.location.to_dict()) for f in full.findings))
        finally:
            inv.close()
    return out


def test_the_scan_covers_every_sample_and_nothing_else(scanned):
    scanned_paths = {path for profile, path in scanned if profile == "dod"}
    assert scanned_paths == {str(e)[: -len(".expected.json")] for e in EXPECTED}


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_pipeline_matches_expected(scanned, expected_path: Path):
    expected = json.loads(expected_path.read_text())
    listed = expected["findings"] + expected.get("detection_findings", []) + expected.get("derivative_findings", [])
    want = Counter(_key(f["rule_id"], f["severity"], f["location"]) for f in listed)
    assessment, got = scanned[(expected["profile"], str(expected_path)[: -len(".expected.json")])]
    assert (assessment, dict(got)) == (expected["assessment"], dict(want))
