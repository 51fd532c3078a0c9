"""The passage classifier, loaded from models/ by path: `load_model` picks the kind from the directory.

* `VectorModel` (the shipped default, models/cui-vectors): pretrained static word vectors and a small
  network on top (vecmodel.py).
* `TextModel`: a spaCy textcat_multilabel pipeline (bag of words, models/cui-textcat.cfg), the earlier
  default; still trained with `cuiscan train --train-config models/cui-textcat.cfg`.

Labels: `CUI` (the passage holds CUI of any category) plus one label per registry category the model
was trained on. Both read normalised text (`model_text`: lower case, every digit 0), tokenised by a
blank English spaCy tokenizer, and return one PassageScore per passage.
Nothing is ever downloaded: a missing or broken model directory is a ConfigError.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cuiscan.detection.passages import token_text
from cuiscan.errors import ConfigError
from cuiscan.rulebook import RULES_DIR

COMPONENT = "textcat_multilabel"
CUI_LABEL = "CUI"
DEFAULT_MODEL_NAME = "cui-vectors"

model_text = token_text   # the classifier reads exactly what the matchers read


def default_model_dir() -> Path:
    return RULES_DIR.parent / "models" / DEFAULT_MODEL_NAME


@dataclass(frozen=True, slots=True)
class PassageScore:
    cui: float                          # probability the passage holds CUI
    categories: tuple[tuple[str, float], ...]   # category labels, strongest first

    @property
    def top_category(self) -> str | None:
        return self.categories[0][0] if self.categories else None


def _ranked(labels: tuple[str, ...], row: list[float]) -> PassageScore:
    cats = dict(zip(labels, row))
    ranked = sorted(((k, float(v)) for k, v in cats.items() if k != CUI_LABEL), key=lambda kv: kv[1], reverse=True)
    return PassageScore(cui=float(cats.get(CUI_LABEL, 0.0)), categories=tuple(ranked))


def load_model(path: str | Path) -> "TextModel | VectorModel":
    """The model in directory `path`, of whichever kind it is."""
    from cuiscan.detection.vecmodel import is_vector_model

    return VectorModel.load(path) if is_vector_model(path) else TextModel.load(path)


class VectorModel:
    """Static word vectors + network (vecmodel.py), with TextModel's interface."""

    def __init__(self, network, vectors, meta: dict, path: Path):
        import spacy

        self.nlp = spacy.blank("en")        # the tokenizer the detector shares with the rule matchers
        self.network, self.vectors, self.path = network, vectors, path
        self.labels = tuple(meta["labels"])
        self.version = f"{meta.get('name', DEFAULT_MODEL_NAME)}-{meta.get('version', '0')}"

    @classmethod
    def load(cls, path: str | Path) -> "VectorModel":
        from cuiscan.detection.vecmodel import load_vector_model

        model_dir = Path(path)
        network, vectors, meta = load_vector_model(model_dir)
        if CUI_LABEL not in meta["labels"]:
            raise ConfigError(f"model at {model_dir} lacks the {CUI_LABEL} label")
        return cls(network, vectors, meta, model_dir)

    def score_docs(self, docs: list) -> list[PassageScore]:
        from cuiscan.detection.vecmodel import features

        if not docs:
            return []
        return [_ranked(self.labels, row) for row in self.network.predict(features(docs, self.vectors)).tolist()]

    def score_texts(self, texts: list[str]) -> list[PassageScore]:
        return self.score_docs(list(self.nlp.tokenizer.pipe([model_text(t) for t in texts], batch_size=64)))


class TextModel:
    def __init__(self, nlp, path: Path):
        self.nlp = nlp
        self.path = path
        self.textcat = nlp.get_pipe(COMPONENT)
        self.labels = tuple(self.textcat.labels)
        meta = nlp.meta or {}
        self.version = f"{meta.get('name', DEFAULT_MODEL_NAME)}-{meta.get('version', '0')}"

    @classmethod
    def load(cls, path: str | Path) -> "TextModel":
        import spacy

        model_dir = Path(path)
        if not (model_dir / "config.cfg").is_file():
            raise ConfigError(f"no model at {model_dir} (expected weights.npz or a spaCy config.cfg); "
                              "run `cuiscan train`")
        try:
            nlp = spacy.load(model_dir)
        except Exception as exc:  # spaCy raises many types for a damaged model directory
            raise ConfigError(f"cannot load the model at {model_dir}: {type(exc).__name__}: {exc}") from None
        if COMPONENT not in nlp.pipe_names:
            raise ConfigError(f"model at {model_dir} has no {COMPONENT} component")
        if CUI_LABEL not in nlp.get_pipe(COMPONENT).labels:
            raise ConfigError(f"model at {model_dir} lacks the {CUI_LABEL} label")
        return cls(nlp, model_dir)

    def score_docs(self, docs: list) -> list[PassageScore]:
        """Score passages already tokenised from `model_text(...)`, with the textcat component only.

        One `predict` call for all of them: the component's pipe() adds batching and writes doc.cats,
        which nothing here reads (about a fifth of the model's time per document)."""
        if not docs:
            return []
        scores = self.textcat.model.ops.to_numpy(self.textcat.predict(docs))
        return [_ranked(self.labels, row) for row in scores.tolist()]

    def score_texts(self, texts: list[str]) -> list[PassageScore]:
        docs = list(self.nlp.tokenizer.pipe([model_text(t) for t in texts], batch_size=64))
        return self.score_docs(docs)


def read_training_meta(model_dir: Path) -> dict:
    """The figures `cuiscan train` stored beside the model (seed, corpus, held-out scores)."""
    path = Path(model_dir) / "training.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
