"""Every finding says what to do: DETECT-001 and DERIV-001 messages end with the fix (a real scan of
a marked report and its unmarked copy from samples/)."""
from __future__ import annotations

import shutil
from pathlib import Path

from cuiscan.inventory.store import Inventory
from cuiscan.scan import run_scan
from cuiscan.settings import Settings

DOD = Path(__file__).resolve().parents[2] / "samples" / "dod"


def test_detect_and_deriv_messages_end_with_the_fix(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    for name in ("tech-report-correct.pdf", "dist-d-unmarked.pdf"):
        shutil.copy(DOD / name, share / name)
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        outcome = run_scan([str(share)], Settings(jobs=1), inv)
        copy = inv.previous(str(share / "dist-d-unmarked.pdf"))
    finally:
        inv.close()
    messages = {f.rule_id: f.message for f in copy.findings}
    assert set(messages) >= {"DETECT-001", "DERIV-001"}, outcome
    detect, deriv = messages["DETECT-001"], messages["DERIV-001"]
    assert detect.startswith("possible unmarked CUI (CTI")
    assert "designation indicator" in detect and detect.endswith("`cuiscan suppress FINGERPRINT --reason TEXT`")
    assert "banner CUI" in detect
    assert f"known CUI document {share / 'tech-report-correct.pdf'}" in deriv
    assert "mark it like its source" in deriv and deriv.endswith("`cuiscan suppress FINGERPRINT --reason TEXT`")


def test_a_registered_reference_is_named_once(tmp_path):
    from cuiscan.derivatives.references import add_reference

    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(DOD / "dist-d-unmarked.pdf", share / "copy.pdf")
    source = tmp_path / "elsewhere.pdf"
    shutil.copy(DOD / "tech-report-correct.pdf", source)
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        add_reference(inv.conn, source, "CTI")
        run_scan([str(share)], Settings(jobs=1), inv)
        copy = inv.previous(str(share / "copy.pdf"))
    finally:
        inv.close()
    deriv = next(f.message for f in copy.findings if f.rule_id == "DERIV-001")
    assert f"of registered CUI reference document {source} (" in deriv
    assert "document reference document" not in deriv


def test_no_empty_category_brackets():
    from cuiscan.detection import detect_finding
    from cuiscan.records import DetectResult, Location, MarkingResult, Signal

    legacy_only = DetectResult(member=None, score=0.8, flagged=True, signals=(
        Signal(rule_id="LEGACY-001", category="", score=0.8, location=Location(), evidence="[legacy marking FOUO]"),))
    message = detect_finding(legacy_only, MarkingResult(member=None)).message
    assert message.startswith("possible unmarked CUI: score 0.80") and "()" not in message
