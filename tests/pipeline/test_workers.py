"""The worker pool: a hung or crashing parser costs one file, never the scan."""
from __future__ import annotations

import os
import time

import pytest

import cuiscan.extractors as extractors
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector
from cuiscan.records import Status
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks


def _hang(src, ctx):
    time.sleep(3600)


def _crash(src, ctx):
    os._exit(139)   # what a segfaulting C parser looks like from outside


@pytest.fixture
def sabotaged_extractors(monkeypatch):
    """Files named hang.txt / crash.txt get a hanging / crashing extractor; the rest the real one.
    Worker processes are forked, so they inherit the patch."""
    real = extractors.get_extractor

    def pick(ftype):
        fn = real(ftype)

        def dispatch(src, ctx):
            if src.name == "hang.txt":
                return _hang(src, ctx)
            if src.name == "crash.txt":
                return _crash(src, ctx)
            return fn(src, ctx)
        return dispatch

    monkeypatch.setattr(extractors, "get_extractor", pick)


@pytest.mark.parametrize("jobs", [1, 2])
def test_hung_file_times_out_and_scan_goes_on(tmp_path, sabotaged_extractors, jobs):
    for name in ("a.txt", "hang.txt", "z.txt"):
        (tmp_path / name).write_text(f"ordinary text in {name}\n")
    settings = Settings(jobs=jobs, limits=Limits(timeout=1.5))
    t0 = time.monotonic()
    results = {os.path.basename(r.path): r for r in
               run_tasks(((ref, None) for ref in iter_files([str(tmp_path)], settings)), Inspector.from_settings(settings), jobs)}
    assert time.monotonic() - t0 < 20
    assert results["hang.txt"].status is Status.FAILED
    [finding] = results["hang.txt"].findings
    assert finding.rule_id == "SCAN-001" and "did not finish within 1.5 s" in finding.message
    assert results["a.txt"].status is Status.INSPECTED and results["z.txt"].status is Status.INSPECTED


def test_crashed_worker_is_replaced(tmp_path, sabotaged_extractors):
    for name in ("crash.txt", "b.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(f"text {name}\n")
    settings = Settings(jobs=2)
    results = {os.path.basename(r.path): r for r in
               run_tasks(((ref, None) for ref in iter_files([str(tmp_path)], settings)), Inspector.from_settings(settings), 2)}
    assert results["crash.txt"].status is Status.FAILED
    assert "crashed" in results["crash.txt"].findings[0].message
    assert all(results[n].status is Status.INSPECTED for n in ("b.txt", "c.txt", "d.txt"))


def test_workers_exit_when_the_scan_process_is_killed(tmp_path):
    """kill -9 of a scan must not leave its workers behind: they see their pipe close and exit."""
    import signal
    import subprocess
    import sys

    script = ("import os, sys, time\n"
              "from cuiscan.pipeline import Inspector\n"
              "from cuiscan.settings import Settings\n"
              "from cuiscan.workers import WorkerPool\n"
              "with WorkerPool(Inspector.from_settings(Settings()), 2) as pool:\n"
              "    print(' '.join(str(w.process.pid) for w in pool.workers), flush=True)\n"
              "    time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in pids if _running(p)]
    assert not alive, f"workers {alive} outlived their killed parent"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"     # a zombie has exited
    except FileNotFoundError:
        return False


def test_largest_files_of_the_window_are_handed_out_first():
    from cuiscan.records import FileRef
    from cuiscan.workers import largest_first

    sizes = [5, 1, 9, 3, 7, 2, 8]
    tasks = [(FileRef(f"/s/f{i}", "/s", size, 0), None) for i, size in enumerate(sizes)]
    order = [t[0].size for t in largest_first(tasks, 3, lambda: False)]
    assert sorted(order) == sorted(sizes)         # every task exactly once
    assert order == [9, 5, 7, 3, 8, 2, 1]         # the largest of the next 3 each time, then the rest
    stopped = [t[0].size for t in largest_first(iter(tasks[:4]), 3, lambda: True)]
    assert stopped == [9, 5]                      # once stopped, the files held back are left alone


@pytest.mark.parametrize("lost", ["hang.txt", "crash.txt"])
def test_files_queued_behind_a_lost_one_go_to_its_replacement(tmp_path, sabotaged_extractors, lost):
    """A worker has the next file waiting in its pipe while it inspects one: when it hangs or dies,
    the files queued behind go to the fresh worker, each inspected exactly once."""
    from cuiscan.workers import PREFETCH, WorkerPool

    names = [lost, "b.txt", "c.txt", "d.txt"]
    for name in names:
        (tmp_path / name).write_text(f"ordinary text in {name}\n")
    settings = Settings(jobs=1, limits=Limits(timeout=1.5))
    refs = {os.path.basename(ref.path): ref for ref in iter_files([str(tmp_path)], settings)}
    with WorkerPool(Inspector.from_settings(settings), 1) as pool:
        seen = [os.path.basename(r.path) for r in pool.run((refs[n], None) for n in names)]
        assert PREFETCH > 1 and len(pool.workers[0].tasks) == 0
    assert sorted(seen) == sorted(names)
    assert seen[0] == lost     # its result comes first: the others were waiting behind it
