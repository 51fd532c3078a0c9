"""One frozen Settings object, built from cuiscan.toml and command-line overrides, passed explicitly.

Precedence: defaults < config file < command line. Unknown keys in the config file are an error
(a typo must not silently turn a check off).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from cuiscan.config_schema import boolean, check, choice, duration, integer, number, patterns, size, text
from cuiscan.errors import ConfigError
from cuiscan.zone_patterns import anchor_pattern

PROFILES = ("dod", "nara")
FAIL_ON = ("critical", "error", "warning", "info", "never")
OCR_MODES = ("auto", "off", "force")


@dataclass(frozen=True, slots=True)
class ZoneConfig:
    name: str
    paths: tuple[str, ...]
    allows_cui: bool


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_size: int = 512 * 1024 * 1024       # bytes; larger files are skipped with a reason
    timeout: float = 120.0                        # seconds per file before the worker is killed
    archive_depth: int = 5                        # containers inside containers
    archive_members: int = 10_000                 # members per archive
    archive_total: int = 1024 * 1024 * 1024       # uncompressed bytes per archive
    archive_ratio: float = 200.0                  # uncompressed / compressed, per member
    member_size: int = 256 * 1024 * 1024          # one member's uncompressed size
    max_text: int = 50 * 1024 * 1024              # characters of text kept per document
    max_pages: int = 5000                         # pdf pages / slides read per document
    max_blocks: int = 250_000                     # runs of text (lines, rows, paragraphs) per file, members included
    worker_memory: int = 2 * 1024 * 1024 * 1024   # address-space cap per worker, where the OS allows
    # OCR per file, members included: below `timeout`, so a long scan ends with the pages it read
    # and a note of the rest instead of being killed with nothing.
    ocr_pages: int = 100                          # pages and images OCRed per file
    ocr_seconds: float = 60.0                     # seconds of OCR per file


@dataclass(frozen=True, slots=True)
class Settings:
    profile: str = "dod"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    fail_on: str = "error"
    show_evidence: bool = False
    db: str | None = None
    zones: tuple[ZoneConfig, ...] = ()
    limits: Limits = field(default_factory=Limits)
    pdf_backend: str = "auto"                     # auto | pdfium | pypdf
    ocr: str = "auto"                             # auto: pages and images without text | off | force: every page
    detect_threshold: float = 0.5                 # DETECT-001 document score threshold
    derivative_min_words: int = 40                # shortest matching passage for DERIV-001
    derivative_min_share: float = 0.5             # or this share of the source / file
    derivative_common_docs: int = 5               # unmarked documents sharing a passage make it common text (0: off)
    suppressions: tuple[dict, ...] = ()           # [[suppress]] entries of the config file
    agency_requires_basic_categories: bool = False  # BANNER-007 policy flag (NARA)
    location_profiles: bool = True                # folders' cuiscan.toml set their files' profile (off: --profile given)

    def with_overrides(self, **overrides) -> "Settings":
        """Command-line values, checked by the same schema as the config file."""
        clean = {k: check("--" + k.replace("_", "-"), TOP_KEYS[k], v) for k, v in overrides.items() if v is not None}
        return replace(self, **clean)


TOP_KEYS = {
    "profile": choice(*PROFILES),
    "include": patterns(),
    "exclude": patterns(),
    "follow_symlinks": boolean(),
    "jobs": integer(1, 1024),
    "fail_on": choice(*FAIL_ON),
    "show_evidence": boolean(),
    "db": text(),
    "pdf_backend": choice("auto", "pdfium", "pypdf"),
    "ocr": choice(*OCR_MODES),
    "detect_threshold": number(0.0, 1.0, low_open=True),
    "derivative_min_words": integer(5, 100_000),
    "derivative_min_share": number(0.0, 1.0, low_open=True),
    "derivative_common_docs": integer(0, 100_000),
    "agency_requires_basic_categories": boolean(),
}
LIMIT_KEYS = {
    "max_file_size": size(1),
    "timeout": duration(1),
    "archive_depth": integer(0, 64),
    "archive_members": integer(1),
    "archive_total": size(1),
    "archive_ratio": number(1.0),
    "member_size": size(1),
    "max_text": integer(1),
    "max_pages": integer(1),
    "max_blocks": integer(1),
    "worker_memory": size(256 * 1024 * 1024),
    "ocr_pages": integer(0),
    "ocr_seconds": duration(1),
}
assert set(LIMIT_KEYS) == {f.name for f in fields(Limits)}


def load_settings(config: str | os.PathLike | None = None) -> Settings:
    """Read `config`, or ./cuiscan.toml when it exists, into Settings."""
    if config is None:
        default = Path("cuiscan.toml")
        if not default.is_file():
            return Settings()
        config = default
    path = Path(config)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return settings_from_mapping(raw, source=str(path), source_is_file=True)


def settings_from_mapping(raw: dict, source: str = "config", source_is_file: bool = False) -> Settings:
    """Check every key against the schema; the first bad one ends the load with one line."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a table of settings")
    raw = dict(raw)
    base = str(Path(source).resolve().parent) if source_is_file else None
    zones = tuple(_zone(z, i, source, base)
                  for i, z in enumerate(_table_list(raw.pop("zone", []), "zone", source), 1))
    suppressions = tuple(_table_list(raw.pop("suppress", []), "suppress", source))
    limits_raw = raw.pop("limits", {})
    if not isinstance(limits_raw, dict):
        raise ConfigError(f"{source}: limits = {limits_raw!r} is not allowed: expected a [limits] table")
    _refuse_unknown(raw, TOP_KEYS, "", source)
    _refuse_unknown(limits_raw, LIMIT_KEYS, "[limits] ", source)
    try:
        values = {key: check(key, TOP_KEYS[key], value) for key, value in raw.items()}
        limits = Limits(**{key: check(f"limits.{key}", LIMIT_KEYS[key], value) for key, value in limits_raw.items()})
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    return Settings(zones=zones, limits=limits, suppressions=suppressions, **values)


def _refuse_unknown(raw: dict, known: dict, prefix: str, source: str) -> None:
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(f"{source}: unknown {prefix}key(s): {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(known))})")


def _table_list(value, name: str, source: str) -> list:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{source}: {name} must be written as [[{name}]] tables")
    return value


def _zone(raw: dict, index: int, source: str, base: str | None = None) -> ZoneConfig:
    try:
        name = str(raw["name"])
        paths = raw["paths"]
    except (KeyError, TypeError):
        raise ConfigError(f"{source}: [[zone]] #{index} needs 'name' and 'paths'") from None
    extra = set(raw) - {"name", "paths", "allows_cui"}
    if extra:
        raise ConfigError(f"{source}: [[zone]] {name!r}: unknown key(s): {', '.join(sorted(extra))}")
    try:
        paths = tuple(anchor_pattern(p, base) for p in check("paths", patterns(), paths))
        allows_cui = check("allows_cui", boolean(), raw.get("allows_cui", False))
    except ConfigError as exc:
        raise ConfigError(f"{source}: [[zone]] {name!r}: {exc}") from None
    if not paths:
        raise ConfigError(f"{source}: [[zone]] {name!r}: 'paths' must be a non-empty list of patterns")
    return ZoneConfig(name=name, paths=paths, allows_cui=allows_cui)
