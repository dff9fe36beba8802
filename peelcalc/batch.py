"""Many graded files at once: the summary, the national distribution and consistency.

Pure: takes graded :class:`~peelcalc.model.Result` values and the files that failed,
returns a :class:`Batch`. Finding and reading the files is :mod:`peelcalc.collect`;
drawing the batch is :mod:`peelcalc.render`.

A grade means something only next to the ruleset that produced it, so everything
is grouped by ruleset (id, version and content hash) and never counted across them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import attrs

from peelcalc.errors import Location, PeelcalcError
from peelcalc.model import EarlierFile, Node, NodeResult, Result, Ruleset, counted_findings

# --------------------------------------------------------------------------- values


@attrs.frozen
class Failure:
    """An evidence file that could not be graded, and why."""

    path: str
    """The file as found on the command line or in a folder."""
    message: str
    """What is wrong, without the location."""
    location: Location | None
    """Where in the file (file, key path, line), when known."""
    hint: str
    """A suggestion, or an empty string."""

    @classmethod
    def from_error(cls, path: str, error: PeelcalcError) -> Failure:
        return cls(path, error.message, error.location, error.hint)

    def __str__(self) -> str:
        where = str(self.location) if self.location is not None else self.path
        if self.location is not None and self.location.file != self.path:
            # The problem is in another file (an earlier file it carries from, the rule
            # file): say which evidence file it stopped too.
            where = f"{self.path}: {where}"
        text = f"{where}: {self.message}"
        hint = "; ".join(line.strip() for line in self.hint.splitlines() if line.strip())
        return f"{text} (hint: {hint})" if hint else text


@attrs.frozen
class Cell:
    """One node's judgment in one file, as the summary shows it."""

    node: Node
    """The node of the ruleset."""
    grade: str | None
    """The grade used upward (awarded, derived, carried ...), or ``None`` when there is none."""
    status: str
    """How the grade came about, as :attr:`NodeResult.status` says (``derived``, ``awarded``,
    ``carried``, ``not-assessed``, ``ungraded`` ...)."""
    carried_from: EarlierFile | None = None
    """For a carried grade, the earlier file it is carried from."""
    awarded_below: bool = False
    """Whether an inspector awarded a grade at some node below this one (which moves
    this node's derived grade without any change in the findings)."""

    @classmethod
    def of(cls, result: NodeResult) -> Cell:
        source = result.carried[0] if result.carried else None
        below = any(r.award is not None for child in result.children for r in child.walk())
        return cls(result.node, result.grade, result.status, source, below)


#: Counts of findings of each kind (in the ruleset's kind order) per core question.
Profile = tuple[tuple[str, tuple[int, ...]], ...]


@attrs.frozen
class FileRow:
    """One graded evidence file in the summary."""

    result: Result
    """The full graded result."""
    cells: tuple[Cell, ...]
    """The summary nodes' judgments, in the order of :attr:`RulesetGroup.nodes`."""
    profile: Profile
    """The evidence profile: findings of each kind per core question."""

    @property
    def force(self) -> str:
        return self.result.evidence.force

    @property
    def period(self) -> str:
        return self.result.evidence.period

    @property
    def path(self) -> str:
        return self.result.evidence.path


@attrs.frozen
class Tally:
    """How many files have each grade at one node."""

    node: Node
    """The node counted."""
    grades: tuple[tuple[str, int], ...]
    """Each grade of the scale, best first, with how many files have it (zeros included)."""
    without_grade: tuple[tuple[str, int], ...]
    """Files with no grade here, by status (such as ``not-assessed``); never counted as a grade."""
    statuses: tuple[tuple[str, int], ...]
    """Every file by status (``derived``, ``awarded``, ``carried`` ...), so that a reader
    can see how many of the grades counted were awarded or carried."""

    def count(self, grade_id: str) -> int:
        return dict(self.grades).get(grade_id, 0)


@attrs.frozen
class Distribution:
    """The national distribution for one ruleset and one period."""

    period: str
    """The period the files name, such as ``2015``."""
    files: int
    """How many graded files it counts."""
    tallies: tuple[Tally, ...]
    """One tally per summary node, in the order of :attr:`RulesetGroup.nodes`."""
    repeated: tuple[tuple[str, int], ...]
    """Forces counted more than once (several files for one force and period), with how often."""


@attrs.frozen
class Difference:
    """A node where files with the same evidence profile have different grades."""

    node: Node
    """The node whose grades differ."""
    cells: tuple[Cell, ...]
    """Each member's judgment at the node, in the order of :attr:`ConsistencyGroup.members`."""

    @property
    def awarded(self) -> bool:
        """Whether an inspector's awarded grade is part of the difference."""
        return any(cell.status == "awarded" for cell in self.cells)

    @property
    def bases(self) -> tuple[str, ...]:
        """The statuses behind the differing grades, such as ``("awarded", "derived")``."""
        return tuple(sorted({cell.status for cell in self.cells}))

    @property
    def awarded_below(self) -> bool:
        """Whether an awarded grade further down is behind the difference."""
        return any(cell.awarded_below for cell in self.cells)


@attrs.frozen
class ConsistencyGroup:
    """Files whose evidence profile is identical but whose grades differ somewhere."""

    profile: Profile
    """The shared evidence profile."""
    members: tuple[FileRow, ...]
    """The files, in batch order."""
    differences: tuple[Difference, ...]
    """The summary nodes where the grades differ, awarded differences first."""

    @property
    def awarded(self) -> bool:
        return any(d.awarded for d in self.differences)


