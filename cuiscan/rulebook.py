"""The documentation of every rule cuiscan reports, loaded from `rules/markings/*.yaml`.

One YAML file per rule family. Each entry:

    - id: BANNER-010                 # stable, reported as rule_id
      title: Banner placement
      profile: both                  # both | dod | nara
      severity: error                # default severity (a check may report a lower one, documented in `severity_note`)
      severity_note: "missing bottom banner: warning under NARA"   # optional
      checkable: full                # full | partial | none -- how far text extraction lets cuiscan check it
      check_note: "..."              # required unless checkable is full: what cuiscan cannot see
      summary: what the check looks for, in one or two sentences
      why: the rule in the source's words, shortened
      fix: how to correct a violation
      source: "32 CFR 2002.20(b); DODCUI Banner-Line"
      compliant: ["CUI"]
      non_compliant: ["header CUI, no footer"]

Detection rule packs (`rules/detection/`) are documented by their own loader; `cuiscan rules` shows both.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from cuiscan.errors import ConfigError
from cuiscan.records import Severity

# libyaml's parser when PyYAML was built with it: the rule files load about six times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
_REQUIRED = ("id", "title", "profile", "severity", "checkable", "summary", "why", "fix", "source",
             "compliant", "non_compliant")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    id: str
    title: str
    profile: str
    severity: Severity
    checkable: str
    summary: str
    why: str
    fix: str
    source: str
    compliant: tuple[str, ...]
    non_compliant: tuple[str, ...]
    check_note: str = ""
    severity_note: str = ""
    family_file: str = ""


def rules_dir() -> Path:
    """`rules/` beside the package (source checkout) or installed with it (shared data)."""
    if RULES_DIR.is_dir():
        return RULES_DIR
    import sys

    alt = Path(sys.prefix) / "share" / "cuiscan" / "rules"
    return alt if alt.is_dir() else RULES_DIR


@lru_cache(maxsize=4)
def load_rulebook(directory: str | None = None) -> dict[str, RuleDoc]:
    base = Path(directory) if directory else rules_dir() / "markings"
    book: dict[str, RuleDoc] = {}
    for path in sorted(base.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=YAML_LOADER) or {}
        for raw in data.get("rules", []):
            doc = _parse(raw, path.name)
            if doc.id in book:
                raise ConfigError(f"{path.name}: rule {doc.id} is defined twice")
            book[doc.id] = doc
    return book


def rule(rule_id: str) -> RuleDoc:
    try:
        return load_rulebook()[rule_id]
    except KeyError:
        raise ConfigError(f"unknown rule id: {rule_id}") from None


def _parse(raw: dict, file_name: str) -> RuleDoc:
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ConfigError(f"{file_name}: rule {raw.get('id', '?')} lacks {', '.join(missing)}")
    if raw["profile"] not in ("both", "dod", "nara"):
        raise ConfigError(f"{file_name}: rule {raw['id']}: profile must be both, dod or nara")
    if raw["checkable"] not in ("full", "partial", "none"):
        raise ConfigError(f"{file_name}: rule {raw['id']}: checkable must be full, partial or none")
    if raw["checkable"] != "full" and not raw.get("check_note"):
        raise ConfigError(f"{file_name}: rule {raw['id']}: a partial/none rule needs check_note")
    return RuleDoc(
        id=raw["id"],
        title=raw["title"],
        profile=raw["profile"],
        severity=Severity(raw["severity"]),
        checkable=raw["checkable"],
        summary=raw["summary"].strip(),
        why=raw["why"].strip(),
        fix=raw["fix"].strip(),
        source=raw["source"],
        compliant=tuple(raw["compliant"]),
        non_compliant=tuple(raw["non_compliant"]),
        check_note=raw.get("check_note", "").strip(),
        severity_note=raw.get("severity_note", "").strip(),
        family_file=file_name,
    )
