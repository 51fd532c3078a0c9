"""Shortcuts that skip matching give the answers of matching everything: the literals a pattern rule's
matches must contain (literals.py), and phrases an earlier passage settled (matching.Settled)."""
from __future__ import annotations

import random
import re
import unicodedata

import pytest

from cuiscan.detection.literals import required_literals
from cuiscan.detection.matching import Settled, _Literals
from cuiscan.detection.packs import load_packs
from cuiscan.detection.passages import build_passages, lower_same_length, zero_digits
from cuiscan.records import ExtractedDoc, Location, TextBlock

RULES = load_packs().rules
PATTERN_RULES = [r for r in RULES if r.kind == "pattern"]


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"dwg(?<!\wdwg)\.?\s*no", re.IGNORECASE, {"dwg"}),
    (r"(?P<v>\d\d\d(?:-\d\d-\d{4}|(?<!x) \d\d \d{4}))", 0, {"000-00-0000", "000 00 0000"}),
    (r"(?:±|\+/-)\s?\d*\.\d+", re.IGNORECASE, {"±", "+/-"}),   # '±' is never in an ASCII passage
    (r"ab(?:c|d)+e", 0, {"ab"}),                                # a variable repeat ends the run
    (r"(?:ab){2,}x", 0, {"ab"}),
    (r"Export\s+Controlled", 0, {"controlled"}),                # case-sensitive: still tested lower-cased
    (r"ſecret", re.IGNORECASE, {"ecret"}),                      # 'ſ' matches ASCII 's' case-insensitively
    (r"[a-z]+\d?", 0, None),                                    # nothing fixed: the rule always runs
    (r"a?", 0, None),
])
def test_required_literals(pattern, flags, expected):
    found = required_literals(pattern, flags)
    assert found == (frozenset(expected) if expected is not None else None)


def _ascii_texts(rule) -> list[str]:
    """The rule's examples made ASCII, and mutations of them (case, digits, separators)."""
    rng = random.Random(rule.id)
    texts = [unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
             for t in (*rule.match_examples, *rule.no_match_examples)]
    for text in list(texts):
        for _ in range(20):
            chars = list(text)
            for _ in range(3):
                i = rng.randrange(len(chars))
                chars[i] = rng.choice("0123456789 -./x" + chars[i].swapcase())
            texts.append("".join(chars))
    return texts


def _flags(rule) -> int:
    return 0 if rule.case_sensitive else re.IGNORECASE


# Rules with no literal that every match contains have no gate: they always run.
GATED_RULES = [r for r in PATTERN_RULES if _Literals.of(r.patterns, _flags(r)) is not None]


def test_most_pattern_rules_are_gated():
    """A pattern rule is skipped cheaply when the passage lacks its literals, its anchor words or a
    word of each of its `needs` groups; only a few may run on every passage (with a digit)."""
    always = [r.id for r in PATTERN_RULES if r not in GATED_RULES and not r.anchors and not r.needs]
    assert len(always) <= 5, always


@pytest.mark.parametrize("rule", GATED_RULES, ids=lambda r: r.id)
def test_a_pattern_rule_matches_only_where_its_literals_are(rule):
    flags = _flags(rule)
    literals = _Literals.of(rule.patterns, flags)
    patterns = [re.compile(p, flags) for p in rule.patterns]
    matched = 0
    for text in _ascii_texts(rule):
        if any(p.search(text) for p in patterns):
            matched += 1
            lower = lower_same_length(text)
            assert literals.found_in(lower, zero_digits(lower)), text
    assert matched   # the examples reach the rule


FAR = " ".join(["the lunch menu lists soup and bread for every guest"] * 4)   # beyond a context window
FILLER = ["The firmware build for the radar was reviewed.", "Fatigue test of the torpedo housing passed.",
          "Lunch is at noon.", "Engineering drawings for the missile seeker are attached.",
          "Test results came back from the lab.", "PEO IWS asked for the schematics.", "Firmware.", "radar",
          "Employee SSN 123-45-6789 on file.", "The FIRMWARE team met the navy program office.",
          f"Firmware {FAR} radar.", f"Radar {FAR} test results.", FAR]


