"""BANNER-001..014: the banner line's content, syntax and placement (rule book section 1).

Which banner findings each profile gets:
    both  BANNER-001 (no banner / wrong control word), 002 (UNCLASSIFIED//CUI, CUI//FOUO, spelled out),
          010 (placement, docx/pdf/text formats), 013 (statements/supplementals inside the banner)
    nara  003, 004, 006, 008 (grammar of the banner line), 005 (SP- categories of portions/attachments
          missing), 007 (Basic categories, only with the agency policy flag), 009 (banner identical)
    dod   011 (banner carries more than CUI), 012 (UNCLASSIFIED interior pages), 014 ("may contain CUI"),
          004 only for a category that is not in the Registry at all (or a malformed SP- prefix)
Deviation-based findings are reported once per distinct banner text, at its first place.
"""
from __future__ import annotations

import re
from typing import Iterator

from cuiscan.markings.common import deviation_findings, finding
from cuiscan.markings.placement import banner_gaps, placement_rule
from cuiscan.markings.prefilter import DISCLAIMER
from cuiscan.markings.view import DocView, Hit
from cuiscan.records import Finding, Severity, Zone

_NOT_TEXT = (Zone.METADATA, Zone.FILENAME)
_NARA_GRAMMAR = ("BANNER-003", "BANNER-004", "BANNER-006", "BANNER-008")
_DOD_SKIP_004 = ("sp-not-specified", "not-basic")   # Registry authority details: NARA-only grammar
_DISCLAIMER = re.compile(
    r"\b(?:this|the|these|attached)\s+(?:document|e-?mail|message|file|presentation|briefing|attachment|report|"
    r"spreadsheet|workbook|slides?|enclosure|material|information|package)s?\s+(?:may|might|could)\s+"
    r"(?:contain|include)\s+(?:CUI|controlled\s+unclassified\s+information)\b", re.IGNORECASE)


def check(view: DocView, ctx) -> Iterator[Finding]:
    if not (view.banners or view.body_banners or view.portions or view.di_blocks) and DISCLAIMER not in view.candidates:
        return   # nothing any banner rule reads (most documents)
    hits = [h for h in view.banners + view.body_banners if h.marking.kind in ("cui", "unknown")]
    yield from _control_word(hits, ctx)
    yield from deviation_findings(hits, ("BANNER-001", "BANNER-002", "BANNER-013"), "banner")
    yield from deviation_findings([h for h in view.portions if h.marking.is_cui], "BANNER-013", "portion mark")
    # The banner grammar of categories and LDCs (BANNER-003/006/008 are NARA's: a DoD banner carries
    # none). A category the Registry does not have is a defect whatever the profile (BANNER-004), while
    # whether it is written with SP- is the Registry's authority detail, judged under NARA only.
    yield from deviation_findings(hits, _NARA_GRAMMAR, "banner", skip=() if ctx.nara else _DOD_SKIP_004)
    if ctx.applies("BANNER-011"):
        yield from _dod_only_cui(hits)
    if ctx.applies("BANNER-014"):
        yield from _disclaimer(view)
    if view.is_classified_marked or not view.is_cui_marked:
        return
    if not view.cui_banners and not view.body_banners:
        yield from _no_banner(view, ctx)
        return
    if placement_rule(view) == "BANNER-010":
        yield from _placement(view, ctx)
    if ctx.applies("BANNER-005"):
        yield from _specified_missing(view)
    if ctx.applies("BANNER-007"):
        yield from _basic_missing(view, ctx)
    if ctx.applies("BANNER-009"):
        yield from _identical(view)
    if ctx.applies("BANNER-012"):
        yield from _unclassified_pages(view)


def main_banner(view: DocView) -> Hit | None:
    cui = view.cui_banners
    return cui[0] if cui else None


def _control_word(hits: list[Hit], ctx) -> Iterator[Finding]:
    seen = set()
    for h in hits:
        ctl = h.marking.control
        if ctl is None or h.marking.kind != "cui" or h.marking.spelled_out or h.marking.text in seen:
            continue
        if ctx.dod and ctl.value == "CONTROLLED":
            seen.add(h.marking.text)
            yield finding("BANNER-001", f"banner '{h.marking.text}' uses CONTROLLED; the DoD control "
                          "marking is CUI only: write CUI", h.loc, evidence=h.marking.text, key="controlled")
        elif ctx.dod and ctl.text != ctl.value and ctl.text.upper() == ctl.value:
            seen.add(h.marking.text)
            yield finding("BANNER-001", f"banner '{h.marking.text}': the control marking is written "
                          f"'{ctl.text}'; write it in capitals: CUI", h.loc, evidence=h.marking.text, key="case", severity=Severity.WARNING)


