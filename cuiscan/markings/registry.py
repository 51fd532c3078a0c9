"""The CUI Registry as data: categories (marking, Basic/Specified, index grouping) and LDCs.

Loaded from `rules/cui-registry.yaml` (or any newer file of the same schema passed by path), validated
once and cached per (path, mtime) so a replaced file is picked up without a restart or code change.
A malformed file raises ConfigError naming the entry, never a KeyError deep inside a check.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cuiscan.errors import ConfigError
from cuiscan.rulebook import YAML_LOADER, rules_dir

_TRI_STATE = {True: True, False: False, "unverified": None, None: None}
# libyaml's safe loader when PyYAML was built with it: the same documents, several times faster


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    marking: str | None           # banner/portion token without SP-; None = no marking (Provisional)
    basic: bool | None            # Registry lists a Basic authority; None = unverified
    specified: bool | None        # Registry lists a Specified authority; None = unverified
    index_grouping: str = ""
    dod_index_grouping: str = ""


@dataclass(frozen=True, slots=True)
class Ldc:
    code: str                     # "NOFORN", "REL TO", "Attorney-Client"
    name: str
    banner: str                   # banner form; lists shown as "REL TO USA, <LIST>"
    portion: str                  # portion form ("NF", "AC")
    takes_list: bool              # REL TO / DISPLAY ONLY carry a country list


@dataclass(frozen=True, slots=True)
class Registry:
    schema_version: int
    categories: tuple[Category, ...]
    ldcs: tuple[Ldc, ...]
    supplemental: frozenset[str]
    control_banner: tuple[str, ...] = ("CUI", "CONTROLLED")
    source: str = ""
    by_marking: dict[str, Category] = field(default_factory=dict, compare=False)
    by_name: dict[str, Category] = field(default_factory=dict, compare=False)

    def category(self, token: str) -> Category | None:
        """Category by marking (case-insensitive, `SP-` stripped) or by full name."""
        key = token.strip().upper()
        if key.startswith("SP-"):
            key = key[3:]
        return self.by_marking.get(key) or self.by_name.get(key)


def default_path() -> Path:
    return rules_dir() / "cui-registry.yaml"


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    """The registry at `path` (default `rules/cui-registry.yaml`), re-read when the file changes."""
    p = str(Path(path)) if path else _default_file()
    try:
        mtime = os.stat(p).st_mtime_ns
    except OSError as exc:
        _default_file.cache_clear()   # the rules directory may have moved: look for it again next time
        raise ConfigError(f"CUI registry {p} cannot be read: {exc.strerror}") from None
    return _load(p, mtime)


@lru_cache(maxsize=1)
def _default_file() -> str:
    """Where the default registry is: found once (a scan asks for every file); its mtime is still
    checked on every call."""
    return str(default_path())


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> Registry:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"CUI registry {path} is not valid YAML: {exc}") from None
    return parse_registry(data, source=path)


def parse_registry(data: object, source: str = "<data>") -> Registry:
    if not isinstance(data, dict):
        raise ConfigError(f"CUI registry {source}: top level must be a mapping")
    version = data.get("schema_version")
    if version != 1:
        raise ConfigError(f"CUI registry {source}: schema_version {version!r} is not supported (expected 1)")
    cats = tuple(_category(raw, i, source) for i, raw in enumerate(_list(data, "categories", source)))
    ldcs = tuple(_ldc(raw, i, source) for i, raw in enumerate(_list(data, "limited_dissemination_controls", source)))
    by_marking: dict[str, Category] = {}
    by_name: dict[str, Category] = {}
    for cat in cats:
        if cat.marking:
            if cat.marking.upper() in by_marking:
                raise ConfigError(f"CUI registry {source}: category marking {cat.marking} appears twice")
            by_marking[cat.marking.upper()] = cat
        by_name.setdefault(cat.name.upper(), cat)
    supp = data.get("supplemental_administrative_markings") or {}
    supplemental = frozenset(str(s).upper() for key in ("examples_cfr", "niem6_codes")
                             for s in (supp.get(key) or []))
    control = tuple((data.get("control_markings") or {}).get("banner") or ("CUI", "CONTROLLED"))
    return Registry(schema_version=1, categories=cats, ldcs=ldcs, supplemental=supplemental,
                    control_banner=control, source=source, by_marking=by_marking, by_name=by_name)


def _list(data: dict, key: str, source: str) -> list:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise ConfigError(f"CUI registry {source}: '{key}' must be a non-empty list")
    return value


def _category(raw: object, i: int, source: str) -> Category:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise ConfigError(f"CUI registry {source}: categories[{i}] needs a 'name'")
    where = f"CUI registry {source}: category {raw['name']!r}"
    marking = raw.get("marking")
    if marking is not None and (not isinstance(marking, str) or not marking.strip()
                                or marking.upper().startswith("SP-") or "/" in marking):
        raise ConfigError(f"{where}: marking must be a token without SP- or '/', not {marking!r}")
    for key in ("basic", "specified"):
        if raw.get(key) not in _TRI_STATE:
            raise ConfigError(f"{where}: {key} must be true, false or 'unverified'")
    return Category(name=raw["name"], marking=marking, basic=_TRI_STATE[raw.get("basic")],
                    specified=_TRI_STATE[raw.get("specified")],
                    index_grouping=str(raw.get("index_grouping") or ""),
                    dod_index_grouping=str(raw.get("dod_index_grouping") or ""))


def _ldc(raw: object, i: int, source: str) -> Ldc:
    if not isinstance(raw, dict):
        raise ConfigError(f"CUI registry {source}: limited_dissemination_controls[{i}] must be a mapping")
    for key in ("code", "banner_marking", "portion_marking"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"CUI registry {source}: LDC {raw.get('code', i)!r} needs '{key}'")
    return Ldc(code=raw["code"], name=str(raw.get("name") or raw["code"]), banner=raw["banner_marking"],
               portion=raw["portion_marking"], takes_list="<LIST>" in raw["banner_marking"])
