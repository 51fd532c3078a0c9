"""The per-worker memory cap (Limits.worker_memory -> RLIMIT_DATA) works, and its default does not
get in the way of ordinary files with the detection model loaded before the workers fork.

The memory-hungry input is a real file: a text file of short lines, each line a TextBlock that costs
~1 KB through extraction, markings and detection (max_blocks is raised so that it is the memory cap,
not the block budget, that stops it).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hardening_helpers import fuzz_seeds
from cuiscan.records import Status
from cuiscan.settings import Settings

MIB = 1024 * 1024


def _hungry_tree(root) -> None:
    (root / "a.txt").write_text("ordinary text\n")
    (root / "z.txt").write_text("more ordinary text\n")
    (root / "m-lines.txt").write_bytes(b"a\n" * 600_000)   # 1.2 MB on disk, ~600 MB to inspect


# A fresh interpreter: in the test process, heap freed by earlier tests is reused without growing
# the data segment, so how far a file gets under "current size + N" would depend on test order.
_CHILD = """
import json, os, resource, sys
from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks

root, jobs = sys.argv[1], int(sys.argv[2])
settings = Settings(jobs=jobs)
engine = Inspector.from_settings(settings, Detector.load(settings, use_model=False))
engine.warm_up()   # what a worker inherits when it forks
with open("/proc/self/status") as fh:
    data = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmData:"))
allowance = 64 * 1024 * 1024   # a worker's cap is absolute; in-process it is added to the present size
settings = Settings(jobs=jobs, limits=Limits(worker_memory=allowance + (data if jobs > 1 else 0),
                                             max_blocks=10_000_000, timeout=60))
engine = Inspector.from_settings(settings, engine.detector)
engine.warm_up()
before = resource.getrlimit(resource.RLIMIT_DATA)
out = {os.path.basename(r.path): [r.status.value, r.status_reason, [[f.rule_id, f.evidence] for f in r.findings]]
       for r in run_tasks(((ref, None) for ref in iter_files([root], settings)), engine, jobs)}
out["rlimit restored"] = resource.getrlimit(resource.RLIMIT_DATA) == before
print(json.dumps(out))
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_over_the_memory_cap_fails_with_limit_and_the_scan_goes_on(tmp_path, jobs):
    """The cap sits 64 MiB above what a forked worker holds at its start (64 MiB above the present
    size for --jobs 1)."""
    _hungry_tree(tmp_path)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path), str(jobs)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)
    assert results["m-lines.txt"] == ["failed", "limit: ran out of memory (worker memory limit)",
                                      [["SCAN-001", "limit"]]]
    assert results["a.txt"][0] == "inspected" and results["z.txt"][0] == "inspected"
    assert results["rlimit restored"] is True   # --jobs 1 gives the cap back when it is done


# Run in a fresh interpreter, as `cuiscan scan` is: workers fork from the process that loaded the model, and
# pytest's own process carries whatever earlier tests imported (scikit-learn alone adds 140 MB of VmData)
_POOL_SCRIPT = """
import json, sys
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector
from cuiscan.settings import Settings
from cuiscan.workers import WorkerPool

settings = Settings(jobs=2)
engine = Inspector.from_settings(settings)   # the real model: WorkerPool loads it before forking
with WorkerPool(engine, 2) as pool:
    model = engine.detector.model is not None and engine.detector.terms is not None
    results = list(pool.run((ref, None) for ref in iter_files([sys.argv[1]], settings)))
    workers = []
    for w in pool.workers:   # after work, so each worker has long since set its own limit
        with open(f"/proc/{w.process.pid}/limits") as fh:
            limits = fh.read()
        with open(f"/proc/{w.process.pid}/status") as fh:
            data = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmData:"))
        workers.append([limits, data])
print(json.dumps({"model": model, "cap": settings.limits.worker_memory, "workers": workers,
                  "results": [[r.path, r.status.value, r.status_reason,
                               [f.evidence for f in r.findings if f.rule_id == "SCAN-001"]] for r in results]}))
"""


def test_default_cap_is_set_in_each_worker_and_leaves_room_with_the_model_loaded(tmp_path):
    seeds = fuzz_seeds()
    for name in ("memo.docx", "deck.pptx", "book.xlsx", "report.pdf", "note.eml", "mail.msg", "bundle.zip"):
        (tmp_path / name).write_bytes(seeds.seed(name))
    run = subprocess.run([sys.executable, "-c", _POOL_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                         timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["model"] and out["cap"] == 2 * 1024 * MIB == Settings(jobs=2).limits.worker_memory
    assert len(out["workers"]) == 2
    for limits, data in out["workers"]:
        parsed = {line[:26].strip(): line[26:47].strip() for line in limits.splitlines()[1:]}
        assert parsed["Max data size"] == str(out["cap"]), parsed
        assert data < out["cap"] // 4
    assert len(out["results"]) == 7
    assert [(path, reason) for path, status, reason, _ in out["results"] if status != Status.INSPECTED.value] == []
    assert not any("limit" in evidence for *_, evidence in out["results"])
