"""One scan at a time per inventory: an advisory lock file beside the database.

A POSIX record lock (lockf) is released by the kernel when the process dies, so a scan killed with
SIGKILL never leaves a stale lock behind (a pid file would); unlike flock it is not shared with the
forked worker processes, which may outlive a killed scan by a moment.

POSIX locks belong to the process, and closing any descriptor of the file drops them all: so a
process that already holds the lock (`cuiscan scan` holds it around the scan and its report, the
scan session takes it too) enters again without opening the file a second time.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager

from cuiscan.errors import InventoryLocked

_held: dict[str, list[int]] = {}    # lock file -> [its descriptor, holders in this process]
_held_guard = threading.Lock()


@contextmanager
def scan_lock(db_path: str, wait: bool = False):
    lock_path = os.path.abspath(f"{db_path}.lock")
    with _held_guard:
        entry = _held.get(lock_path)
        if entry is None:
            entry = _held[lock_path] = [_acquire(lock_path, db_path, wait), 0]
        entry[1] += 1
    try:
        yield
    finally:
        with _held_guard:
            entry[1] -= 1
            if not entry[1]:
                del _held[lock_path]
                os.close(entry[0])


def _acquire(lock_path: str, db_path: str, wait: bool) -> int:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise InventoryLocked(f"another scan (pid {holder}) is using {db_path}; try again later") from None
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd
