"""Two graded files side by side: grades, direction of change, findings added and resolved.

Pure: takes two :class:`~peelcalc.model.Result` values (and, across rulesets, a
:class:`RulesetMapping`) and returns a :class:`Diff`. Reading the files and the
mapping is :mod:`peelcalc.workflow` and :mod:`peelcalc.mapping`.

Grades are compared only under the same rules: the same ruleset content (its
content hash), or through a mapping the user gives and answers for.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from peelcalc.errors import UsageError
from peelcalc.model import Finding, NodeResult, Result, Ruleset

Direction = Literal[
    "up",
    "down",
    "same",
    "newly-assessed",
    "no-longer-assessed",
    "not-graded",
    "only-in-old",
    "only-in-new",
]

#: What each direction means, for the README and the outputs' legends.
DIRECTION_WORDS: Mapping[Direction, str] = {
    "up": "up",
    "down": "down",
    "same": "same",
    "newly-assessed": "newly assessed",
    "no-longer-assessed": "no longer assessed",
    "not-graded": "not graded",
    "only-in-old": "old ruleset only",
    "only-in-new": "new ruleset only",
}


@attrs.frozen
class RulesetMapping:
    """Which nodes, grades and finding kinds of one ruleset correspond to another's."""

    path: str
    """The mapping file."""
    old: str
    """The id of the ruleset the old file is graded by."""
    new: str
    """The id of the ruleset the new file is graded by."""
    rationale: str
    """Why the user holds these to correspond (shown with every diff through the mapping)."""
    nodes: Mapping[str, str | None] = attrs.field(eq=False)
    """Old node id to new node id, or ``None`` for no counterpart. A node not listed
    corresponds to the new node of the same id, if there is one."""
    grades: Mapping[str, str] = attrs.field(eq=False)
    """Every old grade id to a new grade id."""
    kinds: Mapping[str, str] = attrs.field(eq=False)
    """Old finding kind to new finding kind; a kind not listed keeps its id."""

    def node(self, old_id: str, new_ids: tuple[str, ...]) -> str | None:
        if old_id in self.nodes:
            return self.nodes[old_id]
        return old_id if old_id in new_ids else None


