"""What the command line writes, in one place: every line through `echo` (control characters shown as
\\xNN: file names and reasons are other people's text, and an ESC sequence must not reach the
terminal), every report through `open_output`.

Where reports go: stdout, a device or pipe written in place, or a file readable by its owner only.

Only a regular file (or a new path) is written through a temporary file and renamed over, so a
half-written report never replaces a good one. A character device, FIFO or socket at the path
(`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written straight into: renaming over it would
replace the device node with a regular file. A symlink is followed only to a file in its own
folder (or below it); one that leads elsewhere is refused rather than silently replacing a file
the user never named.
"""
from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from cuiscan.errors import ConfigError
from cuiscan.textsafe import printable


def echo(message: str = "", err: bool = False) -> None:
    """One message line (or lines) to stdout, or stderr with `err`."""
    typer.echo(printable(message), err=err)


@contextmanager
def open_output(path: Path | str | None):
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    mode = _mode_of(target)
    if mode is not None and stat.S_ISDIR(mode):
        raise ConfigError(f"cannot write {target}: it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        with _guarded_write(target):
            with open(target, "w", encoding="utf-8", newline="") as fh:
                yield fh
        return
    if target.is_symlink():
        target = _followed_link(target)
    with _guarded_write(target):
        yield from _atomic(target)


def _mode_of(target: Path) -> int | None:
    try:
        return os.stat(target).st_mode          # follows links: /dev/stdout is a link to the real stream
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror}") from None


def _followed_link(link: Path) -> Path:
    real = Path(os.path.realpath(link))
    folder = Path(os.path.realpath(link.parent))
    if not real.is_relative_to(folder):
        raise ConfigError(f"refusing to write through the symlink {link} -> {real}: it leads out of its folder "
                          f"(name the file itself with -o {real})")
    return real


@contextmanager
def _guarded_write(target: Path):
    try:
        yield
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from None


def _atomic(target: Path):
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
