"""The boundary inventory: per zone and top-level folder, what CUI lives there now.

"Now" is the live state (`current`: the latest result of every known path, removed files dropped),
not one scan: scheduled scans of different shares and a watch session all add to the same picture.
One GROUP BY over that state; the per-file flags it sums (mismarked, max_rank) were computed when the
result was recorded, so the rollup over 100,000 files is a single pass in SQLite.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from cuiscan.inventory import queries
from cuiscan.inventory.rows import NON_MARKING_RULES, split_list
from cuiscan.inventory.zones import UNDECLARED
from cuiscan.settings import ZoneConfig

NO_ZONES = "(no zones declared)"
_NON_MARKING = ", ".join(f"'{r}'" for r in sorted(NON_MARKING_RULES))


@dataclass(slots=True)
class RollupRow:
    zone: str
    folder: str
    allows_cui: bool | None = None    # None: no zones declared, or a zone not in the current config
    files_seen: int = 0
    inspected: int = 0                # inspected now or reused unchanged
    marked_cui: int = 0
    unmarked_cui: int = 0
    derivative: int = 0
    mismarked: int = 0                # files with an unsuppressed error-or-worse marking finding
    classified: int = 0
    boundary_violations: int = 0      # files with an unsuppressed BOUNDARY-001
    uninspectable: int = 0            # status failed
    skipped: int = 0
    categories: list[str] = field(default_factory=list)
    last_scan: str | None = None

    @property
    def coverage(self) -> float:
        return self.inspected / self.files_seen if self.files_seen else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["coverage"] = round(self.coverage, 4)
        return data

    def add(self, other: "RollupRow") -> None:
        for name in ("files_seen", "inspected", "marked_cui", "unmarked_cui", "derivative", "mismarked",
                     "classified", "boundary_violations", "uninspectable", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.categories = sorted(set(self.categories) | set(other.categories))
        if other.last_scan and (self.last_scan is None or other.last_scan > self.last_scan):
            self.last_scan = other.last_scan


_ROLLUP_SQL = f"""
SELECT r.zone, r.folder, count(*),
       sum(r.status IN ('inspected', 'unchanged')),
       sum(r.assessment = 'marked-cui'), sum(r.assessment = 'unmarked-cui'),
       sum(r.assessment = 'derivative'),
       sum(CASE WHEN r.mismarked THEN EXISTS (
             SELECT 1 FROM findings f WHERE f.result_id = r.id AND f.rank >= 3
             AND f.rule_id NOT IN ({_NON_MARKING})
             AND f.fingerprint NOT IN (SELECT fingerprint FROM temp.suppressed_now)) ELSE 0 END),
       sum(r.assessment = 'classified'),
       sum(CASE WHEN r.max_rank >= 3 THEN EXISTS (
             SELECT 1 FROM findings f WHERE f.result_id = r.id AND f.rule_id = 'BOUNDARY-001'
             AND f.fingerprint NOT IN (SELECT fingerprint FROM temp.suppressed_now)) ELSE 0 END),
       sum(r.status = 'failed'), sum(r.status = 'skipped'),
       group_concat(DISTINCT nullif(r.categories, '')),
       max(r.recorded_at)
FROM current c JOIN results r ON r.id = c.result_id
GROUP BY r.zone, r.folder
"""


def inventory_rollup(inv, zones: tuple[ZoneConfig, ...] = (),
                     suppressed: frozenset[str] = frozenset()) -> list[RollupRow]:
    """Rows ordered by zone (declared order first) then folder; declared zones without files appear too."""
    inv.flush()
    queries.load_suppressed(inv.conn, suppressed)
    declared = {z.name: z for z in zones}
    out: list[RollupRow] = []
    for (zone, folder, seen, inspected, marked, unmarked, deriv, mismarked, classified, boundary,
         failed, skipped, cats, last) in inv.conn.execute(_ROLLUP_SQL):
        name = zone or NO_ZONES
        out.append(RollupRow(
            zone=name, folder=folder,
            allows_cui=declared[name].allows_cui if name in declared else (False if zone == UNDECLARED else None),
            files_seen=seen, inspected=inspected, marked_cui=marked, unmarked_cui=unmarked,
            derivative=deriv, mismarked=mismarked, classified=classified,
            boundary_violations=boundary, uninspectable=failed, skipped=skipped,
            categories=sorted({c for combo in (cats or "").split(",") for c in split_list(combo)}),
            last_scan=last))
    present = {r.zone for r in out}
    out.extend(RollupRow(zone=z.name, folder="", allows_cui=z.allows_cui)
               for z in zones if z.name not in present)
    order = {z.name: i for i, z in enumerate(zones)}
    out.sort(key=lambda r: (order.get(r.zone, len(order)), r.zone, r.folder))
    return out


def zone_totals(rows: list[RollupRow]) -> list[RollupRow]:
    """One row per zone (folder ''), in the order of `rows`."""
    totals: dict[str, RollupRow] = {}
    for row in rows:
        total = totals.setdefault(row.zone, RollupRow(zone=row.zone, folder="", allows_cui=row.allows_cui))
        total.add(row)
    return list(totals.values())


def grand_total(rows: list[RollupRow]) -> RollupRow:
    total = RollupRow(zone="(all)", folder="")
    for row in rows:
        total.add(row)
    return total
