"""Watch mode with real files, a real observer (inotify and polling) and the real inventory."""
from __future__ import annotations

import io
import json
import os
import threading
import time

import pytest

from cuiscan.inventory.store import Inventory
from cuiscan.settings import Settings
from cuiscan.watching import WatchOptions, Watcher, is_temp_file

from pipeline_helpers import make_docx


class Lines(io.TextIOBase):
    """A thread-safe sink the watcher writes JSON lines into."""

    def __init__(self):
        self.lines: list[dict] = []
        self.cond = threading.Condition()

    def write(self, s):
        with self.cond:
            for line in s.splitlines():
                if line.strip():
                    self.lines.append(json.loads(line))
            self.cond.notify_all()
        return len(s)

    def wait_for(self, pred, timeout=20.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                hits = [e for e in self.lines if pred(e)]
                if hits:
                    return hits[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching event; got {self.lines}")
                self.cond.wait(left)


@pytest.fixture(params=[False, True], ids=["inotify", "polling"])
def watching(request, tmp_path):
    folder = tmp_path / "cui"
    folder.mkdir()
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    out = Lines()
    ready = threading.Event()
    watcher = Watcher([str(folder)], Settings(jobs=1), inv,
                      WatchOptions(settle=0.3, polling=request.param, interval=0.3, startup_scan=False),
                      out=out, on_ready=ready.set)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    assert ready.wait(30)
    yield folder, out, inv
    watcher.stop()
    thread.join(10)
    inv.close()


def test_saved_docx_is_reported_with_its_assessment(watching):
    folder, out, _ = watching
    make_docx(folder / "memo.docx", ["Controlled by: Naval Sea Systems Command", "Controlled by: NAVSEA 05",
                                      "CUI Category: CTI", "Distribution/Dissemination Control: D",
                                      "POC: J. Smith, 202-555-0100",
                                      "The hull survey schedule follows."], header="CUI", footer="CUI")
    make_docx(folder / "lunch.docx", ["The team lunch moves to Thursday at noon in the east cafeteria."])
    marked = out.wait_for(lambda e: e.get("path", "").endswith("memo.docx"))
    plain = out.wait_for(lambda e: e.get("path", "").endswith("lunch.docx"))
    for event in (marked, plain):
        assert event["event"] in ("created", "modified")          # backends differ in what they see first
        assert event["status"] == "inspected"
    assert marked["assessment"] == "marked-cui" and plain["assessment"] == "not-cui"
    assert plain["findings"] == []


def test_first_line_says_what_is_watched_and_how(watching):
    folder, out, _ = watching
    first = out.lines[0]
    assert first["event"] == "watching" and first["roots"] == [str(folder)]
    assert first["backend"] in ("inotify", "polling") and first["settle_seconds"] == 0.3


def test_temp_file_and_rename_is_seen_as_the_final_file(watching):
    folder, out, _ = watching
    tmp = folder / "~WRL0001.tmp"
    make_docx(tmp, ["(U) Quarterly schedule."], header="CUI", footer="CUI")
    os.replace(tmp, folder / "report.docx")
    event = out.wait_for(lambda e: e.get("path", "").endswith("report.docx"))
    assert event["status"] == "inspected"
    assert not any("~WRL" in e.get("path", "") for e in out.lines)


def test_move_and_delete(watching):
    folder, out, inv = watching
    (folder / "a.txt").write_text("ordinary note\n")
    out.wait_for(lambda e: e.get("path", "").endswith("a.txt"))
    os.rename(folder / "a.txt", folder / "b.txt")
    out.wait_for(lambda e: e.get("path", "").endswith("b.txt") and e["event"] == "moved")
    out.wait_for(lambda e: e.get("path", "").endswith("a.txt") and e["event"] == "deleted")
    (folder / "b.txt").unlink()
    out.wait_for(lambda e: e.get("path", "").endswith("b.txt") and e["event"] == "deleted")
    assert inv.previous(str(folder / "b.txt")) is None


@pytest.mark.parametrize("name", ["~$memo.docx", "draft.tmp", ".~lock.memo.docx#", "x.swp"])
def test_office_and_editor_temp_files_are_ignored(name):
    assert is_temp_file(f"/share/{name}")


def test_real_names_are_not_temp_files():
    assert not is_temp_file("/share/memo.docx") and not is_temp_file("/share/tmp-plan.xlsx")
