"""Run the rule packs over a passage: every rule as a regex where possible, spaCy only where not.

Cost control, in order of what it saves:
- phrase rules and simple token rules are compiled to regexes (rule_regex.py), so matching never
  needs the spaCy tokenizer; only a token pattern a regex cannot express keeps the spaCy Matcher;
- a passage's word set is computed once; a rule whose gate (anchors, required context, phrase words,
  a digit) is not in it is skipped. The gate depends only on the gate vocabulary the passage holds,
  so the set of open rules is cached per such vocabulary;
- a rule's matches in one passage are judged in text order, and once a value has reached the best
  score the rule can give, its later repeats in that passage are not judged again (they could change
  neither the best hit, nor the distinct values, nor whether the passage has a hit);
- the word window around a match splits off only the words it needs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from cuiscan.detection.packs import Rule
from cuiscan.detection.rule_regex import SequenceFinder, phrase_sequences, token_sequences, trie_alternation
from cuiscan.detection.validators import VALIDATORS

WORD_RE = re.compile(r"[a-z0-9]+")
_DIGIT_RE = re.compile(r"\d")
_WORDS_PER_CHAR_WINDOW = 16   # generous: a window of N words looks at most N*16 characters each way
_NOT_WORD_CHARS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isdigit() and not chr(c).islower()})
_OPEN_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule match inside a passage. `value` is raw text: it never leaves the detector."""

    rule: Rule
    start: int
    end: int
    value: str
    score: float
    context: bool


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    patterns: tuple[re.Pattern, ...]        # pattern rules: the rule's regexes, run on the raw text
    finder: SequenceFinder | None           # phrase and token rules: word sequences, on the lower-cased text
    best: float          # the highest score one hit of this rule can get (validators only lower it)


