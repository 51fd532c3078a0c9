"""What OCR costs a scan: OCR pages/s, `--ocr auto` against `--ocr off`, and this tree against another.

    python benchmarks/make_corpus.py /tmp/corpus --files 300 --scanned 40
    python benchmarks/ocr_bench.py /tmp/corpus [--jobs N] [--repeat N] [--baseline OLD_TREE]

Runs `cuiscan scan --full` on CORPUS with `--ocr auto` and with `--ocr off`, interleaved `--repeat`
times, and prints the best wall time and CPU time (user + system of the process tree) of each, the
pages OCRed (report counts) and OCR pages/s = pages / (auto - off). With `--baseline OLD_TREE` (a
checkout of cuiscan from before OCR, e.g. `git worktree add /tmp/before <commit>`), the same scan
also runs with that tree's code in the same interleaving: on a corpus with no images, `auto` must
not be slower than the baseline.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_scan(corpus: Path, tree: Path, jobs: int, ocr: str | None) -> tuple[float, float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "cuiscan", "scan", str(corpus), "--full", "--db", str(Path(tmp) / "inv.db"),
               "--format", "json", "--output", str(out), "--jobs", str(jobs), "--fail-on", "never"]
        if ocr is not None:
            cmd += ["--ocr", ocr]
        env = {**os.environ, "PYTHONPATH": str(tree)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"scan failed ({done.returncode}): {done.stderr[-500:]}")
        counts = json.loads(out.read_text())["scan"]["counts"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--baseline", type=Path, help="another cuiscan tree to compare with (same venv)")
    args = ap.parse_args()
    files = sum(1 for p in args.corpus.rglob("*") if p.is_file())
    runs = {"auto": (HERE.parent, "auto"), "off": (HERE.parent, "off")}
    if args.baseline:
        runs["baseline"] = (args.baseline.resolve(), None)
    best: dict[str, list] = {}
    for _ in range(args.repeat):
        for name, (tree, ocr) in runs.items():
            wall, cpu, counts = run_scan(args.corpus, tree, args.jobs, ocr)
            prev = best.get(name)
            best[name] = [min(wall, prev[0]) if prev else wall, min(cpu, prev[1]) if prev else cpu, counts]
    print(f"corpus {args.corpus}: {files} files, --jobs {args.jobs}, best of {args.repeat}")
    for name, (wall, cpu, counts) in best.items():
        extra = f", {counts.get('ocr_pages', 0)} pages OCRed, {counts.get('images_skipped', 0)} images skipped" \
            if name != "baseline" else ""
        print(f"  {name:9s} {wall:7.1f} s wall {cpu:7.1f} s CPU  {files / wall:6.1f} files/s{extra}")
    pages = best["auto"][2].get("ocr_pages", 0)
    extra_wall = best["auto"][0] - best["off"][0]
    extra_cpu = best["auto"][1] - best["off"][1]
    if pages:
        print(f"  OCR: {pages} pages in +{extra_wall:.1f} s wall / +{extra_cpu:.1f} s CPU: "
              f"{pages / max(extra_wall, 1e-9):.2f} pages/s wall, {extra_cpu / pages:.2f} CPU s/page")
    print(f"  --ocr auto / --ocr off: {best['auto'][0] / best['off'][0]:.2f} wall, "
          f"{best['auto'][1] / best['off'][1]:.2f} CPU")
    if "baseline" in best:
        print(f"  --ocr auto / baseline:  {best['auto'][0] / best['baseline'][0]:.2f} wall, "
              f"{best['auto'][1] / best['baseline'][1]:.2f} CPU")


if __name__ == "__main__":
    main()
