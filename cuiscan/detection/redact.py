"""Evidence without the secret: masked values, rule names instead of phrases, hashes instead of text.

The scanner must not become a second copy of what it hunts, so a detection keeps only a redacted
excerpt (what a reviewer needs to find the spot) and a sha256 digest (what fingerprints and
suppressions need to recognise the same match again).
"""
from __future__ import annotations

import hashlib

MAX_RAW = 80


def digest(text: str) -> str:
    """sha256 of the matched text, whitespace-normalised and case-folded so reflowed text keeps its id."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


def mask_digits(value: str, keep: int = 4) -> str:
    """'123-45-6789' -> '***-**-6789': separators stay, all but the last `keep` digits become '*'."""
    total = sum(c.isdigit() for c in value)
    seen = 0
    out = []
    for c in value:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - keep else "*")
        else:
            out.append(c)
    return "".join(out)


def mask_code(value: str, keep: int = 2) -> str:
    """'W91CRB-19-C-0012' -> 'W*************12': enough to recognise the shape, not to read the value."""
    chars = [c for c in value if c.isalnum()]
    if len(chars) <= keep + 1:
        return "*" * len(value)
    out, seen, total = [], 0, len(chars)
    for c in value:
        if c.isalnum():
            seen += 1
            out.append(c if seen == 1 or seen > total - keep else "*")
        else:
            out.append(c)
    return "".join(out)


def redact(style: str, value: str, rule_name: str, show_raw: bool = False) -> str:
    """The evidence excerpt for one match; raw text only when the user asked for it (--show-evidence)."""
    if show_raw:
        flat = " ".join(value.split())
        return flat if len(flat) <= MAX_RAW else flat[: MAX_RAW - 3] + "..."
    if style == "digits":
        return mask_digits(" ".join(value.split()))
    if style == "code":
        return mask_code(" ".join(value.split()))
    return f"[{rule_name}]"
