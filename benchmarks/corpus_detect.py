"""DETECT-001 on the benchmark corpus against the generator's truth.

    python benchmarks/make_corpus.py /tmp/corpus --files 2000
    python benchmarks/corpus_detect.py /tmp/corpus [--jobs 2]

make_corpus.py writes /tmp/corpus.truth.tsv: which files it meant to carry unmarked CUI indicators
(a distribution statement D or the DoD export-control warning). Everything else in the corpus is
engineering word salad ("radar", "firmware", "telemetry" ...) or a marked file, and must not get
DETECT-001. Prints the truth share, the DETECT-001 share, their difference (the issue's target: within
2 points), and the paths on each side of a disagreement.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_findings import scan_detections  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    root = args.corpus.resolve()
    truth_file = root.parent / f"{root.name}.truth.tsv"
    if not truth_file.is_file():
        raise SystemExit(f"no truth file {truth_file}: build the corpus with benchmarks/make_corpus.py")
    truth = {}
    for line in truth_file.read_text(encoding="utf-8").splitlines()[1:]:
        rel, kind, carries = line.split("\t")
        truth[(root / rel).resolve()] = (kind, carries == "1")
    found, _ = scan_detections(root, args.jobs)
    n = len(truth)
    meant = {p for p, (_, c) in truth.items() if c}
    flagged = set(found) & set(truth)
    missed = sorted(meant - flagged)
    extra = sorted(flagged - meant)
    by_sev: dict[str, int] = {}
    for p in flagged:
        by_sev[found[p].severity] = by_sev.get(found[p].severity, 0) + 1
    print(f"files {n}; generator truth (unmarked CUI indicators): {len(meant)} = {100 * len(meant) / n:.1f}%")
    print(f"DETECT-001: {len(flagged)} = {100 * len(flagged) / n:.1f}%  by severity {dict(sorted(by_sev.items()))}")
    print(f"difference: {100 * (len(flagged) - len(meant)) / n:+.1f} points (target: within 2)")
    print(f"truth files without DETECT-001: {len(missed)}; DETECT-001 on files without indicators: {len(extra)}")
    for label, paths in (("missed", missed), ("extra", extra)):
        for p in paths[:20]:
            kind = truth[p][0]
            print(f"  {label}: {p.relative_to(root)} ({kind})" + (f" {found[p].evidence}" if p in found else ""))


if __name__ == "__main__":
    main()
