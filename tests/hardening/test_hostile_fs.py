"""The file system as an adversary: files that vanish, shrink or change while a scan reads them,
folders that disappear mid-crawl, symlink loops, and files/folders the scanner may not read.

Each case ends as a FileResult with a clear SCAN-001 reason (or a discovery entry with one), the
other files are still inspected, and the scan finishes in bounded time.
"""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

from hardening_helpers import files_by_path, findings_for, fuzz_seeds, run_scan_cli
from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector
from cuiscan.records import Status
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks

KNOWN_REASONS = {"encrypted", "corrupt", "unsupported", "too-large", "timeout", "image-only", "limit", "unreadable"}


def engine_for(settings: Settings) -> Inspector:
    # Rules only: these tests are about the file system, and the model costs seconds to load.
    return Inspector.from_settings(settings, Detector.load(settings, use_model=False))


def scan(root, settings: Settings, refs=None) -> dict[str, object]:
    refs = refs if refs is not None else list(iter_files([str(root)], settings))
    results = run_tasks(((ref, None) for ref in refs), engine_for(settings), settings.jobs)
    return {os.path.relpath(r.path, root): r for r in results}


def _ordinary_files(root, names=("a.txt", "z.txt")) -> None:
    for name in names:
        (root / name).write_text(f"ordinary text in {name}\n")


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_deleted_after_discovery_fails_with_the_os_reason(tmp_path, jobs):
    _ordinary_files(tmp_path)
    (tmp_path / "gone.txt").write_text("about to vanish\n")
    settings = Settings(jobs=jobs)
    refs = list(iter_files([str(tmp_path)], settings))
    (tmp_path / "gone.txt").unlink()
    results = scan(tmp_path, settings, refs)
    gone = results["gone.txt"]
    assert gone.status is Status.FAILED
    assert gone.status_reason == "unreadable: cannot read file: No such file or directory"
    assert [(f.rule_id, f.evidence) for f in gone.findings] == [("SCAN-001", "unreadable")]
    assert results["a.txt"].status is Status.INSPECTED and results["z.txt"].status is Status.INSPECTED


def test_file_truncated_after_discovery_is_corrupt_not_a_crash(tmp_path):
    seeds = fuzz_seeds()
    for name, data in (("memo.docx", seeds.docx_bytes()), ("report.pdf", seeds.pdf_bytes()),
                       ("bundle.zip", seeds.zip_bytes()), ("book.xlsx", seeds.xlsx_bytes())):
        (tmp_path / name).write_bytes(data)
    settings = Settings(jobs=2)
    refs = list(iter_files([str(tmp_path)], settings))
    for name in ("memo.docx", "report.pdf", "bundle.zip", "book.xlsx"):
        path = tmp_path / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    results = scan(tmp_path, settings, refs)
    for name in ("memo.docx", "bundle.zip", "book.xlsx"):
        assert results[name].status is Status.FAILED and results[name].status_reason.startswith("corrupt: "), name
    pdf = results["report.pdf"]   # PDFium repairs a cut PDF as far as it can; what it cannot read is named
    assert pdf.status is Status.FAILED or all(f.evidence in KNOWN_REASONS
                                              for f in pdf.findings if f.rule_id == "SCAN-001")


def test_files_rewritten_and_truncated_while_being_read_never_crash_a_worker(tmp_path):
    """A writer keeps cutting and restoring every file while the pool reads them. Whatever each file
    looked like at the moment it was read, the outcome is a result with a known reason."""
    seeds = fuzz_seeds()
    originals = {f"{i}-{name}": seeds.seed(name) for i in range(3)
                 for name in ("memo.docx", "report.pdf", "bundle.zip", "inbox.mbox", "book.xlsx", "notes.txt")}
    for name, data in originals.items():
        (tmp_path / name).write_bytes(data)
    stop = threading.Event()

    def churn() -> None:
        step = 0
        while not stop.is_set():
            for name, data in originals.items():
                cut = (step * 7919) % (len(data) + 1)
                with open(tmp_path / name, "r+b") as fh:
                    fh.truncate(cut)
                    fh.seek(0, os.SEEK_END)
                    fh.write(data[cut:])
                step += 1

    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    try:
        started = time.monotonic()
        settings = Settings(jobs=2, limits=Limits(timeout=20))
        results = scan(tmp_path, settings)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        writer.join()
    assert set(results) == set(originals) and elapsed < 60
    for name, result in results.items():
        assert result.status in (Status.INSPECTED, Status.FAILED), name
        for f in result.findings:
            if f.rule_id == "SCAN-001":
                assert f.evidence in KNOWN_REASONS and "crashed" not in f.message, (name, f.message)


