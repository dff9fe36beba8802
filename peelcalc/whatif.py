"""What would change a grade: the smallest sets of changes below a node that give it a
target grade. Pure: no I/O, no printing.

A *change* is one of (each costs one):

- ``move``: the grade of one direct child of the node is moved to another grade, as an
  inspector's award would move it;
- ``resolve``: one finding of a negative kind is resolved (taken out) in an area below;
- ``withdraw``: one finding of a positive kind is withdrawn in an area below;
- ``add``: one finding of some kind is added to an area below.

Findings of the same kind in the same area are interchangeable (grading counts them),
so "resolve one of the four weaknesses in q4-understanding" is one change, whichever
of the four. Nothing at or below a carried node can change (it is not re-inspected,
and takes no evidence in this file), and nothing below an ungraded node counts.

The search does not re-grade the tree per candidate. A node's decision depends only on
how many of its counted children are at each grade and on how many findings of each kind
stand below it, and finding counts matter only up to the largest bound any condition puts
on them; so the search works bottom-up on those counts, keeping for every reachable
combination the fewest changes that reach it. Only the final answers are applied to the
evidence and re-graded by :func:`peelcalc.engine.grade`, and an answer that does not
re-grade to the target is never offered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

import attrs

from peelcalc.engine import decide_counts, grade
from peelcalc.errors import NoRuleError
from peelcalc.margins import UNCLIPPED, clip_limits, finding_kinds
from peelcalc.model import (
    AreaEvidence,
    Award,
    Evidence,
    Finding,
    NodeResult,
    Result,
    Scheme,
)

Action = Literal["move", "resolve", "withdraw", "add"]

#: At most this many change sets are offered; the rest are counted.
MAX_SETS = 10
#: At most this many ways are shown for how a child's grade could move.
MAX_HOW = 3
#: The enumeration stops after this many candidate sets (before filtering).
_MAX_RAW = 400

#: The rationale of an award that a counterfactual move stands for.
MOVE_RATIONALE = "counterfactual: grade moved by peelcalc explain --target"
#: The text and citation of a finding that a counterfactual adds.
ADDED_TEXT = "counterfactual: finding added by peelcalc explain --target"


@attrs.frozen
class Change:
    """One change below a node: a child's grade moved, or findings of one kind in one area."""

    action: Action
    """``move``, ``resolve``, ``withdraw`` or ``add``."""
    node: str
    """The child whose grade moves, or the area whose findings change."""
    count: int = 1
    """How many findings (each counts as one change); 1 for a move."""
    kind: str | None = None
    """The finding kind (findings only)."""
    grade: str | None = None
    """The grade moved to (moves only)."""
    findings: tuple[Finding, ...] = ()
    """For ``resolve`` and ``withdraw``: the findings of that kind in that area, any
    ``count`` of which would do."""
    how: tuple[ChangeSet, ...] = ()
    """For a move: the fewest changes of findings inside the child that would give it that
    grade (each verified), or empty when findings alone cannot."""
    leaves_not_assessed: bool = False
    """The last change that takes findings out of an area and leaves it with none (and no
    award), so that it is no longer assessed and drops out of its parent's counts: that,
    rather than the findings themselves, can be what changes a grade above it."""


@attrs.frozen
class ChangeSet:
    """Changes that together give the node its target grade, verified by re-grading."""

    changes: tuple[Change, ...]
    """The changes, in tree order."""

    @property
    def cost(self) -> int:
        """How many single changes: a move counts one, each finding one."""
        return sum(change.count for change in self.changes)


Outcome = Literal["already", "reachable", "unreachable"]


@attrs.frozen
class WhatIf:
    """What would give a node a target grade."""

    node: str
    """The node."""
    target: str
    """The grade wanted."""
    current: str | None
    """The node's grade now."""
    outcome: Outcome
    """``already`` at the target, ``reachable`` by the sets below, or ``unreachable``."""
    reason: str
    """In words, when it is already there or cannot get there."""
    sets: tuple[ChangeSet, ...] = ()
    """The smallest change sets, each verified by re-grading (at most :data:`MAX_SETS`)."""
    fewest: int | None = None
    """How many changes the smallest sets need."""
    more: int = 0
    """How many more sets of that size the search found beyond those listed (it stops
    counting at a few hundred)."""
    unverified: int = 0
    """Sets the search found that did not re-grade to the target and so are not offered.
    Always 0 unless the search and the engine disagree, which would be a bug."""


# --------------------------------------------------------------------------- applying


