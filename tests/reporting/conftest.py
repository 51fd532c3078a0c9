from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "inventory"))   # inv_builders

from cuiscan.inventory.store import Inventory  # noqa: E402
from cuiscan.inventory.zones import apply_boundary  # noqa: E402
from cuiscan.records import Assessment, Severity, Zone  # noqa: E402

from inv_builders import finding, mixed_share, result, store_scan  # noqa: E402
from report_helpers import HOSTILE, ZONES  # noqa: E402



@pytest.fixture
def stored(tmp_path):
    """An inventory with one finished scan of a mixed share; returns (inv, scan_id, results)."""
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    files = mixed_share() + [
        result("/srv/share/eng/memo.docx", assessment=Assessment.MARKED_CUI, banner="CUI",
               findings=[finding("PORTION-001", Severity.INFO, evidence=HOSTILE, line=4),
                         finding("EMAIL-006", Severity.WARNING, member="att/report.docx", page=2,
                                 zone=Zone.HEADER, evidence="CUI")]),
    ]
    files = [apply_boundary(r, ZONES) for r in files]
    scan_id = store_scan(inv, files)
    yield inv, scan_id, files
    inv.close()
