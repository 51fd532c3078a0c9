"""`cuiscan train` and `cuiscan eval`: the detection model's commands (registered by cli.py)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from cuiscan.cli.output import echo

EXIT_USAGE = 2


def register(app: typer.Typer) -> None:
    app.command("train")(train_command)
    app.command("eval")(eval_command)


def train_command(
    docs: Optional[List[Path]] = typer.Option(None, "--docs", help="Folder of your own correctly portion-marked "
                                              "documents; (CUI...) / (U) portion marks become labels. Repeatable."),
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Labelled JSONL corpus "
                                          "(default: models/corpus/train.jsonl and broad.jsonl)."),
    no_corpus: bool = typer.Option(False, "--no-corpus", help="Train on --docs only."),
    out: Optional[Path] = typer.Option(None, "--out", help="Model directory (default: models/cui-vectors)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default from the training config)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Passes over the data (default from the config)."),
    config: Optional[Path] = typer.Option(None, "--train-config", help="Training config "
                                          "(default: models/cui-vectors.cfg; models/cui-textcat.cfg trains the "
                                          "spaCy bag-of-words model)."),
) -> None:
    """Train the passage classifier (deterministic for a given seed and data)."""
    from cuiscan.detection.model import default_model_dir
    from cuiscan.detection.training import default_corpus_paths, load_corpus, train
    from cuiscan.errors import ConfigError

    try:
        paths = [] if no_corpus else [corpus] if corpus else default_corpus_paths()
        records = [r for path in paths for r in load_corpus(path)]
        base_labels = tuple(sorted({k for r in records for k in r.cats if k != "CUI"}))
        for folder in docs or []:
            records.extend(_user_records(folder, base_labels))
        report = train(records, out or default_model_dir(), seed=seed, epochs=epochs, config_path=config)
    except ConfigError as exc:
        echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    echo(f"trained {report.out_dir}: {report.records} passages ({report.user_records} from your documents), "
         f"labels {', '.join(report.labels)}, seed {report.seed}, {report.epochs} epochs, "
         f"{report.seconds:.1f}s, {report.size_bytes / 1e6:.1f} MB")


def _user_records(folder: Path, base_labels: tuple[str, ...]):
    from cuiscan.detection.packs import registry_markings
    from cuiscan.detection.training.userdocs import records_from_folder

    records = records_from_folder(folder, registry_markings(), base_labels)
    if not records:
        echo(f"warning: no portion-marked paragraphs found in {folder}", err=True)
    return records


def eval_command(
    directory: Path = typer.Argument(..., help="Folder with the labelled files."),
    truth: Path = typer.Option(..., "--truth", help="CSV: path,label[,categories] (label cui | not-cui)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="DETECT-001 score threshold."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model directory (default: the committed model)."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only."),
    config: Optional[Path] = typer.Option(None, "--config", help="cuiscan.toml"),
) -> None:
    """Precision, recall and F1 of DETECT-001, overall and per category, on a labelled folder."""
    from cuiscan.detection.detector import Detector
    from cuiscan.detection.evaluate import evaluate, read_truth
    from cuiscan.errors import ConfigError
    from cuiscan.settings import load_settings

    try:
        if not directory.is_dir():
            raise ConfigError(f"not a folder: {directory}")
        settings = load_settings(config).with_overrides(detect_threshold=threshold)
        detector = Detector.load(settings, model_dir=model, use_model=not no_model)
        report = evaluate(directory, read_truth(truth), detector, settings)
    except ConfigError as exc:
        echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    echo(report.format())
