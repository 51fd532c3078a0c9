"""-o never destroys what is at the path: devices and pipes are written into, links are not followed out."""
from __future__ import annotations

import os
import stat
import threading

import pytest
from typer.testing import CliRunner

from cuiscan.cli import app
from cuiscan.errors import ConfigError
from cuiscan.cli.output import open_output


def _null_device(tmp_path):
    """A private /dev/null twin when we are root (so a bug cannot break the machine's), else /dev/null."""
    if os.geteuid() != 0:
        return "/dev/null"
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return str(node)


def _write(path, text="report\n"):
    with open_output(path) as fh:
        fh.write(text)


def test_character_device_stays_a_device(tmp_path):
    node = _null_device(tmp_path)
    before = os.stat(node)
    _write(node)
    after = os.stat(node)
    assert stat.S_ISCHR(after.st_mode) and (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_full_device_gives_a_one_line_error_and_stays(tmp_path):
    if os.geteuid() == 0:
        node = tmp_path / "full"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    else:
        node = "/dev/full"
    with pytest.raises(ConfigError, match="No space left"):
        _write(str(node), "x" * 100_000)
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_fifo_is_written_into(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    _write(fifo, "through the pipe\n")
    reader.join(10)
    assert received == ["through the pipe\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_regular_file_is_replaced_atomically_and_owner_only(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    _write(out, "new")
    assert out.read_text() == "new" and stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]        # no temp file left


def test_failed_report_keeps_the_old_file(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("good")
    with pytest.raises(RuntimeError):
        with open_output(out) as fh:
            fh.write("half")
            raise RuntimeError("renderer died")
    assert out.read_text() == "good" and [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_symlink_within_its_folder_updates_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "2026-12-06.json"
    real.write_text("old")
    link = tmp_path / "reports" / "latest.json"
    link.symlink_to(real.name)
    _write(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_symlink_out_of_its_folder_is_refused(tmp_path):
    outside = tmp_path / "etc-passwd-stand-in"
    outside.write_text("precious")
    (tmp_path / "reports").mkdir()
    link = tmp_path / "reports" / "latest.json"
    link.symlink_to(outside)
    with pytest.raises(ConfigError, match="out of its folder"):
        _write(link)
    assert outside.read_text() == "precious" and link.is_symlink()


def test_folder_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="folder"):
        _write(tmp_path)


def test_report_to_a_device_through_the_cli_exits_cleanly(tmp_path):
    (tmp_path / "a.txt").write_text("hello\n")
    node = _null_device(tmp_path)
    db = tmp_path / "inv.sqlite"
    assert CliRunner().invoke(app, ["scan", "--db", str(db), "-q", str(tmp_path / "a.txt")]).exit_code == 0
    result = CliRunner().invoke(app, ["report", "--db", str(db), "-f", "html", "-o", node])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(node).st_mode)
