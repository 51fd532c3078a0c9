"""One scan at a time per inventory: an advisory lock file beside the database.

A POSIX record lock (lockf) is released by the kernel when the process dies, so a scan killed with
SIGKILL never leaves a stale lock behind (a pid file would); unlike flock it is not shared with the
forked worker processes, which may outlive a killed scan by a moment.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager

from cuiscan.errors import InventoryLocked


@contextmanager
def scan_lock(db_path: str, wait: bool = False):
    lock_path = f"{db_path}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise InventoryLocked(f"another scan (pid {holder}) is using {db_path}; try again later") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
