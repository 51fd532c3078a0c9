"""LEGACY-001..004: legacy control markings and statutory legends (rule book section 6).

A legacy marking counts only where a marking sits: a banner line in header/footer/top/bottom
position (FOR OFFICIAL USE ONLY, UNCLASSIFIED//FOUO, SBU//NOFORN), a whole upper-case line near the
top or bottom of a page (stamp), a header/footer line carrying the spelled-out phrase, the subject,
or a paragraph-initial portion mark ((FOUO), (U//FOUO), (CUI//FOUO)). "FOUO markings are retired" in
a sentence is prose. A legacy word INSIDE a CUI banner (CUI//FOUO) is BANNER-002's (see
cuiscan.markings ownership notes) and is not reported again here.

Which ID a legacy marking gets (one finding per distinct marking text per document, at its first place):
    the document also carries CUI markings            LEGACY-002 error (mixed; remove the legacy legend)
    dated before 14 Nov 2016 (32 CFR 2002 start)     LEGACY-003 info  (stored legacy document)
    DoD profile, dated before 6 Mar 2020 (DoDI 5200.48) LEGACY-001 warning
    otherwise (new or undated)                        LEGACY-001 error
LEGACY-004 (info): a statutory legend (SSI, NNPI, UCNI) on a document whose markings do not name its
category; the legend is never reported as legacy. A company legend ("Company Sensitive and Proprietary",
"For Authorized Use Only") in a marking place is LEGACY-004 info too, naming PROPIN: evidence of
proprietary content, never a marking error.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator

from cuiscan.markings.common import finding
from cuiscan.markings.docfacts import declared_categories, document_date, family_paragraphs, note_indicator
from cuiscan.markings.grammar import Marking, parse_banner, parse_portion
from cuiscan.markings.prefilter import LEGACY_LINE, LEGEND, PROPRIETARY
from cuiscan.markings.shell import may_mark, pieces, unbold
from cuiscan.markings.view import DocView
from cuiscan.records import Finding, Location, Severity, Zone

NARA_START = dt.date(2016, 11, 14)
DOD_START = dt.date(2020, 3, 6)
_EDGES = (Zone.HEADER, Zone.FOOTER)
_STAMP_LINES = 3            # whole-line stamps are looked for in the first/last lines of a page
_PHRASES = re.compile(r"\b(FOR OFFICIAL USE ONLY|SENSITIVE BUT UNCLASSIFIED|LAW ENFORCEMENT SENSITIVE|"
                      r"LIMITED OFFICIAL USE|LIMITED DISTRIBUTION)\b")
# A whole line (or field value) that is a legacy phrase in any case, optionally after UNCLASSIFIED and
# with its acronym in parentheses: "For Official Use Only (FOUO)", "Unclassified // Limited Distribution"
_PHRASE_LINE = re.compile(r"(?i)^(?:UNCLASSIFIED\s*/{1,2}\s*)?(?:FOR\s+OFFICIAL\s+USE\s+ONLY|SENSITIVE\s+BUT\s+"
                          r"UNCLASSIFIED|LAW\s+ENFORCEMENT\s+SENSITIVE|LIMITED\s+DISTRIBUTION|LIMITED\s+OFFICIAL\s+USE|"
                          r"OFFICIAL\s+USE\s+ONLY)(?:\s*\(\s*(?:U//)?(?:FOUO|SBU|LES|LIMDIS|LOU|OUO)\s*\))?$")
_LEGENDS = (
    ("SSI", re.compile(r"Sensitive\s+Security\s+Information\s+that\s+is\s+controlled\s+under\s+49\s+CFR\s+parts?\s+15\s+and\s+1520"
                       r"|^\s*SENSITIVE\s+SECURITY\s+INFORMATION\s*$", re.IGNORECASE | re.MULTILINE)),
    ("NNPI", re.compile(r"^\s*(?:NOFORN\s*[-:]?\s*)?NAVAL\s+NUCLEAR\s+PROPULSION\s+INFORMATION\s*$"
                        r"|contains\s+Naval\s+Nuclear\s+Propulsion\s+Information", re.MULTILINE)),
    ("UCNI", re.compile(r"^\s*UNCLASSIFIED\s+CONTROLLED\s+NUCLEAR\s+INFORMATION\s*$"
                        r"|contains\s+Unclassified\s+Controlled\s+Nuclear\s+Information", re.MULTILINE)),
)


@dataclass(frozen=True, slots=True)
class LegacyHit:
    text: str          # the legacy marking as written
    loc: Location
    where: str         # banner | stamp | banner line | field | portion | subject


# Company legends that signal proprietary business information (issue 14 class 6). Not CUI markings
# and not legacy markings: evidence that the content may be PROPIN where the document is government-
# furnished or contract data. Looked for in marking places only (header/footer, first/last lines, a
# short line that is mostly the legend), so "proprietary algorithms" in a sentence is prose.
_COMPANY = re.compile(r"(?i)\b(?:(?:company|contractor|corporate|business)\s+(?:sensitive|confidential|proprietary)"
                      r"(?:\s+and\s+(?:proprietary|confidential))?(?:\s+information|\s+data)?"
                      r"|proprietary(?:\s+and\s+confidential|\s+information|\s+data)?|for\s+authorized\s+use\s+only)\b")
_LEGEND_LINE = 100


def check(view: DocView, ctx) -> Iterator[Finding]:
    hits = legacy_hits(view)
    if hits:
        yield from _report(view, hits, ctx)
    yield from _legends(view)
    if PROPRIETARY in view.candidates:
        yield from _company_legend(view)


def legacy_hits(view: DocView) -> list[LegacyHit]:
    found: list[LegacyHit] = []
    seen_lines: set[tuple[int, int]] = set()
    vocab = view.vocab
    for hit in view.banners:
        seen_lines.add((id(hit.line.block), hit.line.offset))
        if _is_legacy_marking(hit.marking):
            found.append(LegacyHit(hit.marking.text, hit.loc, "banner"))
    # blocks holding a legacy word: only they can hold a legacy marking that is not an upper-case stamp
    worded = set(map(id, view.candidates.blocks(LEGACY_LINE)))
    for unit in view.units:
        for line in unit.top + unit.bottom:
            if (id(line.block), line.offset) in seen_lines or \
                    (id(line.block) not in worded and not line.text.isupper()):
                continue
            text = _legacy_in(line.text, vocab)
            if text is None and line.block.loc.zone in _EDGES and len(line.text) <= 100 and \
                    ("OFFICIAL USE" in line.text or "SENSITIVE" in line.text or "LIMITED" in line.text):
                m = _PHRASES.search(line.text)   # every _PHRASES match holds one of the three
                text = m.group(1) if m else None
            if text is not None:
                seen_lines.add((id(line.block), line.offset))
                found.append(LegacyHit(text, line.loc, "banner"))
        if not _may_hold_stamp(unit.body, worded):
            continue
        for block, offset, text in _edge_lines(unit.body):
            if (id(block), offset) in seen_lines or len(text) > 100 or \
                    (id(block) not in worded and (text != text.upper() or len(text) > 80)):
                continue
            legacy = _legacy_in(text, vocab)
            if legacy is not None:
                seen_lines.add((id(block), offset))
                found.append(LegacyHit(legacy, block.loc, "stamp"))
    for block in view.body_candidates(LEGACY_LINE):   # "**UNCLASSIFIED // FOR OFFICIAL USE ONLY**" alone
        for line in view.lines_of(block):
            if (id(block), line.offset) in seen_lines or len(line.text) > 90 or "//" not in line.text:
                continue
            text = unbold(line.text)
            # banner-shaped only ("UNCLASSIFIED // FOUO"): a bare phrase in the body is a list of labels
            if text.isupper() and "//" in text:
                mk = parse_banner(text, vocab)
                if mk is not None and mk.text == text and _is_legacy_marking(mk):
                    seen_lines.add((id(block), line.offset))
                    found.append(LegacyHit(text, line.loc, "banner line"))
    for line in view.fields:   # "Classification: UNCLASSIFIED // FOUO" anywhere in the body
        if (id(line.block), line.offset) not in seen_lines:
            legacy = _legacy_in(line.text, vocab, labelled=True)
            if legacy is not None:
                seen_lines.add((id(line.block), line.offset))
                found.append(LegacyHit(legacy, line.loc, "field"))
    for line in view.subject:
        mk = parse_portion(line.text, vocab) or parse_banner(line.text.split(" - ")[0], vocab)
        if mk is not None and _is_legacy_marking(mk, portion_ok=True):
            found.append(LegacyHit(mk.text, line.loc, "subject"))
    for hit in view.portions:
        if hit.marking.of_kind("legacy"):
            found.append(LegacyHit(hit.marking.text, hit.loc, "portion"))
    return found


def _legacy_in(text: str, vocab, labelled: bool = False) -> str | None:
    """The legacy marking a banner-position line (or a field value) consists of, as written: the whole
    line in capitals (a stamp), a piece of it once comment leaders, markdown and other fields are taken
    off ("## Playbook | UNCLASSIFIED // FOUO"), or a legacy phrase in any case as the whole line or
    piece ("For Official Use Only (FOUO)")."""
    text = text.strip()
    if not may_mark(text):
        return None
    candidates = [text] if labelled else [text, *(p.text for p in pieces(text))]
    for cand in candidates:
        if cand.isupper() or labelled:
            mk = parse_banner(cand, vocab)
            if mk is not None and mk.text == cand and _is_legacy_marking(mk):
                return cand
        if _PHRASE_LINE.match(cand):
            return cand
    return None


def _is_legacy_marking(mk: Marking, portion_ok: bool = False) -> bool:
    """A legacy banner: legacy kind, or UNCLASSIFIED//<legacy>; never a CUI banner (BANNER-002's)."""
    if mk.kind == "cui" and not portion_ok:
        return False
    if mk.kind == "classified":
        return False
    return mk.kind == "legacy" or bool(mk.of_kind("legacy"))


