"""Where reports go: stdout, or a file created readable by its owner only (reports name CUI)."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from cuiscan.errors import ConfigError


@contextmanager
def open_output(path: Path | str | None):
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, target)   # a half-written report never replaces a good one
    finally:
        if tmp.exists():
            tmp.unlink()
