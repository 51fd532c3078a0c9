"""A whole scan: crawl, skip what is unchanged, inspect the rest, link derivatives, store, count.

Incremental by default: a file whose size, mtime and inode match the inventory, inspected by the
same tool/rules/model/profile versions, is not read again (status `unchanged`); a file whose stat
changed but whose content hash did not is not re-inspected either. Results are committed in small
batches, so an interrupted scan loses little and the next run picks up where it stopped.
SIGTERM and Ctrl-C stop handing out new files, let the current ones finish, and end cleanly.
"""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from cuiscan.discovery import display_path, iter_files
from cuiscan.pipeline import Inspector
from cuiscan.records import FileResult, ScanCounts, Status
from cuiscan.session import ScanSession, reuse_stored, versions, versions_key
from cuiscan.settings import PROFILES, Settings
from cuiscan.workers import Task, run_tasks

Progress = Callable[[FileResult | None, int, int], None]   # (result or None for a batch, files done, discovered)
CARRY_BATCH = 10_000     # unchanged files listed per statement (a killed scan redoes at most one batch)


@dataclass
class ScanOutcome:
    scan_id: str
    counts: ScanCounts
    interrupted: bool
    removed: int
    # fingerprint -> unredacted evidence, only under --show-evidence: for this run's report, never stored
    reveal: dict[str, str] = field(default_factory=dict)
    # folder cuiscan.toml -> the profile it set for the files below it (only where not the scan's)
    profiles_used: dict[str, str] = field(default_factory=dict)


class StopFlag:
    """Set by SIGTERM/SIGINT; checked between files."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal_name: str | None = None

    def __call__(self, signum, frame) -> None:
        self.signal_name = signal.Signals(signum).name
        self.event.set()

    @property
    def stopped(self) -> bool:
        return self.event.is_set()


def run_scan(roots: list[str], settings: Settings, inv, *, full: bool = False,
             progress: Progress | None = None, stop: StopFlag | None = None) -> ScanOutcome:
    # Stored paths are absolute (discovery makes them so): the roots must be too, or a rescan of
    # `cuiscan scan share/` would find nothing it knows and read every file again.
    roots = [os.path.abspath(os.path.normpath(r)) for r in roots]
    stop = stop or StopFlag()
    inspector = Inspector.from_settings(settings)
    current = versions(settings)
    vkey = versions_key(current)
    # A folder's cuiscan.toml may set another profile for its files: their results carry that key.
    vkeys = {p: versions_key({**current, "profile": p}) for p in PROFILES}
    with ScanSession(settings, inv, roots, produced=current) as session:
        feed = _Feed(session, roots, vkey, vkeys, full, progress, stop)
        with _signals(stop):
            for result in run_tasks(feed.tasks(), inspector, settings.jobs, stop.event.is_set):
                profile = feed.profile_of.pop(result.path, None)
                if result.status is Status.UNCHANGED:
                    result = reuse_stored(inv, result.path, fallback=result)
                else:
                    result = replace(result, versions=vkeys[profile] if profile else vkey)
                feed.done += 1
                feed.emit(result)
            gone = [] if stop.stopped else list(feed.known)
            # before the linker's second pass, so derivatives of a deleted source are cleared now
            session.removed(gone)
            counts = session.finish()
    return ScanOutcome(scan_id=session.scan_id, counts=counts, interrupted=stop.stopped, removed=len(gone),
                       reveal=session.reveal, profiles_used=feed.crawlers[0].profiles_used if feed.crawlers else {})


class _Feed:
    """The crawl, turned into tasks: unchanged files are carried forward (or their stored results
    re-judged) without being read; the rest go to the inspector with the hash stored for them."""

    def __init__(self, session: ScanSession, roots: list[str], vkey: str, vkeys: dict[str, str], full: bool,
                 progress: Progress | None, stop: StopFlag):
        self.session, self.roots, self.vkeys, self.full = session, roots, vkeys, full
        self.progress, self.stop = progress, stop
        self.known = _previous(session.inv, roots, vkey)   # what is left at the end is gone
        self.profile_of: dict[str, str] = {}   # path -> profile, for files in flight with a folder's profile
        self.crawlers: list = []
        self.carry: list[tuple[str, int]] = []  # unchanged files waiting to be listed in this scan
        self.discovered = 0
        self.done = 0

    def tasks(self) -> Iterator[Task]:
        session, inv = self.session, self.session.inv
        stopped = self.stop.event.is_set
        for ref in iter_files(self.roots, session.settings, self.crawlers):
            if stopped():
                break
            self.discovered += 1
            path = display_path(ref.path)
            prev = self.known.pop(path, None)
            if self.full:
                prev = None
            if prev and ref.profile:
                prev = prev._replace(current=prev.versions == self.vkeys[ref.profile])
            if (prev and prev.current and ref.mtime_ns == prev.mtime_ns and ref.size == prev.size
                    and ref.inode == prev.inode and not ref.skip_reason and not ref.error):
                if prev.scan_id in session.same_zones:        # the stored result holds as it is
                    self.carry.append((path, prev.result_id))
                    if len(self.carry) >= CARRY_BATCH:
                        self._carry_forward()
                    continue
                result = reuse_stored(inv, path)       # its boundary is judged again below
                if result is not None:
                    self.done += 1
                    self.emit(result)
                    continue
            if ref.profile:
                self.profile_of[path] = ref.profile
            yield ref, (inv.stored_sha256(path) if prev and prev.current else None)
        self._carry_forward()

    def _carry_forward(self) -> None:
        if not self.carry:
            return
        self.session.carry_forward(self.carry)
        self.done += len(self.carry)
        self.carry.clear()
        if self.progress:
            self.progress(None, self.done, self.discovered)

    def emit(self, result: FileResult) -> None:
        self.session.record(result)
        if self.progress:
            self.progress(result, self.done, self.discovered)


def _previous(inv, roots: list[str], vkey: str) -> dict:
    known: dict = {}
    for root in roots:
        known.update(inv.previous_map(display_path(root), vkey))
    return known


class _signals:
    """Route SIGTERM/SIGINT to the stop flag for the duration of the scan (main thread only)."""

    def __init__(self, stop: StopFlag):
        self.stop = stop
        self.saved: dict[int, object] = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self.saved[sig] = signal.signal(sig, self.stop)
        return self

    def __exit__(self, *exc):
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)
