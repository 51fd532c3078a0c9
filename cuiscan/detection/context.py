"""Context words around a match: "a context word within N words of the match".

The definition (`window`): the match with the N whitespace-separated words on either side, looking at
most 16 characters per word away, and a context word is one of the rule's words or phrases there,
not touching a letter or digit ([a-z0-9]) on either side.

Two ways to decide it, with the same answer:
- `ContextWords.found_in(window(...))` builds the window; always right, about 10 us a match.
- `ContextIndex.decide(...)`, for passages whose whitespace is single spaces (passages are built that
  way): finds the rule's context words in the passage once, then answers for each match by counting
  spaces. It answers None where it cannot be sure of being the same (a match not bounded by spaces,
  a window the character reach cuts inside a word, a context phrase across the window's edge) and
  the caller builds the window. Rules like CTI-011 judge thousands of matches in a large document.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

from cuiscan.detection.rule_regex import trie_alternation

WORD_RE = re.compile(r"[a-z0-9]+")
WORDS_PER_CHAR = 16   # generous: a window of N words looks at most N*16 characters each way
NOT_WORD_CHARS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isdigit() and not chr(c).islower()})
_CACHE_SIZE = 256


def window(lower: str, start: int, end: int, words: int) -> str:
    """The match with `words` words on either side (the context a rule's context words must be in)."""
    reach = words * WORDS_PER_CHAR
    # maxsplit: only the nearest `words` words are split off (same result as split()[-words:])
    before = lower[max(0, start - reach):start].rsplit(None, words)[-words:] if words else []
    after = lower[end:end + reach].split(None, words)[:words] if words else []
    return " ".join([*before, lower[start:end], *after])


class ContextWords:
    """A rule's context words and phrases.

    Most are single words: one is present exactly when it is one of the window's [a-z0-9]+ words, a set
    test. Phrases and words with punctuation ("air force", "mil-std") need the regex, which runs only
    when the window holds all of one's [a-z0-9]+ words (a match of it would)."""

    def __init__(self, words: Iterable[str]):
        words = [" ".join(w.split()) for w in words if w.strip()]
        self.single = frozenset(w for w in words if WORD_RE.fullmatch(w))
        self._others = tuple(w for w in words if not WORD_RE.fullmatch(w))
        self._needs = tuple(frozenset(WORD_RE.findall(w)) for w in self._others)
        self._phrase_words = frozenset().union(*self._needs)
        self._unconditional = any(not need for need in self._needs)   # punctuation only: no word to test
        self._regex = _context_regex(self._others, literal_first=False) if self._others else None
        self.words = self.single | self._phrase_words     # every word a passage may hold them by
        self._located: dict[tuple[str, ...], tuple[re.Pattern, bool]] = {}

    def found_in(self, window_text: str) -> bool:
        words = (window_text.translate(NOT_WORD_CHARS).split() if window_text.isascii()
                 else WORD_RE.findall(window_text))
        if not self.single.isdisjoint(words):
            return True
        if self._regex is None:
            return False
        if self._unconditional:
            return self._regex.search(window_text) is not None
        if self._phrase_words.isdisjoint(words):
            return False
        present = self._phrase_words.intersection(words)
        if any(need <= present for need in self._needs):
            return self._regex.search(window_text) is not None
        return False

    def occurrences(self, lower: str, words: frozenset[str] | set[str]) -> list[tuple[int, int]] | None:
        """(start, end) of every context word or phrase in the text, every start position tried; `words`
        must hold the text's [a-z0-9]+ words that are in self.words. None: not decidable this way."""
        if self._unconditional:
            return None
        present = tuple(sorted(self.single.intersection(words)))
        if not self._phrase_words.isdisjoint(words):
            present += tuple(w for w, need in zip(self._others, self._needs) if need <= words)
        if not present:
            return []
        located = self._located.get(present)
        if located is None:
            if len(self._located) >= _CACHE_SIZE:
                self._located.clear()
            # single words cannot overlap (one starts only after a non-word character): one finditer
            located = self._located[present] = (_locator(present), all(WORD_RE.fullmatch(w) for w in present))
        pattern, single_words = located
        if single_words:
            return [m.span() for m in pattern.finditer(lower)]
        spans = []
        pos = 0
        while (m := pattern.search(lower, pos)) is not None:
            spans.append(m.span())
            pos = m.start() + 1
        return spans


class ContextIndex:
    """One rule's context occurrences in one passage with single-space whitespace (see module doc)."""

    __slots__ = ("lower", "spans", "starts")

    def __init__(self, context: ContextWords, lower: str, words: frozenset[str] | set[str]):
        self.lower = lower
        self.spans = context.occurrences(lower, words)
        self.starts = [s for s, _ in self.spans] if self.spans else []

    def decide(self, start: int, end: int, n: int) -> bool | None:
        """Whether the window of `n` words around the match holds a context word; None: build it."""
        lower, spans = self.lower, self.spans
        if spans is None or n <= 0:
            return None
        size = len(lower)
        if (start > 0 and lower[start - 1] != " ") or (end < size and lower[end] != " "):
            return None   # building the window would put a space next to the match
        reach = n * WORDS_PER_CHAR
        # the window is n whole words on each side unless the reach cuts a word it would include
        if start - reach > 0 and lower.count(" ", start - reach, start) <= n:
            return None
        if end + reach < size and lower.count(" ", end, end + reach) <= n:
            return None
        for cs, ce in spans[bisect.bisect_left(self.starts, start - reach):]:
            if cs >= end + reach:
                break
            # one space between words: the spaces between two places count the words between them
            if (cs >= start or lower.count(" ", cs, start) <= n) and (ce <= end or lower.count(" ", end, ce) <= n):
                return True
            if " " in lower[cs:ce]:
                return None   # a phrase that may cross the window's edge (a shorter one may lie inside)
        return False


def _locator(words: tuple[str, ...]) -> re.Pattern:
    """The context regex for the few words a passage holds. One plain word (the usual case) starts
    with all its letters, which the regex engine finds by fast substring search; the boundary before
    it is a lookbehind over the word."""
    if len(words) == 1 and WORD_RE.fullmatch(words[0]):
        word = words[0]
        return re.compile(rf"{re.escape(word)}(?<![a-z0-9].{{{len(word)}}})(?![a-z0-9])", re.DOTALL)
    return _context_regex(words, literal_first=True)


def _context_regex(words: tuple[str, ...], literal_first: bool) -> re.Pattern:
    """Any of the words (a space in a phrase matches any whitespace), not touching [a-z0-9], as a trie.
    literal_first: the boundary before is checked after the first character, so the regex engine can
    scan for the first characters (fast for the few words a passage holds, slow for a rule's 70)."""
    sequences = [[r"\s+" if c == " " else re.escape(c) for c in w] for w in words]
    if not literal_first:
        return re.compile(rf"(?<![a-z0-9])(?:{trie_alternation(sequences)})(?![a-z0-9])")
    for seq in sequences:
        seq[0] += r"(?<![a-z0-9].)"
    return re.compile(rf"(?:{trie_alternation(sequences)})(?![a-z0-9])", re.DOTALL)
