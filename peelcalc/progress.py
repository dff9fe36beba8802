"""A progress bar on standard error for long runs, and nothing at all otherwise."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress

#: A run is long once it has taken this many seconds: only then is a bar drawn, so a
#: quick run never flashes one.
LONG_RUN = 1.0


def wanted(stream: TextIO, total: int) -> bool:
    """A bar only on a terminal, and only when there is more than one thing to count."""
    return total > 1 and stream.isatty()


@contextlib.contextmanager
def progress(
    stream: TextIO,
    total: int,
    what: str,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Callable[[], None]]:
    """Yield a function to call once per item done.

    On a terminal (:func:`wanted`) the bar appears once the run has lasted
    :data:`LONG_RUN` seconds by ``clock``, and is cleared when the run ends.
    """
    if not wanted(stream, total):
        yield lambda: None
        return
    start = clock()
    done = 0
    bar: Progress | None = None

    def tick() -> None:
        nonlocal done, bar
        done += 1
        if bar is None and clock() - start >= LONG_RUN:
            bar = _bar(stream, what, total, done)
        elif bar is not None:
            bar.advance(bar.task_ids[0])

    try:
        yield tick
    finally:
        if bar is not None:
            bar.stop()


def _bar(stream: TextIO, what: str, total: int, done: int) -> Progress:
    from rich.console import Console  # only drawn on a terminal: imported only then
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(file=stream, highlight=False, markup=False)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=console, transient=True)
    bar.add_task(what, total=total, completed=done)
    bar.start()
    return bar