def apply(evidence: Evidence, changes: Sequence[Change]) -> Evidence:
    """The evidence with ``changes`` made: moves become awards, findings go or come."""
    areas = dict(evidence.areas)
    awards = dict(evidence.awards)
    for change in changes:
        if change.action == "move":
            assert change.grade is not None
            awards[change.node] = Award(change.grade, MOVE_RATIONALE)
            continue
        old = areas.get(change.node, AreaEvidence())
        if change.action == "add":
            assert change.kind is not None
            added = tuple(Finding(change.kind, ADDED_TEXT, ADDED_TEXT) for _ in range(change.count))
            areas[change.node] = attrs.evolve(old, findings=(*old.findings, *added))
        else:
            kept, left = [], change.count
            for finding in old.findings:
                if finding.kind == change.kind and left:
                    left -= 1
                else:
                    kept.append(finding)
            assert left == 0, change
            areas[change.node] = attrs.evolve(old, findings=tuple(kept))
    return attrs.evolve(evidence, areas=areas, awards=awards)


def regrade(result: Result, changes: Sequence[Change]) -> Result:
    """Grade the evidence again with ``changes`` made: the check every offered set passes."""
    return grade(result.ruleset, apply(result.evidence, changes))


# --------------------------------------------------------------------------- the search

_NONE = -1  # the "grade" of a node that is not assessed
_INF = 1 << 30

# A node as its parent sees it: its grade's rank (or _NONE) and the counts, clipped, of the
# finding kinds that the conditions above it count.
Seen = tuple[int, tuple[int, ...]]
# A parent's running tally: children per grade rank (packed, a byte per rank, so adding
# a child is one addition), and clipped finding counts.
Tally = tuple[int, tuple[int, ...]]
_BITS = 8


#: When a share of findings makes counts unbounded, the search looks no further than sets
#: of this many changes.
MAX_BUDGET = 12


@attrs.frozen
class _Layers:
    """A parent's children, each child's options, and the tallies after each child."""

    children: list[NodeResult]
    options: list[dict[Seen, _Option]]
    layers: list[dict[Tally, int]]
    """After the first i children: each reachable tally, with the fewest changes."""
    preds: list[dict[Tally, list[tuple[Tally, Seen]]]]
    """After the first i children: for each tally, the tallies before and the choices for
    child i that reach it with the fewest changes."""


@attrs.frozen
class _Option:
    """How a child can be seen by its parent, at the fewest changes."""

    cost: int
    natural: bool
    """Reached by changes inside the child alone, at ``cost``."""
    moved: bool
    """Reached by moving the child's grade (plus changes inside it), at ``cost``."""


