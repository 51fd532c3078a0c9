"""Reading a discovered file safely: open exactly the file discovery listed, hash its content.

A low layer (records only): the per-file trip (pipeline), the derivative references and the tools
all hash files the same way.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat

from cuiscan.records import FileRef

HASH_CHUNK = 1 << 20


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class FileChanged(OSError):
    """The path no longer names the regular file discovery saw (swapped, replaced by a link or FIFO)."""


def open_discovered(ref: FileRef, follow_symlinks: bool) -> int:
    """Open the file discovery listed, and only that: no blocking on a FIFO swapped in since, no
    following a symlink planted since (unless asked), and the same device/inode as listed.
    Returns a file descriptor; the caller reads everything through it (/proc/self/fd/N)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(ref.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileChanged(errno.ELOOP, "the file was replaced by a symbolic link after it was listed") from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise FileChanged(errno.EINVAL, "the file was replaced by a special file (FIFO, device) after it was listed")
    if ref.inode and st.st_ino != ref.inode:
        os.close(fd)
        raise FileChanged(errno.ESTALE, "the file was replaced by another file after it was listed")
    os.set_blocking(fd, True)
    return fd
