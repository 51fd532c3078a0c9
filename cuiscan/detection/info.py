"""Cheap facts about the detection data for `--version`, result versions and `cuiscan rules`.

Nothing here loads spaCy: version strings come from the pack hash and the model's meta.json.
"""
from __future__ import annotations

import json
from pathlib import Path

from cuiscan.detection.model import default_model_dir
from cuiscan.detection.packs import load_packs, packs_digest


def rules_version(directory: str | None = None) -> str:
    """Content hash of the detection packs: changes whenever any rule changes."""
    return packs_digest(directory)


def model_version(model_dir: str | Path | None = None) -> str:
    """'<name>-<version>+<data hash>' of the committed model, or 'none' when there is no model."""
    meta_path = Path(model_dir or default_model_dir()) / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "none"
    training = Path(meta_path.parent, "training.json")
    suffix = ""
    try:
        suffix = "+" + json.loads(training.read_text(encoding="utf-8"))["data_sha256"][:8]
    except (OSError, ValueError, KeyError):
        pass
    return f"{meta.get('name', 'model')}-{meta.get('version', '0')}{suffix}"


def describe_rules(directory: str | None = None) -> list[dict]:
    """Every detection rule as plain data (for `cuiscan rules` and `cuiscan rules show ID`)."""
    out = []
    for rule in load_packs(directory).rules:
        out.append({
            "id": rule.id, "name": rule.name, "category": rule.category, "kind": rule.kind,
            "role": rule.role, "score": rule.score, "severity": rule.severity.value,
            "summary": rule.summary, "rationale": rule.rationale, "references": list(rule.references),
            "validator": rule.validator, "pack": rule.pack,
            "examples": {"match": list(rule.match_examples), "no_match": list(rule.no_match_examples)},
        })
    return out
