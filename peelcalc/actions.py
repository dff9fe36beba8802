"""What the commands do, free of Typer: messages, output, errors, and ``grade`` itself.

The Typer app (:mod:`peelcalc.cli`) declares the commands, their options and help, and
calls these. :mod:`peelcalc.launch` calls :func:`grade` directly for the plain
``peelcalc grade FILE`` it recognises, so that the command most often run in hooks and
scripts starts without loading the command-line framework. Both paths go through the
same functions here, so what a user sees is the same either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from peelcalc.errors import EXIT_INPUT, EXIT_OK, PeelcalcError

F = TypeVar("F", bound=str)


def tell(text: str) -> None:
    """Write a message to stderr, with control characters from files shown as escapes."""
    from peelcalc.errors import printable

    sys.stderr.write(printable(text) + "\n")


def emit(text: str, output: Path | None, inputs: list[Path]) -> None:
    """Print ``text``, or write it atomically to ``output`` (never over one of ``inputs``)."""
    from peelcalc.output import write_atomic, write_stdout

    if output is None:
        write_stdout(text)
        return
    write_atomic(text, output, inputs)
    tell(f"peelcalc: wrote {output}")


def style_for(output: Path | None) -> tuple[bool, int]:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return color, _terminal_width()


def _terminal_width(fallback: int = 100) -> int:
    """The width ``shutil.get_terminal_size`` gives, without importing shutil.

    The same rule: ``COLUMNS`` when it is a positive number, else the width of the
    terminal on stdout, else ``fallback``.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else fallback


def exit_code_of(action: Callable[[], None]) -> int:
    """Run ``action``; a :class:`PeelcalcError` becomes one message on stderr and its code."""
    try:
        action()
    except PeelcalcError as error:
        tell(f"peelcalc: error: {error}")
        return error.exit_code
    except OSError as error:
        # Paths are looked at before use (peelcalc.paths); this is the last guard
        # for a system failure nobody foresaw, such as a disk error mid-read.
        where = f"{error.filename}: " if error.filename else ""
        tell(f"peelcalc: error: {where}{error.strerror or error}")
        return EXIT_INPUT
    return EXIT_OK


def choose_format(value: str, choices: Collection[F], command: str = "") -> F:
    """The format named ``value`` among ``choices``, or a usage error with a "did you
    mean"; ``command`` names the command when its formats differ from the others'."""
    from peelcalc.errors import UsageError, did_you_mean

    for name in choices:
        if name == value:
            return name
    names = list(choices)
    hint = did_you_mean(value, names) or f"choose one of: {', '.join(names)}"
    where = f" for {command}" if command else ""
    raise UsageError(f"unknown format '{value}'{where}", hint=hint)


def grade(evidence: Path, fmt: str, rules: Path | None, output: Path | None) -> None:
    """``peelcalc grade``: grade the evidence file, render it, print or write it."""
    from peelcalc.render import FORMATS, Style, render
    from peelcalc.workflow import grade_file

    chosen = choose_format(fmt, FORMATS)
    graded = grade_file(evidence, rules)
    for warning in graded.warnings:
        tell(f"peelcalc: warning: {warning}")
    color, width = style_for(output)
    text = render(graded.result, chosen, Style(color=color, width=width))
    # The ruleset actually used (shipped or --rules) is an input too: never overwrite it.
    emit(text, output, [evidence, Path(graded.result.ruleset.path), *graded.earlier])
