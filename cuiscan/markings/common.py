"""Small helpers every check module uses: building a Finding, reporting grammar deviations once."""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

from cuiscan.errors import ConfigError
from cuiscan.markings.view import Hit
from cuiscan.records import Finding, Location, Severity
from cuiscan.rulebook import load_rulebook


def finding(rule_id: str, message: str, loc: Location, evidence: str = "", categories: Iterable[str] = (),
            key: str = "", *, severity: Severity | str | None = None) -> Finding:
    """A marking finding: confidence 1.0, evidence = the marking text, digest from rule+evidence+key.

    The severity is the rule book's (rules/markings/*.yaml); `severity` only lowers it, for the cases
    the rule's `severity_note` documents. `key` distinguishes findings of one rule with the same
    evidence (e.g. "footer:page:3"); it never contains document text other than marking text.
    """
    doc = load_rulebook().get(rule_id)
    if doc is None:
        raise ConfigError(f"marking rule {rule_id} is not in the rule book (rules/markings/*.yaml)")
    level = doc.severity if severity is None else Severity(severity)
    if level.rank > doc.severity.rank:
        raise ConfigError(f"{rule_id} reported as {level.value}, above its rule book severity {doc.severity.value}")
    digest = hashlib.sha256(f"{rule_id}|{evidence}|{key}".encode()).hexdigest()[:16]
    return Finding(rule_id=rule_id, severity=level, message=message, location=loc,
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
        yield finding(rule, f"{what} '{text}': {message}{more}", first.loc, evidence=text,
                      categories=first.marking.category_markings, key=f"{code}:{dev.text}", severity=dev.severity)

