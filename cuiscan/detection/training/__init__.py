"""Building and measuring the passage classifier, apart from scan-time detection (issue #17).

A scan imports cuiscan.detection (detector, packs, scoring, model loading) and never this package:
training needs the corpora, spaCy's training machinery and the blind writers' documents, none of
which a scan reads.

* train.py       `cuiscan train`: records, corpora, the training report and the model's manifest
* network.py     the vector model's network fitted with Adam (numpy only)
* userdocs.py    labelled passages from a user's own marked documents (`cuiscan train --docs`)
* blindcorpus.py labelled passages from the blind writers' documents, cut as the scanner cuts them
"""
from cuiscan.detection.training.train import (
    MODEL_VERSION, Record, TrainReport, default_config_path, default_corpus_path, default_corpus_paths, load_corpus,
    train,
)

__all__ = ["MODEL_VERSION", "Record", "TrainReport", "default_config_path", "default_corpus_path",
           "default_corpus_paths", "load_corpus", "train"]
