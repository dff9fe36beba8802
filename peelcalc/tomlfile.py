"""Reading TOML files so that every problem can point at a file, key path and line.

:mod:`tomli` (the parser that became :mod:`tomllib`, in compiled form) parses but
forgets where things were. :func:`read_toml` keeps the text too, and :class:`Table`
wraps each parsed table with its key path, so a validation error can name the line the
user must edit (see :mod:`peelcalc.toml_lines`); a key that cannot be placed is
reported at its nearest parent's line.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

import attrs
import tomli

from peelcalc.errors import (
    InputError,
    Location,
    Problems,
    TomlSyntaxError,
    UnreadableError,
    did_you_mean,
)
from peelcalc.frozen import Value
from peelcalc.keypath import join_path
from peelcalc.paths import state_of

# Compiled by re on first use (a syntax error), not on every start.
_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"


@functools.lru_cache(maxsize=8)
def _line_index(raw: bytes) -> dict[str, int]:
    """The key path → line index of a file's bytes; kept while several problems are located."""
    from peelcalc.toml_lines import index_lines

    return index_lines(raw.decode("utf-8").removeprefix("\ufeff"))


@attrs.frozen(repr=False, eq=False)
class Document(Value):
    """A parsed TOML file with the means to locate its keys."""

    file: str
    """The file as the user named it."""
    data: Mapping[str, Any]
    """What :mod:`tomli` parsed."""
    raw: bytes = attrs.field(repr=False)
    """The file's bytes, for content hashes and for locating keys."""

    def line_of(self, key_path: str) -> int | None:
        """The line of ``key_path`` or of its nearest parent that has one.

        The line index is built only here, when a problem is reported, so that
        files without problems load without the cost of scanning them twice.
        """
        lines = _line_index(self.raw)
        path = key_path
        while path:
            if path in lines:
                return lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def locate(self, key_path: str) -> Location:
        return Location(self.file, key_path, self.line_of(key_path))

    def root(self, problems: Problems | None = None) -> Table:
        """The top-level table; ``problems`` collects what need not stop loading."""
        return Table(self, self.data, "", problems)


MAX_BYTES = 64 * 2**20
"""The most peelcalc reads of one file: far above any real one, and it stops a read
of an endless device or pipe (``peelcalc grade /dev/zero``) from running forever."""


class _TooLarge(Exception):
    pass


