"""The domain of peelcalc as frozen values: rulesets, evidence and results.

Nothing here reads files, prints or knows about the command line. A ruleset is
data (see ``rules/``); :mod:`peelcalc.engine` is the only code that applies it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Literal

import attrs

from peelcalc.frozen import Value

# --------------------------------------------------------------------------- scale


@attrs.frozen(repr=False, eq=False)
class Grade(Value):
    """One level of a ruleset's grade scale."""

    id: str
    """Identifier used in rule and evidence files, such as ``requires-improvement``."""
    label: str
    """How the grade is written in reports, such as ``Requires improvement``."""
    definition: str
    """The published definition of the grade."""
    source: str
    """Where the definition is published."""


@attrs.frozen(repr=False, eq=False)
class GradeScale(Value):
    """An ordered scale of grades, best first; any number of levels."""

    grades: tuple[Grade, ...]
    """The grades, best first."""
    _ranks: dict[str, int] = attrs.field(init=False, eq=False, repr=False)
    """Each grade's rank by id: ranks are looked up in every decision."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_ranks", {g.id: i for i, g in enumerate(self.grades)})

    def rank(self, grade_id: str) -> int:
        """0 for the best grade, counting down the scale."""
        return self._ranks[grade_id]

    def get(self, grade_id: str) -> Grade:
        return self.grades[self.rank(grade_id)]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(grade.id for grade in self.grades)

    def worse(self, first: str, second: str) -> str:
        """The lower of two grades."""
        return first if self.rank(first) >= self.rank(second) else second


Effect = Literal["positive", "negative"]


@attrs.frozen(repr=False, eq=False)
class FindingKind(Value):
    """A kind of finding, such as a strength or a cause of concern."""

    id: str
    """Identifier used in evidence files, such as ``area-for-improvement``."""
    label: str
    """Plain-English name."""
    effect: Effect
    """``positive``: more of it is better evidence; ``negative``: more is worse."""
    definition: str
    """When a finding is of this kind: the tagging guide for transcribers."""
    source: str
    """Where the kind comes from in the published material."""


# --------------------------------------------------------------------------- rules

Relation = Literal["at", "at_least", "at_most", "above", "below"]

RELATION_WORDS: Mapping[Relation, str] = {
    "at": "at",
    "at_least": "at or above",
    "at_most": "at or below",
    "above": "above",
    "below": "below",
}


@attrs.frozen(repr=False, eq=False)
class Bounds(Value):
    """How many of something a term allows: counts, or shares of the assessed children."""

    min: int | None = None
    max: int | None = None
    min_share: Fraction | None = None
    max_share: Fraction | None = None

    def interval(self, total: int) -> tuple[int, int | None]:
        """The counts that satisfy these bounds when ``total`` children are assessed.

        ``(low, high)``: a count holds when ``low <= count`` and, unless ``high`` is
        ``None``, ``count <= high``. Shares round towards the stricter side for "at
        least" and the looser side for "at most". The empty interval has ``low > high``.
        """
        low, high = self.min or 0, self.max
        # Integer arithmetic: the same as ceil and floor of share × total, and faster.
        share = self.min_share
        if share is not None:
            low = max(low, -(-share.numerator * total // share.denominator))
        share = self.max_share
        if share is not None:
            cut = share.numerator * total // share.denominator
            high = cut if high is None else min(high, cut)
        return low, high

    def holds(self, count: int, total: int) -> bool:
        low, high = self.interval(total)
        return low <= count and (high is None or count <= high)

    def describe(self, whole: str = "those assessed") -> str:
        """The bounds in words; ``whole`` names what a share is a share of."""
        parts = []
        if self.min is not None and self.max is not None and self.min == self.max:
            parts.append(f"exactly {self.min}")
        else:
            if self.min is not None:
                parts.append(f"at least {self.min}")
            if self.max is not None:
                parts.append("none" if self.max == 0 else f"at most {self.max}")
        if self.min_share is not None:
            parts.append(f"at least {self.min_share} of {whole}")
        if self.max_share is not None:
            parts.append("none" if self.max_share == 0 else f"at most {self.max_share} of {whole}")
        return " and ".join(parts)


@attrs.frozen(repr=False, eq=False)
class ChildTerm(Value):
    """A condition on how many children have a grade at, above or below a level."""

    relation: Relation
    grade: str
    bounds: Bounds

    def matches(self, scale: GradeScale, grade_id: str) -> bool:
        mine, theirs = scale.rank(grade_id), scale.rank(self.grade)
        if self.relation == "at":
            return mine == theirs
        if self.relation == "at_least":
            return mine <= theirs
        if self.relation == "at_most":
            return mine >= theirs
        if self.relation == "above":
            return mine < theirs
        return mine > theirs

    def describe(self, scale: GradeScale) -> str:
        """The condition in words, such as "children at inadequate: at least 2"."""
        label = scale.get(self.grade).label.lower()
        return f"children {RELATION_WORDS[self.relation]} {label}: {self.bounds.describe()}"


@attrs.frozen(repr=False, eq=False)
class FindingTerm(Value):
    """A condition on how many findings of some kinds stand below a node."""

    kinds: tuple[str, ...]
    bounds: Bounds
    of: tuple[str, ...] = ()
    """For ``min_share``/``max_share``: the kinds whose findings make the whole that
    the share is taken of (they include ``kinds``). Empty when the bounds are counts."""

    def describe(self, scale: GradeScale) -> str:
        """The condition in words, such as "findings of kind weakness: at least 1"."""
        whole = f"findings of kind {' or '.join(self.of)}"
        return f"findings of kind {' or '.join(self.kinds)}: {self.bounds.describe(whole)}"


Term = ChildTerm | FindingTerm


@attrs.frozen(repr=False, eq=False)
class Rule(Value):
    """An ordered rule: when every term holds, the node gets ``grade``."""

    id: str
    reading: str
    """One line of plain English, for explanations."""
    grade: str
    when: tuple[Term, ...]
    source: str
    """The published criterion or scheme this rule encodes."""


@attrs.frozen(repr=False, eq=False)
class Limiter(Value):
    """A cap: when every term holds, the node's grade is at best ``cap``."""

    id: str
    reading: str
    cap: str
    when: tuple[Term, ...]
    source: str


