"""A one-line hint when a scan likely checked files under the wrong marking profile.

NARA-style documents checked under the DoD profile (or the reverse) are correctly marked by their
own rules and still fail every rule only the other profile has (DoD: BANNER-011, DI-003 ...). When
most marked CUI files checked under one profile break rules specific to that profile, say so once,
with the two ways out (`--profile`, or a `cuiscan.toml` in their folder).
"""
from __future__ import annotations

from collections import Counter

from cuiscan.records import Severity
from cuiscan.rulebook import load_rulebook

MIN_FILES = 3          # fewer doubtful files than this is no pattern
MIN_SHARE = 0.5        # ... nor is a minority of the marked files checked under the profile
_OTHER = {"dod": "nara", "nara": "dod"}
_NAMES = {"dod": "DoD", "nara": "NARA"}


def profile_hint(inv, scan_id: str) -> str | None:
    specific = {doc.id: doc.profile for doc in load_rulebook().values() if doc.profile in _OTHER}
    marked: Counter = Counter()
    doubtful: dict[str, set[str]] = {p: set() for p in _OTHER}
    rules: dict[str, Counter] = {p: Counter() for p in _OTHER}
    files, findings = inv.marked_cui_rules(scan_id, Severity.ERROR.rank)
    for path, versions in files:
        marked[_profile(versions)] += 1
    for path, versions, rule_id in findings:
        profile = _profile(versions)
        if specific.get(rule_id) == profile:
            doubtful[profile].add(path)
            rules[profile][rule_id] += 1
    for profile, paths in doubtful.items():
        if len(paths) >= MIN_FILES and len(paths) >= MIN_SHARE * marked[profile]:
            other = _OTHER[profile]
            top = ", ".join(r for r, _ in rules[profile].most_common(3))
            return (f"hint: {len(paths)} of {marked[profile]} marked CUI files checked under the "
                    f"{_NAMES[profile]} profile break {_NAMES[profile]}-only rules ({top}); if they follow "
                    f"{_NAMES[other]}'s marking rules, scan them with --profile {other}, or put "
                    f'profile = "{other}" in a cuiscan.toml in their folder')
    return None


def _profile(versions: str) -> str:
    """The profile a stored result was checked under, from its versions key ('...;profile=dod;...')."""
    for part in (versions or "").split(";"):
        key, _, value = part.partition("=")
        if key == "profile":
            return value
    return ""
