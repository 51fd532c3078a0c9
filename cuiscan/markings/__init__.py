"""The marking validator: every ExtractedDoc of a file -> one MarkingResult (findings + marking facts).

    check_file(docs, ctx) -> list[MarkingResult]      one result per doc, same order
    warm_up(ctx)                                      load the registry, check modules and scan tables now

How it runs
    0. One cheap pass over each document's text (cuiscan.markings.prefilter) finds the few blocks that hold
       a key of some check family; everything below reads only those blocks (the banner positions of
       each unit are always read). Most blocks of real documents hold no marking at all.
    1. One DocView per ExtractedDoc (cuiscan.markings.view): units (pages/slides/sheets/sections),
       banner hits, portion marks, DI blocks -- parsed ONCE, shared by all checks.
    2. Views are linked: `view.file_views` (all documents of the file, in order), `view.parent` (the
       container document: an email for its attachments), `view.children` (its direct members).
    3. For each view, the modules named in CHECKS run in order: `check(view, ctx) -> Iterable[Finding]`.
       Each check's findings are appended to `view.findings` before the next check runs, so a later
       check can see earlier ones; checks record what they learn in the typed `view.facts` (DocFacts).
       Exact duplicates (same rule, location, evidence) are dropped. A finding of a rule whose rule book
       `profile` leaves out ctx.profile is dropped too: applicability is the rule book's alone
       (ctx.applies(rule_id) lets a check skip work that could only yield such findings). A check
       that raises is logged and skipped (ctx.strict re-raises).
    4. The MarkingResult is derived from the findings and facts:

       findings       every finding of every check, in CHECKS order
       banner         first CUI banner in banner position as written (top before bottom, unit order)
       categories     registry markings (no SP-) from banners, portions, DI `CUI Category:` values, in
                      order of first appearance
       is_marked      a CUI banner in banner position, a CUI banner line in the body, or CUI portion marks
       is_classified  any SPILL-001 finding
       has_legacy     any LEGACY-* finding other than LEGACY-004 (which says a legend is NOT legacy)
       distribution   facts.distribution (letter set by the DIST checks), else the letter on the DI
                      dissemination line
       decontrolled   facts.decontrolled (set by decon.py: DECON-002 date passed or DECON-003 decontrol
                      shown)
       originator     first `Controlled by:` value of the DI block

Rule ownership where rules overlap (so a careful reviewer's single finding is reported once):
    * banner placement per unit: BANNER-010 for docx/pdf/text formats; SLIDE-001 (pptx), SHEET-001 (xlsx)
      and EMAIL-001 (email) report placement for their formats using `placement.banner_gaps()`.
    * no banner at all but CUI portions/DI: BANNER-001 (not PORTION-005a, not BANNER-010).
    * a banner that combines CUI with legacy words (`CUI//FOUO`, `UNCLASSIFIED//CUI`): BANNER-002;
      legacy markings WITHOUT CUI (`FOUO`, `(U//FOUO)`, `UNCLASSIFIED//FOUO`): the LEGACY family.
    * supplemental/statement tokens inside a banner: BANNER-013; supplemental inside a portion: SUPP-001;
      statements inside a portion: BANNER-013.
    * DoD banner with categories/LDCs: BANNER-011 (no BANNER-003/006/008, LDC-* on it); BANNER-004 as
      well when a category is not in the Registry at all (a made-up category is wrong in any profile).
    * marking fields and wrapped lines ("Classification: CUI", "# CUI", "| CUI |"): cuiscan.markings.shell
      unwraps them; the banner they hold is reported like any banner (body position: BANNER-010).
    * SP- categories of portions missing from the NARA banner: BANNER-005; LDCs of portions missing
      from it: PORTION-005(b). DoD: portion categories/LDCs missing from the DI: DI-005.
    * classified documents (view.is_classified_marked): banner-vs-portion and placement checks defer
      to the CNSI/SPILL family.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterable, Protocol

from cuiscan.markings.diblock import distribution_letter
from cuiscan.markings.docfacts import named_categories
from cuiscan.markings.registry import Registry, load_registry
from cuiscan.markings.prefilter import prepare as prepare_scan
from cuiscan.markings.view import DocView
from cuiscan.markings.vocab import Vocabulary
from cuiscan.records import ExtractedDoc, Finding, MarkingResult
from cuiscan.rulebook import load_rulebook

log = logging.getLogger(__name__)

# Check modules under cuiscan.markings.checks, run in this order. Adding a family is one line here.
CHECKS: tuple[str, ...] = (
    "banner",
    "ldc",
    "portion",
    "di",
    "decon",
    "classified",
    "legacy",
    "supp",
    "dist",
    "export",
    "email_rules",
    "formats",
)


@dataclass(frozen=True, slots=True)
class MarkingContext:
    profile: str = "dod"                          # "dod" | "nara"
    today: date = field(default_factory=date.today)
    agency_requires_basic_categories: bool = False
    registry_path: str | None = None              # a newer cui-registry.yaml; None = rules/cui-registry.yaml
    strict: bool = False                          # re-raise check errors (tests); scans log and go on

    @property
    def dod(self) -> bool:
        return self.profile == "dod"

    @property
    def nara(self) -> bool:
        return self.profile == "nara"

    @property
    def registry(self) -> Registry:
        return load_registry(self.registry_path)

    def applies(self, rule_id: str) -> bool:
        """The rule book's `profile` of the rule admits this profile: the only test of applicability."""
        return rule_id not in _excluded(self.profile)


