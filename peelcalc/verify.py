"""Exact verification of a ruleset's schemes. Pure: values in, issues out.

For every scheme, and every number of assessed children its nodes can have,
this proves or refutes: every input gets a grade (completeness); every rule can
decide some input (no shadowed or dead rule); a better child or better findings
never give a worse grade (monotonicity); every limiter can hold and can change a
grade, and never raises one; every grade of the scale can be produced at every
node. Each refutation comes with a concrete input.

See :mod:`peelcalc.scheme_inputs` for why this is exact without enumerating every
combination of child grades, and where it is bounded (shares of findings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from peelcalc.model import Decision, FindingKind, GradeScale, Node, Ruleset, Scheme
from peelcalc.scheme_inputs import Analysis, Example, required, shared_kinds

Check = Literal[
    "completeness", "shadowed", "monotonicity", "limiter", "unreachable", "unused", "bounded"
]
Severity = Literal["error", "warning", "note"]
SubjectKind = Literal["scheme", "rule", "limiter", "node"]


@attrs.frozen
class Subject:
    """What an issue is about, so that it can be located in the rule file."""

    kind: SubjectKind
    id: str
    """The rule, limiter or node id, or the scheme's name."""
    scheme: str
    """The scheme it belongs to (or that grades the node)."""


@attrs.frozen
class Issue:
    """One problem (or warning) found by verification."""

    check: Check
    """The class of problem, as ``peelcalc check`` names it."""
    severity: Severity
    """``error`` fails a check; ``warning`` only with ``--strict``; ``note`` never."""
    subject: Subject
    """The scheme, rule, limiter or node to point at."""
    message: str
    """The problem in plain English, with its example in words."""
    examples: tuple[Example, ...] = ()
    """The input behind the message (for monotonicity: before and after)."""


# --------------------------------------------------------------------------- one scheme


@attrs.frozen
class SchemeReport:
    """What verification found for one scheme, and the grades it can produce by size."""

    issues: tuple[Issue, ...]
    grades_by_size: Mapping[int, frozenset[str]] = attrs.field(eq=False)
    """For each number of assessed children (0: an area graded from findings alone),
    the grades some input gives."""
    inputs: int
    """How many abstract inputs (pairs of count and capped finding vectors) were examined."""


def verify_scheme(
    scheme: Scheme,
    scale: GradeScale,
    kinds: Sequence[FindingKind],
    sizes: Sequence[int],
    share_box: int | None = None,
) -> SchemeReport:
    """Verify ``scheme`` for nodes with each number of assessed children in ``sizes``.

    Size 0 stands for areas, graded from their findings alone (and assessed only
    when they have at least one finding). ``share_box``: see :func:`finding_caps`.
    """
    analysis = Analysis(scheme, scale, kinds, sizes, share_box)
    issues = [
        *_bounded(analysis),
        *_completeness(analysis),
        *_shadowed(analysis),
        *_limiters(analysis),
        *_monotone_children(analysis),
        *_monotone_findings(analysis),
    ]
    grades_by_size = {
        total: frozenset(
            d.grade
            for cm in analysis.masks_by_size[total]
            for fm in analysis.finding_masks(total)
            if (d := analysis.pairs[cm, fm]) is not None
        )
        for total in sizes
    }
    return SchemeReport(tuple(issues), grades_by_size, len(analysis.pairs))


def _bounded(analysis: Analysis) -> list[Issue]:
    """Say so when shares of findings make the check exhaustive only up to a bound."""
    issues = []
    compressed = analysis.masks.compressed
    if compressed:
        issues.append(
            Issue(
                "bounded",
                "note",
                Subject("scheme", analysis.scheme.id, analysis.scheme.id),
                f"scheme '{analysis.scheme.id}' has bounds too large to examine every count of "
                f"findings ({', '.join(compressed)}): those counts were examined at 0 to 8 and "
                "around each bound, which is exact for conditions on one kind and a bounded "
                "check for sums of several",
            )
        )
    shared = shared_kinds(analysis.masks.finding_terms)
    if not shared:
        return issues
    box = min(analysis.masks.caps[k] for k in shared)
    return [
        *issues,
        Issue(
            "bounded",
            "note",
            Subject("scheme", analysis.scheme.id, analysis.scheme.id),
            f"scheme '{analysis.scheme.id}' has conditions on shares of findings "
            f"({', '.join(shared)}), which no finite set of counts stands for exactly: it was "
            f"checked for every count up to {box} of each of those kinds, a bounded check "
            "rather than a proof",
        ),
    ]


