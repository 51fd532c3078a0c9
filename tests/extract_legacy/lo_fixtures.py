"""Legacy Office and OpenDocument fixtures written by a maintained writer: LibreOffice (headless)
converts marked and unmarked docx/pptx/xlsx, built with the project's sample builders, to
doc/odt, ppt/odp and xls/ods. tests/run.sh installs LibreOffice (Debian's -nogui packages).

Each original is kept, so a test can compare the findings on the converted file with the findings
on the born-digital OOXML one.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("sample_builders_lo", ROOT / "samples" / "builders.py")
b = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(b)

DOD_DI = ["Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ", "CUI Category: PRVCY",
          "Distribution/Dissemination Control: FEDCON", "POC: J. Smith, 937-555-0100"]

# Target format -> LibreOffice export filter.
FILTERS = {"doc": "doc:MS Word 97", "odt": "odt", "ppt": "ppt:MS PowerPoint 97", "odp": "odp",
           "xls": "xls:MS Excel 97", "ods": "ods"}
FAMILY = {"doc": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx", "xls": "xlsx", "ods": "xlsx"}


def originals() -> dict[str, bytes]:
    """name (without extension) + ".docx|.pptx|.xlsx" -> bytes."""
    marked_memo = b.docx_bytes([
        {"header": "CUI", "footer": "CUI",
         "paras": ["(CUI) The test schedule for the Block 3 radar is attached.", "(U) Lunch is at noon."]
         + DOD_DI},
        {"header": "CUI//FEDCON", "footer": "", "paras": ["(CUI) Annex A lists the test ranges."]},
    ], title="Block 3 test memo")
    plain_memo = b.docx_bytes([{"header": "", "footer": "", "paras": ["The picnic is on Friday.",
                                                                      "Bring a dish to share."]}])
    unmarked_cui = b.docx_bytes([{"header": "", "footer": "", "paras": [
        "Employee roster: Jane Roe, SSN 123-45-6789, home address 12 Elm St, Dayton OH.",
        "Supervisor: John Doe, SSN 987-65-4320."]}])
    deck = b.pptx_bytes([
        {"top": "CUI", "bottom": "CUI", "title": "Readiness review", "lines": ["(CUI) Test ranges"],
         "bottom_lines": DOD_DI, "notes": "(CUI) Speaker note about ranges"},
        {"top": "CUI", "bottom": "CUI", "title": "Staffing", "lines": ["(CUI) Staffing details"]},
        {"title": "Actions", "lines": ["(CUI) Actions for March"]},
    ])
    book = b.xlsx_bytes([
        {"name": "Roster", "header": "CUI", "footer": "CUI",
         "rows": [["Name", "Home phone"], ["A. Able", "202-555-0101"]] + [[line] for line in DOD_DI]},
        {"name": "Alternates", "rows": [["Name"], ["C. Clark"]]},
    ])
    return {"marked_memo.docx": marked_memo, "plain_memo.docx": plain_memo, "unmarked_cui.docx": unmarked_cui,
            "deck.pptx": deck, "book.xlsx": book}


def convert(sources: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert with one soffice run; fails (never skips) when LibreOffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (tests/run.sh installs libreoffice-*-nogui)")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", FILTERS[target], "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    out = [outdir / f"{s.stem}.{target}" for s in sources]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return out


def build_corpus(root: Path) -> dict[str, Path]:
    """{"marked_memo.doc": path, "marked_memo.docx": path, ...} for every original and conversion."""
    src = root / "ooxml"
    src.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, data in originals().items():
        paths[name] = b.write(src / name, data)
    profile = root / "lo-profile"
    for target, family in FAMILY.items():
        sources = [p for name, p in list(paths.items()) if name.endswith("." + family) and p.parent == src]
        for path in convert(sources, target, root / target, profile):
            paths[path.name] = path
    return paths
