"""A progress bar on the terminal for long commands; silent when stderr is not a terminal."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


class TerminalProgress:
    """``with TerminalProgress(total, ...) as advance:`` gives ``advance(done, total)`` or ``None``.

    The bar shows only on a terminal and only for at least ``threshold`` items, so piped output and
    small jobs stay clean.  ``finishing`` labels the step after the last item (e.g. writing the file).
    """

    def __init__(
        self, total: int, *, label: str, unit: str, threshold: int = 0, finishing: str | None = None
    ) -> None:
        from rich.console import Console

        self.total = total
        self.label = label
        self.unit = unit
        self.finishing = finishing
        self.console = Console(stderr=True)
        self.enabled = self.console.is_terminal and total >= threshold
        self._bar: Progress | None = None

    def __enter__(self) -> Callable[[int, int | None], None] | None:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(self.unit),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        bar.start()
        task = bar.add_task(self.label, total=self.total)

        def advance(done: int, total: int | None = None) -> None:
            total = total or self.total
            finished = self.finishing is not None and done >= total
            bar.update(
                task, completed=done, total=total, description=self.finishing if finished else self.label
            )

        return advance

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
