"""The leave-one-writer-out cross-validation (benchmarks/blind_cv.py) and the training passages it and
the shipped model learn from (cuiscan/detection/training/blindcorpus.py), on small real files: cases
rendered by the blind renderer with python-pptx / openpyxl / python-docx and read back by the real
extractors."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))
import blind_cv  # noqa: E402
from blind_eval import Result  # noqa: E402

from cuiscan.detection.training.blindcorpus import case_passages, case_records, named_places  # noqa: E402

DECK = {
    "id": "t-001", "label": "cui", "category": "CTI", "format": "pptx", "style": "slides",
    "why": "Slide 2 gives the seeker's lock-on range and the warhead fuze delay measured in the sled test.",
    "where": "slide 2 table",
    "content": {"slides": [
        {"title": "Weekly status", "bullets": ["Staffing is stable", "Holiday schedule posted"]},
        {"title": "Sled test results", "bullets": ["Seeker lock-on range 4.2 km against the panel target",
                                                   "Fuze delay 12 ms, warhead fragments within spec"],
         "table": [["Run", "Range km", "Delay ms"], ["1", "4.2", "12"], ["2", "4.0", "11"]]},
        {"title": "Next steps", "bullets": ["Book the conference room", "Order pizza for Friday"]},
    ]},
}
SHEET = {
    "id": "t-002", "label": "not-cui", "category": None, "format": "xlsx", "style": "spreadsheet",
    "why": "A public price list.", "where": "",
    "content": {"sheets": [{"name": "Prices", "rows": [["Item", "Price"], ["Widget", "4.99"], ["Gadget", "7.50"]]},
                           {"name": "Notes", "rows": [["Prices valid through June"]]}]},
}
MEMO = {
    "id": "t-003", "label": "cui", "category": "PRVCY", "format": "docx", "style": "memo",
    "why": "Names an employee with her social security number and home address for the payroll correction.",
    "where": "second paragraph",
    "content": {"blocks": [
        {"p": "Team, the parking garage on level two closes next week for painting."},
        {"p": "Payroll correction for Dana Whitfield, social security number 512-38-4471, home address "
              "14 Alder Lane, Dayton OH: her back pay goes out Friday."},
        {"p": "Thanks for your patience with the garage."},
    ]},
}


def _write_group(folder: Path, cases: list[dict]) -> None:
    folder.mkdir(parents=True)
    (folder / "part-01.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")


@pytest.fixture()
def prepared(tmp_path):
    group = tmp_path / "blind" / "dev" / "x1"
    _write_group(group, [DECK, SHEET, MEMO])
    return blind_cv.prepare_group("x1", group, tmp_path / "cache", jobs=1)


def test_where_names_slides_and_sheets():
    assert named_places("slide 7 table") == ({7}, set())
    assert named_places("slides 3-5 and the notes") == ({3, 4, 5}, set())
    assert named_places("sheet Rates rows 4-19") == (set(), {"rates"})
    assert named_places("second paragraph") == (set(), set())


def test_deck_positive_is_the_slide_the_writer_named(prepared):
    deck = next(p for p in prepared if p.case["id"] == "t-001")
    passages = case_passages(deck.docs)
    # the scanner cuts a deck per slide, its title apart; the file's properties are not the writer's
    assert [(p.slide, p.title) for p in passages] == [(1, True), (1, False), (2, True), (2, False), (3, True), (3, False)]
    records = case_records(deck.case, deck.docs, "x1", weight=2.0)
    assert len(records) == 1
    assert "Seeker lock-on range" in records[0].text and "Run" in records[0].text   # bullets and table
    assert records[0].cats["CUI"] == 1.0 and records[0].cats["CTI"] == 1.0 and records[0].cats["SSEL"] == 0.0
    assert records[0].group == "x1" and records[0].weight == 2.0


def test_every_passage_of_a_not_cui_document_is_a_negative(prepared):
    sheet = next(p for p in prepared if p.case["id"] == "t-002")
    records = case_records(sheet.case, sheet.docs, "x1")
    assert len(records) == len(case_passages(sheet.docs)) == 2                 # one per sheet
    assert all(r.cats["CUI"] == 0.0 and not any(r.cats.values()) for r in records)


def test_without_a_named_place_the_passage_closest_to_why_is_the_positive(prepared):
    memo = next(p for p in prepared if p.case["id"] == "t-003")
    records = case_records(memo.case, memo.docs, "x1")
    assert records and all("social security number" in r.text for r in records)
    assert all(r.cats["PRVCY"] == 1.0 for r in records)


def test_prepared_cases_are_cached_by_content(tmp_path, prepared):
    again = blind_cv.prepare_group("x1", tmp_path / "blind" / "dev" / "x1", tmp_path / "cache", jobs=1)
    assert [p.case["id"] for p in again] == [p.case["id"] for p in prepared]
    assert len(list((tmp_path / "cache").glob("x1-*.pkl"))) == 1


def test_training_groups_never_include_the_blind_set(tmp_path):
    blind = tmp_path / "blind"
    _write_group(blind / "sealed" / "w1", [SHEET])
    _write_group(blind / "dev" / "d9", [SHEET])
    _write_group(blind / "reserve" / "r1", [SHEET])
    _write_group(blind / "final" / "g1", [SHEET])
    (blind / "fresh" / "empty").mkdir(parents=True)
    assert list(blind_cv.training_groups(blind)) == ["d9", "r1", "w1"]


def test_held_out_group_is_scanned_and_counted(prepared):
    hits = blind_cv.detect_group(prepared, "-", jobs=1)          # rules only: no training in a unit test
    result = blind_cv.tally(prepared, hits, Result())
    by_id = dict(zip([p.case["id"] for p in prepared], hits))
    assert by_id["t-003"] is not None and "PRVCY" in by_id["t-003"].categories   # SSN with a name
    assert by_id["t-002"] is None
    o = result.overall
    assert (o.tp + o.fn, o.fp + o.tn) == (2, 1) and o.fp == 0
    assert result.by_category["PRVCY"].tp == 1


def test_shipped_model_manifest_lists_every_training_group():
    from cuiscan.detection.model import default_model_dir, read_training_meta

    meta = read_training_meta(default_model_dir())
    assert meta["blind_groups"] == sorted(blind_cv.training_groups())
    assert "final" not in json.dumps(meta) and not any(g.startswith("g") for g in meta["blind_groups"])
