"""The extractor interface shared by every format module.

An extractor is a function `extract(src: Source, ctx: DocContext) -> None` registered for one or
more file types. It reads `src` and calls `ctx.add(...)` for every run of text, tagging its zone
and position. Containers (emails, archives) call `ctx.add_member(name, data)` for each member; the
dispatcher sniffs the member's type and extracts it as its own document, recursively, under the
archive limits. An extractor raises an ExtractionError subclass when it cannot read its input; the
dispatcher turns that into a Problem (SCAN-001) for that document and carries on with the rest.
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import BinaryIO, Callable, Iterator

from cuiscan.errors import LimitExceeded
from cuiscan.records import ExtractedDoc, Location, Problem, TextBlock, Zone
from cuiscan.settings import Limits
from cuiscan.textsafe import describe_exception, storable  # noqa: F401  (the extractors' own helpers)


@dataclass(frozen=True, slots=True)
class Source:
    """Input of an extractor: a file on disk or bytes of a container member."""

    name: str                   # file name (for extension hints and messages)
    path: str | None = None     # on-disk path, when it is a real file
    data: bytes | None = None   # member bytes, when it came out of a container

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        with self.open() as fh:
            return fh.read()

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        import os

        return os.stat(self.path).st_size  # type: ignore[arg-type]


@dataclass(slots=True)
class Budget:
    """Limits shared by a whole file and all its nested members (zip bombs, email chains)."""

    limits: Limits
    members: int = 0
    total_bytes: int = 0
    blocks: int = 0
    # Set once the whole-file member count, byte total or block count is spent. Sticky: every
    # container still open stops at its next member instead of reading (inflating) it to no use.
    exhausted: str | None = None
    # OCR spent on the whole file (limits.ocr_pages / ocr_seconds), and why it stopped, once it has
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    ocr_stopped: str | None = None
    images_skipped: int = 0      # images and scanned pages left unread (OCR off, absent, budget spent)

    def charge_member(self, name: str, size: int, depth: int) -> None:
        self.ensure_room()
        if depth > self.limits.archive_depth:
            raise LimitExceeded(f"nesting deeper than {self.limits.archive_depth} levels at {name}")
        self.members += 1
        if self.members > self.limits.archive_members:
            self.exhaust(f"more than {self.limits.archive_members} members")
        if size > self.limits.member_size:
            raise LimitExceeded(f"member {name} is {size} bytes, over the {self.limits.member_size}-byte limit")
        self.total_bytes += size
        if self.total_bytes > self.limits.archive_total:
            self.exhaust(f"members expand to more than {self.limits.archive_total} bytes")

    def charge_block(self) -> None:
        # Each run of text costs ~1 KB and ~35 us through extraction, markings and detection
        # whatever its length: a few MB of one-character lines would otherwise take GBs.
        self.blocks += 1
        if self.blocks > self.limits.max_blocks:
            self.exhaust(f"more than {self.limits.max_blocks} runs of text (lines, rows, paragraphs); "
                         "the rest was not read")

    def ensure_room(self) -> None:
        """Call before decompressing a member: a spent budget reads nothing more."""
        if self.exhausted:
            raise LimitExceeded(self.exhausted)
        if self.members >= self.limits.archive_members:
            self.exhaust(f"more than {self.limits.archive_members} members")

    @contextmanager
    def own_limits(self) -> Iterator[None]:
        """One mbox message is bounded as a file of its own: archive_total (the message and what it
        decodes to) and archive_members count afresh for it, and a message that spends them is noted
        on it and the next one is read. The message counts as one member of the mbox, so
        archive_members bounds the messages read. Whole-file bounds stay: max_blocks (every block
        is held until the file's checks run: the memory bound), the OCR budget and the per-file
        timeout. Enter with room left (ensure_room)."""
        saved_bytes, saved_members = self.total_bytes, self.members
        try:
            yield
        finally:
            self.total_bytes = saved_bytes
            self.members = min(self.members, saved_members + 1)
            if self.blocks <= self.limits.max_blocks:
                self.exhausted = None

    def exhaust(self, why: str) -> None:
        """Mark the whole-file budget spent and stop the member being read."""
        self.exhausted = why
        raise LimitExceeded(why)


@dataclass(slots=True)
class DocContext:
    """Collects one document's blocks; `add_member` hands nested documents to the dispatcher."""

    ftype: str
    member: str | None
    depth: int
    budget: Budget
    pdf_backend: str = "auto"
    ocr: str = "auto"            # auto | off | force (Settings.ocr)
    blocks: list[TextBlock] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    pages: int | None = None
    pending_members: list[tuple[str, bytes]] = field(default_factory=list)
    # Set by the dispatcher: a member is extracted the moment it is added, so only the members on
    # the current nesting path are ever in memory. Unset (unit tests): they queue in pending_members.
    on_member: Callable[[str, bytes | Source], None] | None = None
    _chars: int = 0

    @property
    def limits(self) -> Limits:
        return self.budget.limits

    def add(
        self,
        text: str,
        zone: Zone = Zone.BODY,
        *,
        page: int | None = None,
        slide: int | None = None,
        sheet: str | None = None,
        line: int | None = None,
        section: int | None = None,
        cell: str | None = None,
        variant: str | None = None,
        kind: str = "paragraph",
        top: float | None = None,
        hidden: bool = False,
        struck: bool = False,
        ocr: float | None = None,
    ) -> None:
        """Record one run of text. Empty text is dropped; text past max_text ends the document."""
        if not text or text.isspace():
            return
        text = storable(text)
        self._chars += len(text)
        if self._chars > self.limits.max_text:
            raise LimitExceeded(f"more than {self.limits.max_text} characters of text")
        self.budget.charge_block()
        # Positional: this runs once per paragraph, line and spreadsheet row (100,000s per file).
        loc = Location(zone, page, slide, sheet, line, self.member, section, cell, ocr)
        blocks = self.blocks
        blocks.append(TextBlock(text, loc, len(blocks), variant, kind, top, hidden, struck))

    def add_member(self, name: str, data: bytes | Source) -> None:
        """Hand over a container member (attachment, zip entry): it is extracted as its own document.
        A big member may come as a Source on disk (a spooled mbox message) instead of bytes."""
        name = storable(name)
        size = data.size if isinstance(data, Source) else len(data)
        self.budget.charge_member(self.member_path(name), size, self.depth + 1)
        if self.on_member is not None:
            self.on_member(name, data)
        else:
            self.pending_members.append((name, data.read() if isinstance(data, Source) else data))

    def member_path(self, name: str) -> str:
        return f"{self.member}/{name}" if self.member else name

    def problem(self, reason: str, message: str) -> None:
        """A part of this document could not be read (an image-only page, a broken part)."""
        self.problems.append(Problem(reason=reason, message=message, member=self.member))

    def fact(self, key: str, value: object) -> None:
        self.facts[key] = value

    def finish(self) -> ExtractedDoc:
        return ExtractedDoc(
            ftype=self.ftype,
            member=self.member,
            blocks=tuple(self.blocks),
            pages=self.pages,
            problems=tuple(replace(p, message=storable(p.message)) for p in self.problems),
            facts=tuple(sorted(self.facts.items(), key=lambda kv: kv[0])),
        )


Extractor = Callable[[Source, DocContext], None]