@attrs.frozen(repr=False, eq=False)
class Scheme(Value):
    """How a node's grade is decided: first matching rule, else default; then limiters."""

    id: str
    title: str
    source: str
    rules: tuple[Rule, ...]
    limiters: tuple[Limiter, ...]
    default: Rule | None
    """The fallback rule; ``None`` when the rule file gives none because its rules
    are meant to cover every input (``peelcalc check`` proves they do)."""


Level = Literal["overall", "question", "area"]


@attrs.frozen(repr=False, eq=False)
class Node(Value):
    """A node of the framework tree: the overall judgment, a core question or an area."""

    id: str
    title: str
    level: Level
    scheme: str | None
    """The id of the :class:`Scheme` that grades this node; ``None`` when it is ungraded."""
    source: str
    children: tuple[Node, ...] = ()

    @property
    def graded(self) -> bool:
        """Whether the ruleset grades this node.

        An ungraded node (``graded = false`` in the rule file, such as PEEL 2016's
        specialist capabilities question, or the framework itself in cycles with no
        overall grade) shows its findings but never gets a grade, and is never
        counted in its parent.
        """
        return self.scheme is not None

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen(repr=False, eq=False)
class Ruleset(Value):
    """A complete, validated ruleset."""

    id: str
    version: str
    title: str
    source: str
    scale: GradeScale
    kinds: tuple[FindingKind, ...]
    schemes: Mapping[str, Scheme] = attrs.field(eq=False)
    root: Node
    content_hash: str
    """``sha256:`` and the hex digest of the rule file's bytes."""
    path: str
    """Where the ruleset was read from."""
    nodes: Mapping[str, Node] = attrs.field(init=False, eq=False, repr=False)
    """Every node by id, derived from ``root`` (for lookups without walking the tree)."""

    @nodes.default
    def _index_nodes(self) -> Mapping[str, Node]:
        return {node.id: node for node in self.root.walk()}

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(node.id for node in self.root.walk())

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(kind.id for kind in self.kinds)


# --------------------------------------------------------------------------- evidence


@attrs.frozen(repr=False, eq=False)
class Finding(Value):
    """One finding of the inspection, as the report states it."""

    kind: str
    text: str
    citation: str
    """Where in the report it stands (a section heading)."""


@attrs.frozen(repr=False, eq=False)
class Indicator(Value):
    """A figure the report gives, shown beside the judgment as context."""

    name: str
    value: float
    unit: str
    period: str
    citation: str
    comparator: float | None = None
    comparator_name: str | None = None


@attrs.frozen(repr=False, eq=False)
class Award(Value):
    """A grade given by an inspector at a node, used upward instead of the derived one."""

    grade: str
    rationale: str


@attrs.frozen(repr=False, eq=False)
class AreaEvidence(Value):
    findings: tuple[Finding, ...] = ()
    indicators: tuple[Indicator, ...] = ()


@attrs.frozen(repr=False, eq=False)
class EarlierFile(Value):
    """An earlier evidence file that a node's judgment is carried from."""

    path: str
    """The file, as the later file names it (relative to the current directory)."""
    force: str
    period: str
    """The period it covers, such as ``2015``: when the carried grade was given."""


@attrs.frozen(repr=False, eq=False)
class Carried(Value):
    """A node not re-inspected, which keeps its judgment from an earlier evidence file.

    The loading layer grades the earlier file and hands the engine the result, so
    the engine itself never reads a file.
    """

    source: EarlierFile
    """The earlier file named in ``[carried.<node>] from = ...``."""
    result: NodeResult
    """The node as graded in that file (itself carried, when the chain goes further back)."""


