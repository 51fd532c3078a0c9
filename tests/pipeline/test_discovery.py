"""Discovery on real trees: filters, ignore files, symlinks, special files, odd names."""
from __future__ import annotations

import os
import socket

from cuiscan.discovery import display_path, iter_files
from cuiscan.settings import Limits, Settings


def _paths(root, settings=None):
    return {os.path.relpath(r.path, root): r for r in iter_files([str(root)], settings or Settings())}


def _touch(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_crawls_recursively_in_stable_order_and_includes_hidden_files(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/.hidden.txt", ".cfg/secret.md"):
        _touch(tmp_path / name)
    refs = list(iter_files([str(tmp_path)], Settings()))
    rel = [os.path.relpath(r.path, tmp_path) for r in refs]
    assert rel == [".cfg/secret.md", "a/.hidden.txt", "a/z.txt", "b.txt"]
    assert all(r.root == str(tmp_path) and r.size == 1 and r.mtime_ns > 0 and r.inode for r in refs)


def test_exclude_include_and_cuiscanignore(tmp_path):
    for name in ("keep.docx", "tmp/x.docx", "logs/a.log", "sub/drop.bak", "sub/keep.txt", "sub/deep/also.bak"):
        _touch(tmp_path / name)
    (tmp_path / "sub" / ".cuiscanignore").write_text("*.bak\n")
    found = _paths(tmp_path, Settings(exclude=("tmp/", "*.log")))
    assert set(found) == {"keep.docx", "sub/keep.txt"}
    only_docx = _paths(tmp_path, Settings(include=("*.docx",)))
    assert set(only_docx) == {"keep.docx", "tmp/x.docx"}


def test_symlinks_not_followed_by_default_and_never_outside_roots(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    _touch(root / "real.txt")
    _touch(outside / "elsewhere.txt")
    os.symlink(outside, root / "escape")
    os.symlink(root / "real.txt", root / "alias.txt")
    os.symlink(root, root / "loop")
    assert set(_paths(root)) == {"real.txt"}
    followed = _paths(root, Settings(follow_symlinks=True))
    assert set(followed) == {"real.txt", "alias.txt"}   # loop entered once, escape never


def test_fifo_socket_are_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock"))
    try:
        found = _paths(tmp_path)
    finally:
        sock.close()
    assert "FIFO" in found["pipe"].skip_reason
    assert "socket" in found["sock"].skip_reason


def test_size_limit_marks_file_skipped(tmp_path):
    _touch(tmp_path / "big.txt", "x" * 100)
    _touch(tmp_path / "small.txt", "x")
    found = _paths(tmp_path, Settings(limits=Limits(max_file_size=10)))
    assert "size limit" in found["big.txt"].skip_reason
    assert found["small.txt"].skip_reason is None


def test_non_utf8_file_names_survive(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as fh:
        fh.write(b"hello")
    [ref] = iter_files([str(tmp_path)], Settings())
    assert os.path.exists(ref.path)
    shown = display_path(ref.path)
    shown.encode("utf-8")                      # storable and printable
    assert shown.endswith("caf\\xe9.txt")


def test_missing_root_is_a_failure_not_a_crash(tmp_path):
    [ref] = iter_files([str(tmp_path / "nope")], Settings())
    assert ref.error and "No such file" in ref.error
