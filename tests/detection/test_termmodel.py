"""The term model (issue 13, round 4): numpy scoring that reproduces scikit-learn exactly, the shipped model's
provenance, and how its reading joins the rules' evidence in a document's verdict."""
from __future__ import annotations


import numpy as np
import pytest

from cuiscan.detection.model import default_model_dir, read_training_meta
from cuiscan.detection.scoring import TERM_FLOOR, TERM_SURE, Located, ModelVote, assess
from cuiscan.detection.matching import Hit
from cuiscan.detection.termmodel import MIN_WORDS, TERMS_FILE, TermModel, TermScore, enough_words, term_text
from cuiscan.detection.training import default_corpus_paths, load_corpus
from cuiscan.detection.training.terms import fit_terms, train_terms
from cuiscan.errors import ConfigError
from cuiscan.records import Location, Zone

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


def test_an_empty_passage_scores_the_intercept_and_never_divides_by_zero(tmp_path, small_corpus):
    train_terms(small_corpus, tmp_path, "t")
    model = TermModel.load(tmp_path)
    score = model.score("")
    assert score.cui == pytest.approx(1 / (1 + np.exp(-model.intercept)))


def test_short_passages_are_not_read():
    assert not enough_words("Total 12 400 3.5")
    assert enough_words("the valve seat leaked at the last cycle")
    assert MIN_WORDS == 6


def test_a_damaged_term_file_is_a_config_error(tmp_path):
    (tmp_path / TERMS_FILE).write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="cannot load the term model"):
        TermModel.load(tmp_path)
    assert TermModel.load(tmp_path / "nowhere") is None


def test_the_shipped_model_carries_its_term_model_and_its_provenance():
    model = TermModel.load(default_model_dir())
    assert model is not None
    meta = read_training_meta(default_model_dir())
    assert meta["term_model"]["terms"] == len(model.index)
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


def test_strong_rule_evidence_is_never_set_aside(rules_detector):
    hits = _hits(rules_detector, ("PRVCY-001", 0.95))
    result = assess(None, hits, [], None, 0.5, 0.75, term=_term(0.05))
    assert result.flagged and result.strong


def test_the_term_vote_takes_the_rules_category_when_it_ranks_it_close(rules_detector):
    hits = _hits(rules_detector, ("CTI-013", 0.3))
    vote = ModelVote(TermScore(0.9, (("EXPT", 0.5), ("CTI", 0.4))), Location(), "passage")
    result = assess(None, hits, [], None, 0.5, 0.75, term=vote)
    assert result.flagged and result.categories[0] == "CTI"
