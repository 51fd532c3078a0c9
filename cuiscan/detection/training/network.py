"""Training of the vector model (vecmodel.py): a one-hidden-layer network fitted with Adam, numpy only.

Deterministic: the seed fixes the initial weights and the order of the mini-batches, and numpy's
float32 matrix products on one machine give the same weights run after run. A label a record leaves
out (a user's `(CUI)` portion names no category) is masked out of the loss, not taken as 0.
"""
from __future__ import annotations

import numpy as np

import json
import os
import shutil
import time
from pathlib import Path

from cuiscan.detection.vecmodel import CLIP, FORMAT, Network, StaticVectors, features


def fit(x: np.ndarray, y: np.ndarray, known: np.ndarray, *, seed: int, epochs: int, hidden: int = 64,
        l2: float = 1e-4, rate: float = 3e-3, batch: int = 64, weights: np.ndarray | None = None) -> tuple[Network, list[float]]:
    """`y`: 0/1 per record and label; `known`: 1 where the label is given. Returns the network and
    the mean loss of each epoch."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    xs = np.clip((x - mean) / scale, -CLIP, CLIP).astype(np.float32)
    n, d = xs.shape
    labels = y.shape[1]
    rows_weight = np.ones(n, dtype=np.float32) if weights is None else weights.astype(np.float32)
    params = {
        "w1": (rng.standard_normal((d, hidden)) * np.sqrt(1.0 / d)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "w2": (rng.standard_normal((hidden, labels)) * np.sqrt(1.0 / hidden)).astype(np.float32),
        "b2": np.zeros(labels, dtype=np.float32),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    step, losses = 0, []
    for _ in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            xb, yb, kb = xs[idx], y[idx], known[idx] * rows_weight[idx, None]
            h = np.tanh(xb @ params["w1"] + params["b1"])
            p = 1.0 / (1.0 + np.exp(-(h @ params["w2"] + params["b2"])))
            eps = 1e-7
            total += float(-(kb * (yb * np.log(p + eps) + (1 - yb) * np.log(1 - p + eps))).sum())
            dz = (p - yb) * kb / len(idx)
            grads = {"w2": h.T @ dz + l2 * params["w2"], "b2": dz.sum(axis=0)}
            dh = (dz @ params["w2"].T) * (1 - h * h)
            grads["w1"] = xb.T @ dh + l2 * params["w1"]
            grads["b1"] = dh.sum(axis=0)
            step += 1
            for k, g in grads.items():
                m, v = moments[k]
                m *= 0.9
                m += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                params[k] -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        losses.append(round(total / n, 5))
    return Network(mean, scale, params["w1"], params["b1"], params["w2"], params["b2"]), losses


def train_vectors(records, out: Path, knobs: dict, config_dir: Path, *, seed: int, epochs: int, version: str,
                  report_type):
    """Fit the network on `records` (training.Record) and write weights.npz + meta.json to `out`.
    `version` and `report_type` (train.MODEL_VERSION, TrainReport) come from the caller, which
    imports this module: no import back.

    The vectors (config `vectors`, a folder relative to the config) stay where they are when `out`
    is the committed model folder beside them; any other `out` gets its own copy, so a model folder
    a user trains can be moved as a whole."""
    import spacy

    from cuiscan.detection.model import CUI_LABEL, DEFAULT_MODEL_NAME, model_text

    started = time.perf_counter()
    vectors_dir = (config_dir / str(knobs.get("vectors", "vectors"))).resolve()
    vectors = StaticVectors.load(vectors_dir)
    labels = [CUI_LABEL] + sorted({label for r in records for label in r.cats} - {CUI_LABEL})
    nlp = spacy.blank("en")
    docs = list(nlp.tokenizer.pipe((model_text(r.text) for r in records), batch_size=256))
    x = features(docs, vectors)
    y = np.array([[r.cats.get(label, 0.0) for label in labels] for r in records], dtype=np.float32)
    known = np.array([[1.0 if label in r.cats else 0.0 for label in labels] for r in records], dtype=np.float32)
    network, losses = fit(x, y, known, seed=seed, epochs=epochs, hidden=int(knobs.get("hidden", 16)),
                          l2=float(knobs.get("l2", 1e-2)), rate=float(knobs.get("rate", 3e-3)),
                          batch=int(knobs.get("batch_size", 64)),
                          weights=np.array([r.weight for r in records], dtype=np.float32))
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "weights.npz", **network.arrays())
    if out.resolve().parent == vectors_dir.parent:
        where = os.path.relpath(vectors_dir, out.resolve())
    else:
        shutil.copyfile(vectors_dir / "vectors.npz", out / "vectors.npz")
        where = "."
    meta = {"format": FORMAT, "name": DEFAULT_MODEL_NAME.replace("-", "_"), "version": version,
            "labels": labels, "vectors": where,
            "description": "cuiscan passage classifier: static word vectors + one hidden layer"}
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    user = sum(1 for r in records if r.source != "corpus")
    return report_type(out_dir=str(out), seed=seed, epochs=epochs, records=len(records), user_records=user,
                       labels=tuple(labels), seconds=round(time.perf_counter() - started, 2), losses=losses,
                       size_bytes=sum(p.stat().st_size for p in out.rglob("*") if p.is_file()))
