"""Writing output files atomically, never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from peelcalc.errors import Location, UsageError


def write_atomic(text: str, target: Path, inputs: Iterable[Path]) -> None:
    """Write ``text`` to ``target`` through a temporary file and a rename.

    Refuses to write over any of ``inputs`` or over a folder, so that a slip of
    the keyboard never loses an evidence or rule file; a failed write leaves the
    old ``target`` as it was.
    """
    where = Location(str(target))
    resolved = target.resolve()
    for path in inputs:
        if path.exists() and resolved == path.resolve():
            raise UsageError(
                "refusing to write over an input file", where, "choose another --output"
            )
    if target.is_dir():
        raise UsageError("is a folder; --output needs a file name", where)
    parent = resolved.parent
    if not parent.is_dir():
        raise UsageError(f"folder {parent} does not exist", where)
    handle, temp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, resolved)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise UsageError(f"cannot write: {error.strerror}", where) from None
