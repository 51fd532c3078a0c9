"""`cuiscan train`: deterministic for a seed, and it learns an organisation's own portion-marked documents."""
from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from detect_builders import write_docx, write_pptx
from cuiscan.cli.detect_cmd import register
from cuiscan.detection.model import TextModel, VectorModel, load_model
from cuiscan.detection.packs import registry_markings
from cuiscan.detection.training import default_config_path, default_corpus_path, default_corpus_paths, load_corpus, train
from cuiscan.detection.training.userdocs import parse_portion, records_from_folder

KNOWN = registry_markings()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_same_seed_same_model(tmp_path: Path):
    """The default (static vectors + network) and the spaCy bag-of-words config alike."""
    records = load_corpus(default_corpus_path())[:300] + load_corpus(default_corpus_paths()[1])[:300]
    a = train(records, tmp_path / "a", seed=3, epochs=2)
    b = train(records, tmp_path / "b", seed=3, epochs=2)
    c = train(records, tmp_path / "c", seed=4, epochs=2)
    weights = [(tmp_path / x / "weights.npz").read_bytes() for x in "abc"]
    assert weights[0] == weights[1] != weights[2]
    assert a.losses == b.losses
    meta = json.loads((tmp_path / "a" / "training.json").read_text())
    assert meta["seed"] == 3 and meta["records"] == 600 and len(meta["data_sha256"]) == 64
    assert isinstance(load_model(tmp_path / "a"), VectorModel)
    # a model trained outside models/ carries its own copy of the vectors: the folder moves as a whole
    assert (tmp_path / "a" / "vectors.npz").is_file()
    moved = tmp_path / "elsewhere"
    (tmp_path / "a").rename(moved)
    assert load_model(moved).score_texts(["The cafeteria opens at seven."])[0].cui < 0.5

    bow = default_config_path().parent / "cui-textcat.cfg"
    d = train(records[:200], tmp_path / "d", seed=3, epochs=1, config_path=bow)
    e = train(records[:200], tmp_path / "e", seed=3, epochs=1, config_path=bow)
    assert (tmp_path / "d" / "textcat_multilabel" / "model").read_bytes() == \
        (tmp_path / "e" / "textcat_multilabel" / "model").read_bytes()
    assert d.losses == e.losses and isinstance(load_model(tmp_path / "d"), TextModel)


def test_parse_portion_marks():
    assert parse_portion("(U) Lunch is at noon.", KNOWN) == (False, frozenset(), "Lunch is at noon.")
    assert parse_portion("(CUI) Thing.", KNOWN) == (True, frozenset(), "Thing.")
    assert parse_portion("(CUI//SP-CTI/EXPT//NOFORN) Thing.", KNOWN) == (True, frozenset({"CTI", "EXPT"}), "Thing.")
    assert parse_portion("No mark here.", KNOWN)[0] is None


PROGRAM = [
    "(CUI//SP-CTI) The Bluefin Heron hull coating cures at 140 C and its acoustic return drops by 9 dB at 3 kHz.",
    "(CUI//SP-CTI) Bluefin Heron coating trials in Puget Sound gave an acoustic return 9 dB lower at 3 kHz.",
    "(CUI//SP-CTI) For Bluefin Heron the coating thickness of 4 mm keeps the acoustic return 9 dB down.",
    "(U) The cafeteria opens at seven and the parking garage is closed for repairs this week.",
    "(U) The quarterly all-hands is in the auditorium; bring questions for the director.",
]


def test_train_command_learns_from_user_documents(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    for i in range(8):
        write_docx(folder / f"memo{i}.docx", PROGRAM, banner="CUI")
    write_pptx(folder / "brief.pptx", [("Bluefin Heron", ["(CUI//SP-CTI) Bluefin Heron coating acoustic return 9 dB"])])
    records = records_from_folder(folder, KNOWN, ("CTI", "PRVCY"))
    assert {r.cats["CUI"] for r in records} == {0.0, 1.0}
    assert all("(CUI" not in r.text and "(U)" not in r.text for r in records)
    assert all(r.cats.get("PRVCY") == 0.0 for r in records)   # a portion lists all its categories

    out = tmp_path / "model"
    result = CliRunner().invoke(_app(), ["train", "--docs", str(folder), "--no-corpus", "--out", str(out),
                                         "--epochs", "6", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "from your documents" in result.output
    model = load_model(out)
    cui, plain = model.score_texts(["Bluefin Heron coating: acoustic return 9 dB lower at 3 kHz.",
                                    "The cafeteria and parking garage open at seven."])
    assert cui.cui > 0.5 > plain.cui
    assert cui.top_category == "CTI"


def test_train_command_reports_bad_input(tmp_path: Path):
    result = CliRunner().invoke(_app(), ["train", "--corpus", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "cannot read training corpus" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(_app(), ["train", "--no-corpus", "--docs", str(empty), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "nothing to train on" in result.output
