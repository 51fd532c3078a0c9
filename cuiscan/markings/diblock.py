"""Designation-indicator lines: `Controlled by:`, `CUI Category:`, `Distribution/Dissemination Control:`,
`POC:`, `Decontrol On:` (rule book DI-001..005, DECON-001) with the label variants seen in practice.

A line is a DI line only when it STARTS with a label followed by a colon and a value, so prose such as
"the block names who controls it" is never one. Bare `Category:` / `LDC:` lines count only inside a
block that also has a `Controlled by:` or `CUI Category:` line (decided by the DocView grouping).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LABELS = (
    ("controlled_by", r"Controlled\s+by"),
    ("category", r"CUI\s+Categor(?:y|ies)|Categor(?:y|ies)"),
    ("dissem", r"Distribution\s*/\s*Dissemination\s+Controls?|Limited\s+Dissemination(?:\s+Controls?)?"
               r"|Dissemination\s+Controls?|LDC\s*/\s*Distribution\s+Statement|LDCs?|Distribution\s+Statement"),
    ("poc", r"POC|Point\s+of\s+Contact"),
    ("decontrol", r"Decontrol(?:led)?\s+(?:On|Date)"),
)
# Comment leaders and markdown decoration a DI line may stand behind in source code and plain text
# (`# Controlled by: ...`, ` * CUI Category: CTI`, `- **POC:** ...`, `<!-- POC: ... -->`)
_LEAD = r"(?:(?:<!--|/\*+|//+|#+|\*+|--+|;+|REM\b|>|[-\u2022])\s*)?(?:\*\*|__)?\s*"
_DI = re.compile(r"^\s*" + _LEAD + r"(?P<pm>\((?:U|CUI)[^)\n]{0,40}\)\s*)?(?:"
                 + "|".join(f"(?P<{k}>{p})" for k, p in _LABELS)
                 + r")(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<value>\S.*?)?\s*(?:\*+/|-->)?\s*$", re.IGNORECASE)
_PREFILTER = re.compile(r"(?im)^\s*" + _LEAD + r"(?:\([A-Z/ -]{1,40}\)\s*)?(?:controlled|cui\s+categ|categor|distribution|"
                        r"dissemination|limited|ldc|poc|point\s+of|decontrol)")
WEAK_LABELS = ("Category", "Categories", "LDC", "LDCs")
_LETTER = re.compile(r"^(?:dist(?:ribution)?\.?\s*(?:statement\s*)?)?(?P<letter>[A-FX])\b\.?", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:[,;]|\band\b)\s*")


@dataclass(frozen=True, slots=True)
class DILine:
    kind: str            # controlled_by | category | dissem | poc | decontrol
    label: str           # as written ("Controlled By", "CUI Categories")
    value: str           # text after the colon ("" when the line is a bare label)
    value_start: int     # offset of value in the line
    portion_marked: bool  # the line starts with (U) / (CUI) (PORTION-007)

    @property
    def weak(self) -> bool:
        return self.label in WEAK_LABELS or self.label.upper() in ("CATEGORY", "CATEGORIES", "LDC", "LDCS")


def may_hold_di(text: str) -> bool:
    """Cheap pre-filter for a whole block before line-by-line parsing."""
    return ":" in text and _PREFILTER.search(text) is not None


def parse_di_line(line: str) -> DILine | None:
    if ":" not in line or len(line) > 300:
        return None
    m = _DI.match(line)
    if not m:
        return None
    kind = next(k for k, _ in _LABELS if m.group(k))
    value = m.group("value") or ""
    return DILine(kind=kind, label=m.group(kind), value=value,
                  value_start=m.start("value") if m.group("value") else len(line),
                  portion_marked=bool(m.group("pm")))


def split_values(value: str) -> list[tuple[str, int]]:
    """'CTI, EXPT and PRVCY' -> [('CTI', 0), ('EXPT', 5), ('PRVCY', 14)]."""
    out, pos = [], 0
    for m in _SPLIT.finditer(value):
        out.append((value[pos:m.start()], pos))
        pos = m.end()
    out.append((value[pos:], pos))
    return [(t.strip().rstrip("."), s + len(t) - len(t.lstrip())) for t, s in out if t.strip().rstrip(".")]


def distribution_letter(value: str) -> str | None:
    """`D`, `Distribution Statement D`, `DIST C` -> the statement letter; LDC text -> None."""
    m = _LETTER.match(value.strip())
    if not m:
        return None
    rest = value.strip()[m.end():].strip()
    return m.group("letter").upper() if not rest or rest[0] in ".;,(-" or rest.lower().startswith(("distribution", "approved")) else None
