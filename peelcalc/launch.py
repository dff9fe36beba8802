"""The ``peelcalc`` console script: the plain ``grade`` call directly, the rest through Typer.

``peelcalc grade FILE`` is what hooks, scripts and CI run again and again, and loading
the command-line framework (Typer) costs about a third of its start-up. So when the
arguments are of the one plain shape below, this module runs the ``grade`` action
itself; anything else at all (``--help``, another command, an option it does not know,
a missing or repeated value, ``--opt=value`` forms it cannot be sure of) goes to the
Typer app, which declares the commands and owns their help and usage errors.

The plain shape, after ``grade``, in any order::

    EVIDENCE                        one path, not starting with '-'
    --format VALUE | -f VALUE | --format=VALUE
    --rules VALUE | --rules=VALUE
    --output VALUE | -o VALUE | --output=VALUE

each option at most once, each value non-empty and not starting with '-'. Both paths
call :func:`peelcalc.actions.grade`; ``tests/test_launch.py`` checks, over generated
command lines, that they print, write and exit the same.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, NoReturn

#: The options of ``peelcalc grade`` and the parameter each one sets. It mirrors the
#: Typer declaration in :mod:`peelcalc.cli`; a test holds the two equal.
GRADE_OPTIONS: dict[str, str] = {
    "--format": "fmt",
    "-f": "fmt",
    "--rules": "rules",
    "--output": "output",
    "-o": "output",
}

#: Set in the environment, this asks the Typer app for shell completions instead.
COMPLETION_VARIABLE = "_PEELCALC_COMPLETE"


class GradeCall(NamedTuple):
    """The parameters of a plain ``peelcalc grade`` command line."""

    evidence: Path
    fmt: str = "table"
    rules: Path | None = None
    output: Path | None = None


def plain_grade(argv: list[str], environ: Mapping[str, str]) -> GradeCall | None:
    """The ``grade`` call ``argv`` makes, if it has the plain shape; otherwise None."""
    if not argv or argv[0] != "grade" or COMPLETION_VARIABLE in environ:
        return None
    values: dict[str, str] = {}
    evidence: str | None = None
    rest = iter(argv[1:])
    for token in rest:
        name, equals, attached = token.partition("=")
        if token.startswith("-") and name in GRADE_OPTIONS:
            if equals and not name.startswith("--"):
                return None  # '-f=json': click would read '=json' as the value
            value = attached if equals else next(rest, None)
            parameter = GRADE_OPTIONS[name]
            if value is None or not _plain(value) or parameter in values:
                return None
            values[parameter] = value
        elif _plain(token) and evidence is None:
            evidence = token
        else:
            return None
    if evidence is None:
        return None
    return GradeCall(
        Path(evidence),
        values.get("fmt", "table"),
        Path(values["rules"]) if "rules" in values else None,
        Path(values["output"]) if "output" in values else None,
    )


def _plain(token: str) -> bool:
    """A value the command-line parser would take as written: no leading '-', no odd bytes."""
    if not token or token.startswith("-"):
        return False
    try:
        token.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as surrogates
        return False
    return True


def run_grade(call: GradeCall) -> int:
    """Run a plain ``grade`` call as the Typer app would, and return its exit code."""
    from peelcalc.actions import exit_code_of, grade

    try:
        return exit_code_of(lambda: grade(*call))
    except KeyboardInterrupt:
        return 130  # what the Typer app does on Ctrl-C: no message, 128 + SIGINT


def main() -> None:
    """Entry point of the ``peelcalc`` console script and of ``python -m peelcalc``."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        # A reader that stops early ('peelcalc check | head') ends peelcalc as it ends
        # any Unix tool, quietly by the signal, rather than with a BrokenPipeError.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    _stand_in_for_closed_streams()
    argv = sys.argv[1:]
    call = plain_grade(argv, os.environ)
    if call is not None:
        import gc

        # One file graded and the process ends: Python's cyclic garbage collector would
        # only walk the objects that loading the libraries creates (some ms each run);
        # memory is freed by reference counting as usual, and all of it at exit.
        gc.disable()
        _end(run_grade(call))
    from peelcalc.cli import app_for

    try:
        app_for(argv)(prog_name="peelcalc")
    except OSError as error:
        # The commands report their own failed writes; this is help or version text
        # that could not be written (stdout closed, or a full disk), which Typer re-raises.
        from peelcalc.actions import tell
        from peelcalc.errors import EXIT_INPUT

        tell(f"peelcalc: error: {error.strerror or error}")
        sys.exit(EXIT_INPUT)


class _ClosedStream(io.TextIOBase):
    """Stands in for stdout or stderr when peelcalc was started without it (``>&-``).

    Python leaves such a stream as None, and the first write would fail with a
    traceback. Writing to a missing stdout is an error, reported as any failed write
    is (exit 2, "standard output is closed"); what is written to a missing stderr is
    dropped, since the user chose not to see it.
    """

    encoding = "utf-8"

    def __init__(self, name: str, fail: bool) -> None:
        super().__init__()
        self._name = name
        self._fail = fail

    def write(self, text: str) -> int:
        if self._fail:
            raise OSError(errno.EBADF, f"{self._name} is closed")
        return len(text)

    def isatty(self) -> bool:
        return False


def _stand_in_for_closed_streams() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedStream("standard output", fail=True)
    if sys.stderr is None:
        sys.stderr = _ClosedStream("standard error", fail=False)


def _end(code: int) -> NoReturn:
    """Exit with ``code`` as soon as everything written has reached its file or pipe.

    Tearing down the interpreter (every module and object, one by one) takes about as
    long as drawing the tables. By now a plain ``grade`` holds no file open (``--output``
    is written and closed, atomically) and nothing is left for exit handlers but the
    engine's cache of compiled rulesets in memory; ``tests/test_launch.py`` checks that. So
    once stdout and stderr are flushed, the process ends at once. Should a flush fail,
    the usual exit runs instead, to report it as Python does.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
