"""Signals -> one document-level score, candidate categories and an explanation.

How evidence adds up (all scores are 0..1):
- one rule: its best hit, raised a little by further distinct matches (ten SSNs say more than one);
- one category: noisy-OR over its rules and the model, each further one at half the weight of the one
  before (hints reinforce each other, but hints of one category are rarely independent);
- the document: the strongest category, raised by the others at half weight; it is flagged only
  when one category's rules alone (without the model) come within CATEGORY_SHARE of the threshold, or
  a sure model vote carries a category with weaker rule evidence (below);
- supporting rules (contract numbers, CAGE codes) raise a score that already exists, never make one;
- the model likewise needs rule evidence: its vote goes to a category that already has signal rule
  evidence (it only scores passages where a rule fired), and it weighs at most as much as that
  evidence, so a weak rule hit plus a fairly confident model stays below the bar (0.30 + model = 0.41)
  while a real indicator plus the model passes it (0.40 + model = 0.52). Only a SURE model
  (p >= MODEL_SURE, trained on a thousand documents of outside writers) is uncapped and may carry a
  category whose rules reach MODEL_LED_SHARE of the threshold: a weak rule hit the model reads as CUI;
- the term model (termmodel.py) reads every passage of the document's opening, rule hit or not. A sure
  reading (p >= TERM_SURE) carries a verdict on its own - always a warning - in its category (or the
  rules' strongest, when it ranks that one close); a CTI reading needs the document to name a military or
  space application or export control unless it is surer still (TERM_CONTEXT). When the rules alone would
  flag a document the term model read to the end and found no passage even TERM_FLOOR like CUI, the rule
  evidence is set aside - unless it is strong evidence (an error);
- dampeners (statement A, an article about CUI, the file's own CUI banner) multiply the scores of the
  categories they apply to; several dampeners do not compound, the strongest one counts.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from cuiscan.detection.matching import Hit
from cuiscan.detection.model import PassageScore
from cuiscan.detection.redact import digest, redact
from cuiscan.records import DetectResult, Location, MarkingResult, Signal

REPEAT_DECAY = 0.85      # each further distinct match removes 15% of the remaining doubt
REPEAT_CAP = 6
CORROBORATION_DECAY = 0.5   # weight of the 2nd, 3rd ... rule of a category relative to the one before
SECONDARY_WEIGHT = 0.5   # weight of categories other than the strongest in the document score
SUPPORT_WEIGHT = 0.5
MARKED_FACTOR = 0.5      # the document carries its own CUI banner: detection only informs categories
STATEMENT_A_FACTOR = 0.3
STATEMENT_A_CATEGORIES = ("CTI", "EXPT", "OPSEC")
MODEL_FLOOR = 0.5        # model probabilities below this are not evidence
CATEGORY_SHARE = 0.9     # the strongest category alone must reach this share of the threshold
# A sure model (p(CUI) >= MODEL_SURE on a passage where a rule of the category fired) is not capped by the
# rules' evidence, and carries the verdict when that category's rules reach MODEL_LED_SHARE of the threshold
# (0.30: one weak signal, e.g. engineering values in a military passage). Chosen by leave-one-writer-out CV
# (benchmarks/blind_cv.py, round 3): +12 CUI documents found for +1 false alarm in 1,044; p >= 0.8 gave +16/+3.
MODEL_SURE = 0.9
MODEL_LED_SHARE = 0.6
# Severity from confidence: a flagged document is strong evidence (DETECT-001 error) when its carrying
# category scores at least STRONG_SCORE and a rule that declares `severity: error` (a distribution
# statement B-F, SSNs next to names, internal hosts in scan results ...) scored at least STRONG_RULE
# in it. Everything else that is flagged stays a warning.
STRONG_SCORE = 0.7
STRONG_RULE = 0.6
# The term model (termmodel.py) reads every passage, rule hit or not. When its strongest passage reaches
# TERM_SURE it carries the verdict on its own (a warning, never an error: no rule vouches for it); when
# rule evidence would flag a document but the term model gives none of its passages even TERM_FLOOR,
# the rule evidence is set aside - unless a strong-evidence rule fired (SSNs next to names, a distribution
# statement B-F). Chosen by leave-one-writer-out cross-validation (scikit-learn runs over fourteen outside
# writers' groups, 2,654 documents): rules alone P 0.941 R 0.692; with the term model P 0.976 R 0.949
# (0.80 / 0.40), P 0.975 R 0.932 (0.85 / 0.40), P 0.962 R 0.950 (0.80 / 0.20). The shipped scan over all
# sixteen groups (benchmarks/blind_cv.py, 3,054 documents): P 0.980 R 0.920, rules alone 0.943 / 0.681.
TERM_SURE = 0.8
TERM_FLOOR = 0.4
# Technical text is not CTI by itself: a CTI reading under TERM_CONTEXT_FREE counts only in a document that
# names a military or space application or export control (the packs' word groups below); a car radar's
# test values or a journal's methods section read like engineering data. 0.92: the highest bar that keeps CTI
# recall >= 0.85 in blind_cv.py (0.93: CTI 0.830; 0.92: 0.852, overall P 0.980 R 0.920; without the
# condition the scikit-learn runs gave P 0.967 R 0.950, with it and no bar 0.984 / 0.853).
TERM_CONTEXT = {"CTI": ("military_application", "space_application", "export_control")}
TERM_CONTEXT_FREE = 0.92


@dataclass(frozen=True, slots=True)
class Located:
    hit: Hit
    loc: Location


@dataclass(frozen=True, slots=True)
class ModelVote:
    score: PassageScore
    loc: Location
    text: str          # the passage; only the winning vote's digest is ever needed, so it is made late

    @property
    def digest(self) -> str:
        return digest(self.text)


def assess(member: str | None, hits: list[Located], votes: list[ModelVote], marking: MarkingResult | None,
           threshold: float, model_weight: float, show_raw: bool = False, term: ModelVote | None = None,
           context: Callable[[str], bool] = lambda category: True, term_read_all: bool = True) -> DetectResult:
    """`term`: the term model's strongest passage, `term_read_all`: whether it read the whole document (only
    then may it set rule evidence aside); `context(category)`: whether the document names the application
    TERM_CONTEXT asks of that category (called only when it matters: it reads the whole text)."""
    factors, damp_notes = _dampening(hits, marking)
    signals: list[Signal] = []
    notes: list[str] = []
    by_category: dict[str, list[float]] = defaultdict(list)
    support: list[float] = []
    by_rule: dict[str, list[Located]] = defaultdict(list)
    for item in hits:
        if item.hit.rule.role != "dampen":
            by_rule[item.hit.rule.id].append(item)
    by_rule_best: dict[str, tuple[object, float]] = {}
    for rule_id, items in by_rule.items():
        rule = items[0].hit.rule
        best = max(items, key=lambda i: i.hit.score)
        distinct = len({" ".join(i.hit.value.split()).casefold() for i in items})
        score = 1 - (1 - best.hit.score) * REPEAT_DECAY ** (min(distinct, REPEAT_CAP) - 1)
        score *= factors.get(rule.category, factors.get("*", 1.0))
        by_rule_best[rule_id] = (rule, score)
        evidence = redact(rule.redact, best.hit.value, rule.name)   # what may be stored, always redacted
        raw = redact(rule.redact, best.hit.value, rule.name, True) if show_raw else ""
        signals.append(Signal(rule_id=rule_id, category=rule.category, score=round(score, 4), location=best.loc,
                              evidence=evidence, digest=digest(best.hit.value), raw=raw))
        where = best.loc.describe()
        extra = f", {distinct} distinct matches" if distinct > 1 else ""
        ctx = ", context words near" if best.hit.context else ""
        notes.append(f"{rule_id} {evidence} at {where} ({score:.2f}{extra}{ctx}{', supporting' if rule.role == 'support' else ''})")
        (support if rule.role == "support" else by_category[rule.category]).append(score)
    rules_only = {cat: _corroborate(scores) for cat, scores in by_category.items()}
    model_signal = _model_signal(votes, factors, model_weight, by_category) if by_category else None
    if model_signal is not None:
        signals.append(model_signal)
        by_category[model_signal.category].append(model_signal.score)
        notes.append(f"model {model_signal.evidence} at {model_signal.location.describe()} ({model_signal.score:.2f})")
    ranked, doc = _document(by_category, support, threshold)
    # one category must carry the verdict, on its rules' own evidence: weak hints of several categories
    # (a long public regulation names export, privacy and procurement words everywhere) and the model's
    # vote raise the score, never flag on their own
    rules_best = max(rules_only.values(), default=0.0)
    model_led = model_signal is not None and sure_vote(votes) and \
        rules_only.get(model_signal.category, 0.0) >= threshold * MODEL_LED_SHARE
    by_rules = bool(ranked) and ranked[0][1] > 0 and doc >= threshold and \
        (rules_best >= threshold * CATEGORY_SHARE or model_led)
    strong_rules = sorted(strong_rules_in(by_rule_best, ranked[0][0])) if by_rules else []
    strong = by_rules and ranked[0][1] >= STRONG_SCORE and bool(strong_rules)
    strong_head = (f" [error: {', '.join(strong_rules)} over {STRONG_RULE:g}, {ranked[0][0]} {ranked[0][1]:.2f}"
                   f" >= {STRONG_SCORE:g}]") if strong else ""
    set_aside = by_rules and not strong and term is not None and term_read_all and term.score.cui < TERM_FLOOR
    if by_rules and not set_aside and rules_best < threshold * CATEGORY_SHARE:
        notes.append(f"carried by the sure model vote (p >= {MODEL_SURE:g}) on {model_signal.category} rule evidence "
                     f"{rules_only[model_signal.category]:.2f} >= {threshold * MODEL_LED_SHARE:.2f}")
    if set_aside:
        notes.append(f"rule evidence set aside: the term model read the whole text and no passage as CUI "
                     f"(best p={term.score.cui:.2f} < {TERM_FLOOR:g}) and no strong-evidence rule fired")
    term_signal = None
    if term is not None and term.score.cui >= TERM_SURE:   # a verdict the rules carry keeps their category
        term_signal = _term_signal(term, factors, rules_only, ranked[0][0] if by_rules else None)
    if term_signal is not None and term_signal.category in TERM_CONTEXT and term.score.cui < TERM_CONTEXT_FREE \
            and not context(term_signal.category):
        notes.append(f"term model {term_signal.evidence} not counted: under p {TERM_CONTEXT_FREE:g} a "
                     f"{term_signal.category} reading needs the document to name a "
                     f"{' or '.join(g.replace('_', ' ') for g in TERM_CONTEXT[term_signal.category])}, and it names none")
        term_signal = None
    term_led = False
    if term_signal is not None:
        signals.append(term_signal)
        by_category[term_signal.category].append(term_signal.score)
        notes.append(f"term model {term_signal.evidence} at {term_signal.location.describe()} ({term_signal.score:.2f})")
        ranked, doc = _document(by_category, support, threshold)
        term_led = not by_rules and term_signal.score >= threshold
        if term_led:
            notes.append(f"carried by the term model (p >= {TERM_SURE:g}); no rule evidence reached the bar")
    flagged = (by_rules and not set_aside) or term_led
    categories = tuple(c for c, s in ranked if s >= 0.5 * ranked[0][1] and s > 0.05) if ranked else ()
    signals.sort(key=lambda s: (s.rule_id == "NLP", -s.score))   # rule evidence first: what an assessor can check
    verdict = ("likely CUI, strong evidence" if strong else "likely CUI") if flagged else \
        "rule evidence set aside" if set_aside else "below threshold"
    head = f"score {doc:.2f} vs threshold {threshold:.2f}: {verdict}"
    if categories:
        head += f" ({', '.join(categories)})"
    head += strong_head
    explanation = "; ".join([head, *sorted(notes, key=_note_rank), *damp_notes])
    return DetectResult(member=member, score=round(doc, 4), categories=categories, signals=tuple(signals),
                        explanation=explanation, flagged=flagged, strong=strong)


def _document(by_category: dict[str, list[float]], support: list[float],
              threshold: float) -> tuple[list[tuple[str, float]], float]:
    """Categories ranked by their corroborated score, and the document's score."""
    ranked = sorted(((c, _corroborate(v)) for c, v in by_category.items()), key=lambda kv: kv[1], reverse=True)
    primary = bool(ranked) and ranked[0][1] > 0
    doc = 0.0
    if ranked:
        doc = 1 - (1 - ranked[0][1]) * _product(1 - SECONDARY_WEIGHT * s for _, s in ranked[1:])
    support_score = _noisy_or(support)
    if support_score and primary:
        doc = 1 - (1 - doc) * (1 - SUPPORT_WEIGHT * support_score)
    elif support_score:
        doc = min(SUPPORT_WEIGHT * support_score, 0.9 * threshold)   # identifiers alone never reach the bar
    return ranked, doc


