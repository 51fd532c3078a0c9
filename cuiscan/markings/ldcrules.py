"""LDC-001..006 as deviations of one marking's LDC tokens (banner, portion or DI dissemination line).

Kept apart from the grammar so the designation-indicator parser can run the same logic on a
`Distribution/Dissemination Control:` line.
"""
from __future__ import annotations

import re
from functools import lru_cache

from cuiscan.markings.vocab import Deviation, Token
from cuiscan.rulebook import rules_dir

_LIST_FORMAT = re.compile(r"^USA(?:, [A-Z]{3,4})+$")
_CODE = re.compile(r"^[A-Z]{3,4}$")
# pairs that cannot stand together (LDC-002); value = severity
_CONFLICTS = {
    frozenset({"NOFORN", "REL TO"}): ("error", "NOFORN forbids any foreign release, REL TO grants it"),
    frozenset({"NOFORN", "DISPLAY ONLY"}): ("error", "NOFORN forbids any foreign disclosure, DISPLAY ONLY allows it"),
    frozenset({"FED ONLY", "FEDCON"}): ("error", "FED ONLY excludes contractors, FEDCON includes them"),
    frozenset({"NOCON", "FEDCON"}): ("error", "NOCON excludes contractors, FEDCON includes them"),
    frozenset({"FED ONLY", "NOCON"}): ("warning", "FED ONLY already excludes contractors, so NOCON is redundant"),
}


@lru_cache(maxsize=2)
def trigraphs(path: str | None = None) -> frozenset[str]:
    """ISO 3166 alpha-3 codes from rules/country-trigraphs.txt."""
    p = path or str(rules_dir() / "country-trigraphs.txt")
    with open(p, encoding="utf-8") as fh:
        return frozenset(w for line in fh if not line.lstrip().startswith("#") for w in line.split())


def _dev(rule: str, sev: str, msg: str, t: Token, code: str) -> Deviation:
    return Deviation(code, rule, sev, msg, t.start, t.end, t.text)


def ldc_deviations(ldcs: list[Token], cats: list[Token], where: str) -> list[Deviation]:
    out: list[Deviation] = []
    for t in ldcs:
        out.extend(_form(t, where))
        if t.value in ("REL TO", "DISPLAY ONLY"):
            out.extend(_country_list(t))
        if t.value == "RELIDO":
            out.append(_dev("LDC-006", "info", "RELIDO may only be used by agencies eligible to use it for "
                            "classified intelligence; confirm the designating agency is eligible, otherwise remove it",
                            t, "relido"))
    values = {t.value for t in ldcs}
    for pair, (sev, why) in _CONFLICTS.items():
        if pair <= values:
            first = next(t for t in ldcs if t.value in pair)
            fix = "remove the redundant NOCON" if sev == "warning" else "keep only the control that applies"
            out.append(Deviation("ldc-conflict" if sev == "error" else "ldc-redundant", "LDC-002", sev,
                                 f"{' and '.join(sorted(pair))} together: {why}; {fix}",
                                 first.start, ldcs[-1].end, "/".join(t.text for t in ldcs)))
    attorney = [t for t in ldcs if t.value in ("Attorney-Client", "Attorney-WP")]
    if attorney and not any(c.value == "PRIVILEGE" for c in cats):
        t = attorney[0]
        out.append(_dev("LDC-005", "error", f"'{t.text}' may only be used with the Legal Privilege category; "
                        "add PRIVILEGE to the categories or remove the attorney LDC", t, "attorney-without-privilege"))
    return out


def _form(t: Token, where: str) -> list[Deviation]:
    if t.malformed == "ldc-portion-form-in-banner":
        return [_dev("LDC-001", "error", f"'{t.text}' is the portion abbreviation; the banner form is "
                     f"{t.ldc.banner}", t, t.malformed)]
    if t.malformed == "ldc-banner-form-in-portion":
        return [_dev("LDC-001", "warning", f"'{t.text}' in a portion mark; the portion form is {t.ldc.portion}",
                     t, t.malformed)]
    if t.malformed == "ldc-malformed":
        canon = t.ldc.banner if where == "banner" else t.ldc.portion
        canon = canon.replace(", <LIST>", ", ...")
        return [_dev("LDC-001", "error", f"'{t.text}' is not the exact LDC string; write {canon}", t, t.malformed)]
    return []


def _country_list(t: Token) -> list[Deviation]:
    codes = list(t.countries)
    name = t.value
    if not codes or codes[0] != "USA":
        return [_dev("LDC-003", "error", f"the {name} list must start with USA: write {name} USA, <codes>", t,
                     "usa-not-first")]
    rest = codes[1:]
    if not rest or any(c == "ONLY" for c in rest):
        return [_dev("LDC-003", "error", f"'{t.text}' is not Registry syntax; {name} needs USA followed by at "
                     "least one country trigraph or tetragraph (use NOFORN for no foreign release)", t, "list-empty")]
    out = []
    known = trigraphs()
    bad = [c for c in rest if not _CODE.match(c) or (len(c) == 3 and c not in known)]
    if bad:
        out.append(_dev("LDC-003", "error", f"unknown country code(s) {', '.join(bad)} in {name}; use ISO 3166 "
                        "trigraphs or Registry tetragraphs", t, "unknown-country"))
    want = ["USA"] + sorted(c for c in rest if len(c) == 3) + sorted(c for c in rest if len(c) != 3)
    if codes != want and not bad:
        out.append(_dev("LDC-003", "warning", f"{name} list out of order; write {name} {', '.join(want)}", t,
                        "country-order"))
    elif not _LIST_FORMAT.match(t.list_text) and not bad:
        out.append(_dev("LDC-003", "warning", f"{name} codes must be separated by comma and space: "
                        f"{name} {', '.join(codes)}", t, "country-separator"))
    return out