class RuleEngine:
    """Compiled form of a set of rules.

    Each rule gets a gate, a necessary condition checked on the passage's word set before any
    matching: one of its anchors, all words of one of its phrases, one word of its required context,
    a digit for number rules. Only passages a spaCy-only token rule could match are tokenised.
    """

    def __init__(self, rules: Iterable[Rule], nlp):
        self.rules = tuple(rules)
        self._by_id = {r.id: r for r in self.rules}
        self._compiled: list[_Compiled] = []
        self._context = {r.id: _context_regex(r.context.words) for r in self.rules if r.context.words}
        self._gates = {r.id: _gate(r) for r in self.rules}
        self._token_matchers: list[tuple[Rule, object]] = []   # spaCy Matchers, one per rule regex cannot express
        for rule in self.rules:
            best = min(rule.score + (rule.context.boost if rule.context.words else 0.0), 0.99)
            if rule.kind == "pattern":
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                self._compiled.append(_Compiled(rule, tuple(re.compile(p, flags) for p in rule.patterns), None, best))
            elif rule.kind == "phrase":
                self._compiled.append(_Compiled(rule, (), SequenceFinder(phrase_sequences(rule.patterns)), best))
            elif (sequences := token_sequences(rule.patterns)) is not None:
                self._compiled.append(_Compiled(rule, (), SequenceFinder(sequences), best))
            else:
                from spacy.matcher import Matcher

                matcher = Matcher(nlp.vocab)
                matcher.add(rule.id, [list(p) for p in rule.patterns])
                self._token_matchers.append((rule, matcher))
        self._spacy_ids = frozenset(r.id for r, _ in self._token_matchers)
        # a token pattern is at most this long, so a window of that reach around an anchor holds any match
        self._window_tokens = max((len(p) for r, _ in self._token_matchers for p in r.patterns), default=1) + 4
        self._ungated = tuple(r for r in self.rules if not r.anchors)
        self._anchor_index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for word in rule.anchors:
                self._anchor_index.setdefault(word, []).append(rule)
        self.gate_words = frozenset(self._anchor_index).union(
            *(w for ctx, _ in self._gates.values() for w in ctx), *(w for r in self.rules for w in r.phrase_words))
        self._open_cache: dict[tuple[frozenset[str], bool], frozenset[str]] = {}

    def open_rules(self, words: set[str], has_digit: bool) -> frozenset[str]:
        """IDs of the rules whose gate this passage opens (computed once, used by every matcher)."""
        key = (self.gate_words.intersection(words), has_digit)
        opened = self._open_cache.get(key)
        if opened is None:
            if len(self._open_cache) >= _OPEN_CACHE_SIZE:
                self._open_cache.clear()
            opened = self._open_cache[key] = self._compute_open(*key)
        return opened

    def _compute_open(self, words: frozenset[str], has_digit: bool) -> frozenset[str]:
        candidates = list(self._ungated)
        for word in words:
            candidates.extend(self._anchor_index.get(word, ()))
        return frozenset(r.id for r in candidates if self._open(r, words, has_digit))

    def _open(self, rule: Rule, words: frozenset[str], has_digit: bool) -> bool:
        context, needs_digit = self._gates[rule.id]
        if needs_digit and not has_digit:
            return False
        if context and not any(c <= words for c in context):
            return False
        return not rule.phrase_words or any(pw <= words for pw in rule.phrase_words)

    def needs_spacy(self, open_ids: frozenset[str]) -> bool:
        """Whether a rule only the spaCy Matcher can run is open (the passage must then be tokenised)."""
        return not self._spacy_ids.isdisjoint(open_ids)

    def scan_regex(self, text: str, lower: str, open_ids: frozenset[str], words: set[str] | None = None) -> list[Hit]:
        """Every open rule that compiles to a regex (all pattern and phrase rules, simple token rules).

        `words`: the passage's word set (words_of(lower)) if the caller has it."""
        hits: list[Hit] = []
        for compiled in self._compiled:
            if compiled.rule.id not in open_ids:
                continue
            if compiled.finder is not None:
                if words is None:
                    words = words_of(lower)
                found = [(s, e, text[s:e]) for s, e in compiled.finder.find(lower, words)]
            else:
                found = _pattern_matches(compiled.patterns, text)
            if found:
                hits += self._judge_all(compiled, found, lower)
        return _dedupe(hits)

    def _judge_all(self, compiled: _Compiled, found: list[tuple[int, int, str]], lower: str) -> list[Hit]:
        """Judge a rule's matches in text order; a value that already has a hit at the best score the
        rule can give is not judged again in this passage (see the module docstring)."""
        rule, best = compiled.rule, compiled.best
        settled: set[str] = set()      # raw values, and their normalised forms, already at the best score
        hits = []
        for start, end, value in found:
            if value in settled:
                continue
            key = " ".join(value.split()).casefold()
            if key in settled:
                settled.add(value)
                continue
            hit = self._judge(rule, start, end, value, lower)
            if hit:
                hits.append(hit)
                if hit.score >= best:
                    settled.update((value, key))
        return hits

    def scan_doc(self, sdoc, text: str, lower: str, open_ids: frozenset[str] | None = None) -> list[Hit]:
        """Token rules only the spaCy Matcher can run, over a Doc made from token_text(text) (same offsets)."""
        hits: list[Hit] = []
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


def _pattern_matches(patterns: tuple[re.Pattern, ...], text: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of every match, in text order; value is the group `v` when the pattern has one."""
    found = []
    for pattern in patterns:
        has_v = "v" in pattern.groupindex
        for m in pattern.finditer(text):
            value = m.group("v") if has_v and m.group("v") else m.group(0)
            found.append((m.start(), m.end(), value))
    if len(patterns) > 1:
        found.sort(key=lambda f: f[0])
    return found


def words_of(lower: str) -> set[str]:
    """The set of [a-z0-9]+ words of lower-cased text (str.translate + split: several times faster
    than a findall, which matters because every passage needs it)."""
    if lower.isascii():
        return set(lower.translate(_NOT_WORD_CHARS).split())
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
    # maxsplit: only the nearest `words` words are split off (same result as split()[-words:])
    before = lower[max(0, start - reach):start].rsplit(None, words)[-words:] if words else []
    after = lower[end:end + reach].split(None, words)[:words] if words else []
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
    """Any of the words (a space in a phrase matches any whitespace), as a trie: rules list up to ~70."""
    sequences = [[r"\s+" if c == " " else re.escape(c) for c in " ".join(w.split())] for w in words if w.strip()]
    return re.compile(rf"(?<![a-z0-9])(?:{trie_alternation(sequences)})(?![a-z0-9])")


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and start offset (alternative patterns of a rule often overlap)."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule.id, hit.start)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return sorted(best.values(), key=lambda h: h.start)
