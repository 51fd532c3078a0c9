"""Conversion between the records (FileResult, Finding) and the inventory's table rows."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import fields, replace
from datetime import datetime, timezone

from cuiscan.records import Assessment, FileResult, Finding, Location, Severity, Status, Zone
from cuiscan.textsafe import storable

# Findings that are not about markings: they never make a file "mismarked" in the inventory.
NON_MARKING_RULES = frozenset({"DETECT-001", "DERIV-001", "SPILL-001", "BOUNDARY-001", "SCAN-001"})

RESULT_COLUMNS = (
    "path, root, folder, ftype, size, mtime_ns, inode, sha256, status, status_reason, assessment, "
    "banner, categories, zone, explanation, versions"
)
FINDING_COLUMNS = (
    "rule_id, severity, confidence, message, loc_zone, page, slide, sheet, line, member, section, "
    "cell, categories, evidence, match_digest, fingerprint, ocr"
)


def top_folder(path: str, root: str) -> str:
    """The first folder below `root` that holds `path`, or `root` itself for files directly in it."""
    base = root.rstrip("/\\") or root
    if path == base or not path.startswith(base):
        return base
    rest = path[len(base):].lstrip("/\\")
    for sep in ("/", "\\"):
        rest = rest.replace(sep, os.sep)
    head, _, tail = rest.partition(os.sep)
    if not tail:
        return base
    return base + (os.sep if not base.endswith(os.sep) else "") + head


def is_mismarking(finding: Finding) -> bool:
    return finding.rule_id not in NON_MARKING_RULES and finding.severity.rank >= Severity.ERROR.rank


def result_row(scan_id: str, result: FileResult, recorded_at: str) -> tuple:
    max_rank = max((f.severity.rank for f in result.findings), default=0)
    mismarked = int(any(is_mismarking(f) for f in result.findings))
    return (
        scan_id, result.path, result.root, top_folder(result.path, result.root), result.ftype,
        result.size, result.mtime_ns, result.inode, result.sha256, result.status.value,
        result.status_reason, result.assessment.value, result.banner, ",".join(result.categories),
        result.zone, result.explanation, result.versions, recorded_at, len(result.findings),
        max_rank, mismarked,
    )


def finding_row(result_id: int, scan_id: str, f: Finding) -> tuple:
    loc = f.location
    return (
        result_id, scan_id, f.severity.rank, f.rule_id, f.severity.value, float(f.confidence),
        f.message, loc.zone.value, loc.page, loc.slide, loc.sheet, loc.line, loc.member,
        loc.section, loc.cell, ",".join(f.categories), f.evidence, f.match_digest, f.fingerprint, loc.ocr,
    )


def split_list(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(",") if t)


def finding_from_row(row: sqlite3.Row | tuple, offset: int = 0) -> Finding:
    """Build a Finding from FINDING_COLUMNS starting at `offset` of `row`."""
    (rule_id, severity, confidence, message, loc_zone, page, slide, sheet, line, member, section,
     cell, categories, evidence, match_digest, fingerprint, ocr) = tuple(row[offset:offset + 17])
    return Finding(
        rule_id=rule_id,
        severity=Severity(severity),
        message=message,
        location=Location(zone=Zone(loc_zone), page=page, slide=slide, sheet=sheet, line=line,
                          member=member, section=section, cell=cell, ocr=ocr),
        confidence=confidence,
        categories=split_list(categories),
        evidence=evidence,
        match_digest=match_digest,
        fingerprint=fingerprint,
    )


def result_from_row(row: sqlite3.Row | tuple, findings: tuple[Finding, ...] = ()) -> FileResult:
    """Build a FileResult from RESULT_COLUMNS (first 16 columns of `row`)."""
    (path, root, _folder, ftype, size, mtime_ns, inode, sha256, status, status_reason, assessment,
     banner, categories, zone, explanation, versions) = tuple(row[:16])
    return FileResult(
        path=path, root=root, ftype=ftype, size=size, mtime_ns=mtime_ns, inode=inode,
        sha256=sha256, status=Status(status), assessment=Assessment(assessment),
        status_reason=status_reason, banner=banner, categories=split_list(categories),
        findings=findings, zone=zone, explanation=explanation, versions=versions,
    )


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def storable_result(result: FileResult) -> FileResult:
    """The result with every string made UTF-8-encodable (lone surrogates -> U+FFFD)."""
    def clean(obj):
        changes = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, str):
                changes[f.name] = storable(value)
            elif isinstance(value, tuple) and value and isinstance(value[0], str):
                changes[f.name] = tuple(storable(v) for v in value)
        return replace(obj, **changes)

    findings = tuple(clean(replace(f, location=clean(f.location))) for f in result.findings)
    return replace(clean(result), findings=findings)
