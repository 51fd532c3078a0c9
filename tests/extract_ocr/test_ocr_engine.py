"""The OCR engine itself: the shipped model is the recorded one, it needs no system tesseract, and
its time budget stops recognition."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from cuiscan.extractors import extract_file, ocr
from cuiscan.settings import Limits

from ocr_builders import memo_image, rasterise, marked_page_pdf, scanned_pdf

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
                          "--output", str(out)], capture_output=True, text=True, env=env)
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
