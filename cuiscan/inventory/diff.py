"""What changed between two stored scans (`cuiscan diff OLD NEW`).

Findings are matched by (path, fingerprint): the fingerprint is the finding's content identity, the
path keeps two identical copies of a file apart (a copy of a CUI file into a new place is new there).
A finding only in NEW is `new`, only in OLD `resolved`. When a new and a resolved finding share path,
rule and location kind (member + zone), the file was edited and the finding survived the edit: that
pair is `changed`. Files of OLD that NEW no longer has (below NEW's roots) or that NEW saw removed
are `removed_files` (absence counts only when NEW finished). Suppressed findings are left out of every list and counted in `suppressed`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from cuiscan.inventory import queries
from cuiscan.inventory.queries import FindingRow


@dataclass(slots=True)
class ScanDiff:
    old_scan: str
    new_scan: str
    new: list[FindingRow] = field(default_factory=list)
    resolved: list[FindingRow] = field(default_factory=list)
    changed: list[tuple[FindingRow, FindingRow]] = field(default_factory=list)   # (old, new)
    unchanged: int = 0
    suppressed: int = 0
    removed_files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "resolved": len(self.resolved), "changed": len(self.changed),
                "unchanged": self.unchanged, "suppressed": self.suppressed,
                "removed_files": len(self.removed_files)}


def _kind(row: FindingRow) -> tuple:
    loc = row.finding.location
    return (row.path, row.finding.rule_id, loc.member, loc.zone)


def diff_scans(inv, old_scan: str, new_scan: str,
               suppressed: frozenset[str] = frozenset()) -> ScanDiff:
    inv.flush()
    result = ScanDiff(old_scan, new_scan)

    def shown(rows):
        for row in rows:
            if row.finding.fingerprint in suppressed:
                result.suppressed += 1
            else:
                yield row

    old_left: dict[tuple, list[FindingRow]] = defaultdict(list)
    for row in shown(inv.iter_findings(old_scan)):
        old_left[(row.path, row.finding.fingerprint)].append(row)
    appeared: list[FindingRow] = []
    for row in shown(inv.iter_findings(new_scan)):
        bucket = old_left.get((row.path, row.finding.fingerprint))
        if bucket:
            bucket.pop()
            result.unchanged += 1
        else:
            appeared.append(row)
    gone = [row for bucket in old_left.values() for row in bucket]

    gone_by_kind: dict[tuple, list[FindingRow]] = defaultdict(list)
    for row in gone:
        gone_by_kind[_kind(row)].append(row)
    for row in appeared:
        candidates = gone_by_kind.get(_kind(row))
        if candidates:
            result.changed.append((candidates.pop(0), row))
        else:
            result.new.append(row)
    paired = Counter(id(old) for old, _ in result.changed)
    result.resolved = [row for row in gone if not paired[id(row)]]
    result.resolved.sort(key=lambda r: r.path)
    result.removed_files = _removed_files(inv, old_scan, new_scan)
    return result


def _removed_files(inv, old_scan: str, new_scan: str) -> list[str]:
    conn = inv.conn
    gone = set(queries.removed_paths(conn, new_scan))
    summary = inv.get_scan(new_scan)
    if summary.finished_at is None:   # an interrupted scan or a watch session did not see everything
        return sorted(gone)
    new_roots = summary.roots
    ranges = [queries.prefix_range(root) for root in new_roots]
    new_paths = set(queries.scan_paths(conn, new_scan))
    for path in queries.scan_paths(conn, old_scan):
        if path in new_paths:
            continue
        if any(path == root.rstrip("/\\") or low <= path < high
               for root, (low, high) in zip(new_roots, ranges)):
            gone.add(path)
    return sorted(gone)
