"""The shared methods of peelcalc's value classes (peelcalc.frozen) do what attrs' would.

Each value class is compared with a twin: a class of the same name and fields, whose
``__repr__``, ``__eq__`` and ``__hash__`` attrs generated. A value and its twin hold
the very same field values, so values nested inside are compared by their own
class's methods, each of which this test checks in turn.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelcalc
from peelcalc.frozen import Value
from tests.strategies import any_value


def _value_classes() -> list[type[Value]]:
    found: set[type[Value]] = set()
    for module in pkgutil.walk_packages(peelcalc.__path__, "peelcalc."):
        if module.name != "peelcalc.__main__":
            for thing in vars(importlib.import_module(module.name)).values():
                if isinstance(thing, type) and issubclass(thing, Value) and thing is not Value:
                    found.add(thing)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


CLASSES = _value_classes()
each_class = pytest.mark.parametrize("cls", CLASSES, ids=[cls.__qualname__ for cls in CLASSES])


def _twin_class(cls: type) -> type:
    """``cls``'s fields, with the flags that decide repr, eq and hash, in a class of
    the same name whose methods attrs generates."""
    fields = {
        field.name: attrs.field(
            init=field.init,
            repr=field.repr,
            eq=field.eq_key if field.eq_key is not None else field.eq,
            hash=field.hash,
        )
        for field in attrs.fields(cls)
    }
    return attrs.make_class(cls.__name__, fields, frozen=True, slots=True)


TWINS = {cls: _twin_class(cls) for cls in CLASSES}


def _twin(value: Any) -> Any:
    twin = object.__new__(TWINS[type(value)])
    for field in attrs.fields(type(value)):
        object.__setattr__(twin, field.name, getattr(value, field.name))
    return twin


def _hash_or_error(value: object) -> int | type[Exception]:
    try:
        return hash(value)
    except TypeError:
        return TypeError


@st.composite
def _pairs(draw: st.DrawFn, cls: type) -> tuple[Any, Any]:
    """Two values of ``cls``: the second often shares some or all of the first's fields."""
    first = draw(any_value(cls))
    other = draw(any_value(cls))
    keep = draw(st.sets(st.sampled_from([f.name for f in attrs.fields(cls)])))
    second = object.__new__(cls)
    for field in attrs.fields(cls):
        source = first if field.name in keep else other
        object.__setattr__(second, field.name, getattr(source, field.name))
    return first, second


def test_every_value_class_is_frozen_and_made_by_attrs_without_its_own_repr_eq_or_hash() -> None:
    assert len(CLASSES) >= 25  # the model's classes and the loading layer's
    for cls in CLASSES:
        assert attrs.has(cls), cls
        own = {"__repr__", "__eq__", "__ne__", "__hash__"} & set(vars(cls))
        assert not own, f"{cls.__qualname__} overrides {own}: declare it repr=False, eq=False"
        # The shared hash is sound only for values that cannot change.
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(object.__new__(cls), attrs.fields(cls)[0].name, None)


@each_class
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_repr_equality_and_hash_are_the_ones_attrs_would_generate(
    cls: type, data: st.DataObject
) -> None:
    first, second = data.draw(_pairs(cls))
    twins = _twin(first), _twin(second)
    assert repr(first) == repr(twins[0])
    assert repr(second) == repr(twins[1])
    assert (first == second) == (twins[0] == twins[1])
    assert (first != second) == (twins[0] != twins[1])
    assert first.__eq__(object()) is NotImplemented
    assert first.__eq__(twins[0]) is NotImplemented  # another class, however alike
    # Hashable exactly when the twin is, and equal values hash alike.
    hashes = _hash_or_error(first), _hash_or_error(second)
    twin_hashes = _hash_or_error(twins[0]), _hash_or_error(twins[1])
    assert (hashes[0] is TypeError) == (twin_hashes[0] is TypeError)
    if first == second and hashes[0] is not TypeError:
        assert hashes[0] == hashes[1]


def test_a_value_shown_inside_itself_is_shown_as_three_dots() -> None:
    from peelcalc.tomlfile import Document

    data: dict[str, Any] = {}
    doc = Document("f.toml", data, b"")
    data["self"] = doc
    assert repr(doc) == "Document(file='f.toml', data={'self': ...})"
