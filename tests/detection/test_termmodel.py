"""The term model (issue 13, round 4): numpy scoring that reproduces scikit-learn exactly, the shipped model's
provenance, and how its reading joins the rules' evidence in a document's verdict."""
from __future__ import annotations


import numpy as np
import pytest

from cuiscan.detection.model import default_model_dir, read_training_meta
from cuiscan.detection.scoring import TERM_FLOOR, TERM_SURE, Located, ModelVote, assess
from cuiscan.detection.matching import Hit
from cuiscan.detection.termmodel import MIN_WORDS, TERMS_FILE, TermModel, TermScore, term_text
from cuiscan.detection.training import default_corpus_paths, load_corpus
from cuiscan.detection.training.terms import fit_terms, train_terms
from cuiscan.errors import ConfigError
from cuiscan.records import Location, Severity, Zone

UNSEEN = ("Qwzx frobnicated the zorblax twice; nothing here was in any corpus at all, not one term of it.", "",
          "7", "Range 4 shot log: 12 rounds, 3 duds, chamber pressure 61,200 psi at -40 F, lot 22-117.")


@pytest.fixture(scope="module")
def small_corpus():
    """The first 4,000 passages of the committed corpora: every label, both kinds of text."""
    records = [r for path in default_corpus_paths()[1:] for r in load_corpus(path)]
    return records[:2000] + records[-2000:]


def test_numpy_scoring_reproduces_scikit_learn(tmp_path, small_corpus):
    vectorizer, head, cat_head, _ = fit_terms(small_corpus)
    train_terms(small_corpus, tmp_path, "t")
    model = TermModel.load(tmp_path)
    texts = [r.text for r in small_corpus[::97]] + list(UNSEEN)
    expected = head.predict_proba(vectorizer.transform([term_text(t) for t in texts]))[:, 1]
    got = np.array([model.score(t).cui for t in texts])
    assert np.allclose(got, expected, atol=1e-5), np.abs(got - expected).max()
    cats = cat_head.predict_proba(vectorizer.transform([term_text(t) for t in texts]))
    for row, text in zip(cats, texts):
        ours = dict(model.score(text).categories)
        assert all(abs(ours[label] - p) < 1e-5 for label, p in zip(cat_head.classes_, row))


def test_a_documents_passages_read_at_once_score_as_one_by_one(tmp_path, small_corpus):
    train_terms(small_corpus, tmp_path, "t")
    model = TermModel.load(tmp_path)
    texts = [r.text for r in small_corpus[::41]] + list(UNSEEN) + ["lorem ipsum dolor sit amet, consectetur"]
    cui, reads = model.read_many(texts)
    for text, p, read in zip(texts, cui, reads):
        columns = model.columns(text)
        assert p == pytest.approx(model.cui(columns), abs=1e-9) and read == model.reads(columns)
    assert reads.any() and not reads.all()


def test_fast_tokens_are_the_token_patterns():
    import random
    import re

    from cuiscan.detection.termmodel import TOKEN_PATTERN, tokens

    rng = random.Random(5)
    alphabet = "aZq09 .-&/,;:()\n\t_é"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert tokens(text) == re.findall(TOKEN_PATTERN, term_text(text)), text


def test_a_term_file_without_its_stored_pair_table_scores_the_same(tmp_path, small_corpus):
    train_terms(small_corpus, tmp_path, "t")
    with np.load(tmp_path / TERMS_FILE) as data:
        arrays = {k: data[k] for k in data.files if not k.startswith("pair_")}
    older = tmp_path / "older"
    older.mkdir()
    np.savez_compressed(older / TERMS_FILE, **arrays)
    texts = [r.text for r in small_corpus[::211]]
    assert [TermModel.load(older).score(t) for t in texts] == [TermModel.load(tmp_path).score(t) for t in texts]


def test_an_empty_passage_scores_the_intercept_and_never_divides_by_zero(tmp_path, small_corpus):
    train_terms(small_corpus, tmp_path, "t")
    model = TermModel.load(tmp_path)
    score = model.score("")
    assert score.cui == pytest.approx(1 / (1 + np.exp(-model.intercept)))


def test_passages_of_fewer_than_six_words_it_knows_are_not_read():
    model = TermModel.load(default_model_dir())
    assert MIN_WORDS == 6
    assert not model.reads(model.columns("Total 12 400 3.5"))
    assert not model.reads(model.columns("turpis in volutpat placerat. Phasellus ornare quis diam at vestibulum."))
    assert model.reads(model.columns("the valve seat leaked at the last cycle"))


def test_a_damaged_term_file_is_a_config_error(tmp_path):
    (tmp_path / TERMS_FILE).write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="cannot load the term model"):
        TermModel.load(tmp_path)
    assert TermModel.load(tmp_path / "nowhere") is None


