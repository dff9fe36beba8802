"""The base of peelcalc's frozen values: ``__repr__``, ``__eq__`` and ``__hash__`` written once.

attrs writes these methods for each class by generating their source and compiling
it, which is more than half the cost of making a class (about 0.2 ms of 0.35 ms), and
``peelcalc grade`` makes some 35 classes on every start. So peelcalc's value classes
are declared ``@attrs.frozen(repr=False, eq=False)`` and derive from :class:`Value`,
whose methods do what the generated ones would:

* ``repr``: ``Name(field=value, ...)`` over the fields shown in repr, in order, and
  ``...`` for an object already being shown further out (attrs' guard against cycles);
* ``==``: ``NotImplemented`` unless the other object is of the very same class, then
  ``a == a' and b == b' and ...`` over the fields compared (``eq=True``);
* ``hash``: of the class and those fields, so equal values hash alike.

attrs still writes ``__init__``, and everything else about the classes (slots,
frozenness, :func:`attrs.fields`, :func:`attrs.evolve`, pickling) is its own.
``tests/test_frozen.py`` checks each class against a twin whose methods attrs generated.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import attrs


class _Shape:
    """What the shared methods need to know of one class, worked out on first use."""

    __slots__ = ("compared", "hashed", "salt", "shown")

    def __init__(self, cls: type) -> None:
        fields = attrs.fields(cls)
        self.shown: tuple[tuple[str, Callable[[Any], str], bool], ...] = tuple(
            (a.name, repr if a.repr is True else a.repr, a.init) for a in fields if a.repr
        )
        """Name, how to show it, and whether ``__init__`` sets it (else it may be unset)."""
        self.compared: tuple[tuple[str, Callable[[Any], Any] | None], ...] = tuple(
            (a.name, a.eq_key) for a in fields if a.eq
        )
        """Name and key function of each field that ``==`` compares."""
        self.hashed: tuple[tuple[str, Callable[[Any], Any] | None], ...] = tuple(
            (a.name, a.eq_key) for a in fields if a.hash is True or (a.hash is None and a.eq)
        )
        """Name and key function of each field that the hash covers."""
        self.salt = hash(f"<peelcalc value {cls.__module__}.{cls.__qualname__}>")
        """Keeps equal field values of different classes from hashing alike."""


_SHAPES: dict[type, _Shape] = {}
_SHOWING = threading.local()
"""The ids of the values whose repr is being built on this thread (``showing``)."""


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _Shape(cls)
    return shape


class Value:
    """Base of a class made with ``@attrs.frozen(repr=False, eq=False)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        try:
            showing: set[int] = _SHOWING.showing
        except AttributeError:
            showing = _SHOWING.showing = set()
        if id(self) in showing:
            return "..."
        showing.add(id(self))
        try:
            parts = []
            for name, show, init in _shape(self.__class__).shown:
                value = getattr(self, name) if init else getattr(self, name, attrs.NOTHING)
                parts.append(f"{name}={show(value)}")
            cls_name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
            return f"{cls_name}({', '.join(parts)})"
        finally:
            showing.remove(id(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        # As attrs' ``a == a' and b == b' and ...``: the first false result, else the last.
        result: bool = True
        for name, key in _shape(self.__class__).compared:
            mine, theirs = getattr(self, name), getattr(other, name)
            result = key(mine) == key(theirs) if key is not None else mine == theirs
            if not result:
                return result
        return result

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        if result is NotImplemented:
            return NotImplemented
        return not result

    def __hash__(self) -> int:
        shape = _shape(self.__class__)
        values = (getattr(self, n) if k is None else k(getattr(self, n)) for n, k in shape.hashed)
        return hash((shape.salt, *values))
