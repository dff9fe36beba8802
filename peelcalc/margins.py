"""How close each grade is to moving: a margin of one-step changes. Pure: no I/O.

A *one-step change* below a node is one of: a direct child's grade moved one grade up or
one grade down (as an inspector's award would move it); one finding of some kind added to
an area at or below the node; one finding of a kind present there taken out (resolved or
withdrawn). The margin counts, for every node, the one-step changes after which its grade
is better (``up``) and worse (``down``). A change that leaves the node not assessed counts
as neither. Nodes that are not assessed, ungraded or carried (not re-inspected) have no
margin.

Nothing is re-graded from scratch: a change in one area moves only the counts on its way
up, so each node on that way is decided again from its counts by
:func:`peelcalc.engine.decide_counts`, the engine's own decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import attrs

from peelcalc.engine import decide_counts
from peelcalc.errors import NoRuleError
from peelcalc.frozen import Value
from peelcalc.model import (
    FindingTerm,
    NodeResult,
    Result,
    Ruleset,
    Scheme,
    Term,
    counted_findings,
)


def _finding_terms(scheme: Scheme) -> list[FindingTerm]:
    terms: list[Term] = [t for r in scheme.rules for t in r.when]
    terms += [t for r in scheme.limiters for t in r.when]
    if scheme.default is not None:
        terms += scheme.default.when
    return [t for t in terms if isinstance(t, FindingTerm)]


def finding_kinds(scheme: Scheme) -> frozenset[str]:
    """The kinds the scheme's conditions count (also as the whole of a share)."""
    return frozenset(k for t in _finding_terms(scheme) for k in (*t.kinds, *t.of))


#: The "limit" of a kind that a share of findings counts: such a count is never clipped.
UNCLIPPED = 1 << 20


def clip_limits(ruleset: Ruleset) -> dict[str, int]:
    """For each kind, a count above which no condition tells counts apart (at least 1, so
    that "no findings" stays apart from "some"); :data:`UNCLIPPED` for a kind that a share
    of findings counts, since a share depends on every finding."""
    limits = dict.fromkeys(ruleset.kind_ids, 1)
    for scheme in ruleset.schemes.values():
        for term in _finding_terms(scheme):
            bounds = term.bounds
            if bounds.min_share is not None or bounds.max_share is not None:
                for kind in (*term.kinds, *term.of):
                    limits[kind] = UNCLIPPED
                continue
            needed = max(bounds.min or 0, (bounds.max or 0) + 1)
            for kind in term.kinds:
                limits[kind] = max(limits[kind], needed)
    return limits


@attrs.frozen(repr=False, eq=False)
class Margin(Value):
    """How many one-step changes below a node would move its grade up, or down."""

    up: int
    """One-step changes after which the node's grade is better."""
    down: int
    """One-step changes after which the node's grade is worse."""


class Decider:
    """A node's grade from its counts, by the engine's decision, remembered per input."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        limits = clip_limits(ruleset)
        # A scheme decides by the counts of the kinds it reads alone, and counts above
        # their limits decide alike; so a decision is remembered by these clipped counts.
        self._reads = {
            name: tuple((kind, limits[kind]) for kind in sorted(finding_kinds(scheme)))
            for name, scheme in ruleset.schemes.items()
        }
        self._memo: dict[tuple[str, tuple[int, ...], tuple[int, ...]], int | None] = {}

    def rank(
        self, node: NodeResult, by_grade: tuple[int, ...], kinds: Mapping[str, int]
    ) -> int | None:
        """The rank the node gets with these counts (an award wins), or ``None`` when it
        would not be assessed, or its scheme has no rule for them."""
        scale = self.ruleset.scale
        if node.award is not None:
            return scale.rank(node.award.grade)
        assessed = any(kinds.values()) if not node.children else any(by_grade)
        name = node.node.scheme
        if not assessed or name is None:
            return None
        reads = self._reads[name]
        found = tuple([min(kinds.get(kind, 0), limit) for kind, limit in reads])
        key = (name, by_grade, found)
        memo = self._memo
        if key not in memo:
            counts = {kind: n for (kind, _), n in zip(reads, found, strict=True)}
            try:
                grade = decide_counts(self.ruleset.schemes[name], scale, by_grade, counts).grade
                memo[key] = scale.rank(grade)
            except NoRuleError:
                memo[key] = None
        return memo[key]


def _inputs(node: NodeResult, ruleset: Ruleset) -> tuple[tuple[int, ...], dict[str, int]]:
    """What the node's scheme counts: children per grade rank, and findings per kind."""
    by_grade = [0] * len(ruleset.scale.grades)
    for child in node.children:
        if child.counted and child.grade is not None:
            by_grade[ruleset.scale.rank(child.grade)] += 1
    findings = node.findings if not node.children else counted_findings(node.children)
    return tuple(by_grade), Counter(f.kind for f in findings)


