"""Fixed-wording statements that travel beside CUI markings, recognised by shape, not by keyword.

Distribution statements (DoDI 5230.24), the DoD export-control warning, the destruction notice,
transmittal removal statements and document dates. Each recogniser looks for the statement where an
author writes it: a paragraph that STARTS with the label or the fixed wording. A sentence that talks
about "Distribution Statement D" or "the export warning" is prose and is not recognised: text about
a marking is not a marking.
"""
from __future__ import annotations

import datetime as dt
import re

# Fixed wording per letter (DIST-SRC); several spellings are in real use.
WORDING: dict[str, tuple[re.Pattern, ...]] = {
    "A": (re.compile(r"approved\s+for\s+public\s+release\W+(?:\w+\W+){0,2}?distribution\s+(?:is\s+)?unlimited", re.I),),
    "B": (re.compile(r"distribution\s+authorized\s+to\s+U\.?\s?S\.?\s+Government\s+agencies\s+only", re.I),),
    "C": (re.compile(r"distribution\s+authorized\s+to\s+U\.?\s?S\.?\s+Government\s+agencies\s+and\s+their\s+contractors", re.I),),
    "D": (re.compile(r"distribution\s+authorized\s+to\s+(?:the\s+)?(?:Department\s+of\s+Defense|DoD)\s+and\s+U\.?\s?S\.?\s+DoD\s+contractors\s+only", re.I),),
    "E": (re.compile(r"distribution\s+authorized\s+to\s+DoD\s+Components\s+only", re.I),),
    "F": (re.compile(r"further\s+dissemination\s+only\s+as\s+directed\s+by", re.I),),
    "X": (re.compile(r"distribution\s+authorized\s+to\s+U\.?\s?S\.?\s+Government\s+agencies\s+and\s+private\s+individuals", re.I),),
}
# "DISTRIBUTION STATEMENT D." / "Distribution Statement D:" / "DISTRIBUTION STATEMENT D" (end of line);
# "Distribution Statement D limits release ..." (a sentence) does not match: a label ends the clause.
_LABEL = re.compile(r"^\s*(?P<label>DISTRIBUTION\s+STATEMENT|Distribution\s+Statement)\s+(?P<letter>[A-Z])\b"
                    r"(?P<after>\s*(?:[.:;,\u2013\u2014-]|$))")
_CUSTOM = re.compile(r"^\s*Distribution\s+(?:limited|restricted)\s+to\b", re.I)
_REFERRAL = re.compile(r"(?:other\s+)?requests\s+(?:for\s+this\s+(?:document|information)\s+)?shall\s+be\s+referred\s+to\s+\S", re.I)
_F_OFFICE = re.compile(r"further\s+dissemination\s+only\s+as\s+directed\s+by\s+(?!\W*(?:or\s+higher|\.|$))\S", re.I)
REASONS = ("administrative or operational use", "contractor performance evaluation", "critical technology",
           "direct military support", "export controlled", "foreign government information",
           "operations security", "premature dissemination", "proprietary information",
           "test and evaluation", "software documentation", "specific authority", "vulnerability information")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                         "nov", "dec"), 1)}
_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATES = (
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MON + r"\s+(?P<year>(?:19|20)\d{2})\b", re.I),
    re.compile(r"\b" + _MON + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)

EXPORT_TOKENS = ("export is restricted by the arms export control act", "export administration act of 1979",
                 "severe criminal penalties", "dod directive 5230.25")
_EXPORT_HEAD = re.compile(r"^\s*WARNING\b\s*[-:\u2013\u2014]?\s*", re.I)
_EXPORT_BODY = re.compile(r"arms\s+export\s+control\s+act|export\s+administration\s+act|export[\s-]+controlled", re.I)
_EXPORT_CORE = re.compile(r"whose\s+export\s+is\s+restricted\s+by\s+the\s+arms\s+export\s+control\s+act", re.I)
_DESTRUCTION = re.compile(r"destroy\s+by\s+any\s+method\s+that\s+will\s+prevent\s+disclosure\s+of\s+(?:the\s+)?contents"
                          r"\s+or\s+reconstruction\s+of\s+the\s+document", re.I)
_ITAR_EAR = re.compile(r"\bInternational\s+Traffic\s+in\s+Arms\s+Regulations\b|\bITAR\b|\b22\s+CFR\s+(?:Parts?\s+)?1[23]\d\b"
                       r"|\bUSML\s+Category\s+[IVXL]+\b|\bExport\s+Administration\s+Regulations\b"
                       r"|\b15\s+CFR\s+(?:Parts?\s+)?7[3-7]\d\b|\bECCN\s*:?\s*\d[A-E]\d{3}\b")
