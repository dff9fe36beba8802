"""The one error hierarchy of peelcalc, and the exit codes it maps to.

Every error a user can cause carries where it happened (file, key path, line)
and, where it helps, a "did you mean". :mod:`peelcalc.cli` is the one place that
turns these into messages and exit codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

import attrs

from peelcalc.frozen import Value

#: Exit codes, documented in the README.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_INPUT = 2


@attrs.frozen(repr=False, eq=False)
class Location(Value):
    """Where in an input file a problem is."""

    file: str
    """The file as the user named it."""
    key_path: str = ""
    """Dotted TOML key path, such as ``areas.q1-tactics.findings[2].kind``."""
    line: int | None = None
    """1-based line number where the key (or its nearest parent) stands."""
    column: int | None = None
    """1-based column, when the parser reports one."""

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.key_path:
            place += f" ({self.key_path})"
        return place


class PeelcalcError(Exception):
    """An error the user can act on; never shown with a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(PeelcalcError):
    """A file could not be read, parsed or validated."""


class UnreadableError(InputError):
    """A path that is missing, a folder, or cannot be read."""


class TomlSyntaxError(InputError):
    """A file that is not TOML: not UTF-8 text, empty, or a TOML syntax error."""


class IntegrityError(InputError):
    """An id defined twice, or a reference to a grade, kind, scheme or node not defined."""


class UsageError(PeelcalcError):
    """The command line asks for something that cannot be done."""


class NoRuleError(PeelcalcError):
    """A scheme without a default has no rule for the grades and findings at a node.

    The rule file is incomplete for this input (``peelcalc check`` finds such gaps
    before grading), so it is reported like any other bad input, with exit code 2.
    """


# A pattern, not a compiled expression: re compiles it on first use (and keeps it),
# so that a start that shows no message does not pay for compiling it.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"


def printable(text: str) -> str:
    """``text`` with control characters (all but line breaks and tabs) written as escapes.

    Names in messages come from files; written raw, an escape sequence in a key
    could clear or recolour the user's terminal, or hide the rest of the message.
    """
    return re.sub(_CONTROL, lambda found: found.group().encode("unicode_escape").decode(), text)


T = TypeVar("T")
P = ParamSpec("P")


class Problems:
    """Where loading reports the problems of independent items of a file.

    ``peelcalc grade`` must stop at the first problem: with ``keep_going`` false,
    :meth:`report` raises it. ``peelcalc check`` reports every problem: with
    ``keep_going`` true, each is kept in :attr:`found` and loading goes on with
    the next item (a grade, a finding kind, a rule, a node...).
    """

    def __init__(self, keep_going: bool = False) -> None:
        self.keep_going = keep_going
        self.found: list[InputError] = []
        """The problems reported so far, in the order found."""

    def report(self, error: InputError) -> None:
        if not self.keep_going:
            raise error
        self.found.append(error)

    def attempt(self, action: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """Load one independent item with ``action``; on an :class:`InputError`, report it."""
        try:
            return action(*args, **kwargs)
        except InputError as error:
            self.report(error)
            return None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``did you mean 'x'?`` for the closest choice, or an empty string."""
    # Imported here: only a mistake needs it, and it costs every start a millisecond.
    import difflib

    options = list(choices)
    same = [choice for choice in options if choice.casefold() == word.casefold()]
    close = same or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
