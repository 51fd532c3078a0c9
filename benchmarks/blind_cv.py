"""Leave-one-writer-out cross-validation of detection on the blind writers' training groups.

    python benchmarks/blind_cv.py [--groups w1 f2 ...] [--jobs 2] [--weight W] [--shipped] [--cache DIR]

The groups are the folders of tests/detection/blind/{sealed,fresh,dev,reserve,next} (w1 ... d7 r1 r2 n1 n2):
each written by one writer who never saw the project. For each group G the passage model is trained
on the project's corpora (models/corpus/train.jsonl, broad.jsonl) plus the passages of every OTHER
group (training/blindcorpus.py), then G's cases are rendered to real files (blind_render.py) and
go through a scan's own per-file steps - extraction, marking checks, detection with rules + that
model, assessment (pipeline.inspect_docs) - and DETECT-001 is counted as blind_eval.py counts it.
Printed: per group and pooled precision/recall, recall per category and per format, the false
alarms and misses.

What it measures: how the model generalises to a writer it never read. The rule packs were tuned
on the sealed set's aggregate figures and on d1, so for the rules it is only partly honest.
`--shipped` skips training and scans every group with the committed model (trained on all groups:
not an evaluation of the model, a check of rule changes).

Never pass tests/detection/blind/final here: it is the blind set (reserve/ and next/ were blind sets of
round 3; scored once each, they are training groups now).
Rendered and extracted cases are cached per group (--cache, default /tmp/cuiscan-blind-cv), keyed by
the group's JSONL content; fold models are cached by the hash of their training data and config.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from blind_eval import Result, report  # noqa: E402
from blind_render import load_cases, render_case  # noqa: E402

BLIND = ROOT / "tests" / "detection" / "blind"
TRAINING_SETS = ("sealed", "fresh", "dev", "reserve", "next")   # never "final": that one is blind
PROJECT_CORPORA = ("train.jsonl", "broad.jsonl")
DEFAULT_WEIGHT = 10.0
DEFAULT_CACHE = Path("/tmp/cuiscan-blind-cv")


@dataclass
class Prepared:
    """One case, rendered and extracted: what a scan has in hand before markings and detection."""
    case: dict
    path: str
    docs: list


@dataclass(frozen=True)
class Hit:
    severity: str
    categories: tuple[str, ...]
    evidence: str


def training_groups(blind: Path = BLIND) -> dict[str, Path]:
    """Group name -> folder, for every group of the training sets (sorted by name)."""
    groups = {}
    for name in TRAINING_SETS:
        for folder in sorted((blind / name).glob("*")):
            if folder.is_dir() and any(folder.glob("*.jsonl")):
                if folder.name in groups:
                    raise SystemExit(f"two groups named {folder.name}: {groups[folder.name]} and {folder}")
                groups[folder.name] = folder
    return dict(sorted(groups.items()))


def _content_key(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def _prepare_one(args: tuple[dict, str]) -> Prepared:
    from cuiscan.extractors import extract_file
    from cuiscan.settings import Settings

    case, out_dir = args
    settings = Settings()
    try:
        path = render_case(case, Path(out_dir))
    except Exception as exc:   # a case that cannot be rendered is reported by the caller
        return Prepared(case, "", [f"{type(exc).__name__}: {exc}"])
    docs = extract_file(str(path), settings.limits, pdf_backend=settings.pdf_backend, ocr=settings.ocr)
    return Prepared(case, str(path), docs)


def prepare_group(name: str, folder: Path, cache: Path, jobs: int = 2) -> list[Prepared]:
    """Every case of the group rendered (under cache/name) and extracted; cached on disk."""
    key = _content_key(folder)
    stored = cache / f"{name}-{key}.pkl"
    if stored.is_file():   # stored as plain tuples: a pickle of __main__.Prepared would not load elsewhere
        return [Prepared(*row) for row in pickle.loads(stored.read_bytes())]
    out_dir = cache / name
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = load_cases(folder)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        prepared = pool.map(_prepare_one, [(c, str(out_dir)) for c in cases], chunksize=4)
    stored.write_bytes(pickle.dumps([(p.case, p.path, p.docs) for p in prepared]))
    return prepared


def group_records(prepared: list[Prepared], group: str, weight: float) -> list:
    from cuiscan.detection.training.blindcorpus import case_records

    return [r for p in prepared if p.path for r in case_records(p.case, p.docs, group, weight)]


def project_records() -> list:
    from cuiscan.detection.training import load_corpus

    return [r for name in PROJECT_CORPORA for r in load_corpus(ROOT / "models" / "corpus" / name)]


def train_fold(records: list, cache: Path, config: Path) -> Path:
    """The model trained on `records` (cached by their hash and the config's)."""
    from cuiscan.detection.training import train

    h = hashlib.sha256(config.read_bytes())
    for r in records:
        h.update(json.dumps([r.text, r.cats, r.weight], sort_keys=True).encode())
    out = cache / "models" / h.hexdigest()[:16]
    if not (out / "weights.npz").is_file():
        train(records, out, config_path=config)
    return out


_INSPECTOR = None


def _init_worker(model_dir: str) -> None:
    global _INSPECTOR
    from cuiscan.detection import Detector
    from cuiscan.pipeline import Inspector
    from cuiscan.settings import Settings

    settings = Settings()
    detector = Detector.load(settings, model_dir=model_dir or None, use_model=model_dir != "-")
    _INSPECTOR = Inspector.from_settings(settings, detector, prints=False)


def _detect_one(item: Prepared) -> Hit | None:
    """DETECT-001 of one prepared case, through the scan's own per-file trip (pipeline.inspect_docs)."""
    from cuiscan.pipeline import inspect_docs, new_result

    base = new_result(item.path, str(Path(item.path).parent), size=1)
    result = inspect_docs(base, item.docs, _INSPECTOR)
    found = [f for f in result.findings if f.rule_id == "DETECT-001"]
    if not found:
        return None
    top = max(found, key=lambda f: f.severity.rank)
    return Hit(top.severity.value, tuple(top.categories), top.evidence)


def detect_group(prepared: list[Prepared], model_dir: str, jobs: int) -> list[Hit | None]:
    """model_dir: a fold's model; "" the committed one; "-" rules only."""
    items = [p for p in prepared if p.path]
    with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (model_dir,)) as pool:
        return pool.map(_detect_one, items, chunksize=4)


