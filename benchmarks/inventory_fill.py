"""Fill an inventory with 100,000 files' results and time the reports an assessor runs.

    .venv/bin/python benchmarks/inventory_fill.py [--files N] [--db PATH] [--keep]

Mix: ~10% of files carry findings (1-4 each, marking, detection, derivative, boundary, scan
failures), three zones, 40 top-level folders. Times: filling (Inventory.record, batched), then
an incremental rescan that reuses every stored result, then
`cuiscan report --format json` (of that rescan) to /dev/null, `--format sarif` and `cuiscan inventory`, each as a
real CLI subprocess (import time included), plus the peak memory of each. Target: under 5 s each.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cuiscan.inventory.fingerprints import finding_fingerprint  # noqa: E402
from cuiscan.inventory.store import Inventory  # noqa: E402
from cuiscan.inventory.zones import apply_boundary  # noqa: E402
from cuiscan.records import (  # noqa: E402
    Assessment, FileResult, Finding, Location, ScanCounts, Severity, Status, Zone,
)
from cuiscan.settings import ZoneConfig  # noqa: E402

ROOT = "/srv/shares"
ZONES = (ZoneConfig("Engineering CUI enclave", (f"{ROOT}/eng-cui/**",), True),
         ZoneConfig("HR enclave", (f"{ROOT}/hr/**",), True),
         ZoneConfig("Corporate shares", (f"{ROOT}/**",), False))
FOLDERS = ["eng-cui", "hr"] + [f"dept{i:02}" for i in range(38)]
MARKING = [("BANNER-010", Severity.ERROR, Zone.FOOTER, "CUI"), ("BANNER-002", Severity.ERROR, Zone.HEADER, "CUI//FOUO"),
           ("PORTION-001", Severity.WARNING, Zone.BODY, "(CUI-X)"), ("LEGACY-001", Severity.WARNING, Zone.HEADER, "FOUO"),
           ("DI-003", Severity.WARNING, Zone.BODY, "Controlled by:"), ("DIST-002", Severity.INFO, Zone.BODY, "DISTRIBUTION D")]


def make_result(i: int, rng: random.Random) -> FileResult:
    folder = FOLDERS[i % len(FOLDERS)]
    path = f"{ROOT}/{folder}/sub{i % 97:02}/file{i:06}.{rng.choice(['docx', 'pdf', 'xlsx', 'txt', 'pptx'])}"
    sha = f"{rng.getrandbits(256):064x}"
    base = FileResult(path=path, root=ROOT, ftype=path.rsplit(".", 1)[1], size=rng.randint(1000, 5_000_000),
                      mtime_ns=1_700_000_000_000_000_000 + i, inode=i, sha256=sha, status=Status.INSPECTED,
                      assessment=Assessment.NOT_CUI, explanation="no CUI indicators", versions="tool=0.1.0")
    roll = rng.random()
    findings: list[Finding] = []
    if roll < 0.10:
        kind = rng.random()
        if kind < 0.5:
            assessment, cats = Assessment.MARKED_CUI, ("CTI",)
            for _ in range(rng.randint(1, 4)):
                rule, sev, zone, ev = rng.choice(MARKING)
                findings.append(Finding(rule, sev, f"{rule} on page", Location(zone=zone, page=rng.randint(1, 40)),
                                        evidence=ev, categories=cats))
        elif kind < 0.8:
            assessment, cats = Assessment.UNMARKED_CUI, ("PRVCY",)
            findings.append(Finding("DETECT-001", Severity.WARNING, "likely CUI without banner", Location(),
                                    confidence=0.8, categories=cats, evidence="***-**-6789",
                                    match_digest=f"{rng.getrandbits(64):016x}"))
        elif kind < 0.9:
            assessment, cats = Assessment.DERIVATIVE, ("CTI",)
            findings.append(Finding("DERIV-001", Severity.ERROR, "repeats a CUI source", Location(),
                                    evidence=f"{ROOT}/eng-cui/src.docx 74%", categories=cats))
        else:
            base = replace(base, status=Status.FAILED, status_reason="encrypted: password protected")
            assessment, cats = Assessment.UNKNOWN, ()
            findings.append(Finding("SCAN-001", Severity.WARNING, "could not be inspected (encrypted)",
                                    Location(zone=Zone.FILENAME), evidence="encrypted", match_digest="encrypted"))
        findings = [replace(f, fingerprint=finding_fingerprint(f.rule_id, sha, f)) for f in findings]
        base = replace(base, assessment=assessment, categories=cats, findings=tuple(findings))
    return apply_boundary(base, ZONES)


def fill(db: str, n: int) -> None:
    rng = random.Random(42)
    results = [make_result(i, rng) for i in range(n)]     # generated first: time only the store
    start = time.perf_counter()
    inv = Inventory.open(db)
    scan_id = inv.begin_scan("dod", [ROOT], {"tool": "0.1.0", "rules": "bench", "model": "bench"})
    counts = {s: 0 for s in Status}
    for r in results:
        counts[r.status] += 1
        inv.record(scan_id, r)
    inv.finish_scan(scan_id, ScanCounts(files_seen=n, inspected=counts[Status.INSPECTED],
                                        failed=counts[Status.FAILED]))
    took = time.perf_counter() - start
    n_findings = inv.conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    inv.close()
    print(f"  fill (record, batched)           {took:6.2f} s   {n / took:,.0f} files/s   "
          f"{n_findings:,} findings   db {os.path.getsize(db) / 1e6:.0f} MB")


def reuse_all(db: str) -> None:
    """An incremental rescan where nothing changed: previous_map once, then every result carried forward."""
    inv = Inventory.open(db)
    start = time.perf_counter()
    scan_id = inv.begin_scan("dod", [ROOT], {"tool": "0.1.0", "rules": "bench", "model": "bench"})
    known = inv.previous_map(ROOT, "")
    inv.carry_forward(scan_id, [stored.result_id for stored in known.values()])
    inv.finish_scan(scan_id, ScanCounts(files_seen=len(known), unchanged=len(known)))
    took = time.perf_counter() - start
    inv.close()
    print(f"  incremental rescan, all unchanged {took:6.2f} s   {len(known) / took:,.0f} files/s")


def timed_cli(label: str, args: list[str], db: str) -> float:
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen([sys.executable, "-c", "from cuiscan.cli import app; app()", *args, "--db", db],
                                stdout=sink, stderr=subprocess.PIPE, cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(proc.pid, 0)     # this child's own peak memory
    took = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{label} failed ({code}): {proc.stderr.read().decode()}")
    proc.stderr.close()
    print(f"  {label:<32} {took:6.2f} s   peak RSS {usage.ru_maxrss / 1024:.0f} MB   "
          f"{'OK' if took < 5 else 'OVER 5 s TARGET'}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--db", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--fill-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fill_only:            # child process: keeps the parent small, so the CLI children's
        fill(args.db, args.files)  # peak RSS (inherited at fork on Linux) measures only themselves
        reuse_all(args.db)
        return
    tmp = tempfile.mkdtemp(prefix="cuiscan-bench-")
    db = args.db or os.path.join(tmp, "inventory.sqlite")
    print(f"inventory_fill: {args.files:,} files into {db}")
    subprocess.run([sys.executable, __file__, "--fill-only", "--files", str(args.files), "--db", db], check=True)
    timed_cli("report --format json", ["report", "--format", "json", "--fail-on", "never"], db)
    timed_cli("report --format sarif", ["report", "--format", "sarif", "--fail-on", "never"], db)
    timed_cli("report --format csv", ["report", "--format", "csv", "--fail-on", "never"], db)
    timed_cli("inventory", ["inventory"], db)
    timed_cli("inventory --format json", ["inventory", "--format", "json"], db)
    if not args.keep and not args.db:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
