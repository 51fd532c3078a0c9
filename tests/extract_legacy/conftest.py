from __future__ import annotations

import pytest

from lo_fixtures import build_corpus


@pytest.fixture(scope="session")
def lo_corpus(tmp_path_factory):
    """Marked and unmarked files converted by LibreOffice once per test session."""
    return build_corpus(tmp_path_factory.mktemp("lo-corpus"))