def strong_rules_in(by_rule_best: dict[str, tuple[object, float]], category: str) -> list[str]:
    """IDs of the rules of `category` that declare strong evidence (`severity: error` in their pack)
    and reached STRONG_RULE in this document."""
    return [rid for rid, (rule, score) in by_rule_best.items()
            if rule.category == category and rule.role == "signal" and rule.severity.value == "error"
            and score >= STRONG_RULE]


def _dampening(hits: list[Located], marking: MarkingResult | None) -> tuple[dict[str, float], list[str]]:
    """Category -> multiplier ('*' = every category), and one note per active dampener."""
    values: dict[str, set[str]] = defaultdict(set)
    rules = {}
    for item in hits:
        if item.hit.rule.role == "dampen":
            values[item.hit.rule.id].add(" ".join(item.hit.value.split()).casefold())
            rules[item.hit.rule.id] = item.hit.rule
    active: list[tuple[tuple[str, ...], float, str]] = []
    for rule_id, seen in values.items():
        rule = rules[rule_id]
        if len(seen) >= rule.min_distinct:
            active.append((rule.applies_to or ("*",), rule.factor, f"{rule_id} {rule.name}"))
    if marking is not None and marking.is_marked:
        active.append((("*",), MARKED_FACTOR, "document carries its own CUI banner"))
    if marking is not None and (marking.distribution or "").upper() == "A":
        active.append((STATEMENT_A_CATEGORIES, STATEMENT_A_FACTOR, "marked with distribution statement A"))
    factors: dict[str, float] = {}
    for cats, factor, _ in active:
        for cat in cats:
            factors[cat] = min(factors.get(cat, 1.0), factor)
    if "*" in factors:
        for cat in list(factors):
            factors[cat] = min(factors[cat], factors["*"])
    notes = [f"lowered by {note} (x{factor:g} on {', '.join(cats) if cats != ('*',) else 'all categories'})"
             for cats, factor, note in active]
    return factors, notes


