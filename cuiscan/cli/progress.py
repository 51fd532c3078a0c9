"""A progress bar on a terminal (files done / found so far, rate); silent otherwise."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cuiscan.records import FileResult


class ScanProgress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> "ScanProgress":
        if self.enabled:
            self._progress = Progress(
                TextColumn("scanning"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} files/s"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("scan", total=None, rate=0.0)
        return self

    def update(self, result: FileResult | None, done: int, discovered: int) -> None:
        if self._progress is None:
            return
        elapsed = self._progress.tasks[0].elapsed or 0.0
        self._progress.update(self._task, completed=done, total=max(discovered, done),
                              rate=done / elapsed if elapsed > 0 else 0.0)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
