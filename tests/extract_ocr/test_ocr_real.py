"""OCR on the real public scans and emails of shared/corpus/real (see its MANIFEST.tsv)."""
from __future__ import annotations

import os
from pathlib import Path

from cuiscan.discovery import iter_files
from cuiscan.extractors import extract_file
from cuiscan.pipeline import Inspector
from cuiscan.records import Assessment, Status, Zone
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks

REPO = Path(__file__).resolve().parents[2]


def real_corpus() -> Path:
    """shared/ sits beside the repository (CI) or beside the worktrees' folder (developers)."""
    candidates = [os.environ.get("CUISCAN_REAL_CORPUS", ""), REPO.parent / "shared/corpus/real",
                  REPO.parent.parent / "shared/corpus/real"]
    for c in candidates:
        if c and (Path(c) / "MANIFEST.tsv").is_file():
            return Path(c)
    raise AssertionError(f"real corpus not found (looked in {candidates}); set CUISCAN_REAL_CORPUS")


def scan(paths: list[Path], limits: Limits) -> dict:
    s = Settings(jobs=2, limits=limits)
    results = run_tasks(((ref, None) for ref in iter_files([str(p) for p in paths], s)), Inspector.from_settings(s), 2)
    return {os.path.basename(r.path): r for r in results}


def page_text(doc, page: int) -> str:
    return " ".join(b.text for b in doc.blocks if b.loc.page == page)


def test_every_real_scan_is_inspected():
    folder = real_corpus() / "scanned"
    # three OCR pages per file keep the test short; longer scans then note the pages left
    results = scan([folder], Limits(ocr_pages=3))
    assert len(results) == len(list(folder.iterdir())) == 17
    for name, result in results.items():
        assert result.status is Status.INSPECTED, (name, result.status_reason)
        assert result.assessment is not Assessment.UNKNOWN, name
        assert result.ocr_pages >= 1 or name.endswith(".eml"), name
        for f in result.findings:
            if f.rule_id == "SCAN-001":   # only the page budget of this test: nothing unsupported
                assert f.evidence == "limit" and "OCR page budget spent" in f.message, (name, f.message)


def test_recorded_markings_are_read_where_the_manifest_says():
    folder = real_corpus() / "scanned"
    banner = extract_file(str(folder / "patternfly__patternfly-design__black_hidden name.png"))[0]
    assert [b.text for b in banner.blocks if b.loc.zone is Zone.HEADER] == ["UNCLASSIFIED"]
    [memo] = extract_file(str(folder / "syntheos-corp__classmark__pos_CIA-020.pdf"), Limits(ocr_pages=3))
    # the stamp across the top of page 3, and the marking quoted in its text (the struck-through
    # SECRET stamp of page 1 is too faint for tesseract at 300 dpi)
    header = [b.text for b in memo.blocks if b.loc.page == 3 and b.loc.zone is Zone.HEADER]
    assert len(header) == 1 and "CIA INTERNAL USE ONL" in header[0]
    assert "Official Use Only" in page_text(memo, 3)
    [estimate] = extract_file(str(folder / "syntheos-corp__classmark__pos_CIA-025.pdf"), Limits(ocr_pages=1))
    assert "DECLASSIFIED" in page_text(estimate, 1)


def test_real_emails_with_pictures_are_judged_from_their_text():
    root = real_corpus()
    mails = [p for group in ("scanned", "negative", "formats") for p in (root / group).iterdir()
             if p.suffix in (".eml", ".msg")]
    results = scan(mails, Limits())
    assert len(results) == len(mails) >= 8
    for name, result in results.items():
        assert result.status is Status.INSPECTED, name
        pictures = [f for f in result.findings if f.rule_id == "SCAN-001" and "image" in f.message]
        assert pictures == [], (name, [f.message for f in pictures])
    for name in ("Unstructured-IO__unstructured__fake-email-image-embedded.eml",
                 "Unstructured-IO__unstructured__email-with-image.eml"):
        assert results[name].assessment is Assessment.NOT_CUI and results[name].findings == (), name
