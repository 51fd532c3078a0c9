"""Incremental rescans and watch latency.

    python benchmarks/incremental_bench.py [--files 100000] [--events 20]

1. Rescan of an unchanged tree: builds a tree of N small files, records a result for each in a
   fresh inventory (as a first scan would leave it: same stat, same versions), then times
   `run_scan` over the unchanged tree against a bare `os.walk` + `stat` of the same tree, alternated
   `--repeat` times in one run, best of each compared (the machines are noisy). Target: within 3x.
2. Watch latency: starts the watcher on a folder, writes files, and measures the time from each
   file's last write to its JSON event, minus the configured settle delay (reported separately).
   Target: median under 1 s with inotify.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from cuiscan.inventory.store import Inventory
from cuiscan.session import versions, versions_key
from cuiscan.records import Assessment, FileResult, ScanCounts, Status
from cuiscan.scan import run_scan
from cuiscan.session import scan_versions
from cuiscan.settings import Settings


def build_tree(root: Path, n: int) -> None:
    for i in range(n):
        folder = root / f"dept{i % 50}" / f"proj{i % 20}"
        if i < 1000:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note{i:06d}.txt").write_text(f"status note {i}\n")


def walk_and_stat(root: Path) -> int:
    n = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.stat(os.path.join(folder, name))
            n += 1
    return n


def record_first_scan(inv: Inventory, root: Path, settings: Settings) -> None:
    scan_id = inv.begin_scan(settings.profile, [str(root)], scan_versions(settings))
    key = versions_key(versions(settings))
    count = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            st = os.stat(path)
            inv.record(scan_id, FileResult(path=path, root=str(root), ftype="txt", size=st.st_size,
                                           mtime_ns=st.st_mtime_ns, inode=st.st_ino, sha256="0" * 64,
                                           status=Status.INSPECTED, assessment=Assessment.NOT_CUI, versions=key))
            count += 1
    inv.finish_scan(scan_id, ScanCounts(files_seen=count, inspected=count))


def rescan_benchmark(n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "share"
        t0 = time.perf_counter()
        build_tree(root, n)
        settings = Settings(jobs=1)
        inv = Inventory.open(f"{tmp}/inv.sqlite")
        record_first_scan(inv, root, settings)
        print(f"tree of {n} files built and recorded in {time.perf_counter() - t0:.0f} s")
        walks, rescans = [], []
        for _ in range(repeat):       # alternated, so both see the same machine; best of each compared
            t0 = time.perf_counter()
            seen = walk_and_stat(root)
            walks.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            outcome = run_scan([str(root)], settings, inv)
            rescans.append(time.perf_counter() - t0)
            assert seen == n and outcome.counts.unchanged == n, outcome.counts
        inv.close()
        bare, rescan = min(walks), min(rescans)
        print(f"os.walk + stat      {bare:7.2f} s  {n / bare:10,.0f} files/s   (runs: {_secs(walks)})")
        print(f"cuiscan rescan      {rescan:7.2f} s  {n / rescan:10,.0f} files/s   (runs: {_secs(rescans)}; "
              f"all {n} unchanged)")
        print(f"ratio rescan / walk {rescan / bare:7.2f}x  (best of {repeat} each; target <= 3)")


def _secs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def watch_benchmark(events: int, settle: float) -> None:
    from cuiscan.watching import WatchOptions, Watcher

    class Sink:
        def __init__(self):
            self.seen: dict[str, float] = {}
            self.cond = threading.Condition()

        def write(self, s):
            now = time.monotonic()
            with self.cond:
                for line in s.splitlines():
                    if line.strip():
                        self.seen.setdefault(json.loads(line)["path"], now)
                self.cond.notify_all()

        def flush(self):
            pass

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cui"
        folder.mkdir()
        inv = Inventory.open(f"{tmp}/inv.sqlite")
        sink, ready = Sink(), threading.Event()
        watcher = Watcher([str(folder)], Settings(jobs=1), inv, WatchOptions(settle=settle, startup_scan=False),
                          out=sink, on_ready=ready.set)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        ready.wait(60)
        latencies = []
        for i in range(events):
            path = folder / f"memo{i}.txt"
            path.write_text("CUI\nroutine schedule note\nCUI\n")
            written = time.monotonic()
            with sink.cond:
                sink.cond.wait_for(lambda: str(path) in sink.seen, timeout=30)
            latencies.append(sink.seen[str(path)] - written - settle)
        watcher.stop()
        thread.join(10)
        inv.close()
    print(f"watch latency beyond the {settle:g} s settle delay, {events} files: median {statistics.median(latencies):.3f} s, "
          f"max {max(latencies):.3f} s  (target: median < 1 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3, help="rescans (and walks) to take the best of")
    args = ap.parse_args()
    rescan_benchmark(args.files, args.repeat)
    watch_benchmark(args.events, args.settle)


if __name__ == "__main__":
    sys.exit(main())
