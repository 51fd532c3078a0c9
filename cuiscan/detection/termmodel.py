"""The term model: which words and word pairs outside writers use when they write CUI, read per passage.

A linear model over TF-IDF weighted words and adjacent word pairs (`terms.npz` in the model
directory), trained by `cuiscan train` (training/terms.py, scikit-learn) on the project's corpora and
on the passages of documents by sixteen writers who never saw this code. Unlike the rule packs it needs
no indicator to fire: it reads every passage of a document's opening (detector.TERM_CHAR_BUDGET) and
gives p(CUI) and a category ranking. Here it is applied with numpy alone, reproducing scikit-learn's TfidfVectorizer
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
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from cuiscan.errors import ConfigError

TERMS_FILE = "terms.npz"
TOKEN_PATTERN = r"[a-z0][a-z0&/\-\.]*[a-z0]|[a-z]"
MIN_WORDS = 6
_TOKEN = re.compile(TOKEN_PATTERN)
_DIGIT = re.compile(r"\d")


def term_text(text: str) -> str:
    """What the term model reads: lower case, every digit 0 (the same for training and scoring)."""
    return _DIGIT.sub("0", text.lower())


# ASCII text: lower case, digits as 0 and every character the token pattern cannot hold as a space, in one
# translate; the pattern's tokens are then the space-separated runs stripped of the joiners (&/-.) at their
# ends, less a lone "0" (the pattern needs two characters or one letter). Several times faster than findall.
_TABLE = {c: " " for c in range(128)}
_TABLE.update({ord(c): c for c in "abcdefghijklmnopqrstuvwxyz&/-."})
_TABLE.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_TABLE.update({ord(c): "0" for c in "0123456789"})
_TABLE = str.maketrans(_TABLE)
_JOINERS = "&/-."


def tokens(text: str) -> list[str]:
    """The token pattern's tokens of term_text(text), without building term_text for ASCII text."""
    return [t for t in _runs(text) if t not in _NOT_TOKENS]


def _runs(text: str) -> list[str]:
    """tokens(), with an empty string or a lone "0" where the pattern finds nothing (left to the caller)."""
    if not text.isascii():
        return _TOKEN.findall(term_text(text))
    return list(map(str.strip, text.translate(_TABLE).split(), repeat(_JOINERS)))


_NOT_TOKENS = frozenset({"", "0"})
_DROP = -2    # the column of _NOT_TOKENS in read_many: removed before words are paired


@dataclass(frozen=True, slots=True)
class TermScore:
    cui: float
    categories: tuple[tuple[str, float], ...]     # strongest first

    @property
    def top_category(self) -> str | None:
        return self.categories[0][0] if self.categories else None


