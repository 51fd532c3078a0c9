"""`cuiscan eval DIR --truth labels.csv`: precision, recall and F1 of DETECT-001 on a labelled folder.

labels.csv rows: `path,label[,categories]` with path relative to DIR; label `cui` (the file holds
unmarked CUI: DETECT-001 expected) or `not-cui` / `marked-cui` (no DETECT-001 expected); categories
separated by spaces, `;` or `|`. A header row starting with `path` is skipped.

Files take the scan's own trip (cuiscan.pipeline: extraction, the marking validator, the detector,
the assessment), with the detector given; a file counts as flagged when any of its documents (the
file or a member) gets a DETECT-001 finding. "detection" time is everything after extraction.
"""
from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from pathlib import Path

from cuiscan.detection.detector import Detector
from cuiscan.detection.finding import RULE_ID
from cuiscan.errors import ConfigError

POSITIVE = {"cui", "unmarked-cui", "unmarked", "1", "yes", "true"}
NEGATIVE = {"not-cui", "notcui", "marked-cui", "marked", "0", "no", "false", "none"}


@dataclass(frozen=True, slots=True)
class Truth:
    path: str
    expect: bool
    categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: str
    expect: bool
    flagged: bool
    score: float
    categories: tuple[str, ...]
    truth_categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class EvalReport:
    overall: Counts
    per_category: dict[str, Counts]
    files: list[FileOutcome]
    extract_seconds: float = 0.0
    detect_seconds: float = 0.0
    text_chars: int = 0
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        lines = [f"{'scope':<12} {'files':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}"]
        lines.append(_row("DETECT-001", self.overall, len(self.files)))
        for cat in sorted(self.per_category):
            c = self.per_category[cat]
            lines.append(_row(cat, c, c.tp + c.fn))
        mb = self.text_chars / 1e6
        lines.append(f"time: extraction {self.extract_seconds:.2f}s, detection {self.detect_seconds:.2f}s "
                     f"for {mb:.2f} M characters of text")
        misses = [f for f in self.files if f.expect != f.flagged]
        for f in misses:
            kind = "missed" if f.expect else "false alarm"
            lines.append(f"  {kind}: {f.path} (score {f.score:.2f}, {', '.join(f.categories) or '-'})")
        return "\n".join(lines + self.notes)


def _row(name: str, c: Counts, n: int) -> str:
    return f"{name:<12} {n:>5} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}"


def read_truth(path: str | Path) -> list[Truth]:
    rows: list[Truth] = []
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            for number, row in enumerate(csv.reader(fh), 1):
                if not row or not row[0].strip() or row[0].startswith("#"):
                    continue
                if number == 1 and row[0].strip().lower() == "path":
                    continue
                if len(row) < 2:
                    raise ConfigError(f"{path}:{number}: expected path,label[,categories]")
                label = row[1].strip().lower()
                if label not in POSITIVE | NEGATIVE:
                    raise ConfigError(f"{path}:{number}: label must be cui or not-cui, not {row[1]!r}")
                cats = row[2].replace(";", " ").replace("|", " ").split() if len(row) > 2 else []
                rows.append(Truth(row[0].strip(), label in POSITIVE, frozenset(c.upper() for c in cats)))
    except OSError as exc:
        raise ConfigError(f"cannot read truth file {path}: {exc.strerror}") from None
    if not rows:
        raise ConfigError(f"{path}: no labelled files")
    return rows


def evaluate(root: str | Path, truth: list[Truth], detector: Detector, settings=None) -> EvalReport:
    from cuiscan.extractors import extract_file
    from cuiscan.pipeline import Inspector, inspect_stages, new_result
    from cuiscan.settings import Settings

    inspector = Inspector.from_settings(settings or Settings(), detector, prints=False)
    o = inspector.options
    base = Path(root)
    outcomes: list[FileOutcome] = []
    extract_s = detect_s = 0.0
    chars = 0
    for item in truth:
        path = base / item.path
        if not path.is_file():
            raise ConfigError(f"file named in the truth file not found: {path}")
        t0 = time.perf_counter()
        docs = extract_file(str(path), o.limits, o.pdf_backend, ocr=o.ocr)
        t1 = time.perf_counter()
        stages = inspect_stages(new_result(item.path), docs, inspector)
        t2 = time.perf_counter()
        extract_s += t1 - t0
        detect_s += t2 - t1
        chars += sum(len(b.text) for d in docs for b in d.blocks)
        findings = [f for f in stages.result.findings if f.rule_id == RULE_ID]
        cats = tuple(dict.fromkeys(c for f in findings for c in f.categories))
        score = max((r.score for r in stages.detections), default=0.0)
        outcomes.append(FileOutcome(item.path, item.expect, bool(findings), score, cats, item.categories))
    return EvalReport(overall=_overall(outcomes), per_category=_per_category(outcomes), files=outcomes,
                      extract_seconds=extract_s, detect_seconds=detect_s, text_chars=chars)


def check_markings(docs, settings):
    """The marking validator's view, which decides 'carries a CUI banner'."""
    from cuiscan.markings import check_file
    from cuiscan.pipeline import InspectOptions

    return check_file(docs, InspectOptions.from_settings(settings).marking_context())


def _overall(outcomes: list[FileOutcome]) -> Counts:
    tp = sum(1 for o in outcomes if o.expect and o.flagged)
    fp = sum(1 for o in outcomes if not o.expect and o.flagged)
    fn = sum(1 for o in outcomes if o.expect and not o.flagged)
    return Counts(tp, fp, fn, len(outcomes) - tp - fp - fn)


def _per_category(outcomes: list[FileOutcome]) -> dict[str, Counts]:
    """A category is a hit when the file is flagged with it and the truth names it."""
    cats = {c for o in outcomes for c in o.truth_categories}
    out = {}
    for cat in cats:
        tp = sum(1 for o in outcomes if o.flagged and cat in o.categories and cat in o.truth_categories)
        fp = sum(1 for o in outcomes if o.flagged and cat in o.categories and cat not in o.truth_categories)
        fn = sum(1 for o in outcomes if cat in o.truth_categories and not (o.flagged and cat in o.categories))
        out[cat] = Counts(tp, fp, fn, 0)
    return out
