"""Each marking rule is declared once, in the rule book (rules/markings/*.yaml): a check names the rule,
the rule book gives its severity and the profiles it applies to, and a rule whose profile leaves out
the scan's profile cannot fire, whatever a check yields."""
from __future__ import annotations

import types

import pytest

import cuiscan.markings as markings
from cuiscan.errors import ConfigError
from cuiscan.markings import MarkingContext, check_file
from cuiscan.markings.common import finding
from cuiscan.records import ExtractedDoc, Location, Severity, TextBlock, Zone
from cuiscan.rulebook import load_rulebook

LOC = Location(zone=Zone.BODY, line=1)


def test_a_finding_takes_its_severity_from_the_rule_book():
    book = load_rulebook()
    for rule_id in ("DI-003", "BANNER-011", "PORTION-007", "SPILL-001"):
        assert finding(rule_id, "message", LOC).severity is book[rule_id].severity


def test_a_check_may_lower_a_severity_but_never_raise_it_or_invent_a_rule():
    assert finding("DI-003", "message", LOC, severity=Severity.WARNING).severity is Severity.WARNING
    with pytest.raises(ConfigError, match="above its rule book severity"):
        finding("BANNER-011", "message", LOC, severity=Severity.ERROR)      # the book says warning
    with pytest.raises(ConfigError, match="not in the rule book"):
        finding("BANNER-099", "message", LOC)


def _doc() -> ExtractedDoc:
    return ExtractedDoc(ftype="txt", member=None,
                        blocks=(TextBlock(text="An ordinary line.", loc=LOC, order=0),))


@pytest.mark.parametrize("rule_id", ["BANNER-012", "DI-001", "CNSI-002", "BANNER-011"])
def test_a_rule_fires_only_under_the_profiles_its_rule_book_entry_names(monkeypatch, rule_id):
    """A check that yields a rule of the other profile (a forgotten `if ctx.dod:`) is overruled."""
    eager = types.SimpleNamespace(check=lambda view, ctx: iter([finding(rule_id, "always", LOC)]))
    monkeypatch.setattr(markings, "_default_checks", lambda: (("eager", eager),))
    profile = load_rulebook()[rule_id].profile
    other = {"dod": "nara", "nara": "dod"}[profile]
    [fired] = check_file([_doc()], MarkingContext(profile=profile, strict=True))
    [held] = check_file([_doc()], MarkingContext(profile=other, strict=True))
    assert [f.rule_id for f in fired.findings] == [rule_id]
    assert held.findings == ()
    assert MarkingContext(profile=profile).applies(rule_id) and not MarkingContext(profile=other).applies(rule_id)


def test_both_profile_rules_apply_everywhere():
    book = load_rulebook()
    both = [doc.id for doc in book.values() if doc.profile == "both"]
    assert both and all(MarkingContext(profile=p).applies(r) for r in both for p in ("dod", "nara"))
