"""Compare the marking findings of a converted file with those of its born-digital OOXML original."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from cuiscan.extractors import extract_file
from cuiscan.markings import MarkingContext, check_file
from cuiscan.records import Finding, Severity

TODAY = date(2026, 6, 1)
LAYOUT_RULES = ("BANNER", "PORTION", "SLIDE", "SHEET", "DI-")


def findings(path: Path, profile: str = "dod") -> list[Finding]:
    ctx = MarkingContext(profile=profile, today=TODAY, strict=True)
    return [f for result in check_file(extract_file(str(path)), ctx) for f in result.findings]


def layout_keys(path: Path) -> list[tuple]:
    """Banner, portion, slide, sheet and DI findings above info, by rule and place."""
    keys = []
    for f in findings(path):
        if f.severity == Severity.INFO or not f.rule_id.startswith(LAYOUT_RULES):
            continue
        loc = f.location
        keys.append((f.rule_id, f.severity.value, loc.zone.value if loc.zone else None, loc.section,
                     loc.slide, loc.sheet))
    return sorted(keys, key=str)
