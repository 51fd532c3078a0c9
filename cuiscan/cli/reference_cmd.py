"""`cuiscan reference add|list|remove`: CUI documents kept elsewhere whose excerpts scans should find.

Exit codes: 0 done; 2 bad usage (unknown category, a path that is missing or unreadable, a path that
is not registered: the other paths are still handled); 3 the inventory cannot be used.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import List, Optional

import typer

from cuiscan.cli.common import (
    EXIT_CANNOT_RUN, EXIT_USAGE, ConfigOpt, DbOpt, check_format, fail, open_inventory, settings_for,
)
from cuiscan.cli.output import echo
from cuiscan.errors import ConfigError, InventoryError

reference_app = typer.Typer(no_args_is_help=True, help="Reference documents: CUI kept outside the scanned "
                            "shares (e.g. a specification received from the government). Only their "
                            "fingerprints are stored, never their text.")


@reference_app.command("add")
def add(
    paths: List[Path] = typer.Argument(..., help="Documents to register (any format cuiscan reads)."),
    category: Optional[List[str]] = typer.Option(None, "--category", "-c",
                                                 help="CUI category marking, e.g. CTI (repeatable)."),
    public: bool = typer.Option(False, "--public", help="The documents are public (a standard, a published "
                                "template): text they hold never makes a derivative."),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """Fingerprint PATHS and register them as known CUI (or, with --public, as public text); adding a
    path again replaces it."""
    from cuiscan.derivatives.references import add_public_reference, add_reference, check_categories

    settings = settings_for(config)
    if public and category:
        raise fail("--public documents have no CUI category: leave out --category")
    try:
        categories = check_categories(category)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    failed = 0
    with _connection(db or settings.db, create=True) as conn:
        for path in paths:
            try:
                if public:
                    ref = add_public_reference(conn, path, settings.limits, settings.pdf_backend)
                else:
                    ref = add_reference(conn, path, categories, settings.limits, settings.pdf_backend)
            except ConfigError as exc:
                echo(f"cuiscan: {exc}", err=True)
                failed += 1
                continue
            cats = "public" if ref.public else ",".join(ref.categories) or "-"
            echo(f"added {ref.path} [{cats}] ({ref.words} words, {ref.fingerprints} fingerprints)")
    if failed:
        raise typer.Exit(EXIT_USAGE)


@reference_app.command("list")
def list_(
    fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """List the registered reference documents."""
    from cuiscan.derivatives.references import list_references

    check_format(fmt, ("table", "json"))
    settings = settings_for(config)
    with _connection(db or settings.db) as conn:
        refs = list_references(conn)
    if fmt == "json":
        echo(json.dumps([r.to_dict() for r in refs], indent=2))
        return
    if not refs:
        echo("no reference documents registered")
        return
    for ref in refs:
        cats = "public" if ref.public else ",".join(ref.categories) or "-"
        echo(f"{ref.path}\t{cats}\t{ref.words} words\tadded {ref.added_at}\tsha256 {ref.sha256[:12]}")


@reference_app.command("remove")
def remove(
    paths: List[Path] = typer.Argument(..., help="Registered paths to remove."),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """Unregister reference documents (their fingerprints are deleted)."""
    from cuiscan.derivatives.references import remove_reference

    settings = settings_for(config)
    missing = 0
    with _connection(db or settings.db) as conn:
        for path in paths:
            if remove_reference(conn, path):
                echo(f"removed {path}")
            else:
                echo(f"cuiscan: {path} is not a registered reference document", err=True)
                missing += 1
    if missing:
        raise typer.Exit(EXIT_USAGE)


class _connection:
    """The inventory's connection for the command; database failures exit 3 with one line."""

    def __init__(self, db: Optional[str], create: bool = False):
        self.inv = open_inventory(db, create=create)

    def __enter__(self) -> sqlite3.Connection:
        return self.inv.conn

    def __exit__(self, exc_type, exc, tb):
        try:
            self.inv.close()
        except InventoryError:
            pass
        if isinstance(exc, (sqlite3.Error, InventoryError)):
            raise fail(f"inventory: {exc}", EXIT_CANNOT_RUN) from None
        return False


def register(app: typer.Typer) -> None:
    app.add_typer(reference_app, name="reference")
