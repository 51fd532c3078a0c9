"""Run the rule packs over a passage: every rule as a regex where possible, spaCy only where not.

Cost control, in order of what it saves:
- phrase rules and simple token rules are compiled to regexes (rule_regex.py), so matching never
  needs the spaCy tokenizer; only a token pattern a regex cannot express keeps the spaCy Matcher;
- a passage's words are computed once; a rule whose gate (anchors, required context, phrase words,
  a digit) is not among them is skipped. The gate depends only on the gate vocabulary the passage
  holds, so the set of open rules is cached per such vocabulary;
- an open pattern rule runs its regexes only on a passage holding one of the literals every match
  contains (literals.py), an open phrase only from the first place str.find finds its text;
- a rule's matches in one passage are judged in text order, and once a value has reached the best
  score the rule can give, its later repeats in that passage are not judged again (they could change
  neither the best hit, nor the distinct values, nor whether the passage has a hit);
- likewise across a document's passages for a digit-free phrase (`Settled`): later passages do not
  search it, and whether one would have had a hit is judged only if the model's choice of passages
  depends on it (detector.py);
- context around a match is judged by counting spaces where that gives the same answer as building
  the word window (context.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from cuiscan.detection.context import NOT_WORD_CHARS, WORD_RE, ContextIndex, ContextWords, window
from cuiscan.detection.literals import required_literals
from cuiscan.detection.packs import Rule
from cuiscan.detection.passages import zero_digits
from cuiscan.detection.rule_regex import Candidate, SequenceFinder, phrase_sequences, spans, token_sequences
from cuiscan.detection.validators import VALIDATORS

_DIGIT_RE = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"
_CACHE_SIZE = 4096


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
    literals: _Literals | None = None       # pattern rules: what an ASCII passage must hold to match


class _Literals:
    """Strings one of which every match of a pattern rule contains (literals.py): those without a
    digit are looked for in the lower-cased passage, those with one (a digit stands as 0) in the
    passage with every digit as 0, which is made only when needed."""

    __slots__ = ("plain", "zeroed")

    def __init__(self, strings: frozenset[str]):
        self.plain = tuple(sorted(s for s in strings if "0" not in s))
        self.zeroed = tuple(sorted(s for s in strings if "0" in s))

    @classmethod
    def of(cls, patterns: Iterable[str], flags: int) -> "_Literals | None":
        """None when a pattern has no literal every match contains: the rule then always runs."""
        found = [required_literals(p, flags) for p in patterns]
        return cls(frozenset().union(*found)) if all(found) else None

    def found_in(self, lower: str, zeroed: str | None) -> bool:
        return any(s in lower for s in self.plain) or any(s in zeroed for s in self.zeroed)


class RuleEngine:
    """Compiled form of a set of rules.

    Each rule gets a gate, a necessary condition checked on the passage's words before any matching:
    one of its anchors, all words of one of its phrases, one word of its required context, a digit
    for number rules. Only passages a spaCy-only token rule could match are tokenised.
    """

    def __init__(self, rules: Iterable[Rule], nlp):
        self.rules = tuple(rules)
        self._by_id = {r.id: r for r in self.rules}
        self._context = {r.id: ContextWords(r.context.words) for r in self.rules if r.context.words}
        self._gates = {r.id: _Gate(r) for r in self.rules}
        # the highest score one hit of a rule can get (validators only lower it)
        self._best = {r.id: min(r.score + (r.context.boost if r.id in self._context else 0.0), 0.99)
                      for r in self.rules}
        self._compiled: list[_Compiled] = []
        self._token_matchers: list[tuple[Rule, object]] = []   # spaCy Matchers, one per rule regex cannot express
        for rule in sorted(self.rules, key=lambda r: r.kind == "token"):   # phrase hits came before token hits
            if rule.kind == "pattern":
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                self._compiled.append(_Compiled(rule, tuple(re.compile(p, flags) for p in rule.patterns), None,
                                                _Literals.of(rule.patterns, flags)))
            elif rule.kind == "phrase":
                self._compiled.append(_Compiled(rule, (), SequenceFinder(phrase_sequences(rule.patterns))))
            elif (sequences := token_sequences(rule.patterns)) is not None:
                self._compiled.append(_Compiled(rule, (), SequenceFinder(sequences)))
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
        self.gate_words = frozenset(self._anchor_index).union(*(g.words for g in self._gates.values()))
        # one-word entries of `needs` groups: the words a passage may borrow from its neighbours
        self.needs_vocabulary = frozenset(w for r in self.rules for g in r.needs for w in g
                                          if len(WORD_RE.findall(w)) == 1 and WORD_RE.fullmatch(w))
        # every word a gate, a sequence finder or a context asks about: the only words worth keeping
        self.vocabulary = self.gate_words.union(*(c.finder.words for c in self._compiled if c.finder),
                                                *(c.words for c in self._context.values()))
        self._open_cache: dict[tuple[frozenset[str], bool], frozenset[str]] = {}
        # `needs` groups holding phrases: the gate saw the phrases' words somewhere in the passage; the
        # phrase itself ("air force", not "air ... force") is checked before the rule runs
        self._phrase_needs = {r.id: _PhraseNeeds(r.needs) for r in self.rules
                              if any(len(WORD_RE.findall(w)) > 1 for g in r.needs for w in g)}
        self._plans: dict[frozenset[str], tuple[_Compiled, ...]] = {}

    def passage_words(self, lower: str) -> frozenset[str]:
        """words_of(lower) & vocabulary - all any rule asks about - without building the set of all the
        passage's words (the cost of words_of is that set)."""
        if lower.isascii():
            return self.vocabulary.intersection(lower.translate(NOT_WORD_CHARS).split())
        return self.vocabulary.intersection(WORD_RE.findall(lower))

    def open_rules(self, words: set[str] | frozenset[str], has_digit: bool,
                   topic: frozenset[str] = frozenset()) -> frozenset[str]:
        """IDs of the rules whose gate this passage opens (computed once, used by every matcher).
        `words`: words_of(lower) or passage_words(lower). `topic`: words of the passages around it
        (topic_words) that may satisfy a rule's `needs` - a slide's title names the missile, its
        bullets give the dates."""
        key = (self.gate_words.intersection(words), has_digit, topic)
        opened = self._open_cache.get(key)
        if opened is None:
            if len(self._open_cache) >= _CACHE_SIZE:
                self._open_cache.clear()
            opened = self._open_cache[key] = self._compute_open(*key)
        return opened

    def topic_words(self, near: Iterable[frozenset[str]], own: frozenset[str]) -> frozenset[str]:
        """The single `needs` words that passages near this one hold and it lacks."""
        out: set[str] = set()
        for words in near:
            out.update(self.needs_vocabulary.intersection(words))
        return frozenset(out - own)

    def _compute_open(self, words: frozenset[str], has_digit: bool, topic: frozenset[str]) -> frozenset[str]:
        candidates = set(self._ungated)
        for word in words:
            candidates.update(self._anchor_index.get(word, ()))
        return frozenset(i for i in candidates if self._gates[i].opens(words, has_digit, topic))

    def held_back(self, words: frozenset[str], has_digit: bool) -> list[tuple[str, int]]:
        """(rule ID, index of its first `needs` group the passage lacks) for every rule whose gate the
        passage would open but for its `needs`: what `inspect --explain` reports as "held back"."""
        out = []
        for rule_id, gate in self._gates.items():
            if not gate.needs or (self._by_id[rule_id].anchors and not self._by_id[rule_id].anchors & words):
                continue
            missing = next((i for i, group in enumerate(gate.needs) if not group.present(words)), None)
            if missing is not None and gate.opens_without_needs(words, has_digit):
                out.append((rule_id, missing))
        return out

    def _plan(self, open_ids: frozenset[str]) -> tuple[_Compiled, ...]:
        """The compiled rules to run for a set of open rules, in rule order (cached like the gates)."""
        plan = self._plans.get(open_ids)
        if plan is None:
            if len(self._plans) >= _CACHE_SIZE:
                self._plans.clear()
            plan = self._plans[open_ids] = tuple(c for c in self._compiled if c.rule.id in open_ids)
        return plan

    def needs_spacy(self, open_ids: frozenset[str]) -> bool:
        """Whether a rule only the spaCy Matcher can run is open (the passage must then be tokenised)."""
        return not self._spacy_ids.isdisjoint(open_ids)

    def scan_regex(self, text: str, lower: str, open_ids: frozenset[str], words: set[str] | None = None,
                   single_spaced: bool = False, settled: Settled | None = None,
                   topic: frozenset[str] = frozenset(), ignore_needs: bool = False) -> list[Hit]:
        """Every open rule that compiles to a regex (all pattern and phrase rules, simple token rules).

        `words`: words_of(lower) or passage_words(lower), if the caller has it. `single_spaced`: the
        text's only whitespace is single spaces (true of passages), so context may be judged by
        counting them. `settled`: the document's, when passages of one document are scanned in order.
        Hits come in text order, pattern rules' before phrase and token rules' (the order the spaCy
        matchers had: it decides which of equally strong signals is named first)."""
        if words is None:
            words = words_of(lower)
        pattern_hits: list[Hit] = []
        sequence_hits: list[Hit] = []
        context_words = words if single_spaced else None
        literal_test = lower.isascii()    # literals.py: only ASCII text is tested for them
        zeroed = None
        for compiled in self._plan(open_ids):
            phrase_needs = self._phrase_needs.get(compiled.rule.id)
            if phrase_needs is not None and not ignore_needs and not phrase_needs.met(lower, words, topic):
                continue
            if compiled.finder is None:
                if literal_test and compiled.literals is not None:
                    if zeroed is None and compiled.literals.zeroed:
                        zeroed = zero_digits(lower)
                    if not compiled.literals.found_in(lower, zeroed):
                        continue
                found = _pattern_matches(compiled.patterns, text)
                if found:
                    judge = _Judge(self, compiled.rule, lower, context_words)
                    for start, end, value in found:
                        judge(start, end, value)
                    pattern_hits += judge.hits
                continue
            candidates = compiled.finder.candidates(words)
            if settled is not None:
                candidates = settled.unsettled(compiled, candidates, self._best[compiled.rule.id])
            if not candidates:
                continue
            judge = _Judge(self, compiled.rule, lower, context_words)
            for candidate in candidates:
                if _judge_sequence(judge, text, lower, candidate) and settled is not None:
                    settled.add(compiled, candidate)
            sequence_hits += judge.hits
        return _dedupe(pattern_hits) + _dedupe(sequence_hits) if sequence_hits else _dedupe(pattern_hits)

    def skipped_score(self, text: str, lower: str, words: set[str] | frozenset[str], skipped: Skipped) -> float:
        """The strongest hit the sequences a passage skipped (Settled) have there, 0.0 if none: what
        scan_regex would have added to the passage's strongest signal (`words`: as scan_regex had them)."""
        best = 0.0
        for compiled, candidate in skipped.sequences:
            judge = _Judge(self, compiled.rule, lower, words)
            _judge_sequence(judge, text, lower, candidate)
            best = max([best, *(hit.score for hit in judge.hits)])
        return best

    def scan_doc(self, sdoc, text: str, lower: str, open_ids: frozenset[str] | None = None) -> list[Hit]:
        """Token rules only the spaCy Matcher can run, over a Doc made from token_text(text) (same offsets)."""
        hits: list[Hit] = []
        for rule, matcher in self._token_matchers:
            if open_ids is None or rule.id in open_ids:
                judge = _Judge(self, rule, lower, None)
                # the Matcher's cost grows with tokens x patterns: run it only near the rule's anchors
                for start, end in _anchor_windows(sdoc, rule.anchors, self._window_tokens):
                    for _, first, last in matcher(sdoc[start:end]):
                        span = sdoc[start + first:start + last]
                        judge(span.start_char, span.end_char, text[span.start_char:span.end_char])
                hits += judge.hits
        return _dedupe(hits)


