"""What every command shares: exit codes, the options declared once, settings and inventory opening,
and the translation of cuiscan's errors into exit codes (report contract)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from cuiscan.cli.output import echo
from cuiscan.errors import ConfigError, InventoryError, InventoryLocked
from cuiscan.settings import Settings, load_settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3, 4
FORMATS = ("table", "json", "jsonl", "csv", "sarif", "html")

# Options shared by several commands, declared once.
ProfileOpt = typer.Option(None, "--profile", help="Marking rules profile: dod (default) or nara; overrides the profile a folder's cuiscan.toml sets.")
FormatOpt = typer.Option("table", "--format", "-f", help="table | json | jsonl | csv | sarif | html")
OutputOpt = typer.Option(None, "--output", "-o", help="Write the report to FILE (default: stdout).")
DbOpt = typer.Option(None, "--db", envvar="CUISCAN_DB", help="Inventory database (default: user data dir).")
ConfigOpt = typer.Option(None, "--config", help="Configuration file (default: ./cuiscan.toml if present).")
JobsOpt = typer.Option(None, "--jobs", "-j", help="Worker processes (default: all cores; 1 = in-process).")
FailOnOpt = typer.Option(None, "--fail-on", help="Exit 1 when findings reach: critical|error|warning|info|never.")


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    echo(f"cuiscan: {message}", err=True)
    return typer.Exit(code)


def settings_for(config: Optional[Path], **overrides) -> Settings:
    """Config file + command-line overrides; a bad value exits 2 with a one-line message."""
    try:
        return load_settings(config).with_overrides(**overrides)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def suppression_policy(settings: Settings):
    """The suppressions reports and exit codes leave out, built once per command from Settings."""
    from cuiscan.inventory.suppressions import SuppressionPolicy

    return SuppressionPolicy.from_settings(settings)


def open_inventory(db: Optional[str], *, create: bool = False):
    """Open the inventory. Only commands that record (scan, watch, reference add) may create one:
    a mistyped --db for `report` must not look like an empty, clean inventory."""
    from cuiscan.inventory.store import Inventory, default_db_path

    path = str(db) if db else default_db_path()
    new = path != ":memory:" and not os.path.lexists(path)
    if new and not create:
        raise fail(f"no inventory at {path}; run a scan first", EXIT_CANNOT_RUN)
    try:
        inv = Inventory.open(path)
    except InventoryLocked as exc:
        raise fail(str(exc), EXIT_LOCKED) from None
    except InventoryError as exc:
        raise fail(f"cannot open the inventory: {exc}", EXIT_CANNOT_RUN) from None
    if new:
        echo(f"cuiscan: created a new inventory at {path}", err=True)
    return inv


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise fail(f"--format must be one of {', '.join(allowed)}, not {fmt!r}")
    return fmt


def exit_code_for(max_severity: Optional[str], fail_on: str) -> int:
    from cuiscan.records import Severity

    if fail_on == "never" or max_severity is None:
        return EXIT_OK
    return EXIT_FINDINGS if Severity(max_severity).rank >= Severity(fail_on).rank else EXIT_OK


def guarded(command):
    """Turn cuiscan's own errors into the contract's exit codes with a one-line message, no traceback."""
    import functools

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InventoryLocked as exc:
            raise fail(str(exc), EXIT_LOCKED) from None
        except InventoryError as exc:
            raise fail(f"inventory: {exc}", EXIT_CANNOT_RUN) from None
        except ConfigError as exc:
            raise fail(str(exc)) from None

    return wrapper