def _split(block):
    text = block.text
    if "\n" not in text:   # most blocks are one line
        text = text.strip()
        return [(block, 0, text)] if text else []
    return [(block, i, t.strip()) for i, t in enumerate(text.split("\n")) if t.strip()]


def _may_hold_stamp(body, worded: set[int]) -> bool:
    """False when none of the first/last _STAMP_LINES lines can be a stamp, told without splitting:
    a stamp is all upper case and names a marking word, so str.isupper() holds for it; a legacy line in
    mixed case ("For Official Use Only (FOUO)") is in a block that holds a legacy word (`worded`)."""
    for blocks in (body, reversed(body)):
        seen = 0
        for block in blocks:
            if seen >= _STAMP_LINES:
                break
            text = block.text
            if "\n" in text:
                return True   # several lines: let _edge_lines split it
            if text and not text.isspace():
                seen += 1
                if text.isupper() or id(block) in worded:
                    return True
    return False


def _edge_lines(body) -> list:
    """The first and the last _STAMP_LINES lines of the blocks (lines[:3] + lines[-3:]), splitting
    only the blocks at either end."""
    head: list = []
    for block in body:
        if len(head) >= _STAMP_LINES:
            break
        head.extend(_split(block))
    tail: list = []
    for block in reversed(body):
        if len(tail) >= _STAMP_LINES:
            break
        tail[:0] = _split(block)
    return head[:_STAMP_LINES] + tail[-_STAMP_LINES:]