class _Judge:
    """Judges one rule's matches in one passage: validator, context, score; keeps the hits.

    A value (whitespace-normalised, case-folded, as scoring counts distinct values) that already
    has a hit at the rule's best score is not judged again: a later repeat changes nothing."""

    __slots__ = ("rule", "lower", "context", "best", "hits", "_settled", "_index", "_words")

    def __init__(self, engine: RuleEngine, rule: Rule, lower: str, single_spaced_words):
        self.rule = rule
        self.lower = lower
        self.context = engine._context.get(rule.id)
        self.best = engine._best[rule.id]
        self.hits: list[Hit] = []
        self._settled: set[str] = set()     # raw values and their normalised forms at the best score
        self._index: ContextIndex | None = None
        self._words = single_spaced_words   # the passage's words when it is single-spaced, else None

    def __call__(self, start: int, end: int, value: str) -> Hit | None:
        settled = self._settled
        if settled:
            if value in settled:
                return None
            if " ".join(value.split()).casefold() in settled:
                settled.add(value)
                return None
        rule = self.rule
        factor = 1.0
        if rule.validator:
            result = VALIDATORS[rule.validator](value)
            if result is None:
                return None
            factor = result
        has_context = False
        if self.context is not None:
            has_context = self._has_context(start, end, rule.context.window)
            if rule.context.required and not has_context:
                return None
        score = min(rule.score * factor + (rule.context.boost if has_context else 0.0), 0.99)
        hit = Hit(rule=rule, start=start, end=end, value=value, score=score, context=has_context)
        self.hits.append(hit)
        if score >= self.best:
            self._settled.update((value, " ".join(value.split()).casefold()))
        return hit

    def _has_context(self, start: int, end: int, words: int) -> bool:
        if self._words is not None:
            if self._index is None:
                self._index = ContextIndex(self.context, self.lower, self._words)
            decided = self._index.decide(start, end, words)
            if decided is not None:
                return decided
        return self.context.found_in(window(self.lower, start, end, words))


