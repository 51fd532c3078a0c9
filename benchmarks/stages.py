"""Where a scan's time goes, per stage and file type, in one process (no workers, no store).

    python benchmarks/stages.py CORPUS_DIR [--limit N]

Prints seconds per stage (hash, extract, markings, detection, fingerprints) and each stage's cost
relative to extraction: the issues' budgets are markings < 10% and detection <= 35% over extraction.

Start-up (detector model, CUI registry, check modules) is loaded before timing and printed apart: it is
paid once per process, not per file.

"settle" is not a stage: right after an extractor returns, the first large allocation of the process
makes the C allocator consolidate the memory the extractor (lxml, zip buffers ...) has just freed.
Whichever stage runs next pays for it whatever it does (it is ~0.2 ms per docx), so it is timed
separately, with a 64 KiB allocation, instead of being charged to the markings stage that happens to
come next. The ratios are printed with and without it.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from cuiscan.derivatives import doc_prints
from cuiscan.detection import detect_file
from cuiscan.extractors import extract_file
from cuiscan.markings import check_file, warm_up
from cuiscan.fileio import sha256_file
from cuiscan.pipeline import Inspector
from cuiscan.settings import Settings

STAGES = ("hash", "extract", "settle", "markings", "detection", "fingerprints")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    if args.limit:
        files = files[: args.limit]
    engine = Inspector.from_settings(Settings(jobs=1))
    t = time.perf_counter()
    engine.warm_up()
    t_detector = time.perf_counter() - t
    t = time.perf_counter()
    warm_up(engine.marking_ctx)
    t_markings = time.perf_counter() - t
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(STAGES, 0.0))
    for path in files:
        row = totals[path.suffix or "(none)"]
        t = time.perf_counter()
        sha256_file(str(path))
        row["hash"] += time.perf_counter() - t
        t = time.perf_counter()
        docs = extract_file(str(path))
        row["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        bytearray(1 << 16)
        row["settle"] += time.perf_counter() - t
        t = time.perf_counter()
        markings = check_file(docs, engine.marking_ctx)
        row["markings"] += time.perf_counter() - t
        t = time.perf_counter()
        detect_file(docs, markings, engine.detector, unmarked_only=True)   # as a scan does
        row["detection"] += time.perf_counter() - t
        t = time.perf_counter()
        doc_prints(docs)
        row["fingerprints"] += time.perf_counter() - t
    print(f"start-up (once per process): detector {t_detector:.2f} s, markings {t_markings:.2f} s")
    print(f"{'type':8}" + "".join(f"{s:>13}" for s in STAGES) + f"{'markings/ext':>14}")
    grand = dict.fromkeys(STAGES, 0.0)
    for kind, row in sorted(totals.items()):
        ratio = 100 * row["markings"] / (row["extract"] or 1e-9)
        print(f"{kind:8}" + "".join(f"{row[s]:13.2f}" for s in STAGES) + f"{ratio:13.0f}%")
        for s in STAGES:
            grand[s] += row[s]
    print(f"{'all':8}" + "".join(f"{grand[s]:13.2f}" for s in STAGES))
    ext = grand["extract"] or 1e-9
    settle = grand["settle"]
    print(f"markings over extraction: {100 * grand['markings'] / ext:.1f}%  (target < 10%; "
          f"{100 * (grand['markings'] + settle) / ext:.1f}% if the allocator settle is charged to markings)")
    print(f"detection over extraction: {100 * grand['detection'] / ext:.0f}%  (target <= 35%)")
    print(f"fingerprints over extraction: {100 * grand['fingerprints'] / ext:.0f}%")


if __name__ == "__main__":
    main()
