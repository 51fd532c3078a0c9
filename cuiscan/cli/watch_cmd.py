"""`cuiscan watch` and `cuiscan schedule`."""
from __future__ import annotations

import os
import shlex
import signal
import sys
from pathlib import Path
from typing import List, Optional

import typer

from cuiscan.cli.common import EXIT_OK, guarded, ConfigOpt, DbOpt, FailOnOpt, ProfileOpt, fail, open_inventory, settings_for
from cuiscan.cli.output import echo


def watch(
    paths: List[Path] = typer.Argument(..., exists=True, file_okay=False, help="Folders to watch."),
    profile: Optional[str] = ProfileOpt,
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
    fail_on: Optional[str] = FailOnOpt,
    settle: float = typer.Option(1.0, "--settle", help="Seconds a file must stay unchanged before it is read."),
    polling: bool = typer.Option(False, "--polling", help="Poll instead of inotify (SMB/NFS mounts)."),
    interval: float = typer.Option(2.0, "--interval", help="Polling interval in seconds (with --polling)."),
    exec_cmd: Optional[str] = typer.Option(None, "--exec", help="Command run per finding at or above --fail-on; "
                                           "gets CUISCAN_PATH, CUISCAN_RULE, CUISCAN_SEVERITY, CUISCAN_MESSAGE and "
                                           "the finding as JSON on stdin. Run without a shell."),
    no_startup_scan: bool = typer.Option(False, "--no-startup-scan", help="Skip the incremental scan at start."),
) -> None:
    """Watch folders; inspect each created/changed/moved file as it settles; print one JSON line per event."""
    from cuiscan.watching import WatchOptions, Watcher

    settings = settings_for(config, profile=profile, fail_on=fail_on)
    if settle < 0 or interval <= 0:
        raise fail("--settle must be >= 0 and --interval > 0")
    if exec_cmd is not None and not shlex.split(exec_cmd):
        raise fail("--exec needs a command")
    inv = open_inventory(db or settings.db, create=True)
    watcher = Watcher([str(p) for p in paths], settings, inv,
                      WatchOptions(settle=settle, polling=polling, interval=interval, exec_cmd=exec_cmd,
                                   startup_scan=not no_startup_scan))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: watcher.stop())
    try:
        watcher.run()
    finally:
        inv.close()
    raise typer.Exit(EXIT_OK)


def schedule(
    paths: List[Path] = typer.Argument(..., help="Folders the scheduled scan covers."),
    systemd: bool = typer.Option(False, "--systemd", help="Print a systemd service + timer."),
    cron: bool = typer.Option(False, "--cron", help="Print a crontab line."),
    at: str = typer.Option("02:30", "--at", help="Time of day, HH:MM (local time)."),
    db: Optional[str] = DbOpt,
    config: Optional[Path] = ConfigOpt,
    profile: Optional[str] = ProfileOpt,
    report: Optional[Path] = typer.Option(None, "--report", help="Also write a JSON report here after each scan."),
) -> None:
    """Print a ready systemd unit + timer, or a crontab line, for a nightly incremental scan."""
    if systemd == cron:
        raise fail("choose exactly one of --systemd or --cron")
    try:
        hour, minute = (int(x) for x in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise fail(f"--at must be HH:MM, not {at!r}") from None
    command = _scan_command(paths, db, config, profile, report)
    if cron:
        echo(f"# cuiscan nightly scan (exit 4 = previous scan still running, 1 = findings)\n"
             f"{minute} {hour} * * * {command} >> /var/log/cuiscan.log 2>&1")
    else:
        echo(_systemd_units(command, hour, minute))
    raise typer.Exit(EXIT_OK)


def _scan_command(paths, db, config, profile, report) -> str:
    exe = shlex.quote(_cuiscan_executable())
    args = ["scan", *[os.path.abspath(p) for p in paths], "--quiet", "--fail-on", "never"]
    if db:
        args += ["--db", os.path.abspath(db)]
    if config:
        args += ["--config", os.path.abspath(config)]
    if profile:
        args += ["--profile", profile]
    if report:
        args += ["--format", "json", "--output", os.path.abspath(report)]
    return " ".join([exe, *(shlex.quote(str(a)) for a in args)])


def _cuiscan_executable() -> str:
    candidate = Path(sys.executable).with_name("cuiscan")
    return str(candidate) if candidate.exists() else "cuiscan"


def _systemd_units(command: str, hour: int, minute: int) -> str:
    return f"""# /etc/systemd/system/cuiscan.service
[Unit]
Description=cuiscan incremental CUI scan of file shares
After=network-online.target remote-fs.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart={command}
# 1 = findings at or above --fail-on, 4 = the previous scan still holds the lock: not failures of the unit
SuccessExitStatus=1 4
Nice=10
IOSchedulingClass=idle
UMask=0077

# /etc/systemd/system/cuiscan.timer
[Unit]
Description=Nightly cuiscan scan

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
Persistent=true
RandomizedDelaySec=600

[Install]
WantedBy=timers.target

# then: systemctl daemon-reload && systemctl enable --now cuiscan.timer"""


def register(app: typer.Typer) -> None:
    app.command()(guarded(watch))
    app.command()(guarded(schedule))
