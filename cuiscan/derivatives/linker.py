"""The main-process side of derivative detection: index marked files, match unmarked ones.

`Linker.process(result)` sees every result of a scan in crawl order and only records it: a
marked-CUI file becomes a source, any other readable, unclassified file a candidate. The writes
wait for the next flush (the inventory's, when the linker is attached to it: results and index rows
then commit together, so an interrupted scan never leaves a result without its index rows).

`finish()` matches, once, every candidate of the scan that has not been matched against the
present set of sources (`generation`): all of them on a first scan, none on a rescan in which no
source changed. A derivative may thus be crawled before or after its source. It returns the
results that change (a DERIV-001 finding added or cleared), to be recorded again; which sources
each candidate's recorded result names is kept with it (`hit_key`), so a stored result is loaded
only when it has to change.

Unchanged files (reused from the inventory without their fingerprints) keep their index rows as
they are.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from cuiscan.derivatives.common import CommonText
from cuiscan.derivatives.endmatch import match_due
from cuiscan.derivatives.index import CANDIDATE, DEFAULT_COMMON_CAP, REFERENCE, SOURCE, FileEntry, PrintIndex
from cuiscan.derivatives.matcher import SourceHit, Thresholds, find_sources, shared_hashes
from cuiscan.derivatives.snapshot import lookup_for
from cuiscan.records import Assessment, FileResult, Finding, Severity, Status
from cuiscan.settings import Settings

RULE_ID = "DERIV-001"
# Every finding says what to do: the copy is CUI like its source, unless it is not (then say why).
FIX = ("Fix: mark it like its source (the banner CUI and a designation indicator) or remove the copied "
       "passages; if it is not CUI, record why with `cuiscan suppress FINGERPRINT --reason TEXT`")
_NOT_INSPECTED = (Status.SKIPPED, Status.FAILED)
_QUEUE_LIMIT = 500      # writes held before a standalone linker flushes on its own
# Marking findings that show the document carries a CUI marking, however malformed (a banner, portion
# marks, a designation indicator, an LDC, a decontrol line). Such a document is never `derivative`
# (issue 14's rule: it is marked CUI with what is wrong said). A "may contain CUI" disclaimer
# (BANNER-014) is no marking: public documents carry it too.
_MARKING_FAMILIES = ("BANNER-", "PORTION-", "LDC-", "DECON-")
_NOT_A_MARKING = frozenset({"BANNER-014"})

Loader = Callable[[str], "FileResult | None"]


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """What the linker reads from Settings (which holds the defaults), built once per scan."""

    thresholds: Thresholds      # DERIV-001: shortest matching passage, or share of the source / file
    common_docs: int            # unmarked documents sharing a passage make it common text (0: off)
    jobs: int                   # processes for the end-of-scan matching

    @classmethod
    def from_settings(cls, settings: Settings) -> "LinkOptions":
        return cls(Thresholds(min_words=settings.derivative_min_words, min_share=settings.derivative_min_share),
                   settings.derivative_common_docs, settings.jobs)


class Linker:
    """`inventory`: the Inventory whose connection this is. The linker then writes in the
    inventory's batches and loads the results it has to change from it. Without one (tests, tools)
    it writes in its own transactions and keeps this scan's candidate results in memory.
    `options`: None for the defaults of Settings."""

    def __init__(self, conn, options: LinkOptions | None = None, *, common_cap: int = DEFAULT_COMMON_CAP,
                 inventory=None):
        options = options or LinkOptions.from_settings(Settings())
        self.index = PrintIndex(conn, common_cap, defer_postings=True)
        self.limits = options.thresholds
        self.common_docs = options.common_docs
        self._jobs = options.jobs
        self._inventory = inventory
        self._kept: dict[str, FileResult] = {}
        self._load: Loader = inventory.previous if inventory is not None else self._kept.get
        self._queue: list[tuple] = []
        self._seen: set[str] = set()         # files of this scan that may be candidates
        self._carried: list[list[str]] = []  # unchanged files, in batches: a set only if finish needs one
        if inventory is not None:
            inventory.add_companion(self)

    def ensure_schema(self) -> None:
        self.index.ensure_schema()

    # -- during the scan -------------------------------------------------------------------------
    def process(self, result: FileResult) -> FileResult:
        if result.status in _NOT_INSPECTED or result.assessment is Assessment.UNKNOWN or not result.sha256:
            return result
        self._seen.add(result.path)
        if result.status is not Status.UNCHANGED:
            self._queue.append(("file", result))
        if self._inventory is None:
            self._kept[result.path] = replace(result, prints=b"")
            if len(self._queue) >= _QUEUE_LIMIT:
                self.flush()
        return result

    def note_unchanged(self, paths: list[str]) -> None:
        """Files carried forward unchanged (their index rows stand): matched again at finish only if
        the sources changed since they were last matched."""
        self._carried.append(paths)

    def forget(self, path: str) -> None:
        """The file is gone from its share: it is no longer a source or a candidate."""
        self._seen.discard(path)
        self._kept.pop(path, None)
        self._queue.append(("gone", path))

    def finish(self) -> list[FileResult]:
        """Match the scan's candidates that the present sources have not been matched against;
        returns the results that change. The matching state is written with the next flush."""
        self._commit()
        generation = self.index.generation()
        due = self.index.unchecked(generation)
        if due:
            for paths in self._carried:
                self._seen.update(paths)
            due = [row for row in due if row[0] in self._seen]
        updated: list[FileResult] = []
        lookup = lookup_for(self.index, len(due), self.index.pending_points())
        found = match_due(self.index, due, lookup, self.limits, self._jobs)
        judged = self._without_common_text(due, found, lookup)
        for (path, content_id, old_key), hits in zip(due, found):
            if content_id in judged:        # again with the block locations, to say where the passage is
                hits = judged[content_id]
            key = _hit_key(hits)
            self._queue.append(("checked", path, generation, key))
            if key == old_key:
                continue
            result = self._load(path)
            if result is None:
                continue
            changed = self._apply(result, hits)
            if changed != result:
                updated.append(changed)
        self._seen.clear()
        self._carried.clear()
        self._kept.clear()
        if self._inventory is None:
            self.flush()
        return updated

    def _without_common_text(self, due, found, lookup) -> dict[int, list[SourceHit]]:
        """The hits of every candidate that has some, judged again without the fingerprints that are
        common text (common.py), with block locations. Only candidates with hits pay for this."""
        prints = {content_id: self.index.prints(content_id)
                  for (_, content_id, _), hits in zip(due, found) if hits}
        if not prints:
            return {}
        shared = {content_id: shared_hashes(p, lookup) for content_id, p in prints.items()}
        common = CommonText.build(self.index, shared, self.common_docs)
        return {content_id: find_sources(p, lookup, self.limits, common.for_content(content_id, shared[content_id]))
                for content_id, p in prints.items()}

    def close(self) -> None:
        """Stop writing with the inventory's batches (what is queued is written first)."""
        if self._inventory is not None:
            self._commit()
            self._inventory.remove_companion(self)
        self.index.write_pending()

    # -- writing ---------------------------------------------------------------------------------
    def has_pending(self) -> bool:
        return bool(self._queue)

    def flush(self) -> None:
        """Apply the queued writes, in one transaction (a savepoint in the caller's, if one is open)."""
        queue, self._queue = self._queue, []
        checked = []
        with self.index.transaction():
            for op in queue:
                if op[0] == "file":
                    self._index_file(op[1])
                elif op[0] == "gone":
                    self.index.detach(op[1], SOURCE)
                    self.index.detach(op[1], CANDIDATE)
                else:
                    checked.append(op[1:])
            self.index.mark_checked(checked)

    def _commit(self) -> None:
        if self._inventory is not None:
            self._inventory.flush()
        if self._queue:
            self.flush()

    def _index_file(self, result: FileResult) -> None:
        path, prints = result.path, result.prints
        if result.assessment is Assessment.MARKED_CUI:
            self.index.detach(path, CANDIDATE)
            if prints:
                self.index.attach(path, SOURCE, result.sha256, prints, result.categories)
            else:
                self.index.detach(path, SOURCE)
            return
        self.index.detach(path, SOURCE)          # no longer marked (or never was)
        if result.assessment is Assessment.CLASSIFIED or not prints or carries_cui_marking(result):
            self.index.detach(path, CANDIDATE)
        else:
            self.index.attach(path, CANDIDATE, result.sha256, prints)

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
    if not hits or carries_cui_marking(result):
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
    message = (f"repeats a {top.passage_words}-word passage of {_known(first)} "
               f"({top.source_share:.0%} of the source, {top.file_share:.0%} of this {scope})")
    if others:
        shown = ", ".join(_describe(e) for e in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        message += f"; also matches {shown}{more}"
    message += f". {FIX}"
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


def _known(entry: FileEntry) -> str:
    return f"registered CUI reference document {entry.path}" if entry.kind == REFERENCE \
        else f"known CUI document {entry.path}"


def _describe(entry: FileEntry) -> str:
    return f"reference document {entry.path}" if entry.kind == REFERENCE else entry.path


def _hit_key(hits: list[SourceHit]) -> str:
    return ",".join(str(c) for c in sorted(h.content_id for h in hits))


def carries_cui_marking(result: FileResult) -> bool:
    """The file shows a CUI marking of some kind (a banner or a marking finding), well formed or not."""
    return bool(result.banner) or any(
        f.rule_id.startswith(_MARKING_FAMILIES) and f.rule_id not in _NOT_A_MARKING for f in result.findings)
