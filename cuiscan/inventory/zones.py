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
import os
import re
from functools import lru_cache

from cuiscan.errors import ConfigError
from cuiscan.inventory.fingerprints import finding_fingerprint
from cuiscan.records import Assessment, FileResult, Finding, Location, Severity, Zone
from cuiscan.settings import ZoneConfig

UNDECLARED = "(undeclared)"
BOUNDARY_RULE = "BOUNDARY-001"
CUI_ASSESSMENTS = frozenset({Assessment.MARKED_CUI, Assessment.UNMARKED_CUI, Assessment.DERIVATIVE})
_CASE_INSENSITIVE = os.name == "nt"


def zones_key(zones: tuple[ZoneConfig, ...]) -> str:
    """A digest of the zone configuration: stored results keep their boundary findings while it holds."""
    text = json.dumps([[z.name, list(z.paths), z.allows_cui] for z in zones])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _to_slashes(path: str) -> str:
    return path.replace("\\", "/")


def is_absolute_pattern(pattern: str) -> bool:
    pat = _to_slashes(os.path.expanduser(pattern.strip()))
    return pat.startswith("/") or bool(re.match(r"[A-Za-z]:/", pat))


def anchor_pattern(pattern: str, base: str | None) -> str:
    """A zone pattern as written in a configuration file, made absolute the way gitignore-style
    tools read theirs: absolute stays; `**/x/**` (and a bare name without a slash, `eng-cui/`)
    matches at any depth; anything else is relative to the configuration file's folder `base`."""
    pat = _to_slashes(pattern.strip())
    if is_absolute_pattern(pat) or pat.startswith("**/"):
        return pat
    if "/" not in pat.rstrip("/"):
        return "**/" + pat
    if base is None:
        raise ConfigError(f"zone pattern {pattern!r} is relative, and there is no configuration file "
                          "to be relative to: write it absolute (/srv/share/**) or as **/...")
    while pat.startswith("./"):
        pat = pat[2:]
    return _to_slashes(os.path.join(base, pat))


def glob_to_regex(pattern: str) -> re.Pattern:
    """Compile one zone pattern (absolute, or `**/...` for any depth); raises ConfigError for another
    relative pattern (anchor_pattern makes the configuration file's relative patterns absolute)."""
    pat = _to_slashes(os.path.expanduser(pattern.strip()))
    if pat.startswith("**/"):
        pat = "/" + pat      # the leading "/**/" matches from the root down, at any depth
    if not (pat.startswith("/") or re.match(r"[A-Za-z]:/", pat)):
        raise ConfigError(f"zone pattern {pattern!r} must be absolute (/srv/share/**), start with **/, "
                          "or be relative to the configuration file's folder")
    out, i = [], 0
    while i < len(pat):
        ch = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[" and (end := pat.find("]", i + 2)) != -1:
            body = pat[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    if pat.endswith("/"):        # "/srv/share/" means the folder: everything below it
        out.append(".*")
    return re.compile("".join(out), re.IGNORECASE if _CASE_INSENSITIVE else 0)


@lru_cache(maxsize=32)
def compile_zones(zones: tuple[ZoneConfig, ...]) -> tuple[tuple[ZoneConfig, tuple[re.Pattern, ...]], ...]:
    return tuple((z, tuple(glob_to_regex(p) for p in z.paths)) for z in zones)


def zone_for(path: str, zones: tuple[ZoneConfig, ...]) -> ZoneConfig | None:
    """The first zone matching `path`; None when none does (the caller decides what that means)."""
    target = _to_slashes(path)
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
