"""The configuration's typed schema: every key's type, range and allowed values, in one table.

The same checks serve the config file, the environment and the command line, so a bad value is
refused the same way wherever it comes from: one line naming the key, the value and what is
allowed (exit 2). A value that cannot be honoured is never coerced into something that silently
turns a check off.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

from cuiscan.errors import ConfigError

_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2,
               "mib": 1024**2, "g": 1024**3, "gb": 1024**3, "gib": 1024**3, "t": 1024**4, "tb": 1024**4,
               "tib": 1024**4}
_DURATION_UNITS = {"": 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
_NUMBER_UNIT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


@dataclass(frozen=True, slots=True)
class Key:
    """One configuration key: how to read a raw value, and what to say when it is wrong."""
    convert: Callable[[Any], Any]
    allowed: str


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check(key: str, spec: Key, value: Any) -> Any:
    try:
        return spec.convert(value)
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{key} = {_show(value)} is not allowed: expected {spec.allowed}") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def boolean() -> Key:
    def convert(value):
        if not isinstance(value, bool):
            raise TypeError
        return value
    return Key(convert, "true or false")


def integer(low: int, high: int | None = None) -> Key:
    def convert(value):
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
            raise ValueError
        return value
    return Key(convert, f"a whole number from {low}" + (f" to {high}" if high is not None else " up"))


def number(low: float, high: float | None = None, *, low_open: bool = False) -> Key:
    def convert(value):
        if not _is_number(value) or math.isnan(value) or (value <= low if low_open else value < low) \
                or (high is not None and value > high):
            raise ValueError
        return float(value)
    bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
    return Key(convert, f"a number {bound}" + (f" and at most {high:g}" if high is not None else ""))


def choice(*options: str) -> Key:
    def convert(value):
        if value not in options:
            raise ValueError
        return value
    return Key(convert, "one of " + ", ".join(options))


def text() -> Key:
    def convert(value):
        if not isinstance(value, str) or not value:
            raise ValueError
        return value
    return Key(convert, "a non-empty string")


def patterns() -> Key:
    """A list of glob strings; a lone string is refused because it once meant 'scan nothing'."""
    def convert(value):
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise TypeError
        if not all(isinstance(item, str) and item for item in value):
            raise ValueError
        return tuple(value)
    return Key(convert, 'a list of glob patterns, e.g. ["*.iso", "**/tmp/"]')


def _with_unit(value: Any, units: dict[str, int]) -> float:
    if _is_number(value):
        return float(value)
    if not isinstance(value, str):
        raise TypeError
    match = _NUMBER_UNIT.fullmatch(value)
    if not match or match.group(2).lower() not in units:
        raise ValueError
    return float(match.group(1)) * units[match.group(2).lower()]


def size(minimum: int) -> Key:
    """Bytes as a number or a human size ("512M", "2G"); binary units."""
    def convert(value):
        result = _with_unit(value, _SIZE_UNITS)
        if math.isnan(result) or result < minimum or result != int(result):
            raise ValueError
        return int(result)
    return Key(convert, f'bytes as a number or a size like "512M" or "2G", at least {minimum:,}')


def duration(minimum: float) -> Key:
    """Seconds as a number or a human duration ("90s", "2m")."""
    def convert(value):
        result = _with_unit(value, _DURATION_UNITS)
        if math.isnan(result) or result < minimum:
            raise ValueError
        return result
    return Key(convert, f'seconds as a number or a duration like "90s" or "2m", at least {minimum:g}')