def test_folder_removed_during_the_crawl_is_a_failed_folder(tmp_path):
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "note.txt").write_text("text\n")
    crawl = iter_files([str(tmp_path)], Settings())
    first = next(crawl)
    shutil.rmtree(tmp_path / "b")
    rest = list(crawl)
    assert os.path.relpath(first.path, tmp_path) == "a/note.txt"
    assert [(os.path.relpath(r.path, tmp_path), r.error) for r in rest] == [
        ("b", "cannot read folder: No such file or directory"), ("c/note.txt", None)]


def test_symlink_loops_are_reported_when_links_are_followed(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "note.txt").write_text("text\n")
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    os.symlink("..", tmp_path / "real" / "up")           # a cycle through a parent folder
    os.symlink(str(tmp_path / "real"), tmp_path / "again")  # the same folder twice
    started = time.monotonic()
    refs = {os.path.relpath(r.path, tmp_path): r for r in iter_files([str(tmp_path)], Settings(follow_symlinks=True))}
    assert time.monotonic() - started < 5
    loops = {k: r.error for k, r in refs.items() if k.startswith("loop-")}
    assert loops == {"loop-a": "cannot read file: Too many levels of symbolic links",
                     "loop-b": "cannot read file: Too many levels of symbolic links"}
    # the folder reached twice (again -> real, real/up -> ..) is entered once, by whichever path is first
    assert [(k, r.error) for k, r in refs.items() if not k.startswith("loop-")] == [("again/note.txt", None)]


def test_unreadable_files_and_folders_are_failed_and_the_rest_inspected(tmp_path):
    """The real command, as a process that cannot override file permissions (root in CI would)."""
    share = tmp_path / "share"
    (share / "open").mkdir(parents=True)
    (share / "open" / "memo.docx").write_bytes(fuzz_seeds().docx_bytes())
    (share / "locked").mkdir()
    (share / "locked" / "secret.txt").write_text("CUI\nno read permission\n")
    os.chmod(share / "locked" / "secret.txt", 0)
    (share / "closed").mkdir()
    (share / "closed" / "inside.txt").write_text("folder without permission\n")
    os.chmod(share / "closed", 0)
    (share / "no-list").mkdir()
    (share / "no-list" / "hidden.txt").write_text("x\n")
    os.chmod(share / "no-list", 0o311)   # traversable, not listable
    work = tmp_path / "work"
    work.mkdir()
    try:
        report, seconds, _, stderr = run_scan_cli(share, work / "inv.sqlite", "--jobs", "2", unprivileged=True)
    finally:
        for folder in ("closed", "no-list"):
            os.chmod(share / folder, 0o755)
    files = files_by_path(report)
    assert files[str(share / "open" / "memo.docx")]["status"] == "inspected"
    # the wording depends on where the refusal comes (discovery's stat or the first read)
    expected = {share / "locked" / "secret.txt": "file", share / "closed": "folder", share / "no-list": "folder"}
    for path, kind in expected.items():
        entry = files[str(path)]
        assert entry["status"] == "failed", path
        reason = entry["status_reason"]
        assert reason.startswith("unreadable: ") and "permission denied" in reason.lower(), reason
        assert kind == "file" or "folder" in reason, reason
        assert [f["rule_id"] for f in findings_for(report, str(path))] == ["SCAN-001"]
    assert len(files) == 4 and seconds < 60 and "Traceback" not in stderr
