"""The shipped passage classifier: pretrained vectors loaded from models/ by path, words it never saw
in training still understood, vocabulary alone (word salad) not taken for CUI."""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from cuiscan.detection.model import VectorModel, default_model_dir, load_model
from cuiscan.detection.vecmodel import SHAPE_FEATURES, StaticVectors, features
from cuiscan.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (its word pools: engineering word salad)


@pytest.fixture(scope="module")
def model() -> VectorModel:
    loaded = load_model(default_model_dir())
    assert isinstance(loaded, VectorModel)
    return loaded


def test_the_shipped_vectors_are_the_recorded_ones():
    """The hash the model card and SOURCE.json record is the file that ships."""
    source = json.loads((ROOT / "models" / "vectors" / "SOURCE.json").read_text())
    digest = hashlib.sha256((ROOT / "models" / "vectors" / "vectors.npz").read_bytes()).hexdigest()
    assert digest == source["npz_sha256"]
    assert digest in (ROOT / "models" / "MODEL_CARD.md").read_text()
    assert source["model_license"] == "MIT" and source["vectors"][0]["license"] == "CC0"


def test_features_of_unknown_words_and_empty_passages(model):
    docs = [model.nlp.tokenizer(t) for t in ("zzqxv qqzzv", "", "the pump and the valve")]
    x = features(docs, model.vectors)
    dims = model.vectors.dims
    assert x.shape == (3, 3 * dims + SHAPE_FEATURES)
    assert not x[0, :3 * dims].any() and x[0, 3 * dims + 1] == 1.0       # no vector, all out of vocabulary
    assert not x[1].any()
    assert x[2, 3 * dims] == pytest.approx(0.6)                            # stop words: the, and, the of 5
    assert x[2, :dims].any() and x[2, 2 * dims:3 * dims].any()


def test_words_training_never_used_are_understood(model):
    """Passages written for this test (none of their wording is in any training corpus), of the length
    the scanner scores (a mail paragraph, not a lone sentence: the writers' not-CUI documents are full
    of short lines, so one sentence alone is weak evidence to the model trained on them)."""
    technical, vulnerability, press = model.score_texts([
        "Quick update from the range. The new fuze delays detonation by 12 ms after impact so the warhead "
        "penetrates the bunker roof before it functions. Two of the six rounds broke up on the rebar mat, so we "
        "will thicken the nose to 9 mm and retest the lot next week.",
        "Scan of the enclave found the domain controller still missing the March patches and RDP open to the "
        "guest network. Hosts 10.20.4.11 and 10.20.4.12 answered on 3389 from the visitor VLAN; we have not "
        "closed it yet.",
        "The company announced today that the Army awarded it a contract to produce the new bunker-defeat "
        "warhead. Production will take place at its plant in Ohio and deliveries begin next year."])
    # the range update is read as technical information, far above the public news about the same weapon
    # (trained on sixteen writers' documents, the model puts this lone three-sentence paragraph near 0.6 and
    # the press release near 0.06: it corroborates the rules' CTI evidence, it is not sure enough to carry it)
    assert technical.top_category == "CTI" and technical.cui > 0.3 and technical.cui > 8 * press.cui
    assert vulnerability.cui > 0.5 and vulnerability.top_category == "ISVI"
    assert press.cui < 0.2          # the same weapon, told to the public: no detail, not CUI


def test_engineering_word_salad_is_not_cui(model):
    rng = random.Random(3)
    salad = [make_corpus.paragraph(rng, 4) for _ in range(60)]
    scores = [s.cui for s in model.score_texts(salad)]
    assert max(scores) < 0.5
    plain = model.score_texts(["The bridge deck pour is on Friday and the concrete supplier confirmed the mix."])
    assert plain[0].cui < 0.5


def test_missing_vectors_are_a_config_error(tmp_path, model):
    np.savez(tmp_path / "weights.npz", **model.network.arrays())
    (tmp_path / "meta.json").write_text(json.dumps({"format": "cuiscan-vectors-mlp/1", "labels": list(model.labels),
                                                    "vectors": "nowhere"}))
    with pytest.raises(ConfigError, match="cannot load word vectors"):
        load_model(tmp_path)
    with pytest.raises(ConfigError, match="cannot load word vectors"):
        StaticVectors.load(tmp_path / "missing")
