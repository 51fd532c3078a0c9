"""Literals every match of a pattern rule contains: a test at str.find speed before running the regex.

Why: a pattern rule without anchors (an SSN, a tolerance value) runs on every passage with a digit,
and its regex, starting with a digit class or an alternation, makes the regex engine try a match
at every digit; in a spreadsheet of numbers that was a third of the rule matching time. Nearly every
such regex has a fixed stretch of characters in every match ("000-00-0000" or "000 00 0000"
for an SSN, "dwg" for a drawing number): a passage holding none of a rule's stretches cannot match.

`required_literals` reads the parsed regex and returns the strings, one of which every match
contains, as they appear in the passage lower-cased with every digit as 0 (`passages.token_text`),
or None when the regex has no such stretch it can be sure of. The test is made only on ASCII
passages: there lower-casing agrees with the regex engine's IGNORECASE, and a digit class is [0-9].
"""
from __future__ import annotations

import re
from re import _constants as sre, _parser as sre_parse

MAX_ALTERNATIVES = 32       # strings per literal set; a longer cross product is not worth testing
_Strings = frozenset[str]
_DIGIT_CLASSES = ([(sre.CATEGORY, sre.CATEGORY_DIGIT)], [(sre.RANGE, (48, 57))])
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_literals(pattern: str, flags: int = 0) -> _Strings | None:
    """Strings (token_text form, ASCII passages only) one of which every match of `pattern` contains."""
    parsed = sre_parse.parse(pattern, flags)
    best, _ = _sequence(list(parsed), flags | parsed.state.flags)
    return best


def _sequence(items: list, flags: int) -> tuple[_Strings | None, _Strings | None]:
    """(the most selective literal set of the sequence or None, every string the whole sequence can
    match if it is a fixed run of characters, else None)."""
    best: _Strings | None = None
    run: _Strings = frozenset({""})   # what the characters matched since the run began can be
    fixed = True

    def close() -> None:
        nonlocal best, run
        best = _better(best, run)
        run = frozenset({""})

    def extend(piece: _Strings) -> None:
        nonlocal run, fixed
        joined = _concat(run, piece)
        if joined is None:   # too many combinations: the run starts again at this piece
            fixed = False
            close()
            joined = piece
        run = joined

    for op, arg in _flatten(items):
        if op in _ZERO_WIDTH:
            continue   # assertions consume nothing: the characters on either side stay adjacent
        piece = _fixed_piece(op, arg, flags)
        if piece is not None:
            extend(piece)
            continue
        fixed = False
        if op in _REPEATS and arg[0] > 0:
            single = _single_piece(arg[2], flags)
            if single is not None:
                # the first repetitions are fixed; after a variable count the run ends
                extend(frozenset(s * arg[0] for s in single))
            else:
                best = _better(best, _sequence(list(arg[2]), flags)[0])
        close()
        if op is sre.BRANCH:
            alternatives = [_sequence(list(alt), flags)[0] for alt in arg[1]]
            if all(alternatives):
                best = _better(best, _union(alternatives))
    whole = run if fixed else None
    close()
    return best, whole


def _flatten(items: list):
    """Items with plain capturing groups opened up (a group changes nothing about which text matches)."""
    for op, arg in items:
        if op is sre.SUBPATTERN and not arg[1] and not arg[2]:   # no local flags
            yield from _flatten(list(arg[3]))
        else:
            yield op, arg


def _fixed_piece(op, arg, flags: int) -> _Strings | None:
    """The strings a fixed item matches (one character, or a branch of fixed runs), else None."""
    single = _char(op, arg, flags)
    if single is not None:
        return frozenset({single})
    if op is sre.BRANCH:
        runs = [_sequence(list(alt), flags)[1] for alt in arg[1]]
        if all(r is not None for r in runs):
            return _union(runs)
    if op in _REPEATS and arg[0] == arg[1]:
        single = _single_piece(arg[2], flags)
        if single is not None:
            return frozenset(s * arg[0] for s in single)
    return None


def _single_piece(sub, flags: int) -> _Strings | None:
    items = list(sub)
    if len(items) == 1:
        char = _char(*items[0], flags)
        return frozenset({char}) if char is not None else None
    return None


def _char(op, arg, flags: int) -> str | None:
    """The token_text form of an item matching exactly one known character on ASCII text, else None."""
    if op is sre.IN and arg in _DIGIT_CLASSES:
        return "0"
    if op is not sre.LITERAL:
        return None
    char = chr(arg)
    if char.isascii():
        return "0" if char.isdigit() else char.lower()
    # a non-ASCII character no ASCII character matches: kept, a passage tested is ASCII and lacks it
    matcher = re.compile(re.escape(char), flags & re.IGNORECASE)
    return None if any(matcher.fullmatch(chr(c)) for c in range(128)) else char


def _concat(run: _Strings, piece: _Strings) -> _Strings | None:
    if len(run) * len(piece) > MAX_ALTERNATIVES:
        return None
    return frozenset(a + b for a in run for b in piece)


def _union(sets: list[_Strings]) -> _Strings | None:
    union = frozenset().union(*sets)
    return union if len(union) <= MAX_ALTERNATIVES else None


def _better(best: _Strings | None, other: _Strings | None) -> _Strings | None:
    """The more selective of two literal sets: the one whose shortest string is longer."""
    if other is None or _selectivity(other) == 0:
        return best
    if best is None or _selectivity(other) > _selectivity(best):
        return other
    return best


def _selectivity(strings: _Strings) -> float:
    """The length of the shortest string an ASCII passage can hold (a non-ASCII one it never holds)."""
    return min((len(s) for s in strings if s.isascii()), default=float("inf"))
