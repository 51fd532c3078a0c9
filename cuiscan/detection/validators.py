"""Named validators a rule can call on what its pattern matched.

A validator takes the matched value (the regex group `v` if the pattern has one, else the whole
match) and returns a score factor: 1.0 for a well-formed value, less than 1.0 for a valid but weak
one (EAR99), or None to reject the match. They check format facts only; none of them looks anything up.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

_DIGITS = re.compile(r"\d")
# Numbers the SSA voided or reserved for advertising: they circulate in examples, not in records.
_SSN_KNOWN_FAKE = frozenset({"078051120", "219099999", "123456789"})


def ssn(value: str) -> float | None:
    """Social Security number: SSA never issues area 000, 666 or 900-999, group 00, serial 0000."""
    digits = "".join(_DIGITS.findall(value))
    if len(digits) != 9:
        return None
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if area == 0 or area == 666 or area >= 900 or group == 0 or serial == 0:
        return None
    if digits in _SSN_KNOWN_FAKE or len(set(digits)) == 1:
        return None
    return 1.0


def edipi(value: str) -> float | None:
    """DoD ID (EDIPI): ten digits; runs of one digit and counting sequences are placeholders."""
    digits = "".join(_DIGITS.findall(value))
    if len(digits) != 10 or len(set(digits)) == 1 or digits in ("0123456789", "1234567890"):
        return None
    return 1.0


_ECCN = re.compile(r"^([0-9])([A-E])([0-9])([0-9]{2})((?:\.[a-z0-9]+)*)$")


def eccn(value: str) -> float | None:
    """Export Control Classification Number (category 0-9, group A-E, regime digit); EAR99 scores low."""
    text = value.strip()
    if text.upper() == "EAR99":
        return 0.3   # subject to the EAR but the lowest level of control
    m = _ECCN.match(text)
    if not m:
        return None
    if m.group(3) not in "0123569":   # regime reason digit: 4, 7, 8 are not used
        return None
    return 1.0


_ROMAN = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
    "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18,
    "XIX": 19, "XX": 20, "XXI": 21,
}


def usml_category(value: str) -> float | None:
    """U.S. Munitions List category: Roman numeral I to XXI (22 CFR 121.1)."""
    return 1.0 if value.strip().upper() in _ROMAN else None


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_WORD_DATE = re.compile(r"^(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})|([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}))$")


def birth_date(value: str) -> float | None:
    """A real calendar date a living person could be born on (1900 .. today)."""
    parsed = _parse_date(value.strip())
    if parsed is None or not (date(1900, 1, 1) <= parsed <= date.today()):
        return None
    return 1.0


def _parse_date(text: str) -> date | None:
    m = _NUMERIC_DATE.match(text)
    try:
        if m:
            a, b, c = m.groups()
            if len(a) == 4:                       # ISO: yyyy-mm-dd
                return date(int(a), int(b), int(c))
            if len(c) != 4:
                return None
            return date(int(c), int(a), int(b))   # US order: mm/dd/yyyy
        m = _WORD_DATE.match(text)
        if not m:
            return None
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(4), m.group(5), m.group(6)
        month_no = _MONTHS.get(month[:3].lower())
        return date(int(year), month_no, int(day)) if month_no else None
    except ValueError:
        return None


_PIID = re.compile(r"^[A-Z][A-Z0-9]{5}\d{2}[A-HJ-NP-Y][A-HJ-NP-Z0-9]{4}$")


def piid(value: str) -> float | None:
    """DoD procurement instrument identifier (DFARS 204.16): DoDAAC(6) + FY(2) + type letter + serial(4)."""
    compact = value.replace("-", "").replace(" ", "").upper()
    return 1.0 if _PIID.match(compact) else None


def cage(value: str) -> float | None:
    """CAGE code: five characters, letters and digits, never I or O, at least one digit."""
    code = value.strip().upper()
    if len(code) != 5 or not code.isalnum() or "I" in code or "O" in code:
        return None
    return 1.0 if any(c.isdigit() for c in code) else None


def uei(value: str) -> float | None:
    """SAM Unique Entity ID: 12 characters, no I or O, not starting with 0, no nine digits in a row."""
    code = value.strip().upper()
    if len(code) != 12 or not code.isalnum() or "I" in code or "O" in code or code[0] == "0":
        return None
    if re.search(r"\d{9}", code) or not any(c.isalpha() for c in code):
        return None
    return 1.0


def nsn(value: str) -> float | None:
    """National Stock Number: FSC (4 digits, group 10-99) + NIIN (9 digits)."""
    digits = "".join(_DIGITS.findall(value))
    if len(digits) != 13 or int(digits[:2]) < 10 or len(set(digits[6:])) == 1:
        return None
    return 1.0


VALIDATORS: dict[str, Callable[[str], float | None]] = {
    "ssn": ssn,
    "edipi": edipi,
    "eccn": eccn,
    "usml_category": usml_category,
    "birth_date": birth_date,
    "piid": piid,
    "cage": cage,
    "uei": uei,
    "nsn": nsn,
}
