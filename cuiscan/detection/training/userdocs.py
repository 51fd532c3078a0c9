"""Labelled passages from an organisation's own correctly portion-marked documents.

A paragraph that starts with `(CUI//SP-CTI/EXPT)` is a CUI passage of categories CTI and EXPT;
`(CUI)` is CUI of unknown category (category labels left missing, not 0); `(U)` is not CUI. The
portion mark itself is cut from the text, so the model learns the content, never the mark.
Banners, DI blocks and unmarked paragraphs are ignored: only portion marks are trusted as labels.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from cuiscan.detection.training.train import Record
from cuiscan.errors import ConfigError

log = logging.getLogger(__name__)

MIN_CHARS = 20
_PORTION = re.compile(r"^\s*\(\s*(U|CUI(?://[A-Z0-9 ,\-/]+)?)\s*\)\s*", re.IGNORECASE)
_LDC_WORDS = {"NOFORN", "NF", "FED ONLY", "FEDCON", "NOCON", "DL ONLY", "RELIDO", "AC", "AWP",
              "ATTORNEY-CLIENT", "ATTORNEY-WP"}


def parse_portion(text: str, known: frozenset[str]) -> tuple[bool | None, frozenset[str], str]:
    """(is CUI, categories named, text without the mark); is CUI is None when there is no portion mark."""
    m = _PORTION.match(text)
    if not m:
        return None, frozenset(), text
    mark = m.group(1).upper()
    rest = text[m.end():].strip()
    if mark == "U":
        return False, frozenset(), rest
    cats = set()
    for block in mark.split("//")[1:]:
        for token in block.split("/"):
            token = token.strip()
            token = token[3:] if token.startswith("SP-") else token
            if token in known and token not in _LDC_WORDS:
                cats.add(token)
    return True, frozenset(cats), rest


def records_from_folder(folder: str | Path, known_categories: frozenset[str], base_labels: tuple[str, ...] = (),
                        limits=None) -> list[Record]:
    """Walk `folder`, extract every readable file, and keep its portion-marked paragraphs as examples.

    A `(U)` passage is 0 for every label; a `(CUI//X)` passage is 1 for X and 0 for the other
    `base_labels` (a portion mark lists all categories of its portion); `(CUI)` leaves categories unknown.
    """
    from cuiscan.extractors import extract_file

    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(f"training folder not found: {root}")
    records: list[Record] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            docs = extract_file(str(path), limits)
        except OSError as exc:
            log.warning("skipping %s: %s", path.name, exc.strerror)
            continue
        for doc in docs:
            for block in doc.blocks:
                is_cui, cats, text = parse_portion(block.text, known_categories)
                if is_cui is None or len(text) < MIN_CHARS:
                    continue
                records.append(Record(text=text, cats=_labels(is_cui, cats, base_labels),
                                      source=str(path.relative_to(root))))
    return records


def _labels(is_cui: bool, cats: frozenset[str], base_labels: tuple[str, ...]) -> dict:
    if not is_cui:
        return {"CUI": 0.0, **{b: 0.0 for b in base_labels}}
    if not cats:
        return {"CUI": 1.0}
    return {"CUI": 1.0, **{b: 0.0 for b in base_labels}, **{c: 1.0 for c in cats}}
