"""One owner of the SQLite schema: every table, the derivative index's included, is created and
migrated by cuiscan/inventory/schema.py, and an inventory whose derivative tables were made the old
way (by the index itself, before hit keys were kept) keeps its rows."""
from __future__ import annotations

import sqlite3

from cuiscan.derivatives.index import SOURCE, PrintIndex
from cuiscan.inventory import schema
from cuiscan.inventory.store import Inventory

DERIVATIVE_TABLES = {"deriv_meta", "deriv_content", "deriv_file", "deriv_posting", "deriv_public",
                     "deriv_public_hash"}


def test_a_new_inventory_has_every_table_before_any_scan(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    try:
        tables = schema.user_tables(inv.conn)
        assert DERIVATIVE_TABLES <= tables
        assert {"scans", "results", "findings", "current", "removals", "suppressions", "scan_files"} <= tables
        columns = {row[1] for row in inv.conn.execute("PRAGMA table_info(deriv_file)")}
        assert "hit_key" in columns
    finally:
        inv.close()


def test_derivative_tables_made_by_the_old_index_are_migrated_with_their_rows(tmp_path):
    db = str(tmp_path / "inv.sqlite")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (3)")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    for step in schema.MIGRATIONS[:3]:
        step(conn)
    # what derivatives/index.py created on its own before hit keys were kept
    conn.execute("CREATE TABLE deriv_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    conn.execute("CREATE TABLE deriv_content (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, "
                 "prints BLOB NOT NULL, nhashes INTEGER NOT NULL, indexed INTEGER NOT NULL DEFAULT 0)")
    conn.execute("CREATE TABLE deriv_file (path TEXT NOT NULL, kind TEXT NOT NULL, content_id INTEGER NOT NULL, "
                 "categories TEXT NOT NULL DEFAULT '', checked_gen INTEGER NOT NULL DEFAULT -1, "
                 "added_at TEXT NOT NULL, PRIMARY KEY (path, kind))")
    conn.execute("INSERT INTO deriv_content (id, sha256, prints, nhashes) VALUES (1, 'ab', x'', 0)")
    conn.execute("INSERT INTO deriv_file (path, kind, content_id, added_at) "
                 "VALUES ('/s/spec.docx', 'source', 1, '2026-01-01T00:00:00Z')")
    conn.execute("COMMIT")
    conn.close()

    inv = Inventory.open(db)
    try:
        assert schema.current_version(inv.conn) == schema.SCHEMA_VERSION
        assert DERIVATIVE_TABLES <= schema.user_tables(inv.conn)
        entry = PrintIndex(inv.conn).entry("/s/spec.docx", SOURCE)
        assert entry is not None and entry.sha256 == "ab"
        assert inv.conn.execute("SELECT hit_key FROM deriv_file").fetchall() == [(None,)]
    finally:
        inv.close()


def test_an_index_on_a_bare_connection_gets_the_inventory_schema(tmp_path):
    """Tools and tests that open SQLite themselves get the same tables, from the same migrations."""
    conn = sqlite3.connect(tmp_path / "bare.sqlite")
    PrintIndex(conn).ensure_schema()
    assert schema.current_version(conn) == schema.SCHEMA_VERSION
    assert DERIVATIVE_TABLES <= schema.user_tables(conn)
    conn.close()
