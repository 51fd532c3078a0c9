"""First scan against rescan of a small unchanged tree, as a user runs them (the `cuiscan` command).

    python benchmarks/rescan_small.py [--repeat 3] [--jobs N]

Copies samples/ (about 40 files of every format) to a temporary folder, then, `--repeat` times:
a first scan into a fresh inventory and a rescan of the unchanged tree into the same inventory,
each a separate `cuiscan scan` process (start-up and imports included: what the user waits for).
Prints the best of each and their ratio. Target: the rescan at least 3x faster than the first scan
(the model loads only when a file needs detection; an unchanged tree needs none).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "cuiscan"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    firsts, rescans = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "samples"
        shutil.copytree(SAMPLES, tree)
        files = sum(1 for p in tree.rglob("*") if p.is_file())
        for n in range(args.repeat):
            db = Path(tmp) / f"inv{n}.sqlite"
            cmd = [*exe, "scan", str(tree), "--db", str(db), "--quiet", "--fail-on", "never", *jobs]
            firsts.append(timed(cmd))
            rescans.append(timed(cmd))
    first, rescan = min(firsts), min(rescans)
    print(f"tree: {files} files (samples/), jobs {args.jobs or 'default'}, best of {args.repeat}")
    print(f"first scan   {first:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in firsts)})")
    print(f"rescan       {rescan:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in rescans)})")
    print(f"first / rescan = {first / rescan:.2f}x (target >= 3x)")


if __name__ == "__main__":
    main()
