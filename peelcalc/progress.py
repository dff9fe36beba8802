"""A progress bar on standard error for long runs, and nothing at all otherwise."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TextIO

#: Fewer files than this grade in well under a second: no bar for them.
LONG_RUN = 200


def wanted(stream: TextIO, total: int) -> bool:
    """A bar only on a terminal, and only for a run long enough to need one."""
    return total >= LONG_RUN and stream.isatty()


@contextlib.contextmanager
def progress(stream: TextIO, total: int, what: str) -> Iterator[Callable[[], None]]:
    """Yield a function to call once per item done; it draws a bar only when :func:`wanted`."""
    if not wanted(stream, total):
        yield lambda: None
        return
    from rich.console import Console  # only drawn on a terminal: imported only then
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(file=stream, highlight=False, markup=False)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)
