"""LDC-001..007: limited dissemination controls in banners (NARA), portion marks (both) and the DoD
designation indicator's dissemination line. LDC-008 (who applied the LDC, and why) cannot be seen in a
document; it is documented only.

DoD banners carrying LDCs get BANNER-011 instead (the LDC belongs on the DI block), so LDC checks do
not run on DoD banner lines.
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import deviation_findings, finding
from cuiscan.markings.diblock import distribution_letter, split_values
from cuiscan.markings.ldcrules import ldc_deviations
from cuiscan.markings.view import DIBlock, DocView
from cuiscan.markings.vocab import Token
from cuiscan.records import Finding

_DISSEM_LIST = re.compile(r"\b(?:dissemination|distribution)\s+list\b", re.IGNORECASE)


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not (view.banners or view.body_banners or view.portions or view.di_blocks):
        return
    banners = [h for h in view.banners + view.body_banners if h.marking.is_cui] if ctx.nara else []
    portions = [h for h in view.portions if h.marking.is_cui]
    yield from deviation_findings(banners, "LDC-", "banner")
    yield from deviation_findings(portions, "LDC-", "portion mark")
    dl_only = [t for h in banners + portions for t in h.marking.ldcs if t.value == "DL ONLY"]
    dl_loc = next((h.loc for h in banners + portions if any(t.value == "DL ONLY" for t in h.marking.ldcs)), None)
    for block in view.di_blocks:
        letters, ldcs, cats = dissem_parts(view, block)
        for h, toks in ldcs:
            for d in ldc_deviations(toks, cats, "banner"):
                if d.code.startswith(("ldc-portion-form", "ldc-banner-form")):
                    continue
                yield finding(d.rule, f"designation indicator '{h.line.text.strip()}': {d.message}",
                              h.loc, evidence=h.line.text.strip(), key=d.code, severity=d.severity)
            if any(t.value == "DL ONLY" for t in toks) and dl_loc is None:
                dl_only.append(toks[0])
                dl_loc = h.loc
        if letters and ldcs and ctx.applies("LDC-007"):
            h_letter, letter = letters[0]
            h_ldc, toks = ldcs[0]
            yield finding("LDC-007", f"the designation indicator shows both Distribution Statement "
                          f"{letter} and LDC {', '.join(t.text for t in toks)}; DoD records either the distribution "
                          "statement (CTI/EXPT) or the LDC, never both: remove one", h_ldc.loc,
                          evidence=h_ldc.line.text.strip())
    if dl_only and not _has_dissemination_list(view):
        yield finding("LDC-004", "DL ONLY limits access to a dissemination list, but no dissemination "
                      "list was found in the file; attach the list (e.g. a 'Dissemination List' page) to the document",
                      dl_loc, evidence="DL ONLY")


def dissem_parts(view: DocView, block: DIBlock):
    """(letters, ldcs, categories) of a DI block: [(hit, 'D')], [(hit, [Token])], [Token]."""
    vocab = view.vocab
    letters, ldcs = [], []
    for h in block.get("dissem"):
        toks = []
        for part, start in split_values(h.di.value.replace("/", ",")):
            letter = distribution_letter(part)
            if letter:
                letters.append((h, letter))
                continue
            tok = vocab.classify(part, h.di.value_start + start, "banner")
            if tok.kind == "ldc":
                toks.append(tok)
        if toks:
            ldcs.append((h, toks))
    cats: list[Token] = []
    for h in block.get("category"):
        for part, start in split_values(h.di.value):
            tok = vocab.classify(part, start, "banner")
            if tok.kind == "category":
                cats.append(tok)
    return letters, ldcs, cats


def _has_dissemination_list(view: DocView) -> bool:
    for v in view.file_views:
        if any(_DISSEM_LIST.search(b.text) for b in v.blocks if b.kind != "property"):
            return True
    return False
