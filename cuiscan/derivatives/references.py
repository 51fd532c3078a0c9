"""Reference documents: CUI that does not live on the scanned shares (a specification received from
the government, a customer's drawing package). Registered by path; only their fingerprints are kept,
so a scan finds unmarked excerpts of them like excerpts of a marked file on a share.

Public references (`--public`: NIST SP 800-171, a published form or template) work the other way:
text they hold is common text, never evidence that a document copied a marked one (common.py)."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from cuiscan.derivatives.codec import encode_prints
from cuiscan.derivatives.common import attach_public, detach_public, public_entries
from cuiscan.derivatives.docprints import doc_prints
from cuiscan.derivatives.index import REFERENCE, DEFAULT_COMMON_CAP, PrintIndex, _now, distinct_hashes
from cuiscan.errors import ConfigError
from cuiscan.fileio import sha256_file
from cuiscan.settings import Limits


@dataclass(frozen=True, slots=True)
class Reference:
    path: str
    sha256: str
    categories: tuple[str, ...]
    added_at: str
    words: int = 0
    fingerprints: int = 0
    public: bool = False

    def to_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "categories": list(self.categories),
                "added_at": self.added_at, "words": self.words, "fingerprints": self.fingerprints,
                "public": self.public}


def add_reference(conn: sqlite3.Connection, path: str | os.PathLike, categories: str | Iterable[str] | None = None,
                  limits: Limits | None = None, pdf_backend: str = "auto",
                  common_cap: int = DEFAULT_COMMON_CAP) -> Reference:
    """Fingerprint the document at `path` and register it (again: a re-added path is replaced).

    Raises ConfigError when the file cannot be read or holds no text to fingerprint."""
    from cuiscan.extractors import extract_file

    cats = check_categories(categories)
    full, sha256, prints = _fingerprint(path, limits, pdf_backend)
    index = PrintIndex(conn, common_cap)
    index.ensure_schema()
    with index.transaction():
        index.attach(full, REFERENCE, sha256, encode_prints(prints), cats)
        entry = index.entry(full, REFERENCE)
    assert entry is not None
    return Reference(path=full, sha256=sha256, categories=entry.categories, added_at=entry.added_at,
                     words=sum(p.words for p in prints), fingerprints=sum(p.count for p in prints))


def add_public_reference(conn: sqlite3.Connection, path: str | os.PathLike, limits: Limits | None = None,
                         pdf_backend: str = "auto") -> Reference:
    """Fingerprint the public document at `path` and register it (again: a re-added path is replaced):
    what it holds is common text for derivative matching. Raises ConfigError as add_reference."""
    full, sha256, prints = _fingerprint(path, limits, pdf_backend)
    index = PrintIndex(conn)
    index.ensure_schema()
    hashes = distinct_hashes(prints)
    words = sum(p.words for p in prints)
    added_at = _now()
    with index.transaction():
        attach_public(index, full, sha256, hashes, words, added_at)
    return Reference(path=full, sha256=sha256, categories=(), added_at=added_at, words=words,
                     fingerprints=len(hashes), public=True)


def _fingerprint(path: str | os.PathLike, limits: Limits | None, pdf_backend: str):
    from cuiscan.extractors import extract_file

    full = os.path.abspath(os.fspath(path))
    if not os.path.isfile(full):
        raise ConfigError(f"reference {full}: no such file")
    try:
        sha256 = sha256_file(full)
        docs = extract_file(full, limits or Limits(), pdf_backend=pdf_backend)
    except OSError as exc:
        raise ConfigError(f"reference {full}: cannot read: {exc.strerror or exc}") from None
    prints = doc_prints(docs)
    if not prints:
        problem = next((p for d in docs for p in d.problems), None)
        why = f"cannot read it ({problem.reason}: {problem.message})" if problem else "no text to fingerprint"
        raise ConfigError(f"reference {full}: {why}")
    return full, sha256, prints


def list_references(conn: sqlite3.Connection) -> list[Reference]:
    """Registered references, CUI ones first, then public ones."""
    index = PrintIndex(conn)
    index.ensure_schema()
    refs = []
    for entry in index.entries(REFERENCE):
        prints = index.prints(entry.content_id)
        refs.append(Reference(path=entry.path, sha256=entry.sha256, categories=entry.categories,
                              added_at=entry.added_at, words=sum(p.words for p in prints),
                              fingerprints=sum(p.count for p in prints)))
    refs.extend(Reference(path=e.path, sha256=e.sha256, categories=(), added_at=e.added_at, words=e.words,
                          fingerprints=e.fingerprints, public=True) for e in public_entries(conn))
    return refs


def remove_reference(conn: sqlite3.Connection, path: str | os.PathLike) -> bool:
    """Unregister a reference (by the path it was added with; relative paths are resolved)."""
    index = PrintIndex(conn)
    index.ensure_schema()
    raw = os.fspath(path)
    with index.transaction():
        return any(index.detach(p, REFERENCE) or detach_public(index, p) for p in (raw, os.path.abspath(raw)))


def check_categories(categories: str | Iterable[str] | None) -> tuple[str, ...]:
    """Registry category markings ("CTI", "SP-PRVCY", or a category name) -> canonical markings."""
    from cuiscan.markings.registry import load_registry

    if categories is None:
        return ()
    items = [categories] if isinstance(categories, str) else list(categories)
    tokens = [t.strip() for item in items for t in item.split(",") if t.strip()]
    registry = load_registry()
    out = []
    for token in tokens:
        category = registry.category(token)
        if category is None:
            raise ConfigError(f"unknown CUI category {token!r} (see rules/cui-registry.yaml)")
        out.append(category.marking or token.upper())
    return tuple(dict.fromkeys(out))
