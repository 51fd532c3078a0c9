"""Shared detection fixtures: one Detector per session (loading the model takes about a second)."""
from __future__ import annotations

import pytest

from cuiscan.detection import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector.load()


@pytest.fixture(scope="session")
def rules_detector() -> Detector:
    return Detector.load(use_model=False)
