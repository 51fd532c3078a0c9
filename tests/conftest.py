"""Session-wide guard: no test reads or writes the real user's cuiscan data directory.

Commands run without --db use the inventory in the user's data directory; a test that forgets
--db would otherwise share (and corrupt) it with whatever cuiscan the developer runs."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_user_data_dir(tmp_path_factory):
    saved = {key: os.environ.get(key) for key in ("XDG_DATA_HOME", "CUISCAN_DB")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("CUISCAN_DB", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
