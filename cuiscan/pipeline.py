"""One file's trip: hash -> extract -> markings -> detection -> assessment -> FileResult.

`Engine` holds what is loaded once per process (rule registry, detection packs, NLP model).
`inspect_file` never raises for a bad file: every outcome is a FileResult in exactly one state.
"""
from __future__ import annotations

import errno
import gc
import hashlib
import os
import signal
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from cuiscan import __version__
from cuiscan.discovery import display_path
from cuiscan.records import (
    Assessment, ExtractedDoc, FileRef, FileResult, Finding, Location, Problem, Severity, Status, Zone,
)
from cuiscan.settings import Settings

HASH_CHUNK = 1 << 20
_PROC_FD = os.path.isdir("/proc/self/fd")


@dataclass
class Engine:
    """Per-process resources. Built lazily so `--jobs N` workers load the model once each."""

    settings: Settings
    today: date = field(default_factory=date.today)
    _detector: object = None
    _marking_ctx: object = None
    _other_profiles: dict = field(default_factory=dict)

    @property
    def marking_ctx(self):
        if self._marking_ctx is None:
            self._marking_ctx = self._make_marking_ctx(self.settings.profile)
        return self._marking_ctx

    def marking_ctx_for(self, profile: str | None):
        """The marking checks of `profile` (a folder's cuiscan.toml); None: the scan's profile."""
        if profile is None or profile == self.settings.profile:
            return self.marking_ctx
        if profile not in self._other_profiles:
            self._other_profiles[profile] = self._make_marking_ctx(profile)
        return self._other_profiles[profile]

    def _make_marking_ctx(self, profile: str):
        from cuiscan.markings import MarkingContext

        s = self.settings
        return MarkingContext(profile=profile, today=self.today,
                              agency_requires_basic_categories=s.agency_requires_basic_categories)

    @property
    def detector(self):
        if self._detector is None:
            from cuiscan.detection import Detector

            with _alarm_paused():     # a per-file time limit (--jobs 1) does not count the load
                self._detector = Detector.load(self.settings)
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
    """The engine's detector, loaded on the first document that needs detection: a scan of marked
    files, or of unchanged ones, never pays for loading the model (about a second)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def detect(self, doc, marking=None):
        return self.engine.detector.detect(doc, marking)


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


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class FileChanged(OSError):
    """The path no longer names the regular file discovery saw (swapped, replaced by a link or FIFO)."""


def open_discovered(ref: FileRef, follow_symlinks: bool) -> int:
    """Open the file discovery listed, and only that: no blocking on a FIFO swapped in since, no
    following a symlink planted since (unless asked), and the same device/inode as listed.
    Returns a file descriptor; the caller reads everything through it (/proc/self/fd/N)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(ref.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileChanged(errno.ELOOP, "the file was replaced by a symbolic link after it was listed") from None
        raise
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise FileChanged(errno.EINVAL, "the file was replaced by a special file (FIFO, device) after it was listed")
    if ref.inode and st.st_ino != ref.inode:
        os.close(fd)
        raise FileChanged(errno.ESTALE, "the file was replaced by another file after it was listed")
    os.set_blocking(fd, True)
    return fd


def inspect_file(ref: FileRef, engine: Engine, known_sha256: str | None = None) -> FileResult:
    """Inspect one file. With `known_sha256`, a file whose content hash matches returns status
    UNCHANGED with no findings (the caller reuses its stored result)."""
    base = FileResult(path=display_path(ref.path), root=display_path(ref.root), ftype=None, size=ref.size,
                      mtime_ns=ref.mtime_ns, inode=ref.inode, sha256=None, status=Status.INSPECTED,
                      assessment=Assessment.UNKNOWN)
    if ref.skip_reason:
        return replace(base, status=Status.SKIPPED, status_reason=ref.skip_reason)
    if ref.error:
        return failed_result(base, "unreadable", ref.error)
    s = engine.settings
    try:
        fd = open_discovered(ref, s.follow_symlinks)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    try:
        return _inspect_open(ref, fd, base, engine, known_sha256)
    finally:
        os.close(fd)


def _inspect_open(ref: FileRef, fd: int, base: FileResult, engine: Engine, known_sha256: str | None) -> FileResult:
    from cuiscan.extractors import extract_file

    fd_path = f"/proc/self/fd/{fd}" if _PROC_FD else ref.path   # read the very file that was checked
    s = engine.settings
    try:
        digest = sha256_file(fd_path)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    base = replace(base, sha256=digest)
    if known_sha256 is not None and digest == known_sha256:
        return replace(base, status=Status.UNCHANGED)
    if ref.size == 0:
        return failed_result(base, "corrupt", "empty file (0 bytes)")
    try:
        docs = extract_file(fd_path, s.limits, pdf_backend=s.pdf_backend, name=os.path.basename(ref.path),
                            ocr=s.ocr)
    except OSError as exc:
        return failed_result(base, "unreadable", f"cannot read file: {exc.strerror or exc}")
    return assess_docs(base, docs, engine, ref.profile)


def assess_docs(base: FileResult, docs: list[ExtractedDoc], engine: Engine, profile: str | None = None) -> FileResult:
    from cuiscan.assess import assess_file
    from cuiscan.derivatives import encode_prints, fingerprint_docs
    from cuiscan.detection import detect_file
    from cuiscan.markings import check_file

    top = docs[0]
    base = replace(base, ftype=top.ftype, ocr_pages=int(top.fact("ocr_pages", 0) or 0),
                   images_skipped=int(top.fact("images_skipped", 0) or 0))
    if top.problems and not top.blocks and len(docs) == 1:
        p = top.problems[0]
        return failed_result(base, p.reason, p.message)
    markings = check_file(docs, engine.marking_ctx_for(profile))
    detections = detect_file(docs, markings, _LazyDetector(engine), unmarked_only=True)
    result = assess_file(base, docs, markings, detections)
    result = replace(result, fingerprints=encode_prints(fingerprint_docs(docs)))
    return with_fingerprints(result)


def failed_result(base: FileResult, reason: str, message: str, member: str | None = None) -> FileResult:
    finding = scan_finding(Problem(reason=reason, message=message, member=member))
    return with_fingerprints(replace(base, status=Status.FAILED, status_reason=f"{reason}: {message}",
                                     assessment=Assessment.UNKNOWN, findings=(finding,)))


def scan_finding(problem: Problem) -> Finding:
    loc = Location(zone=Zone.FILENAME, member=problem.member)
    return Finding(rule_id="SCAN-001", severity=Severity.WARNING, location=loc, evidence=problem.reason,
                   message=f"could not be inspected ({problem.reason}): {problem.message}", match_digest=problem.reason)


def with_fingerprints(result: FileResult) -> FileResult:
    from cuiscan.inventory.fingerprints import finding_fingerprint

    key = result.sha256 or result.path
    findings = tuple(f if f.fingerprint else replace(f, fingerprint=finding_fingerprint(f.rule_id, key, f))
                     for f in result.findings)
    return replace(result, findings=findings)