class Search:
    """Counterfactual searches over one graded tree, sharing what they compute."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.ruleset = result.ruleset
        self.scale = result.ruleset.scale
        self.kinds = result.ruleset.kind_ids
        self.negative = {k.id for k in result.ruleset.kinds if k.effect == "negative"}
        limits = clip_limits(result.ruleset)
        self.limit = tuple(limits[k] for k in self.kinds)
        self.scheme_kinds = {
            sid: tuple(i for i, k in enumerate(self.kinds) if k in finding_kinds(s))
            for sid, s in result.ruleset.schemes.items()
        }
        self._decided: dict[tuple[str, int, tuple[int, ...], tuple[int, ...]], int] = {}
        self._area_ranks: dict[tuple[str, tuple[int, ...]], int] = {}
        self._tables: dict[tuple[str, tuple[int, ...], int], dict[Seen, int]] = {}
        self._layers: dict[tuple[str, tuple[int, ...], bool, int], _Layers] = {}
        self._vectors: dict[tuple[str, int], list[tuple[tuple[int, ...], int]]] = {}
        self._raws: dict[str, tuple[int, ...]] = {}
        self._seens: dict[tuple[str, Tally, tuple[int, ...]], Seen] = {}
        self._seen_areas: dict[
            tuple[str, tuple[int, ...], int], dict[Seen, list[tuple[tuple[int, ...], int]]]
        ] = {}
        # The most changes any one area can take (every kind at its furthest value): a
        # larger budget cuts nothing in an area, so area tables are shared above it.
        self._widest = (
            MAX_BUDGET
            if UNCLIPPED in self.limit
            else max(
                (
                    sum(
                        max(n, lim - min(n, lim))
                        for n, lim in zip(self._raw(a), self.limit, strict=True)
                    )
                    for a in result.root.walk()
                    if not a.children
                ),
                default=0,
            )
        )

    # ----------------------------------------------------------------- decisions

    def _decide(self, scheme: Scheme, tally: Tally, which: tuple[int, ...]) -> int:
        """The rank a scheme gives to a tally whose counts are of kinds ``which``; _INF when
        the scheme has no rule for it (the engine would refuse to grade it)."""
        packed, counts = tally
        key = (scheme.id, packed, counts, which)
        cached = self._decided.get(key)
        if cached is None:
            mask = (1 << _BITS) - 1
            by_grade = tuple(packed >> (_BITS * i) & mask for i in range(len(self.scale.grades)))
            kinds = {self.kinds[i]: n for i, n in zip(which, counts, strict=True)}
            try:
                cached = self.scale.rank(decide_counts(scheme, self.scale, by_grade, kinds).grade)
            except NoRuleError:
                cached = _INF
            self._decided[key] = cached
        return cached

    # ----------------------------------------------------------------- areas

    def _raw(self, area: NodeResult) -> tuple[int, ...]:
        """How many findings of each kind the area has."""
        cached = self._raws.get(area.node.id)
        if cached is None:
            cached = tuple(sum(1 for f in area.findings if f.kind == k) for k in self.kinds)
            self._raws[area.node.id] = cached
        return cached

    def _area_vectors(self, area: NodeResult, budget: int) -> list[tuple[tuple[int, ...], int]]:
        """The clipped count vectors the area's findings can be changed to with at most
        ``budget`` changes, each with the fewest changes that reach it, cheapest first."""
        key = (area.node.id, min(budget, self._widest))
        cached = self._vectors.get(key)
        if cached is not None:
            return cached
        choices = []
        for n, limit in zip(self._raw(area), self.limit, strict=True):
            if limit == UNCLIPPED:
                values = range(max(0, n - budget), n + budget + 1)
                choices.append([(v, abs(v - n)) for v in values])
            else:
                # Counts further than ``budget`` from the area's own cost more than the
                # budget: only those within it are listed (a bound can be very large).
                now = min(n, limit)
                near = sorted({now, *range(max(0, n - budget), min(limit, n + budget) + 1)})
                choices.append([(v, 0 if v == now else abs(v - n)) for v in near])
        out: list[tuple[tuple[int, ...], int]] = []

        def extend(i: int, head: tuple[int, ...], spent: int) -> None:
            if i == len(choices):
                out.append((head, spent))
                return
            for value, cost in choices[i]:
                if spent + cost <= budget:
                    extend(i + 1, (*head, value), spent + cost)

        extend(0, (), 0)
        out.sort(key=lambda pair: pair[1])
        self._vectors[key] = out
        return out

    def _area_seen(
        self, area: NodeResult, exposed: tuple[int, ...], budget: int
    ) -> dict[Seen, list[tuple[tuple[int, ...], int]]]:
        """The area's count vectors grouped by how they are seen from above, cheapest first."""
        key = (area.node.id, exposed, min(budget, self._widest))
        cached = self._seen_areas.get(key)
        if cached is None:
            cached = {}
            for vector, cost in self._area_vectors(area, budget):
                rank = self._area_rank(area, vector)
                if rank != _INF:
                    seen = (rank, tuple(vector[i] for i in exposed))
                    cached.setdefault(seen, []).append((vector, cost))
            self._seen_areas[key] = cached
        return cached

    def _area_rank(self, area: NodeResult, vector: tuple[int, ...]) -> int:
        key = (area.node.id, vector)
        cached = self._area_ranks.get(key)
        if cached is not None:
            return cached
        if area.award is not None:
            cached = self.scale.rank(area.award.grade)
        elif not any(vector):
            cached = _NONE
        else:
            assert area.node.scheme is not None
            scheme = self.ruleset.schemes[area.node.scheme]
            cached = self._decide(scheme, (0, vector), tuple(range(len(self.kinds))))
        self._area_ranks[key] = cached
        return cached

    def _area_changes(self, area: NodeResult, vector: tuple[int, ...]) -> list[Change]:
        changes = []
        raw = self._raw(area)
        for i, kind in enumerate(self.kinds):
            n = raw[i]
            now = min(n, self.limit[i])
            if vector[i] > now:
                changes.append(Change("add", area.node.id, vector[i] - n, kind))
            elif vector[i] < now:
                action: Action = "resolve" if kind in self.negative else "withdraw"
                same = tuple(f for f in area.findings if f.kind == kind)
                changes.append(Change(action, area.node.id, n - vector[i], kind, findings=same))
        return changes

    # ----------------------------------------------------------------- tables

    def table(self, node: NodeResult, exposed: tuple[int, ...], budget: int) -> dict[Seen, int]:
        """Every way ``node`` can be seen from above (its grade and the clipped counts of the
        kinds ``exposed``) with at most ``budget`` changes below it, each with the fewest
        changes that give it."""
        key = (node.node.id, exposed, budget)
        cached = self._tables.get(key)
        if cached is not None:
            return cached
        out: dict[Seen, int] = {}
        if node.carried:
            out[(self._rank(node.grade), (0,) * len(exposed))] = 0
        elif not node.children:
            for seen, vectors in self._area_seen(node, exposed, budget).items():
                if vectors[0][1] <= budget:
                    out[seen] = vectors[0][1]
        else:
            for tally, cost in self._layered(node, exposed, False, budget).layers[-1].items():
                seen = self._seen(node, tally, exposed)
                if seen[0] != _INF and cost < out.get(seen, _INF):
                    out[seen] = cost
        self._tables[key] = out
        return out

    def _rank(self, grade_id: str | None) -> int:
        return _NONE if grade_id is None else self.scale.rank(grade_id)

    def _which(self, node: NodeResult, exposed: tuple[int, ...]) -> tuple[int, ...]:
        assert node.node.scheme is not None
        return tuple(sorted(set(exposed) | set(self.scheme_kinds[node.node.scheme])))

    def _seen(self, node: NodeResult, tally: Tally, exposed: tuple[int, ...]) -> Seen:
        """How a parent with this tally of its children is seen from above."""
        key = (node.node.id, tally, exposed)
        cached = self._seens.get(key)
        if cached is not None:
            return cached
        which = self._which(node, exposed)
        counts = tuple(tally[1][which.index(i)] for i in exposed)
        if node.award is not None:
            cached = (self.scale.rank(node.award.grade), counts)
        elif not tally[0]:
            cached = (_NONE, counts)
        else:
            assert node.node.scheme is not None
            scheme = self.ruleset.schemes[node.node.scheme]
            cached = (self._decide(scheme, tally, which), counts)
        self._seens[key] = cached
        return cached

    def _layered(
        self, node: NodeResult, exposed: tuple[int, ...], moves: bool, budget: int
    ) -> _Layers:
        """The counted children of ``node``, each child's options, and the tallies reachable
        after each child with the fewest changes (at most ``budget``), each with the
        choices that reach it with that few."""
        key = (node.node.id, exposed, moves, budget)
        cached = self._layers.get(key)
        if cached is not None:
            return cached
        which = self._which(node, exposed)
        limits = tuple(self.limit[i] for i in which)
        children = [c for c in node.children if c.node.graded]
        options = [self._options(c, which, moves, budget) for c in children]
        layers: list[dict[Tally, int]] = [{(0, (0,) * len(which)): 0}]
        preds: list[dict[Tally, list[tuple[Tally, Seen]]]] = [{}]
        for opts in options:
            nxt: dict[Tally, int] = {}
            back: dict[Tally, list[tuple[Tally, Seen]]] = {}
            # Cheapest first, so that a tally stops at the first option over budget; each
            # option as the number to add to the packed grade counts and the counts to add.
            steps = sorted(
                (option.cost, (1 << (_BITS * seen[0])) if seen[0] >= 0 else 0, seen)
                for seen, option in opts.items()
            )
            for tally, cost in layers[-1].items():
                packed, counts = tally
                for extra, step, seen in steps:
                    total = cost + extra
                    if total > budget:
                        break
                    more = seen[1]
                    if any(more):
                        summed = zip(counts, more, limits, strict=True)
                        after = (packed + step, tuple(min(a + b, c) for a, b, c in summed))
                    else:
                        after = (packed + step, counts)
                    best = nxt.get(after, _INF)
                    if total < best:
                        nxt[after] = total
                        back[after] = [(tally, seen)]
                    elif total == best:
                        back[after].append((tally, seen))
            layers.append(nxt)
            preds.append(back)
        cached = _Layers(children, options, layers, preds)
        self._layers[key] = cached
        return cached

    def _options(
        self, child: NodeResult, which: tuple[int, ...], moves: bool, budget: int
    ) -> dict[Seen, _Option]:
        natural = self.table(child, which, budget)
        out = {seen: _Option(cost, True, False) for seen, cost in natural.items()}
        if not moves or child.carried:
            return out
        for counts in {k for _, k in natural}:
            for rank in range(len(self.scale.grades)):
                # A move is worth it only where changes inside do not already give the grade.
                inner = min(
                    (c for (r, k), c in natural.items() if k == counts and r != rank),
                    default=_INF,
                )
                if inner + 1 > budget:
                    continue
                seen = (rank, counts)
                have = out.get(seen)
                if have is None or inner + 1 < have.cost:
                    out[seen] = _Option(inner + 1, False, True)
                elif inner + 1 == have.cost:
                    out[seen] = _Option(have.cost, have.natural, True)
        return out

    def table_at(self, node: NodeResult, want: Seen, moves: bool, budget: int) -> dict[Seen, int]:
        """How ``node`` itself can end (with moves of its children when ``moves``)."""
        if not moves or not node.children:
            return self.table(node, (), budget)
        out: dict[Seen, int] = {}
        for tally, cost in self._layered(node, (), True, budget).layers[-1].items():
            seen = self._seen(node, tally, ())
            if cost < out.get(seen, _INF):
                out[seen] = cost
        return out

    def most_changes(self, node: NodeResult, moves: bool) -> int:
        """A budget at which nothing is cut: every change below ``node`` at once (or
        :data:`MAX_BUDGET` when a share of findings leaves additions unbounded)."""
        if UNCLIPPED in self.limit:
            return MAX_BUDGET
        if node.carried or not node.node.graded:
            return 0
        if not node.children:
            return self._widest
        inner = sum(self.most_changes(c, False) for c in node.children)
        return inner + (len(node.children) if moves else 0)

    # ----------------------------------------------------------------- realising

    def realise(
        self, node: NodeResult, exposed: tuple[int, ...], want: Seen, moves: bool, budget: int
    ) -> Iterator[list[Change]]:
        """Every change set of the fewest changes below ``node`` that has it seen as ``want``
        (moves of its direct children allowed when ``moves``), in tree order."""
        if node.carried:
            if want == (self._rank(node.grade), (0,) * len(exposed)):
                yield []
            return
        if not node.children:
            vectors = self._area_seen(node, exposed, budget).get(want, [])
            for vector, cost in vectors:
                if cost == vectors[0][1] <= budget:
                    yield self._area_changes(node, vector)
            return
        done = self._layered(node, exposed, moves, budget)
        which = self._which(node, exposed)
        ends = {t: c for t, c in done.layers[-1].items() if self._seen(node, t, exposed) == want}
        if not ends:
            return
        fewest = min(ends.values())

        def back(i: int, tally: Tally) -> Iterator[list[Seen]]:
            """The choices for the first i children that reach ``tally`` with fewest changes."""
            if i == 0:
                yield []
                return
            for before, seen in done.preds[i][tally]:
                for head in back(i - 1, before):
                    yield [*head, seen]

        def ways(i: int, choices: list[Seen]) -> Iterator[list[Change]]:
            if i == len(choices):
                yield []
                return
            option = done.options[i][choices[i]]
            for mine in self._child_ways(done.children[i], which, choices[i], option, budget):
                for rest in ways(i + 1, choices):
                    yield mine + rest

        for end, cost in ends.items():
            if cost == fewest:
                for choices in back(len(done.children), end):
                    yield from ways(0, choices)

    def _child_ways(
        self, child: NodeResult, which: tuple[int, ...], seen: Seen, option: _Option, budget: int
    ) -> Iterator[list[Change]]:
        if option.natural:
            yield from self.realise(child, which, seen, False, budget)
        if option.moved:
            rank, counts = seen
            natural = self.table(child, which, budget)
            for (r, k), cost in sorted(natural.items()):
                if k == counts and r != rank and cost + 1 == option.cost:
                    move = Change("move", child.node.id, grade=self.scale.ids[rank])
                    for inner in self.realise(child, which, (r, k), False, budget):
                        yield [move, *inner]


