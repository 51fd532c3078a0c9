"""Issue 14 classes in the legacy Office and OpenDocument formats (.doc/.odt, .xls/.ods, .ppt/.odp):
the OOXML fixtures of each class are converted by LibreOffice (headless; tests/run.sh installs it)
and must read as their born-digital originals do."""
from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from realdocs import DOD_DI, STATEMENT_D, b

from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector, inspect_file
from cuiscan.records import Assessment, Severity
from cuiscan.settings import Settings

_spec = importlib.util.spec_from_file_location(
    "lo_fixtures_markings", Path(__file__).resolve().parents[1] / "extract_legacy" / "lo_fixtures.py")
lo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lo)   # the same LibreOffice conversion the extractor tests use

BODY = ["The turbine blade cooling tests ran on rig 4 at 1200 K.", "Results are summarised in table 2."]


def _sheet_with_codes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Costs"
    ws.oddHeader.left.text = "Acme"
    ws.oddHeader.center.text = "CUI"
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddHeader.right.text = "Page &P"
    ws.oddFooter.center.text = "CUI"
    ws.append(["part", "cost"])
    ws.append(["blade", 1200])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ORIGINALS = {
    "spelled.docx": lambda: b.docx_bytes([{"header": "CONTROLLED UNCLASSIFIED INFORMATION | Acme Corp",
                                           "footer": "CONTROLLED UNCLASSIFIED INFORMATION | Acme Corp",
                                           "paras": BODY}]),
    "legacy.docx": lambda: b.docx_bytes([{"header": "LIMITED DISTRIBUTION", "footer": "LIMITED DISTRIBUTION",
                                          "paras": BODY}]),
    "legend.docx": lambda: b.docx_bytes([{"footer": "Acme Company Sensitive and Proprietary", "paras": BODY}]),
    "firstcell.xlsx": lambda: b.xlsx_bytes([{"name": "Parts", "rows": [
        ["Controlled Unclassified Information (CUI)"], ["part", "qty"], ["blade", 3],
        ["Controlled Unclassified Information (CUI)"]]}]),
    "fouocell.xlsx": lambda: b.xlsx_bytes([{"name": "Data", "rows": [
        ["For Official Use Only (FOUO)"], ["part", "qty"], ["blade", 3]]}]),
    "codes.xlsx": _sheet_with_codes,
    "brief.pptx": lambda: b.pptx_bytes([
        {"top": "CUI", "title": "Blade cooling", "bottom_lines": [*DOD_DI, STATEMENT_D], "bottom": "CUI"},
        {"top": "CUI", "lines": BODY, "bottom": "CUI"}]),
}
TARGETS = {"docx": ("doc", "odt"), "xlsx": ("xls", "ods"), "pptx": ("ppt", "odp")}


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("issue14-lo")
    src = root / "ooxml"
    src.mkdir()
    by_kind: dict[str, list[Path]] = {}
    for name, build in ORIGINALS.items():
        path = src / name
        path.write_bytes(build())
        by_kind.setdefault(name.rsplit(".", 1)[1], []).append(path)
    out = {}
    for kind, sources in by_kind.items():
        for target in TARGETS[kind]:
            for p in lo.convert(sources, target, root / target, root / "profile"):
                out[p.name] = p
    return out


@pytest.fixture(scope="module")
def engine() -> Inspector:
    settings = Settings()
    return Inspector.from_settings(settings, Detector.load(settings, use_model=False))


def scan(engine, path):
    [ref] = list(iter_files([str(path)], Settings()))
    r = inspect_file(ref, engine)
    return r, {f.rule_id for f in r.findings}


@pytest.mark.parametrize("ext", ["doc", "odt"])
def test_word_processor_classes(converted, engine, ext):
    r, ids = scan(engine, converted[f"spelled.{ext}"])
    assert r.assessment == Assessment.MARKED_CUI and "BANNER-002" in ids and "BANNER-010" not in ids, sorted(ids)
    r, ids = scan(engine, converted[f"legacy.{ext}"])
    assert "LEGACY-001" in ids and "BANNER-001" not in ids and r.assessment != Assessment.MARKED_CUI
    r, ids = scan(engine, converted[f"legend.{ext}"])
    legend = [f for f in r.findings if f.rule_id == "LEGACY-004"]
    assert legend and legend[0].severity == Severity.INFO and legend[0].categories == ("PROPIN",)


@pytest.mark.parametrize("ext", ["xls", "ods"])
def test_spreadsheet_classes(converted, engine, ext):
    r, ids = scan(engine, converted[f"firstcell.{ext}"])
    assert r.assessment == Assessment.MARKED_CUI and "BANNER-002" in ids, sorted(ids)
    r, ids = scan(engine, converted[f"fouocell.{ext}"])
    assert "LEGACY-001" in ids and r.assessment != Assessment.MARKED_CUI, sorted(ids)
    r, ids = scan(engine, converted[f"codes.{ext}"])
    assert r.assessment == Assessment.MARKED_CUI and r.banner == "CUI" and "SHEET-001" not in ids, sorted(ids)


@pytest.mark.parametrize("ext", ["ppt", "odp"])
def test_di_and_statement_in_one_frame(converted, engine, ext):
    r, ids = scan(engine, converted[f"brief.{ext}"])
    assert r.assessment == Assessment.MARKED_CUI and "DIST-004" not in ids, sorted(ids)
