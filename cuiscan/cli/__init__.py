"""The `cuiscan` command: parse options, call the library, choose the exit code. Nothing else.

Exit codes (report contract): 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad
usage or configuration; 3 the scan could not run (inventory cannot be opened); 4 another scan
holds the inventory lock (scheduled scans overlapping).
"""
from __future__ import annotations

import click
import typer

from cuiscan import __version__
from cuiscan.cli import detect_cmd, inventory_cmd, reference_cmd, scan_cmd, watch_cmd
from cuiscan.cli.common import EXIT_OK
from cuiscan.cli.output import echo

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Find CUI on file shares and audit its markings (32 CFR 2002, DoDI 5200.48).")


def version_callback(value: bool) -> None:
    if value:
        from cuiscan.detection import model_version, rules_version
        from cuiscan.extractors.ocr import engine_name

        echo(f"cuiscan {__version__}\nrules {rules_version()}\nmodel {model_version()}\nocr {engine_name()}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                      help="Print the versions of the tool, rule packs and model.")) -> None:
    """cuiscan: find Controlled Unclassified Information and check its markings."""


for _commands in (scan_cmd, inventory_cmd, detect_cmd, reference_cmd, watch_cmd):
    _commands.register(app)


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
        echo(exc.ctx.get_help())
        code = EXIT_OK
    except _click.exceptions.ClickException as exc:
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "cuiscan"
        echo(f"cuiscan: {exc.format_message()} (see `{where} --help`)", err=True)
        code = exc.exit_code
    except typer.Abort:
        echo("cuiscan: interrupted", err=True)
        code = 130
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)
