"""The CUI registry file: schema, content checks, and replacement by a newer file without code changes."""
from __future__ import annotations

import shutil

import pytest
import yaml

from cuiscan.errors import ConfigError
from cuiscan.markings.registry import default_path, load_registry, parse_registry
import mk_builders as B


def test_shipped_registry_is_valid_and_complete():
    reg = load_registry()
    assert reg.schema_version == 1 and len(reg.categories) >= 120
    assert {l.code for l in reg.ldcs} == {"NOFORN", "FED ONLY", "FEDCON", "NOCON", "DL ONLY", "REL TO", "RELIDO",
                                          "DISPLAY ONLY", "Attorney-Client", "Attorney-WP"}
    cti, prvcy, mil = reg.category("CTI"), reg.category("SP-PRVCY"), reg.category("Military Personnel Records")
    assert (cti.basic, cti.specified) == (False, True)
    assert (prvcy.basic, prvcy.specified) == (True, True)
    assert mil.marking == "MIL" and mil.specified is False
    assert reg.category("PII") is None
    assert {l.portion for l in reg.ldcs if l.portion != l.banner} == {"NF", "AC", "AWP"}
    assert "DRAFT" in reg.supplemental


def test_every_category_entry_has_the_schema_fields():
    raw = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    for cat in raw["categories"]:
        assert {"name", "marking", "basic", "specified", "index_grouping"} <= set(cat), cat.get("name")
        assert cat["basic"] in (True, False, "unverified") and cat["specified"] in (True, False, "unverified")
        if cat["marking"] and cat["specified"] is True:
            assert cat["banner_specified"] == f"CUI//SP-{cat['marking']}"


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d.update(schema_version=2), "schema_version"),
    (lambda d: d.pop("categories"), "'categories' must be a non-empty list"),
    (lambda d: d["categories"][0].update(basic="maybe"), "basic must be"),
    (lambda d: d["categories"][0].update(marking="SP-CRITAN"), "without SP-"),
    (lambda d: d["categories"].append(dict(d["categories"][1])), "appears twice"),
    (lambda d: d["limited_dissemination_controls"][0].pop("portion_marking"), "portion_marking"),
])
def test_malformed_registry_is_a_config_error(mutate, message):
    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(ConfigError, match=message):
        parse_registry(data, source="test")


def test_newer_registry_file_changes_behaviour_without_code(tmp_path):
    data = yaml.safe_load(default_path().read_text(encoding="utf-8"))
    data["categories"].append({"name": "Space Weather Data", "index_grouping": "Defense", "marking": "SPWX",
                               "basic": False, "specified": True})
    newer = tmp_path / "cui-registry.yaml"
    newer.write_text(yaml.safe_dump(data), encoding="utf-8")
    doc = B.txt(tmp_path / "a.txt", ["CUI//SP-SPWX", "", "Results.", "", *B.NARA_DI])
    assert "BANNER-004" in B.ids(doc, "nara")
    assert "BANNER-004" not in B.ids(doc, "nara", registry_path=str(newer))
