"""Precision and recall of DETECT-001 on a blind set: render its cases to real files, scan them, count.

    python benchmarks/blind_eval.py DIR [--keep OUT] [--jobs 2] [--json FILE]

DIR holds JSON Lines files of cases (schema in blind_render.py), written by people who never saw
the rules. A case labelled "cui" is found when its file gets DETECT-001 (any severity); a "not-cui"
case with DETECT-001 is a false alarm. Prints overall precision/recall, recall per category, precision
and recall per format, the errors' share, and the IDs of the false alarms and the misses.
The issue's targets: recall >= 0.90, precision >= 0.95, recall >= 0.85 in every category with >= 10 cases.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blind_render import load_cases, render_case  # noqa: E402
from scan_findings import scan_detections  # noqa: E402

TARGET_RECALL, TARGET_PRECISION, TARGET_CATEGORY_RECALL, CATEGORY_MIN_CASES = 0.90, 0.95, 0.85, 10


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    def add(self, positive: bool, flagged: bool) -> None:
        if positive:
            self.tp += flagged
            self.fn += not flagged
        else:
            self.fp += flagged
            self.tn += not flagged


@dataclass
class Result:
    overall: Tally = field(default_factory=Tally)
    by_category: dict = field(default_factory=lambda: defaultdict(Tally))
    by_format: dict = field(default_factory=lambda: defaultdict(Tally))
    false_alarms: list = field(default_factory=list)      # (id, severity, categories, evidence)
    misses: list = field(default_factory=list)            # (id, category, format)
    errors: int = 0                                       # DETECT-001 at error severity, on cui cases
    render_failures: list = field(default_factory=list)

    def count(self, case: dict, hit) -> None:
        """One scanned case: `hit` is its DETECT-001 (None: not flagged)."""
        positive = case.get("label") == "cui"
        flagged = hit is not None
        self.overall.add(positive, flagged)
        self.by_format[case.get("format")].add(positive, flagged)
        if positive:
            self.by_category[case.get("category") or "?"].add(True, flagged)
            self.errors += bool(hit and hit.severity == "error")
            if not flagged:
                self.misses.append((case["id"], case.get("category"), case.get("format")))
        elif flagged:
            self.false_alarms.append((case["id"], hit.severity, ",".join(hit.categories), hit.evidence))

    def failures(self) -> list[str]:
        """The issue's targets this result misses (empty: all met)."""
        out = []
        if not self.overall.recall >= TARGET_RECALL:
            out.append(f"recall {self.overall.recall:.3f} < {TARGET_RECALL}")
        if not self.overall.precision >= TARGET_PRECISION:
            out.append(f"precision {self.overall.precision:.3f} < {TARGET_PRECISION}")
        for cat, t in sorted(self.by_category.items()):
            if t.tp + t.fn >= CATEGORY_MIN_CASES and not t.recall >= TARGET_CATEGORY_RECALL:
                out.append(f"{cat} recall {t.recall:.3f} < {TARGET_CATEGORY_RECALL} ({t.tp}/{t.tp + t.fn})")
        return out


def evaluate(directory: Path, jobs: int = 2, keep: Path | None = None) -> Result:
    cases = load_cases(directory)
    if not cases:
        raise SystemExit(f"no cases (*.jsonl) under {directory}")
    tmp = Path(tempfile.mkdtemp(prefix="cuiscan-blind-"))
    try:
        result = Result()
        rendered = {}
        for case in cases:
            try:
                rendered[render_case(case, tmp).resolve()] = case
            except Exception as exc:  # a case that cannot be rendered is reported, not silently dropped
                result.render_failures.append(f"{case.get('id')}: {type(exc).__name__}: {exc}")
        found, _ = scan_detections(tmp, jobs)
        for path, case in rendered.items():
            result.count(case, found.get(path))
        if keep:
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(tmp, keep)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(result: Result) -> str:
    o = result.overall
    lines = [f"cases: {o.tp + o.fn} cui, {o.fp + o.tn} not-cui",
             f"overall: precision {o.precision:.3f}  recall {o.recall:.3f}  (tp {o.tp}, fn {o.fn}, fp {o.fp}, tn {o.tn})",
             f"DETECT-001 as error on cui cases: {result.errors} of {o.tp} found",
             "recall by category:"]
    for cat, t in sorted(result.by_category.items()):
        lines.append(f"  {cat:8} {t.tp:4}/{t.tp + t.fn:<4} {t.recall:.3f}")
    lines.append("by format:            precision  recall   (cui found / cui, false alarms / not-cui)")
    for fmt, t in sorted(result.by_format.items(), key=lambda kv: str(kv[0])):
        lines.append(f"  {str(fmt):6} {t.precision:16.3f} {t.recall:7.3f}   ({t.tp}/{t.tp + t.fn}, {t.fp}/{t.fp + t.tn})")
    lines.append(f"false alarms ({len(result.false_alarms)}):")
    lines += [f"  {i} [{sev}] {cats}: {ev}" for i, sev, cats, ev in sorted(result.false_alarms)]
    lines.append(f"misses ({len(result.misses)}):")
    lines += [f"  {i} ({cat}, {fmt})" for i, cat, fmt in sorted(result.misses, key=lambda m: str(m[0]))]
    if result.render_failures:
        lines.append(f"cases that could not be rendered ({len(result.render_failures)}):")
        lines += [f"  {r}" for r in result.render_failures]
    missed = result.failures()
    lines.append("targets: " + ("all met" if not missed else "NOT met - " + "; ".join(missed)))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="copy the rendered files here")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()
    result = evaluate(args.directory, args.jobs, args.keep)
    print(report(result))
    if args.json:
        o = result.overall
        args.json.write_text(json.dumps({
            "precision": o.precision, "recall": o.recall, "tp": o.tp, "fn": o.fn, "fp": o.fp, "tn": o.tn,
            "by_category": {c: {"found": t.tp, "cases": t.tp + t.fn} for c, t in result.by_category.items()},
            "false_alarms": [f[0] for f in result.false_alarms], "misses": [m[0] for m in result.misses],
        }, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
