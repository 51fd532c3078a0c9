"""Read-side queries over the inventory: scans, streamed results and findings, counts.

Everything that can be large is a generator over a cursor, so a report over 100,000 files never
holds them all in memory. Suppressed fingerprints are passed in as a set and loaded into a private
TEMP table when SQL needs them (the temp table lives on this connection only; no write lock).
"""
from __future__ import annotations

import json
import re
import sqlite3
from typing import Iterator, NamedTuple

from cuiscan.errors import ConfigError, InventoryError
from cuiscan.inventory import rows
from cuiscan.records import Assessment, FileResult, Finding, ScanCounts, ScanSummary, Severity, with_path_bytes

_SCAN_COLUMNS = "id, profile, roots, started_at, finished_at, counts"
_RANK_TO_SEVERITY = {s.rank: s for s in Severity}


class FindingRow(NamedTuple):
    path: str
    file_zone: str | None      # boundary zone of the file
    assessment: Assessment
    ftype: str | None
    finding: Finding


def prefix_range(root: str) -> tuple[str, str]:
    """[low, high) bounds of the paths strictly below `root`, for an index range scan."""
    base = root.rstrip("/\\") or root
    sep = "\\" if ("\\" in base and "/" not in base) else "/"
    low = base if base.endswith(sep) else base + sep
    return low, low[:-1] + chr(ord(low[-1]) + 1)


def _summary(row) -> ScanSummary:
    counts = ScanCounts(**json.loads(row[5])) if row[5] else ScanCounts()
    return ScanSummary(id=row[0], profile=row[1], roots=json.loads(row[2]), started_at=row[3],
                       finished_at=row[4], counts=counts)


def list_scans(conn: sqlite3.Connection, limit: int | None = None) -> list[ScanSummary]:
    sql = f"SELECT {_SCAN_COLUMNS} FROM scans ORDER BY started_at DESC, rowid DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_summary(r) for r in conn.execute(sql)]


def get_scan(conn: sqlite3.Connection, scan_id: str) -> ScanSummary:
    row = conn.execute(f"SELECT {_SCAN_COLUMNS} FROM scans WHERE id = ?", (scan_id,)).fetchone()
    if row is None:
        raise ConfigError(f"no scan {scan_id!r} in the inventory")
    return _summary(row)


def scan_versions(conn: sqlite3.Connection, scan_id: str) -> dict[str, str]:
    row = conn.execute("SELECT versions FROM scans WHERE id = ?", (scan_id,)).fetchone()
    return json.loads(row[0]) if row else {}


def resolve_scan(conn: sqlite3.Connection, ref: str | None) -> str:
    """A scan id from 'latest' (default), 'latest~N' (N scans before it), an id or a unique id prefix.

    'latest' is the newest finished scan; when no scan has finished yet, the newest one.
    """
    ref = (ref or "latest").strip()
    match = re.fullmatch(r"latest(?:~(\d+))?", ref)
    if match:
        back = int(match.group(1) or 0)
        finished = conn.execute(
            "SELECT id FROM scans WHERE finished_at IS NOT NULL ORDER BY started_at DESC, rowid DESC "
            "LIMIT 1 OFFSET ?", (back,)).fetchone()
        if finished:
            return finished[0]
        any_scan = conn.execute("SELECT id FROM scans ORDER BY started_at DESC, rowid DESC "
                                "LIMIT 1 OFFSET ?", (back,)).fetchone()
        if any_scan:
            return any_scan[0]
        if back:
            raise InventoryError(f"the inventory holds fewer than {back + 1} scans; run another scan first")
        raise InventoryError("the inventory holds no scan yet; run `cuiscan scan PATH` first")
    hits = conn.execute("SELECT id FROM scans WHERE id = ? OR substr(id, 1, ?) = ? LIMIT 2",
                        (ref, len(ref), ref)).fetchall()
    exact = [h[0] for h in hits if h[0] == ref]
    if exact:
        return exact[0]
    if len(hits) == 1:
        return hits[0][0]
    if not hits:
        raise ConfigError(f"no scan {ref!r} in the inventory (see `cuiscan report --list`)")
    raise ConfigError(f"scan id prefix {ref!r} is ambiguous")


# The results of a scan, and each one's status in it: a result carried from an earlier scan is `unchanged`.
SCAN_RESULTS = "scan_files sf JOIN results r ON r.id = sf.result_id"
STATUS = "CASE WHEN r.scan_id = sf.scan_id THEN r.status ELSE 'unchanged' END"


def iter_results(conn: sqlite3.Connection, scan_id: str) -> Iterator[FileResult]:
    columns = ", ".join(STATUS if c.strip() == "status" else f"r.{c.strip()}" for c in rows.RESULT_COLUMNS.split(","))
    cur = conn.execute(f"SELECT {columns} FROM {SCAN_RESULTS} WHERE sf.scan_id = ? ORDER BY r.path", (scan_id,))
    for row in cur:
        yield rows.result_from_row(row)


def iter_file_dicts(conn: sqlite3.Connection, scan_id: str) -> Iterator[dict]:
    """The scan's files as the JSON report's dicts (FileResult.to_dict keys), without building records."""
    cur = conn.execute(
        f"SELECT r.path, r.ftype, r.size, r.sha256, {STATUS}, r.status_reason, r.assessment, r.banner, "
        f"r.categories, r.zone, r.explanation FROM {SCAN_RESULTS} WHERE sf.scan_id = ? ORDER BY r.path", (scan_id,))
    for path, ftype, size, sha, status, reason, assessment, banner, cats, zone, why in cur:
        yield with_path_bytes({"path": path, "type": ftype, "size": size, "sha256": sha, "status": status,
                               "status_reason": reason, "assessment": assessment, "banner": banner,
                               "categories": rows.split_list(cats), "zone": zone, "explanation": why})


