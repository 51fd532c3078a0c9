"""Finding fingerprints and the boundary (zones, BOUNDARY-001)."""
from __future__ import annotations

import dataclasses
import re

import pytest

from cuiscan.errors import ConfigError
from cuiscan.inventory.fingerprints import finding_fingerprint
from cuiscan.inventory.zones import UNDECLARED, apply_boundary, zone_for
from cuiscan.records import Assessment, Location, Severity, Status, Zone
from cuiscan.settings import ZoneConfig, settings_from_mapping

from inv_builders import finding, result, sha_of

SHA = sha_of("content")


def test_fingerprint_ignores_line_numbers_but_not_identity():
    base = finding("DETECT-001", page=2, line=10, digest="abc")
    fp = finding_fingerprint("DETECT-001", SHA, base)
    assert re.fullmatch(r"[0-9a-f]{32}", fp)                     # what `cuiscan suppress` accepts
    moved = dataclasses.replace(base, location=dataclasses.replace(base.location, line=99))
    assert finding_fingerprint("DETECT-001", SHA, moved) == fp
    variants = [
        finding_fingerprint("DETECT-002", SHA, base),
        finding_fingerprint("DETECT-001", sha_of("other"), base),
        finding_fingerprint("DETECT-001", SHA, dataclasses.replace(base, match_digest="abd")),
        finding_fingerprint("DETECT-001", SHA, finding("DETECT-001", page=3, line=10, digest="abc")),
        finding_fingerprint("DETECT-001", SHA, finding("DETECT-001", page=2, digest="abc", member="x.docx")),
        finding_fingerprint("DETECT-001", SHA, finding("DETECT-001", page=2, digest="abc", zone=Zone.FOOTER)),
    ]
    assert len(set(variants + [fp])) == len(variants) + 1


def test_fingerprint_uses_evidence_without_digest_and_path_without_hash():
    a = finding("BANNER-002", evidence="CUI//FOUO")
    b = finding("BANNER-002", evidence="CUI//SBU")
    assert finding_fingerprint(a.rule_id, SHA, a) != finding_fingerprint(b.rule_id, SHA, b)
    by_path = finding_fingerprint(a.rule_id, None, a, path="/srv/x.pdf")
    assert by_path == finding_fingerprint(a.rule_id, None, a, path="/srv/x.pdf")
    assert by_path != finding_fingerprint(a.rule_id, None, a, path="/srv/y.pdf")
    with pytest.raises(ValueError):
        finding_fingerprint(a.rule_id, None, a)


ZONES = (
    ZoneConfig("Engineering CUI enclave", ("/srv/shares/eng-cui/**",), True),
    ZoneConfig("Contracts", ("/srv/shares/*/contracts/*.pdf", "/srv/legal/**"), True),
    ZoneConfig("Corporate shares", ("/srv/shares/**",), False),
)


@pytest.mark.parametrize("path, expected", [
    ("/srv/shares/eng-cui/a/b/c/spec.docx", "Engineering CUI enclave"),   # ** crosses folders
    ("/srv/shares/eng-cui/top.docx", "Engineering CUI enclave"),
    ("/srv/shares/sales/contracts/deal.pdf", "Contracts"),
    ("/srv/shares/sales/contracts/2024/deal.pdf", "Corporate shares"),   # * stays in one folder
    ("/srv/shares/sales/contracts/deal.docx", "Corporate shares"),
    ("/srv/shares/eng-cui-old/x.docx", "Corporate shares"),              # not a prefix match
    ("/srv/legal/x.pdf", "Contracts"),
    ("/home/bob/x.pdf", None),
])
def test_first_matching_zone_wins(path, expected):
    zone = zone_for(path, ZONES)
    assert (zone.name if zone else None) == expected


@pytest.mark.parametrize("assessment, boundary", [
    (Assessment.MARKED_CUI, True), (Assessment.UNMARKED_CUI, True), (Assessment.DERIVATIVE, True),
    (Assessment.CLASSIFIED, False), (Assessment.NOT_CUI, False), (Assessment.UNKNOWN, False),
])
def test_boundary_finding_for_cui_outside_allowed_zones(assessment, boundary):
    outside = apply_boundary(result("/srv/shares/hr/a.docx", assessment=assessment, categories=("PRVCY",)), ZONES)
    inside = apply_boundary(result("/srv/shares/eng-cui/a.docx", assessment=assessment), ZONES)
    assert outside.zone == "Corporate shares" and inside.zone == "Engineering CUI enclave"
    assert not [f for f in inside.findings if f.rule_id == "BOUNDARY-001"]
    found = [f for f in outside.findings if f.rule_id == "BOUNDARY-001"]
    assert bool(found) == boundary
    if boundary:
        (f,) = found
        assert f.severity is Severity.ERROR and f.location == Location(zone=Zone.FILENAME)
        assert f.categories == ("PRVCY",) and "Corporate shares" in f.message
        assert f.fingerprint == finding_fingerprint("BOUNDARY-001", outside.sha256, dataclasses.replace(f, fingerprint=""))


def test_undeclared_zone_does_not_allow_cui():
    r = apply_boundary(result("/home/bob/copy.docx", assessment=Assessment.UNMARKED_CUI), ZONES)
    assert r.zone == UNDECLARED
    (f,) = [f for f in r.findings if f.rule_id == "BOUNDARY-001"]
    assert "outside every declared zone" in f.message


def test_no_zones_means_no_boundary_checks_and_apply_is_idempotent():
    r = result("/srv/shares/hr/a.docx", assessment=Assessment.MARKED_CUI, findings=[finding(page=1)])
    assert apply_boundary(r, ()) == dataclasses.replace(r, zone=None)
    once = apply_boundary(r, ZONES)
    twice = apply_boundary(once, ZONES)
    assert once == twice and len(twice.findings) == 2
    moved_config = (ZoneConfig("All", ("/srv/**",), True),)
    assert [f.rule_id for f in apply_boundary(once, moved_config).findings] == ["BANNER-010"]


def test_zones_from_config_file_and_relative_pattern_rejected():
    settings = settings_from_mapping({"zone": [
        {"name": "Enclave", "paths": ["/data/cui/**"], "allows_cui": True},
        {"name": "Rest", "paths": ["/data/**"]},
    ]})
    r = apply_boundary(result("/data/cui/x/y.pdf", assessment=Assessment.MARKED_CUI), settings.zones)
    assert r.zone == "Enclave" and len(r.findings) == 0
    with pytest.raises(ConfigError, match="absolute"):
        apply_boundary(result("/data/x.pdf"), (ZoneConfig("Bad", ("data/**",), False),))


def test_failed_file_in_bad_zone_gets_no_boundary_finding():
    r = apply_boundary(result("/srv/shares/hr/x.pdf", status=Status.FAILED, assessment=Assessment.UNKNOWN), ZONES)
    assert r.zone == "Corporate shares" and r.findings == ()
