"""Run inspect_file over many files: in-process (`--jobs 1`) or in a pool of worker processes.

The pool is ours rather than concurrent.futures because a stuck parser must be killable: each
worker inspects one file at a time (the next one already waiting in its pipe), the parent watches
the deadline, and a worker that overruns it (or dies: segfault, OOM kill) is replaced and its file
becomes SCAN-001. Results stream back unordered as they finish, so memory stays flat however many
files there are.
"""
from __future__ import annotations

import gc
import heapq
import itertools
import multiprocessing as mp
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from cuiscan.assess import failed_result
from cuiscan.pipeline import Inspector, inspect_file, result_for
from cuiscan.records import FileRef, FileResult
from cuiscan.settings import Limits
from cuiscan.textsafe import describe_exception

Task = tuple[FileRef, str | None]   # the file, and the sha256 stored for it (None: inspect anyway)


LOOKAHEAD = 256    # files discovered ahead of dispatch, so that the largest can start first
PREFETCH = 2       # files sent to a worker at a time (the one it inspects, the next)


def run_tasks(tasks: Iterable[Task], inspector: Inspector, jobs: int,
              stopped: Callable[[], bool] = lambda: False) -> Iterator[FileResult]:
    """Results of the tasks; once `stopped()`, files not yet handed out are left alone."""
    if jobs <= 1:
        yield from _run_inline(tasks, inspector)
        return
    ordered = largest_first(tasks, LOOKAHEAD, stopped)
    first = next(ordered, None)
    if first is None:      # nothing to inspect (an unchanged tree): no pool, no model loaded
        return
    with WorkerPool(inspector, jobs) as pool:
        yield from pool.run(itertools.chain([first], ordered))


def largest_first(tasks: Iterable[Task], window: int, stopped: Callable[[], bool]) -> Iterator[Task]:
    """The tasks, the largest file of the next `window` first. With workers, a large file crawled
    last would keep one worker busy while the others sit idle; started early, it overlaps the rest."""
    heap: list[tuple[int, int, Task]] = []
    for seq, task in enumerate(tasks):
        heapq.heappush(heap, (-task[0].size, seq, task))
        if len(heap) >= window:
            yield heapq.heappop(heap)[2]
    while heap and not stopped():
        yield heapq.heappop(heap)[2]


def _run_inline(tasks: Iterable[Task], inspector: Inspector) -> Iterator[FileResult]:
    """In-process, for debugging and small scans; SIGALRM enforces the per-file timeout."""
    timeout = inspector.options.limits.timeout
    use_alarm = timeout > 0 and hasattr(signal, "SIGALRM")
    with _inline_memory_cap(inspector.options.limits.worker_memory):
        for index, (ref, known) in enumerate(tasks):
            if index == 0:
                _ = inspector.marking_ctx    # the model loads on the first file that needs detection
            if use_alarm:
                previous = signal.signal(signal.SIGALRM, _raise_timeout)
                signal.setitimer(signal.ITIMER_REAL, file_timeout(ref, inspector.options.limits))
            try:
                result = inspect_guarded(ref, inspector, known)
            except _Timeout:
                result = timed_out(ref, file_timeout(ref, inspector.options.limits))
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, previous)
            yield result


def inspect_guarded(ref: FileRef, inspector: Inspector, known: str | None) -> FileResult:
    """inspect_file with the last line of defence, the same in a worker and in-process: a bug or an
    exhausted memory cap costs this file (SCAN-001), never the scan."""
    try:
        return inspect_file(ref, inspector, known)
    except MemoryError:
        pass
    except Exception as exc:  # exception text can quote the input: describe_exception strips that
        return _failed(ref, "corrupt", f"internal error while inspecting: {describe_exception(exc)}")
    # out of memory. Outside the except block the traceback (and the file's blocks its frames hold) is
    # gone: collect the cycles it left now, or the next file in this worker meets a heap still at the cap
    gc.collect()
    return _failed(ref, "limit", "ran out of memory (worker memory limit)")


