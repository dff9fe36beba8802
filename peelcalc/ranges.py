"""What partial evidence still allows: the range of grades at each node. Pure: no I/O.

A *completion* gives every area that is not assessed (no findings, no award; graded and
not carried) some grade of the scale, as an inspector's award would, and adds no findings.
For each node with such an area below it, the range is the best and the worst grade any
completion gives it, and the evidence that would settle it is the not-assessed areas
whose grade can change the node's grade (for some grades of the others). The node's
present grade leaves those areas out of its parent's counts, so it need not lie in the
range.

Like the margins, this decides nodes from counts with the engine's own decision and never
re-grades a whole tree.
"""

from __future__ import annotations

import attrs

from peelcalc.frozen import Value
from peelcalc.margins import Decider, _inputs
from peelcalc.model import NodeResult, Result, Ruleset

_BITS = 8  # children per grade rank are packed a byte per rank


@attrs.frozen(repr=False, eq=False)
class GradeRange(Value):
    """The grades a node could still take, over every way of grading what is not assessed."""

    best: str
    """The best grade any completion gives."""
    worst: str
    """The worst grade any completion gives."""
    settled_by: tuple[str, ...]
    """The not-assessed areas whose grade can change this node's grade, in tree order."""


def missing_areas(result: Result) -> list[str]:
    """The areas a completion grades: graded, not carried, no findings and no award."""
    return [
        n.node.id
        for n in result.root.walk()
        if not n.children and n.node.graded and not n.carried and n.status == "not-assessed"
    ]


class _Ranges:
    def __init__(self, result: Result, decider: Decider) -> None:
        self.result = result
        self.ruleset: Ruleset = result.ruleset
        self.size = len(result.ruleset.scale.grades)
        self.decider = decider
        self.missing = set(missing_areas(result))
        self._possible: dict[str, frozenset[int | None]] = {}
        self._kinds: dict[str, dict[str, int]] = {}

    def _unpack(self, packed: int) -> tuple[int, ...]:
        mask = (1 << _BITS) - 1
        return tuple(packed >> (_BITS * i) & mask for i in range(self.size))

    def _tallies(self, children: list[NodeResult]) -> set[int]:
        """Every packed count of grades the counted ``children`` can take together."""
        tallies = {0}
        for child in children:
            options = self.possible(child)
            tallies = {
                t + (1 << (_BITS * rank)) if rank is not None else t
                for t in tallies
                for rank in options
            }
        return tallies

    def counted(self, node: NodeResult) -> list[NodeResult]:
        return [c for c in node.children if c.node.graded]

    def decide(self, node: NodeResult, packed: int) -> int | None:
        kinds = self._kinds.get(node.node.id)
        if kinds is None:
            kinds = self._kinds[node.node.id] = _inputs(node, self.ruleset)[1]
        return self.decider.rank(node, self._unpack(packed), kinds)

    def possible(self, node: NodeResult) -> frozenset[int | None]:
        """The ranks (``None``: not assessed) the node takes over every completion."""
        cached = self._possible.get(node.node.id)
        if cached is not None:
            return cached
        if node.node.id in self.missing:
            out: frozenset[int | None] = frozenset(range(self.size))
        elif node.carried or not node.children or node.award is not None:
            out = frozenset([None if node.grade is None else self.ruleset.scale.rank(node.grade)])
        else:
            out = frozenset(self.decide(node, t) for t in self._tallies(self.counted(node)))
        self._possible[node.node.id] = out
        return out

    def matters(self, area: str, path: list[NodeResult]) -> bool:
        """Whether the area's grade can change the grade at the top of ``path`` (the nodes
        from the area's parent up), for some completion of the other missing areas."""
        functions: set[tuple[int | None, ...]] = {tuple(range(self.size))}
        below = area
        for node in path:
            others = [c for c in self.counted(node) if c.node.id != below]
            moved: set[tuple[int | None, ...]] = set()
            for tally in self._tallies(others):
                for f in functions:
                    moved.add(
                        tuple(
                            self.decide(
                                node, tally + (1 << (_BITS * r)) if r is not None else tally
                            )
                            for r in f
                        )
                    )
            functions = moved
            below = node.node.id
        return any(len(set(f)) > 1 for f in functions)


def ranges(result: Result, decider: Decider | None = None) -> dict[str, GradeRange]:
    """The range of every node that has a not-assessed area below it (or is one).

    ``decider``: one already used for the same ruleset (by :func:`peelcalc.margins.margins`),
    whose remembered decisions serve here too."""
    work = _Ranges(result, decider or Decider(result.ruleset))
    if not work.missing:
        return {}
    scale = result.ruleset.scale
    out: dict[str, GradeRange] = {}

    def visit(node: NodeResult) -> list[str]:
        """The missing areas at or below ``node`` that count up to it, and its range."""
        if node.carried or not node.node.graded:
            return []
        below: list[str] = []
        if node.node.id in work.missing:
            below = [node.node.id]
        for child in node.children:
            below += visit(child)
        if below:
            ranks = [r for r in work.possible(node) if r is not None]
            if ranks:
                settled = tuple(a for a in below if a == node.node.id or _matters(work, a, node))
                out[node.node.id] = GradeRange(
                    scale.ids[min(ranks)], scale.ids[max(ranks)], settled
                )
        return below

    visit(result.root)
    return out


def _matters(work: _Ranges, area: str, top: NodeResult) -> bool:
    path: list[NodeResult] = []
    node = work.result.find(area)
    while node.node.id != top.node.id:
        parent = _parent(work.result.root, node.node.id)
        assert parent is not None
        path.append(parent)
        node = parent
    return work.matters(area, path)


def _parent(root: NodeResult, node_id: str) -> NodeResult | None:
    for node in root.walk():
        if any(c.node.id == node_id for c in node.children):
            return node
    return None
