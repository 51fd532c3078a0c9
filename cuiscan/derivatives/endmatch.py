"""The end-of-scan matching, beside the scan's postings write.

With `--jobs N` (N > 1), an in-memory index and an inventory file, the candidates are matched in
N - 1 forked processes while this one writes the postings the scan deferred: the two used to run
one after the other after the last file, with every other core idle. Each child reads the prints on
a read-only connection of its own (a SQLite connection must not cross a fork) and sends the hits
back. `--jobs 1` keeps everything in the one process, as it promises, and so does a process that
runs other threads (watch mode's observers, a progress bar on a terminal).
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import sqlite3
import threading
from urllib.parse import quote

from cuiscan.derivatives.index import PrintIndex
from cuiscan.derivatives.matcher import SourceHit, Thresholds, find_sources
from cuiscan.derivatives.snapshot import PostingSnapshot

log = logging.getLogger(__name__)

Due = list[tuple[str, int, "str | None"]]     # (path, content id, hit key of its recorded result)


def match_due(index: PrintIndex, due: Due, lookup: PrintIndex | PostingSnapshot, limits: Thresholds,
              processes: int) -> list[list[SourceHit]]:
    """find_sources for each candidate of `due`, in order; the deferred postings are written too."""
    path = _database_file(index.conn)
    # Forking a process that runs other threads (watch mode's observers) can copy a lock mid-use.
    if processes < 2 or len(due) < 2 or not path or not isinstance(lookup, PostingSnapshot) \
            or "fork" not in mp.get_all_start_methods() or threading.active_count() > 1:
        index.write_pending()
        return _match(index, due, lookup, limits)
    ctx = mp.get_context("fork")
    size = -(-len(due) // (processes - 1))
    chunks = [due[i:i + size] for i in range(0, len(due), size)]
    children = []
    for chunk in chunks:
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(send, path, chunk, lookup, limits), daemon=True)
        child.start()
        send.close()
        children.append((receive, child))
    index.write_pending()
    out: list[list[SourceHit]] = []
    for (receive, child), chunk in zip(children, chunks):
        out.extend(_collect(receive, child) or _match(index, chunk, lookup, limits))
    return out


def _collect(receive, child) -> list[list[SourceHit]] | None:
    try:
        return receive.recv()
    except (EOFError, OSError):
        log.warning("a matching process ended without an answer (exit code %s); matching here", child.exitcode)
        return None
    finally:
        receive.close()
        child.join()


def _child(send, path: str, due: Due, lookup: PostingSnapshot, limits: Thresholds) -> None:
    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    try:
        send.send(_match(PrintIndex(conn), due, lookup, limits))
    finally:
        conn.close()
        send.close()


def _match(index: PrintIndex, due: Due, lookup, limits: Thresholds) -> list[list[SourceHit]]:
    return [find_sources(index.prints(content_id, locations=False), lookup, limits) for _, content_id, _ in due]


def _database_file(conn: sqlite3.Connection) -> str:
    """The file of the connection's main database ('' for an in-memory one)."""
    return next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