@attrs.frozen
class RulesetGroup:
    """Every file graded under one ruleset (same id, version and content hash)."""

    ruleset: Ruleset
    """The ruleset."""
    nodes: tuple[Node, ...]
    """The summary columns: each graded core question, then the overall judgment if graded."""
    ungraded: tuple[Node, ...]
    """Core questions the ruleset never grades (such as PEEL 2016's Q5), left out of columns."""
    rows: tuple[FileRow, ...]
    """The files, in batch order."""
    distributions: tuple[Distribution, ...]
    """One national distribution per period, in order of first appearance."""
    consistency: tuple[ConsistencyGroup, ...]
    """Groups of files with the same evidence profile but different grades."""


@attrs.frozen
class Batch:
    """The outcome of grading many evidence files."""

    groups: tuple[RulesetGroup, ...]
    """One group per ruleset, in order of first appearance."""
    failures: tuple[Failure, ...]
    """Files that could not be graded."""
    notes: tuple[str, ...] = ()
    """Things the user should know that are not failures, such as rule files skipped."""

    @property
    def graded(self) -> int:
        return sum(len(group.rows) for group in self.groups)


# --------------------------------------------------------------------------- building


def ruleset_key(ruleset: Ruleset) -> tuple[str, str, str]:
    """What makes two grades comparable: the same ruleset id, version and content."""
    return (ruleset.id, ruleset.version, ruleset.content_hash)


def summary_nodes(ruleset: Ruleset) -> tuple[Node, ...]:
    """The graded core questions, then the overall judgment when the ruleset grades one
    (the 2021+ frameworks do not)."""
    questions = tuple(n for n in ruleset.root.walk() if n.level == "question" and n.graded)
    root = ruleset.root
    return questions + ((root,) if root.level == "overall" and root.graded else ())


def profile(result: Result) -> Profile:
    """Counts of findings of each kind per graded core question.

    Only this file's own evidence counts: the findings behind a carried grade are the
    earlier file's, and an ungraded node's findings never count towards a grade.
    """
    kinds = result.ruleset.kind_ids
    out = []
    for node in result.root.walk():
        if node.node.level != "question" or not node.node.graded:
            continue
        found = () if node.carried else (*node.findings, *counted_findings(node.children))
        counts = Counter(f.kind for f in found)
        out.append((node.node.id, tuple(counts[kind] for kind in kinds)))
    return tuple(out)


def _row(result: Result, nodes: Sequence[Node]) -> FileRow:
    by_id = {r.node.id: r for r in result.root.walk()}
    return FileRow(result, tuple(Cell.of(by_id[node.id]) for node in nodes), profile(result))


def _tally(ruleset: Ruleset, index: int, rows: Sequence[FileRow]) -> Tally:
    cells = [row.cells[index] for row in rows]
    graded = Counter(cell.grade for cell in cells if cell.grade is not None)
    without = Counter(cell.status for cell in cells if cell.grade is None)
    statuses = Counter(cell.status for cell in cells)
    return Tally(
        node=cells[0].node,
        grades=tuple((grade_id, graded[grade_id]) for grade_id in ruleset.scale.ids),
        without_grade=tuple(sorted(without.items())),
        statuses=tuple(sorted(statuses.items())),
    )


def _distributions(
    ruleset: Ruleset, nodes: Sequence[Node], rows: Sequence[FileRow]
) -> tuple[Distribution, ...]:
    by_period: dict[str, list[FileRow]] = defaultdict(list)
    for row in rows:
        by_period[row.period].append(row)
    out = []
    for period, members in by_period.items():
        forces = Counter(row.force for row in members)
        out.append(
            Distribution(
                period=period,
                files=len(members),
                tallies=tuple(_tally(ruleset, i, members) for i in range(len(nodes))),
                repeated=tuple(sorted((f, n) for f, n in forces.items() if n > 1)),
            )
        )
    return tuple(out)


def _consistency(nodes: Sequence[Node], rows: Sequence[FileRow]) -> tuple[ConsistencyGroup, ...]:
    by_profile: dict[Profile, list[FileRow]] = defaultdict(list)
    for row in rows:
        by_profile[row.profile].append(row)
    out = []
    for shared, members in by_profile.items():
        if len(members) < 2:
            continue
        differences = []
        for index, node in enumerate(nodes):
            cells = tuple(row.cells[index] for row in members)
            # A carried grade was not given on this evidence, so it is no inconsistency.
            judged = {cell.grade for cell in cells if cell.status != "carried"}
            if len(judged) > 1:
                differences.append(Difference(node, cells))
        if differences:
            differences.sort(key=lambda d: not d.awarded)  # stable: tree order within each
            out.append(ConsistencyGroup(shared, tuple(members), tuple(differences)))
    out.sort(key=lambda g: not g.awarded)
    return tuple(out)


def summarise(
    results: Iterable[Result], failures: Iterable[Failure] = (), notes: Iterable[str] = ()
) -> Batch:
    """The batch for these graded results and failed files; results keep their order."""
    by_ruleset: dict[tuple[str, str, str], list[Result]] = defaultdict(list)
    for result in results:
        by_ruleset[ruleset_key(result.ruleset)].append(result)
    groups = []
    for members in by_ruleset.values():
        ruleset = members[0].ruleset
        nodes = summary_nodes(ruleset)
        rows = tuple(_row(result, nodes) for result in members)
        groups.append(
            RulesetGroup(
                ruleset=ruleset,
                nodes=nodes,
                ungraded=tuple(
                    n for n in ruleset.root.walk() if n.level == "question" and not n.graded
                ),
                rows=rows,
                distributions=_distributions(ruleset, nodes, rows),
                consistency=_consistency(nodes, rows),
            )
        )
    return Batch(tuple(groups), tuple(failures), tuple(notes))