def test_the_shipped_model_carries_its_term_model_and_its_provenance():
    model = TermModel.load(default_model_dir())
    assert model is not None
    meta = read_training_meta(default_model_dir())
    assert meta["term_model"]["terms"] == len(model.terms)
    assert set(model.labels) == {"CTI", "EXPT", "ISVI", "OPSEC", "PROCURE", "PROPIN", "PRVCY", "SSEL"}
    assert meta["term_model"]["C"] == 10.0


# --- how the term model's vote joins the verdict (scoring.assess, with the packs' real rules) ----------------

def _hits(detector, *pairs):
    return [Located(Hit(detector.rules.by_id(rule_id), 0, 5, "value", score, False), Location(zone=Zone.BODY))
            for rule_id, score in pairs]


def _term(p: float, category: str = "CTI") -> ModelVote:
    return ModelVote(TermScore(p, ((category, 0.9), ("EXPT", 0.1))), Location(zone=Zone.BODY, line=3), "passage")


def test_a_sure_term_vote_flags_without_rule_evidence_as_a_warning(rules_detector):
    result = assess(None, [], [], None, 0.5, 0.75, term=_term(0.93, "ISVI"))
    assert result.flagged and not result.strong
    assert result.categories == ("ISVI",)
    assert "carried by the term model" in result.explanation
    assert [s.rule_id for s in result.signals] == ["NLP"] and "term model ISVI" in result.signals[0].evidence
    below = assess(None, [], [], None, 0.5, 0.75, term=_term(TERM_SURE - 0.01))
    assert not below.flagged


def test_rule_evidence_the_term_model_reads_as_ordinary_text_is_set_aside(rules_detector):
    hits = _hits(rules_detector, ("CTI-013", 0.62))
    assert assess(None, hits, [], None, 0.5, 0.75).flagged                       # without the term model
    set_aside = assess(None, hits, [], None, 0.5, 0.75, term=_term(TERM_FLOOR - 0.05))
    assert not set_aside.flagged and "rule evidence set aside" in set_aside.explanation
    kept = assess(None, hits, [], None, 0.5, 0.75, term=_term(TERM_FLOOR + 0.05))
    assert kept.flagged and "set aside" not in kept.explanation
    # a long document the term model read only the opening of: its rule evidence stands
    unread = assess(None, hits, [], None, 0.5, 0.75, term=_term(TERM_FLOOR - 0.05), term_read_all=False)
    assert unread.flagged and "set aside" not in unread.explanation


def test_strong_rule_evidence_is_never_set_aside(rules_detector):
    hits = _hits(rules_detector, ("PRVCY-001", 0.95))
    result = assess(None, hits, [], None, 0.5, 0.75, term=_term(0.05))
    assert result.flagged and result.strong


def test_the_term_vote_takes_the_rules_category_when_it_ranks_it_close(rules_detector):
    hits = _hits(rules_detector, ("CTI-013", 0.3))
    vote = ModelVote(TermScore(0.9, (("EXPT", 0.5), ("CTI", 0.4))), Location(), "passage")
    result = assess(None, hits, [], None, 0.5, 0.75, term=vote)
    assert result.flagged and result.categories[0] == "CTI"


def test_a_cti_reading_needs_a_military_or_space_application_unless_it_is_surer(rules_detector):
    from cuiscan.detection.scoring import TERM_CONTEXT_FREE

    nowhere = assess(None, [], [], None, 0.5, 0.75, term=_term(0.85, "CTI"), context=lambda category: False)
    assert not nowhere.flagged and "not counted" in nowhere.explanation and "military application" in nowhere.explanation
    named = assess(None, [], [], None, 0.5, 0.75, term=_term(0.85, "CTI"), context=lambda category: True)
    assert named.flagged
    surer = assess(None, [], [], None, 0.5, 0.75, term=_term(TERM_CONTEXT_FREE + 0.01, "CTI"),
                   context=lambda category: False)
    assert surer.flagged
    other = assess(None, [], [], None, 0.5, 0.75, term=_term(0.85, "PRVCY"), context=lambda category: False)
    assert other.flagged                        # only CTI asks for an application


def test_the_detector_looks_for_the_application_words_and_phrases_of_the_packs(detector):
    from cuiscan.detection.passages import Passage

    def passages(*texts):
        return [Passage(text=t, locs=(Location(zone=Zone.BODY),), starts=(0,)) for t in texts]

    assert detector.names_context("CTI", passages("Bracket fatigue at 42 Hz.", "Next run on the howitzer mount."))
    assert detector.names_context("CTI", passages("The star tracker lost lock twice."))        # a phrase of two words
    assert detector.names_context("CTI", passages("Classify it under the ITAR before sending."))
    assert not detector.names_context("CTI", passages("Pump flow 42 L/s at 3.1 bar; radar gimbal torque 4 N·m."))


