"""Zone patterns (the CUI boundary's `paths`): gitignore-style globs over absolute paths.

`**` crosses folders, `*` and `?` stay within one, `[abc]` is a class; `**/x/**` (or a bare `x/`)
matches at any depth; another relative pattern is relative to the folder of the configuration file
that declares it (anchor_pattern, applied when Settings are loaded). A low layer: settings anchors
the patterns as it loads them, inventory.zones matches them.
"""
from __future__ import annotations

import os
import re

from cuiscan.errors import ConfigError

_CASE_INSENSITIVE = os.name == "nt"


def to_slashes(path: str) -> str:
    return path.replace("\\", "/")


def is_absolute_pattern(pattern: str) -> bool:
    pat = to_slashes(os.path.expanduser(pattern.strip()))
    return pat.startswith("/") or bool(re.match(r"[A-Za-z]:/", pat))


def anchor_pattern(pattern: str, base: str | None) -> str:
    """A zone pattern as written in a configuration file, made absolute the way gitignore-style
    tools read theirs: absolute stays; `**/x/**` (and a bare name without a slash, `eng-cui/`)
    matches at any depth; anything else is relative to the configuration file's folder `base`."""
    pat = to_slashes(pattern.strip())
    if is_absolute_pattern(pat) or pat.startswith("**/"):
        return pat
    if "/" not in pat.rstrip("/"):
        return "**/" + pat
    if base is None:
        raise ConfigError(f"zone pattern {pattern!r} is relative, and there is no configuration file "
                          "to be relative to: write it absolute (/srv/share/**) or as **/...")
    while pat.startswith("./"):
        pat = pat[2:]
    return to_slashes(os.path.join(base, pat))


def glob_to_regex(pattern: str) -> re.Pattern:
    """Compile one zone pattern (absolute, or `**/...` for any depth); raises ConfigError for another
    relative pattern (anchor_pattern makes the configuration file's relative patterns absolute)."""
    pat = to_slashes(os.path.expanduser(pattern.strip()))
    if pat.startswith("**/"):
        pat = "/" + pat      # the leading "/**/" matches from the root down, at any depth
    if not (pat.startswith("/") or re.match(r"[A-Za-z]:/", pat)):
        raise ConfigError(f"zone pattern {pattern!r} must be absolute (/srv/share/**), start with **/, "
                          "or be relative to the configuration file's folder")
    out, i = [], 0
    while i < len(pat):
        ch = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[" and (end := pat.find("]", i + 2)) != -1:
            body = pat[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    if pat.endswith("/"):        # "/srv/share/" means the folder: everything below it
        out.append(".*")
    return re.compile("".join(out), re.IGNORECASE if _CASE_INSENSITIVE else 0)