def _report(view: DocView, hits: list[LegacyHit], ctx) -> Iterator[Finding]:
    groups: dict[str, list[LegacyHit]] = {}
    for h in hits:
        groups.setdefault(_normal(h.text), []).append(h)
    mixed = bool(view.cui_banners or view.body_banners or view.cui_portions
                 or any(b.get("category") for b in view.di_blocks))
    date = document_date(view)
    if not mixed and date is not None and date < NARA_START:
        first = hits[0]
        listed = ", ".join(sorted({h.text for h in hits}))
        yield finding("LEGACY-003", f"stored legacy document dated {date.isoformat()} (before 32 CFR 2002, "
                      f"14 Nov 2016) marked {listed}: legacy markings no longer indicate protection; review it and "
                      "re-mark it as CUI (or remove the legacy marking) before it is shared or re-used",
                      first.loc, evidence=first.text, key="stored")
        return
    for text, group in groups.items():
        first = group[0]
        more = f", and {len(group) - 1} more place{'s' if len(group) > 2 else ''}" if len(group) > 1 else ""
        where = f"{first.where} position, {first.loc.describe()}{more}"
        if mixed:
            yield finding("LEGACY-002", f"legacy marking '{first.text}' ({where}) in a document marked as "
                          "CUI: remove or redact the legacy marking; mark the portion (CUI) or (U) instead",
                          first.loc, evidence=first.text, key=text)
        elif ctx.dod and date is not None and date < DOD_START:
            yield finding("LEGACY-001", f"legacy marking '{first.text}' ({where}) on a document dated "
                          f"{date.isoformat()}, before DoDI 5200.48 (6 Mar 2020): legacy markings no longer indicate "
                          "protection; re-mark as CUI if it qualifies, or remove the marking, before re-use",
                          first.loc, evidence=first.text, key=text, severity=Severity.WARNING)
        else:
            when = f"dated {date.isoformat()}" if date else "with no date"
            yield finding("LEGACY-001", f"legacy marking '{first.text}' ({where}) on a document {when}: "
                          "legacy markings are void for new material; if the information is CUI, mark it CUI "
                          "(banner and designation indicator), otherwise remove the marking",
                          first.loc, evidence=first.text, key=text)