# --- on real files: documents written for these tests, rendered by the blind renderer, read back ----------

RECOIL_DECK = {"slides": [
    {"title": "Weekly sync - mount redesign", "bullets": ["Action items closed: 4 of 6", "Next review moved to Thursday"]},
    {"title": "Recoil test results", "bullets": [
        "Peak trunnion load 41 kN on the 30 mm mount, 9% over the allowable",
        "Cradle deflection 1.7 mm after 200 rounds; spec is 1.2 mm",
        "Elevation drive backlash grew from 0.3 to 0.9 mrad, dispersion doubled at 1,500 m",
        "Proposed fix: thicker cradle web (8 mm to 11 mm) and preloaded bearing"]}]}
POAM_SHEET = {"sheets": [{"name": "POAM", "rows": [
    ["ID", "Weakness", "Asset", "Scheduled completion", "Status"],
    ["P-14", "Domain controllers still on unsupported OS build, no compensating control",
     "dc01.corp.internal, dc02.corp.internal", "2027-02-28", "Open"],
    ["P-15", "Shared local admin password on all engineering workstations", "ENG-WS-001 to ENG-WS-140", "2027-01-15", "Open"],
    ["P-16", "VPN concentrator firmware two releases behind, remote code execution advisory unpatched",
     "vpn-edge-01", "2026-12-20", "Open"]]}]}
PUMP_DECK = {"slides": [
    {"title": "Booster pump - supplier qualification", "bullets": ["Three units tested at the municipal plant"]},
    {"title": "Results", "bullets": ["Flow 42 L/s at 3.1 bar, efficiency 78% at best efficiency point",
                                     "Housing bore 120 mm within 0.05 mm; vibration 4.2 mm/s at 1450 rpm",
                                     "Seal leak after 400 h on unit 2; supplier to replace the seal kit"]}]}


@pytest.mark.parametrize("fmt, content, category, where", [
    ("pptx", RECOIL_DECK, "CTI", "slide 2"), ("xlsx", POAM_SHEET, "ISVI", "sheet 'POAM'")])
def test_unmarked_cui_the_rules_cannot_carry_is_found_by_the_term_model(tmp_path, detector, rules_detector,
                                                                        fmt, content, category, where):
    from tests.detection.test_scoring_round3 import verdict

    _, _, results, findings = verdict(tmp_path, detector, fmt, content)
    assert findings and findings[0].severity is Severity.WARNING and findings[0].categories[0] == category
    term = [s for s in results[0].signals if "term model" in s.evidence]
    assert term and term[0].location.describe().startswith(where), results[0].explanation
    assert not verdict(tmp_path, rules_detector, fmt, content)[3]          # the rules alone miss it


def test_a_civilian_twin_with_test_values_is_left_alone(tmp_path, detector):
    from tests.detection.test_scoring_round3 import verdict

    _, _, results, findings = verdict(tmp_path, detector, "pptx", PUMP_DECK)
    assert not findings, results[0].explanation


def test_explain_shows_the_term_models_reading_per_passage(tmp_path, detector):
    import sys
    from pathlib import Path

    from cuiscan.detection.evaluate import check_markings
    from cuiscan.detection.explain import explain_file
    from cuiscan.extractors import extract_file
    from cuiscan.settings import Settings

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from blind_render import render_case

    docs = extract_file(str(render_case({"id": "deck", "format": "pptx", "content": RECOIL_DECK}, tmp_path)))
    items = explain_file(detector, docs, check_markings(docs, Settings()))
    terms = {view.where: view.terms for item in items for view in item.passages if view.terms}
    assert any(where.startswith("slide 2") and text.startswith("term model p(CUI)=0.9") for where, text in terms.items())
    assert any(line.startswith("DETECT-001 (warning): the term model reads a passage as CUI") for line in items[0].verdict)


def test_explain_marks_passages_past_the_opening_the_scan_reads(tmp_path, detector):
    from cuiscan.detection.detector import TERM_CHAR_BUDGET
    from cuiscan.detection.evaluate import check_markings
    from cuiscan.detection.explain import explain_file
    from cuiscan.extractors import extract_file
    from cuiscan.settings import Settings

    filler = "The cafeteria will serve soup and sandwiches on Friday, and the parking lot will be repaved soon. "
    late = ("Hot-fire 17 of the sustainer: chamber pressure peaked at 1,150 psi and the homing logic now switches "
            "to active at 900 yards; the doppler threshold of the seeker was lowered to 2 knots.")
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join([filler * 25] * (TERM_CHAR_BUDGET // 2000 + 2) + [late]) + "\n")
    docs = extract_file(str(path))
    markings = check_markings(docs, Settings())
    views = [v for item in explain_file(detector, docs, markings) for v in item.passages if v.terms]
    assert views and all("past the first" in v.terms for v in views), [v.terms for v in views]   # only the late one
