"""Where each key of a TOML document stands: key path → 1-based line.

:mod:`tomli` forgets positions, so this small scanner walks the text once more,
only when a problem is reported. It follows TOML's lexical rules (the four kinds
of string with their escapes, comments, arrays and inline tables spanning lines,
quoted and dotted keys) but does not validate: the text has already parsed. On text
that did not parse it still ends, stepping over what it cannot read.
Array entries are numbered from 0, as in ``areas.q1.findings[2].kind``.
"""

from __future__ import annotations

import tomli

from peelcalc.keypath import join_path

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[str, int] = {}

    # -- characters

    def peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces and tabs, and with ``newlines`` also line breaks and comments."""
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif newlines and char == "#":
                self.skip_comment()
            else:
                return

    def skip_comment(self) -> None:
        while self.pos < len(self.text) and self.peek() != "\n":
            self.advance()

    def record(self, path: str, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- keys and strings

    def string(self) -> str:
        """Read a string at the cursor (any of the four kinds) and return its raw text."""
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.advance(3)
            start = self.pos
            while self.pos < len(self.text):
                if quote == '"' and self.peek() == "\\":
                    self.advance(2)
                elif self.text.startswith(quote * 3, self.pos):
                    # A closing delimiter may be followed by one or two more quotes.
                    while self.peek(3) == quote:
                        self.advance()
                    value = self.text[start : self.pos]
                    self.advance(3)
                    return value
                else:
                    self.advance()
            return self.text[start:]
        self.advance()
        start = self.pos
        while self.pos < len(self.text) and self.peek() not in (quote, "\n"):
            self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
        value = self.text[start : self.pos]
        self.advance()
        return value

    def key(self) -> list[str]:
        """Read a dotted key such as ``a."b.c".d``."""
        parts = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in ('"', "'"):
                quote = self.peek()
                raw = self.string()
                parts.append(_unescape(raw) if quote == '"' and "\\" in raw else raw)
            else:
                start = self.pos
                while self.peek() and self.peek() in _BARE:
                    self.advance()
                if self.pos == start:
                    return parts
                parts.append(self.text[start : self.pos])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    # -- values

    def value(self, path: str) -> None:
        """Skip one value, recording the lines of the entries and keys inside it."""
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("]", ""):
                    self.advance()
                    return
                before = self.pos
                entry = f"{path}[{index}]"
                self.record(entry, self.line)
                self.value(entry)
                index += 1
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                elif self.pos == before:
                    self.advance()  # not a value (text that did not parse): step over it
        elif char == "{":
            # TOML 1.1 (tomli 2.4 and later) lets an inline table span lines, hold
            # comments and end with a comma; TOML 1.0 text never has them there.
            self.advance()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() in ("}", ""):
                    self.advance()
                    return
                self.key_value(path)
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                elif self.peek() not in ("}", ""):
                    return
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.advance()

    def key_value(self, table: str) -> None:
        line = self.line
        path = table
        parts = self.key()
        for part in parts:
            path = join_path(path, part)
        self.skip_blank(newlines=False)
        if self.peek() != "=":
            return
        # A dotted key also places the tables it creates: ``q1.grade = ...`` places ``q1``.
        prefix = table
        for part in parts[:-1]:
            prefix = join_path(prefix, part)
            self.record(prefix, line)
        self.advance()
        self.skip_blank(newlines=False)
        self.record(path, line)
        self.value(path)

    # -- the document

    def run(self) -> dict[str, int]:
        arrays: dict[str, int] = {}
        table = ""

        def resolve(parts: list[str]) -> str:
            path = ""
            for part in parts:
                path = join_path(path, part)
                if path in arrays:
                    path = f"{path}[{arrays[path]}]"
            return path

        while self.pos < len(self.text):
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                break
            line = self.line
            if self.peek() == "[":
                double = self.peek(1) == "["
                self.advance(2 if double else 1)
                parts = self.key()
                self.advance(2 if double else 1)
                if not parts:
                    continue
                # A header also places the tables it creates implicitly, such as
                # ``areas.q1`` for ``[[areas.q1.findings]]``, unless they stand earlier.
                for end in range(1, len(parts)):
                    self.record(resolve(parts[:end]), line)
                if double:
                    full = join_path(resolve(parts[:-1]), parts[-1])
                    arrays[full] = arrays.get(full, -1) + 1
                    self.record(full, line)
                    table = f"{full}[{arrays[full]}]"
                else:
                    table = resolve(parts)
                self.record(table, line)
            else:
                before = self.pos
                self.key_value(table)
                if self.pos == before:
                    self.advance()  # not a key: step over it rather than stall
            # Whatever is left on the line is a comment or blank.
            while self.pos < len(self.text) and self.peek() != "\n":
                if self.peek() == "#":
                    self.skip_comment()
                else:
                    self.advance()
        return self.lines


def _unescape(raw: str) -> str:
    """The key a basic string with escapes stands for (``"pr\\u00e9"`` is ``pré``)."""
    try:
        value = tomli.loads(f'k = "{raw}"')["k"]
    except tomli.TOMLDecodeError:
        return raw
    return value if isinstance(value, str) else raw


def index_lines(text: str) -> dict[str, int]:
    """Map each table, array entry and key of ``text`` to the line where it starts."""
    try:
        return _Scanner(text).run()
    except (IndexError, ValueError, RecursionError):
        # Locating is a courtesy to an error message: never let it replace the message.
        return {}
