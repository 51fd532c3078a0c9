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
from cuiscan.detection.passages import token_text
from cuiscan.detection.validators import VALIDATORS

WORD_RE = re.compile(r"[a-z0-9]+")
_DIGIT_RE = re.compile(r"\d")
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
    """Compiled form of a set of rules, sharing one spaCy vocabulary.

    Each rule gets a gate, a necessary condition checked on the passage's word set before any
    matching: one of its anchors, all words of one of its phrases, one word of its required context,
    a digit for number rules. Only passages some phrase/token rule could match are tokenised.
    """

    def __init__(self, rules: Iterable[Rule], nlp):
        from spacy.matcher import Matcher, PhraseMatcher

        self.rules = tuple(rules)
        self._by_id = {r.id: r for r in self.rules}
        self._regex: list[tuple[Rule, tuple[re.Pattern, ...]]] = []
        self._context = {r.id: _context_regex(r.context.words) for r in self.rules if r.context.words}
        self._gates = {r.id: _gate(r) for r in self.rules}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._phrase_rules: list[Rule] = []
        self._token_matchers: list[tuple[Rule, Matcher]] = []   # one per rule: run only where its gate opens
        for rule in self.rules:
            if rule.kind == "pattern":
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                self._regex.append((rule, tuple(re.compile(p, flags) for p in rule.patterns)))
            elif rule.kind == "phrase":
                self.phrase_matcher.add(rule.id, [nlp.make_doc(token_text(p)) for p in rule.patterns])
                self._phrase_rules.append(rule)
            else:
                matcher = Matcher(nlp.vocab)
                matcher.add(rule.id, [list(p) for p in rule.patterns])
                self._token_matchers.append((rule, matcher))
        self._spacy_ids = frozenset(r.id for r in self.rules if r.kind != "pattern")
        # a token pattern is at most this long, so a window of that reach around an anchor holds any match
        self._window_tokens = max((len(p) for r in self.rules if r.kind == "token" for p in r.patterns), default=1) + 4
        self._ungated = tuple(r for r in self.rules if not r.anchors)
        self._anchor_index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for word in rule.anchors:
                self._anchor_index.setdefault(word, []).append(rule)
        self.topic_words = frozenset(_topic_words(self.rules))

    def open_rules(self, words: set[str], has_digit: bool) -> frozenset[str]:
        """IDs of the rules whose gate this passage opens (computed once, used by every matcher)."""
        candidates = list(self._ungated)
        for word in self._anchor_index.keys() & words:
            candidates.extend(self._anchor_index[word])
        return frozenset(r.id for r in candidates if self._open(r, words, has_digit))

    def _open(self, rule: Rule, words: set[str], has_digit: bool) -> bool:
        context, needs_digit = self._gates[rule.id]
        if needs_digit and not has_digit:
            return False
        if context and not any(c <= words for c in context):
            return False
        return not rule.phrase_words or any(pw <= words for pw in rule.phrase_words)

    def needs_spacy(self, open_ids: frozenset[str]) -> bool:
        return not self._spacy_ids.isdisjoint(open_ids)

    def scan_regex(self, text: str, lower: str, open_ids: frozenset[str]) -> list[Hit]:
        hits: list[Hit] = []
        for rule, patterns in self._regex:
            if rule.id not in open_ids:
                continue
            for pattern in patterns:
                for m in pattern.finditer(text):
                    value = m.group("v") if "v" in pattern.groupindex and m.group("v") else m.group(0)
                    hit = self._judge(rule, m.start(), m.end(), value, lower)
                    if hit:
                        hits.append(hit)
        return _dedupe(hits)

    def scan_doc(self, sdoc, text: str, lower: str, open_ids: frozenset[str] | None = None) -> list[Hit]:
        """Phrase and token rules over a spaCy Doc made from token_text(text) (same offsets as `text`)."""
        hits: list[Hit] = []
        if self._phrase_rules and (open_ids is None or any(r.id in open_ids for r in self._phrase_rules)):
            hits += self._collect(self.phrase_matcher(sdoc), sdoc, 0, text, lower)
        for rule, matcher in self._token_matchers:
            if open_ids is None or rule.id in open_ids:
                # the Matcher's cost grows with tokens x patterns: run it only near the rule's anchors
                for start, end in _anchor_windows(sdoc, rule.anchors, self._window_tokens):
                    hits += self._collect(matcher(sdoc[start:end]), sdoc, start, text, lower)
        return _dedupe(hits)

    def _collect(self, matches, sdoc, offset: int, text: str, lower: str) -> list[Hit]:
        out = []
        for match_id, start, end in matches:
            rule = self._by_id[sdoc.vocab.strings[match_id]]
            span = sdoc[offset + start:offset + end]
            hit = self._judge(rule, span.start_char, span.end_char, text[span.start_char:span.end_char], lower)
            if hit:
                out.append(hit)
        return out

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


def has_digit(text: str) -> bool:
    return _DIGIT_RE.search(text) is not None


def _gate(rule: Rule) -> tuple[tuple[frozenset[str], ...], bool]:
    """(word sets of the required context phrases - one must be fully present -, needs a digit).

    A regex rule without anchors whose every pattern has a digit class is taken to need a digit;
    a rule where digits are optional must declare anchors."""
    context: tuple[frozenset[str], ...] = ()
    if rule.context.required:
        context = tuple(frozenset(WORD_RE.findall(w)) for w in rule.context.words if WORD_RE.findall(w))
    needs_digit = rule.kind == "pattern" and not rule.anchors and all(
        "\\d" in p or "[0-9]" in p for p in rule.patterns)
    return context, needs_digit


def _window(lower: str, start: int, end: int, words: int) -> str:
    """The match with `words` words on either side (the context a rule's context words must be in)."""
    reach = words * _WORDS_PER_CHAR_WINDOW
    before = lower[max(0, start - reach):start].split()[-words:] if words else []
    after = lower[end:end + reach].split()[:words] if words else []
    return " ".join([*before, lower[start:end], *after])


def _anchor_windows(sdoc, anchors: frozenset[str], reach: int) -> list[tuple[int, int]]:
    """Token ranges of +-reach around each anchor token, overlapping ranges merged."""
    windows: list[tuple[int, int]] = []
    for token in sdoc:
        if token.lower_ in anchors:
            start, end = max(0, token.i - reach), min(len(sdoc), token.i + reach + 1)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((start, end))
    return windows


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
