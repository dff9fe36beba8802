"""Hypothesis strategies for peelcalc's domain, in one place."""

from __future__ import annotations

import collections.abc
import functools
import itertools
import re
import sys
import types
import typing
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
from hypothesis import strategies as st

from peelcalc.engine import grade
from peelcalc.model import (
    AreaEvidence,
    Award,
    Bounds,
    Carried,
    ChildTerm,
    EarlierFile,
    Evidence,
    Finding,
    FindingKind,
    FindingTerm,
    Grade,
    GradeScale,
    Limiter,
    Node,
    Relation,
    Result,
    Rule,
    Ruleset,
    Scheme,
    Term,
)

# Text as users write it, including characters that mean something to rich or
# to Markdown and CSV: "[", "]", "|", quotes, commas and line breaks.
_free_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)) | st.sampled_from("[]/|,\"'\n"),
    min_size=1,
    max_size=30,
).filter(str.strip)


def findings(ruleset: Ruleset, max_size: int = 6) -> st.SearchStrategy[tuple[Finding, ...]]:
    finding = st.builds(
        Finding,
        kind=st.sampled_from(ruleset.kind_ids),
        text=_free_text,
        citation=st.sampled_from(["Summary of findings", "Annex A", "Areas for improvement"]),
    )
    return st.lists(finding, max_size=max_size).map(tuple)


def evidence(ruleset: Ruleset, awards: bool = True) -> st.SearchStrategy[Evidence]:
    """Any structurally valid evidence for ``ruleset``: some areas, findings, awards
    (only at graded nodes)."""
    area_ids = [n.id for n in ruleset.root.walk() if not n.children]
    areas = st.dictionaries(
        st.sampled_from(area_ids), findings(ruleset).map(lambda f: AreaEvidence(f, ()))
    )
    award = st.builds(Award, grade=st.sampled_from(ruleset.scale.ids), rationale=_free_text)
    award_map = (
        st.dictionaries(
            st.sampled_from([n.id for n in ruleset.root.walk() if n.graded]), award, max_size=3
        )
        if awards
        else st.just({})
    )
    return st.builds(
        Evidence,
        force=_free_text,
        period=_free_text,
        ruleset_id=st.just(ruleset.id),
        ruleset_version=st.just(ruleset.version),
        source=st.none(),
        areas=areas,
        awards=award_map,
        path=st.just("generated.toml"),
    )


# A label that ends in a zero-width joiner or a variation selector, as text pasted from
# an emoji picker may: rich measures such a character with its neighbour, so where one
# styled run of text ends and the next begins can change a line's width.
_joined_text = st.tuples(_free_text, st.sampled_from(["\u200d", "\ufe0f", "\u2764\ufe0f"])).map(
    "".join
)


@st.composite
def graded_files(draw: st.DrawFn, rulesets: list[Ruleset]) -> Result:
    """A graded file of one of ``rulesets``, its grades relabelled with any text (so that
    a table's Grade column is narrow, wide or too wide), sometimes with a node carried
    from an earlier file of any period."""
    rs = draw(st.sampled_from(rulesets))
    grades = tuple(
        attrs.evolve(g, label=draw(st.one_of(st.just(g.label), _free_text, _joined_text)))
        for g in rs.scale.grades
    )
    rs = attrs.evolve(rs, scale=GradeScale(grades))
    ev = draw(evidence(rs))
    earlier = grade(rs, draw(evidence(rs)))
    carriable = [r.node.id for r in earlier.root.walk() if r.node.graded and r.grade is not None]
    if carriable and draw(st.booleans()):
        node_id = draw(st.sampled_from(carriable))
        source = EarlierFile("earlier.toml", "F", draw(_free_text))
        ev = attrs.evolve(ev, carried={node_id: Carried(source, earlier.find(node_id))})
    return grade(rs, ev)


def evidence_toml(ev: Evidence) -> dict[str, Any]:
    """The evidence as the TOML document a user would write."""
    doc: dict[str, Any] = {
        "force": ev.force,
        "period": ev.period,
        "ruleset": {"id": ev.ruleset_id, "version": ev.ruleset_version},
        "areas": {
            area: {
                "findings": [
                    {"kind": f.kind, "text": f.text, "citation": f.citation} for f in a.findings
                ]
            }
            for area, a in ev.areas.items()
        },
    }
    if ev.awards:
        doc["awarded"] = {
            node: {"grade": a.grade, "rationale": a.rationale} for node, a in ev.awards.items()
        }
    return doc


