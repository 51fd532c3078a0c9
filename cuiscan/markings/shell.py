"""What people wrap a marking in, taken off before the line is parsed as a banner (issue 14).

Real documents rarely carry a bare `CUI` line. The marking sits behind a comment leader in source
code (`# CUI`, `// CUI`, `/* CUI */`, ` * CUI`, `-- CUI`, `; CUI`, `REM CUI`, `<!-- CUI -->`), inside
markdown decoration (`**CUI**`, `- CUI`, `> CUI`, `| CUI |`), behind a field label
(`**Classification:** CUI`, `- **Classification**: ...`, `classification: "CUI"` in front matter,
`| Classification | CUI |` in a table, `Marking: CUI`), or shares its line with other fields
(`CONTROLLED UNCLASSIFIED INFORMATION | Acme | 12 Feb 2024`, `Controlled Unclassified Information
Page 7`).

    pieces(line, edge) -> tuple[Piece, ...]   the texts to parse as a marking, each with how it was
                                              found; () when the line holds nothing but its own text
                                              (the caller has already parsed the line as it stands)

`edge` says the line sits where a banner goes (header, footer, first or last line): there any
decoration or extra field may surround the marking. Elsewhere in the body only a labelled field counts
(a `## CUI` heading or a `- CUI data ...` bullet in the middle of a text is not a marking).

A piece found behind a field label is `labelled`: the label says the value IS the document's marking,
so a value in mixed case ("For Official Use Only (FOUO)") counts as a marking there. Unlabelled
pieces must look like a marking on their own (the grammar decides).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Comment leaders and markdown line decoration, at the start / end of a line (repeated: `// * CUI`).
_LEAD = re.compile(r"^\s*(?:<!--|/\*+|//+|#+(?=\s|$)|\*+(?=\s)|--+(?=\s)|;+|REM(?=\s)|rem(?=\s)|>|[-+\u2022]"
                   r"(?=\s)|\|)\s*")
_TAIL = re.compile(r"\s*(?:-->|\*+/|\|)\s*$")
_EMPHASIS = re.compile(r"\*\*|__|`")
# Field labels that announce the document's marking; what follows the separator is the value.
_LABEL = re.compile(
    r"^(?P<label>(?:(?:overall|document|doc|security|page|banner)\s*)?"
    r"(?:classification|marking|classification\s+marking|cui\s+marking|banner|handling|control\s+marking|"
    r"dissemination))\s*(?:\*+\s*)?(?:[:=|]|\s-\s)\s*(?P<value>\S.*)$", re.IGNORECASE)
# Where a field value or a banner line carries more fields: separators people type between them.
_FIELDS = re.compile(r"\s*(?:\||\t+|\s{3,}|\s[-\u2013\u2014]\s|\u2022|\u00b7)\s*")
# A label inside a longer line: a Word paragraph of "Name: value" fields run together, so another
# "Name:" field comes first ("Version: 2.7 ... Reference: SSP v2.4 Classification: CUI"); a setting
# such as "Maximum Data Classification: ..." in a code sample has none before it.
_INLINE_LABEL = re.compile(r"^[A-Z][A-Za-z]+:\s.*?\s(?:Document\s+|Security\s+)?Classification:\s*(?P<value>\S.*)$")
_NEXT_LABEL = re.compile(r"\s+\S+:(?:\s|$)")   # where the next field starts: "... (CUI) Version: 2.4"
# a page number before or after the marking on the same line: "CUI Page 3 of 10", "Page 3 CUI"
_PAGE = re.compile(r"\s*(?:\bpage\s+\d+(?:\s+of\s+\d+)?|\b\d+\s+of\s+\d+)\s*$"
                   r"|^\s*(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s+of\s+\d+)\s+", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str          # what to parse as a marking
    labelled: bool     # found as the value of a field label ("Classification: ...")


def unbold(line: str) -> str:
    """The line without markdown emphasis and code marks (`**CUI**` -> `CUI`)."""
    return _EMPHASIS.sub("", line).strip()


def _strip(line: str) -> str:
    text = _EMPHASIS.sub("", line) if ("*" in line or "_" in line or "`" in line) else line
    for _ in range(3):
        new = _TAIL.sub("", _LEAD.sub("", text))
        if new == text:
            break
        text = new
    return text.strip().strip(_QUOTES).strip()


# Every marking the checks read holds one of these (legacy acronyms in capitals only: "files" is no LES)
_WORDS_LOWER = ("cui", "controlled", "classif", "marking", "official use", "sensitive", "limited",
                "unclassified", "fouo", "decisional", "deliberative", "proprietary", "authorized use", "//")
_WORDS_UPPER = ("SBU", "LES", "LIMDIS", "LOU", "OUO", "EXDIS", "NODIS")


def may_mark(line: str) -> bool:
    """Cheap test before any unwrapping: False when no marking word is in the line at all."""
    low = line.lower()
    for word in _WORDS_LOWER:
        if word in low:
            return True
    for word in _WORDS_UPPER:
        if word in line:
            return True
    return False


_FIELD_HINT = re.compile(r"(?i)(?:classification|marking|handling)[\s*_]*(?:[:=|]|-\s)")


def may_hold_field(text: str) -> bool:
    """Whole-block pre-test (one C-level search): every field label of _LABEL / _INLINE_LABEL matches."""
    return _FIELD_HINT.search(text) is not None


def _may_label(line: str) -> bool:
    """Cheap test before the label regex: every label holds one of these words."""
    low = line[:120].lower()
    return ("classification" in low or "marking" in low or "handling" in low) and \
        (":" in line or "|" in line or "=" in line or " - " in line)


def pieces(line: str, edge: bool = True) -> tuple[Piece, ...]:
    """The marking candidates of a line (see the module notes); () when there is nothing to unwrap.
    Where a value may run on into ordinary words, shorter readings follow the longer one: the caller
    takes the first piece that parses as a marking."""
    if not (_may_label(line) if not edge else may_mark(line)):
        return ()
    inner = _strip(line)
    if not inner:
        return ()
    labelled = ran_on = False
    m = _LABEL.match(inner) or (_INLINE_LABEL.search(inner) if len(inner) > 40 else None)
    if m:
        labelled = True
        value = m.group("value")
        cut = _NEXT_LABEL.search(value)
        ran_on = cut is not None
        inner = _strip(value[:cut.start()] if cut else value)
    elif not edge:
        return ()
    out: list[Piece] = []
    for part in _FIELDS.split(inner) if _FIELDS.search(inner) else (inner,):
        part = _PAGE.sub("", part).strip().strip(_QUOTES).strip(" ,;")
        if part:
            out.append(Piece(part, labelled))
    if not out:
        return ()
    if ran_on and " " in out[0].text:       # "... (CUI) Review" before "Period: ..."
        words = out[0].text.split(" ")
        out[1:1] = [Piece(" ".join(words[:-k]), True) for k in (1, 2) if len(words) > k]
    if len(out) == 1 and out[0].text == line.strip() and not labelled:
        return ()
    return tuple(out)
