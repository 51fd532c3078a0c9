"""Configuration applies by location: a folder's cuiscan.toml sets its files' profile, and the
.cuiscanignore files above a scan root apply as they do when the scan starts higher up."""
from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from cuiscan.cli import app
from cuiscan.inventory.store import Inventory
from cuiscan.scan import run_scan
from cuiscan.settings import Settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
NARA_CORRECT = ["memo-correct.docx", "notice-correct.txt", "report-correct.pdf"]


def _scan(roots, db, **settings):
    inv = Inventory.open(str(db))
    try:
        outcome = run_scan([str(r) for r in roots], Settings(jobs=1, **settings), inv)
        results = {r.path: inv.previous(r.path) for r in inv.iter_results(outcome.scan_id)}
        return outcome, results
    finally:
        inv.close()


def test_scanning_a_subfolder_honours_the_ignore_file_and_profile_above(tmp_path):
    outcome, results = _scan([SAMPLES / "nara"], tmp_path / "inv.sqlite")
    assert not [p for p in results if p.endswith(".expected.json") or p.endswith("cuiscan.toml")]
    assert len(results) == len(list((SAMPLES / "nara").glob("*.expected.json")))
    for name in NARA_CORRECT:        # correct under NARA's rules: checked as NARA, not as DoD
        assert results[str(SAMPLES / "nara" / name)].findings == (), name
    assert outcome.profiles_used == {str(SAMPLES / "nara" / "cuiscan.toml"): "nara"}


def test_whole_samples_tree_checks_each_folder_under_its_profile(tmp_path):
    _, results = _scan([SAMPLES], tmp_path / "inv.sqlite")
    for name in NARA_CORRECT:
        assert results[str(SAMPLES / "nara" / name)].findings == (), name
    dod = results[str(SAMPLES / "dod" / "di-missing.docx")]
    assert [f.rule_id for f in dod.findings] == ["DI-003"]      # DoD's designation indicator rule


def _nara_copy(tmp_path, with_config: bool) -> Path:
    tree = tmp_path / "share"
    shutil.copytree(SAMPLES / "nara", tree, ignore=shutil.ignore_patterns("*.expected.json"))
    if not with_config:
        (tree / "cuiscan.toml").unlink()
    return tree


def test_a_likely_profile_mismatch_prints_a_hint(tmp_path):
    tree = _nara_copy(tmp_path, with_config=False)
    res = CliRunner().invoke(app, ["scan", str(tree), "--db", str(tmp_path / "inv.sqlite"), "-f", "json"])
    hint = [line for line in res.stderr.splitlines() if "hint:" in line]
    assert len(hint) == 1 and "--profile nara" in hint[0] and "DoD-only rules" in hint[0], res.stderr
    res = CliRunner().invoke(app, ["scan", str(tree), "--db", str(tmp_path / "nara.sqlite"), "-f", "json",
                                   "--profile", "nara"])
    assert "hint:" not in res.stderr


def test_command_line_profile_overrides_the_folder(tmp_path):
    tree = _nara_copy(tmp_path, with_config=True)
    res = CliRunner().invoke(app, ["scan", str(tree), "--db", str(tmp_path / "inv.sqlite"), "-f", "json",
                                   "--profile", "dod"])
    assert "hint:" in res.stderr and "set by" not in res.stderr
    res = CliRunner().invoke(app, ["scan", str(tree), "--db", str(tmp_path / "other.sqlite"), "-f", "json"])
    assert f"profile nara for the files below {tree} (set by {tree / 'cuiscan.toml'})" in res.stderr
    assert "hint:" not in res.stderr


def test_changing_a_folders_profile_reinspects_its_files(tmp_path):
    tree = _nara_copy(tmp_path, with_config=True)
    db = tmp_path / "inv.sqlite"
    first, _ = _scan([tree], db)
    again, _ = _scan([tree], db)
    assert again.counts.unchanged == first.counts.inspected and again.counts.inspected == 0
    (tree / "cuiscan.toml").write_text('profile = "dod"\n')
    third, results = _scan([tree], db)
    assert third.counts.inspected == first.counts.inspected
    assert results[str(tree / "memo-correct.docx")].findings != ()


def test_a_broken_folder_config_is_reported_and_the_scan_goes_on(tmp_path):
    tree = _nara_copy(tmp_path, with_config=False)
    (tree / "cuiscan.toml").write_text('profile = "army"\n')
    outcome, results = _scan([tree], tmp_path / "inv.sqlite")
    broken = results[str(tree / "cuiscan.toml")]
    assert [f.rule_id for f in broken.findings] == ["SCAN-001"]
    assert "profile" in broken.findings[0].message and "army" in broken.findings[0].message
    assert outcome.counts.inspected == len(list((SAMPLES / "nara").glob("*.expected.json")))


def test_inspect_uses_the_profile_of_the_files_folder():
    memo = SAMPLES / "nara" / "memo-correct.docx"
    res = CliRunner().invoke(app, ["inspect", str(memo), "--no-findings"])
    assert res.exit_code == 0
    res = CliRunner().invoke(app, ["inspect", str(memo)])
    assert res.exit_code == 0 and "BANNER-011" not in res.stdout        # NARA rules: correct as it is
    res = CliRunner().invoke(app, ["inspect", str(memo), "--profile", "dod"])
    assert "BANNER-011" in res.stdout or "DI-003" in res.stdout          # DoD rules when asked for