class TermModel:
    def __init__(self, terms: list[str], idf: np.ndarray, coef: np.ndarray, intercept: float,
                 labels: tuple[str, ...], cat_coef: np.ndarray, cat_intercept: np.ndarray, version: str,
                 pairs: tuple[np.ndarray, np.ndarray] | None = None):
        self.terms = terms
        self.idf, self.coef, self.intercept = idf, coef, intercept
        self.labels, self.cat_intercept = labels, cat_intercept
        self.cat_coef = np.ascontiguousarray(cat_coef.T)     # (terms, labels): a passage's rows are contiguous
        self.version = version
        self.index = {t: i for i, t in enumerate(terms) if " " not in t}
        self._lookup = {**self.index, **dict.fromkeys(_NOT_TOKENS, _DROP)}
        self._pair_keys, self._pair_columns = pairs if pairs is not None else pair_table(terms)
        self._size = len(terms)
        self._alphabetic = np.array([t.isalpha() and len(t) > 1 for t in terms] or [False], dtype=bool)

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
                            meta.get("version", "0"),
                            (data["pair_keys"], data["pair_columns"]) if "pair_keys" in data else None)
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot load the term model {path}: {type(exc).__name__}: {exc}") from None
        if len(terms) != len(model.idf) or model.cat_coef.shape != (len(terms), len(model.labels)):
            raise ConfigError(f"term model {path} is inconsistent: {len(terms)} terms, "
                              f"{len(model.idf)} weights, category head {model.cat_coef.shape}")
        return model

    def columns(self, text: str) -> np.ndarray:
        """The vocabulary columns of a raw passage's words and word pairs, one entry per occurrence."""
        seen = tokens(text)
        words = np.fromiter(map(self.index.get, seen, repeat(-1)), dtype=np.int64, count=len(seen))
        both = (words[:-1] >= 0) & (words[1:] >= 0)
        _, pair_columns = self._pairs(words[:-1][both] * self._size + words[1:][both])
        return np.concatenate([words[words >= 0], pair_columns])

    def _pairs(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which word-pair keys are in the vocabulary, and the columns of those that are."""
        at = np.searchsorted(self._pair_keys, keys)
        at[at == len(self._pair_keys)] = 0
        found = self._pair_keys[at] == keys if len(self._pair_keys) else np.zeros(len(keys), dtype=bool)
        return found, self._pair_columns[at[found]]

    def reads(self, columns: np.ndarray) -> bool:
        """Whether a passage (its `columns`) holds at least MIN_WORDS words of two letters or more the
        model knows."""
        return int(np.count_nonzero(self._alphabetic[columns])) >= MIN_WORDS

    def vector(self, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(distinct columns, l2-normalised TF-IDF weights)."""
        if not len(columns):
            return columns, np.zeros(0)
        ids, tf = np.unique(columns, return_counts=True)
        weights = (1.0 + np.log(tf)) * self.idf[ids]
        return ids, weights / math.sqrt(float(weights @ weights))

    def read_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(p(CUI) of each raw passage, whether the model reads it): one pass of numpy over a document's
        passages, the same figures as `cui(columns(text))` one by one (tested), without a dozen array
        calls per passage - a deck or a workbook is hundreds of short passages."""
        count = len(texts)
        per = [_runs(t) for t in texts]
        flat = list(chain.from_iterable(per))
        words = np.fromiter(map(self._lookup.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        owner = np.repeat(np.arange(count), np.fromiter(map(len, per), dtype=np.int64, count=count))
        kept = words != _DROP
        words, owner = words[kept], owner[kept]
        both = (words[:-1] >= 0) & (words[1:] >= 0) & (owner[:-1] == owner[1:])
        keys = words[:-1][both] * self._size + words[1:][both]
        order = np.argsort(keys)     # sorted needles: the binary searches walk the table forward (twice as fast)
        keys, pair_owner = keys[order], owner[:-1][both][order]
        found, pair_columns = self._pairs(keys)
        known = words >= 0
        reads = np.bincount(owner[known][self._alphabetic[words[known]]], minlength=count) >= MIN_WORDS
        columns = np.concatenate([words[known], pair_columns])
        owners = np.concatenate([owner[known], pair_owner[found]])
        unique, tf = np.unique(owners * self._size + columns, return_counts=True)
        rows, cols = unique // self._size, unique % self._size
        weights = (1.0 + np.log(tf)) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights * weights, minlength=count))
        z = np.bincount(rows, weights * self.coef[cols], minlength=count) / np.where(norms > 0, norms, 1.0)
        return 1.0 / (1.0 + np.exp(-(z + self.intercept))), reads

    def cui(self, columns: np.ndarray) -> float:
        ids, weights = self.vector(columns)
        return _sigmoid(float(weights @ self.coef[ids]) + self.intercept)

    def score(self, text: str) -> TermScore:
        """p(CUI) and the category ranking of a raw passage (whether or not the model `reads` it)."""
        columns = self.columns(text)
        ids, weights = self.vector(columns)
        logits = weights @ self.cat_coef[ids] + self.cat_intercept
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        ranked = sorted(zip(self.labels, probs.tolist()), key=lambda kv: kv[1], reverse=True)
        return TermScore(cui=self.cui(columns), categories=tuple((k, float(v)) for k, v in ranked))


def pair_table(terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary's word pairs as sorted integers (first word's column x size + second's) and their
    columns: a pair is found by binary search, no pair string is built. Every pair in the vocabulary is
    made of two words in it (a word is in at least as many training passages as any pair it is in)."""
    index = {t: i for i, t in enumerate(terms) if " " not in t}
    size = len(terms)
    pairs = [(index.get(a, -1), index.get(b, -1), i)
             for i, (a, _, b) in ((i, t.partition(" ")) for i, t in enumerate(terms) if " " in t)]
    keys = np.array([a * size + b for a, b, _ in pairs if a >= 0 and b >= 0], dtype=np.int64)
    columns = np.array([i for a, b, i in pairs if a >= 0 and b >= 0], dtype=np.int64)
    order = np.argsort(keys)
    return keys[order], columns[order]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def save_terms(path: Path, terms: list[str], idf, coef, intercept: float, labels: tuple[str, ...],
               cat_coef, cat_intercept, version: str) -> None:
    meta = json.dumps({"labels": list(labels), "version": version}).encode("utf-8")
    pair_keys, pair_columns = pair_table(terms)   # stored: building them takes longer than loading them
    np.savez_compressed(path, terms=np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
                        pair_keys=pair_keys, pair_columns=pair_columns,
                        idf=np.asarray(idf, dtype=np.float32), coef=np.asarray(coef, dtype=np.float32),
                        intercept=np.float64(intercept), cat_coef=np.asarray(cat_coef, dtype=np.float32),
                        cat_intercept=np.asarray(cat_intercept, dtype=np.float32),
                        meta=np.frombuffer(meta, dtype=np.uint8))