def _add(tally: Tally, seen: Seen, limits: tuple[int, ...]) -> Tally:
    packed, counts = tally
    rank, more = seen
    if rank >= 0:
        packed += 1 << (_BITS * rank)
    if any(more):
        counts = tuple(min(a + b, lim) for a, b, lim in zip(counts, more, limits, strict=True))
    return (packed, counts)


# --------------------------------------------------------------------------- answers


def _undominated(sets: list[list[Change]], result: Result) -> list[list[Change]]:
    """Leave out a set whose move goes further than needed: the same set with that move to a
    grade nearer the child's own also reaches the target (and is listed instead)."""
    scale = result.ruleset.scale
    keys = {tuple(s) for s in sets}
    out = []
    for changes in sets:
        dominated = False
        for i, change in enumerate(changes):
            now = result.find(change.node).grade if change.action == "move" else None
            if now is None or change.grade is None:
                continue
            here, far = scale.rank(now), abs(scale.rank(change.grade) - scale.rank(now))
            for grade_id in scale.ids:
                if grade_id != now and abs(scale.rank(grade_id) - here) < far:
                    nearer = attrs.evolve(change, grade=grade_id)
                    if (*changes[:i], nearer, *changes[i + 1 :]) in keys:
                        dominated = True
                        break
            if dominated:
                break
        if not dominated:
            out.append(changes)
    return out


