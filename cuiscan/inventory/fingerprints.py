"""Stable identity of a finding across scans (report contract §2, `fingerprint`).

The fingerprint hashes what the finding *is*, never where a line happens to fall: rule, the file's
content hash (or its path when the file could not be hashed), the container member, the location
zone, the page/slide/sheet/section, and what matched (match_digest, or the evidence when a check
has no digest, e.g. a marking finding whose evidence is the marking text). Line numbers are left out
on purpose: they churn on every edit above the finding.
"""
from __future__ import annotations

import hashlib

from cuiscan.records import Finding

_VERSION = "fp1"   # bump if the recipe changes: old suppressions would silently stop matching


def finding_fingerprint(rule_id: str, file_sha256: str | None, finding: Finding,
                        path: str | None = None) -> str:
    """Hex digest (32 chars) identifying `finding` in a file with content hash `file_sha256`.

    `path` is required only when the file could not be hashed (file_sha256 is None).
    """
    if file_sha256:
        anchor = "sha256:" + file_sha256
    elif path:
        anchor = "path:" + path
    else:
        raise ValueError("finding_fingerprint needs file_sha256 or path")
    loc = finding.location
    what = finding.match_digest or finding.evidence
    parts = (
        _VERSION, rule_id, anchor, loc.member or "", loc.zone.value,
        _opt(loc.page), _opt(loc.slide), loc.sheet or "", _opt(loc.section), what,
    )
    # Length-prefixed so that no two different part lists can produce the same byte string.
    joined = "".join(f"{len(p)}:{p}" for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)
