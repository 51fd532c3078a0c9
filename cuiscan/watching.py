"""Watch mode: file events -> settle -> the same inspection as a scan -> inventory + one JSON line.

Office and most editors save by writing a temp file and renaming it over the original, so events
are debounced per path: a file is inspected once it has had no event for `settle` seconds and its
size and mtime hold still. Temp and lock files (`~$x.docx`, `*.tmp`, `.~lock.*#`) are ignored.
Deleted files leave the inventory; a move is a delete of the old path and a new file at the new one.
"""
from __future__ import annotations

import fnmatch
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from cuiscan.discovery import display_path, iter_files
from cuiscan.pipeline import Inspector
from cuiscan.records import FileResult, Severity
from cuiscan.session import ScanSession
from cuiscan.settings import Settings
from cuiscan.workers import WorkerPool

TEMP_PATTERNS = ("~$*", "*.tmp", "*.TMP", ".~lock.*#", "*.swp", "*.swx", ".#*", "*~", "*.crdownload", "*.part",
                 "~WR*.tmp", ".DS_Store", "Thumbs.db")


def is_temp_file(path: str) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatchcase(name, pat) for pat in TEMP_PATTERNS)


@dataclass
class _Pending:
    event: str
    last_event: float
    stat: tuple[int, int] | None = None


@dataclass
class WatchOptions:
    settle: float = 1.0          # seconds without events before a file is read
    polling: bool = False        # PollingObserver, for network shares where inotify sees nothing
    interval: float = 2.0        # polling interval
    exec_cmd: str | None = None  # run per finding at or above fail_on
    startup_scan: bool = True


@dataclass
class Watcher:
    roots: list[str]
    settings: Settings
    inv: object
    options: WatchOptions = field(default_factory=WatchOptions)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    on_ready: Callable[[], None] | None = None   # called once the observer runs (tests, readiness)

    def __post_init__(self) -> None:
        self.roots = [os.path.abspath(r) for r in self.roots]
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    # -- event intake (observer thread) -------------------------------------------------------
    def _note(self, path: str, event: str) -> None:
        if is_temp_file(path) or not self._in_scope(path):
            return
        with self._lock:
            prev = self._pending.get(path)
            kind = "created" if prev and prev.event == "created" and event == "modified" else event
            # The stat now lets the first settle check confirm the file held still since this event.
            self._pending[path] = _Pending(event=kind, last_event=time.monotonic(), stat=_stat(path))

    def _in_scope(self, path: str) -> bool:
        return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in self.roots)

    def stop(self) -> None:
        self._stop.set()

    # -- main loop ----------------------------------------------------------------------------
    def run(self) -> None:
        from cuiscan.scan import run_scan

        if self.options.startup_scan:   # a scan like `cuiscan scan`: under the scan lock
            run_scan(self.roots, self.settings, self.inv)
        observer = PollingObserver(timeout=self.options.interval) if self.options.polling else Observer()
        handler = _Handler(self)
        with ScanSession(self.settings, self.inv, self.roots, hold_lock=False) as self.session:
            self.scan_id = self.session.scan_id
            for root in self.roots:
                observer.schedule(handler, root, recursive=True)
            observer.start()
            try:
                with WorkerPool(Inspector.from_settings(self.settings), 1) as pool:
                    self._emit({"event": "watching", "roots": [display_path(r) for r in self.roots],
                                "backend": _backend_name(observer), "settle_seconds": self.options.settle,
                                "scan": self.scan_id})
                    if self.on_ready:
                        self.on_ready()
                    while not self._stop.is_set():
                        self._process_due(pool)
                        self._stop.wait(0.05)
            finally:
                observer.stop()
                observer.join(5)

    def _process_due(self, pool: WorkerPool) -> None:
        now = time.monotonic()
        due: list[tuple[str, str]] = []
        with self._lock:
            for path, p in list(self._pending.items()):
                if now - p.last_event < self.options.settle:
                    continue
                if p.event == "deleted":
                    due.append((path, "deleted"))
                    del self._pending[path]
                    continue
                st = _stat(path)
                if st is None:
                    due.append((path, "deleted"))
                    del self._pending[path]
                elif st == p.stat:
                    due.append((path, p.event))
                    del self._pending[path]
                else:   # still changing: look again after another settle period
                    p.stat, p.last_event = st, now
        for path, event in due:
            if event == "deleted":
                self._deleted(path)
            else:
                self._inspect(pool, path, event)
        if due:   # a new marked source may make files seen earlier derivatives
            for updated in self.session.link():
                self._emit(_event_json("derivative", updated))
            self.inv.flush()

    def _deleted(self, path: str) -> None:
        shown = display_path(path)
        self.session.removed([shown])
        self._emit({"event": "deleted", "path": shown})

    def _inspect(self, pool: WorkerPool, path: str, event: str) -> None:
        refs = [r for r in iter_files([path], self.settings)]
        if not refs:
            return
        for result in pool.run([(refs[0], None)]):
            result = self.session.record(result)
            self.inv.flush()
            self._emit(_event_json(event, result))
            self._alert(result)

    def _emit(self, payload: dict) -> None:
        payload = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), **payload}
        self.out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        self.out.flush()

    def _alert(self, result: FileResult) -> None:
        if not self.options.exec_cmd or self.settings.fail_on == "never":
            return
        threshold = Severity(self.settings.fail_on).rank
        for finding in result.findings:
            if finding.severity.rank < threshold:
                continue
            env = {**os.environ, "CUISCAN_PATH": result.path, "CUISCAN_RULE": finding.rule_id,
                   "CUISCAN_SEVERITY": finding.severity.value, "CUISCAN_MESSAGE": finding.message,
                   "CUISCAN_ASSESSMENT": result.assessment.value}
            try:   # no shell: a file name can never inject a command
                subprocess.run(shlex.split(self.options.exec_cmd), input=json.dumps(finding.to_dict(result.path)),
                               text=True, env=env, timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                print(f"cuiscan: --exec command failed: {exc}", file=sys.stderr)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.w = watcher

    def on_created(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.w._note(os.fsdecode(event.src_path), "created")

    def on_modified(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.w._note(os.fsdecode(event.src_path), "modified")

    def on_closed(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.w._note(os.fsdecode(event.src_path), "modified")

    def on_deleted(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.w._note(os.fsdecode(event.src_path), "deleted")

    def on_moved(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            for ref in iter_files([os.fsdecode(event.dest_path)], self.w.settings):
                self.w._note(ref.path, "moved")
            return
        self.w._note(os.fsdecode(event.src_path), "deleted")
        self.w._note(os.fsdecode(event.dest_path), "moved")


def _backend_name(observer) -> str:
    """inotify, polling, ...: what watchdog chose, so a user on SMB/NFS sees that events may not come."""
    return type(observer).__name__.removesuffix("Observer").lower() or "default"


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _event_json(event: str, result: FileResult) -> dict:
    return {"event": event, "path": result.path, "status": result.status.value,
            "assessment": result.assessment.value, "zone": result.zone,
            "findings": [f.to_dict(result.path) for f in result.findings]}
