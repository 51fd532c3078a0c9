"""`cuiscan scan`, `cuiscan inspect` and `cuiscan rules`."""
from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

import typer

from cuiscan.cli.common import (
    ConfigOpt, DbOpt, FailOnOpt, FormatOpt, JobsOpt, OutputOpt, ProfileOpt, check_format, exit_code_for, fail,
    guarded, open_inventory, settings_for, suppression_policy,
)
from cuiscan.cli.output import echo


OcrOpt = typer.Option(None, "--ocr", help="auto: OCR images and pages without text (default); "
                                           "off; force: OCR every page, ignoring text layers.")


def scan(
    paths: List[Path] = typer.Argument(..., help="Folders or files to scan."),
    profile: Optional[str] = ProfileOpt,
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
    jobs: Optional[int] = JobsOpt,
    fail_on: Optional[str] = FailOnOpt,
    full: bool = typer.Option(False, "--full", help="Re-inspect every file, even unchanged ones."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no report unless --output (for cron)."),
    show_evidence: bool = typer.Option(False, "--show-evidence", help="Show raw matched values in this run's report (files read in this run; add --full for every file). Never stored: a later report shows them redacted."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Glob to leave out (repeatable)."),
    include: Optional[List[str]] = typer.Option(None, "--include", help="Only files matching this glob (repeatable)."),
    ocr: Optional[str] = OcrOpt,
) -> None:
    """Crawl PATHS, inspect every file, store results in the inventory, print a report."""
    from cuiscan.locking import scan_lock
    from cuiscan.cli.progress import ScanProgress
    from cuiscan.reporting import render
    from cuiscan.scan import run_scan

    check_format(fmt)
    settings = settings_for(config, profile=profile, jobs=jobs, fail_on=fail_on,
                            show_evidence=show_evidence or None,
                            exclude=tuple(exclude) if exclude else None,
                            include=tuple(include) if include else None, ocr=ocr)
    if profile:      # said on the command line: it overrides the folders' cuiscan.toml
        settings = replace(settings, location_profiles=False)
    policy = suppression_policy(settings)
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}")
    inv = open_inventory(db or settings.db, create=True)
    try:
        with scan_lock(inv.path):
            with ScanProgress(enabled=not quiet and sys.stderr.isatty()) as progress:
                outcome = run_scan([str(p) for p in paths], settings, inv, full=full, progress=progress.update)
            if not quiet or output:
                _write_report(render, fmt, inv, outcome.scan_id, output, policy, outcome.reveal)
            if outcome.interrupted:
                echo(f"cuiscan: scan interrupted; {outcome.counts.files_seen} files recorded. "
                     "Run the same command again to continue.", err=True)
            if not quiet:
                _explain_profiles(inv, outcome)
            if not quiet and not outcome.interrupted:
                c = outcome.counts
                echo(f"cuiscan: {c.files_seen} files: {c.inspected} inspected, {c.unchanged} unchanged, "
                     f"{c.skipped} skipped, {c.failed} failed"
                     + (f"; {outcome.removed} removed since last scan" if outcome.removed else ""), err=True)
            code = exit_code_for(inv.max_severity(outcome.scan_id, suppressed=policy.fingerprints(inv)),
                                 settings.fail_on)
    finally:
        inv.close()
    raise typer.Exit(code)


def _explain_profiles(inv, outcome) -> None:
    """Which folders' cuiscan.toml set another profile; a hint when the profile looks wrong."""
    from cuiscan.cli.profile_hint import profile_hint

    for config, used in sorted(outcome.profiles_used.items()):
        echo(f"cuiscan: profile {used} for the files below {os.path.dirname(config)} (set by {config})",
             err=True)
    hint = profile_hint(inv, outcome.scan_id)
    if hint:
        echo(f"cuiscan: {hint}", err=True)


def _write_report(render, fmt, inv, scan_id, output, policy, reveal=None) -> None:
    from cuiscan.cli.output import open_output

    with open_output(output) as out:
        render(fmt, inv, scan_id, out, suppressions=policy, reveal=reveal)


def inspect(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="One file."),
    config: Optional[Path] = ConfigOpt,
    profile: Optional[str] = ProfileOpt,
    fail_on: Optional[str] = FailOnOpt,
    findings: bool = typer.Option(True, "--findings/--no-findings", help="Also run the checks and list findings."),
    ocr: Optional[str] = OcrOpt,
    explain: bool = typer.Option(False, "--explain", help="Per passage: rules fired or held back, the model's "
                                 "score and category; why the document did or did not get DETECT-001."),
    show_evidence: bool = typer.Option(False, "--show-evidence", help="With --explain: raw matched text."),
) -> None:
    """Print what the scanner sees in one file: every text block with zone and position, then findings.
    With --explain, detection's view of each passage instead of the blocks. Exits like `scan`: 1 when a
    finding reaches --fail-on."""
    from dataclasses import replace

    from cuiscan.cli.inspect_view import show_file

    settings = settings_for(config, profile=profile, fail_on=fail_on, ocr=ocr)
    if not profile:          # as a scan would: the nearest folder cuiscan.toml sets the profile
        from cuiscan.folder_config import profile_above

        found = profile_above(os.path.abspath(path))
        if found:
            settings = replace(settings, profile=found[0])
    if show_evidence:
        settings = replace(settings, show_evidence=True)
    worst = show_file(str(path), settings, with_findings=findings, explain=explain)
    raise typer.Exit(exit_code_for(worst, settings.fail_on))


def rules(
    rule_id: Optional[str] = typer.Argument(None, metavar="[show] [ID]", help="'show ID' prints one rule in full."),
    rule_id2: Optional[str] = typer.Argument(None, hidden=True),
) -> None:
    """List the rules (marking rules and detection rule packs); `rules show ID` prints one with examples."""
    from cuiscan.cli.rules_view import list_rules, show_rule

    if rule_id == "show":
        if not rule_id2:
            raise fail("usage: cuiscan rules show ID")
        if not show_rule(rule_id2):
            raise fail(f"unknown rule id: {rule_id2}")
    elif rule_id:
        if not show_rule(rule_id):
            raise fail(f"unknown rule id: {rule_id}")
    else:
        list_rules()


def register(app: typer.Typer) -> None:
    app.command()(guarded(scan))
    app.command()(guarded(inspect))
    app.command()(guarded(rules))
