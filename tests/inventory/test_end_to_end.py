"""A generated share scanned by the real pipeline, twice: store, boundary, reports, inventory, diff."""
from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import jsonschema

from cuiscan.inventory.diff import diff_scans
from cuiscan.inventory.rollups import grand_total, inventory_rollup
from cuiscan.inventory.store import Inventory
from cuiscan.reporting import render
from cuiscan.scan import run_scan
from cuiscan.settings import settings_from_mapping


def _docx(path, paragraphs, header=None, footer=None):
    d = docx.Document()
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for p in paragraphs:
        d.add_paragraph(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)


def _share(root):
    _docx(root / "eng" / "spec.docx", ["Bracket assembly, revision C. Torque values per drawing 7."],
          header="CUI", footer="CUI")
    _docx(root / "hr" / "people.docx", ["Employee John Smith, SSN 123-45-6789, date of birth 01/02/1980.",
                                        "Salary and medical leave records for the quarter."])
    (root / "hr" / "notes.txt").write_text("CUI//SP-PRVCY\nPersonnel file, John Smith.\nCUI//SP-PRVCY\n")
    (root / "hr" / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (root / "readme.txt").write_text("Lunch menu for Friday: soup.\n")


def test_scan_store_report_inventory_and_diff(tmp_path):
    root = tmp_path / "share"
    _share(root)
    settings = settings_from_mapping({"jobs": 1, "zone": [
        {"name": "Engineering enclave", "paths": [f"{root}/eng/**"], "allows_cui": True},
        {"name": "Corporate", "paths": [f"{root}/**"], "allows_cui": False},
    ]})
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    first = run_scan([str(root)], settings, inv)
    assert first.counts.files_seen == 5 and first.counts.failed == 1

    out = io.StringIO()
    render("json", inv, first.scan_id, out)
    doc = json.loads(out.getvalue())
    files = {f["path"]: f for f in doc["files"]}
    assert len(files) == 5
    assert files[str(root / "eng" / "spec.docx")]["zone"] == "Engineering enclave"
    assert files[str(root / "hr" / "broken.docx")]["status"] == "failed"
    people = files[str(root / "hr" / "people.docx")]
    assert people["zone"] == "Corporate" and people["assessment"] in ("unmarked-cui", "derivative")
    boundary = {f["path"] for f in doc["findings"] if f["rule_id"] == "BOUNDARY-001"}
    assert str(root / "hr" / "people.docx") in boundary
    assert not any(p.startswith(str(root / "eng")) for p in boundary)
    assert "123-45-6789" not in out.getvalue()                 # raw matched values never reach a report
    raw = (tmp_path / "inv.sqlite").read_bytes() + (tmp_path / "inv.sqlite-wal").read_bytes()
    assert b"123-45-6789" not in raw                           # ... nor the inventory

    sarif = io.StringIO()
    render("sarif", inv, first.scan_id, sarif)
    schema = json.loads((Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(sarif.getvalue()))

    total = grand_total(inventory_rollup(inv, settings.zones))
    assert total.files_seen == 5 and total.uninspectable == 1
    assert total.marked_cui + total.unmarked_cui + total.derivative >= 2
    assert total.boundary_violations == len(boundary)

    # The broken file is deleted and the personnel file is removed from the corporate share.
    (root / "hr" / "broken.docx").unlink()
    (root / "hr" / "people.docx").unlink()
    second = run_scan([str(root)], settings, inv)
    assert second.removed == 2 and second.counts.unchanged == 3
    d = diff_scans(inv, first.scan_id, second.scan_id)
    assert d.removed_files == [str(root / "hr" / "broken.docx"), str(root / "hr" / "people.docx")]
    assert {r.path for r in d.resolved} == {str(root / "hr" / "broken.docx"), str(root / "hr" / "people.docx")}
    assert not d.new and not d.changed and d.unchanged == sum(
        1 for row in inv.iter_findings(second.scan_id))
    assert grand_total(inventory_rollup(inv, settings.zones)).files_seen == 3
    inv.close()
