"""Write models/corpus/blind_groups.jsonl: training passages of every blind writers' training group.

    python models/corpus/make_blind_corpus.py [--weight 3] [--out models/corpus/blind_groups.jsonl]

The groups are the folders of tests/detection/blind/{sealed,fresh,dev} (benchmarks/blind_cv.py
`training_groups`; never reserve/, which is blind). Each case is rendered to a real file, extracted
by the real extractors and cut into the scanner's own passages; cuiscan/detection/training/
blindcorpus.py labels them (every passage of a not-CUI document a negative; in a CUI document the
passages that hold its sensitive part, by the writer's "where" and "why", positives of its category;
its other passages left out). Each row carries its group ("group": "w1") - the model's manifest
(training.json, "blind_groups") lists the groups it learned from - and a loss "weight" (--weight:
about a thousand documents by other hands against thirteen thousand passages of the project's own;
the weight was chosen by blind_cv.py's cross-validation, see the model card).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "benchmarks"))
from blind_cv import DEFAULT_CACHE, DEFAULT_WEIGHT, group_records, prepare_group, training_groups  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weight", type=float, default=DEFAULT_WEIGHT)
    parser.add_argument("--out", type=Path, default=HERE / "blind_groups.jsonl")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = 0
    groups = training_groups()
    with open(args.out, "w", encoding="utf-8") as fh:
        for name, folder in groups.items():
            for r in group_records(prepare_group(name, folder, args.cache, args.jobs), name, args.weight):
                fh.write(json.dumps({"text": r.text, "cats": r.cats, "weight": r.weight, "group": r.group},
                                    sort_keys=True) + "\n")
                rows += 1
    print(f"wrote {rows} passages of groups {' '.join(groups)} to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
