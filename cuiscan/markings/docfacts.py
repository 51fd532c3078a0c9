"""View-level facts shared by the part-2 checks (legacy, supp, email, formats, classified, dist, export).

* `paragraphs(view)`: body text regrouped into paragraphs. PDF and plain-text extractors give one
  block per printed line, so a distribution statement or an export warning wrapped over four lines is
  joined back before its wording is read; docx/pptx paragraphs are already whole.
  `family_paragraphs(view, family)`: the same paragraphs, only those around the blocks that hold a
  key of a scan family (cuiscan.markings.prefilter): what the paragraph checks read.
* `document_date(view)`: the date the document shows (email Date header, else a dated line near the
  top of the first page): decides legacy severity (LEGACY-001/003).
* `declared_categories(view)`: categories the CUI markings name (banner, portions, DI block).
* `note_indicator(view, name)`: records a CUI indicator (export warning, SF 901, ...) on the view for
  the detection stage (DETECT-001) without reporting a finding of its own.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
from dataclasses import dataclass

from cuiscan.markings.diblock import split_values
from cuiscan.markings.statements import parse_date
from cuiscan.markings.view import DocView, Unit
from cuiscan.records import Finding, Location, TextBlock, Zone

_OPENER = re.compile(r"^\s*(?:WARNING\b|DISTRIBUTION\s+STATEMENT\b|DESTRUCTION\s+NOTICE\b|EXPORT\s+CONTROL"
                     r"|Controlled\s+by\s*:|CUI\s+Categor|POC\s*:|\((?:U|CUI|TS|S|C)(?://[^)]*)?\)\s|\d{1,2}\.\s)",
                     re.IGNORECASE)
_MAX_JOIN = 8            # continuation lines joined into one paragraph
_MAX_CHARS = 900
_WRAPPED = 40           # a line shorter than this is not a wrapped line of a longer paragraph
_LINE_GAP = 0.03         # a wider vertical gap between two pdf lines is a paragraph break
_DATE_LINES = 14         # first body lines searched for the document date
_EDGES = (Zone.HEADER, Zone.FOOTER)
_ORDER = operator.attrgetter("order")
_KIND = operator.attrgetter("kind")
_FEW_LOOKUPS = 16       # up to this many blocks are found in the reading sequence without indexing it


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    blocks: tuple[TextBlock, ...]
    unit: Unit | None

    @property
    def loc(self) -> Location:
        return self.blocks[0].loc

    @property
    def first(self) -> TextBlock:
        return self.blocks[0]


def paragraphs(view: DocView, include_quotes: bool = False) -> list[Paragraph]:
    """Body paragraphs in reading order; wrapped lines (kind "line") of one paragraph joined."""
    cached = view.memo.get("_paragraphs" if not include_quotes else "_paragraphs_q")
    if cached is not None:
        return cached  # type: ignore[return-value]
    seq = _sequence(view, include_quotes)
    out: list[Paragraph] = []
    start = 0
    while start < len(seq):
        end = _paragraph_end(seq, start, view)
        out.append(_paragraph(seq[start:end], view))
        start = end
    view.memo["_paragraphs" if not include_quotes else "_paragraphs_q"] = out
    return out


def family_paragraphs(view: DocView, family: int, include_quotes: bool = False) -> list[Paragraph]:
    """The paragraphs (as `paragraphs` builds them, same order) holding a block of a scan family.

    A paragraph pattern whose keys (cuiscan.markings.prefilter) appear in no block cannot match any
    paragraph, so only the paragraphs around candidate blocks are rebuilt: from the nearest earlier
    block that cannot continue its predecessor (where the full regrouping must start a paragraph).
    """
    key = f"_paragraphs:{family}:{include_quotes}"
    cached = view.memo.get(key)
    if cached is not None:
        return cached  # type: ignore[return-value]
    out: list[Paragraph] = []
    found = view.candidates.blocks(family)
    if found:
        seq = _sequence(view, include_quotes)
        done = 0   # paragraphs end before this index
        for i in _positions(view, include_quotes, found):
            if i < done:
                continue
            start = i
            while start > done and _continues(seq[start - 1], seq[start], view):
                start -= 1
            while True:
                end = _paragraph_end(seq, start, view)
                if end > i:
                    break
                start = end
            out.append(_paragraph(seq[start:end], view))
            done = end
    view.memo[key] = out
    return out


def _sequence(view: DocView, include_quotes: bool) -> list[TextBlock]:
    key = "_sequence_q" if include_quotes else "_sequence"
    seq = view.memo.get(key)
    if seq is None:
        blocks = _reading_blocks(view)
        # a C-level test first: only email bodies hold quoted text
        seq = view.memo[key] = blocks if include_quotes or "quote" not in map(_KIND, blocks) \
            else [b for b in blocks if b.kind != "quote"]
    return seq  # type: ignore[return-value]


def _positions(view: DocView, include_quotes: bool, blocks: list[TextBlock]) -> list[int]:
    """Sorted indexes in the reading sequence of those of `blocks` it holds. A few blocks (the usual
    case: one stray key in a long document) are looked up in a list of the sequence's ids, which costs a
    fraction of indexing the whole sequence; they come in document order, mostly the sequence's own."""
    if len(blocks) > _FEW_LOOKUPS:
        index = _sequence_index(view, include_quotes)
        return sorted({index[id(b)] for b in blocks if id(b) in index})
    key = "_sequence_ids_q" if include_quotes else "_sequence_ids"
    ids = view.memo.get(key)
    if ids is None:
        ids = view.memo[key] = list(map(id, _sequence(view, include_quotes)))
    out: set[int] = set()
    start = 0
    for b in blocks:
        try:
            start = ids.index(id(b), start)
        except ValueError:
            try:
                start = ids.index(id(b), 0, start)
            except ValueError:
                continue
        out.add(start)
    return sorted(out)