def _completeness(analysis: Analysis) -> list[Issue]:
    scheme = analysis.scheme
    gaps = [key for key, decision in analysis.pairs.items() if decision is None]
    if not gaps:
        return []
    shown = [analysis.example(*key) for key in gaps[:3]]
    cases = "; nor ".join(analysis.words(example) for example in shown)
    fall = (
        "1 combination of conditions falls"
        if len(gaps) == 1
        else f"{len(gaps)} combinations of conditions fall"
    )
    return [
        Issue(
            "completeness",
            "error",
            Subject("scheme", scheme.id, scheme.id),
            f"scheme '{scheme.id}' gives no grade to some inputs, and has no default: no rule "
            f"decides {cases} (in all, {fall} through every rule)",
            tuple(shown),
        )
    ]


def _shadowed(analysis: Analysis) -> list[Issue]:
    scheme, issues = analysis.scheme, []
    for index, rule in enumerate(scheme.rules):
        holding = analysis.holding(rule)
        subject = Subject("rule", rule.id, scheme.id)
        if not holding:
            most = max(analysis.sizes)
            issues.append(
                Issue(
                    "shadowed",
                    "error",
                    subject,
                    f"rule '{rule.id}' can never hold: no input satisfies all its conditions"
                    + (f" (with up to {most} assessed children)" if most else ""),
                )
            )
            continue
        if any((d := analysis.pairs[key]) is not None and d.rule is rule for key in holding):
            continue
        shown = analysis.example(*holding[0])
        issues.append(
            Issue(
                "shadowed",
                "error",
                subject,
                f"rule '{rule.id}' (rule {index + 1} of {len(scheme.rules)}) never decides: "
                f"earlier rules catch every input it holds for; e.g. {analysis.words(shown)} "
                f"is decided by '{shown.rule}'",
                (shown,),
            )
        )
    return issues


def _limiters(analysis: Analysis) -> list[Issue]:
    scheme, scale, issues = analysis.scheme, analysis.scale, []
    for limiter in scheme.limiters:
        holding = analysis.holding(limiter)
        subject = Subject("limiter", limiter.id, scheme.id)
        if not holding:
            issues.append(
                Issue(
                    "limiter",
                    "warning",
                    subject,
                    f"limiter '{limiter.id}' can never hold: no input satisfies all its conditions",
                )
            )
        elif not any(
            (d := analysis.pairs[key]) is not None and limiter in d.limiters for key in holding
        ):
            issues.append(
                Issue(
                    "limiter",
                    "warning",
                    subject,
                    f"limiter '{limiter.id}' never changes a grade: whenever it holds, the "
                    f"grade is already {scale.get(limiter.cap).label} or below",
                    (analysis.example(*holding[0]),),
                )
            )
    # The engine caps by taking the worse grade, so this cannot happen today; it is
    # checked because the guarantee is the point of a limiter.
    for key, decision in analysis.pairs.items():
        if decision is not None and scale.rank(decision.grade) < scale.rank(decision.rule.grade):
            shown = analysis.example(*key)
            issues.append(
                Issue(
                    "limiter",
                    "error",
                    Subject("limiter", decision.limiters[-1].id, scheme.id),
                    f"a limiter raised a grade: {analysis.words(shown)} gives "
                    f"{shown.outcome(scale)}, better than rule '{decision.rule.id}' gives",
                    (shown,),
                )
            )
            break
    return issues


