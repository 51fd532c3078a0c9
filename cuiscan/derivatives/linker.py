"""The main-process side of derivative detection: index marked files, check unmarked ones.

`Linker.process(result)` sees every result of a scan in crawl order. A marked-CUI file becomes a
source; any other readable, unclassified file is a candidate, checked against the index at once.
Because a derivative may be crawled before its source, every candidate is also remembered (for the
length of the scan, in a TEMP table: its content id and its result, no text), and `finish()` checks
again those crawled before a source that was indexed later; it returns the results that changed.

Unchanged files (reused from the inventory without their fingerprints) are looked up by content
hash in the index, where the previous scan left their prints; an unchanged candidate is matched
again only when the set of sources changed since it was last checked (`generation`).
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
import zlib
from dataclasses import replace

from cuiscan.derivatives.fingerprint import DocPrint
from cuiscan.derivatives.index import CANDIDATE, DEFAULT_COMMON_CAP, REFERENCE, SOURCE, FileEntry, PrintIndex
from cuiscan.derivatives.matcher import SourceHit, Thresholds, find_sources
from cuiscan.records import Assessment, FileResult, Finding, Severity, Status

RULE_ID = "DERIV-001"
_NOT_INSPECTED = (Status.SKIPPED, Status.FAILED)
_PENDING = """CREATE TEMP TABLE IF NOT EXISTS deriv_pending (
    seq INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, content_id INTEGER NOT NULL, result BLOB NOT NULL,
    hit_key TEXT)"""


class Linker:
    def __init__(self, conn: sqlite3.Connection, settings=None, *, common_cap: int = DEFAULT_COMMON_CAP):
        self.index = PrintIndex(conn, common_cap)
        self.limits = Thresholds(min_words=getattr(settings, "derivative_min_words", 40),
                                 min_share=getattr(settings, "derivative_min_share", 0.5))
        self._seq = 0
        self._fresh: dict[int, int] = {}     # content id -> seq at which it was indexed in this scan
        self._last_change = 0                # seq of the last result that added or removed a source

    def ensure_schema(self) -> None:
        self.index.ensure_schema()
        self.index.conn.execute(_PENDING)

    # -- during the scan -------------------------------------------------------------------------
    def process(self, result: FileResult) -> FileResult:
        if result.status in _NOT_INSPECTED or result.assessment is Assessment.UNKNOWN or not result.sha256:
            return result
        self._seq += 1
        changes = self.index.changes
        try:
            return self._process(result)
        finally:
            if self.index.changes != changes:
                self._last_change = self._seq

    def _process(self, result: FileResult) -> FileResult:
        path = result.path
        with self.index.transaction():
            self._drop_pending(path)
            prints = self._prints_of(result)
            if result.assessment is Assessment.MARKED_CUI:
                self.index.detach(path, CANDIDATE)
                if prints:
                    content_id, newly = self.index.attach(path, SOURCE, result.sha256, prints, result.categories)
                    if newly:
                        self._fresh[content_id] = self._seq
                return result
            self.index.detach(path, SOURCE)          # no longer marked (or never was)
            if result.assessment is Assessment.CLASSIFIED or not prints:
                self.index.detach(path, CANDIDATE)
                return result
            content_id, _ = self.index.attach(path, CANDIDATE, result.sha256, prints)
            generation = self.index.generation()
            entry = self.index.entry(path, CANDIDATE)
            if result.status is Status.UNCHANGED and entry is not None and entry.checked_gen == generation:
                hits, updated = None, result        # nothing changed on either side since the last check
            else:
                hits = find_sources(prints, self.index, self.limits)
                self.index.mark_checked(path, generation)
                updated = self._apply(result, hits)
            self.index.conn.execute(
                "INSERT INTO temp.deriv_pending (seq, path, content_id, result, hit_key) VALUES (?,?,?,?,?)",
                (self._seq, path, content_id, _pack(result), None if hits is None else _hit_key(hits)))
        return updated

    def finish(self) -> list[FileResult]:
        """Second phase: candidates crawled before the sources changed for the last time (a source
        indexed or removed later in the scan). Returns the results that change (to be recorded
        again) and forgets the scan's temporary state."""
        conn = self.index.conn
        updated: list[FileResult] = []
        with self.index.transaction():
            pending = conn.execute("SELECT seq, path, content_id, result, hit_key FROM temp.deriv_pending "
                                   "WHERE seq < ? ORDER BY seq", (self._last_change,)).fetchall()
            generation = self.index.generation()
            for seq, path, content_id, blob, old_key in pending:
                hits = find_sources(self.index.prints(content_id), self.index, self.limits)
                self.index.mark_checked(path, generation)
                result = _unpack(blob)
                if old_key is None:     # reused without a check: compare with what its stored result says
                    had = any(f.rule_id == RULE_ID for f in result.findings)
                    changed = bool(hits) != had or any(self._fresh.get(h.content_id, 0) > seq for h in hits)
                else:
                    changed = _hit_key(hits) != old_key
                if changed:
                    updated.append(self._apply(result, hits))
            conn.execute("DELETE FROM temp.deriv_pending")
        self._fresh.clear()
        self._seq = self._last_change = 0
        return updated

    def forget(self, path: str) -> None:
        """The file is gone from its share: it is no longer a source or a candidate. Called before
        `finish()`, a removed source also clears the findings of this scan's files that named it."""
        changes = self.index.changes
        with self.index.transaction():
            self._drop_pending(path)
            self.index.detach(path, SOURCE)
            self.index.detach(path, CANDIDATE)
        if self.index.changes != changes:
            self._last_change = self._seq + 1

    # -- helpers ---------------------------------------------------------------------------------
    def _drop_pending(self, path: str) -> None:
        self.index.conn.execute("DELETE FROM temp.deriv_pending WHERE path = ?", (path,))

    def _prints_of(self, result: FileResult) -> tuple[DocPrint, ...]:
        prints = tuple(p for p in result.fingerprints if isinstance(p, DocPrint))
        if prints or result.status is not Status.UNCHANGED:
            return prints
        row = self.index.conn.execute("SELECT id FROM deriv_content WHERE sha256 = ?", (result.sha256,)).fetchone()
        return self.index.prints(row[0]) if row else ()

    def _apply(self, result: FileResult, hits: list[SourceHit]) -> FileResult:
        return apply_hits(result, hits, self.index.sources_of([h.content_id for h in hits]) if hits else {},
                          self.limits)


