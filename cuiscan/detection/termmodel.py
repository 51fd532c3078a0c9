"""The term model: which words and word pairs outside writers use when they write CUI, read per passage.

A linear model over TF-IDF weighted words and adjacent word pairs (`terms.npz` in the model
directory), trained by `cuiscan train` (training/terms.py, scikit-learn) on the project's corpora and
on the passages of documents by a dozen writers who never saw this code. Unlike the rule packs it needs
no indicator to fire: it reads every passage of a document (within a budget) and gives p(CUI) and a
category ranking. Here it is applied with numpy alone, reproducing scikit-learn's TfidfVectorizer
(lower case, digits as 0, the token pattern below, unigrams then bigrams, 1 + log(tf) x idf, l2) and
LogisticRegression (binary CUI head; multinomial category head fitted on CUI passages only).
A passage is read only when at least MIN_WORDS of its words are words the model knows (`reads`): a lone
number, a table caption or a line of Latin filler says nothing to it, and a linear model over a few
known tokens is at its least reliable there (lorem ipsum scored 0.95 on two known words).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cuiscan.errors import ConfigError

TERMS_FILE = "terms.npz"
TOKEN_PATTERN = r"[a-z0][a-z0&/\-\.]*[a-z0]|[a-z]"
MIN_WORDS = 6
_TOKEN = re.compile(TOKEN_PATTERN)
_WORD = re.compile(r"[a-z]{2,}")
_DIGIT = re.compile(r"\d")


def term_text(text: str) -> str:
    """What the term model reads: lower case, every digit 0 (the same for training and scoring)."""
    return _DIGIT.sub("0", text.lower())


def enough_words(text: str) -> bool:
    """Cheap first test of `TermModel.reads`: at least MIN_WORDS words of two letters or more."""
    return len(_WORD.findall(text.lower())) >= MIN_WORDS


def grams(text: str) -> list[str]:
    """scikit-learn's word n-grams (1, 2) of a term_text: every token, then every adjacent pair."""
    tokens = _TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


@dataclass(frozen=True, slots=True)
class TermScore:
    cui: float
    categories: tuple[tuple[str, float], ...]     # strongest first

    @property
    def top_category(self) -> str | None:
        return self.categories[0][0] if self.categories else None


class TermModel:
    def __init__(self, terms: list[str], idf: np.ndarray, coef: np.ndarray, intercept: float,
                 labels: tuple[str, ...], cat_coef: np.ndarray, cat_intercept: np.ndarray, version: str):
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf, self.coef, self.intercept = idf, coef, intercept
        self.labels, self.cat_coef, self.cat_intercept = labels, cat_coef, cat_intercept
        self.version = version

    @classmethod
    def load(cls, model_dir: str | Path) -> "TermModel | None":
        """The term model of a model directory; None when it has none (an older or spaCy model)."""
        path = Path(model_dir) / TERMS_FILE
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                terms = bytes(data["terms"]).decode("utf-8").split("\n")
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                model = cls(terms, data["idf"].astype(np.float64), data["coef"].astype(np.float64),
                            float(data["intercept"]), tuple(meta["labels"]),
                            data["cat_coef"].astype(np.float64), data["cat_intercept"].astype(np.float64),
                            meta.get("version", "0"))
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot load the term model {path}: {type(exc).__name__}: {exc}") from None
        if len(terms) != len(model.idf) or model.cat_coef.shape != (len(model.labels), len(terms)):
            raise ConfigError(f"term model {path} is inconsistent: {len(terms)} terms, "
                              f"{len(model.idf)} weights, category head {model.cat_coef.shape}")
        return model

    def reads(self, text: str) -> bool:
        """Whether the passage holds at least MIN_WORDS words (two letters or more) the model knows."""
        if not enough_words(text):
            return False
        index = self.index
        return sum(1 for w in _WORD.findall(text.lower()) if w in index) >= MIN_WORDS

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(term indexes, l2-normalised TF-IDF weights) of a raw passage."""
        index = self.index
        counts = Counter(i for i in map(index.get, grams(term_text(text))) if i is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf)) * self.idf[ids]
        return ids, weights / math.sqrt(float(weights @ weights))

    def score(self, text: str) -> TermScore:
        ids, weights = self.vector(text)
        z = float(weights @ self.coef[ids]) + self.intercept
        logits = self.cat_coef[:, ids] @ weights + self.cat_intercept
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        ranked = sorted(zip(self.labels, probs.tolist()), key=lambda kv: kv[1], reverse=True)
        return TermScore(cui=_sigmoid(z), categories=tuple((k, float(v)) for k, v in ranked))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def save_terms(path: Path, terms: list[str], idf, coef, intercept: float, labels: tuple[str, ...],
               cat_coef, cat_intercept, version: str) -> None:
    meta = json.dumps({"labels": list(labels), "version": version}).encode("utf-8")
    np.savez_compressed(path, terms=np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
                        idf=np.asarray(idf, dtype=np.float32), coef=np.asarray(coef, dtype=np.float32),
                        intercept=np.float64(intercept), cat_coef=np.asarray(cat_coef, dtype=np.float32),
                        cat_intercept=np.asarray(cat_intercept, dtype=np.float32),
                        meta=np.frombuffer(meta, dtype=np.uint8))