def _blame(
    analysis: Analysis, before: tuple[int, int], worse: Decision, better: Decision
) -> Subject:
    """What a worse grade after a better input is attributed to: the last cap that
    lowered it; else the rule that gave it, when that rule starts to hold with the better
    input; but when it held already (the default always does) and was only passed over,
    the rule that gave the better grade before and stopped holding."""
    scheme = analysis.scheme
    if better.limiters:
        return Subject("limiter", better.limiters[-1].id, scheme.id)
    need_c, need_f = required(better.rule, analysis.masks)
    if before[0] & need_c == need_c and before[1] & need_f == need_f:
        return Subject("rule", worse.rule.id, scheme.id)
    return Subject("rule", better.rule.id, scheme.id)


@attrs.frozen
class _Point:
    """One input: its masks, and the very counts shown in a counterexample."""

    cm: int
    fm: int
    vector: tuple[int, ...]
    found: tuple[int, ...]
    extra: bool = False
    """Show a finding of a kind no term names (see :meth:`Analysis.example`)."""

    @property
    def key(self) -> tuple[int, int]:
        return self.cm, self.fm


def _violation(analysis: Analysis, before: _Point, after: _Point, change: str) -> Issue:
    """``after`` is the better input but has the worse grade."""
    scale = analysis.scale
    first, second = analysis.pairs[before.key], analysis.pairs[after.key]
    assert first is not None and second is not None
    a = analysis.example(before.cm, before.fm, before.vector, before.found, before.extra)
    b = analysis.example(after.cm, after.fm, after.vector, after.found, after.extra)
    subject = _blame(analysis, before.key, first, second)
    why = ""
    if subject.kind == "rule" and subject.id != second.rule.id:
        why = f" because rule '{subject.id}' stops holding"
    return Issue(
        "monotonicity",
        "error",
        subject,
        f"not monotone: {change} lowers the grade from {scale.get(first.grade).label} to "
        f"{scale.get(second.grade).label}{why}. Before: {analysis.words(a)} → "
        f"{a.outcome(scale)}. After: {analysis.words(b)} → {b.outcome(scale)}",
        (a, b),
    )


def _rank(analysis: Analysis, key: tuple[int, int]) -> int | None:
    decision = analysis.pairs[key]
    return None if decision is None else analysis.scale.rank(decision.grade)


def _blame_once(
    analysis: Analysis, kept: dict[Subject, Issue], before: _Point, after: _Point, change: str
) -> None:
    """Keep one counterexample per rule or limiter blamed: the first found."""
    worse, better = analysis.pairs[before.key], analysis.pairs[after.key]
    assert worse is not None and better is not None
    subject = _blame(analysis, before.key, worse, better)
    if subject not in kept:
        kept[subject] = _violation(analysis, before, after, change)


def _monotone_children(analysis: Analysis) -> list[Issue]:
    """Raising one child by one grade moves one unit of count one place up the scale."""
    kept: dict[Subject, Issue] = {}
    labels = [g.label for g in analysis.scale.grades]
    seen: set[tuple[int, int]] = set()
    for total in analysis.sizes:
        if total == 0:
            continue
        vectors = analysis.masks.vectors[total]
        for vector, cm in vectors.items():
            for r in range(1, len(vector)):
                if not vector[r]:
                    continue
                raised = list(vector)
                raised[r] -= 1
                raised[r - 1] += 1
                better = vectors[tuple(raised)]
                if better == cm or (cm, better) in seen:
                    continue
                seen.add((cm, better))
                for fm in analysis.all_masks:
                    was, now = _rank(analysis, (cm, fm)), _rank(analysis, (better, fm))
                    if was is not None and now is not None and now > was:
                        found = analysis.fewest[fm]
                        _blame_once(
                            analysis,
                            kept,
                            _Point(cm, fm, vector, found),
                            _Point(better, fm, tuple(raised), found),
                            f"raising one child from {labels[r]} to {labels[r - 1]}",
                        )
    return list(kept.values())


Move = tuple[tuple[int, ...], tuple[int, ...], str]
"""A finding vector, the same with one more finding of a kind, and that kind."""


