"""What the mail extractors share (email.py: eml and mbox; email_msg.py: Outlook .msg): headers and
body lines as blocks, safe and unique attachment names."""
from __future__ import annotations

import re

from cuiscan.extractors.base import DocContext
from cuiscan.extractors.text import html_lines, parse_html, split_lines
from cuiscan.records import Zone

_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s?)+")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")
_MAX_NAME = 120


def add_headers(ctx: DocContext, subject: str | None, fields: list[tuple[str, str | None]]) -> None:
    if subject:
        ctx.add(" ".join(subject.split()), Zone.SUBJECT, kind="line")
    for name, value in fields:
        if value and value.strip():
            ctx.add(f"{name}: {' '.join(value.split())}", Zone.METADATA, kind="property")


def add_body(ctx: DocContext, text: str, variant: str) -> None:
    """Body lines: plain text numbered as written; html numbered by visible line."""
    if variant == "html":
        numbered = enumerate(html_lines(parse_html(text)), 1)
        lines = ((n, line, quoted) for n, (line, quoted) in numbered)
    else:
        lines = ((n, line, False) for n, line in enumerate(split_lines(text), 1))
    for number, line, quoted in lines:
        marker = _QUOTE_PREFIX.match(line)
        if marker:
            line = line[marker.end():]
        kind = "quote" if quoted or marker else "line"
        ctx.add(line.strip(), Zone.BODY, line=number, variant=variant, kind=kind)
    if "-----BEGIN PGP MESSAGE-----" in text:
        ctx.problem("encrypted", "the body contains an inline PGP-encrypted block that cannot be read")


def member_name(name: str | None, fallback: str) -> str:
    """A member name safe for `location.member` paths: no slashes or control characters, bounded."""
    clean = _UNSAFE_NAME.sub("_", name or "").strip(" .")
    if len(clean) > _MAX_NAME:
        stem, dot, ext = clean.rpartition(".")
        clean = (stem[: _MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else clean[:_MAX_NAME]
    return clean or fallback


class MemberNames:
    """Two attachments called report.pdf become report.pdf and report (2).pdf: member paths stay unique."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.count = 0

    def unique(self, name: str) -> str:
        self.count += 1
        candidate, n = name, 1
        stem, dot, ext = name.rpartition(".")
        while candidate.lower() in self.seen:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
        self.seen.add(candidate.lower())
        return candidate