def _document(rng: random.Random) -> ExtractedDoc:
    """Pages of repeated technical phrases, with and without defense context, some tiny: the model's
    choice of passages depends on phrases later passages skip."""
    blocks = []
    for page in range(1, rng.randint(2, 12)):
        for _ in range(rng.choice([1, 2, 40, 120])):
            blocks.append(TextBlock(text=rng.choice(FILLER), loc=Location(page=page)))
    return ExtractedDoc("pdf", None, tuple(blocks))


def test_skipping_settled_phrases_changes_no_result(detector, monkeypatch):
    rng = random.Random(5)
    docs = [_document(rng) for _ in range(60)]
    fast = [detector.detect(doc) for doc in docs]
    fast_votes = [detector.scan_passages(build_passages(doc))[1] for doc in docs]
    monkeypatch.setattr(Settled, "unsettled", lambda self, compiled, candidates, best: candidates)
    assert [detector.detect(doc) for doc in docs] == fast
    # the model reads the same passages: chosen by every hit, skipped ones included
    assert [detector.scan_passages(build_passages(doc))[1] for doc in docs] == fast_votes
    assert sum(r.flagged for r in fast) and sum(not r.flagged for r in fast)


def _report_docx(path, banner: str | None) -> str:
    import docx

    d = docx.Document()
    if banner:
        d.sections[0].header.paragraphs[0].text = banner
        d.sections[0].footer.paragraphs[0].text = banner
    d.add_paragraph("DISTRIBUTION STATEMENT C. Distribution authorized to U.S. Government agencies and their "
                    "contractors; critical technology; 12 March 2026. Other requests for this document shall "
                    "be referred to NAVSEA 05.")
    d.add_paragraph("WARNING - This document contains technical data whose export is restricted by the Arms "
                    "Export Control Act (Title 22, U.S.C., Sec 2751, et seq.).")
    d.add_paragraph("Employee roster: Jane Roe SSN 123-45-6789, John Doe SSN 234-56-7890.")
    d.save(path)
    return str(path)


@pytest.mark.parametrize("banner", ["CUI", "SECRET", None])
def test_a_scan_skips_detection_only_where_the_assessment_never_reads_it(banner, detector, tmp_path):
    """Marked and classified documents are assessed on their markings alone: a scan leaves detection
    out for them and reaches the same result, while an unmarked document is still detected."""
    from datetime import date

    from cuiscan.assess import assess_file
    from cuiscan.detection import detect_file
    from cuiscan.extractors import extract_file
    from cuiscan.markings import MarkingContext, check_file
    from cuiscan.records import Assessment, FileResult, Status

    docs = extract_file(_report_docx(tmp_path / "report.docx", banner))
    markings = check_file(docs, MarkingContext(today=date(2026, 11, 28)))
    full = detect_file(docs, markings, detector)
    short = detect_file(docs, markings, detector, unmarked_only=True)
    assert full[0].flagged and full[0].signals       # the indicators are there to be found
    if banner is None:
        assert short == full
    else:
        assert short[0].signals == () and short[0].explanation.startswith("not run")
    base = FileResult(path="report.docx", root=".", ftype="docx", size=1, mtime_ns=0, inode=0, sha256="0",
                      status=Status.INSPECTED, assessment=Assessment.UNKNOWN)
    assert assess_file(base, docs, markings, short) == assess_file(base, docs, markings, full)
    expected = {"CUI": Assessment.MARKED_CUI, "SECRET": Assessment.CLASSIFIED, None: Assessment.UNMARKED_CUI}
    assert assess_file(base, docs, markings, short).assessment is expected[banner]