@st.composite
def later_year(draw: st.DrawFn, ruleset: Ruleset, earlier: Evidence) -> Evidence:
    """Evidence for a later year: findings of its own, beside some of ``earlier``'s findings
    kept with their text in capitals (as a transcriber might retype them)."""
    fresh = draw(evidence(ruleset, awards=False))
    areas = dict(fresh.areas)
    for area, found in earlier.areas.items():
        kept = tuple(
            attrs.evolve(f, text=f.text.upper()) for f in found.findings if draw(st.booleans())
        )
        before = areas.get(area, AreaEvidence())
        areas[area] = attrs.evolve(before, findings=before.findings + kept)
    return attrs.evolve(fresh, areas=areas)


# --------------------------------------------------------------------------- rule tables
# Small random schemes for checking verification against brute force.

SMALL_SCALE = GradeScale(tuple(Grade(g, g.title(), "", "") for g in ("top", "mid", "low")))
SMALL_KINDS = (
    FindingKind("plus", "Plus", "positive", "", ""),
    FindingKind("minus", "Minus", "negative", "", ""),
)
_RELATIONS: tuple[Relation, ...] = ("at", "at_least", "at_most", "above", "below")


@st.composite
def _bounds(draw: st.DrawFn, shares: bool) -> Bounds:
    low = draw(st.none() | st.integers(0, 3))
    high = draw(st.none() | st.integers(low or 0, 3))
    min_share = max_share = None
    if shares and draw(st.booleans()):
        min_share = draw(st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)]))
    if shares and draw(st.booleans()):
        max_share = draw(st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(1, 2)]))
        if min_share is not None and min_share > max_share:
            min_share, max_share = max_share, min_share
    if low is None and high is None and min_share is None and max_share is None:
        low = 1
    return Bounds(low, high, min_share, max_share)


def _child_term(scale: GradeScale) -> st.SearchStrategy[Term]:
    return st.builds(
        ChildTerm,
        relation=st.sampled_from(_RELATIONS),
        grade=st.sampled_from(scale.ids),
        bounds=_bounds(shares=True),
    )


def _finding_term(kinds: tuple[FindingKind, ...]) -> st.SearchStrategy[Term]:
    names = st.lists(st.sampled_from([k.id for k in kinds]), min_size=1, max_size=2, unique=True)
    counts = st.builds(FindingTerm, kinds=names.map(tuple), bounds=_bounds(shares=False))
    # A share of findings: of the findings of every kind (which include the kinds counted).
    every = tuple(k.id for k in kinds)
    shares = st.builds(FindingTerm, kinds=names.map(tuple), bounds=_bounds(shares=True)).map(
        lambda t: (
            FindingTerm(t.kinds, t.bounds, every)
            if t.bounds.min_share is not None or t.bounds.max_share is not None
            else t
        )
    )
    return counts | shares


@st.composite
def rule_tables(draw: st.DrawFn, children: bool = True) -> Scheme:
    """A scheme of one to four rules, up to two limiters and maybe a default, over
    :data:`SMALL_SCALE` and :data:`SMALL_KINDS`; with ``children`` false, findings only."""
    term = _finding_term(SMALL_KINDS)
    if children:
        term = _child_term(SMALL_SCALE) | term
    terms = st.lists(term, min_size=1, max_size=2).map(tuple)
    grade = st.sampled_from(SMALL_SCALE.ids)
    count = draw(st.integers(1, 4))
    rules = tuple(Rule(f"r{i}", f"rule {i}", draw(grade), draw(terms), "") for i in range(count))
    limiters = tuple(
        Limiter(f"l{i}", f"limiter {i}", draw(grade), draw(terms), "")
        for i in range(draw(st.integers(0, 2)))
    )
    default = draw(st.none() | grade.map(lambda g: Rule("d", "default", g, (), "")))
    return Scheme("s", "S", "", rules, limiters, default)


# --------------------------------------------------------------------------- small random rulesets
# Small trees with random schemes, for properties checked by brute force: the small
# scale, one positive and two negative kinds, and any rules the grammar allows.

TREE_KINDS = (
    FindingKind("s", "Strength", "positive", "", ""),
    FindingKind("w", "Weakness", "negative", "", ""),
    FindingKind("c", "Concern", "negative", "", ""),
)


@st.composite
def _tree_bounds(draw: st.DrawFn, shares: bool) -> Bounds:
    choice = draw(
        st.sampled_from(["min", "max", "min_share", "max_share"] if shares else ["min", "max"])
    )
    if choice == "min":
        return Bounds(min=draw(st.integers(1, 2)))
    if choice == "max":
        return Bounds(max=draw(st.integers(0, 1)))
    share = Fraction(draw(st.integers(1, 3)), draw(st.integers(3, 5)))
    return Bounds(min_share=share) if choice == "min_share" else Bounds(max_share=share)


