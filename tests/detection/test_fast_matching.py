"""The fast paths of detection give the answers of the slow ones they replace, and the model never
flags alone: regex phrase/token matching vs spaCy's matchers, counting spaces vs building the word
window, the rewritten SSN pattern vs the two it replaces, cheap text helpers vs their regexes."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher, PhraseMatcher

from cuiscan.detection import Detector, detect_file, detect_finding
from cuiscan.detection.context import WORD_RE, ContextIndex, ContextWords, window
from cuiscan.detection.detector import MODEL_CHAR_BUDGET
from cuiscan.detection.evaluate import check_markings
from cuiscan.detection.matching import has_digit, words_of
from cuiscan.detection.packs import load_packs
from cuiscan.detection.passages import build_passages, lower_same_length, token_text
from cuiscan.detection.rule_regex import SequenceFinder, phrase_sequences, spans, token_sequences
from cuiscan.extractors import extract_file
from cuiscan.records import Severity
from cuiscan.settings import Settings

RULES = load_packs().rules
NLP = spacy.blank("en")
WRAPPERS = ["{}", "({})", "{},", "{}.", "{}'s", "pre-{}", "{}-based", '"{}"', "{};", "THE {} IS"]


def _prose(rule) -> list[str]:
    """The rule's examples plus each phrase in running text with the punctuation prose puts around words."""
    texts = list(rule.match_examples) + list(rule.no_match_examples)
    phrases = rule.patterns if rule.kind == "phrase" else token_sequences(rule.patterns)
    for i, phrase in enumerate(phrases):
        digits_changed = re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), phrase)
        for variant in {phrase, phrase.upper(), digits_changed}:
            texts.append("We noted " + WRAPPERS[i % len(WRAPPERS)].format(variant) + " in the file today.")
    return [" ".join(t.split()) for t in texts]


def _regex_spans(finder: SequenceFinder, lower: str) -> set[tuple[int, int]]:
    return {s for pattern, overlapping, _ in finder.candidates(words_of(lower)) for s in spans(pattern, overlapping, lower)}


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind == "phrase"], ids=lambda r: r.id)
def test_phrase_regexes_find_what_the_phrase_matcher_found_in_prose(rule):
    matcher = PhraseMatcher(NLP.vocab, attr="LOWER")
    matcher.add(rule.id, [NLP.make_doc(token_text(p)) for p in rule.patterns])
    finder = SequenceFinder(phrase_sequences(rule.patterns))
    for text in _prose(rule):
        sdoc = NLP.make_doc(token_text(text))
        expected = {(sdoc[s:e].start_char, sdoc[s:e].end_char) for _, s, e in matcher(sdoc)}
        assert _regex_spans(finder, lower_same_length(text)) == expected, text


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind == "token"], ids=lambda r: r.id)
def test_token_regexes_find_what_the_matcher_found_in_prose(rule):
    sequences = token_sequences(rule.patterns)
    assert sequences, "the shipped token rules are all expressible as word sequences"
    matcher = Matcher(NLP.vocab)
    matcher.add(rule.id, [list(p) for p in rule.patterns])
    finder = SequenceFinder(sequences)
    for text in _prose(rule):
        sdoc = NLP.make_doc(token_text(text))
        expected = {(sdoc[s:e].start_char, sdoc[s:e].end_char) for _, s, e in matcher(sdoc)}
        assert _regex_spans(finder, lower_same_length(text)) == expected, text


def test_counting_spaces_decides_context_as_the_word_window_does():
    rng = random.Random(7)
    contexts = [r.context.words for r in RULES if r.context.words] + [("air force", "air", "force", "x-ray")]
    decided = 0
    for _ in range(4000):
        context = ContextWords(rng.choice(contexts))
        vocab = [*context.single, *(w for w in rng.choice(contexts)), "firmware", "xradar", "the", "a", "(b)",
                 "averyveryverylongtokenwithoutspaces"]
        lower = " ".join(rng.choice(vocab) + rng.choice(["", "", ",", ".", ")"]) for _ in range(rng.randint(1, 70)))
        lower = " ".join(lower.split())
        index = ContextIndex(context, lower, set(WORD_RE.findall(lower)) & context.words)
        at = rng.randrange(len(lower))
        start = lower.rfind(" ", 0, at) + 1 if rng.random() < 0.8 else at
        end = lower.find(" ", at)
        end = len(lower) if end < 0 else end
        n = rng.choice([2, 5, 12, 25])
        answer = index.decide(start, end, n)
        if answer is not None:
            decided += 1
            assert answer == context.found_in(window(lower, start, end, n)), (lower, start, end, n)
    assert decided > 1000   # the fast path is taken, not just always declined


