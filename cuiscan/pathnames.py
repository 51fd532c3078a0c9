"""File names as reports show them: readable, and unambiguous where the name is not UTF-8.

A POSIX file name is bytes. One that is not valid UTF-8 is shown with `\\xNN` for each undecodable
byte (`latin1_\\xe9t\\xe9.txt`), which reads well but could also be a name literally written with
backslashes. So a literal backslash that would read as such an escape is itself written `\\x5c`,
which makes the readable form reversible, and the JSON reports add `path_bytes` (the name's bytes,
base64) to exactly the paths that carry escapes, as other scanners' JSON does.
"""
from __future__ import annotations

import base64
import os
import re

_LOOKS_ESCAPED = re.compile(r"\\(?=x[0-9A-Fa-f]{2})")
_ESCAPE = re.compile(rb"\\x([0-9A-Fa-f]{2})")
_POSIX = os.sep == "/"     # on Windows names are Unicode and `\` is the separator: nothing to do


def display_path(path: str) -> str:
    """A str that survives JSON and SQLite: undecodable bytes of a file name become \\xNN escapes."""
    if path.isascii() and "\\x" not in path:
        return path
    if _POSIX:
        path = _LOOKS_ESCAPED.sub(r"\\x5c", path)
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def path_bytes(shown: str) -> str | None:
    """base64 of the file name's bytes for a display_path that carries escapes; None for the others
    (their UTF-8 form is the name)."""
    if not _POSIX or "\\x" not in shown:
        return None
    data = shown.encode("utf-8", "surrogateescape")
    if not _ESCAPE.search(data):
        return None
    return base64.b64encode(_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)).decode("ascii")
