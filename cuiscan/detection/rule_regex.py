"""Phrase and token rules as regular expressions over the lower-cased passage.

Why: the spaCy tokenizer was the largest cost of detection, and most passages were tokenised only so
a PhraseMatcher could look for a handful of phrases. A phrase, or a token pattern made of
`LOWER` / `LOWER: {IN: [...]}` specs, is a set of fixed word sequences, which a regex finds at C speed.

Compared with spaCy's matchers on `token_text` (lower case, digits as 0), which the rules were
written for: words are separated by single spaces (passages are whitespace-normalised), a digit in
a phrase matches any digit, and a match must not continue into a word character (letter, digit, _) on either
side. On prose that is where spaCy's tokenizer splits (spaces, punctuation, hyphens between words,
"'s"), and every start position is reported, so overlapping phrases are all found, as the
PhraseMatcher finds them. The regex also matches where spaCy keeps punctuation inside one token -
a decimal ("32 CFR 2002.20" holds "32 cfr 2002"), '=' or a quote glued to a word in source code
(f"Firmware) - where the PhraseMatcher saw no phrase; on the held-out set, the samples and this
repository's own files that changed results for two Python source files only. A token pattern a
regex cannot express gets None from `token_sequences`; the engine keeps the spaCy Matcher for it.

Speed: a passage is searched only for the sequences whose words it holds (a rule lists ~50 phrases,
a passage holds the words of one or two), one regex per sequence that starts with a literal
character, which the regex engine scans for at memchr speed.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

_WORD = re.compile(r"[a-z0-9]+")
_ONLY_WORD_CHARS = re.compile(r"\w+")
MAX_SEQUENCES = 5000      # a token rule expanding to more word sequences stays with the spaCy Matcher
_CACHE_SIZE = 1024
Candidate = tuple[re.Pattern, bool, str | None]   # see SequenceFinder.candidates


def phrase_sequences(phrases: Iterable[str]) -> list[str]:
    return [" ".join(str(p).lower().split()) for p in phrases if str(p).strip()]


def token_sequences(patterns: Iterable) -> list[str] | None:
    """The word sequences a token rule matches ([{LOWER: w}, {LOWER: {IN: [...]}}, ...]), or None."""
    out: list[str] = []
    for pattern in patterns:
        sequences = [""]
        for spec in pattern:
            words = _lower_words(spec)
            if words is None:
                return None
            sequences = [f"{s} {w}" if s else w for s in sequences for w in words]
            if len(sequences) + len(out) > MAX_SEQUENCES:
                return None
        if sequences == [""]:
            return None
        out += sequences
    return out or None


class SequenceFinder:
    """Finds every start of any of a rule's word sequences in lower-cased text."""

    def __init__(self, sequences: list[str]):
        self.sequences = tuple(dict.fromkeys(sequences))
        # words a passage must hold for a sequence to match there (digits match any digit: not required)
        self._needs = tuple(frozenset(w for w in _WORD.findall(s) if w.isalpha() and w.isascii())
                            for s in self.sequences)
        self.words = frozenset().union(*self._needs)
        # each sequence under its longest needed word: a passage is checked only against sequences
        # one of whose words it holds
        self._index: dict[str, list[int]] = {}
        self._unindexed = frozenset(i for i, need in enumerate(self._needs) if not need)
        for i, need in enumerate(self._needs):
            if need:
                self._index.setdefault(max(sorted(need), key=len), []).append(i)
        # a digit-free sequence matches exactly its own text
        self._literal = tuple(None if any(c.isdigit() for c in s) else s for s in self.sequences)
        self._compiled: dict[int, tuple[re.Pattern, bool]] = {}
        self._candidates: dict[frozenset[str], list[Candidate]] = {}   # by the words held

    def candidates(self, words: set[str] | frozenset[str]) -> list[Candidate]:
        """(regex, can overlap itself, literal) of each sequence whose words are all in `words` (the
        passage's words_of set, or any superset of it within self.words). Matches of all of them are
        all the matches of the rule: see `spans`.

        One regex per sequence: a pattern that begins with literal characters runs at memchr speed,
        an alternation of many does not. `literal` is the sequence itself when it holds no digit: every
        match is that text (so has one value up to case, and a caller may stop at the first it
        accepts), and str.find, faster still than the regex engine's scan, finds where the first can be."""
        key = self.words.intersection(words)
        found = self._candidates.get(key)
        if found is None:
            if len(self._candidates) >= _CACHE_SIZE:
                self._candidates.clear()
            found = self._candidates[key] = self._select(key)
        return found

    def _select(self, words: frozenset[str]) -> list[Candidate]:
        out = []
        for i in sorted({i for w in self._index.keys() & words for i in self._index[w]} | self._unindexed):
            if self._needs[i] <= words:
                compiled = self._compiled.get(i)
                if compiled is None:
                    compiled = self._compiled[i] = _compile(self.sequences[i])
                out.append((*compiled, self._literal[i]))
        return out


def spans(pattern: re.Pattern, overlapping: bool, lower: str, pos: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of every match of one sequence's regex starting at `pos` or later, in text order."""
    if not overlapping:
        for m in pattern.finditer(lower, pos):
            yield m.span()
        return
    while (m := pattern.search(lower, pos)) is not None:
        yield m.span()
        pos = m.start() + 1


def trie_alternation(sequences: list[list[str]]) -> str:
    """Alternation of atom sequences sharing prefixes (a trie): the regex engine tries one branch per
    character instead of every phrase at every position; longer continuations are tried first."""
    root: dict = {}
    for atoms in sequences:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}
    return _emit(root)


def _compile(sequence: str) -> tuple[re.Pattern, bool]:
    atoms = _atoms(sequence)
    # the word boundary before a match is checked at its end (a lookbehind over the whole match, whose
    # atoms are one character each), so the pattern begins with all the literal characters the
    # sequence starts with, which the regex engine scans for
    boundary = rf"(?<!\w.{{{len(atoms)}}})"
    return re.compile("".join(atoms) + boundary + r"(?!\w)", re.DOTALL), _can_overlap([sequence])


def _can_overlap(sequences: list[str]) -> bool:
    """Whether a match of one sequence can contain the start of another (or of itself): then a plain
    finditer, which resumes after each match, would miss matches the PhraseMatcher reports.
    Sequences are searched one at a time, so only self-overlap ("la la la") matters here."""
    for a in sequences:
        for p in range(1, len(a)):
            if _is_word_char(a[p - 1]):
                continue      # a match never starts right after a word character
            rest = a[p:]
            if any(_agree(rest, b) for b in sequences):
                return True
    return False


def _agree(x: str, y: str) -> bool:
    """Whether one can be the beginning of the other where they overlap (digits match any digit)."""
    return all(c == d or (c.isdigit() and d.isdigit()) for c, d in zip(x, y))


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _emit(node: dict) -> str:
    ends_here = "" in node
    branches = [atom + _emit(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


def _atoms(text: str) -> list[str]:
    """Regex atoms of one sequence: any digit for a digit (as token_text does), the rest literal."""
    return [r"\d" if c.isdigit() else re.escape(c) for c in text]


def _lower_words(spec) -> list[str] | None:
    if not isinstance(spec, dict) or set(spec) != {"LOWER"}:
        return None
    value = spec["LOWER"]
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
        words = [str(w) for w in value["IN"]]
    else:
        return None
    # one word = one spaCy token only when it is made of word characters (spaCy splits punctuation off)
    return words if words and all(_ONLY_WORD_CHARS.fullmatch(w) and w == w.lower() for w in words) else None
