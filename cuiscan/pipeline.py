"""One file's trip: hash -> extract -> markings -> detection -> assessment -> FileResult.

`inspect_file` (a discovered file) and `inspect_bytes` (content handed over, e.g. by a remote
worker) are pure: options in, one FileResult out, nothing stored and nothing read but the file.
Scan, watch, inspect, eval and the worker processes all go through them (`inspect_docs` once the
documents are extracted). `Inspector` holds what is loaded once per process (marking rules,
detection packs and model), built from the narrow `InspectOptions`. A bad file never raises: every
outcome is a FileResult in exactly one state, and `new_result` is the one place that starts one.
"""
from __future__ import annotations

import gc
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from cuiscan import extractors
from cuiscan.assess import assess_file, failed_result
from cuiscan.discovery import display_path
from cuiscan.extractors.base import Source
from cuiscan.fileio import open_discovered, sha256_file
from cuiscan.records import (
    Assessment, DetectResult, ExtractedDoc, FileRef, FileResult, MarkingResult, Status,
)
from cuiscan.settings import Limits, Settings

_PROC_FD = os.path.isdir("/proc/self/fd")


@dataclass(frozen=True, slots=True)
class InspectOptions:
    """What the per-file trip reads from Settings, and nothing more: built once per scan, picklable,
    so that it is all a worker (local or remote) needs besides the file."""

    limits: Limits = field(default_factory=Limits)
    pdf_backend: str = "auto"
    ocr: str = "auto"
    follow_symlinks: bool = False
    profile: str = "dod"                             # the scan's; a folder's cuiscan.toml may set another
    agency_requires_basic_categories: bool = False   # BANNER-007 policy flag
    detect_threshold: float = 0.5
    show_evidence: bool = False
    prints: bool = True                              # derivative prints of the text (eval does without)

    @classmethod
    def from_settings(cls, s: Settings, **overrides) -> "InspectOptions":
        return cls(limits=s.limits, pdf_backend=s.pdf_backend, ocr=s.ocr, follow_symlinks=s.follow_symlinks,
                   profile=s.profile, agency_requires_basic_categories=s.agency_requires_basic_categories,
                   detect_threshold=s.detect_threshold, show_evidence=s.show_evidence, **overrides)

    def marking_context(self, profile: str | None = None, today: date | None = None):
        """The marking checks' context: the one place it is built from the options."""
        from cuiscan.markings import MarkingContext

        return MarkingContext(profile=profile or self.profile, today=today or date.today(),
                              agency_requires_basic_categories=self.agency_requires_basic_categories)


class Inspector:
    """Per-process resources for the trip. Built lazily, so `--jobs N` workers load the model once
    each and a scan of marked or unchanged files never loads it. `detector`: one already loaded
    (eval with its own model or thresholds, tests without the model)."""

    def __init__(self, options: InspectOptions, detector=None, today: date | None = None):
        self.options = options
        self.today = today or date.today()
        self._detector = detector
        self._marking: dict[str, object] = {}

    @classmethod
    def from_settings(cls, settings: Settings, detector=None, **overrides) -> "Inspector":
        return cls(InspectOptions.from_settings(settings, **overrides), detector)

    @property
    def marking_ctx(self):
        return self.marking_ctx_for(None)

    def marking_ctx_for(self, profile: str | None):
        """The marking checks of `profile` (a folder's cuiscan.toml); None: the scan's profile."""
        profile = profile or self.options.profile
        ctx = self._marking.get(profile)
        if ctx is None:
            ctx = self._marking[profile] = self.options.marking_context(profile, self.today)
        return ctx

    @property
    def detector(self):
        if self._detector is None:
            from cuiscan.detection import Detector

            with _alarm_paused():     # a per-file time limit (--jobs 1) does not count the load
                # the options carry what the detector reads (detect_threshold, show_evidence)
                self._detector = Detector.load(self.options)
            # The model, rule packs and registry live as long as the process: moved out of the
            # collector's reach, they are no longer walked by every full collection (about 80 ms
            # each, 5% of a scan), and forked workers no longer touch their copy-on-write pages.
            # Collected first, so that no garbage of the time is kept for good.
            gc.collect()
            gc.freeze()
        return self._detector

    def warm_up(self) -> None:
        """Load everything now (before forking workers, so they share it copy-on-write)."""
        _ = self.marking_ctx, self.detector


class _LazyDetector:
    """The inspector's detector, loaded on the first document that needs detection."""

    def __init__(self, inspector: Inspector):
        self.inspector = inspector

    def detect(self, doc, marking=None):
        return self.inspector.detector.detect(doc, marking)