@dataclass(frozen=True, slots=True)
class Skipped:
    """A passage's signal sequences left unsearched (Settled), and the best score they could give there."""

    sequences: tuple[tuple[_Compiled, Candidate], ...] = ()
    bound: float = 0.0


class Settled:
    """The digit-free sequences (rule, text) that earlier passages of one document matched at their
    rule's best score. A later match of one adds nothing to the document's evidence - the same value
    (scoring counts distinct values) at no better score, found later - so later passages skip them.
    One thing does depend on it: a passage's strongest signal, by which the model's passages are
    chosen. So a signal rule's skipped sequences are kept per passage (`take_skipped`) and judged
    there only when that choice needs it (RuleEngine.skipped_score)."""

    __slots__ = ("_literals", "_skipped", "_bound")

    def __init__(self):
        self._literals: dict[str, set[str]] = {}   # rule ID -> its settled sequences
        self._skipped: list[tuple[_Compiled, Candidate]] = []   # of the passage being scanned
        self._bound = 0.0

    def unsettled(self, compiled: _Compiled, candidates: list[Candidate], best: float) -> list[Candidate]:
        """The rule's candidate sequences the passage searches (`best`: the most a hit of it can score)."""
        settled = self._literals.get(compiled.rule.id)
        if not settled:
            return candidates
        searched = []
        for candidate in candidates:
            if candidate[2] not in settled:      # a sequence with digits (literal None) never is
                searched.append(candidate)
            elif compiled.rule.role == "signal":
                self._skipped.append((compiled, candidate))
                self._bound = max(self._bound, best)
        return searched

    def add(self, compiled: _Compiled, candidate: Candidate) -> None:
        self._literals.setdefault(compiled.rule.id, set()).add(candidate[2])

    def take_skipped(self) -> Skipped:
        """What the passage just scanned skipped; the next passage starts afresh."""
        if not self._skipped:
            return _NOTHING_SKIPPED
        skipped = Skipped(tuple(self._skipped), self._bound)
        self._skipped, self._bound = [], 0.0
        return skipped