@contextmanager
def _inline_memory_cap(limit: int) -> Iterator[None]:
    """--jobs 1 has no worker to lose: while it runs, cap this process at its present data size plus
    the per-worker allowance, so a runaway file ends as MemoryError (SCAN-001) and not as the OOM
    killer taking the whole scan. The previous limit is restored afterwards."""
    data = _data_size()
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    except ImportError:
        data = None
    if limit <= 0 or data is None:
        yield
        return
    cap = data + limit
    for bound in (soft, hard):
        if bound != resource.RLIM_INFINITY:
            cap = min(cap, bound)
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_size() -> int | None:
    """This process's data segment (what RLIMIT_DATA counts), from /proc; None where there is none."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


class _Timeout(BaseException):
    """BaseException so that no `except Exception` inside a parser can swallow it."""


def _raise_timeout(signum, frame):
    raise _Timeout()


def file_timeout(ref: FileRef, limits: Limits) -> float:
    """Seconds one file may take. An mbox over max_file_size (the only file discovery lets through
    over it: it is read one message at a time) gets the timeout once per max_file_size of it, since
    its time grows with its size: 120 s per 512 MB by default, 480 s for a 2 GB archive."""
    if limits.timeout <= 0 or ref.size <= limits.max_file_size or ref.skip_reason:
        return limits.timeout
    return limits.timeout * -(-ref.size // limits.max_file_size)


def timed_out(ref: FileRef, timeout: float) -> FileResult:
    return _failed(ref, "timeout", f"inspection did not finish within {timeout:g} s")


def _failed(ref: FileRef, reason: str, message: str) -> FileResult:
    return failed_result(result_for(ref), reason, message)


def _worker_main(conn: Connection, inspector: Inspector, parent_ends: list[Connection]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides when to stop
    # A forked worker holds copies of the parent's ends of every worker pipe (its own included).
    # Closed here, the only holder left is the parent, so when the parent dies (even by SIGKILL)
    # recv() sees EOF and the worker exits instead of lingering forever.
    for end in parent_ends:
        end.close()
    _limit_memory(inspector.options.limits.worker_memory)
    while True:
        try:
            task = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if task is None:
            return
        ref, known = task
        conn.send(inspect_guarded(ref, inspector, known))


def _limit_memory(limit: int) -> None:
    """Cap the worker's data segment so one hostile file cannot take the machine's memory."""
    if limit <= 0:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


@dataclass
class _Worker:
    process: mp.Process
    conn: Connection
    tasks: deque[Task] = field(default_factory=deque)   # sent, in order; the first is being inspected
    started: float = 0.0                                 # when the first began (as seen from here)


class WorkerPool:
    def __init__(self, inspector: Inspector, jobs: int):
        self.inspector = inspector
        self.jobs = jobs
        self.timeout = inspector.options.limits.timeout
        self.limits = inspector.options.limits
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.ctx = mp.get_context(method)
        self.workers: list[_Worker] = []
        self._exhausted = False      # no task left to hand out

    def __enter__(self) -> "WorkerPool":
        self.inspector.warm_up()
        self.workers = [self._spawn() for _ in range(self.jobs)]
        return self

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        parent_ends = [parent] + [w.conn for w in self.workers] if self.ctx.get_start_method() == "fork" else []
        proc = self.ctx.Process(target=_worker_main, args=(child, self.inspector, parent_ends), daemon=True)
        proc.start()
        child.close()
        return _Worker(process=proc, conn=parent)

    def run(self, tasks: Iterable[Task]) -> Iterator[FileResult]:
        pending = iter(tasks)
        self._exhausted = False
        self._dispatch(pending)
        while True:
            busy = [w for w in self.workers if w.tasks]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._next_deadline(busy))
            done = []
            for w in busy:
                if w.conn in ready:
                    done.append(self._collect(w))
                elif self.timeout > 0 and time.monotonic() - w.started > self._timeout(w):
                    done.append(self._replace(w, timed_out(w.tasks[0][0], self._timeout(w))))
            # Hand out the next files before the caller stores these results: a batch written to
            # the inventory takes up to a few hundred milliseconds, which idle workers would wait out.
            self._dispatch(pending)
            yield from done

    def _dispatch(self, pending: Iterator[Task]) -> None:
        """Keep PREFETCH files sent to each worker: the next one is waiting in its pipe when it
        finishes a file, so it never waits for this process to be scheduled."""
        for w in self.workers:
            while len(w.tasks) < PREFETCH and not self._exhausted:
                task = next(pending, None)
                if task is None:
                    self._exhausted = True
                else:
                    self._send(w, task)

    def _send(self, w: _Worker, task: Task) -> None:
        if not w.tasks:
            w.started = time.monotonic()
        w.tasks.append(task)
        try:
            w.conn.send(task)
        except OSError:   # the worker died since its last result: its pipe reads as closed, so the
            pass          # next wait() collects it, and _replace hands this task to its successor

    def _next_deadline(self, busy: list[_Worker]) -> float | None:
        if self.timeout <= 0:
            return None
        now = time.monotonic()
        return max(0.01, min(w.started + self._timeout(w) - now for w in busy) + 0.01)

    def _timeout(self, w: _Worker) -> float:
        return file_timeout(w.tasks[0][0], self.limits)

    def _collect(self, w: _Worker) -> FileResult:
        try:
            result = w.conn.recv()
        except (EOFError, OSError):
            w.process.join(1)
            code = w.process.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            return self._replace(w, _failed(w.tasks[0][0], "corrupt", f"the worker inspecting this file crashed ({why})"))
        w.tasks.popleft()
        w.started = time.monotonic()     # it went on with the next file as it sent this result
        return result

    def _replace(self, w: _Worker, result: FileResult) -> FileResult:
        """Kill a stuck or dead worker, start a fresh one in its place (with the files that were
        queued behind the lost one), return the lost file's result."""
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        fresh = self._spawn()
        queued = list(w.tasks)[1:]
        w.process, w.conn, w.tasks = fresh.process, fresh.conn, deque()
        for task in queued:
            self._send(w, task)
        return result