@st.composite
def _tree_term(draw: st.DrawFn, children: bool) -> Term:
    if children and draw(st.booleans()):
        relation = draw(st.sampled_from(_RELATIONS))
        return ChildTerm(relation, draw(st.sampled_from(SMALL_SCALE.ids)), draw(_tree_bounds(True)))
    kinds = draw(st.lists(st.sampled_from(["s", "w", "c"]), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 4)) == 0:  # now and then a share of all the findings
        return FindingTerm(tuple(kinds), draw(_tree_bounds(True).filter(_shared)), ("s", "w", "c"))
    return FindingTerm(tuple(kinds), draw(_tree_bounds(False)))


def _shared(bounds: Bounds) -> bool:
    return bounds.min_share is not None or bounds.max_share is not None


@st.composite
def _tree_scheme(draw: st.DrawFn, scheme_id: str, children: bool) -> Scheme:
    grades = st.sampled_from(SMALL_SCALE.ids)
    terms = st.lists(_tree_term(children), min_size=1, max_size=2).map(tuple)
    # Rules for different grades, so that most grades can be reached somehow.
    rule_grades = draw(st.permutations(SMALL_SCALE.ids))[: draw(st.integers(1, 3))]
    rules = tuple(
        Rule(f"{scheme_id}.r{i}", f"rule {i}", g, draw(terms), "")
        for i, g in enumerate(rule_grades)
    )
    limiters = tuple(
        Limiter(f"{scheme_id}.cap{i}", f"cap {i}", draw(grades), draw(terms), "")
        for i in range(draw(st.integers(0, 1)))
    )
    default = Rule(f"{scheme_id}.default", "otherwise", draw(grades), (), "")
    return Scheme(scheme_id, scheme_id, "", rules, limiters, default)


@st.composite
def small_rulesets(draw: st.DrawFn) -> Ruleset:
    """A ruleset of at most three areas under at most two questions, with random schemes."""
    count = itertools.count(1)
    questions = []
    for q in range(draw(st.integers(1, 2))):
        if draw(st.integers(0, 3)) > 0:
            areas = tuple(
                Node(f"a{next(count)}", "Area", "area", "area", "")
                for _ in range(draw(st.integers(1, 2)))
            )
            questions.append(Node(f"q{q + 1}", "Question", "question", "question", "", areas))
        else:
            questions.append(Node(f"a{next(count)}", "Area", "area", "area", ""))
    root = Node("overall", "Overall", "overall", "overall", "", tuple(questions))
    schemes = {
        "area": draw(_tree_scheme("area", False)),
        "question": draw(_tree_scheme("question", True)),
        "overall": draw(_tree_scheme("overall", True)),
    }
    return Ruleset(
        id="small",
        version="1",
        title="Small",
        source="",
        scale=SMALL_SCALE,
        kinds=TREE_KINDS,
        schemes=schemes,
        root=root,
        content_hash="sha256:0",
        path="small.toml",
    )


@st.composite
def small_evidence(draw: st.DrawFn, ruleset: Ruleset, awards: bool = True) -> Evidence:
    """Evidence for a small ruleset: up to two findings of each kind per area, maybe an
    award; about a third of the areas have no findings."""
    areas = {}
    for node in ruleset.root.walk():
        if not node.children:
            if draw(st.integers(0, 2)) == 0:
                continue  # not assessed, unless awarded
            kinds = [k for k in ("s", "w", "c") for _ in range(draw(st.integers(0, 2)))]
            areas[node.id] = AreaEvidence(tuple(Finding(k, f"{k} finding", "c") for k in kinds))
    award_map = {}
    if awards and draw(st.booleans()):
        node_id = draw(st.sampled_from(ruleset.node_ids[1:] or ruleset.node_ids))
        award_map[node_id] = Award(draw(st.sampled_from(SMALL_SCALE.ids)), "awarded")
    return Evidence("F", "P", ruleset.id, ruleset.version, None, areas, award_map, "small.toml")


# --------------------------------------------------------------------------- mutated files

