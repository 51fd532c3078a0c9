"""`diff` between scans, and suppressions (stored, from the config file, expiring)."""
from __future__ import annotations

from datetime import date

import pytest

from cuiscan.errors import ConfigError
from cuiscan.inventory.diff import diff_scans
from cuiscan.inventory.store import Inventory
from cuiscan.inventory.suppressions import (
    SuppressionPolicy, active_fingerprints, add_suppression, all_suppressions, from_config, remove_suppression,
)
from cuiscan.records import Assessment, Severity, Zone
from cuiscan.settings import settings_from_mapping

from inv_builders import finding, result, store_scan

ROOT = "/srv/share"


def _spec(content, *findings):
    return result(f"{ROOT}/spec.docx", content=content, assessment=Assessment.MARKED_CUI, findings=findings)


def test_diff_new_resolved_changed_unchanged_and_removed(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    footer = finding("BANNER-010", page=3, zone=Zone.FOOTER)
    legacy = finding("LEGACY-001", Severity.WARNING, evidence="FOUO", zone=Zone.HEADER)
    people = result(f"{ROOT}/people.xlsx", content="ssn v1", assessment=Assessment.UNMARKED_CUI,
                    findings=[finding("DETECT-001", Severity.WARNING, evidence="***-**-6789", digest="d1")])
    notes = result(f"{ROOT}/notes.txt", content="n", findings=[finding("DETECT-001", Severity.WARNING, digest="d9")])
    old = store_scan(inv, [_spec("v1", footer, legacy), people, notes, result(f"{ROOT}/gone.txt")])

    # spec.docx edited: the footer is fixed, the legacy marking survives the edit (new content hash).
    # people.xlsx untouched; notes.txt deleted; a copy of people.xlsx appears elsewhere.
    copy = result(f"{ROOT}/hr/people-copy.xlsx", content="ssn v1", assessment=Assessment.UNMARKED_CUI,
                  findings=[finding("DETECT-001", Severity.WARNING, evidence="***-**-6789", digest="d1")])
    new = store_scan(inv, [_spec("v2", legacy), people, copy])
    d = diff_scans(inv, old, new)
    assert [(r.path, r.finding.rule_id) for r in d.resolved] == [     # in path order
        (f"{ROOT}/notes.txt", "DETECT-001"), (f"{ROOT}/spec.docx", "BANNER-010")]
    ((was, now),) = d.changed
    assert was.finding.rule_id == now.finding.rule_id == "LEGACY-001"
    assert was.finding.fingerprint != now.finding.fingerprint
    assert [(r.path, r.finding.rule_id) for r in d.new] == [(f"{ROOT}/hr/people-copy.xlsx", "DETECT-001")]
    assert d.unchanged == 1
    assert d.removed_files == [f"{ROOT}/gone.txt", f"{ROOT}/notes.txt"]
    assert d.counts() == {"new": 1, "resolved": 2, "changed": 1, "unchanged": 1, "suppressed": 0,
                          "removed_files": 2}
    same = diff_scans(inv, new, new)
    assert same.counts()["unchanged"] == 3 and not (same.new or same.resolved or same.changed)
    inv.close()


def test_stored_suppression_hides_until_it_expires(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    bad = _spec("v1", finding("BANNER-010", page=1), finding("PORTION-001", Severity.WARNING, evidence="(X)"))
    scan = store_scan(inv, [bad])
    fp = bad.findings[0].fingerprint
    add_suppression(inv, fp.upper(), "waiver W-12", "2030-06-30")
    assert inv.max_severity(scan, suppressed=active_fingerprints(inv, today=date(2030, 6, 30))) is Severity.WARNING
    assert inv.max_severity(scan, suppressed=active_fingerprints(inv, today=date(2030, 7, 1))) is Severity.ERROR
    assert inv.max_severity(scan, include_suppressed=True) is Severity.ERROR
    (s,) = all_suppressions(inv)
    assert (s.fingerprint, s.reason, s.expires, s.source) == (fp, "waiver W-12", date(2030, 6, 30), "inventory")
    assert remove_suppression(inv, fp) and not all_suppressions(inv)
    inv.close()


def test_config_suppressions_and_their_validation(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    bad = _spec("v1", finding("BANNER-010", page=1))
    scan = store_scan(inv, [bad])
    settings = settings_from_mapping({"suppress": [
        {"fingerprint": bad.findings[0].fingerprint, "reason": "legacy archive", "expires": date(2031, 1, 1)},
    ]})
    fps = SuppressionPolicy.from_settings(settings).fingerprints(inv, today=date(2030, 1, 1))
    assert inv.max_severity(scan, suppressed=fps) is None
    assert SuppressionPolicy.from_settings(settings).fingerprints(inv, today=date(2031, 1, 2)) == frozenset()
    for entry, message in [({"reason": "x"}, "not a finding fingerprint"),
                           ({"fingerprint": "ab" * 16}, "needs a reason"),
                           ({"fingerprint": "ab" * 16, "reason": "x", "expires": "soon"}, "YYYY-MM-DD"),
                           ({"fingerprint": "ab" * 16, "reason": "x", "until": "2030-01-01"}, "unknown key")]:
        with pytest.raises(ConfigError, match=message):
            from_config([entry])
    with pytest.raises(ConfigError, match="reason"):
        add_suppression(inv, "ab" * 16, "  ")
    inv.close()


def test_diff_leaves_out_suppressed_findings(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    old = store_scan(inv, [_spec("v1")])
    noisy = _spec("v2", finding("DETECT-001", Severity.WARNING, digest="zz"), finding("BANNER-001", page=1))
    new = store_scan(inv, [noisy])
    d = diff_scans(inv, old, new, frozenset({noisy.findings[0].fingerprint}))
    assert [r.finding.rule_id for r in d.new] == ["BANNER-001"] and d.suppressed == 1
    inv.close()