def _unreachable_reason(node: NodeResult) -> str:
    if node.carried:
        return "it is carried from an earlier file and not re-inspected, so nothing here changes it"
    if node.award is not None:
        return (
            "its grade is awarded by an inspector, so no change below it moves it "
            "(an award replaces what the rules give)"
        )
    return "no combination of changes below it gives that grade under these rules"


def what_if(
    result: Result, node_id: str, target: str, search: Search | None = None, moves: bool = True
) -> WhatIf:
    """The smallest sets of changes below ``node_id`` that give it grade ``target``, each
    verified by re-grading the changed evidence.

    With ``moves`` false only findings change (used to show how a child's grade could
    move).
    """
    search = search or Search(result)
    node = result.find(node_id)
    label = result.ruleset.scale.get(target).label.lower()
    if not node.node.graded:
        return WhatIf(
            node_id, target, None, "unreachable", "it is ungraded: the ruleset gives it no grade"
        )
    if node.grade == target:
        return WhatIf(node_id, target, target, "already", f"it is already {label}")
    if node.carried or node.award is not None:
        return WhatIf(node_id, target, node.grade, "unreachable", _unreachable_reason(node))
    want: Seen = (result.ruleset.scale.rank(target), ())
    found: list[list[Change]] = []
    ceiling = search.most_changes(node, moves)
    budget = 1
    while True:
        # Tables cut at a budget are exact for every entry within it, so the first budget
        # at which the target appears gives the fewest changes; a larger one is not needed.
        if want in search.table_at(node, want, moves, budget):
            for changes in search.realise(node, (), want, moves, budget):
                found.append(changes)
                if len(found) >= _MAX_RAW:
                    break
            break
        if budget >= ceiling:
            break
        budget = min(ceiling, budget + 1 if budget < 4 else budget * 3 // 2)
    if not found:
        reason = _unreachable_reason(node)
        if UNCLIPPED in search.limit and not node.award:
            reason = f"no set of up to {MAX_BUDGET} changes below it gives that grade"
        return WhatIf(node_id, target, node.grade, "unreachable", reason)
    candidates = _undominated(found, result)
    offered: list[list[Change]] = []
    unverified = examined = 0
    for changes in candidates:
        if len(offered) == MAX_SETS:
            break
        examined += 1
        try:
            regraded: str | None = regrade(result, changes).find(node_id).grade
        except NoRuleError:  # the changes land in a gap of the rules: no grade at all
            regraded = None
        if regraded == target:
            offered.append(changes)
        else:  # never expected: the search and the engine disagree; say so, offer nothing
            unverified += 1
    sets = tuple(
        ChangeSet(
            tuple(
                _with_how(c, result, search) if c.action == "move" else c
                for c in _mark_emptied(s, result.evidence)
            )
        )
        for s in offered
    )
    return WhatIf(
        node_id,
        target,
        node.grade,
        "reachable" if sets else "unreachable",
        "" if sets else _unreachable_reason(node),
        sets,
        sets[0].cost if sets else None,
        len(candidates) - examined,
        unverified,
    )


def _mark_emptied(changes: list[Change], evidence: Evidence) -> list[Change]:
    """The changes, with the last one that takes findings out of an area marked when the
    set leaves that area with no findings and no award, so not assessed."""
    after = apply(evidence, changes)
    last = {c.node: i for i, c in enumerate(changes) if c.action in ("resolve", "withdraw")}
    marked = list(changes)
    for area, i in last.items():
        if not after.areas[area].findings and area not in after.awards:
            marked[i] = attrs.evolve(changes[i], leaves_not_assessed=True)
    return marked


def _with_how(move: Change, result: Result, search: Search) -> Change:
    """The move with the fewest changes of findings inside the child that would give it."""
    assert move.grade is not None
    inner = what_if(result, move.node, move.grade, search, moves=False)
    return attrs.evolve(move, how=inner.sets[:MAX_HOW])