def _dod_only_cui(hits: list[Hit]) -> Iterator[Finding]:
    groups: dict[str, list[Hit]] = {}
    for h in hits:
        mk = h.marking
        if mk.kind == "cui" and any(t.kind in ("category", "ldc", "unknown", "ic_control") for t in mk.tokens):
            groups.setdefault(mk.text, []).append(h)
    for text, group in groups.items():
        h, mk = group[0], group[0].marking
        listed = ", ".join(t.text for t in mk.tokens if t.kind in ("category", "ldc", "unknown", "ic_control"))
        more = f" (same banner in {len(group) - 1} more place{'s' if len(group) > 2 else ''})" if len(group) > 1 else ""
        yield finding("BANNER-011", f"DoD banner '{text}' carries {listed}{more}; DoD banner lines show "
                      "only CUI - write CUI and list categories and LDCs in the CUI designation indicator block",
                      h.loc, evidence=text, categories=mk.category_markings)


def _no_banner(view: DocView, ctx) -> Iterator[Finding]:
    evidence = view.cui_portions[0] if view.cui_portions else None
    if evidence is not None:
        what, loc, text = "CUI portion marks", evidence.loc, evidence.marking.text
    else:
        block = next(b for b in view.di_blocks if b.get("category"))
        what, loc, text = "a CUI designation indicator block", block.loc, block.get("category")[0].line.text.strip()
    where = "at the top and bottom of every page" if ctx.dod else "at the top of every page"
    if ctx.dod:
        fix = "add the banner CUI"
    else:
        sp = sorted({m for h in view.cui_portions for m in h.marking.sp_markings})
        fix = "add the banner " + ("CUI//" + "/".join("SP-" + s for s in sp) if sp else "CUI")
    if any(h.marking.kind == "uncontrolled" for h in view.banners):
        what += " but its banner says UNCLASSIFIED"
    yield finding("BANNER-001", f"the document carries {what} ({loc.describe()}) but no CUI banner; "
                  f"{fix} {where}", loc, evidence=text)


def _placement(view: DocView, ctx) -> Iterator[Finding]:
    main = main_banner(view) or (view.body_banners[0] if view.body_banners else None)
    text = main.marking.text if main and ctx.nara else "CUI"
    need = "the DoD profile requires CUI at the top and bottom of every page" if ctx.dod else \
        "the banner is required at the top of every page"
    body_note = ""
    if view.body_banners and not view.cui_banners:
        body_note = f"; the banner appears only in the body ({view.body_banners[0].loc.describe()})"
    for gap in banner_gaps(view, ctx.profile):
        part = "header" if gap.position == "top" else "footer"
        if gap.all_units:
            unit, loc = gap.locations()[0]
            noun = {"page": "page", "section": "section"}.get(unit.kind, unit.kind)
            msg = (f"no {noun} has a CUI banner at the {gap.position} ({len(gap.units)} {noun}s){body_note}; "
                   f"{need}: add {text} to the {part}")
            yield finding("BANNER-010", msg, loc, evidence=text, key=f"{gap.position}:all")
            continue
        for unit, loc in gap.locations():
            msg = f"{unit.describe()} has no CUI banner at the {gap.position}{body_note}; {need}: add {text} to the {part}"
            yield finding("BANNER-010", msg, loc, evidence=text,
                          key=f"{gap.position}:{unit.kind}:{unit.index}:{unit.variant or unit.name or ''}")


def _portion_sp(view: DocView) -> dict[str, Hit]:
    found: dict[str, Hit] = {}
    for h in view.cui_portions:
        for m in sorted(h.marking.sp_markings):
            found.setdefault(m, h)
    return found


def _specified_missing(view: DocView) -> Iterator[Finding]:
    main = main_banner(view)
    if main is None:
        return
    have = main.marking.sp_markings
    need = dict(_portion_sp(view))
    if view.is_email:
        for child in view.children:
            for h in child.cui_banners + child.cui_portions:
                for m in h.marking.sp_markings:
                    need.setdefault(m, h)
    missing = sorted(set(need) - have)
    if not missing:
        return
    places = "; ".join(f"SP-{m} in {need[m].loc.describe()}" for m in missing)
    suggestion = suggest_banner(view, main, extra_sp=missing)
    yield finding("BANNER-005", f"banner '{main.marking.text}' omits Specified categories used in the "
                  f"document ({places}); the banner must list every SP- category: write {suggestion}",
                  main.loc, evidence=main.marking.text, categories=missing)


