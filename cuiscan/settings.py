"""One frozen Settings object, built from cuiscan.toml and command-line overrides, passed explicitly.

Precedence: defaults < config file < command line. Unknown keys in the config file are an error
(a typo must not silently turn a check off).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from cuiscan.errors import ConfigError

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
    suppressions: tuple[dict, ...] = ()           # [[suppress]] entries of the config file
    agency_requires_basic_categories: bool = False  # BANNER-007 policy flag (NARA)

    def with_overrides(self, **overrides) -> "Settings":
        clean = {k: v for k, v in overrides.items() if v is not None}
        result = replace(self, **clean)
        result.validate()
        return result

    def validate(self) -> None:
        if self.profile not in PROFILES:
            raise ConfigError(f"profile must be one of {', '.join(PROFILES)}, not {self.profile!r}")
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {self.fail_on!r}")
        if self.jobs < 1:
            raise ConfigError(f"jobs must be at least 1, not {self.jobs}")
        if self.pdf_backend not in ("auto", "pdfium", "pypdf"):
            raise ConfigError(f"pdf_backend must be auto, pdfium or pypdf, not {self.pdf_backend!r}")
        if self.ocr not in OCR_MODES:
            raise ConfigError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")


_LIMIT_KEYS = {f.name for f in fields(Limits)}
_TOP_KEYS = {
    "profile", "include", "exclude", "follow_symlinks", "jobs", "fail_on", "show_evidence", "db",
    "pdf_backend", "ocr", "detect_threshold", "derivative_min_words", "derivative_min_share",
    "agency_requires_basic_categories",
}


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
    return settings_from_mapping(raw, source=str(path))


def settings_from_mapping(raw: dict, source: str = "config") -> Settings:
    raw = dict(raw)
    zones = tuple(_zone(z, i, source) for i, z in enumerate(raw.pop("zone", []), 1))
    limits_raw = raw.pop("limits", {})
    suppressions = tuple(raw.pop("suppress", []))
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s): {', '.join(sorted(unknown))}")
    bad_limits = set(limits_raw) - _LIMIT_KEYS
    if bad_limits:
        raise ConfigError(f"{source}: unknown [limits] key(s): {', '.join(sorted(bad_limits))}")
    for key in ("include", "exclude"):
        if key in raw:
            raw[key] = tuple(raw[key])
    try:
        settings = Settings(zones=zones, limits=Limits(**limits_raw), suppressions=suppressions, **raw)
    except TypeError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    settings.validate()
    return settings


def _zone(raw: dict, index: int, source: str) -> ZoneConfig:
    try:
        name = str(raw["name"])
        paths = raw["paths"]
    except (KeyError, TypeError):
        raise ConfigError(f"{source}: [[zone]] #{index} needs 'name' and 'paths'") from None
    if isinstance(paths, str) or not paths:
        raise ConfigError(f"{source}: [[zone]] {name!r}: 'paths' must be a non-empty list of patterns")
    extra = set(raw) - {"name", "paths", "allows_cui"}
    if extra:
        raise ConfigError(f"{source}: [[zone]] {name!r}: unknown key(s): {', '.join(sorted(extra))}")
    return ZoneConfig(name=name, paths=tuple(str(p) for p in paths), allows_cui=bool(raw.get("allows_cui", False)))
