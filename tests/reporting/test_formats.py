"""json, jsonl, csv and table reports of a stored scan, per the report contract."""
from __future__ import annotations

import csv
import io
import json

import pytest

from cuiscan.errors import ConfigError
from cuiscan.inventory.suppressions import SuppressionPolicy, add_suppression, from_config
from cuiscan.reporting import FORMATS, render
from cuiscan.reporting.csv_report import COLUMNS

from report_helpers import HOSTILE, all_findings

FILE_KEYS = {"path", "type", "size", "sha256", "status", "assessment", "banner", "categories", "zone"}
FINDING_KEYS = {"rule_id", "severity", "confidence", "path", "location", "message", "categories",
                "evidence", "fingerprint"}
LOCATION_KEYS = {"zone", "page", "slide", "sheet", "line", "member"}


def _render(fmt, inv, scan_id, **kw) -> str:
    out = io.StringIO()
    render(fmt, inv, scan_id, out, **kw)
    return out.getvalue()


def test_json_report_follows_the_contract(stored):
    inv, scan_id, files = stored
    doc = json.loads(_render("json", inv, scan_id))
    assert doc["schema"] == "cuiscan-report/1"
    assert doc["tool"] == {"name": "cuiscan", "version": "0.1.0", "rules_version": "rules-7",
                           "model_version": "model-3"}
    scan = doc["scan"]
    assert scan["id"] == scan_id and scan["profile"] == "dod" and scan["roots"] == ["/srv/share"]
    assert scan["started_at"].endswith("Z") and scan["finished_at"].endswith("Z")
    # the contract's counts, and the OCR coverage this scan had (none: no pictures in this share)
    assert scan["counts"] == {"files_seen": 9, "inspected": 8, "unchanged": 0, "skipped": 0, "failed": 1,
                              "ocr_pages": 0, "images_skipped": 0}
    assert [f["path"] for f in doc["files"]] == sorted(r.path for r in files)
    assert doc["files"] == [r.to_dict() for r in inv.iter_results(scan_id)]
    for f in doc["files"]:
        assert FILE_KEYS <= set(f)
    by_path = {f["path"]: f for f in doc["files"]}
    assert by_path["/srv/share/hr/copy.docx"]["zone"] == "Corporate"
    assert by_path["/srv/share/hr/copy.docx"]["assessment"] == "derivative"
    assert by_path["/srv/share/hr/locked.pdf"]["status"] == "failed"
    expected = all_findings(files)
    assert len(doc["findings"]) == len(expected)
    for f in doc["findings"]:
        assert FINDING_KEYS <= set(f) and LOCATION_KEYS <= set(f["location"])
    assert {(f["path"], f["fingerprint"]) for f in doc["findings"]} == {(p, f.fingerprint) for p, f in expected}
    assert {f["rule_id"] for f in doc["findings"] if f["path"].startswith("/srv/share/hr/")} >= {"BOUNDARY-001"}
    attachment = next(f for f in doc["findings"] if f["rule_id"] == "EMAIL-006")
    assert attachment["location"]["member"] == "att/report.docx" and attachment["location"]["page"] == 2
    assert doc["summary"]["findings"] == len(expected) and doc["summary"]["max_severity"] == "critical"


def test_min_severity_and_suppressions_filter_the_findings(stored):
    inv, scan_id, files = stored
    doc = json.loads(_render("json", inv, scan_id, min_severity="error"))
    assert doc["findings"] and all(f["severity"] in ("error", "critical") for f in doc["findings"])
    spill = next(f for _, f in all_findings(files) if f.rule_id == "SPILL-001")
    add_suppression(inv, spill.fingerprint, "reported to security office, ticket 42")
    hidden = json.loads(_render("json", inv, scan_id))
    assert spill.fingerprint not in {f["fingerprint"] for f in hidden["findings"]}
    assert hidden["summary"]["suppressed"] == 1 and hidden["summary"]["max_severity"] == "error"
    shown = json.loads(_render("json", inv, scan_id, show_suppressed=True))
    (entry,) = [f for f in shown["findings"] if f["fingerprint"] == spill.fingerprint]
    assert entry["suppressed"] is True and entry["suppression"]["reason"].startswith("reported")
    config = SuppressionPolicy(tuple(from_config([{"fingerprint": entry["fingerprint"], "reason": "x"}])))
    assert len(json.loads(_render("json", inv, scan_id, suppressions=config))["findings"]) == \
        len(hidden["findings"])


def test_jsonl_has_one_finding_per_line_then_the_summary(stored):
    inv, scan_id, files = stored
    lines = _render("jsonl", inv, scan_id).splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == len(all_findings(files)) + 1
    for e in events[:-1]:
        assert FINDING_KEYS <= set(e) and e["scan_id"] == scan_id
    summary = events[-1]["summary"]
    assert summary["findings"] == len(events) - 1 and summary["scan"]["id"] == scan_id
    assert summary["assessments"]["marked-cui"] == 3


def test_csv_has_one_row_per_finding_and_defuses_formulas(stored):
    inv, scan_id, files = stored
    rows = list(csv.DictReader(io.StringIO(_render("csv", inv, scan_id))))
    assert len(rows) == len(all_findings(files))
    assert tuple(rows[0]) == COLUMNS
    hostile = next(r for r in rows if r["rule_id"] == "PORTION-001")
    assert hostile["evidence"] == "'" + HOSTILE and hostile["line"] == "4"
    boundary = [r for r in rows if r["rule_id"] == "BOUNDARY-001"]
    assert {r["file_zone"] for r in boundary} == {"Corporate"} and len(boundary) == 2


def test_table_lists_files_findings_and_fingerprints(stored):
    inv, scan_id, files = stored
    text = _render("table", inv, scan_id)
    for path, f in all_findings(files):
        assert path in text and f.fingerprint in text
    assert "zone Corporate" in text and "SPILL-001" in text
    assert "/srv/share/readme.md" not in text      # a clean file has no finding to list


def test_unknown_format_is_a_usage_error(stored):
    inv, scan_id, _ = stored
    assert set(FORMATS) == {"table", "json", "jsonl", "csv", "sarif", "html"}
    with pytest.raises(ConfigError, match="format"):
        _render("xml", inv, scan_id)
