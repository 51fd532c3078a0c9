"""Every count in every format comes from the scan's own counts: on a rescan of an unchanged tree the
HTML cards, the table, JSON, JSONL and SARIF all say 0 inspected and N unchanged, as the CLI does."""
from __future__ import annotations

import io
import json
import re

from cuiscan.inventory.store import Inventory
from cuiscan.reporting import render
from cuiscan.scan import run_scan
from cuiscan.settings import Limits, Settings

KEYS = ("files_seen", "inspected", "unchanged", "skipped", "failed")
LABELS = {"files seen": "files_seen", "inspected": "inspected", "unchanged": "unchanged",
          "skipped": "skipped", "failed": "failed"}


def _render(fmt, inv, scan_id) -> str:
    out = io.StringIO()
    render(fmt, inv, scan_id, out)
    return out.getvalue()


def test_rescan_counts_agree_in_every_format(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    for i in range(3):
        (share / f"note{i}.txt").write_text(f"Lunch menu for day {i}: soup and bread.\n")
    (share / "big.txt").write_text("x" * 5000)
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        settings = Settings(jobs=1, limits=Limits(max_file_size=1000))
        run_scan([str(share)], settings, inv)
        second = run_scan([str(share)], settings, inv)
        want = second.counts.to_dict()
        assert want == {"files_seen": 4, "inspected": 0, "unchanged": 3, "skipped": 1, "failed": 0,
                        "ocr_pages": 0, "images_skipped": 0}   # OCR coverage: nothing read again

        assert json.loads(_render("json", inv, second.scan_id))["scan"]["counts"] == want
        last = _render("jsonl", inv, second.scan_id).strip().splitlines()[-1]
        assert json.loads(last)["summary"]["counts"] == want
        sarif = json.loads(_render("sarif", inv, second.scan_id))
        assert sarif["runs"][0]["properties"]["scan"]["counts"] == want

        html = _render("html", inv, second.scan_id)
        cards = {label: int(value) for value, label in
                 re.findall(r'<div class="card[^"]*"><b>(\d+)</b><span>([^<]+)</span>', html)}
        assert {LABELS[k]: v for k, v in cards.items() if k in LABELS} == {k: want[k] for k in KEYS}

        table = _render("table", inv, second.scan_id)
        for key in KEYS:
            assert re.search(rf"{key}\s*[│|]\s*{want[key]}\b", table), (key, table)
    finally:
        inv.close()
