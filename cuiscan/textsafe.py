"""Strings safe to store and show: no lone surrogates (no UTF-8 writer accepts them), no quoted
snippets of the input in an exception's text (reports and the inventory never hold content).

A low layer: the extractors, the worker pool and the inventory all pass their strings here.
"""
from __future__ import annotations

import re

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Control characters (tab and newline kept) shown as \\xNN: what reaches a terminal is never
    an escape sequence (window title, screen clearing) taken from a file name or a document."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def storable(text: str) -> str:
    """Text with lone surrogates replaced by U+FFFD. An OOXML _xD800_ escape or a name decoded with
    surrogateescape yields them, and no UTF-8 writer (SQLite, JSON, SARIF) accepts them: one such
    string used to end a whole scan at the inventory flush. Every extracted string passes here."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


# Quoted literals in a parser's exception text: pypdf, for one, quotes the raw bytes around a
# syntax error ("... @51: b'Td (SSN 123-45-6789) Tj'"), which is page text. An unterminated quote
# (the message was cut) runs to the end; an apostrophe inside a word is not a quote.
_QUOTED = re.compile(r"""(?<!\w)b?(['"])(?:\\.|(?!\1).)*(?:\1|$)""")


def describe_exception(exc: BaseException, limit: int = 160) -> str:
    """`Type: message` for a Problem, with quoted snippets of the input removed: problem messages
    end up in the inventory and the reports, which must never hold document content."""
    lines = str(exc).splitlines()
    text = storable(_QUOTED.sub("'…'", lines[0])[:limit]) if lines else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