def _basic_missing(view: DocView, ctx) -> Iterator[Finding]:
    main = main_banner(view)
    if not ctx.agency_requires_basic_categories or main is None:
        return
    have = {t.value for t in main.marking.categories}
    basic = sorted({t.value for h in view.cui_portions for t in h.marking.categories if not t.sp and t.category}
                   - have)
    if basic:
        yield finding("BANNER-007", f"banner '{main.marking.text}' omits Basic categories "
                      f"{', '.join(basic)} found in portion marks; agency policy requires Basic categories in "
                      f"the banner: write {suggest_banner(view, main, extra_basic=basic)}", main.loc,
                      evidence=main.marking.text, categories=basic)


def _identical(view: DocView) -> Iterator[Finding]:
    hits = [h for h in view.banners if h.marking.kind in ("cui", "uncontrolled")]
    if not view.cui_banners or len({h.marking.text for h in hits}) < 2:
        return
    ref = view.cui_banners[0]
    odd = next(h for h in hits if h.marking.text != ref.marking.text)
    variants = sorted({h.marking.text for h in hits})
    yield finding("BANNER-009", f"banner '{odd.marking.text}' ({odd.loc.describe()}) differs from "
                  f"'{ref.marking.text}' ({ref.loc.describe()}); one banner reflecting all CUI in the document must "
                  f"appear identically on every page (found: {', '.join(variants)})", odd.loc,
                  evidence=odd.marking.text)


def _unclassified_pages(view: DocView) -> Iterator[Finding]:
    first = view.first_unit()
    cui_units = {id(h.unit) for h in view.cui_portions}
    for h in view.banners:
        if h.marking.kind != "uncontrolled" or h.marking.blocks:
            continue
        if h.unit is first:
            why = "the first page must show CUI at the top and bottom"
        elif id(h.unit) in cui_units:
            why = f"{h.unit.describe()} contains CUI portions, so it must show CUI"
        else:
            continue   # interior page without CUI may be UNCLASSIFIED (DoD)
        yield finding("BANNER-012", f"{h.loc.describe()} is marked UNCLASSIFIED in a CUI document; {why}: "
                      "replace UNCLASSIFIED with CUI", h.loc, evidence=h.marking.text,
                      key=f"{h.position}:{h.unit.kind if h.unit else ''}:{h.unit.index if h.unit else ''}")


def _disclaimer(view: DocView) -> Iterator[Finding]:
    for b in view.candidates.blocks(DISCLAIMER):
        if b.loc.zone in _NOT_TEXT or b.kind == "quote" or \
                ("ontain" not in b.text and "ONTAIN" not in b.text and "nclude" not in b.text):
            continue   # cheap pre-filter: the regex only runs on the few blocks that could match
        m = _DISCLAIMER.search(b.text)
        if m is None or b.text[max(0, m.start() - 1):m.start()] in ("\"", "'", "\u201c", "\u2018"):
            continue
        yield finding("BANNER-014", f"'{m.group(0)}' ({b.loc.describe()}): a 'may contain CUI' "
                      "statement does not replace or supplement CUI markings; remove it and mark the document "
                      "(banner CUI and designation indicator) if it holds CUI", b.loc, evidence=m.group(0))
        return


def suggest_banner(view: DocView, main: Hit, extra_sp=(), extra_basic=()) -> str:
    """The NARA banner the document should carry: SP- categories, Basic categories, LDCs, in order."""
    mk = main.marking
    sp = sorted({t.value for t in mk.categories if t.sp and t.category} | set(extra_sp))
    basic = sorted({t.value for t in mk.categories if not t.sp and t.category} | set(extra_basic))
    ldcs = sorted({t.ldc.banner.replace("USA, <LIST>", "USA, " + ", ".join(t.countries[1:]))
                   for t in mk.ldcs if t.ldc}, key=str.upper)
    out = "CUI"
    if sp or basic:
        out += "//" + "/".join([f"SP-{s}" for s in sp] + basic)
    if ldcs:
        out += "//" + "/".join(ldcs)
    return out
