"""Zone patterns as gitignore-style tools read them: absolute, `**/...` at any depth, a bare name at
any depth, or relative to the configuration file's folder."""
from __future__ import annotations

import pytest

from cuiscan.errors import ConfigError
from cuiscan.inventory.zones import zone_for
from cuiscan.settings import load_settings, settings_from_mapping


def _config(tmp_path, *zones: tuple[str, list[str]]):
    folder = tmp_path / "etc"
    folder.mkdir(exist_ok=True)
    text = "".join(f'[[zone]]\nname = "{name}"\npaths = {paths!r}\nallows_cui = true\n'.replace("'", '"')
                   for name, paths in zones)
    (folder / "cuiscan.toml").write_text(text)
    return load_settings(folder / "cuiscan.toml"), folder


def test_double_star_pattern_matches_at_any_depth(tmp_path):
    settings, _ = _config(tmp_path, ("enclave", ["**/eng-cui/**"]))
    assert zone_for("/srv/shares/eng-cui/spec.docx", settings.zones).name == "enclave"
    assert zone_for("/eng-cui/a/b/c.pdf", settings.zones).name == "enclave"
    assert zone_for("/srv/shares/eng/spec.docx", settings.zones) is None


def test_bare_folder_name_matches_at_any_depth(tmp_path):
    settings, _ = _config(tmp_path, ("hr", ["hr-records/"]))
    assert zone_for("/data/x/hr-records/2024/roster.xlsx", settings.zones).name == "hr"
    assert zone_for("/data/x/hr-records-old/roster.xlsx", settings.zones) is None


def test_relative_pattern_is_relative_to_the_config_files_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)       # elsewhere than the config file
    settings, folder = _config(tmp_path, ("shares", ["shares/eng/**", "./local/*.pdf"]))
    assert settings.zones[0].paths == (f"{folder}/shares/eng/**", f"{folder}/local/*.pdf")
    assert zone_for(f"{folder}/shares/eng/a/spec.docx", settings.zones).name == "shares"
    assert zone_for(f"{folder}/local/r.pdf", settings.zones).name == "shares"
    assert zone_for(f"{tmp_path}/shares/eng/spec.docx", settings.zones) is None


def test_absolute_patterns_unchanged(tmp_path):
    settings, _ = _config(tmp_path, ("corp", ["/srv/shares/**"]))
    assert settings.zones[0].paths == ("/srv/shares/**",)
    assert zone_for("/srv/shares/a.txt", settings.zones).name == "corp"


def test_relative_pattern_without_a_config_file_is_refused():
    with pytest.raises(ConfigError, match="relative"):
        settings_from_mapping({"zone": [{"name": "z", "paths": ["shares/eng/**"]}]})