_NOTHING_SKIPPED = Skipped()


def _judge_sequence(judge: _Judge, text: str, lower: str, candidate: Candidate) -> bool:
    """Judge the matches of one of a rule's sequences; True when a match of a digit-free sequence
    reached the rule's best score (it then settles the sequence: every match has that value)."""
    pattern, overlapping, literal = candidate
    first = 0 if literal is None else lower.find(literal)
    if first < 0:
        return False
    if literal is None or overlapping:
        for start, end in spans(pattern, overlapping, lower, first):
            judge(start, end, text[start:end])
        return False
    for m in pattern.finditer(lower, first):
        start, end = m.span()
        hit = judge(start, end, text[start:end])
        if hit is not None and hit.score >= judge.best:
            return True
    return False


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
        return set(lower.translate(NOT_WORD_CHARS).split())
    return set(WORD_RE.findall(lower))


def has_digit(text: str) -> bool:
    """Whether `text` holds a digit (as the regex class \\d sees it). Ten substring tests run at memchr
    speed; the regex scan they replace was a notable cost on the many passages without digits."""
    if text.isascii():
        return any(d in text for d in _ASCII_DIGITS)
    return _DIGIT_RE.search(text) is not None


class _Gate:
    """A rule's necessary condition on a passage's words: one of its required context phrases fully
    present, the words of one of its phrases present, a word of each `needs` group (the rule's
    co-occurrence condition, exact: no further check follows), and a digit for a number rule.

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
        needs = [tuple(frozenset(WORD_RE.findall(w)) for w in group) for group in rule.needs]
        self.needs = tuple(_AnyOf(group) for group in needs)
        self.words = frozenset().union(*context, *rule.phrase_words, *(s for group in needs for s in group))

    def opens(self, words: frozenset[str], has_digit: bool, topic: frozenset[str] = frozenset()) -> bool:
        if self.needs_digit and not has_digit:
            return False
        if self.context is not None and not self.context.present(words):
            return False
        if not all(group.present(words) or not group.single.isdisjoint(topic) for group in self.needs):
            return False
        return self.phrases is None or self.phrases.present(words)

    def opens_without_needs(self, words: frozenset[str], has_digit: bool) -> bool:
        if self.needs_digit and not has_digit:
            return False
        if self.context is not None and not self.context.present(words):
            return False
        return self.phrases is None or self.phrases.present(words)


class _PhraseNeeds:
    """A rule's `needs` checked exactly: each group has one of its single words among the passage's
    words, or one of its phrases in the passage's lower-cased text as a phrase."""

    def __init__(self, needs: tuple[tuple[str, ...], ...]):
        self.groups = []
        for group in needs:
            single = frozenset(w for w in group if len(WORD_RE.findall(w)) == 1 for w in WORD_RE.findall(w))
            phrases = [WORD_RE.findall(w) for w in group if len(WORD_RE.findall(w)) > 1]
            regex = re.compile("|".join(r"\b" + r"\W{1,3}".join(map(re.escape, p)) + r"\b" for p in phrases)) \
                if phrases else None
            self.groups.append((single, regex))

    def met(self, lower: str, words, topic: frozenset[str] = frozenset()) -> bool:
        return all(not single.isdisjoint(words) or not single.isdisjoint(topic)
                   or (regex is not None and regex.search(lower) is not None)
                   for single, regex in self.groups)


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


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and start offset (alternative patterns of a rule often overlap)."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        key = (hit.rule.id, hit.start)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return sorted(best.values(), key=lambda h: h.start)
