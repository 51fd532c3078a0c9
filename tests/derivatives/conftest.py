from __future__ import annotations

import sqlite3

import pytest

from cuiscan.derivatives import LinkOptions, Linker
from cuiscan.settings import Settings


@pytest.fixture
def conn(tmp_path):
    connection = sqlite3.connect(tmp_path / "inventory.sqlite")
    yield connection
    connection.close()


@pytest.fixture
def linker(conn):
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    return link
