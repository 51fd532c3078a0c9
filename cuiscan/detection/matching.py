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
- the word window around a match splits off only the words it needs, and single context words are
  looked up in its word set; only context phrases need a regex search.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from cuiscan.detection.packs import Rule
from cuiscan.detection.rule_regex import SequenceFinder, phrase_sequences, spans, token_sequences, trie_alternation
from cuiscan.detection.validators import VALIDATORS

WORD_RE = re.compile(r"[a-z0-9]+")
_DIGIT_RE = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"
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
        self._context = {r.id: ContextWords(r.context.words) for r in self.rules if r.context.words}
        self._gates = {r.id: _Gate(r) for r in self.rules}
        self._token_matchers: list[tuple[Rule, object]] = []   # spaCy Matchers, one per rule regex cannot express
        for rule in sorted(self.rules, key=lambda r: r.kind == "token"):
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
        self._ungated = frozenset(r.id for r in self.rules if not r.anchors)
        self._anchor_index: dict[str, list[str]] = {}   # anchor word -> IDs of the rules it anchors
        for rule in self.rules:
            for word in rule.anchors:
                self._anchor_index.setdefault(word, []).append(rule.id)
        self.gate_words = frozenset(self._anchor_index).union(
            *(g.words for g in self._gates.values()))
        # every word a gate or a sequence finder asks about: the only words of a passage worth keeping
        self.vocabulary = self.gate_words.union(*(c.finder.words for c in self._compiled if c.finder))
        self._open_cache: dict[tuple[frozenset[str], bool], frozenset[str]] = {}

    def passage_words(self, lower: str) -> frozenset[str]:
        """The words of lower-cased text that any rule's gate or finder asks about: words_of(lower) &
        vocabulary, without building the set of all its words (the cost of words_of is that set)."""
        if lower.isascii():
            return self.vocabulary.intersection(lower.translate(_NOT_WORD_CHARS).split())
        return self.vocabulary.intersection(WORD_RE.findall(lower))

    def open_rules(self, words: set[str] | frozenset[str], has_digit: bool) -> frozenset[str]:
        """IDs of the rules whose gate this passage opens (computed once, used by every matcher).
        `words`: words_of(lower) or passage_words(lower)."""
        key = (self.gate_words.intersection(words), has_digit)
        opened = self._open_cache.get(key)
        if opened is None:
            if len(self._open_cache) >= _OPEN_CACHE_SIZE:
                self._open_cache.clear()
            opened = self._open_cache[key] = self._compute_open(*key)
        return opened

    def _compute_open(self, words: frozenset[str], has_digit: bool) -> frozenset[str]:
        candidates = set(self._ungated)
        for word in words:
            candidates.update(self._anchor_index.get(word, ()))
        return frozenset(i for i in candidates if self._gates[i].opens(words, has_digit))

    def needs_spacy(self, open_ids: frozenset[str]) -> bool:
        """Whether a rule only the spaCy Matcher can run is open (the passage must then be tokenised)."""
        return not self._spacy_ids.isdisjoint(open_ids)

    def scan_regex(self, text: str, lower: str, open_ids: frozenset[str], words: set[str] | None = None) -> list[Hit]:
        """Every open rule that compiles to a regex (all pattern and phrase rules, simple token rules).

        `words`: words_of(lower) or passage_words(lower), if the caller has it. Hits come in text
        order, pattern rules' before phrase and token rules' (the order the spaCy matchers had: it
        decides which of equally strong signals is named first)."""
        pattern_hits: list[Hit] = []
        sequence_hits: list[Hit] = []
        for compiled in self._compiled:
            if compiled.rule.id not in open_ids:
                continue
            if compiled.finder is None:
                found = _pattern_matches(compiled.patterns, text)
                if found:
                    pattern_hits += self._judge_all(compiled, found, lower)
                continue
            if words is None:
                words = words_of(lower)
            for pattern, overlapping, same_value in compiled.finder.candidates(words):
                if same_value and not overlapping:
                    sequence_hits += self._judge_first(compiled, pattern, text, lower)
                else:
                    found = [(s, e, text[s:e]) for s, e in spans(pattern, overlapping, lower)]
                    sequence_hits += self._judge_all(compiled, found, lower)
        return _dedupe(pattern_hits) + _dedupe(sequence_hits) if sequence_hits else _dedupe(pattern_hits)

    def _judge_first(self, compiled: _Compiled, pattern: re.Pattern, text: str, lower: str) -> list[Hit]:
        """Matches that all have one value: judged in text order until one gets the best score the rule
        can give; the rest could change nothing (see the module docstring), so they are not even found."""
        hits = []
        rule, best, judge = compiled.rule, compiled.best, self._judge
        for m in pattern.finditer(lower):
            start, end = m.span()
            hit = judge(rule, start, end, text[start:end], lower)
            if hit:
                hits.append(hit)
                if hit.score >= best:
                    break
        return hits

    def _judge_all(self, compiled: _Compiled, found: Iterable[tuple[int, int, str]], lower: str) -> list[Hit]:
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
        context = self._context.get(rule.id)
        if context is not None:
            has_context = context.found_in(_window(lower, start, end, rule.context.window))
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
    """Whether `text` holds a digit (as the regex class \\d sees it). Ten substring tests run at memchr
    speed; the regex scan they replace was a notable cost on the many passages without digits."""
    if text.isascii():
        return any(d in text for d in _ASCII_DIGITS)
    return _DIGIT_RE.search(text) is not None


