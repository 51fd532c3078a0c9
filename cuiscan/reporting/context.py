"""What every report format reads: one stored scan, its suppressions and filters, streamed.

Renderers never query SQLite themselves; they take a ReportContext, iterate `files()` and
`findings()` (generators over the store) and use `summary()` (a few GROUP BYs). That keeps the
suppression and severity rules in one place for all six formats.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterator

import cuiscan
from cuiscan.inventory.queries import FindingRow
from cuiscan.inventory.suppressions import Suppression, SuppressionPolicy, active_map
from cuiscan.records import FileResult, ScanSummary, Severity

# Keys the pipeline may use in the scan's `versions` dict, most specific first.
_VERSION_KEYS = {
    "version": ("version", "tool", "cuiscan"),
    "rules_version": ("rules_version", "rules"),
    "model_version": ("model_version", "model"),
}


@dataclass
class ReportContext:
    inv: object
    scan: ScanSummary
    versions: dict[str, str]
    suppressions: dict[str, Suppression] = field(default_factory=dict)
    show_suppressed: bool = False
    min_severity: Severity | None = None
    reveal: dict[str, str] = field(default_factory=dict)   # fingerprint -> raw evidence (--show-evidence)

    @classmethod
    def build(cls, inv, scan_id: str, *, show_suppressed: bool = False,
              min_severity: Severity | str | None = None, suppressions: SuppressionPolicy | None = None,
              today: date | None = None, reveal: dict[str, str] | None = None) -> "ReportContext":
        inv.flush()
        return cls(inv=inv, scan=inv.get_scan(scan_id), versions=inv.scan_versions(scan_id),
                   suppressions=active_map(inv, suppressions, today),
                   show_suppressed=show_suppressed,
                   min_severity=Severity(min_severity) if min_severity else None,
                   reveal=dict(reveal or {}))

    @property
    def min_rank(self) -> int:
        return self.min_severity.rank if self.min_severity else 1

    def tool(self) -> dict:
        out = {"name": "cuiscan"}
        for key, candidates in _VERSION_KEYS.items():
            out[key] = next((str(self.versions[c]) for c in candidates if self.versions.get(c)), None)
        out["version"] = out["version"] or cuiscan.__version__
        return out

    def scan_dict(self) -> dict:
        s = self.scan
        return {"id": s.id, "profile": s.profile, "roots": list(s.roots), "started_at": s.started_at,
                "finished_at": s.finished_at, "counts": s.counts.to_dict()}

    def files(self) -> Iterator[FileResult]:
        return self.inv.iter_results(self.scan.id)

    def file_dicts(self) -> Iterator[dict]:
        """Same as (f.to_dict() for f in files()), built straight from the rows (JSON report speed)."""
        return self.inv.iter_file_dicts(self.scan.id)

    def findings(self) -> Iterator[tuple[FindingRow, Suppression | None]]:
        """Findings to show, with the suppression that applies (only when show_suppressed)."""
        for row in self.inv.iter_findings(self.scan.id, self.min_rank):
            if self.reveal and row.finding.fingerprint in self.reveal:
                row = row._replace(finding=replace(row.finding, evidence=self.reveal[row.finding.fingerprint]))
            supp = self.suppressions.get(row.finding.fingerprint)
            if supp is None:
                yield row, None
            elif self.show_suppressed:
                yield row, supp

    def rule_ids(self) -> list[str]:
        """Every rule ID that occurs among the scan's findings (suppressed or not)."""
        return self.inv.rule_ids(self.scan.id)

    def finding_dict(self, row: FindingRow, supp: Suppression | None) -> dict:
        data = row.finding.to_dict(row.path)
        if self.show_suppressed:
            data["suppressed"] = supp is not None
            if supp is not None:
                data["suppression"] = {"reason": supp.reason, "source": supp.source,
                                       "expires": supp.expires.isoformat() if supp.expires else None}
        return data

    def summary(self) -> dict:
        files = self.inv.file_counts(self.scan.id)
        findings = self.inv.finding_counts(self.scan.id, set(self.suppressions), self.min_rank)
        worst = next((s for s in Severity if findings["by_severity"].get(s.value)), None)
        return {
            "scan_id": self.scan.id,
            "counts": self.scan.counts.to_dict(),
            "files": sum(files["status"].values()),
            "assessments": files["assessment"],
            "statuses": files["status"],
            "zones": files["zone"],
            "findings": findings["total"],
            "findings_by_severity": findings["by_severity"],
            "findings_by_rule": findings["by_rule"],
            "rule_severity": findings["rule_severity"],
            "findings_by_category": findings["by_category"],
            "suppressed": findings["suppressed"],
            "max_severity": worst.value if worst else None,
            "min_severity": self.min_severity.value if self.min_severity else None,
            "removed_files": len(self.inv.removed_paths(self.scan.id)),
        }
