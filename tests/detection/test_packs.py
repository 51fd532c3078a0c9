"""Every rule of every pack proves its own examples; the loader rejects broken packs with a clear message."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from cuiscan.detection.matching import RuleEngine, has_digit, words_of
from cuiscan.detection.packs import default_packs_dir, load_packs
from cuiscan.detection.passages import lower_same_length, token_text
from cuiscan.errors import ConfigError
from cuiscan.rulebook import rules_dir

RULES = load_packs().rules
NLP = spacy.blank("en")


def fires(rule, text: str) -> bool:
    """The rule alone, through the same engine the detector uses (regex + spaCy matchers + context)."""
    engine = RuleEngine([rule], NLP)
    lower = lower_same_length(text)
    opened = engine.open_rules(words_of(lower), has_digit(text))
    hits = engine.scan_regex(text, lower, opened)
    if engine.needs_spacy(opened):
        hits += engine.scan_doc(NLP.make_doc(token_text(text)), text, lower, opened)
    return len({h.value.casefold() for h in hits}) >= rule.min_distinct


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    for text in rule.match_examples:
        assert fires(rule, text), f"{rule.id} should match: {text!r}"
    for text in rule.no_match_examples:
        assert not fires(rule, text), f"{rule.id} should not match: {text!r}"


def test_pack_coverage_and_ids():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    cats = {r.category for r in RULES if r.role == "signal"}
    assert {"CTI", "EXPT", "PRVCY", "PROPIN", "SSEL", "PROCURE", "PCII", "SSI", "LEI", "PRIVILEGE", "OPSEC"} <= cats
    assert {r.kind for r in RULES} == {"pattern", "phrase", "token"}
    assert all(r.role == "support" for r in RULES if r.id.startswith("IDENT-"))
    for r in RULES:
        assert r.summary and r.rationale and r.references and r.match_examples


def test_detection_ids_never_collide_with_marking_rule_ids():
    marking_dir = rules_dir() / "markings"
    marking_ids = set()
    for path in marking_dir.glob("*.yaml"):
        marking_ids |= set(re.findall(r"^\s*- id:\s*([A-Z]+-\d{3})", path.read_text(), re.M))
    families = {i.split("-")[0] for i in marking_ids} | {"DETECT", "DERIV", "SPILL", "BOUNDARY", "SCAN"}
    assert not {r.id.split("-")[0] for r in RULES} & families


def test_pack_version_changes_with_content(tmp_path: Path):
    for src in default_packs_dir().glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text())
    before = load_packs(str(tmp_path)).version
    cti = tmp_path / "cti.yaml"
    cti.write_text(cti.read_text().replace("score: 0.85", "score: 0.84", 1))
    assert load_packs(str(tmp_path)).version != before


GOOD = """family: TST
title: test
sources: [{source: "a public regulation", date: 2026-12-06}]
rules:
  - id: TST-001
    name: thing
    category: CTI
    kind: pattern
    patterns: ['thing']
    score: 0.5
    severity: warning
    summary: s
    rationale: r
    references: [x]
    examples: {match: [thing]}
"""


@pytest.mark.parametrize("change, message", [
    (("category: CTI", "category: NOPE"), "not a registry marking"),
    (("id: TST-001", "id: XYZ-001"), "id must be 'TST-'"),
    (("kind: pattern", "kind: magic"), "kind must be"),
    (("patterns: ['thing']", "patterns: ['(unclosed']"), "bad regex"),
    (("examples: {match: [thing]}", "examples: {match: []}"), "needs at least one 'match' example"),
    (("score: 0.5", "score: 1.5"), "score must be"),
    (("    severity: warning\n", ""), "lacks severity"),
    (("kind: pattern", "kind: pattern\n    validator: nosuch"), "unknown validator"),
])
def test_loader_rejects_broken_rules(tmp_path: Path, change, message):
    (tmp_path / "t.yaml").write_text(GOOD.replace(*change))
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_packs(str(tmp_path))


def test_loader_rejects_duplicates_bad_yaml_and_empty_dirs(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(ConfigError, match="defined twice"):
        load_packs(str(tmp_path))
    (tmp_path / "b.yaml").write_text("rules: [::")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_packs(str(tmp_path))
    with pytest.raises(ConfigError, match="no detection rule packs"):
        load_packs(str(tmp_path / "empty"))


def test_pack_version_from_bytes_matches_the_loaded_packs(tmp_path):
    """Incremental scans compare the version without parsing the packs: it must be the loaded one,
    and change when any pack's bytes change."""
    import shutil

    from cuiscan.detection.packs import default_packs_dir, load_packs, packs_digest

    assert packs_digest() == load_packs().version
    copy = tmp_path / "packs"
    shutil.copytree(default_packs_dir(), copy)
    first = sorted(copy.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert packs_digest(str(copy)) != packs_digest() and packs_digest(str(copy)) == load_packs(str(copy)).version