def _sequence_index(view: DocView, include_quotes: bool) -> dict[int, int]:
    key = "_sequence_index_q" if include_quotes else "_sequence_index"
    index = view.memo.get(key)
    if index is None:
        seq = _sequence(view, include_quotes)
        index = view.memo[key] = dict(zip(map(id, seq), range(len(seq))))
    return index  # type: ignore[return-value]


def _paragraph_end(seq: list[TextBlock], start: int, view: DocView) -> int:
    """Exclusive end of the paragraph that starts at seq[start] (greedy joining of wrapped lines)."""
    end = start + 1
    chars = len(seq[start].text)
    while end < len(seq) and end - start < _MAX_JOIN and chars < _MAX_CHARS \
            and _continues(seq[end - 1], seq[end], view):
        chars += len(seq[end].text)
        end += 1
    return end


def _reading_blocks(view: DocView) -> list[TextBlock]:
    """Body blocks, plus pdf edge lines that hold no marking: the pdf extractor tags the first and
    last printed line of every page HEADER/FOOTER, which on a page without banners is body text."""
    if view.ftype != "pdf":
        return list(view.body)
    banner_lines = {id(h.line.block) for h in view.banners}
    edges = [b for b in view.doc.blocks if b.loc.zone in _EDGES and id(b) not in banner_lines]
    return sorted(list(view.body) + edges, key=_ORDER)


def _paragraph(blocks: list[TextBlock], view: DocView) -> Paragraph:
    return Paragraph(" ".join(b.text.strip() for b in blocks), tuple(blocks), view.unit_of(blocks[0]))


def _continues(prev: TextBlock, block: TextBlock, view: DocView) -> bool:
    """A printed line that carries on the previous one (same page, no blank line between)."""
    if prev.kind != "line" or block.kind != prev.kind or _starts_new(block.text):
        return False
    if (prev.loc.page, prev.loc.slide, prev.loc.member) != (block.loc.page, block.loc.slide, block.loc.member):
        return False
    if len(prev.text.strip()) < _WRAPPED:
        return False   # a short line ends its paragraph (a title, a date, the last line)
    if prev.top is not None and block.top is not None:
        return 0 < block.top - prev.top <= _LINE_GAP
    if prev.loc.line is not None and block.loc.line is not None and view.ftype != "pdf":
        return block.loc.line == prev.loc.line + 1
    return False


def _starts_new(text: str) -> bool:
    """Paragraph openers that never continue a sentence: statement labels, DI labels, portion marks."""
    return bool(_OPENER.match(text))


def document_date(view: DocView) -> dt.date | None:
    """The date the document shows about itself, or None when it shows none."""
    if "_date" in view.memo:
        return view.memo["_date"]  # type: ignore[return-value]
    found = None
    for block in view.doc.blocks:
        if block.loc.zone == Zone.METADATA and block.text.lower().startswith("date:"):
            found = parse_date(block.text)
            break
    if found is None:
        head = view.body[:_DATE_LINES]
        # a date line of its own ("9 August 2023", "Date: ...") before a date mentioned in a sentence
        short = [b for b in head if len(b.text) <= 40 or b.text.lower().startswith("date")]
        for block in short + [b for b in head if len(b.text) <= 200 and b not in short]:
            found = parse_date(block.text)
            if found is not None:
                break
    view.memo["_date"] = found
    return found


def declared_categories(view: DocView) -> set[str]:
    """Registry markings (no SP-) named by CUI banners, portion marks and DI `CUI Category:` lines."""
    return set(named_categories(view, cui_only=True))


def named_categories(view: DocView, cui_only: bool = False) -> list[str]:
    """Registry markings named by banners, portion marks and DI `CUI Category:` lines, in order of
    appearance; `cui_only` leaves out markings that are not CUI markings (e.g. classified banners)."""
    out: dict[str, None] = {}
    for hit in view.banners + view.body_banners + view.portions:
        if hit.marking.is_cui or not cui_only:
            out.update(dict.fromkeys(hit.marking.category_markings))
    registry = view.vocab.registry
    for block in view.di_blocks:
        for h in block.get("category"):
            for token, _ in split_values(h.di.value):
                cat = registry.category(token)
                if cat is not None and cat.marking:
                    out.setdefault(cat.marking)
    return list(out)


def has_cui_banner(view: DocView) -> bool:
    return bool(view.cui_banners or view.body_banners)


def note_indicator(view: DocView, name: str) -> None:
    """Record a CUI indicator for detection (DETECT-001); kept as a sorted tuple of names."""
    if name not in view.facts.indicators:
        view.facts.indicators = tuple(sorted((*view.facts.indicators, name)))


def with_confidence(f: Finding, confidence: float) -> Finding:
    return dataclasses.replace(f, confidence=confidence)


def first_unit_blocks(view: DocView) -> list[TextBlock]:
    """Body blocks of the first page / slide / sheet; docx (no pages): the first section's body."""
    unit = view.first_unit()
    if unit is None:
        return list(view.body)
    if unit.kind in ("page", "slide", "sheet"):
        return list(unit.body)
    return list(view.body)


def in_first_unit(view: DocView, block: TextBlock) -> bool:
    unit = view.first_unit()
    if unit is None or unit.kind not in ("page", "slide", "sheet"):
        return True
    return view.unit_of(block) is unit
