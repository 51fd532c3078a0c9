"""`cuiscan inspect --explain FILE`: per passage, what detection saw; per document, why the verdict.

A user who asks "why was this missed" (or "why was this flagged") gets, for every passage that
carries anything: the rules that fired (score, role, redacted evidence), the rules held back because
the passage lacks a word they need (e.g. engineering values with no military application in sight),
the passage model's p(CUI) and its strongest categories, the term model's p(CUI) and category; then the
document's score, the category that carried it, the dampeners, the severity and the reason DETECT-001
was or was not given (rule evidence, the term model carrying a verdict, or rule evidence set aside).

Unlike a scan, every passage is matched in full and every passage with text is scored by the model
(a scan scores only the strongest passages within a budget): the explanation shows everything, the
verdict it reports is the scan's own (Detector.detect).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cuiscan.detection.detector import NOT_WRITTEN, TERM_CHAR_BUDGET, Detector
from cuiscan.detection.matching import has_digit
from cuiscan.detection.passages import Passage, build_passages, lower_same_length
from cuiscan.detection.redact import redact
from cuiscan.detection.scoring import (
    CATEGORY_SHARE, MODEL_FLOOR, MODEL_LED_SHARE, MODEL_SURE, STRONG_RULE, STRONG_SCORE, TERM_FLOOR, TERM_SURE,
)
from cuiscan.detection.termmodel import MIN_WORDS
from cuiscan.records import DetectResult, ExtractedDoc, MarkingResult

MODEL_SHOWN = MODEL_FLOOR   # a passage without rule hits is listed when the model's vote there would count


@dataclass
class PassageView:
    where: str
    chars: int
    fired: list[str] = field(default_factory=list)       # "CTI-013 engineering values ... 0.30 (signal)"
    held: list[str] = field(default_factory=list)        # "CTI-013 held back: no word of military_application"
    model: str = ""                                       # "p(CUI)=0.91; CTI 0.88, EXPT 0.10"
    terms: str = ""                                       # "term model p(CUI)=0.86; CTI 0.71"

    @property
    def worth_showing(self) -> bool:
        return bool(self.fired or self.held or self.model or self.terms)


@dataclass
class DocExplanation:
    member: str | None
    passages: list[PassageView]
    quiet: int              # passages with nothing to say
    verdict: list[str]      # the document-level lines


def explain_doc(detector: Detector, doc: ExtractedDoc, marking: MarkingResult | None,
                show_raw: bool = False) -> DocExplanation:
    skip = [marking.banner] if marking is not None and marking.banner else []
    passages = build_passages(doc, skip)
    from cuiscan.detection.detector import near_passages

    engine = detector.engine
    word_sets = [engine.passage_words(lower_same_length(p.text)) for p in passages]
    topics = [engine.topic_words(near_passages(word_sets, i), w) for i, w in enumerate(word_sets)]
    views = [_passage_view(detector, p, show_raw, topic) for p, topic in zip(passages, topics)]
    _add_model(detector, passages, views)
    _add_terms(detector, passages, views)
    result = detector.detect(doc, marking)
    shown = [v for v in views if v.worth_showing]
    return DocExplanation(member=doc.member, passages=shown, quiet=len(views) - len(shown),
                          verdict=_verdict_lines(result, marking, detector.options.threshold))


def _passage_view(detector: Detector, passage: Passage, show_raw: bool, topic: frozenset[str]) -> PassageView:
    engine = detector.engine
    text = passage.text
    low = lower_same_length(text)
    words = engine.passage_words(low)
    digit = has_digit(text)
    opened = engine.open_rules(words, digit, topic)
    hits = engine.scan_regex(text, low, opened, words, single_spaced=True, topic=topic)
    if engine.needs_spacy(opened):
        from cuiscan.detection.passages import zero_digits

        hits += engine.scan_doc(detector.nlp.tokenizer(zero_digits(low)), text, low, opened)
    view = PassageView(where=passage.locs[0].describe(), chars=len(text))
    best: dict[str, tuple[float, str, int]] = {}
    for hit in hits:
        rule = hit.rule
        evidence = redact(rule.redact, hit.value, rule.name, show_raw)
        count = best.get(rule.id, (0.0, "", 0))[2] + 1
        if hit.score >= best.get(rule.id, (-1.0, "", 0))[0]:
            best[rule.id] = (hit.score, evidence, count)
        else:
            best[rule.id] = (*best[rule.id][:2], count)
    for rule_id, (score, evidence, count) in sorted(best.items(), key=lambda kv: -kv[1][0]):
        rule = detector.rules.by_id(rule_id)
        role = {"signal": "signal", "support": "supporting only", "dampen": f"dampener x{rule.factor:g}"}[rule.role]
        many = f", {count} matches" if count > 1 else ""
        strong = ", strong-evidence rule" if rule.severity.value == "error" and rule.role == "signal" else ""
        via = _needs_found(rule, words, topic)
        view.fired.append(f"{rule_id} {rule.name}: {evidence} ({score:.2f}, {rule.category}, {role}{many}{strong}{via})")
    for rule_id, missing in engine.held_back(words | topic, digit):
        rule = detector.rules.by_id(rule_id)
        if engine.scan_regex(text, low, frozenset({rule_id}), words, single_spaced=True, ignore_needs=True):
            view.held.append(f"{rule_id} {rule.name} would match, held back: no word of "
                             f"{rule.needs_names[missing]} in this passage")
    return view


def _needs_found(rule, words: frozenset[str], topic: frozenset[str]) -> str:
    """', with military_application: warhead': the words that let a rule with `needs` run here
    (marked 'nearby' when a neighbouring passage or the title holds it)."""
    from cuiscan.detection.context import WORD_RE

    found = []
    for name, group in zip(rule.needs_names, rule.needs):
        present = [w for w in group if set(WORD_RE.findall(w)) <= words][:3] or \
            [f"{w} (nearby)" for w in group if w in topic][:3]
        found.append(f"{name}: {', '.join(present)}")
    return f", with {'; '.join(found)}" if found else ""


def _add_model(detector: Detector, passages: list[Passage], views: list[PassageView]) -> None:
    model = detector.model
    if model is None:
        return
    try:
        scores = model.score_texts([p.text for p in passages]) if passages else []
    except Exception as exc:  # an explanation must not fail because the model did
        for view in views:
            view.model = f"model failed: {type(exc).__name__}"
        return
    for view, score in zip(views, scores):
        cats = ", ".join(f"{c} {p:.2f}" for c, p in score.categories[:3])
        if view.fired or view.held or score.cui >= MODEL_SHOWN:
            view.model = f"p(CUI)={score.cui:.2f}" + (f"; {cats}" if cats else "")


def _add_terms(detector: Detector, passages: list[Passage], views: list[PassageView]) -> None:
    """The term model's reading of every passage it reads (those with MIN_WORDS words it knows); a scan
    reads only the document's opening (TERM_CHAR_BUDGET), so a passage past it is marked."""
    if detector.terms is None:
        return
    written = [(p, v) for p, v in zip(passages, views) if p.locs[0].zone not in NOT_WRITTEN]
    if not written:
        return
    cui, reads = detector.terms.read_many([p.text for p, _ in written])
    budget = TERM_CHAR_BUDGET
    for (passage, view), p_cui, read in zip(written, cui, reads):
        beyond = "" if budget > 0 else f" (past the first {TERM_CHAR_BUDGET:,} characters: a scan does not read it)"
        budget -= len(passage.text)
        if not read:
            if view.fired or view.held:
                view.terms = f"term model: not read (fewer than {MIN_WORDS} words it knows)"
        elif view.fired or view.held or view.model or p_cui >= TERM_FLOOR:
            score = detector.terms.score(passage.text)
            view.terms = f"term model p(CUI)={score.cui:.2f}; {score.top_category} {score.categories[0][1]:.2f}{beyond}"


