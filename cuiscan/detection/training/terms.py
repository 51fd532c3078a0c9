"""Train the term model (termmodel.py) with scikit-learn: `pip install -e '.[train]'`; a scan never needs it.

Every record with a CUI label is a training passage, each of the same weight: the project's corpora
teach the model word salad, fragments, docstrings and the templates; the outside writers' passages
(blind_groups.jsonl) teach it how people write. The settings were chosen by leave-one-writer-out
cross-validation on fourteen writers' groups (benchmarks/blind_cv.py, round 4; see the model card):
C = 10, terms seen in at least 2 passages, classes balanced.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from cuiscan.detection.model import CUI_LABEL
from cuiscan.detection.termmodel import TERMS_FILE, TOKEN_PATTERN, save_terms, term_text
from cuiscan.errors import ConfigError

C = 10.0
MIN_DF = 2
CATEGORIES = ("CTI", "EXPT", "ISVI", "OPSEC", "PROCURE", "PROPIN", "PRVCY", "SSEL")


def train_terms(records, out_dir: Path, version: str) -> dict:
    """Fit and write out_dir/terms.npz; returns figures for the training manifest."""
    vectorizer, head, cat_head, figures = fit_terms(records)
    cat_coef, cat_intercept = cat_head.coef_, cat_head.intercept_
    if len(cat_head.classes_) == 2:   # a binary fit keeps one row: softmax over (-z/2, z/2) is its sigmoid
        cat_coef, cat_intercept = np.vstack([-cat_coef / 2, cat_coef / 2]), np.array([-1, 1]) * cat_intercept / 2
    terms = [""] * len(vectorizer.vocabulary_)
    for term, i in vectorizer.vocabulary_.items():
        terms[i] = term
    out_dir.mkdir(parents=True, exist_ok=True)
    save_terms(out_dir / TERMS_FILE, terms, vectorizer.idf_, head.coef_[0], float(head.intercept_[0]),
               tuple(cat_head.classes_), cat_coef, cat_intercept, version)
    return figures


def fit_terms(records):
    """The fitted scikit-learn objects: (TfidfVectorizer, CUI head, category head, figures)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise ConfigError("training the term model needs scikit-learn: pip install -e '.[train]'") from None
    labelled = [r for r in records if CUI_LABEL in r.cats]
    texts = [term_text(r.text) for r in labelled]
    y = np.array([r.cats[CUI_LABEL] >= 0.5 for r in labelled], dtype=int)
    if y.min() == y.max():
        raise ConfigError("the term model needs both CUI and not-CUI passages")
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=MIN_DF, sublinear_tf=True, token_pattern=TOKEN_PATTERN,
                                 lowercase=False, dtype=np.float64)
    x = vectorizer.fit_transform(texts)
    head = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(x, y)
    # the category head: CUI passages of one known category
    rows = [i for i, r in enumerate(labelled) if y[i] and _category(r) is not None]
    cats = [_category(labelled[i]) for i in rows]
    cat_head = LogisticRegression(C=C, max_iter=3000).fit(x[rows], cats) if len(set(cats)) > 1 else \
        _OneCategory(cats[0] if cats else CUI_LABEL, x.shape[1])
    figures = {"terms": len(vectorizer.vocabulary_), "passages": len(labelled), "cui_passages": int(y.sum()),
               "category_passages": len(rows), "C": C, "min_df": MIN_DF}
    return vectorizer, head, cat_head, figures


class _OneCategory:
    """The category head of a corpus with a single category (a user's own documents): always that one."""

    def __init__(self, label: str, width: int):
        self.classes_ = np.array([label])
        self.coef_, self.intercept_ = np.zeros((1, width)), np.zeros(1)

    def predict_proba(self, x):
        return np.ones((x.shape[0], 1))


def _category(record) -> str | None:
    named = [c for c in CATEGORIES if record.cats.get(c, 0.0) >= 0.5]
    return named[0] if len(named) == 1 else None