@attrs.frozen
class NodeChange:
    """One node in both files (or in one, when it has no counterpart)."""

    old: NodeResult | None
    """The node in the old file, or ``None`` when it has no counterpart there."""
    new: NodeResult | None
    """The node in the new file, or ``None`` when it has no counterpart there."""
    old_on_new_scale: str | None
    """The old grade, through the mapping's grades when there is one."""
    direction: Direction
    """Which way the grade moved."""
    moved: tuple[NodeChange, ...]
    """The sub-judgments directly below whose grade moved (see :attr:`changed`)."""

    @property
    def id(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.node.id

    @property
    def level(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.node.level

    @property
    def title(self) -> str:
        node = self.new or self.old
        assert node is not None
        return node.node.title

    @property
    def old_id(self) -> str | None:
        return self.old.node.id if self.old is not None else None

    @property
    def changed(self) -> bool:
        """Whether the grade moved: up, down, newly or no longer assessed (a node with no
        counterpart in the other ruleset has nothing to move from or to)."""
        return self.direction in ("up", "down", "newly-assessed", "no-longer-assessed")


@attrs.frozen
class AreaFindings:
    """Findings of one area matched between the two files."""

    old_area: str | None
    """The area's id in the old ruleset, or ``None`` when it has no counterpart there."""
    new_area: str | None
    """The area's id in the new ruleset, or ``None`` when it has no counterpart there."""
    added: tuple[Finding, ...]
    """In the new file only."""
    resolved: tuple[Finding, ...]
    """In the old file only."""
    standing: tuple[Finding, ...]
    """In both (as the new file words them)."""

    @property
    def id(self) -> str:
        area = self.new_area or self.old_area
        assert area is not None
        return area


@attrs.frozen
class Diff:
    """Two graded files compared."""

    old: Result
    """The earlier file, graded."""
    new: Result
    """The later file, graded."""
    mapping: RulesetMapping | None
    """The mapping used, or ``None`` when both files are graded by the same rules."""
    nodes: tuple[NodeChange, ...]
    """Every node, in the new ruleset's tree order, then old nodes without counterpart."""
    findings: tuple[AreaFindings, ...]
    """Each area with findings in either file, in the same order."""
    notes: tuple[str, ...]
    """Things to bear in mind, such as two different forces."""


# --------------------------------------------------------------------------- rulesets


def refusal(old: Ruleset, new: Ruleset) -> str | None:
    """Why grades under these two rulesets cannot be compared directly, or ``None``.

    Only the same content is the same rules: a new version, or an edit without a new
    version, can move a grade without any change in the evidence.
    """
    if old.content_hash == new.content_hash:
        return None
    names = (
        f"OLD is graded by {old.id} {old.version} ({old.content_hash[:19]}), "
        f"NEW by {new.id} {new.version} ({new.content_hash[:19]})"
    )
    if old.scale.ids != new.scale.ids:
        why = (
            f"their grade scales differ ({', '.join(old.scale.ids)} against "
            f"{', '.join(new.scale.ids)}), and the inspectorate warns that 2021/22 grades cannot "
            "be compared directly with earlier ones: a move from good to adequate is not by "
            "itself a fall in performance"
        )
    elif old.id != new.id:
        why = (
            "they are different rulesets, whose questions, areas and rules differ, so the same "
            "grade need not mean the same thing (PEEL changed its framework with almost every "
            "cycle)"
        )
    elif old.version != new.version:
        why = (
            "a new version of a ruleset can change its rules, so a grade could move because "
            "the rules changed and not the evidence"
        )
    else:
        why = (
            "the two rule files have the same id and version but different contents, so a "
            "grade could move because the rules changed and not the evidence"
        )
    return f"will not compare grades across rulesets: {names}; {why}"


# --------------------------------------------------------------------------- findings


def normalise(text: str) -> str:
    """The text findings are matched by: case, punctuation, quotes and spacing ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def _areas(result: Result) -> Iterator[NodeResult]:
    return (node for node in result.root.walk() if not node.node.children)


def _match(
    old: tuple[Finding, ...], new: tuple[Finding, ...], kinds: Mapping[str, str]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[Finding, ...]]:
    """Added, resolved and standing: matched by kind and normalised text, each at most once."""
    waiting: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, finding in enumerate(old):
        waiting[(kinds.get(finding.kind, finding.kind), normalise(finding.text))].append(index)
    added, standing = [], []
    for finding in new:
        same = waiting.get((finding.kind, normalise(finding.text)))
        if same:
            same.pop(0)
            standing.append(finding)
        else:
            added.append(finding)
    left = sorted(index for indices in waiting.values() for index in indices)
    return tuple(added), tuple(old[index] for index in left), tuple(standing)


# --------------------------------------------------------------------------- grades


def _direction(
    ruleset: Ruleset, old: NodeResult | None, old_grade: str | None, new: NodeResult | None
) -> Direction:
    if old is None:
        return "only-in-new"
    if new is None:
        return "only-in-old"
    if old_grade is None and new.grade is None:
        return "not-graded"
    if old_grade is None:
        return "newly-assessed"
    if new.grade is None:
        return "no-longer-assessed"
    before, after = ruleset.scale.rank(old_grade), ruleset.scale.rank(new.grade)
    return "same" if before == after else "up" if after < before else "down"


def compare(old: Result, new: Result, mapping: RulesetMapping | None = None) -> Diff:
    """Compare two graded files. Without a mapping both must be graded by the same rules.

    Raises :class:`UsageError` saying why, when the rules differ and no mapping is given.
    """
    reason = refusal(old.ruleset, new.ruleset)
    if reason is not None and mapping is None:
        raise UsageError(
            reason,
            hint="give --mapping FILE saying which nodes and grades correspond "
            "(see 'Mapping file' in the README)",
        )
    new_ids = new.ruleset.node_ids
    old_nodes = {node.node.id: node for node in old.root.walk()}
    new_nodes = {node.node.id: node for node in new.root.walk()}
    counterpart: dict[str, str] = {}  # new id -> old id
    for old_id in old_nodes:
        target = mapping.node(old_id, new_ids) if mapping is not None else old_id
        if target is not None and target in new_nodes:
            counterpart[target] = old_id
    grades: Mapping[str, str] = mapping.grades if mapping is not None else {}
    kinds: Mapping[str, str] = mapping.kinds if mapping is not None else {}

    def change(old_node: NodeResult | None, new_node: NodeResult | None) -> NodeChange:
        old_grade = old_node.grade if old_node is not None else None
        on_new = grades.get(old_grade, old_grade) if old_grade is not None else None
        moved: list[NodeChange] = []
        if new_node is not None:
            for child in new_node.children:
                below = old_nodes.get(counterpart.get(child.node.id, ""))
                moved.append(change(below, child))
        elif old_node is not None:
            moved += [change(child, None) for child in old_node.children]
        return NodeChange(
            old_node,
            new_node,
            on_new,
            _direction(new.ruleset, old_node, on_new, new_node),
            tuple(m for m in moved if m.changed),
        )

    changes = [
        change(old_nodes.get(counterpart.get(node.node.id, "")), node) for node in new.root.walk()
    ]
    matched = set(counterpart.values())
    changes += [change(node, None) for node in old.root.walk() if node.node.id not in matched]

    findings = []
    empty: tuple[Finding, ...] = ()
    for area in _areas(new):
        before = old_nodes.get(counterpart.get(area.node.id, ""))
        added, resolved, standing = _match(
            before.findings if before else empty, area.findings, kinds
        )
        if added or resolved or standing:
            old_area = before.node.id if before else None
            findings.append(AreaFindings(old_area, area.node.id, added, resolved, standing))
    for area in _areas(old):
        if area.node.id not in matched and area.findings:
            findings.append(AreaFindings(area.node.id, None, (), area.findings, ()))

    notes = []
    if old.evidence.force != new.evidence.force:
        notes.append(
            f"the two files are for different forces ({old.evidence.force}; {new.evidence.force})"
        )
    if mapping is not None:
        notes.append(f"compared through the mapping {mapping.path}: {mapping.rationale}")
    return Diff(old, new, mapping, tuple(changes), tuple(findings), tuple(notes))
