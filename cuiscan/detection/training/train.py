"""`cuiscan train`: build the passage classifier from the committed corpora and the user's own documents.

Reproducible: one seed fixes spaCy/numpy/random and the shuffling order, so the same inputs give the
same weights. The config is data. models/cui-vectors.cfg (the default: `[cuiscan] kind = "vectors"`)
trains the static-vector network of vecmodel.py; a spaCy config such as models/cui-textcat.cfg
(architecture, hash-table size, epochs, dropout, batch size) trains a spaCy textcat instead.
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from cuiscan.detection.model import COMPONENT, CUI_LABEL, DEFAULT_MODEL_NAME, default_model_dir, model_text
from cuiscan.detection.training.terms import train_terms
from cuiscan.errors import ConfigError

MODEL_VERSION = "2.0.0"


def default_config_path() -> Path:
    return default_model_dir().parent / f"{DEFAULT_MODEL_NAME}.cfg"


def default_corpus_path() -> Path:
    return default_model_dir().parent / "corpus" / "train.jsonl"


def default_corpus_paths() -> list[Path]:
    """The committed corpora: the project's templates (train.jsonl), the broad set (broad.jsonl) and
    passages of the blind writers' training groups (blind_groups.jsonl, make_blind_corpus.py)."""
    corpus = default_model_dir().parent / "corpus"
    return [corpus / "train.jsonl", corpus / "broad.jsonl", corpus / "blind_groups.jsonl"]


@dataclass(frozen=True, slots=True)
class Record:
    text: str
    cats: dict            # label -> 0.0/1.0; a label left out is unknown (spaCy treats it as missing)
    source: str = "corpus"
    weight: float = 1.0   # the vector model's loss weight (a row's optional "weight"; the spaCy textcat ignores it)
    group: str = ""       # the blind writers' group a passage comes from (w1, f2, d1 ...); "" for the project's own


@dataclass(slots=True)
class TrainReport:
    out_dir: str
    seed: int
    epochs: int
    records: int
    user_records: int
    labels: tuple[str, ...]
    seconds: float
    losses: list[float] = field(default_factory=list)
    size_bytes: int = 0


def load_corpus(path: str | Path) -> list[Record]:
    """JSON lines: {"text": ..., "cats": {"CUI": 1, "CTI": 0, ...}[, "weight": 10][, "group": "w1"]}."""
    records = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read training corpus {path}: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            records.append(Record(text=str(row["text"]), cats={k: float(v) for k, v in row["cats"].items()},
                                  weight=float(row.get("weight", 1.0)), group=str(row.get("group", ""))))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ConfigError(f"{path}:{number}: expected {{\"text\": ..., \"cats\": {{...}}}}") from None
    return records


def train(records: list[Record], out_dir: str | Path, *, seed: int | None = None, epochs: int | None = None,
          config_path: str | Path | None = None) -> TrainReport:
    from spacy import util
    from spacy.training import Example
    from thinc.api import Config

    if not records:
        raise ConfigError("nothing to train on: the corpus and document folders gave no labelled passages")
    cfg_path = Path(config_path) if config_path else default_config_path()
    try:
        config = Config().from_disk(cfg_path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read training config {cfg_path}: {exc}") from None
    knobs = config.get("cuiscan", {})
    _require_sklearn()
    seed = int(knobs.get("seed", 13) if seed is None else seed)
    epochs = int(knobs.get("epochs", 8) if epochs is None else epochs)
    if knobs.get("kind") == "vectors":
        from cuiscan.detection.training.network import train_vectors

        report = train_vectors(records, Path(out_dir), knobs, cfg_path.parent, seed=seed, epochs=epochs,
                               version=MODEL_VERSION, report_type=TrainReport)
        report.labels = _labels(records)
        _write_meta(Path(out_dir), report, records, train_terms(records, Path(out_dir), MODEL_VERSION))
        report.size_bytes = _size(Path(out_dir))
        return report
    dropout = float(knobs.get("dropout", 0.1))
    batch_size = int(knobs.get("batch_size", 32))
    started = time.perf_counter()
    util.fix_random_seed(seed)
    nlp = util.load_model_from_config(config, auto_fill=True)
    nlp.meta.update({"name": DEFAULT_MODEL_NAME.replace("-", "_"), "version": MODEL_VERSION,
                     "description": "cuiscan passage classifier: is this passage CUI, of which category"})
    textcat = nlp.get_pipe(COMPONENT)
    labels = _labels(records)
    for label in labels:
        textcat.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(model_text(r.text)), {"cats": r.cats}) for r in records]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    losses_per_epoch = []
    for _ in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), batch_size):
            nlp.update(examples[start:start + batch_size], drop=dropout, sgd=optimizer, losses=losses)
        losses_per_epoch.append(round(losses.get(COMPONENT, 0.0), 4))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    seconds = time.perf_counter() - started
    user = sum(1 for r in records if r.source != "corpus")
    report = TrainReport(out_dir=str(out), seed=seed, epochs=epochs, records=len(records), user_records=user,
                         labels=labels, seconds=round(seconds, 2), losses=losses_per_epoch,
                         size_bytes=0)
    _write_meta(out, report, records, train_terms(records, out, MODEL_VERSION))
    report.size_bytes = _size(out)
    return report


def _size(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def _labels(records: list[Record]) -> tuple[str, ...]:
    seen = {label for r in records for label in r.cats}
    seen.discard(CUI_LABEL)
    return (CUI_LABEL, *sorted(seen))


def _require_sklearn() -> None:
    """Fail before the long part: the term model (training/terms.py) is trained with every model."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise ConfigError("`cuiscan train` needs scikit-learn for the term model: pip install -e '.[train]'") from None


def _write_meta(out: Path, report: TrainReport, records: list[Record], terms: dict) -> None:
    """Provenance beside the weights: the corpus hash proves which data built the model."""
    corpus_hash = hashlib.sha256()
    for r in records:
        corpus_hash.update(r.text.encode("utf-8") + json.dumps(r.cats, sort_keys=True).encode())
    meta = {
        "model_version": MODEL_VERSION, "seed": report.seed, "epochs": report.epochs,
        "records": report.records, "user_records": report.user_records, "labels": list(report.labels),
        "positives": sum(1 for r in records if r.cats.get(CUI_LABEL) == 1.0),
        "training_seconds": report.seconds, "losses": report.losses, "data_sha256": corpus_hash.hexdigest(),
        # which blind writers' groups the model learned from: a group listed here is no evaluation of it
        "blind_groups": sorted({r.group for r in records if r.group}),
        "term_model": terms,
    }
    (out / "training.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
