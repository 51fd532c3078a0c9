"""Training of the vector model (vecmodel.py): a one-hidden-layer network fitted with Adam, numpy only.

Deterministic: the seed fixes the initial weights and the order of the mini-batches, and numpy's
float32 matrix products on one machine give the same weights run after run. A label a record leaves
out (a user's `(CUI)` portion names no category) is masked out of the loss, not taken as 0.
"""
from __future__ import annotations

import numpy as np

from cuiscan.detection.vecmodel import Network


def fit(x: np.ndarray, y: np.ndarray, known: np.ndarray, *, seed: int, epochs: int, hidden: int = 64,
        l2: float = 1e-4, rate: float = 3e-3, batch: int = 64, weights: np.ndarray | None = None) -> tuple[Network, list[float]]:
    """`y`: 0/1 per record and label; `known`: 1 where the label is given. Returns the network and
    the mean loss of each epoch."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    xs = ((x - mean) / scale).astype(np.float32)
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
