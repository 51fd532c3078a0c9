"""DECON-001..003: decontrol indicators. DECON-004 (decontrol is not public release; a leak does not
decontrol) depends on where the file is stored and is enforced by BOUNDARY-001, not from the text.

    001  `Decontrol On:` value: a date, or an event that carries a POC/contact (warning when vague or
         malformed). Absence is not reported: the indicator is "where feasible".
    002  the date has passed (info): view.facts.decontrolled
    003  decontrol shown on the document: CUI banners struck through, or a DECONTROLLED marking line.
         Shown on the first page only while later pages still show CUI: info (agency policy); shown on
         a later page while the first page still shows live CUI: warning; everything struck: info.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.prefilter import DECON
from cuiscan.markings.view import DocView, Line
from cuiscan.records import Finding, Severity, Zone

_NOT_TEXT = (Zone.METADATA, Zone.FILENAME)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_DIGITS = re.compile(r"^[\d/.\- ]+$")
_VAGUE = re.compile(r"\b(?:no\s+longer|when\s+(?:appropriate|possible|needed|required)|as\s+(?:needed|required|"
                    r"appropriate)|tbd|n/?a|unknown|indefinite(?:ly)?|never|none|until\s+further\s+notice|"
                    r"determined\s+later)\b", re.IGNORECASE)
_CONTACT = re.compile(r"\bPOC\b|\(?\b\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}\b|[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)
_DECONTROLLED = re.compile(r"^\s*(?:CUI\s*(?://|-|\s)\s*)?DECONTROLLED(?:\s+(?:CUI|ON\b.*))?\s*$")


def parse_date(value: str) -> date | None:
    v = value.strip().rstrip(".")
    try:
        if m := _ISO.match(v):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _US.match(v):
            return date(int(m[3]), int(m[1]), int(m[2]))
        if m := _DMY.match(v):
            return date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
        if m := _MDY.match(v):
            return date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))
    except (ValueError, KeyError):
        return None
    return None


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not (view.di_lines or view.banners) and DECON not in view.candidates:
        return
    yield from _indicator(view, ctx)
    yield from _shown(view)


def _indicator(view: DocView, ctx) -> Iterator[Finding]:
    for h in view.di_lines:
        if h.di.kind != "decontrol":
            continue
        value, text = h.di.value.strip(), h.line.text.strip()
        when = parse_date(value)
        if when is not None:
            if when <= ctx.today:
                view.facts.decontrolled = True
                yield finding("DECON-002", f"decontrol date {when.isoformat()} has passed: holders may treat "
                              "the information as decontrolled; review whether the CUI markings can be removed "
                              "(decontrol still does not authorize public release)", h.loc, evidence=text)
        elif not value or _DIGITS.match(value):
            yield finding("DECON-001", f"'{text}' is not a valid date; write the decontrol date as "
                          "YYYYMMDD (e.g. Decontrol On: 20300101) or name a verifiable event", h.loc, evidence=text)
        elif _VAGUE.search(value):
            yield finding("DECON-001", f"'{text}' is not a specific date or an event any holder can "
                          "verify; give a date or a foreseeable public event with a POC", h.loc, evidence=text)
        elif not _CONTACT.search(value) and not any(d.di.kind == "poc" and d.di.value for d in view.di_lines):
            yield finding("DECON-001", f"'{text}' names a decontrol event but no point of contact; "
                          "event-based decontrol indicators carry a POC and contact method", h.loc, evidence=text)


def _shown(view: DocView) -> Iterator[Finding]:
    struck = [h for h in view.banners if h.struck and h.marking.is_cui]
    words = [ln for b in view.candidates.blocks(DECON) if b.loc.zone not in _NOT_TEXT
             and "DECONTROLLED" in b.text for ln in _short_lines(b) if _DECONTROLLED.match(ln.text)]
    if not struck and not words:
        return
    view.facts.decontrolled = True
    first = view.first_unit()
    shown = {id(h.unit) for h in struck} | {id(view.unit_of(ln.block)) for ln in words}
    live = [h for h in view.banners if h.marking.is_cui and not h.struck and id(h.unit) not in shown]
    where = struck[0].loc if struck else words[0].loc
    evidence = struck[0].marking.text if struck else words[0].text.strip()
    if not live:
        yield finding("DECON-003", "the CUI markings are shown as decontrolled (struck through or marked "
                      "DECONTROLLED); the document is treated as decontrolled - remove the markings before re-use "
                      "or public release review", where, evidence=evidence, key="all", severity=Severity.INFO)
    elif first is not None and id(first) in shown:
        yield finding("DECON-003", f"decontrol is shown on the first page only while "
                      f"{live[0].loc.describe()} still shows '{live[0].marking.text}'; this is allowed only where "
                      "agency policy permits striking markings on the first page alone", where, evidence=evidence,
                      key="first-only", severity=Severity.INFO)
    else:
        yield finding("DECON-003", f"decontrol is shown at {where.describe()} but the first page still "
                      f"shows '{live[0].marking.text}' ({live[0].loc.describe()}); show the decontrol on the first "
                      "page or cover (strike through or remove its CUI markings)", where, evidence=evidence,
                      key="not-first")


def _short_lines(b) -> list[Line]:
    return [Line(t, b, i) for i, t in enumerate(b.text.split("\n")) if t.strip() and len(t) <= 40]
