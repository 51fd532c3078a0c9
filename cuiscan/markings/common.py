"""Small helpers every check module uses: building a Finding, reporting grammar deviations once."""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

from cuiscan.markings.view import Hit
from cuiscan.records import Finding, Location, Severity


def finding(rule_id: str, severity: str | Severity, message: str, loc: Location, evidence: str = "",
            categories: Iterable[str] = (), key: str = "") -> Finding:
    """A marking finding: confidence 1.0, evidence = the marking text, digest from rule+evidence+key.

    `key` distinguishes findings of one rule with the same evidence (e.g. "footer:page:3"); it never
    contains document text other than marking text.
    """
    digest = hashlib.sha256(f"{rule_id}|{evidence}|{key}".encode()).hexdigest()[:16]
    return Finding(rule_id=rule_id, severity=Severity(severity), message=message, location=loc,
                   confidence=1.0, categories=tuple(categories), evidence=evidence[:200], match_digest=digest)


def deviation_findings(hits: Iterable[Hit], prefix: str | tuple[str, ...], what: str,
                       skip: Iterable[str] = ()) -> Iterator[Finding]:
    """Report each (rule, deviation, marking text) once, at its first place, naming how often it recurs."""
    groups: dict[tuple, list[Hit]] = {}
    order: list[tuple] = []
    skip = set(skip)
    for hit in hits:
        for d in hit.marking.deviations:
            if not d.rule or not d.rule.startswith(prefix) or d.rule in skip or d.code in skip:
                continue
            key = (d.rule, d.code, d.message, hit.marking.text)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(hit)
    for key in order:
        rule, code, message, text = key
        hits_ = groups[key]
        first = hits_[0]
        dev = next(d for d in first.marking.deviations if (d.rule, d.code, d.message) == (rule, code, message))
        more = f" (same {what} in {len(hits_) - 1} more place{'s' if len(hits_) > 2 else ''})" if len(hits_) > 1 else ""
        yield finding(rule, dev.severity, f"{what} '{text}': {message}{more}", first.loc, evidence=text,
                      categories=first.marking.category_markings, key=f"{code}:{dev.text}")

