"""Every configuration key refuses a wrong type and an out-of-range value: exit 2, one line, no traceback."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cuiscan.cli import app
from cuiscan.settings import LIMIT_KEYS, TOP_KEYS, Limits, Settings, settings_from_mapping
from cuiscan.errors import ConfigError

# (key, a value of the wrong type, a value of the right type but out of range or not allowed)
TOP_BAD = {
    "profile": (3, "army"),
    "include": ("*.docx", [""]),
    "exclude": ("*.txt", [1]),
    "follow_symlinks": ("yes", 1),
    "jobs": ("4", 0),
    "fail_on": (True, "sometimes"),
    "show_evidence": ("no", 0),
    "db": (5, ""),
    "pdf_backend": (1, "mupdf"),
    "ocr": (False, "sometimes"),
    "detect_threshold": ("high", 7),
    "derivative_min_words": (40.5, -1),
    "derivative_min_share": ("half", 0),
    "derivative_common_docs": ("five", -1),
    "agency_requires_basic_categories": ("true", 2),
}
LIMIT_BAD = {
    "max_file_size": (True, -1),
    "timeout": ([120], 0),
    "archive_depth": ("5", -1),
    "archive_members": (1.5, 0),
    "archive_total": ({}, "12 parsecs"),
    "archive_ratio": ("200", 0.5),
    "member_size": (None, 0),
    "max_text": ("lots", 0),
    "max_pages": (2.0, 0),
    "max_blocks": ("many", -5),
    "worker_memory": (False, "2K"),
    "ocr_pages": ("ten", -1),
    "ocr_seconds": ([60], 0),
}


def test_the_tables_cover_every_key():
    assert set(TOP_BAD) == set(TOP_KEYS)
    assert set(LIMIT_BAD) == set(LIMIT_KEYS)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if value is None:
        return "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}"
    return repr(value)


def _cases():
    for key, values in TOP_BAD.items():
        for value in values:
            yield key, f"{key} = {_toml(value)}\n"
    for key, values in LIMIT_BAD.items():
        for value in values:
            yield f"limits.{key}", f"[limits]\n{key} = {_toml(value)}\n"


@pytest.mark.parametrize("key,body", list(_cases()), ids=[f"{k}-{i % 2}" for i, (k, _) in enumerate(_cases())])
def test_bad_value_exits_2_with_one_line_naming_the_key(tmp_path, key, body):
    config = tmp_path / "cuiscan.toml"
    config.write_text(body)
    (tmp_path / "a.txt").write_text("hello\n")
    result = CliRunner().invoke(app, ["scan", "--config", str(config), "--db", str(tmp_path / "inv.sqlite"),
                                      str(tmp_path / "a.txt")])
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("cuiscan: ") and key in lines[0] and "expected" in lines[0]
    assert not (tmp_path / "inv.sqlite").exists()          # nothing was scanned


@pytest.mark.parametrize("args,key", [
    (["--jobs", "0"], "--jobs"),
    (["--fail-on", "loud"], "--fail-on"),
    (["--profile", "army"], "--profile"),
])
def test_bad_command_line_value_is_refused_the_same_way(tmp_path, args, key):
    (tmp_path / "a.txt").write_text("hello\n")
    result = CliRunner().invoke(app, ["scan", *args, "--db", str(tmp_path / "inv.sqlite"), str(tmp_path / "a.txt")])
    assert result.exit_code == 2
    assert key in result.output and "Traceback" not in result.output


def test_human_sizes_and_durations_are_accepted_on_purpose():
    settings = settings_from_mapping({"limits": {"worker_memory": "2G", "timeout": "90s", "max_file_size": "512M",
                                                 "member_size": 1024}})
    assert settings.limits == Limits(worker_memory=2 * 1024**3, timeout=90.0, max_file_size=512 * 1024**2,
                                     member_size=1024)
    assert settings_from_mapping({"limits": {"timeout": "2m"}}).limits.timeout == 120.0


def test_non_table_sections_are_refused():
    for raw in ({"limits": 5}, {"zone": {"name": "x"}}, {"suppress": "abc"}):
        with pytest.raises(ConfigError):
            settings_from_mapping(raw)


def test_zone_values_are_checked():
    with pytest.raises(ConfigError, match="allows_cui"):
        settings_from_mapping({"zone": [{"name": "a", "paths": ["/srv/**"], "allows_cui": "yes"}]})
    with pytest.raises(ConfigError, match="paths"):
        settings_from_mapping({"zone": [{"name": "a", "paths": "/srv/**"}]})


def test_valid_configuration_still_loads():
    settings = settings_from_mapping({"profile": "nara", "exclude": ["*.iso"], "jobs": 2, "detect_threshold": 0.7})
    assert settings == Settings(profile="nara", exclude=("*.iso",), jobs=2, detect_threshold=0.7)