def apply_hits(result: FileResult, hits: list[SourceHit], sources: dict[int, list[FileEntry]],
               limits: Thresholds) -> FileResult:
    """`result` with its DERIV-001 finding and `derivative` assessment set from `hits` (or removed)."""
    findings = tuple(f for f in result.findings if f.rule_id != RULE_ID)
    assessment, explanation = result.assessment, result.explanation
    if assessment is Assessment.DERIVATIVE:    # a stored result whose source is gone: back to the content verdict
        detected = any(f.rule_id == "DETECT-001" for f in findings)
        assessment = Assessment.UNMARKED_CUI if detected else Assessment.NOT_CUI
        explanation = ""
    hits = [h for h in hits if sources.get(h.content_id)]
    if not hits:
        return replace(result, findings=findings, assessment=assessment, explanation=explanation)
    finding = derivative_finding(result, hits, sources, limits)
    categories = tuple(dict.fromkeys(finding.categories + result.categories))
    findings = tuple(sorted(findings + (finding,), key=lambda f: -f.severity.rank))
    if assessment is not Assessment.CLASSIFIED:
        assessment = Assessment.DERIVATIVE
    top = hits[0]
    explanation = (f"derivative of {_describe(sources[top.content_id][0])}: repeats a {top.passage_words}-word "
                   f"passage ({top.source_share:.0%} of the source)")
    return replace(result, findings=findings, assessment=assessment, categories=categories, explanation=explanation)


def derivative_finding(result: FileResult, hits: list[SourceHit], sources: dict[int, list[FileEntry]],
                       limits: Thresholds) -> Finding:
    from cuiscan.inventory.fingerprints import finding_fingerprint

    top = hits[0]
    first = sources[top.content_id][0]
    others = list({e.path: e for h in hits for e in sources[h.content_id] if e.path != first.path}.values())
    categories = tuple(dict.fromkeys(c for h in hits for e in sources[h.content_id] for c in e.categories))
    scope = "document" if top.location.member else "file"
    message = (f"repeats a {top.passage_words}-word passage of known CUI document {_describe(first)} "
               f"({top.source_share:.0%} of the source, {top.file_share:.0%} of this {scope})")
    if others:
        shown = ", ".join(_describe(e) for e in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        message += f"; also matches {shown}{more}"
    confidence = max(min(1.0, 0.5 + top.passage_words / (6 * limits.min_words)),
                     top.source_share if top.passage_words >= limits.share_floor else 0.0)
    digest = hashlib.sha256("|".join(sorted({e.sha256 for h in hits for e in sources[h.content_id]})).encode())
    finding = Finding(
        rule_id=RULE_ID, severity=Severity.ERROR, message=message, location=top.location,
        confidence=round(min(confidence, 1.0), 3), categories=categories,
        evidence=f"source: {_describe(first)}; {top.source_share:.0%} of the source matched "
                 f"({top.passage_words}-word passage)",
        match_digest=digest.hexdigest()[:32])
    return replace(finding, fingerprint=finding_fingerprint(RULE_ID, result.sha256, finding, path=result.path))


def _describe(entry: FileEntry) -> str:
    return f"reference document {entry.path}" if entry.kind == REFERENCE else entry.path


def _hit_key(hits: list[SourceHit]) -> str:
    return ",".join(str(c) for c in sorted(h.content_id for h in hits))


def _pack(result: FileResult) -> bytes:
    return zlib.compress(pickle.dumps(replace(result, fingerprints=()), protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes) -> FileResult:
    return pickle.loads(zlib.decompress(blob))   # our own TEMP table, written by this process