def test_one_ssn_pattern_matches_what_the_two_formats_did():
    old = [re.compile(r"(?P<v>\d(?<![\d-]\d)\d{2}-\d{2}-\d{4})(?![\d-])"),
           re.compile(r"(?P<v>\d(?<!\d\d)(?<!\d \d)\d{2} \d{2} \d{4})(?! ?\d)")]
    new = re.compile(next(r for r in RULES if r.id == "PRVCY-001").patterns[0])
    rng = random.Random(3)
    digits = lambda k: "".join(rng.choice("0123456789") for _ in range(k))  # noqa: E731
    found = 0
    for _ in range(20000):
        sep = rng.choice("- ")
        text = (rng.choice(["", "", "1", "12", "x", "-", " ", "9 ", "1-"]) + digits(rng.choice([2, 3, 3, 3, 4])) + sep
                + digits(rng.choice([2, 2, 2, 3])) + rng.choice([sep, sep, sep, "-", " ", ""])
                + digits(rng.choice([3, 4, 4, 4, 5])) + rng.choice(["", "", " ", "-", "1", " 1", "a"]))
        want = sorted((m.start(), m.end(), m.group("v")) for p in old for m in p.finditer(text))
        assert [(m.start(), m.end(), m.group("v")) for m in new.finditer(text)] == want, text
        found += len(want)
    assert found > 1000   # the generator reaches real SSN shapes, not only near misses


@pytest.mark.parametrize("text", ["Plain ASCII text, 2024.", "no digits here", "Ünïcödé ٣ digits", "İstanbul 7", ""])
def test_text_helpers_agree_with_their_regexes(text):
    lower = lower_same_length(text)
    assert words_of(lower) == set(re.findall(r"[a-z0-9]+", lower))
    assert has_digit(text) == bool(re.search(r"\d", text))
    assert token_text(text) == re.sub(r"\d", "0", lower)


SOURCE = '''"""Build a report of the files in a folder."""
import argparse
import json
from pathlib import Path


def sizes(folder: Path) -> dict[str, int]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = path.stat().st_size
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--out", type=Path, default=Path("report.json"))
    args = ap.parse_args()
    data = sizes(args.folder)
    args.out.write_text(json.dumps(data, indent=2))
    print(f"{len(data)} files, {sum(data.values())} bytes")
'''


# no military-application word: with one ("torpedo"), the values make CTI-013 rule evidence
MODEL_SURE = ("Hot-fire 17: chamber pressure peaked at 1,150 psi, thrust tailoff 0.4 s longer than predicted, "
              "nozzle erosion within limits.\nThe homing logic now switches to active at 900 yards and "
              "the doppler threshold was lowered to 2 knots.\n")


def test_the_passage_model_alone_never_raises_detect_001_the_term_model_warns(tmp_path: Path, detector):
    # Source code: the bag-of-words model was sure it was CUI (p >= 0.84); neither model of today is
    code = tmp_path / "tool.py"
    code.write_text(SOURCE)
    docs = extract_file(str(code))
    passages = [p.text for d in docs for p in build_passages(d)]
    assert max(s.cui for s in detector.model.score_texts(passages)) < 0.5
    assert not any(r.flagged for r in detect_file(docs, check_markings(docs, Settings()), detector))
    # Engineering notes on a weapon's homing logic with no rule evidence: the passage model is sure but only
    # ever corroborates rules; the term model (round 4) reads them as CTI and raises a warning, never an error
    path = tmp_path / "notes.txt"
    path.write_text(MODEL_SURE)
    docs = extract_file(str(path))
    passages = [p.text for d in docs for p in build_passages(d)]
    assert max(s.cui for s in detector.model.score_texts(passages)) >= 0.84
    markings = check_markings(docs, Settings())
    results = detect_file(docs, markings, detector)
    assert [s.rule_id for s in results[0].signals] == ["NLP"] and "term model" in results[0].signals[0].evidence
    assert "carried by the term model" in results[0].explanation
    finding = detect_finding(results[0], markings[0])
    assert finding is not None and finding.severity is Severity.WARNING and finding.categories[0] == "CTI"
    rules_only = detect_file(docs, markings, Detector.load(use_model=False))
    assert not rules_only[0].flagged and not rules_only[0].signals


def test_the_model_reads_the_strongest_passages_within_its_budget(tmp_path: Path, detector):
    filler = ("The seeker gimbal housing failed vibration at 410 Hz on the missile test stand; the firmware "
              "team reran the test with the guidance section and logged the test data for the program office. ")
    strong = ("DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD "
              "contractors only; Critical Technology; 5 May 2024. Other requests shall be referred to PEO IWS. ")
    path = tmp_path / "long-report.txt"
    path.write_text("\n".join([filler * 20] * 12 + [strong + filler * 15]))
    docs = extract_file(str(path))
    passages = build_passages(docs[0])
    assert sum(len(p.text) for p in passages) > 3 * MODEL_CHAR_BUDGET
    hits, votes = detector.scan_passages(passages)
    assert votes and sum(len(v.text) for v in votes) <= MODEL_CHAR_BUDGET
    strongest = max(hits, key=lambda h: h.hit.score)
    assert strongest.hit.rule.id == "CTI-003"
    assert any(v.loc == passages[-1].locs[0] or strong.strip()[:40] in v.text for v in votes)
