"""The detection model loads on the first file that needs detection, not before: a rescan of an
unchanged tree, or a scan of marked files only, never loads it (it costs about a second)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cuiscan.detection import Detector
from cuiscan.inventory.store import Inventory
from cuiscan.scan import run_scan
from cuiscan.settings import Settings

DOD = Path(__file__).resolve().parents[2] / "samples" / "dod"


@pytest.fixture
def model_loads(monkeypatch):
    """Counts the detector loads (rule packs + model) in this process; the real load still runs."""
    calls = []
    real = Detector.load.__func__

    def counting(cls, *args, **kwargs):
        calls.append(args)
        return real(cls, *args, **kwargs)
    monkeypatch.setattr(Detector, "load", classmethod(counting))
    return calls


def _scan(share, db, jobs):
    inv = Inventory.open(str(db))
    try:
        return run_scan([str(share)], Settings(jobs=jobs), inv)
    finally:
        inv.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_rescan_of_an_unchanged_tree_never_loads_the_model(tmp_path, model_loads, jobs):
    share = tmp_path / "share"
    share.mkdir()
    (share / "memo.txt").write_text("The seeker test results are attached. Distribution authorized to the "
                                    "Department of Defense and U.S. DoD contractors only.\n")
    first = _scan(share, tmp_path / "inv.sqlite", jobs)
    assert first.counts.inspected == 1 and len(model_loads) == 1
    again = _scan(share, tmp_path / "inv.sqlite", jobs)
    assert again.counts.unchanged == 1 and len(model_loads) == 1     # not loaded again


def test_marked_files_alone_do_not_load_the_model(tmp_path, model_loads):
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(DOD / "memo-correct.docx", share / "memo.docx")
    outcome = _scan(share, tmp_path / "inv.sqlite", 1)
    assert outcome.counts.inspected == 1
    assert model_loads == []          # a marked document's assessment never reads detection