@contextmanager
def _alarm_paused():
    """Stop a running ITIMER_REAL (the in-process per-file timeout) while the model loads."""
    if not hasattr(signal, "setitimer"):
        yield
        return
    remaining, interval = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining:
            signal.setitimer(signal.ITIMER_REAL, remaining, interval)


def new_result(path: str, root: str | None = None, *, size: int = 0, mtime_ns: int = 0, inode: int = 0,
               sha256: str | None = None) -> FileResult:
    """The one place a FileResult starts: what is known of the file before it is read."""
    return FileResult(path=path, root=root if root is not None else path, ftype=None, size=size,
                      mtime_ns=mtime_ns, inode=inode, sha256=sha256, status=Status.INSPECTED,
                      assessment=Assessment.UNKNOWN)


def result_for(ref: FileRef) -> FileResult:
    return new_result(display_path(ref.path), display_path(ref.root), size=ref.size, mtime_ns=ref.mtime_ns,
                      inode=ref.inode)


def inspect_file(ref: FileRef, inspector: Inspector, known_sha256: str | None = None) -> FileResult:
    """Inspect one discovered file. With `known_sha256`, a file whose content hash matches returns
    status UNCHANGED with no findings (the caller reuses its stored result)."""
    base = result_for(ref)
    if ref.skip_reason:
        return replace(base, status=Status.SKIPPED, status_reason=ref.skip_reason)
    if ref.error:
        return failed_result(base, "unreadable", ref.error)
    try:
        fd = open_discovered(ref, inspector.options.follow_symlinks)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    try:
        return _inspect_open(ref, fd, base, inspector, known_sha256)
    finally:
        os.close(fd)


def _inspect_open(ref: FileRef, fd: int, base: FileResult, inspector: Inspector,
                  known_sha256: str | None) -> FileResult:
    fd_path = f"/proc/self/fd/{fd}" if _PROC_FD else ref.path   # read the very file that was checked
    o = inspector.options
    try:
        digest = sha256_file(fd_path)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    base = replace(base, sha256=digest)
    if known_sha256 is not None and digest == known_sha256:
        return replace(base, status=Status.UNCHANGED)
    if ref.size == 0:
        return failed_result(base, "corrupt", "empty file (0 bytes)")
    try:   # through the module: tests count the calls
        docs = extractors.extract_file(fd_path, o.limits, pdf_backend=o.pdf_backend,
                                       name=os.path.basename(ref.path), ocr=o.ocr)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    return inspect_docs(base, docs, inspector, ref.profile)


def inspect_bytes(name: str, data: bytes, inspector: Inspector, profile: str | None = None) -> FileResult:
    """Inspect content handed over whole (a remote worker, a mail gateway): `name` is what type hints
    and the report use."""
    import hashlib

    base = new_result(name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    if not data:
        return failed_result(base, "corrupt", "empty file (0 bytes)")
    o = inspector.options
    docs = extractors.extract_source(Source(name=name, data=data), o.limits, pdf_backend=o.pdf_backend, ocr=o.ocr)
    return inspect_docs(base, docs, inspector, profile)


@dataclass(frozen=True, slots=True)
class Stages:
    """What each stage of one file's trip produced (eval and the benchmarks look inside)."""

    markings: list[MarkingResult]
    detections: list[DetectResult]
    result: FileResult


def inspect_docs(base: FileResult, docs: list[ExtractedDoc], inspector: Inspector,
                 profile: str | None = None) -> FileResult:
    """The trip after extraction: markings -> detection -> assessment (+ derivative prints)."""
    return inspect_stages(base, docs, inspector, profile).result


def inspect_stages(base: FileResult, docs: list[ExtractedDoc], inspector: Inspector,
                   profile: str | None = None) -> Stages:
    from cuiscan.derivatives import encode_prints, doc_prints
    from cuiscan.detection import detect_file
    from cuiscan.markings import check_file

    top = docs[0]
    base = replace(base, ftype=top.ftype, ocr_pages=int(top.fact("ocr_pages", 0) or 0),
                   images_skipped=int(top.fact("images_skipped", 0) or 0))
    if top.problems and not top.blocks and len(docs) == 1:
        p = top.problems[0]
        return Stages([], [], failed_result(base, p.reason, p.message))
    markings = check_file(docs, inspector.marking_ctx_for(profile))
    detections = detect_file(docs, markings, _LazyDetector(inspector), unmarked_only=True)
    result = assess_file(base, docs, markings, detections)
    if inspector.options.prints:
        result = replace(result, prints=encode_prints(doc_prints(docs)))
    return Stages(markings, detections, result)