def _rank(ruleset: Ruleset, grade_id: str | None) -> int | None:
    return None if grade_id is None else ruleset.scale.rank(grade_id)


def margins(result: Result, decider: Decider | None = None) -> dict[str, Margin]:
    """The margin of every node that has a grade of its own to move.

    ``decider``: one for the same ruleset whose remembered decisions may serve again."""
    ruleset = result.ruleset
    decider = decider or Decider(ruleset)
    parents: dict[str, NodeResult] = {}
    inputs: dict[str, tuple[tuple[int, ...], dict[str, int]]] = {}
    for node in result.root.walk():
        inputs[node.node.id] = _inputs(node, ruleset)
        for child in node.children:
            parents[child.node.id] = node
    movable = {
        n.node.id
        for n in result.root.walk()
        if n.grade is not None and not n.carried and n.node.graded
    }
    rank_of = {n.node.id: _rank(ruleset, n.grade) for n in result.root.walk()}
    counted_of = {n.node.id: n.counted for n in result.root.walk()}
    reads = {name: finding_kinds(scheme) for name, scheme in ruleset.schemes.items()}
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()

    def record(node: NodeResult, new: int | None) -> None:
        old = rank_of[node.node.id]
        if node.node.id not in movable or old is None or new is None or new == old:
            return
        (up if new < old else down)[node.node.id] += 1

    def bubble(node: NodeResult, new: int | None, kind: str, delta: int) -> None:
        """Carry a change in one area (its new rank, one finding more or fewer) upward."""
        counted = node.node.graded
        while node.node.id in parents:
            parent = parents[node.node.id]
            if parent.carried or parent.node.scheme is None:
                return
            old = rank_of[node.node.id] if counted_of[node.node.id] else None
            now = new if node.node.graded else None
            if old == now and not (counted and kind in reads[parent.node.scheme]):
                # The parent sees the same grade and does not count this kind: unchanged.
                if not counted:
                    return
                node, new = parent, rank_of[parent.node.id]
                continue
            by_grade, kinds = inputs[parent.node.id]
            shifted = list(by_grade)
            if old is not None:
                shifted[old] -= 1
            if now is not None:
                shifted[now] += 1
            if counted:
                kinds = {**kinds, kind: kinds.get(kind, 0) + delta}
            rank = decider.rank(parent, tuple(shifted), kinds)
            record(parent, rank)
            if rank == rank_of[parent.node.id] and not counted:
                return
            node, new = parent, rank

    no_children = (0,) * len(ruleset.scale.grades)
    kind_ids = ruleset.kind_ids
    for area in result.root.walk():
        if area.children or area.carried:
            continue
        _, kinds = inputs[area.node.id]
        for kind in kind_ids:
            for delta in (1, -1):
                if delta < 0 and not kinds.get(kind):
                    continue
                changed = {**kinds, kind: kinds.get(kind, 0) + delta}
                new = decider.rank(area, no_children, changed)
                record(area, new)
                bubble(area, new, kind, delta)

    for child in result.root.walk():
        parent = parents.get(child.node.id)
        now = rank_of[child.node.id]
        if parent is None or parent.carried or not parent.node.graded or not child.counted:
            continue
        assert now is not None
        by_grade, kinds = inputs[parent.node.id]
        for step in (-1, 1):
            if not 0 <= now + step < len(ruleset.scale.grades):
                continue
            shifted = list(by_grade)
            shifted[now] -= 1
            shifted[now + step] += 1
            record(parent, decider.rank(parent, tuple(shifted), kinds))

    return {node_id: Margin(up[node_id], down[node_id]) for node_id in sorted(movable)}