#: ``key = value`` with a simple value, bare or in an inline table.
_KEY_VALUE = re.compile(
    r'(?P<key>[A-Za-z_][\w-]*)\s*=\s*(?P<value>"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)'
)
#: A table header's last key: ``[areas.q1-x]`` or ``[[schemes.area.rules]]``.
_HEADER = re.compile(r"^\s*\[\[?(?:[\w.-]+\.)?(?P<key>[\w-]+)\]\]?")
#: Values of every TOML type but the one usually found, to put where another stood.
_OTHER_VALUES = ('"text"', '""', "1", "-1", "0.5", "true", "[]", "{}", '["a", 2]', '"1/0"')


@st.composite
def mutated_toml(draw: st.DrawFn, text: str) -> str:
    """``text`` with one line deleted or duplicated, one value of another type, or one
    key renamed, the mistakes hand-edited TOML files are made of."""
    lines = text.splitlines(keepends=True)
    live = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    index = draw(st.sampled_from(live))
    line = lines[index]
    how = draw(st.sampled_from(("delete", "duplicate", "retype", "rename")))
    pairs = list(_KEY_VALUE.finditer(line))
    header = _HEADER.match(line)
    if how == "retype" and pairs:
        found = draw(st.sampled_from(pairs))
        value = draw(st.sampled_from(_OTHER_VALUES))
        line = line[: found.start("value")] + value + line[found.end("value") :]
    elif how == "rename" and (pairs or header):
        spans = [(m.start("key"), m.end("key")) for m in pairs]
        if header:
            spans.append((header.start("key"), header.end("key")))
        start, end = draw(st.sampled_from(spans))
        key = line[start:end]
        renamed = draw(st.sampled_from((key + "x", key[:-1] or "k", key.upper(), "unknown")))
        line = line[:start] + renamed + line[end:]
    elif how == "duplicate":
        line = line + line
    else:
        line = ""
    return "".join(lines[:index]) + line + "".join(lines[index + 1 :])


# --------------------------------------------------------------------------- any value
# Values of any peelcalc value class, built from its fields' types, meaning nothing:
# for checking the methods every value class shares (peelcalc.frozen). Few characters,
# so that fields often coincide and equal pairs come up; NaN, so that a field unequal
# to itself comes up too.

_ANY_TEXT = st.text(alphabet="ab'\"\\\n\x1b", max_size=3)
_ANY_LEAF: dict[object, st.SearchStrategy[Any]] = {
    str: _ANY_TEXT,
    int: st.integers(-2, 2),
    float: st.sampled_from([0.0, 1.5, -0.0, float("nan"), float("inf")]),
    bool: st.booleans(),
    bytes: st.binary(max_size=3),
    type(None): st.none(),
    Fraction: st.sampled_from([Fraction(0), Fraction(1, 3), Fraction(1)]),
    Path: st.sampled_from([Path("a"), Path("b.toml")]),
    Any: st.recursive(
        st.none() | st.integers(0, 2) | _ANY_TEXT,
        lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_ANY_TEXT, inner, max_size=2),
        max_leaves=4,
    ),
}


def _peelcalc_types() -> dict[str, type]:
    return {
        name: thing
        for module in list(sys.modules.values())
        if module.__name__.startswith("peelcalc")
        for name, thing in vars(module).items()
        if isinstance(thing, type) and thing.__module__.startswith("peelcalc")
    }


@functools.cache
def any_value(hint: Any, depth: int = 2) -> st.SearchStrategy[Any]:
    """Any value of the type ``hint``: a peelcalc value class, or what its fields hold.

    Tuples and mappings below ``depth`` levels of value classes are empty, so that
    recursive classes (a result's children) stay small.
    """
    if hint in _ANY_LEAF:
        return _ANY_LEAF[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (types.UnionType, typing.Union):
        return st.one_of([any_value(arg, depth) for arg in args])
    if origin is tuple:
        if depth <= 0:
            return st.just(())
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(any_value(args[0], depth), max_size=2).map(tuple)
        return st.tuples(*(any_value(arg, depth) for arg in args))
    if origin in (dict, collections.abc.Mapping):
        if depth <= 0:
            return st.just({})
        return st.dictionaries(any_value(args[0], depth), any_value(args[1], depth), max_size=2)
    if isinstance(hint, type) and attrs.has(hint):
        # Names a module imports only for type checking are found among peelcalc's classes.
        names = {**_peelcalc_types(), **vars(sys.modules[hint.__module__])}
        hints = typing.get_type_hints(hint, names)
        fields = {
            field.alias: any_value(hints[field.name], depth - 1)
            for field in attrs.fields(hint)
            if field.init
        }
        return st.builds(hint, **fields)
    raise NotImplementedError(f"no strategy for {hint!r}: add one to _ANY_LEAF")
