"""`cuiscan report | inventory | diff | suppress | suppressions` through the real command line."""
from __future__ import annotations

import csv
import io
import json
import stat

import pytest
from typer.testing import CliRunner

from cuiscan.cli import app
from cuiscan.inventory.store import Inventory
from cuiscan.records import Assessment, Severity

from inv_builders import finding, result, store_scan
from report_helpers import all_findings


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return invoke


@pytest.fixture
def db(stored):
    inv, scan_id, files = stored
    inv.flush()
    return inv.path, scan_id, files


def test_report_exit_codes_follow_fail_on(run, db, tmp_path):
    path, scan_id, files = db
    assert run("report", "--db", path, "-f", "json").exit_code == 1            # a critical finding
    assert run("report", "--db", path, "-f", "json", "--fail-on", "never").exit_code == 0
    spill = next(f for _, f in all_findings(files) if f.rule_id == "SPILL-001")
    assert run("report", "--db", path, "--fail-on", "critical", "-f", "csv").exit_code == 1
    res = run("suppress", spill.fingerprint, "--reason", "spill handled, ticket 7", "--db", path)
    assert res.exit_code == 0 and spill.fingerprint in res.output
    assert run("report", "--db", path, "--fail-on", "critical", "-f", "csv").exit_code == 0
    out = tmp_path / "r.sarif"
    assert run("report", scan_id, "--db", path, "-f", "sarif", "-o", out, "--fail-on", "never").exit_code == 0
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_report_usage_and_inventory_errors(run, db, tmp_path):
    path, _, _ = db
    res = run("report", "no-such-scan", "--db", path)
    assert res.exit_code == 2 and "no scan" in res.output
    assert run("report", "--db", path, "-f", "xml").exit_code == 2
    assert run("report", "--db", path, "--min-severity", "loud").exit_code == 2
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"not a database at all\n" * 100)
    res = run("report", "--db", broken)
    assert res.exit_code == 3 and "not a cuiscan inventory" in res.output
    assert "Traceback" not in res.output
    empty = tmp_path / "empty.sqlite"
    Inventory.open(str(empty)).close()
    res = run("report", "--db", empty)
    assert res.exit_code == 3 and "no scan yet" in res.output


def test_inventory_command_in_every_format(run, db, tmp_path):
    path, _, files = db
    config = tmp_path / "cuiscan.toml"
    config.write_text('[[zone]]\nname = "Engineering enclave"\npaths = ["/srv/share/eng/**"]\nallows_cui = true\n'
                      '[[zone]]\nname = "Corporate"\npaths = ["/srv/share/**"]\n')
    res = run("inventory", "--db", path, "--config", config, "-f", "json")
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert doc["total"]["files_seen"] == len(files)
    zones = {z["zone"]: z for z in doc["zones"]}
    assert zones["Engineering enclave"]["allows_cui"] is True and zones["Corporate"]["allows_cui"] is False
    assert zones["Corporate"]["boundary_violations"] == 2
    assert sum(z["files_seen"] for z in doc["zones"]) == len(files)
    rows = list(csv.DictReader(io.StringIO(run("inventory", "--db", path, "-f", "csv").output)))
    assert sum(int(r["files_seen"]) for r in rows) == len(files)
    table = run("inventory", "--db", path, "--config", config).output
    assert "Engineering enclave" in table and "/srv/share/hr" in table
    html = tmp_path / "inv.html"
    assert run("inventory", "--db", path, "-f", "html", "-o", html).exit_code == 0
    assert "<svg" in html.read_text() and "/srv/share/hr" in html.read_text()
    assert run("inventory", "--db", path, "-f", "sarif").exit_code == 2


def test_diff_after_a_finding_is_fixed(run, tmp_path):
    path = str(tmp_path / "inv.sqlite")
    inv = Inventory.open(path)
    bad = result("/srv/share/spec.docx", content="v1", assessment=Assessment.MARKED_CUI,
                 findings=[finding("BANNER-010", page=2)])
    old = store_scan(inv, [bad, result("/srv/share/a.txt")])
    fixed = result("/srv/share/spec.docx", content="v2", assessment=Assessment.MARKED_CUI)
    leak = result("/srv/share/a.txt", content="now with SSN", assessment=Assessment.UNMARKED_CUI,
                  findings=[finding("DETECT-001", Severity.WARNING, digest="x1")])
    new = store_scan(inv, [fixed, leak])
    inv.close()
    res = run("diff", old, new, "--db", path, "-f", "json", "--fail-on", "never")
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert [f["rule_id"] for f in doc["resolved"]] == ["BANNER-010"]
    assert [f["rule_id"] for f in doc["new"]] == ["DETECT-001"]
    assert run("diff", old, new, "--db", path, "--fail-on", "warning").exit_code == 1
    assert run("diff", old, new, "--db", path, "--fail-on", "error").exit_code == 0
    table = run("diff", "latest~1", "--db", path, "--fail-on", "never").output
    assert "1 new" in table and "1 resolved" in table


def test_expired_suppression_comes_back(run, db, tmp_path):
    path, _, files = db
    deriv = next(f for _, f in all_findings(files) if f.rule_id == "DERIV-001")
    past = run("suppress", deriv.fingerprint, "--reason", "old waiver", "--expires", "2001-01-01", "--db", path)
    assert past.exit_code == 2 and "in the past" in past.output
    assert json.loads(run("suppressions", "--db", path, "-f", "json").output) == []
    config = tmp_path / "cuiscan.toml"          # a reviewed entry whose time ran out
    config.write_text(f'[[suppress]]\nfingerprint = "{deriv.fingerprint}"\nreason = "old waiver"\n'
                      'expires = "2001-01-01"\n')
    doc = json.loads(run("report", "--db", path, "--config", config, "-f", "json", "--fail-on", "never").output)
    assert deriv.fingerprint in {f["fingerprint"] for f in doc["findings"]}
    listed = run("suppressions", "--db", path, "--config", config)
    assert "EXPIRED" in listed.output and deriv.fingerprint in listed.output
    assert run("suppress", deriv.fingerprint, "--reason", "renewed", "--expires", "2999-12-31",
               "--db", path).exit_code == 0
    doc = json.loads(run("report", "--db", path, "-f", "json", "--fail-on", "never").output)
    assert deriv.fingerprint not in {f["fingerprint"] for f in doc["findings"]}
    assert doc["summary"]["suppressed"] == 1
    items = json.loads(run("suppressions", "--db", path, "-f", "json").output)
    assert [(s["fingerprint"], s["active"]) for s in items] == [(deriv.fingerprint, True)]
    assert run("suppress", deriv.fingerprint, "--reason", "x", "--expires", "someday", "--db", path).exit_code == 2
    assert run("suppress", deriv.fingerprint, "--db", path).exit_code == 2        # no reason
    assert run("suppress", deriv.fingerprint, "--remove", "--db", path).exit_code == 0
    assert json.loads(run("suppressions", "--db", path, "-f", "json").output) == []
