"""Run the rule packs over a passage: regex rules with `re`, phrase and token rules with spaCy.

Cost control: a passage's word set is computed once (a C-speed regex); a rule whose anchors are not
in it is skipped, and a passage with no phrase/token anchor is never tokenised for matching. Regex
rules without anchors (numbers: SSNs, DoD IDs) run on every passage; they are cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from cuiscan.detection.packs import COMMON_WORDS, Rule
from cuiscan.detection.validators import VALIDATORS

WORD_RE = re.compile(r"[a-z0-9]+")
_WORDS_PER_CHAR_WINDOW = 16   # generous: a window of N words looks at most N*16 characters each way


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule match inside a passage. `value` is raw text: it never leaves the detector."""

    rule: Rule
    start: int
    end: int
    value: str
    score: float
    context: bool


class RuleEngine:
    """Compiled form of a set of rules, sharing one spaCy vocabulary."""

    def __init__(self, rules: Iterable[Rule], nlp):
        from spacy.matcher import Matcher, PhraseMatcher

        self.rules = tuple(rules)
        self._by_id = {r.id: r for r in self.rules}
        self._regex: list[tuple[Rule, tuple[re.Pattern, ...]]] = []
        self._context = {r.id: _context_regex(r.context.words) for r in self.rules if r.context.words}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.token_matcher = Matcher(nlp.vocab)
        spacy_anchors: set[str] = set()
        for rule in self.rules:
            if rule.kind == "pattern":
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                self._regex.append((rule, tuple(re.compile(p, flags) for p in rule.patterns)))
            elif rule.kind == "phrase":
                self.phrase_matcher.add(rule.id, [nlp.make_doc(p.lower()) for p in rule.patterns])
                spacy_anchors |= rule.anchors
            else:
                self.token_matcher.add(rule.id, [list(p) for p in rule.patterns])
                spacy_anchors |= rule.anchors
        self.spacy_anchors = frozenset(spacy_anchors)
        self.topic_words = frozenset(_topic_words(self.rules))

    def needs_spacy(self, words: set[str]) -> bool:
        return not self.spacy_anchors.isdisjoint(words)

    def scan_regex(self, text: str, lower: str, words: set[str]) -> list[Hit]:
        hits: list[Hit] = []
        for rule, patterns in self._regex:
            if rule.anchors and rule.anchors.isdisjoint(words):
                continue
            for pattern in patterns:
                for m in pattern.finditer(text):
                    value = m.group("v") if "v" in pattern.groupindex and m.group("v") else m.group(0)
                    hit = self._judge(rule, m.start(), m.end(), value, lower)
                    if hit:
                        hits.append(hit)
        return _dedupe(hits)

    def scan_doc(self, sdoc, text: str, lower: str) -> list[Hit]:
        """Phrase and token rules over a spaCy Doc made from `lower` (same offsets as `text`)."""
        hits: list[Hit] = []
        vocab = sdoc.vocab
        for matcher in (self.phrase_matcher, self.token_matcher):
            if len(matcher) == 0:
                continue
            for match_id, start, end in matcher(sdoc):
                rule = self._by_id[vocab.strings[match_id]]
                span = sdoc[start:end]
                hit = self._judge(rule, span.start_char, span.end_char, text[span.start_char:span.end_char], lower)
                if hit:
                    hits.append(hit)
        return _dedupe(hits)

    def _judge(self, rule: Rule, start: int, end: int, value: str, lower: str) -> Hit | None:
        factor = 1.0
        if rule.validator:
            result = VALIDATORS[rule.validator](value)
            if result is None:
                return None
            factor = result
        has_context = False
        pattern = self._context.get(rule.id)
        if pattern is not None:
            has_context = pattern.search(_window(lower, start, end, rule.context.window)) is not None
            if rule.context.required and not has_context:
                return None
        score = rule.score * factor + (rule.context.boost if has_context else 0.0)
        return Hit(rule=rule, start=start, end=end, value=value, score=min(score, 0.99), context=has_context)


def words_of(lower: str) -> set[str]:
    return set(WORD_RE.findall(lower))


def _window(lower: str, start: int, end: int, words: int) -> str:
    reach = words * _WORDS_PER_CHAR_WINDOW
    before = lower[max(0, start - reach):start].split()[-words:] if words else []
    after = lower[end:end + reach].split()[:words] if words else []
    return " ".join([*before, lower[start:end], *after])


def _context_regex(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _topic_words(rules: tuple[Rule, ...]) -> set[str]:
    """Vocabulary that makes a passage worth a model score even without a rule hit."""
    words: set[str] = set()
    for rule in rules:
        if rule.role != "signal":
            continue
        for phrase in rule.context.words:
            words.update(w for w in WORD_RE.findall(phrase) if w not in COMMON_WORDS and len(w) > 2)
        words |= {w for w in rule.anchors if w not in COMMON_WORDS and len(w) > 2}
    return words


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and start offset (alternative patterns of a rule often overlap)."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule.id, hit.start)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return sorted(best.values(), key=lambda h: h.start)