class _Gate:
    """A rule's necessary condition on a passage's words: one of its required context phrases fully
    present, the words of one of its phrases present, and a digit for a number rule.

    A regex rule without anchors whose every pattern has a digit class is taken to need a digit;
    a rule where digits are optional must declare anchors."""

    def __init__(self, rule: Rule):
        context: tuple[frozenset[str], ...] = ()
        if rule.context.required:
            context = tuple(frozenset(WORD_RE.findall(w)) for w in rule.context.words if WORD_RE.findall(w))
        self.context = _AnyOf(context) if context else None
        self.phrases = _AnyOf(rule.phrase_words) if rule.phrase_words else None
        self.needs_digit = rule.kind == "pattern" and not rule.anchors and all(
            "\\d" in p or "[0-9]" in p for p in rule.patterns)
        self.words = frozenset().union(*context, *rule.phrase_words)

    def opens(self, words: frozenset[str], has_digit: bool) -> bool:
        if self.needs_digit and not has_digit:
            return False
        if self.context is not None and not self.context.present(words):
            return False
        return self.phrases is None or self.phrases.present(words)


class _AnyOf:
    """Whether any one of several word sets is fully present: the one-word sets (most of them) by a
    single set test, the others one by one."""

    def __init__(self, sets: Iterable[frozenset[str]]):
        sets = list(sets)
        self.always = any(not s for s in sets)
        self.single = frozenset(w for s in sets if len(s) == 1 for w in s)
        self.multi = tuple(s for s in sets if len(s) > 1)

    def present(self, words: frozenset[str]) -> bool:
        return self.always or not self.single.isdisjoint(words) or any(s <= words for s in self.multi)


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


class ContextWords:
    """A rule's context words, looked for in the window around a match.

    Most are single words: one is present exactly when it is one of the window's [a-z0-9]+ words, a set
    test. Phrases and words with punctuation ("air force", "mil-std") need the regex, which runs only
    when the window holds all of one's [a-z0-9]+ words (a match of it would)."""

    def __init__(self, words: Iterable[str]):
        words = [w for w in words if w.strip()]
        self.single = frozenset(w for w in words if WORD_RE.fullmatch(w))
        others = [w for w in words if not WORD_RE.fullmatch(w)]
        self._needs = tuple(frozenset(WORD_RE.findall(w)) for w in others)
        self._phrase_words = frozenset().union(*self._needs)
        self._unconditional = any(not need for need in self._needs)   # punctuation only: no word to test
        self._regex = _context_regex(tuple(others)) if others else None

    def found_in(self, window: str) -> bool:
        words = window.translate(_NOT_WORD_CHARS).split() if window.isascii() else WORD_RE.findall(window)
        if not self.single.isdisjoint(words):
            return True
        if self._regex is None:
            return False
        if self._unconditional:
            return self._regex.search(window) is not None
        if self._phrase_words.isdisjoint(words):
            return False
        present = self._phrase_words.intersection(words)
        if any(need <= present for need in self._needs):
            return self._regex.search(window) is not None
        return False


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