def _verdict_lines(result: DetectResult, marking: MarkingResult | None, threshold: float) -> list[str]:
    lines = [f"detector: {result.explanation}"]
    if marking is not None and marking.is_classified:
        lines.append("no DETECT-001: the document carries classified markings (SPILL-001's business)")
        return lines
    if marking is not None and marking.is_marked:
        lines.append(f"no DETECT-001: the document is marked ({marking.banner or 'CUI'}); detection only informs its categories")
        return lines
    signals = [s for s in result.signals if s.rule_id != "NLP"]
    if result.flagged and "carried by the term model" in result.explanation:
        lines.append(f"DETECT-001 (warning): the term model reads a passage as CUI (p >= {TERM_SURE:g}), carried by "
                     f"{', '.join(result.categories)}; no rule evidence reached the bar, so never an error")
    elif result.flagged:
        severity = "error" if result.strong else "warning"
        why = (f"strong evidence: a strong-evidence rule over {STRONG_RULE:g} and the category at or over {STRONG_SCORE:g}"
               if result.strong else f"not strong evidence (error needs a strong-evidence rule over {STRONG_RULE:g} "
               f"and the category at or over {STRONG_SCORE:g})")
        lines.append(f"DETECT-001 ({severity}): score {result.score:.2f} >= threshold {threshold:.2f}, carried by "
                     f"{', '.join(result.categories)}; {why}")
    elif "not counted: under p" in result.explanation:
        lines.append("no DETECT-001: the term model reads a passage as CTI, but not surely enough to count in a "
                     "document that names no military or space application or export control (technical text "
                     "alone is not CTI)")
    elif "rule evidence set aside" in result.explanation:
        lines.append(f"no DETECT-001: the rules alone would flag it, but the term model reads no passage as CUI "
                     f"(all under {TERM_FLOOR:g}) and no strong-evidence rule fired")
    elif not signals:
        lines.append("no DETECT-001: no signal rule fired and the term model read no passage as CUI "
                     f"(it flags from p >= {TERM_SURE:g}; the passage model only scores passages where a rule fired, "
                     f"its votes under {MODEL_FLOOR:g} are not evidence)")
    else:
        lines.append(f"no DETECT-001: score {result.score:.2f}; a single category must reach "
                     f"{CATEGORY_SHARE * threshold:.2f} on its rules (or {MODEL_LED_SHARE * threshold:.2f} with a model "
                     f"vote p >= {MODEL_SURE:g}) and the document {threshold:.2f} (look for rules held back "
                     "above, and for dampeners in the detector line)")
    return lines


def explain_file(detector: Detector, docs: list[ExtractedDoc], markings: list[MarkingResult],
                 show_raw: bool = False) -> list[DocExplanation]:
    by_member = {m.member: m for m in markings}
    out = []
    for doc in docs:
        try:
            out.append(explain_doc(detector, doc, by_member.get(doc.member), show_raw))
        except Exception as exc:  # one broken member must not hide the others' explanations
            out.append(DocExplanation(doc.member, [], 0, [f"explanation failed: {type(exc).__name__}"]))
    return out
