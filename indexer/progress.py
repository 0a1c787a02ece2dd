"""A progress bar with an ETA for a backfill (``ingest --once``), on stderr. Never used by the
server, whose stderr is a log."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class BackfillProgress:
    """Context manager; call it with (indexed up to block, target block) as ranges are applied."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("indexing blocks"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = None
        self._first: int | None = None

    def __enter__(self) -> BackfillProgress:
        self._bar.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._bar.stop()

    def __call__(self, indexed_to: int, target: int) -> None:
        if self._first is None:
            self._first = indexed_to
            self._task = self._bar.add_task("backfill", total=max(target - indexed_to, 1))
        self._bar.update(self._task, total=max(target - self._first, 1), completed=indexed_to - self._first)
