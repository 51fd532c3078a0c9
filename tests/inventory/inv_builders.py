"""Builders for FileResults and Findings as the pipeline produces them (store/report unit tests)."""
from __future__ import annotations

import dataclasses
import hashlib

from cuiscan.inventory.fingerprints import finding_fingerprint
from cuiscan.records import (
    Assessment, FileResult, Finding, Location, ScanCounts, Severity, Status, Zone,
)

VERSIONS = {"tool": "0.1.0", "rules": "rules-7", "model": "model-3", "profile": "dod"}


def sha_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def finding(rule_id="BANNER-010", severity=Severity.ERROR, *, page=None, zone=Zone.BODY, member=None,
            line=None, evidence="CUI", digest="", categories=(), message=None) -> Finding:
    return Finding(rule_id=rule_id, severity=severity, message=message or f"{rule_id} fired",
                   location=Location(zone=zone, page=page, line=line, member=member),
                   categories=tuple(categories), evidence=evidence, match_digest=digest)


def result(path, root="/srv/share", *, assessment=Assessment.NOT_CUI, status=Status.INSPECTED,
           findings=(), content=None, categories=(), zone=None, ftype="docx", size=100,
           banner=None) -> FileResult:
    """A FileResult whose findings carry fingerprints computed the pipeline's way."""
    sha = None if status is Status.FAILED else sha_of(content if content is not None else path)
    fps = tuple(dataclasses.replace(f, fingerprint=finding_fingerprint(f.rule_id, sha, f, path=path))
                for f in findings)
    return FileResult(path=path, root=root, ftype=ftype, size=size, mtime_ns=1_700_000_000_000_000_000,
                      inode=hash(path) & 0xFFFF, sha256=sha, status=status, assessment=assessment,
                      status_reason="corrupt: bad zip" if status is Status.FAILED else None,
                      banner=banner, categories=tuple(categories), findings=fps, zone=zone,
                      explanation="test", versions="tool=0.1.0")


def store_scan(inv, results, roots=("/srv/share",), profile="dod", finish=True) -> str:
    scan_id = inv.begin_scan(profile, list(roots), VERSIONS)
    for r in results:
        inv.record(scan_id, r)
    if finish:
        counts = ScanCounts(files_seen=len(results),
                            inspected=sum(r.status is Status.INSPECTED for r in results),
                            unchanged=sum(r.status is Status.UNCHANGED for r in results),
                            skipped=sum(r.status is Status.SKIPPED for r in results),
                            failed=sum(r.status is Status.FAILED for r in results))
        inv.finish_scan(scan_id, counts)
    else:
        inv.flush()
    return scan_id


def mixed_share(root="/srv/share"):
    """A small share: marked, unmarked, derivative, classified, failed and plain files in 3 folders."""
    return [
        result(f"{root}/eng/spec.docx", root, assessment=Assessment.MARKED_CUI, categories=("CTI",),
               banner="CUI", findings=[finding("BANNER-010", page=3, zone=Zone.FOOTER, categories=("CTI",))]),
        result(f"{root}/eng/ok.docx", root, assessment=Assessment.MARKED_CUI, categories=("EXPT",), banner="CUI"),
        result(f"{root}/eng/plain.txt", root, ftype="txt"),
        result(f"{root}/hr/people.xlsx", root, assessment=Assessment.UNMARKED_CUI, categories=("PRVCY",),
               findings=[finding("DETECT-001", Severity.WARNING, evidence="***-**-6789", digest="d1",
                                 categories=("PRVCY",))]),
        result(f"{root}/hr/copy.docx", root, assessment=Assessment.DERIVATIVE, categories=("CTI",),
               findings=[finding("DERIV-001", Severity.ERROR, evidence="/srv/share/eng/spec.docx 80%",
                                 digest="d2")]),
        result(f"{root}/hr/old.pdf", root, assessment=Assessment.CLASSIFIED, ftype="pdf",
               findings=[finding("SPILL-001", Severity.CRITICAL, evidence="SECRET", page=1, zone=Zone.HEADER)]),
        result(f"{root}/hr/locked.pdf", root, ftype="pdf", assessment=Assessment.UNKNOWN, status=Status.FAILED,
               findings=[finding("SCAN-001", Severity.WARNING, zone=Zone.FILENAME, evidence="encrypted",
                                 digest="encrypted")]),
        result(f"{root}/readme.md", root, ftype="md"),
    ]
