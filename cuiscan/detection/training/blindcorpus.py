"""Labelled training passages from the blind writers' documents, cut exactly as the scanner cuts them.

The writers' cases (tests/detection/blind/<set>/<group>/*.jsonl, schema in benchmarks/blind_render.py)
are rendered to real files and extracted by the real extractors; this module turns one case's
extracted documents into training records. Cutting them with the scanner's own passage builder
(passages.build_passages: a slide, a sheet's run of cells, a mail body's lines up to 3,000
characters) means the model learns on the passages it will score: a deck's short bullets, a table's
rows joined by the extractor.

Labels. Every passage of a not-CUI document is a negative. In a CUI document only part is
sensitive (the writer's "where": "slide 7 table", "sheet Rates rows 4-19", "second paragraph"), so
only the passages that hold it are positives, of the document's category:
* "slide N" / "sheet NAME" in "where" name the passages directly (their Location; a slide's title
  is a passage of its own and is not taken);
* otherwise (and among several named ones) the passages sharing the most words with the writer's
  "why" sentence: the best one, and the second best when it shares at least 3 words.
The CUI document's other passages are left out: they are not known to be harmless (a mail's
greeting is, the paragraph after the table may not be).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cuiscan.detection.detector import NOT_WRITTEN   # a file's properties and name are the renderer's
from cuiscan.detection.passages import build_passages
from cuiscan.detection.training.train import Record
from cuiscan.records import Zone

CATEGORIES = ("CTI", "EXPT", "ISVI", "OPSEC", "PROCURE", "PROPIN", "PRVCY", "SSEL")
WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")
_SLIDE = re.compile(r"\bslides?\s+(\d+)(?:\s*(?:-|–|to|and|&)\s*(\d+))?", re.I)
_SHEET = re.compile(r"\bsheet\s+['\"]?([A-Za-z0-9 _&\-]+?)['\"]?(?:\s+rows?\b|\s+column|,|;|$)", re.I)
MIN_SECOND_OVERLAP = 3


@dataclass(frozen=True, slots=True)
class CasePassage:
    text: str
    slide: int | None
    sheet: str | None
    title: bool = False       # a slide's or document's title: its own passage, never the sensitive part alone


def case_passages(docs) -> list[CasePassage]:
    """The scanner's passages of a case's extracted documents (the file and its members), in order."""
    out = []
    for doc in docs:
        for p in build_passages(doc):
            loc = p.locs[0]
            if loc.zone not in NOT_WRITTEN:
                out.append(CasePassage(p.text, loc.slide, loc.sheet, loc.zone == Zone.TITLE))
    return out


def named_places(where: str) -> tuple[set[int], set[str]]:
    """Slides and sheet names the writer's "where" points at."""
    slides: set[int] = set()
    for m in _SLIDE.finditer(where or ""):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        slides.update(range(first, min(last, first + 20) + 1))
    sheets = {m.group(1).strip().casefold() for m in _SHEET.finditer(where or "")}
    return slides, sheets


def sensitive_indexes(case: dict, passages: list[CasePassage]) -> list[int]:
    """Indexes of the passages that hold a CUI case's sensitive part (see the module doc)."""
    if not passages:
        return []
    slides, sheets = named_places(case.get("where", ""))
    named = [i for i, p in enumerate(passages) if not p.title and
             ((p.slide is not None and p.slide in slides) or (p.sheet and p.sheet.casefold() in sheets))]
    why = set(WORD.findall(str(case.get("why", "")).lower()))
    overlap = [len(why & set(WORD.findall(p.text.lower()))) for p in passages]
    pool = named or list(range(len(passages)))
    ranked = sorted(pool, key=lambda i: (-overlap[i], i))
    keep = ranked[:1] + [i for i in ranked[1:2] if overlap[i] >= MIN_SECOND_OVERLAP]
    if named and len(named) <= 3:
        keep = named          # a slide or two, a small sheet: the writer said exactly where
    return sorted(keep)


def case_records(case: dict, docs, group: str, weight: float = 1.0) -> list[Record]:
    """Training records of one rendered and extracted case."""
    passages = case_passages(docs)
    zero = {c: 0.0 for c in CATEGORIES}
    if case.get("label") != "cui":
        return [Record(p.text, {"CUI": 0.0, **zero}, group=group, weight=weight) for p in passages]
    category = case.get("category")
    cats = {"CUI": 1.0, **zero, category: 1.0} if category in CATEGORIES else {"CUI": 1.0}
    return [Record(passages[i].text, dict(cats), group=group, weight=weight)
            for i in sensitive_indexes(case, passages)]
