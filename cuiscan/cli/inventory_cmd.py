"""`cuiscan report`, `inventory`, `diff`, `suppress` and `suppressions`: read what scans stored.

Exit codes as for `scan`: 0 nothing at or above --fail-on, 1 findings at or above it (for `diff`:
new or changed findings), 2 bad usage/configuration, 3 the inventory cannot be used.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from cuiscan.cli.common import (
    EXIT_CANNOT_RUN, EXIT_OK, EXIT_USAGE, ConfigOpt, DbOpt, FailOnOpt, FormatOpt, OutputOpt,
    check_format, exit_code_for, fail, guarded, open_inventory, settings_for, suppression_policy,
)
from cuiscan.cli.output import echo
from cuiscan.errors import ConfigError, InventoryError

ShowSuppressedOpt = typer.Option(False, "--show-suppressed", help="Also list suppressed findings (marked).")
MinSeverityOpt = typer.Option(None, "--min-severity", help="Leave out findings below: critical|error|warning|info.")


@contextmanager
def _inventory(db: Optional[str], settings):
    """Open the inventory; library errors become one-line messages with the contract's exit codes."""
    inv = open_inventory(db or settings.db)
    try:
        yield inv
    except ConfigError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    except InventoryError as exc:
        raise fail(str(exc), EXIT_CANNOT_RUN) from None
    finally:
        try:
            inv.close()
        except InventoryError:
            pass


def _check_severity(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("critical", "error", "warning", "info"):
        raise fail(f"--min-severity must be critical, error, warning or info, not {value!r}")
    return value


def report(
    scan: Optional[str] = typer.Argument(None, help="Scan id, id prefix, 'latest' (default) or 'latest~N'."),
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
    fail_on: Optional[str] = FailOnOpt,
    show_suppressed: bool = ShowSuppressedOpt,
    min_severity: Optional[str] = MinSeverityOpt,
    list_scans: bool = typer.Option(False, "--list", help="List the stored scans instead."),
) -> None:
    """Print a stored scan again, in any format (default: the latest finished scan)."""
    from cuiscan.cli.output import open_output
    from cuiscan.reporting import render

    check_format(fmt)
    _check_severity(min_severity)
    settings = settings_for(config, fail_on=fail_on)
    with _inventory(db, settings) as inv:
        if list_scans:
            _list_scans(inv)
            raise typer.Exit(EXIT_OK)
        scan_id = inv.resolve_scan(scan)
        policy = suppression_policy(settings)
        with open_output(output) as out:
            render(fmt, inv, scan_id, out, show_suppressed=show_suppressed, min_severity=min_severity,
                   suppressions=policy)
        worst = inv.max_severity(scan_id, suppressed=policy.fingerprints(inv))
    raise typer.Exit(exit_code_for(worst.value if worst else None, settings.fail_on))


def _list_scans(inv) -> None:
    for s in inv.scans():
        c = s.counts
        echo(f"{s.id}  {s.profile:<4}  {s.started_at}  {s.finished_at or 'not finished':<20}  "
             f"{c.files_seen:>7} files  {', '.join(s.roots)}")


def inventory(
    fmt: str = typer.Option("table", "--format", "-f", help="table | json | csv | html"),
    output: Optional[Path] = OutputOpt,
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """The boundary inventory: per zone and top-level folder, what CUI lives there now."""
    from cuiscan.inventory.rollups import inventory_rollup
    from cuiscan.inventory.rows import utc_now
    from cuiscan.cli.output import open_output
    from cuiscan.reporting.inventory_report import INVENTORY_FORMATS, render_inventory

    if fmt not in INVENTORY_FORMATS:
        raise fail(f"--format must be one of {', '.join(INVENTORY_FORMATS)}, not {fmt!r}")
    settings = settings_for(config)
    with _inventory(db, settings) as inv:
        rows = inventory_rollup(inv, settings.zones, suppression_policy(settings).fingerprints(inv))
        with open_output(output) as out:
            render_inventory(fmt, rows, out, utc_now())
    raise typer.Exit(EXIT_OK)


def diff(
    old: str = typer.Argument(..., help="The older scan (id, prefix or latest~N)."),
    new: str = typer.Argument("latest", help="The newer scan (default: latest)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table | json | jsonl | csv"),
    output: Optional[Path] = OutputOpt,
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
    fail_on: Optional[str] = FailOnOpt,
) -> None:
    """What changed between two stored scans: new, changed and resolved findings, removed files."""
    from cuiscan.inventory.diff import diff_scans
    from cuiscan.cli.output import open_output
    from cuiscan.reporting.diff_report import DIFF_FORMATS, render_diff

    if fmt not in DIFF_FORMATS:
        raise fail(f"--format must be one of {', '.join(DIFF_FORMATS)}, not {fmt!r}")
    settings = settings_for(config, fail_on=fail_on)
    with _inventory(db, settings) as inv:
        result = diff_scans(inv, inv.resolve_scan(old), inv.resolve_scan(new),
                            suppression_policy(settings).fingerprints(inv))
        with open_output(output) as out:
            render_diff(fmt, result, out)
    worst = max((r.finding.severity for r in result.new + [n for _, n in result.changed]),
                key=lambda s: s.rank, default=None)
    raise typer.Exit(exit_code_for(worst.value if worst else None, settings.fail_on))


def suppress(
    fingerprint: str = typer.Argument(..., help="The finding's fingerprint (from any report)."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why this finding is accepted (required)."),
    expires: Optional[str] = typer.Option(None, "--expires", help="YYYY-MM-DD: the finding returns the day after."),
    remove: bool = typer.Option(False, "--remove", help="Delete the stored suppression instead."),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """Accept a finding: hide it from reports and exit codes (still counted), optionally until a date."""
    from cuiscan.inventory.suppressions import add_suppression, known_fingerprint, remove_suppression

    settings = settings_for(config)
    with _inventory(db, settings) as inv:
        if remove:
            if not remove_suppression(inv, fingerprint):
                raise fail(f"no stored suppression for {fingerprint}")
            echo(f"removed suppression {fingerprint.strip().lower()}")
            raise typer.Exit(EXIT_OK)
        if not reason:
            raise fail("a suppression needs --reason TEXT")
        supp = add_suppression(inv, fingerprint, reason, expires)
        if not known_fingerprint(inv, supp.fingerprint):
            echo(f"cuiscan: warning: no stored finding has fingerprint {supp.fingerprint} "
                 "(suppression kept; check for a typo)", err=True)
    until = f" until {supp.expires.isoformat()}" if supp.expires else ""
    echo(f"suppressed {supp.fingerprint}{until}: {supp.reason}")
    raise typer.Exit(EXIT_OK)


def suppressions(
    fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
) -> None:
    """List suppressions (stored and from cuiscan.toml), with whether each is still active."""
    import json

    check_format(fmt, ("table", "json"))
    settings = settings_for(config)
    with _inventory(db, settings) as inv:
        items = [s.to_dict() for s in suppression_policy(settings).all(inv)]
    if fmt == "json":
        echo(json.dumps(items, indent=1))
    else:
        for s in items:
            state = "active " if s["active"] else "EXPIRED"
            echo(f"{s['fingerprint']}  {state}  {s['expires'] or 'no expiry':<10}  "
                 f"{s['source']:<9}  {s['reason']}")
        if not items:
            echo("no suppressions")
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    for command in (report, inventory, diff, suppress, suppressions):
        app.command()(guarded(command))
