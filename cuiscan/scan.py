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
from contextlib import closing
from dataclasses import dataclass, field, replace

from cuiscan.discovery import display_path, iter_files
from cuiscan.pipeline import Engine, versions, versions_key
from cuiscan.records import FileResult, ScanCounts, Status
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
    from cuiscan.derivatives import Linker
    from cuiscan.inventory.zones import apply_boundary

    # Stored paths are absolute (discovery makes them so): the roots must be too, or a rescan of
    # `cuiscan scan share/` would find nothing it knows and read every file again.
    roots = [os.path.abspath(os.path.normpath(r)) for r in roots]
    stop = stop or StopFlag()
    engine = Engine(settings)
    current = versions(settings)
    vkey = versions_key(current)
    # A folder's cuiscan.toml may set another profile for its files: their results carry that key.
    vkeys = {p: versions_key({**current, "profile": p}) for p in PROFILES}
    profile_of: dict[str, str] = {}      # path -> profile, for files in flight with a folder's profile
    crawlers: list = []
    recorded = scan_versions(settings, current)
    zones = recorded["zones"]
    scan_id = inv.begin_scan(settings.profile, [display_path(r) for r in roots], recorded)
    same_zones = inv.scans_judged_under(zones)
    linker = Linker(inv.conn, settings, inventory=inv)
    linker.ensure_schema()
    known = _previous(inv, roots, vkey)
    tally = {s: 0 for s in Status}
    ocr_tally = [0, 0]   # pages read by OCR, images and scanned pages left unread
    carry: list[tuple[str, int]] = []      # unchanged files waiting to be listed in this scan
    reveal: dict[str, str] = {}
    discovered = 0
    done = 0

    def tasks() -> Iterator[Task]:
        nonlocal discovered, done
        stopped = stop.event.is_set
        for ref in iter_files(roots, settings, crawlers):
            if stopped():
                break
            discovered += 1
            path = display_path(ref.path)
            prev = known.pop(path, None)      # what is left in `known` at the end is gone
            if full:
                prev = None
            if prev and ref.profile:
                prev = prev._replace(current=prev.versions == vkeys[ref.profile])
            if (prev and prev.current and ref.mtime_ns == prev.mtime_ns and ref.size == prev.size
                    and ref.inode == prev.inode and not ref.skip_reason and not ref.error):
                if prev.scan_id in same_zones:        # the stored result holds as it is
                    carry.append((path, prev.result_id))
                    if len(carry) >= CARRY_BATCH:
                        _carry_forward()
                    continue
                result = _reuse(inv, path)       # its boundary is judged again below
                if result is not None:
                    done += 1
                    _emit(result)
                    continue
            if ref.profile:
                profile_of[path] = ref.profile
            yield ref, (inv.stored_sha256(path) if prev and prev.current else None)
        _carry_forward()

    def _carry_forward() -> None:
        nonlocal done
        if not carry:
            return
        inv.carry_forward(scan_id, [rid for _, rid in carry])
        linker.note_unchanged([path for path, _ in carry])
        tally[Status.UNCHANGED] += len(carry)
        done += len(carry)
        carry.clear()
        if progress:
            progress(None, done, discovered)

    def _emit(result: FileResult) -> None:
        result = apply_boundary(result, settings.zones)
        result = linker.process(result)
        inv.record(scan_id, result)
        reveal.update((f.fingerprint, f.raw_evidence) for f in result.findings if f.raw_evidence)
        tally[result.status] += 1
        ocr_tally[0] += result.ocr_pages
        ocr_tally[1] += result.images_skipped
        if progress:
            progress(result, done, discovered)

    with _signals(stop), closing(linker):
        for result in run_tasks(tasks(), engine, settings.jobs, stop.event.is_set):
            profile = profile_of.pop(result.path, None)
            if result.status is Status.UNCHANGED:
                result = _reuse(inv, result.path, fallback=result)
            else:
                result = replace(result, versions=vkeys[profile] if profile else vkey)
            done += 1
            _emit(result)
        gone = [] if stop.stopped else list(known)
        if gone:   # before the linker's second pass, so derivatives of a deleted source are cleared now
            inv.mark_removed(scan_id, gone)
            for path in gone:
                linker.forget(path)
        for updated in linker.finish():
            inv.record(scan_id, updated)
    removed = len(gone)
    counts = ScanCounts(files_seen=sum(tally.values()), inspected=tally[Status.INSPECTED],
                        unchanged=tally[Status.UNCHANGED], skipped=tally[Status.SKIPPED], failed=tally[Status.FAILED],
                        ocr_pages=ocr_tally[0], images_skipped=ocr_tally[1])
    inv.finish_scan(scan_id, counts)
    return ScanOutcome(scan_id=scan_id, counts=counts, interrupted=stop.stopped, removed=removed,
                       reveal=reveal, profiles_used=crawlers[0].profiles_used if crawlers else {})


def scan_versions(settings: Settings, produced: dict[str, str] | None = None) -> dict[str, str]:
    """What a scan records as having produced its results: the versions that decide re-inspection
    (`produced`, if already known), plus the zones its boundary findings were judged under (a
    change there only re-judges them)."""
    from cuiscan.inventory.zones import zones_key

    return {**(produced if produced is not None else versions(settings)), "zones": zones_key(settings.zones)}


def _previous(inv, roots: list[str], vkey: str) -> dict:
    known: dict = {}
    for root in roots:
        known.update(inv.previous_map(display_path(root), vkey))
    return known


def _reuse(inv, path: str, fallback: FileResult | None = None) -> FileResult | None:
    """The stored result of an unchanged file, restated as `unchanged` (keeps its findings)."""
    stored = inv.previous(path)
    if stored is None:
        return fallback
    if fallback is not None:   # stat changed, content did not: keep the new stat
        stored = replace(stored, size=fallback.size, mtime_ns=fallback.mtime_ns, inode=fallback.inode)
    return replace(stored, status=Status.UNCHANGED)


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
