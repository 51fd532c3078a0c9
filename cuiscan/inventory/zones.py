"""The CUI boundary (report contract §4): which zone a file sits in and whether CUI may live there.

Patterns are matched against the file's absolute path with `/` separators: `**` crosses folders
(`/srv/**` matches every file below /srv, `/srv/**/x.pdf` also /srv/x.pdf), `*` and `?` stay within
one folder, `[abc]` is a character class. As in gitignore, `**/eng-cui/**` (or a bare `eng-cui/`)
matches at any depth, and another relative pattern (`shares/eng/**`) is relative to the folder of
the configuration file that declares it (anchor_pattern, applied when the file is loaded). The first zone with a matching pattern wins. With zones
declared, a file no zone matches is in `(undeclared)`, which does not allow CUI. With no zones
declared, boundary checks are off (zone None) and the inventory groups by top-level folder.

BOUNDARY-001 fires for `marked-cui`, `unmarked-cui` and `derivative` files in a zone that does not
allow CUI. Decision: NOT for `classified`: SPILL-001 (critical) already reports those wherever they
are, and a CUI-allowed enclave does not allow classified material either, so a boundary finding
would add noise without adding a fact.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from functools import lru_cache

from cuiscan.inventory.fingerprints import finding_fingerprint
from cuiscan.records import Assessment, FileResult, Finding, Location, Severity, Zone
from cuiscan.settings import ZoneConfig
from cuiscan.zone_patterns import glob_to_regex, to_slashes

UNDECLARED = "(undeclared)"
BOUNDARY_RULE = "BOUNDARY-001"
CUI_ASSESSMENTS = frozenset({Assessment.MARKED_CUI, Assessment.UNMARKED_CUI, Assessment.DERIVATIVE})


def zones_key(zones: tuple[ZoneConfig, ...]) -> str:
    """A digest of the zone configuration: stored results keep their boundary findings while it holds."""
    text = json.dumps([[z.name, list(z.paths), z.allows_cui] for z in zones])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=32)
def compile_zones(zones: tuple[ZoneConfig, ...]) -> tuple[tuple[ZoneConfig, tuple[re.Pattern, ...]], ...]:
    return tuple((z, tuple(glob_to_regex(p) for p in z.paths)) for z in zones)


def zone_for(path: str, zones: tuple[ZoneConfig, ...]) -> ZoneConfig | None:
    """The first zone matching `path`; None when none does (the caller decides what that means)."""
    target = to_slashes(path)
    for zone, patterns in compile_zones(zones):
        if any(p.fullmatch(target) for p in patterns):
            return zone
    return None


def apply_boundary(result: FileResult, zones: tuple[ZoneConfig, ...]) -> FileResult:
    """Set result.zone and (re)compute the BOUNDARY-001 finding. Idempotent: safe on reused results."""
    kept = tuple(f for f in result.findings if f.rule_id != BOUNDARY_RULE)
    if not zones:
        return dataclasses.replace(result, zone=None, findings=kept)
    zone = zone_for(result.path, zones)
    name = zone.name if zone else UNDECLARED
    allows = bool(zone and zone.allows_cui)
    if result.assessment in CUI_ASSESSMENTS and not allows:
        kept = kept + (_boundary_finding(result, name),)
    return dataclasses.replace(result, zone=name, findings=kept)


def _boundary_finding(result: FileResult, zone_name: str) -> Finding:
    where = ("outside every declared zone" if zone_name == UNDECLARED
             else f"in zone '{zone_name}', which does not allow CUI")
    finding = Finding(
        rule_id=BOUNDARY_RULE,
        severity=Severity.ERROR,
        message=f"{result.assessment.value} file stored {where}",
        location=Location(zone=Zone.FILENAME),
        categories=result.categories,
        evidence=f"zone: {zone_name}; assessment: {result.assessment.value}",
    )
    fp = finding_fingerprint(BOUNDARY_RULE, result.sha256, finding, path=result.path)
    return dataclasses.replace(finding, fingerprint=fp)