def _model_signal(votes: list[ModelVote], factors: dict[str, float], weight: float,
                  by_category: dict[str, list[float]]) -> Signal | None:
    """The model's vote for the rule-supported category it rates highest, never above that category's
    rule evidence: the model corroborates what the rules found, it does not find on its own."""
    if not votes:
        return None
    best = max(votes, key=lambda v: v.score.cui)
    if best.score.cui < MODEL_FLOOR:
        return None
    supported = {c: _corroborate(scores) for c, scores in by_category.items() if scores}
    if not supported:
        return None
    ranked = dict(best.score.categories)
    category = best.score.top_category if best.score.top_category in supported else \
        max(supported, key=lambda c: (ranked.get(c, 0.0), supported[c]))
    score = weight * best.score.cui * factors.get(category, factors.get("*", 1.0))
    if best.score.cui < MODEL_SURE:   # a sure vote is not capped (see MODEL_SURE)
        score = min(score, supported[category])
    return Signal(rule_id="NLP", category=category, score=round(score, 4), location=best.loc,
                  evidence=f"[model {category} p={best.score.cui:.2f}]", digest=best.digest)


def _term_signal(term: ModelVote, factors: dict[str, float], rules_only: dict[str, float],
                 carried: str | None = None) -> Signal:
    """The term model's vote for a sure passage: the category the rules' verdict is `carried` by, if they
    flag the document; else its own category, or the one the rules support most when the term model ranks
    that one close behind (the rules read the passage's indicators; the term model's category head only
    its words)."""
    ranked = dict(term.score.categories)
    category = carried or term.score.top_category or "CUI"
    if rules_only and not carried:
        ruled = max(rules_only, key=rules_only.get)
        if ranked.get(ruled, 0.0) >= 0.5 * ranked.get(category, 0.0):
            category = ruled
    score = term.score.cui * factors.get(category, factors.get("*", 1.0))
    return Signal(rule_id="NLP", category=category, score=round(score, 4), location=term.loc,
                  evidence=f"[term model {category} p={term.score.cui:.2f}]", digest=term.digest)


def sure_vote(votes: list[ModelVote]) -> bool:
    return max((v.score.cui for v in votes), default=0.0) >= MODEL_SURE


def _corroborate(scores: list[float]) -> float:
    """Noisy-OR where each further rule counts half as much as the one before: indicators of one
    category are correlated (two privacy phrases in one policy text are not two independent proofs)."""
    doubt = 1.0
    for rank, score in enumerate(sorted(scores, reverse=True)):
        doubt *= 1 - score * CORROBORATION_DECAY ** rank
    return 1 - doubt


def _noisy_or(scores: list[float]) -> float:
    return 1 - _product(1 - s for s in scores) if scores else 0.0


def _product(values) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


def _note_rank(note: str) -> float:
    """Strongest evidence first: notes end with '(score...' ."""
    try:
        return -float(note.rsplit("(", 1)[1].split(",")[0].rstrip(")"))
    except (IndexError, ValueError):
        return 0.0
