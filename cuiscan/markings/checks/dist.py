"""DIST-001..005: DoD distribution statements (DoDI 5230.24) and their fit with CUI markings (section 12).

A statement is recognised by shape (cuiscan.markings.statements): a paragraph STARTING with
"DISTRIBUTION STATEMENT <letter>" plus punctuation or fixed wording, or starting with the fixed
wording itself. Sentences that mention statements are prose. The first recognised letter is left in
view.facts.distribution (MarkingResult.distribution) for detection and reports.

Not reported here on purpose: "B-F on a document without CUI marking" (DIST-003's warning case) is the
textbook DETECT-001 (possible unmarked CTI); the detection stage reports it once, reading the letter
from MarkingResult.distribution.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.diblock import distribution_letter
from cuiscan.markings.docfacts import Paragraph, family_paragraphs, in_first_unit, with_confidence
from cuiscan.markings.prefilter import STATEMENT
from cuiscan.markings.statements import (is_custom_distribution, missing_parts, parse_statement_start,
                                         wording_letter)
from cuiscan.markings.view import DocView
from cuiscan.records import Finding, Location

KNOWN = "ABCDEFX"
_INNER = re.compile(r"(?<=\s)DISTRIBUTION\s+STATEMENT\s+[A-FX]\b")


@dataclass(frozen=True, slots=True)
class Statement:
    letter: str
    labelled: bool
    wording: str | None
    para: Paragraph

    @property
    def loc(self) -> Location:
        return self.para.loc

    @property
    def evidence(self) -> str:
        return f"DISTRIBUTION STATEMENT {self.letter}" if self.labelled else f"statement {self.letter} wording"


def statements(view: DocView) -> list[Statement]:
    cached = view.memo.get("_statements")
    if cached is not None:
        return cached  # type: ignore[return-value]
    found = []
    for para in family_paragraphs(view, STATEMENT):
        start = parse_statement_start(para.text)
        if start is None:
            para = _inner_statement(para)
            start = parse_statement_start(para.text) if para is not None else None
        if start is None:
            continue
        letter, labelled = start
        found.append(Statement(letter, labelled, wording_letter(para.text), para))
    view.memo["_statements"] = found
    return found


def _inner_statement(para: Paragraph) -> Paragraph | None:
    """A statement that shares its text block with other lines (the DI block and statement D in one
    slide text frame, table cell or PDF text run): the paragraph from its label on. Only the label in
    capitals counts inside a block, so a sentence that mentions "distribution statement D" stays prose."""
    if "DISTRIBUTION" not in para.text:
        return None
    m = _INNER.search(para.text)
    if m is None or m.start() == 0:
        return None
    return Paragraph(para.text[m.start():], para.blocks, para.unit)


def check(view: DocView, ctx) -> Iterator[Finding]:
    if STATEMENT not in view.candidates and not view.di_blocks:
        return   # no statement can be found, no DI line to compare
    found = statements(view)
    known = [s for s in found if s.letter in KNOWN]
    if known:
        view.facts.distribution = known[0].letter
    marked = view.is_cui_marked
    for s in found:
        yield from _wording(s)
        yield from _parts(s)
        yield from _obsolete(s)
        if s.letter == "A" and marked:
            yield finding("DIST-003", f"distribution statement A (approved for public release) "
                          f"({s.loc.describe()}) on a document marked as CUI: a public-release statement contradicts "
                          "the CUI marking - use the right B-F statement, or decontrol the document and remove the "
                          "CUI markings", s.loc, evidence=s.evidence, key="A")
    if marked:
        yield from _custom(view)
    if view.di_blocks and ctx.applies("DIST-004"):
        yield from _dod_placement(view, known)


def _wording(s: Statement) -> Iterator[Finding]:
    if s.letter not in KNOWN:
        yield finding("DIST-001", f"'DISTRIBUTION STATEMENT {s.letter}' ({s.loc.describe()}) is not a DoDI "
                      "5230.24 statement (A-F): use the letter and wording of the intended statement",
                      s.loc, evidence=s.evidence, key="letter")
    elif s.labelled and s.wording and s.wording != s.letter:
        yield finding("DIST-001", f"distribution statement {s.letter} ({s.loc.describe()}) carries the wording "
                      f"of statement {s.wording}: use the fixed DoDI 5230.24 wording of statement {s.letter}, or "
                      f"the letter {s.wording}", s.loc, evidence=s.evidence, key="mismatch")


def _parts(s: Statement) -> Iterator[Finding]:
    if s.letter not in "BCDEF":
        return
    missing = missing_parts(s.letter, s.para.text)
    if s.wording is None and s.labelled:
        missing.insert(0, "the fixed wording")
    if missing:
        yield finding("DIST-002", f"distribution statement {s.letter} ({s.loc.describe()}) lacks "
                      + ", ".join(missing) + ": statements B-E carry a reason, the date of determination and "
                      "'Other requests ... shall be referred to <controlling DoD office>'; F carries office and date",
                      s.loc, evidence=s.evidence, key="parts")


def _obsolete(s: Statement) -> Iterator[Finding]:
    if s.letter == "X":
        msg = ("distribution statement X is obsolete: former X material is marked with statement C and the reason "
               "'Export Controlled'")
    elif s.letter == "F":
        msg = ("distribution statement F is for rare, exceptional use: confirm with the controlling office that F "
               "is warranted")
    else:
        return
    f = finding("DIST-005", f"{msg} ({s.loc.describe()})", s.loc, evidence=s.evidence, key=s.letter)
    yield with_confidence(f, 0.8)


def _custom(view: DocView) -> Iterator[Finding]:
    for para in family_paragraphs(view, STATEMENT):
        if is_custom_distribution(para.text) and parse_statement_start(para.text) is None:
            excerpt = " ".join(para.text.split()[:6])
            yield finding("DIST-001", f"home-made distribution limitation '{excerpt} ...' "
                          f"({para.loc.describe()}) on a CUI document is not a DoDI 5230.24 statement: use "
                          "statement B-F (DoD) or a Registry LDC", para.loc, evidence=excerpt, key="custom")
            return


def _dod_placement(view: DocView, known: list[Statement]) -> Iterator[Finding]:
    """DoD: the DI line carries the letter; the full statement sits on the first page (DIST-004)."""
    di_hits = [h for b in view.di_blocks for h in b.get("dissem")]
    di_letters = {distribution_letter(h.di.value): h for h in di_hits if distribution_letter(h.di.value)}
    on_first = {s.letter: s for s in known if in_first_unit(view, s.para.first)}
    for letter, hit in di_letters.items():
        if letter not in on_first:
            elsewhere = next((s for s in known if s.letter == letter), None)
            where = f"it appears only at {elsewhere.loc.describe()}" if elsewhere else "it is not written out anywhere"
            yield finding("DIST-004", f"the designation indicator names distribution statement {letter} "
                          f"({hit.loc.describe()}) but the full statement {letter} is not on the first page ({where}): "
                          "write the full statement on the title/first page", hit.loc,
                          evidence=hit.line.text.strip(), key=f"di:{letter}")
    for s in known:
        if s.letter not in "BCDEF" or s.letter in di_letters:
            continue
        if not in_first_unit(view, s.para.first):
            if s.letter in on_first:
                continue
            yield finding("DIST-004", f"distribution statement {s.letter} appears only at {s.loc.describe()}: "
                          "DoD writes the full statement on the title/first page", s.loc, evidence=s.evidence,
                          key=f"late:{s.letter}")
            continue
        shown = ", ".join(h.di.value for h in di_hits) or "no dissemination line"
        yield finding("DIST-004", f"distribution statement {s.letter} ({s.loc.describe()}) is not on the "
                      f"designation indicator block ({shown}): put 'Distribution/Dissemination Control: {s.letter}' "
                      "on the DI block (never an LDC beside a statement)", s.loc, evidence=s.evidence,
                      key=f"di-missing:{s.letter}")
