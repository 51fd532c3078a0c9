"""The `cuiscan` command: parse options, call the library, choose the exit code. Nothing else.

Exit codes (report contract): 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad
usage or configuration; 3 the scan could not run (inventory cannot be opened); 4 another scan
holds the inventory lock (scheduled scans overlapping).
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Optional

import click
import typer

from cuiscan import __version__
from cuiscan.errors import ConfigError, InventoryError, InventoryLocked
from cuiscan.settings import Settings, load_settings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3, 4
FORMATS = ("table", "json", "jsonl", "csv", "sarif", "html")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Find CUI on file shares and audit its markings (32 CFR 2002, DoDI 5200.48).")

# Options shared by several commands, declared once.
ProfileOpt = typer.Option(None, "--profile", help="Marking rules profile: dod (default) or nara; overrides the profile a folder's cuiscan.toml sets.")
FormatOpt = typer.Option("table", "--format", "-f", help="table | json | jsonl | csv | sarif | html")
OutputOpt = typer.Option(None, "--output", "-o", help="Write the report to FILE (default: stdout).")
DbOpt = typer.Option(None, "--db", envvar="CUISCAN_DB", help="Inventory database (default: user data dir).")
ConfigOpt = typer.Option(None, "--config", help="Configuration file (default: ./cuiscan.toml if present).")
JobsOpt = typer.Option(None, "--jobs", "-j", help="Worker processes (default: all cores; 1 = in-process).")
FailOnOpt = typer.Option(None, "--fail-on", help="Exit 1 when findings reach: critical|error|warning|info|never.")


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"cuiscan: {message}", err=True)
    return typer.Exit(code)


def settings_for(config: Optional[Path], **overrides) -> Settings:
    """Config file + command-line overrides; a bad value exits 2 with a one-line message."""
    try:
        return load_settings(config).with_overrides(**overrides)
    except ConfigError as exc:
        raise fail(str(exc)) from None


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
        typer.echo(f"cuiscan: created a new inventory at {path}", err=True)
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


def version_callback(value: bool) -> None:
    if value:
        from cuiscan.detection import model_version, rules_version
        from cuiscan.extractors.ocr import engine_name

        typer.echo(f"cuiscan {__version__}\nrules {rules_version()}\nmodel {model_version()}\nocr {engine_name()}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                      help="Print the versions of the tool, rule packs and model.")) -> None:
    """cuiscan: find Controlled Unclassified Information and check its markings."""


_COMMAND_MODULES = ("cuiscan.cli_scan", "cuiscan.cli_inventory", "cuiscan.cli_detect",
                    "cuiscan.cli_reference", "cuiscan.cli_watch")


def _register_commands() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(app)


_register_commands()


def command():
    """The click command behind `app`, with plain metavars: typer would print internal type tags
    (`<bool>` on a flag, `<list[Path]>`), which read like values a user must type."""
    root = typer.main.get_command(app)
    _plain_metavars(root)
    return root


def _plain_metavars(cmd) -> None:
    for param in cmd.params:
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: None      # the name says it; no type column
            param.metavar = param.metavar or (param.name or "value").upper()
        elif param.metavar is None:
            flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
            param.metavar = "" if flag else (param.name or "value").upper()
    for sub in getattr(cmd, "commands", {}).values():
        _plain_metavars(sub)


# typer >= 0.24 runs its own copy of click: its exceptions are not the installed click's.
_click = getattr(typer.core, "_click", click)


def run() -> None:
    """The console script: every error a user can cause is one line `cuiscan: ...` and exit 2."""
    try:
        code = command().main(prog_name="cuiscan", standalone_mode=False)
    except _click.exceptions.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help())
        code = EXIT_OK
    except _click.exceptions.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "cuiscan"
        typer.echo(f"cuiscan: {exc.format_message()} (see `{where} --help`)", err=True)
        code = exc.exit_code
    except typer.Abort:
        typer.echo("cuiscan: interrupted", err=True)
        code = 130
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)