def _normal(text: str) -> str:
    return " ".join(text.upper().replace("(", "").replace(")", "").split())


def _legends(view: DocView) -> Iterator[Finding]:
    if LEGEND not in view.candidates:
        return
    declared = None
    for category, pattern in _LEGENDS:
        para = next((p for p in family_paragraphs(view, LEGEND) if pattern.search(p.text)), None)
        if para is None:
            continue
        note_indicator(view, f"legend-{category.lower()}")
        declared = declared_categories(view) if declared is None else declared
        if category in declared:
            continue
        marked = "its CUI markings do not name" if view.is_cui_marked else "the document carries no CUI marking for"
        yield finding("LEGACY-004", f"statutory {category} legend ({para.loc.describe()}): this is a category "
                      f"indicator, not a legacy marking, but {marked} {category}; keep the legend and mark the "
                      f"document with category {category}", para.loc, evidence=category + " legend",
                      categories=(category,), key=category)


def _company_legend(view: DocView) -> Iterator[Finding]:
    """LEGACY-004 info: a company proprietary legend is a PROPIN indicator, never a marking error."""
    for block in view.candidates.blocks(PROPRIETARY):
        if block.loc.zone not in (*_EDGES, Zone.BODY, Zone.TITLE) or block.kind == "quote" or \
                _COMPANY.search(block.text) is None:   # one C-level search rules out most blocks
            continue
        for line in view.lines_of(block):
            text = line.text.strip()
            if len(text) > _LEGEND_LINE:
                continue
            m = _COMPANY.search(text)
            if m is None or not (block.loc.zone in _EDGES or _is_edge(view, line) or
                                 len(m.group(0)) * 2 >= len(unbold(text))):
                continue
            note_indicator(view, "legend-propin")
            if "PROPIN" in declared_categories(view):
                return
            marked = ("its CUI markings do not name PROPIN" if view.is_cui_marked
                      else "it is not a CUI marking and the document carries none")
            yield finding("LEGACY-004", f"company legend '{m.group(0)}' ({line.loc.describe()}): a sign of "
                          f"proprietary business information, not a CUI or legacy marking; {marked}. If the document "
                          "is government-furnished or contract data, its content may be CUI category PROPIN: mark it "
                          "CUI and name PROPIN in the designation indicator", line.loc, evidence="company legend",
                          categories=("PROPIN",), key="PROPIN")
            return


def _is_edge(view: DocView, line) -> bool:
    unit = view.unit_of(line.block)
    if unit is None:
        return False
    return any(ln.block is line.block and ln.offset == line.offset for ln in unit.top + unit.bottom)