_EAR99 = re.compile(r"\bEAR99\b")
# 32 CFR 2002.20(j): "When enclosure is removed, this document is Uncontrolled Unclassified Information"
_REMOVAL = re.compile(r"(?:when|upon|after)\s+(?:the\s+)?(?:removal\s+of\s+(?:the\s+)?)?(?:enclosures?|attachments?)"
                      r"(?:\s*\(s\))?\s*(?:(?:is|are)\s+removed)?[^.]{0,60}?\b(?:uncontrolled\s+unclassified\s+information|"
                      r"uncontrolled\b|(?:is|becomes)\s+CUI\b)", re.I)
_CLASSIFIED_LEVEL_AFTER = re.compile(r"\b(?:TOP\s+SECRET|SECRET|CONFIDENTIAL)\b")


def parse_statement_start(text: str) -> tuple[str, bool] | None:
    """(letter, labelled) if this paragraph starts a distribution statement, else None."""
    m = _LABEL.match(text)
    if m:
        label = m.group("label")
        # "Distribution Statement D" in title case with no punctuation after it reads as a heading or a
        # sentence start; accept it only when the fixed wording follows.
        if label.isupper() or m.group("after").strip():
            return m.group("letter"), True
        rest = text[m.end():]
        return (m.group("letter"), True) if wording_letter(rest) else None
    head = text.lstrip()[:160]
    for letter, patterns in WORDING.items():
        for pat in patterns:
            hit = pat.match(head)
            if hit:
                return letter, False
    return None


def wording_letter(text: str) -> str | None:
    """Letter whose fixed wording appears in `text` (first match in A..X order of position)."""
    best: tuple[int, str] | None = None
    for letter, patterns in WORDING.items():
        for pat in patterns:
            hit = pat.search(text)
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), letter)
    return best[1] if best else None


def is_custom_distribution(text: str) -> bool:
    return bool(_CUSTOM.match(text))


def missing_parts(letter: str, text: str) -> list[str]:
    """What a restricted statement lacks (DIST-002): reason, date, controlling office."""
    low = " ".join(text.lower().split())
    missing = []
    if letter in "BCDE":
        if not any(reason in low for reason in REASONS):
            missing.append("a reason from the DoDI 5230.24 list")
        if parse_date(text) is None:
            missing.append("the date of determination")
        if not _REFERRAL.search(text):
            missing.append("the referral to the controlling DoD office")
    elif letter == "F":
        if not _F_OFFICE.search(text):
            missing.append("the controlling DoD office")
        if parse_date(text) is None:
            missing.append("the date of determination")
    return missing


def parse_date(text: str) -> dt.date | None:
    """First date written in a common form (14 March 2024, March 14, 2024, 2024-03-14)."""
    found: list[tuple[int, dt.date]] = []
    for pat in _DATES:
        for m in pat.finditer(text):
            try:
                month = int(m.group("mnum")) if "mnum" in pat.groupindex else _MONTHS[m.group("mon")[:3].lower()]
                found.append((m.start(), dt.date(int(m.group("year")), month, int(m.group("day")))))
            except (ValueError, KeyError):
                continue
    return min(found)[1] if found else None


def is_export_warning(text: str) -> bool:
    """The standard DoD export-control WARNING paragraph (not a sentence about it)."""
    if _EXPORT_CORE.search(text):
        return True
    head = _EXPORT_HEAD.match(text)
    return bool(head) and text.lstrip()[:7].isupper() and bool(_EXPORT_BODY.search(text))


def export_warning_gaps(text: str) -> list[str]:
    low = " ".join(text.lower().split())
    return [token for token in ("severe criminal penalties", "5230.25") if token not in low]


def is_destruction_notice(text: str) -> bool:
    return bool(_DESTRUCTION.search(text))


def itar_ear_hits(text: str) -> tuple[bool, bool]:
    """(strong ITAR/EAR phrase present, EAR99 present)."""
    return bool(_ITAR_EAR.search(text)), bool(_EAR99.search(text))


def is_removal_statement(text: str) -> bool:
    """CUI transmittal statement; a classified transmittal ("... this document is SECRET") is not one."""
    m = _REMOVAL.search(text)
    if not m:
        return False
    return not _CLASSIFIED_LEVEL_AFTER.search(m.group(0))
