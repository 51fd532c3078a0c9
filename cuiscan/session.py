"""A scan session against the inventory: begin, lock, zones, linker, record, finish.

`cuiscan scan` (scan.run_scan) and `cuiscan watch` both record through one ScanSession, so a result
always goes the same way: boundary (zones) -> derivative linker -> inventory. The session holds the
scan lock from begin to end; a watch session, which runs for days and records file by file, does
not (its start-up scan does), or every scheduled scan would be turned away while it runs.
"""
from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace

from cuiscan import __version__
from cuiscan.discovery import display_path
from cuiscan.locking import scan_lock
from cuiscan.records import FileResult, ScanCounts, Status
from cuiscan.settings import Settings


def versions(settings: Settings) -> dict[str, str]:
    """What produced a result; a change in any of these re-inspects every file (incremental scans)."""
    from cuiscan.detection import model_version, rules_version

    produced = {
        "tool": __version__,
        "rules": rules_version(),
        "model": model_version(),
        "profile": settings.profile,
    }
    ocr = ocr_version(settings)
    if ocr is not None:
        produced["ocr"] = ocr
    return produced


def ocr_version(settings: Settings) -> str | None:
    """None for the default (OCR on, engine present): inventories from before OCR stay current. A
    scan with OCR off, forced or missing re-reads its images and scans once it is back to normal."""
    if settings.ocr != "auto":
        return settings.ocr
    from cuiscan.extractors.ocr import unavailable

    return "unavailable" if unavailable() else None


def versions_key(v: dict[str, str]) -> str:
    return ";".join(f"{k}={v[k]}" for k in sorted(v))


def scan_versions(settings: Settings, produced: dict[str, str] | None = None) -> dict[str, str]:
    """What a scan records as having produced its results: the versions that decide re-inspection
    (`produced`, if already known), plus the zones its boundary findings were judged under (a
    change there only re-judges them)."""
    from cuiscan.inventory.zones import zones_key

    return {**(produced if produced is not None else versions(settings)), "zones": zones_key(settings.zones)}


class ScanSession:
    """Use as a context manager: entering takes the lock (`hold_lock`), begins the scan and opens the
    linker; leaving closes them. `record` stores one result; `finish` links the derivatives and
    closes the scan with its counts."""

    def __init__(self, settings: Settings, inv, roots: list[str], *, produced: dict[str, str] | None = None,
                 hold_lock: bool = True):
        self.settings = settings
        self.inv = inv
        self.roots = roots
        self.recorded = scan_versions(settings, produced)
        self.hold_lock = hold_lock and inv.path != ":memory:"
        self.tally = {s: 0 for s in Status}
        self.ocr_pages = 0
        self.images_skipped = 0
        self.reveal: dict[str, str] = {}      # fingerprint -> raw evidence (--show-evidence; never stored)
        self.linker = None
        self._stack = ExitStack()

    def __enter__(self) -> "ScanSession":
        from cuiscan.derivatives import LinkOptions, Linker

        with ExitStack() as stack:
            if self.hold_lock:
                stack.enter_context(scan_lock(self.inv.path))
            self.scan_id = self.inv.begin_scan(self.settings.profile, [display_path(r) for r in self.roots],
                                               self.recorded)
            self.same_zones = self.inv.scans_judged_under(self.recorded["zones"])
            self.linker = Linker(self.inv.conn, LinkOptions.from_settings(self.settings), inventory=self.inv)
            self.linker.ensure_schema()
            stack.callback(self._close_linker)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _close_linker(self) -> None:
        if self.linker is not None:
            linker, self.linker = self.linker, None
            linker.close()

    def record(self, result: FileResult) -> FileResult:
        """Boundary, derivative index, inventory: the result as stored."""
        from cuiscan.inventory.zones import apply_boundary

        result = self.linker.process(apply_boundary(result, self.settings.zones))
        self.inv.record(self.scan_id, result)
        self.reveal.update((f.fingerprint, f.raw_evidence) for f in result.findings if f.raw_evidence)
        self.tally[result.status] += 1
        self.ocr_pages += result.ocr_pages
        self.images_skipped += result.images_skipped
        return result

    def carry_forward(self, carried: list[tuple[str, int]]) -> None:
        """Unchanged files whose stored results hold as they are: listed in this scan, not re-read."""
        self.inv.carry_forward(self.scan_id, [rid for _, rid in carried])
        self.linker.note_unchanged([path for path, _ in carried])
        self.tally[Status.UNCHANGED] += len(carried)

    def removed(self, paths: list[str]) -> None:
        """Files gone from their share: out of the current inventory and of the derivative index."""
        if paths:
            self.inv.mark_removed(self.scan_id, paths)
            for path in paths:
                self.linker.forget(path)

    def link(self) -> list[FileResult]:
        """Match the derivative candidates against the present sources; record and return the results
        that changed."""
        updated = self.linker.finish()
        for result in updated:
            self.inv.record(self.scan_id, result)
        return updated

    def counts(self) -> ScanCounts:
        t = self.tally
        return ScanCounts(files_seen=sum(t.values()), inspected=t[Status.INSPECTED], unchanged=t[Status.UNCHANGED],
                          skipped=t[Status.SKIPPED], failed=t[Status.FAILED], ocr_pages=self.ocr_pages,
                          images_skipped=self.images_skipped)

    def finish(self) -> ScanCounts:
        """Link, write the derivative index, close the scan with its counts."""
        self.link()
        self._close_linker()
        counts = self.counts()
        self.inv.finish_scan(self.scan_id, counts)
        return counts


def reuse_stored(inv, path: str, fallback: FileResult | None = None) -> FileResult | None:
    """The stored result of an unchanged file, restated as `unchanged` (keeps its findings)."""
    stored = inv.previous(path)
    if stored is None:
        return fallback
    if fallback is not None:   # stat changed, content did not: keep the new stat
        stored = replace(stored, size=fallback.size, mtime_ns=fallback.mtime_ns, inode=fallback.inode)
    return replace(stored, status=Status.UNCHANGED)
