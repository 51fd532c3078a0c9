"""SARIF 2.1.0 output, validated against the official schema (a copy in tests/data)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from cuiscan.inventory.suppressions import add_suppression
from cuiscan.reporting import render
from cuiscan.rulebook import load_rulebook

from report_helpers import DATA, all_findings

LEVEL = {"critical": "error", "error": "error", "warning": "warning", "info": "note"}


def _sarif(inv, scan_id, **kw) -> dict:
    out = io.StringIO()
    render("sarif", inv, scan_id, out, **kw)
    return json.loads(out.getvalue())


def _validate(doc: dict) -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    cls = jsonschema.validators.validator_for(schema)     # draft-04, as the schema declares
    cls.check_schema(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(doc)


def test_sarif_is_valid_and_complete(stored):
    inv, scan_id, files = stored
    doc = _sarif(inv, scan_id)
    _validate(doc)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert set(load_rulebook()) <= set(ids)
    expected = all_findings(files)
    assert {f.rule_id for _, f in expected} <= set(ids)
    assert run["tool"]["driver"]["version"] == "0.1.0"
    results = run["results"]
    assert len(results) == len(expected)
    by_fp = {f.fingerprint: (path, f) for path, f in expected}
    for res in results:
        path, f = by_fp[res["partialFingerprints"]["cuiscanFingerprint/v1"]]
        assert res["ruleId"] == f.rule_id and ids[res["ruleIndex"]] == f.rule_id
        assert res["level"] == LEVEL[f.severity.value]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == Path(path).as_uri()
        assert res["properties"]["location"]["page"] == f.location.page
    member = next(r for r in results if r["ruleId"] == "EMAIL-006")
    assert member["locations"][0]["logicalLocations"][0]["name"] == "att/report.docx"
    spill = next(r for r in results if r["ruleId"] == "SPILL-001")
    assert spill["level"] == "error" and spill["properties"]["severity"] == "critical"
    portion = next(r for r in results if r["ruleId"] == "PORTION-001")
    assert portion["level"] == "note" and portion["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}


def test_the_validation_is_not_vacuous(stored):
    inv, scan_id, _ = stored
    doc = _sarif(inv, scan_id)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate(doc)


def test_suppressed_results_carry_a_sarif_suppression(stored):
    inv, scan_id, files = stored
    fp = next(f.fingerprint for _, f in all_findings(files) if f.rule_id == "DERIV-001")
    add_suppression(inv, fp, "approved copy", "2099-01-01")
    assert fp not in {r["partialFingerprints"]["cuiscanFingerprint/v1"] for r in _sarif(inv, scan_id)["runs"][0]["results"]}
    doc = _sarif(inv, scan_id, show_suppressed=True)
    _validate(doc)
    (res,) = [r for r in doc["runs"][0]["results"] if r["partialFingerprints"]["cuiscanFingerprint/v1"] == fp]
    assert res["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "approved copy"}]


def test_empty_scan_is_valid_sarif(tmp_path):
    from cuiscan.inventory.store import Inventory
    from inv_builders import result, store_scan

    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    scan_id = store_scan(inv, [result("/srv/share/a.txt")])
    doc = _sarif(inv, scan_id)
    _validate(doc)
    assert doc["runs"][0]["results"] == []
    inv.close()
