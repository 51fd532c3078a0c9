"""The OCR engine itself: the shipped model is the recorded one, it needs no system tesseract, and
its time budget stops recognition."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cuiscan.extractors import extract_file, ocr
from cuiscan.settings import Limits

from ocr_builders import marked_page_pdf, memo_image, rasterise, scanned_pdf

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_model_is_the_recorded_one():
    source = json.loads((ROOT / "models" / "ocr" / "SOURCE.json").read_text())
    data = (ROOT / "models" / "ocr" / "eng.traineddata").read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"] and len(data) == source["bytes"]
    assert source["sha256"] in (ROOT / "models" / "MODEL_CARD.md").read_text()
    assert source["license"] == "Apache-2.0"
    assert ocr.MODEL_DIR == ROOT / "models" / "ocr"


def test_engine_is_tesserocr_with_the_shipped_model():
    assert ocr.unavailable() is None
    assert ocr.engine_name().startswith("tesseract 5.") and "(tesserocr), eng 7d4322bd2a77" in ocr.engine_name()


def test_a_scan_reads_images_with_no_tesseract_program_on_path(tmp_path):
    """What a fresh machine has after `pip install -e .`: no `tesseract` anywhere on PATH."""
    (tmp_path / "memo.png").write_bytes(memo_image("PNG"))
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": str(tmp_path / "empty")}
    version = subprocess.run([str(bin_dir / "cuiscan"), "--version"], capture_output=True, text=True, env=env)
    assert "ocr tesseract 5." in version.stdout, version.stderr
    out = tmp_path / "report.json"
    run = subprocess.run([str(bin_dir / "cuiscan"), "scan", str(tmp_path / "memo.png"), "--format", "json",
                          "--output", str(out), "--db", str(tmp_path / "inventory.sqlite")],
                         capture_output=True, text=True, env=env)
    assert run.returncode in (0, 1), run.stderr
    report = json.loads(out.read_text())
    assert report["scan"]["counts"]["ocr_pages"] == 1
    [file] = report["files"]
    assert file["status"] == "inspected" and file["assessment"] == "marked-cui" and file["banner"] == "CUI"
    assert all(f["rule_id"] != "SCAN-001" for f in report["findings"])


def test_time_budget_stops_recognition_with_a_note(tmp_path):
    path = scanned_pdf(tmp_path / "long.pdf", pages=2)
    [doc] = extract_file(str(path), Limits(ocr_seconds=0.05))
    assert not [b for b in doc.blocks if b.loc.ocr is not None]
    assert [(p.reason, p.message) for p in doc.problems] == [
        ("image-only", "no text layer on any page (scanned image?)"),
        ("limit", "scanned pages 1-2 not OCRed (OCR time budget spent (0.05 s per file))")]


def test_deadline_inside_one_page_raises_ocr_timeout():
    [page] = rasterise(marked_page_pdf(), 300)
    try:
        ocr.read_image(page, 0.001, 300)
    except ocr.OcrTimeout:
        pass
    else:
        raise AssertionError("a 1 ms deadline did not stop recognition of a full page")
    assert [line.text for line in ocr.read_image(page, 60, 300)][:1] == ["CUI"]   # the engine is usable after


@pytest.mark.parametrize("jobs", [1, 2])
def test_ocr_stops_at_the_per_file_timeout_in_process_and_in_workers(tmp_path, jobs):
    """In-process the alarm cancels recognition (tesserocr re-raises the signal's exception when
    tesseract returns); in a worker the parent kills the process, libtesseract with it."""
    from cuiscan.discovery import iter_files
    from cuiscan.pipeline import Inspector
    from cuiscan.records import Status
    from cuiscan.settings import Settings
    from cuiscan.workers import run_tasks

    scanned_pdf(tmp_path / "long.pdf", pages=12)          # ~10 s of OCR at least
    settings = Settings(jobs=jobs, limits=Limits(timeout=2.0, ocr_seconds=60))
    started = time.perf_counter()
    [result] = run_tasks(((ref, None) for ref in iter_files([str(tmp_path)], settings)), Inspector.from_settings(settings), jobs)
    assert (result.status, result.status_reason) == (Status.FAILED, "timeout: inspection did not finish within 2 s")
    assert time.perf_counter() - started < 30    # ended by the timeout, not by reading all 12 pages
