"""The old held-out set, as real files, through real extraction, markings and detection: DETECT-001 must
keep precision and recall of 0.9.

A regression test, not the yardstick: these cases were written by the same hand as the rules and the
training templates, so they measure phrasing, not generalisation (issue 13). Detection quality is
measured on blind sets written outside the project: benchmarks/blind_eval.py DIR."""
from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from detect_heldout import build_heldout
from cuiscan.cli.detect_cmd import register
from cuiscan.detection.evaluate import evaluate, read_truth


@pytest.fixture(scope="module")
def heldout(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("heldout")
    return folder, build_heldout(folder, seed=7, copies=3)


def test_heldout_precision_and_recall(heldout, detector):
    folder, labels = heldout
    truth = read_truth(labels)
    report = evaluate(folder, truth, detector)
    print("\nheld-out DETECT-001 (rules + model):\n" + report.format())
    assert len(report.files) == len(truth) >= 120
    assert report.overall.tp + report.overall.fn == sum(t.expect for t in truth)
    assert report.overall.precision >= 0.9
    assert report.overall.recall >= 0.9
    marked = [f for f in report.files if f.path.startswith("marked_")]
    assert marked and not any(f.flagged for f in marked)
    public = [f for f in report.files if f.path.startswith(("statement_a", "cui_article", "cui_training"))]
    assert public and not any(f.flagged for f in public)


def test_eval_command_prints_the_table(heldout):
    folder, labels = heldout
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["eval", str(folder), "--truth", str(labels), "--no-model"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[:4] == ["scope", "files", "TP", "FP"]
    assert "DETECT-001" in result.output and "PRVCY" in result.output


def test_eval_command_rejects_bad_truth(tmp_path):
    app = typer.Typer()
    register(app)
    bad = tmp_path / "labels.csv"
    bad.write_text("path,label\nx.docx,maybe\n")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--truth", str(bad)])
    assert result.exit_code == 2 and "label must be cui or not-cui" in result.output
    bad.write_text("path,label\nmissing.docx,cui\n")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--truth", str(bad), "--no-model"])
    assert result.exit_code == 2 and "not found" in result.output