@lru_cache(maxsize=4)
def _excluded(profile: str) -> frozenset[str]:
    """The rules whose rule book profile leaves `profile` out: they never fire under it."""
    return frozenset(doc.id for doc in load_rulebook().values() if doc.profile not in ("both", profile))


class CheckModule(Protocol):
    def check(self, view: DocView, ctx: MarkingContext) -> Iterable[Finding]: ...


def load_checks(names: Iterable[str] = CHECKS) -> list[tuple[str, CheckModule]]:
    return [(n, importlib.import_module(f"cuiscan.markings.checks.{n}")) for n in names]


@lru_cache(maxsize=1)
def _default_checks() -> tuple[tuple[str, CheckModule], ...]:
    return tuple(load_checks())   # resolved once: the import machinery costs more than a plain document


def warm_up(ctx: MarkingContext | None = None) -> None:
    """Pay now what the first file would pay: registry, check modules, scan tables (scan start-up)."""
    vocabulary((ctx or MarkingContext()).registry)
    _default_checks()
    prepare_scan()


_VOCABS: dict[int, tuple[Registry, Vocabulary]] = {}


def vocabulary(registry: Registry) -> Vocabulary:
    """One Vocabulary (and parse cache) per loaded registry; load_registry caches the registry itself."""
    entry = _VOCABS.get(id(registry))
    if entry is None or entry[0] is not registry:
        if len(_VOCABS) > 4:
            _VOCABS.clear()
        entry = _VOCABS[id(registry)] = (registry, Vocabulary(registry))
    return entry[1]


def build_views(docs: list[ExtractedDoc], ctx: MarkingContext) -> list[DocView]:
    vocab = vocabulary(ctx.registry)
    views = [DocView(doc, vocab) for doc in docs]
    by_member = {v.member: v for v in views}
    for v in views:
        v.file_views = tuple(views)
        if v.member is not None:
            parent_member = v.member.rsplit("/", 1)[0] if "/" in v.member else None
            v.parent = by_member.get(parent_member)
            if v.parent is not None:
                v.parent.children.append(v)
    return views


def check_file(docs: list[ExtractedDoc], ctx: MarkingContext | None = None) -> list[MarkingResult]:
    ctx = ctx or MarkingContext()
    views = build_views(docs, ctx)
    modules = _default_checks()
    for view in views:
        if not view.doc.blocks:
            continue
        seen: set[tuple] = set()
        excluded = _excluded(ctx.profile)
        for name, module in modules:
            try:
                for f in module.check(view, ctx):
                    if f.rule_id in excluded:
                        continue
                    key = (f.rule_id, f.location, f.evidence, f.message)
                    if key not in seen:
                        seen.add(key)
                        view.findings.append(f)
            except Exception as exc:
                if ctx.strict:
                    raise
                # never log document text: the exception type and the check are enough to reproduce
                log.warning("marking check %s failed on a %s document: %s", name, view.ftype, type(exc).__name__)
    return [result_of(v) for v in views]


def result_of(view: DocView) -> MarkingResult:
    findings = tuple(view.findings)
    facts = view.facts
    if not (findings or view.banners or view.body_banners or view.portions or view.di_blocks):
        # nothing parsed, nothing found (most documents): only the facts a check learnt
        return MarkingResult(member=view.member, distribution=facts.distribution, decontrolled=facts.decontrolled)
    cui_banners = view.cui_banners
    banner = cui_banners[0].marking.text if cui_banners else None
    di_dissem = [h.di.value for b in view.di_blocks for h in b.get("dissem")]
    distribution = facts.distribution or next(
        (d for d in (distribution_letter(v) for v in di_dissem) if d), None)
    controlled = [h.di.value for b in view.di_blocks for h in b.get("controlled_by")]
    return MarkingResult(
        member=view.member,
        findings=findings,
        banner=banner,
        categories=_categories(view),
        is_marked=bool(cui_banners or view.body_banners or view.cui_portions),
        is_classified=any(f.rule_id == "SPILL-001" for f in findings),
        has_legacy=any(f.rule_id.startswith("LEGACY-") and f.rule_id != "LEGACY-004" for f in findings),
        distribution=distribution,
        decontrolled=facts.decontrolled,
        originator=controlled[0] if controlled else None,
    )


def _categories(view: DocView) -> tuple[str, ...]:
    return tuple(dict.fromkeys(named_categories(view)))
