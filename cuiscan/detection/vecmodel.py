"""The passage classifier on static word vectors: pretrained knowledge of English, a small network on top.

A bag-of-words model knows only the words its training passages used. This one reads each token's
pretrained vector (models/vectors: spaCy en_core_web_md's vectors, pruned; see the model card), so
a word training never saw still lands near the words it means. Features of a passage (`features`):

* the mean vector of its words and the mean and the elementwise maximum of its content words (not
  stop words): what it is about, and the strongest single topic in it;
* five shape figures: share of stop words among its words, share of words without a vector, share
  of number tokens, share of punctuation, log length. Prose has function words; a list of
  engineering nouns (word salad) has none, whatever its topic.

On top: one hidden layer (tanh) and one sigmoid output per label (`CUI` plus the categories), numpy
only, trained by `cuiscan train` (training/network.py). Scores are per passage and per label, as the spaCy
textcat gave them. The model directory holds `weights.npz` (layers, feature scaling) and
`meta.json` (labels, version, the vectors directory relative to it).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cuiscan.errors import ConfigError

FORMAT = "cuiscan-vectors-mlp/1"
SHAPE_FEATURES = 5
CLIP = 4.0          # scaled features are clipped to +-CLIP standard deviations


class StaticVectors:
    """Word hash -> unit vector, from models/vectors/vectors.npz (see build_vectors.py)."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, table: np.ndarray):
        self.keys, self.rows = keys, rows.astype(np.int32)     # int32: -1 marks a word without a vector
        self.table = table.astype(np.float32)
        self.dims = table.shape[1]

    @classmethod
    def load(cls, directory: str | Path) -> "StaticVectors":
        path = Path(directory) / "vectors.npz"
        try:
            with np.load(path) as data:
                return cls(data["keys"], data["rows"], data["table"])
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot load word vectors {path}: {exc}") from None

    def lookup(self, orths: np.ndarray) -> np.ndarray:
        """Row of each hash, -1 where the word has no vector."""
        if not len(self.keys):
            return np.full(len(orths), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, orths), len(self.keys) - 1)
        return np.where(self.keys[at] == orths, self.rows[at], -1)


_STOP_HASHES: np.ndarray | None = None


def _stop_hashes() -> np.ndarray:
    global _STOP_HASHES
    if _STOP_HASHES is None:
        from spacy.lang.en.stop_words import STOP_WORDS
        from spacy.strings import hash_string

        _STOP_HASHES = np.array(sorted(hash_string(w) for w in STOP_WORDS), dtype=np.uint64)
    return _STOP_HASHES


def features(docs: list, vectors: StaticVectors) -> np.ndarray:
    """One feature row per spaCy doc (tokenised model_text). The detector scores one or two passages
    of a document at a time, so this is written for few documents: a dozen numpy calls per passage,
    small gathers of a few hundred vectors, no sorting."""
    from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_PUNCT, ORTH

    dims = vectors.dims
    out = np.zeros((len(docs), 3 * dims + SHAPE_FEATURES), dtype=np.float32)
    stops, table = _stop_hashes(), vectors.table
    last_stop = len(stops) - 1
    for i, doc in enumerate(docs):
        if not len(doc):
            continue
        arr = doc.to_array([ORTH, IS_ALPHA, IS_DIGIT, IS_PUNCT]).reshape(-1, 4)
        words = arr[arr[:, 1] == 1, 0]
        rows = vectors.lookup(words)
        stop = stops[np.minimum(np.searchsorted(stops, words), last_stop)] == words
        found = rows >= 0
        own = found & ~stop
        n_found, n_own = int(np.count_nonzero(found)), int(np.count_nonzero(own))
        if n_found:
            out[i, :dims] = np.add.reduce(table[rows[found]], axis=0) / n_found
        if n_own:
            vecs = table[rows[own]]
            out[i, dims:2 * dims] = np.add.reduce(vecs, axis=0) / n_own
            out[i, 2 * dims:3 * dims] = np.maximum.reduce(vecs, axis=0)
        n_words = max(len(words), 1)
        sums = np.add.reduce(arr[:, 2:4], axis=0)
        out[i, 3 * dims:] = (np.count_nonzero(stop) / n_words, (len(words) - n_found) / n_words,
                             sums[0] / len(doc), sums[1] / len(doc), np.log1p(len(doc)) / 8.0)
    return out


class Network:
    """Scaled features -> tanh hidden layer -> one sigmoid per label."""

    def __init__(self, mean, scale, w1, b1, w2, b2):
        self.mean, self.scale = mean.astype(np.float32), scale.astype(np.float32)
        self.w1, self.b1, self.w2, self.b2 = (a.astype(np.float32) for a in (w1, b1, w2, b2))

    def hidden(self, x: np.ndarray) -> np.ndarray:
        # Clipped: a passage unlike anything in training must not reach the extremes of a linear unit
        return np.tanh(np.clip((x - self.mean) / self.scale, -CLIP, CLIP) @ self.w1 + self.b1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.hidden(x) @ self.w2 + self.b2)))

    def arrays(self) -> dict[str, np.ndarray]:
        return {"mean": self.mean, "scale": self.scale, "w1": self.w1, "b1": self.b1, "w2": self.w2, "b2": self.b2}


def is_vector_model(model_dir: str | Path) -> bool:
    return (Path(model_dir) / "weights.npz").is_file()


def load_vector_model(model_dir: str | Path) -> tuple[Network, StaticVectors, dict]:
    """(network, vectors, meta) of a model directory written by training.train_vectors."""
    model_dir = Path(model_dir)
    try:
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ConfigError(f"model at {model_dir}: unknown format {meta.get('format')!r}")
        with np.load(model_dir / "weights.npz") as data:
            net = Network(*(data[k] for k in ("mean", "scale", "w1", "b1", "w2", "b2")))
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"cannot load the model at {model_dir}: {type(exc).__name__}: {exc}") from None
    vectors = StaticVectors.load((model_dir / meta["vectors"]).resolve())
    if net.w2.shape[1] != len(meta["labels"]) or net.w1.shape[0] != 3 * vectors.dims + SHAPE_FEATURES:
        raise ConfigError(f"model at {model_dir}: weights do not fit its labels or its vectors")
    return net, vectors, meta