def iter_findings(conn: sqlite3.Connection, scan_id: str, min_rank: int = 1) -> Iterator[FindingRow]:
    cols = ", ".join(f"f.{c.strip()}" for c in rows.FINDING_COLUMNS.split(","))
    cur = conn.execute(
        f"SELECT r.path, r.zone, r.assessment, r.ftype, {cols} FROM {SCAN_RESULTS} "
        "JOIN findings f ON f.result_id = r.id "
        "WHERE sf.scan_id = ? AND r.max_rank >= ? AND f.rank >= ? ORDER BY r.path, f.id",
        (scan_id, min_rank, min_rank))
    for row in cur:
        yield FindingRow(row[0], row[1], Assessment(row[2]), row[3], rows.finding_from_row(row, 4))


def load_suppressed(conn: sqlite3.Connection, fingerprints) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS suppressed_now (fingerprint TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.suppressed_now")
    conn.executemany("INSERT OR IGNORE INTO temp.suppressed_now VALUES (?)",
                     ((fp,) for fp in fingerprints))


def max_severity(conn: sqlite3.Connection, scan_id: str, suppressed) -> Severity | None:
    cur = conn.execute("SELECT f.rank, f.fingerprint FROM scan_files sf JOIN findings f ON f.result_id = sf.result_id "
                       "WHERE sf.scan_id = ? ORDER BY f.rank DESC", (scan_id,))
    for rank, fingerprint in cur:   # suppressions are few: usually the first row decides
        if fingerprint not in suppressed:
            return _RANK_TO_SEVERITY[rank]
    return None


def file_counts(conn: sqlite3.Connection, scan_id: str) -> dict[str, dict[str, int]]:
    """{'assessment': {...}, 'status': {...}, 'zone': {zone: {assessment: n}}} for the scan's files."""
    out: dict[str, dict] = {"assessment": {}, "status": {}, "zone": {}}
    cur = conn.execute(f"SELECT r.zone, {STATUS}, r.assessment, count(*) FROM {SCAN_RESULTS} "
                       "WHERE sf.scan_id = ? GROUP BY 1, 2, 3", (scan_id,))
    for zone, status, assessment, n in cur:
        out["assessment"][assessment] = out["assessment"].get(assessment, 0) + n
        out["status"][status] = out["status"].get(status, 0) + n
        per_zone = out["zone"].setdefault(zone or "", {})
        per_zone[assessment] = per_zone.get(assessment, 0) + n
    return out


def finding_counts(conn: sqlite3.Connection, scan_id: str, suppressed, min_rank: int = 0) -> dict:
    """Counts of the shown (not suppressed) findings by severity, rule and category, plus suppressed."""
    load_suppressed(conn, suppressed)
    by_severity: dict[str, int] = {}
    by_rule: dict[str, int] = {}
    by_category: dict[str, int] = {}
    worst: dict[str, Severity] = {}      # rule -> its most severe shown finding (chart colours)
    hidden = 0
    cur = conn.execute(
        "SELECT f.rule_id, f.severity, f.categories, s.fingerprint IS NOT NULL, count(*) "
        "FROM scan_files sf JOIN findings f ON f.result_id = sf.result_id "
        "LEFT JOIN temp.suppressed_now s ON s.fingerprint = f.fingerprint "
        "WHERE sf.scan_id = ? AND f.rank >= ? GROUP BY 1, 2, 3, 4", (scan_id, min_rank))
    for rule_id, severity, categories, is_suppressed, n in cur:
        if is_suppressed:
            hidden += n
            continue
        by_severity[severity] = by_severity.get(severity, 0) + n
        by_rule[rule_id] = by_rule.get(rule_id, 0) + n
        sev = Severity(severity)
        if rule_id not in worst or sev.rank > worst[rule_id].rank:
            worst[rule_id] = sev
        for cat in rows.split_list(categories):
            by_category[cat] = by_category.get(cat, 0) + n
    ordered = {s.value: by_severity[s.value] for s in Severity if s.value in by_severity}
    return {"by_severity": ordered, "by_rule": dict(sorted(by_rule.items())),
            "rule_severity": {rule: sev.value for rule, sev in sorted(worst.items())},
            "by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
            "total": sum(ordered.values()), "suppressed": hidden}


def removed_paths(conn: sqlite3.Connection, scan_id: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT path FROM removals WHERE scan_id = ? ORDER BY path", (scan_id,))]


def distinct_rules(conn: sqlite3.Connection, scan_id: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT f.rule_id FROM scan_files sf JOIN findings f ON f.result_id = sf.result_id "
        "WHERE sf.scan_id = ? ORDER BY f.rule_id", (scan_id,))]


def scan_paths(conn: sqlite3.Connection, scan_id: str) -> Iterator[str]:
    for (path,) in conn.execute(f"SELECT r.path FROM {SCAN_RESULTS} WHERE sf.scan_id = ?", (scan_id,)):
        yield path


def marked_cui_rules(conn: sqlite3.Connection, scan_id: str,
                     min_rank: int) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    files = conn.execute(f"SELECT r.path, r.versions FROM {SCAN_RESULTS} "
                         "WHERE sf.scan_id = ? AND r.assessment = 'marked-cui'", (scan_id,)).fetchall()
    findings = conn.execute(f"SELECT r.path, r.versions, f.rule_id FROM {SCAN_RESULTS} "
                            "JOIN findings f ON f.result_id = r.id "
                            "WHERE sf.scan_id = ? AND r.assessment = 'marked-cui' AND f.rank >= ?",
                            (scan_id, min_rank)).fetchall()
    return files, findings