def tally(prepared: list[Prepared], hits: list[Hit | None], into: Result) -> Result:
    items = [p for p in prepared if p.path]
    into.render_failures += [f"{p.case.get('id')}: {p.docs[0]}" for p in prepared if not p.path]
    for item, hit in zip(items, hits):
        into.count(item.case, hit)
    return into


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", nargs="*", help="held-out groups to evaluate (default: all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--weight", type=float, default=DEFAULT_WEIGHT, help="loss weight of blind passages")
    ap.add_argument("--config", type=Path, default=ROOT / "models" / "cui-vectors.cfg")
    ap.add_argument("--shipped", action="store_true", help="no training: the committed model on every group")
    ap.add_argument("--rules-only", action="store_true", help="no model at all")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--brief", action="store_true", help="pooled figures without the lists of cases")
    args = ap.parse_args(argv)
    groups = training_groups()
    wanted = args.groups or list(groups)
    unknown = [g for g in wanted if g not in groups]
    if unknown:
        raise SystemExit(f"unknown groups {unknown}; training groups: {' '.join(groups)}")
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    prepared = {name: prepare_group(name, folder, args.cache, args.jobs) for name, folder in groups.items()}
    print(f"prepared {sum(map(len, prepared.values()))} cases of {len(groups)} groups "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    base = [] if args.shipped or args.rules_only else project_records()
    by_group = {name: group_records(items, name, args.weight) for name, items in prepared.items()}
    pooled = Result()
    lines = []
    for held in wanted:
        if args.rules_only:
            model = "-"
        elif args.shipped:
            model = ""
        else:
            records = base + [r for name, recs in by_group.items() if name != held for r in recs]
            model = str(train_fold(records, args.cache, args.config))
        hits = detect_group(prepared[held], model, args.jobs)
        one = tally(prepared[held], hits, Result())
        tally(prepared[held], hits, pooled)
        o = one.overall
        lines.append(f"  {held:4} P {o.precision:.3f}  R {o.recall:.3f}  (tp {o.tp}, fn {o.fn}, fp {o.fp}, tn {o.tn})")
        print(lines[-1], file=sys.stderr)
    mode = "rules only" if args.rules_only else "committed model" if args.shipped else \
        f"leave-one-group-out, blind passage weight {args.weight:g}"
    print(f"blind CV ({mode}); held-out groups: {' '.join(wanted)}")
    print("\n".join(lines))
    text = report(pooled)
    if args.brief:
        text = text.split("\nfalse alarms (")[0] + "\n" + text.splitlines()[-1]
    print("pooled " + text)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
