"""Writing output: files atomically and never over an input; stdout in any encoding."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from peelcalc.errors import Location, UsageError
from peelcalc.paths import same_file, state_of


def write_stdout(text: str) -> None:
    """Write to stdout, replacing what its encoding cannot show rather than failing."""
    encoding = sys.stdout.encoding or "utf-8"
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode(encoding, errors="replace"))
    sys.stdout.flush()


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; give a new one the usual mode under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(text: str, target: Path, inputs: Iterable[Path]) -> None:
    """Write ``text`` (UTF-8) to ``target`` through a temporary file and a rename.

    Refuses to write over any of ``inputs`` or over a folder, so that a slip of
    the keyboard never loses an evidence or rule file; a failed write leaves the
    old ``target`` as it was.
    """
    where = Location(str(target))
    for path in inputs:
        if same_file(target, path):
            raise UsageError(
                f"refusing to write over an input file ({path})", where, "choose another --output"
            )
    state = state_of(target)
    if state.kind == "folder":
        raise UsageError("is a folder; --output needs a file name", where)
    if state.kind == "unusable":
        raise UsageError(f"cannot write: {state.reason}", where)
    parent = target.absolute().parent
    above = state_of(parent)
    if above.kind == "unusable":
        raise UsageError(f"cannot write: {above.reason}", where)
    if above.kind not in ("folder", "missing"):
        raise UsageError(f"{parent} is a file, not a folder", where)
    if above.kind == "missing":
        raise UsageError(f"folder {parent} does not exist", where)
    if state.kind == "other":
        # A device or a named pipe (--output /dev/null): write into it. A temporary
        # file renamed over it would replace the device itself with a plain file.
        _write_into(text, target, where)
        return
    # Imported here: only --output needs it, and with random and shutil it costs every
    # start of the printing commands a few milliseconds.
    import tempfile

    resolved = target.resolve()
    parent = resolved.parent
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
        # errors="replace": a file name that is not UTF-8 (a stray byte Python keeps as a
        # surrogate) may appear in the text; the file is written as UTF-8 all the same.
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode_for(resolved))
        os.replace(temp, resolved)
    except OSError as error:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise UsageError(f"cannot write: {error.strerror}", where) from None


def _write_into(text: str, target: Path, where: Location) -> None:
    try:
        with open(target, "w", encoding="utf-8", errors="replace", newline="") as stream:
            stream.write(text)
    except OSError as error:
        raise UsageError(f"cannot write: {error.strerror}", where) from None