def _monotone_findings(analysis: Analysis) -> list[Issue]:
    """One more finding of a positive kind never lowers; of a negative kind never raises."""
    masks = analysis.masks
    caps = masks.caps
    # Keyed by effect too: a positive and a negative kind named in the same term can
    # make the same move between masks, and must be judged each by its own effect.
    # An area is assessed only with some finding, so its moves start from one.
    moves: dict[tuple[int, int, str], Move] = {}
    area_moves: dict[tuple[int, int, str], Move] = {}
    for vector, fm in masks.findings.items():
        for index, kind in enumerate(masks.kinds):
            if vector[index] < caps[kind]:
                more = list(vector)
                more[index] += 1
                fm2 = masks.findings.get(tuple(more))
                # Compressed counts skip runs in which no condition on the kind changes.
                if fm2 is not None and fm2 != fm:
                    key = (fm, fm2, analysis.effects[kind])
                    moves.setdefault(key, (vector, tuple(more), kind))
                    if any(vector) or analysis.unnamed:
                        area_moves.setdefault(key, (vector, tuple(more), kind))

    kept: dict[Subject, Issue] = {}
    for total in analysis.sizes:
        for cm in analysis.masks_by_size[total]:
            child = analysis.child_rep[cm]
            for (fm, fm2, effect), (fewer, added, kind) in (
                area_moves if total == 0 else moves
            ).items():
                was, now = _rank(analysis, (cm, fm)), _rank(analysis, (cm, fm2))
                if was is None or now is None:
                    continue
                # An area with no named finding is assessed by one of another kind,
                # shown on both sides so that they differ by exactly one finding.
                extra = total == 0 and not any(fewer)
                low = _Point(cm, fm, child, fewer, extra)
                high = _Point(cm, fm2, child, added, extra)
                if effect == "positive" and now > was:
                    change = f"one more '{kind}' finding (a positive kind)"
                    _blame_once(analysis, kept, low, high, change)
                elif effect == "negative" and now < was:
                    change = f"one '{kind}' finding fewer (a negative kind)"
                    _blame_once(analysis, kept, high, low, change)
    return list(kept.values())


# --------------------------------------------------------------------------- a ruleset


def _counted(node: Node) -> int:
    """How many children a node's scheme can count: its graded children."""
    return sum(1 for child in node.children if child.graded)


def _sizes_of(node: Node) -> range:
    """The numbers of assessed children ``node`` can have; 0 for an area."""
    # Children not assessed (or ungraded) are left out of the counts, so any
    # number from one to all the graded children can be counted.
    return range(1, _counted(node) + 1) if node.children else range(0, 1)


def verify(ruleset: Ruleset) -> tuple[Issue, ...]:
    """Verify every scheme of ``ruleset`` over the graded nodes that use it."""
    users: dict[str, list[Node]] = {name: [] for name in ruleset.schemes}
    for node in ruleset.root.walk():
        if node.scheme is not None:
            users.setdefault(node.scheme, []).append(node)
    issues: list[Issue] = []
    for name, scheme in ruleset.schemes.items():
        nodes = users[name]
        if not nodes:
            issues.append(
                Issue(
                    "unused",
                    "warning",
                    Subject("scheme", name, name),
                    f"scheme '{name}' is not used by any node",
                )
            )
            continue
        sizes = sorted({size for node in nodes for size in _sizes_of(node)})
        report = verify_scheme(scheme, ruleset.scale, ruleset.kinds, sizes)
        issues.extend(report.issues)
        for node in nodes:
            reachable = frozenset[str]().union(*(report.grades_by_size[n] for n in _sizes_of(node)))
            missing = [g.label for g in ruleset.scale.grades if g.id not in reachable]
            if missing:
                inputs = (
                    f"up to {_counted(node)} assessed children" if node.children else "its findings"
                )
                issues.append(
                    Issue(
                        "unreachable",
                        "warning",
                        Subject("node", node.id, name),
                        f"no input gives '{node.id}' (scheme '{name}', {inputs}) the "
                        f"grade{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                    )
                )
    return tuple(issues)