@attrs.frozen(repr=False, eq=False)
class Evidence(Value):
    """The findings for one force in one period, for one ruleset."""

    force: str
    period: str
    ruleset_id: str
    ruleset_version: str
    source: str | None
    areas: Mapping[str, AreaEvidence] = attrs.field(eq=False)
    awards: Mapping[str, Award] = attrs.field(eq=False)
    path: str
    carried: Mapping[str, Carried] = attrs.field(eq=False, factory=dict)
    """Nodes not re-inspected, by node id, with the judgment each keeps."""


# --------------------------------------------------------------------------- results

Status = Literal["derived", "awarded", "not-assessed", "ungraded", "carried"]


@attrs.frozen(repr=False, eq=False)
class LimiterHit(Value):
    """A limiter that held at a node, and what it capped."""

    limiter: Limiter
    before: str
    """The grade before this cap."""
    findings: tuple[Finding, ...]
    """The findings behind the cap (for terms over findings)."""
    lowered: bool = True
    """Whether the cap lowered the grade; a limiter can hold with the grade already at
    or below its cap."""


@attrs.frozen(repr=False, eq=False)
class Cap(Value):
    """A limiter whose terms all held in one decision, lowering the grade or not."""

    limiter: Limiter
    before: str
    """The grade just before this limiter was applied."""
    lowered: bool
    """Whether it lowered the grade (its cap was below ``before``)."""


@attrs.frozen(repr=False, eq=False)
class Decision(Value):
    """What a scheme decided for one set of child grades and finding counts."""

    rule: Rule
    """The first rule that held, or the scheme's default."""
    grade: str
    """The grade after limiters."""
    limiters: tuple[Limiter, ...]
    """The limiters that lowered the rule's grade, in order."""
    before: tuple[str, ...] = ()
    """The grade just before each of ``limiters`` lowered it."""
    held: tuple[Cap, ...] = ()
    """Every limiter that held, in order, whether or not it lowered the grade."""


@attrs.frozen(repr=False, eq=False)
class NodeResult(Value):
    """The judgment at one node, with everything needed to explain it."""

    node: Node
    derived: str | None
    """The grade the rules give, or ``None`` when nothing below was assessed."""
    rule: Rule | None
    """The rule that decided ``derived``."""
    limiters: tuple[LimiterHit, ...]
    """The limiters that lowered the grade, in order."""
    award: Award | None
    findings: tuple[Finding, ...]
    indicators: tuple[Indicator, ...]
    children: tuple[NodeResult, ...]
    carried: tuple[EarlierFile, ...] = ()
    """For a node kept from an earlier evidence file: that file, then each file
    further back, ending with the file it was last graded in. Empty otherwise.
    Everything else in a carried result is as that last file graded it."""
    held: tuple[LimiterHit, ...] = ()
    """Every limiter that held, in order, with whether it lowered the grade: explanations
    need the caps that held without lowering too."""

    @property
    def grade(self) -> str | None:
        """The grade used upward: the awarded grade if any, else the derived one.

        ``None`` when the node is not assessed or ungraded.
        """
        return self.award.grade if self.award is not None else self.derived

    @property
    def status(self) -> Status:
        """``carried`` (kept from an earlier file), ``ungraded`` (the ruleset gives no
        grade here), ``awarded``, ``derived`` or ``not-assessed``."""
        if self.carried:
            return "carried"
        if not self.node.graded:
            return "ungraded"
        if self.award is not None:
            return "awarded"
        return "derived" if self.derived is not None else "not-assessed"

    @property
    def carried_from(self) -> str:
        """Where a carried judgment comes from, such as
        "carried from 2016 (b.toml), as graded in 2015 (a.toml)"; empty if not carried."""
        if not self.carried:
            return ""
        first, last = self.carried[0], self.carried[-1]
        text = f"carried from {first.period} ({first.path})"
        if len(self.carried) > 1:
            text += f", as graded in {last.period} ({last.path})"
        return text

    @property
    def counted(self) -> bool:
        """Whether the parent counts this node's grade (an ungraded node never counts)."""
        return self.node.graded and self.grade is not None

    def walk(self) -> Iterator[NodeResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen(repr=False, eq=False)
class Result(Value):
    """The graded evidence file."""

    ruleset: Ruleset
    evidence: Evidence
    root: NodeResult

    def find(self, node_id: str) -> NodeResult:
        for result in self.root.walk():
            if result.node.id == node_id:
                return result
        raise KeyError(node_id)


def subtree_findings(children: Sequence[NodeResult]) -> tuple[Finding, ...]:
    """Every finding at or below these results, in tree order."""
    return tuple(f for child in children for r in child.walk() for f in r.findings)


def counted_findings(children: Sequence[NodeResult]) -> tuple[Finding, ...]:
    """The findings a parent's finding conditions count: those at or below these
    results, leaving out ungraded subtrees (never counted in a parent) and carried
    ones (they count by their carried grade; their findings are the earlier file's)."""
    out: list[Finding] = []
    for child in children:
        if child.carried or not child.node.graded:
            continue
        out.extend(child.findings)
        out.extend(counted_findings(child.children))
    return tuple(out)
