"""What a path names, asked once and without ever raising.

:meth:`pathlib.Path.exists`, ``is_file`` and ``is_dir`` return ``False`` for a
missing path but raise for other failures, such as a name longer than the file
system allows or a folder that may not be searched. Every command looks at the
paths a user gives before reading them, so they ask here instead, and say why a
path cannot be used rather than stopping with a traceback.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Literal

import attrs

from peelcalc.frozen import Value

Kind = Literal["file", "folder", "missing", "other", "unusable"]


@attrs.frozen(repr=False, eq=False)
class PathState(Value):
    """What a path names."""

    kind: Kind
    """``file`` or ``folder``; ``missing`` when nothing is there (or a part of the path
    is a file); ``other`` for anything else that exists (a device, a socket);
    ``unusable`` when the system refuses to look (see :attr:`reason`)."""
    reason: str = ""
    """Why the path is ``unusable``, in the system's words ("File name too long")."""


def state_of(path: Path) -> PathState:
    """Look at ``path`` (following links); never raises."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return PathState("missing")
        return PathState("unusable", error.strerror or str(error))
    except ValueError:  # a name with a NUL byte
        return PathState("unusable", "the name holds a NUL character")
    if stat.S_ISREG(mode):
        return PathState("file")
    if stat.S_ISDIR(mode):
        return PathState("folder")
    return PathState("other")


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name the same existing file; ``False`` when either cannot be looked at."""
    try:
        return one.exists() and other.exists() and one.resolve() == other.resolve()
    except (OSError, ValueError):
        return False
