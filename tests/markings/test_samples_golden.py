"""Golden test: every sample under samples/ gives exactly the marking findings its expected file lists.

The `<sample>.expected.json` files were written by hand from the rule book (what a careful marking
reviewer reports: rule, severity, where) and then checked against the output. `findings` are the
marking-stage findings compared here; `detection_findings` (DETECT-001 ...) belong to the detection
stage and are compared once the full pipeline runs the samples (the lead extends this test);
`assessment` is likewise the pipeline's.

Regenerate after an intended change of behaviour:  CUISCAN_REGEN_GOLDEN=1 .venv/bin/pytest tests/markings/test_samples_golden.py
(rewrites only `findings`, keeping the hand-written `why` of entries that still match; review the diff).
Also checks that the samples are exactly what samples/make_samples.py builds (no stale sample).
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cuiscan.extractors import extract_file
from cuiscan.markings import MarkingContext, check_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
EXPECTED = sorted(SAMPLES.rglob("*.expected.json"))
REGEN = os.environ.get("CUISCAN_REGEN_GOLDEN") == "1"
_KEYS = ("zone", "page", "slide", "sheet", "member")
TODAY = date(2026, 6, 1)   # fixed "scan date": decontrol-date rules must not change results over time


def _sample_of(expected: Path) -> Path:
    return expected.with_name(expected.name[: -len(".expected.json")])


def _key(rule_id: str, severity: str, location: dict) -> tuple:
    return (rule_id, severity) + tuple(location.get(k) for k in _KEYS)


def _actual(sample: Path, profile: str) -> list[dict]:
    docs = extract_file(str(sample))
    results = check_file(docs, MarkingContext(profile=profile, today=TODAY, strict=True))
    out = []
    for result in results:
        for f in result.findings:
            loc = f.location.to_dict()
            out.append({"rule_id": f.rule_id, "severity": f.severity.value,
                        "location": {k: loc[k] for k in _KEYS}})
    return out


def test_every_sample_has_an_expected_file():
    samples = {p for p in SAMPLES.rglob("*") if p.is_file() and p.parent != SAMPLES
               and not p.name.endswith(".expected.json") and "__pycache__" not in p.parts
               and p.name != "cuiscan.toml"}     # a folder's profile setting, not a sample
    assert samples == {_sample_of(e) for e in EXPECTED}
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_matches_expected(expected_path: Path):
    expected = json.loads(expected_path.read_text())
    actual = _actual(_sample_of(expected_path), expected["profile"])
    want = Counter(_key(f["rule_id"], f["severity"], f["location"]) for f in expected["findings"])
    got = Counter(_key(f["rule_id"], f["severity"], f["location"]) for f in actual)
    if REGEN and want != got:
        why = {_key(f["rule_id"], f["severity"], f["location"]): f.get("why", "") for f in expected["findings"]}
        expected["findings"] = [dict(f, why=why.get(_key(f["rule_id"], f["severity"], f["location"]), "REVIEW"))
                                for f in actual]
        expected_path.write_text(json.dumps(expected, indent=2) + "\n")
        return
    assert got == want, (f"unexpected: {sorted((got - want).elements())}; "
                         f"missing: {sorted((want - got).elements())}")


def test_not_cui_folder_has_nothing_above_info():
    for sample in sorted((SAMPLES / "not-cui").iterdir()):
        if sample.suffix == ".json":
            continue
        for profile in ("dod", "nara"):
            findings = _actual(sample, profile)
            assert [f for f in findings if f["severity"] != "info"] == [], (sample.name, profile)


def test_samples_are_what_the_generator_builds(tmp_path):
    """make_samples.py is deterministic and the committed samples are its current output."""
    sys.path.insert(0, str(SAMPLES))
    try:
        import make_samples
    finally:
        sys.path.remove(str(SAMPLES))
    make_samples.dod_samples(tmp_path)
    make_samples.nara_samples(tmp_path)
    make_samples.not_cui_samples(tmp_path)
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {_sample_of(e).relative_to(SAMPLES): _sample_of(e).read_bytes() for e in EXPECTED}
    assert built.keys() == committed.keys()
    stale = [str(name) for name in built if built[name] != committed[name]]
    assert stale == [], f"samples differ from make_samples.py output (run it): {stale}"