def _read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or :class:`_TooLarge` beyond :data:`MAX_BYTES`."""
    with open(path, "rb") as stream:
        # A device or pipe reports size 0: read it up to the limit and one byte more.
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_BYTES:
            raise _TooLarge
        raw = stream.read() if size else stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _TooLarge
    return raw


def read_toml(path: Path, what: str) -> Document:
    """Read and parse ``path``; ``what`` names the kind of file for messages.

    Raises :class:`InputError` for a missing path, a directory, unreadable
    bytes, text that is not UTF-8, an empty file or a TOML syntax error.
    """
    name = str(path)
    # One system call when all is well (a batch reads thousands of files); the
    # checks run only when reading fails, to say why.
    try:
        raw = _read_bytes(path)
    except _TooLarge:
        raise UnreadableError(
            f"is larger than {MAX_BYTES // 2**20} MiB; expected {what}"
            " (such files are a few tens of KiB)",
            Location(name),
        ) from None
    except (OSError, ValueError) as error:
        state = state_of(path)
        if state.kind == "missing":
            raise UnreadableError(f"no such file; expected {what}", Location(name)) from None
        if state.kind == "folder":
            raise UnreadableError(
                f"is a folder; expected {what} (a .toml file)", Location(name)
            ) from None
        reason = state.reason or getattr(error, "strerror", None) or str(error)
        raise UnreadableError(f"cannot read: {reason}", Location(name)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise TomlSyntaxError(
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); expected {what}",
            Location(name, line=line, column=column),
            hint="save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TomlSyntaxError(f"is empty; expected {what}", Location(name))
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        found = re.search(_TOML_POSITION, message)
        at_line = int(found.group(1)) if found else None
        at_column = int(found.group(2)) if found else None
        reason = re.sub(_TOML_POSITION, "", message).strip()
        raise TomlSyntaxError(
            f"is not valid TOML: {reason}", Location(name, line=at_line, column=at_column)
        ) from None
    except RecursionError:
        # tomli reads nested arrays and tables recursively: some hundreds of levels
        # exhaust Python's stack. No peelcalc file nests more than a few levels.
        raise TomlSyntaxError(
            f"is nested too deeply to read (arrays or tables hundreds of levels inside one "
            f"another); expected {what}",
            Location(name),
        ) from None
    return Document(name, data, raw)


_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "a table",
    list: "an array",
}


def _type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


class Table:
    """A table of a :class:`Document`, with typed getters that fail clearly."""

    def __init__(
        self, doc: Document, data: Mapping[str, Any], path: str, problems: Problems | None = None
    ) -> None:
        self.doc = doc
        self.data = data
        self.path = path
        self.problems = problems
        """Where problems that need not stop loading go; ``None``: raise them."""

    def _child(self, data: Mapping[str, Any], path: str) -> Table:
        return Table(self.doc, data, path, self.problems)

    def key_path(self, key: str) -> str:
        return join_path(self.path, key)

    def fail(self, message: str, key: str | None = None, hint: str = "") -> NoReturn:
        """Raise an :class:`InputError` located at ``key`` (or this table)."""
        where = self.key_path(key) if key is not None else self.path
        raise InputError(message, self.doc.locate(where), hint)

    def check_keys(self, allowed: Collection[str]) -> None:
        """Reject keys this table may not have, suggesting the closest allowed one.

        An unknown key does not stop loading the rest of the table when problems
        are being collected, so each one is reported.
        """
        for key in self.data:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                hint = did_you_mean(key, allowed) or f"allowed keys here: {expected}"
                error = InputError(
                    f"unknown key '{key}'", self.doc.locate(self.key_path(key)), hint
                )
                if self.problems is None:
                    raise error
                self.problems.report(error)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        """The table's keys, in file order."""
        return iter(self.data)

    def _get(self, key: str, kinds: tuple[type, ...], expected: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                self.fail(f"missing required key '{key}' ({expected})", key)
            return None
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            self.fail(f"'{key}' must be {expected}, not {_type_name(value)}", key)
        if not isinstance(value, kinds):
            self.fail(f"'{key}' must be {expected}, not {_type_name(value)}", key)
        return value

    def text(self, key: str) -> str:
        """A required, non-empty string."""
        value: str = self._get(key, (str,), "a string", True)
        if not value.strip():
            self.fail(f"'{key}' must not be empty", key)
        return value

    def flag(self, key: str, default: bool) -> bool:
        """An optional ``true`` or ``false``."""
        value: bool | None = self._get(key, (bool,), "true or false", False)
        return default if value is None else value

    def opt_text(self, key: str) -> str | None:
        value: str | None = self._get(key, (str,), "a string", False)
        return value

    def integer(self, key: str) -> int | None:
        value: int | None = self._get(key, (int,), "a whole number", False)
        return value

    def number(self, key: str, required: bool = True) -> float | None:
        """A finite number (whole or decimal)."""
        value: int | float | None = self._get(key, (int, float), "a number", required)
        if value is None:
            return None
        if not math.isfinite(value):
            self.fail(f"'{key}' must be a finite number, not {value}", key)
        return float(value)

    def table(self, key: str, required: bool = True) -> Table | None:
        value = self._get(key, (dict,), "a table", required)
        return None if value is None else self._child(value, self.key_path(key))

    def tables(self, key: str, required: bool = False) -> list[Table]:
        """An array of tables (``[[key]]`` or ``key = [{...}]``); empty when absent."""
        value = self._get(key, (list,), "an array of tables", required)
        if value is None:
            return []
        out = []
        for index, item in enumerate(value):
            path = f"{self.key_path(key)}[{index}]"
            if not isinstance(item, dict):
                raise InputError(
                    f"each entry of '{key}' must be a table, not {_type_name(item)}",
                    self.doc.locate(path),
                )
            out.append(self._child(item, path))
        return out

    def subtables(self) -> Iterator[tuple[str, Table]]:
        """Each ``key = {table}`` of this table, in file order."""
        for key, value in self.data.items():
            if not isinstance(value, dict):
                self.fail(f"'{key}' must be a table, not {_type_name(value)}", key)
            yield key, self._child(value, self.key_path(key))

    def names(self, key: str) -> tuple[str, ...] | None:
        """A string or an array of strings, as a tuple; ``None`` when absent."""
        value = self._get(key, (str, list), "a string or an array of strings", False)
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        for item in items:
            if not isinstance(item, str):
                self.fail(f"'{key}' must be a string or an array of strings", key)
        return tuple(items)
