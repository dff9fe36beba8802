"""Exact verification of a ruleset's schemes. Pure: values in, issues out.

For every scheme, and every number of assessed children its nodes can have,
this proves or refutes: every input gets a grade (completeness); every rule can
decide some input (no shadowed or dead rule); a better child or better findings
never give a worse grade (monotonicity); every limiter can hold and can change a
grade, and never raises one; every grade of the scale can be produced at every
node. Each refutation comes with a concrete input.

Why this is exact without enumerating every combination of child grades:

* A child term counts children by grade, so a decision depends only on *how
  many* children have each grade (the count vector), never on which child has
  which. For N children over G grades there are C(N+G-1, G-1) count vectors
  instead of G**N tuples (16 children over five grades: 4,845 instead of
  152,587,890,625).
* A finding term compares a sum of counts with its bounds. Capping each kind's
  count at one more than the largest bound of any term naming it changes no
  term's truth: once a count exceeds every bound, so does every sum containing
  it, before and after the cap. So finding counts range over a small box.
* Terms are evaluated once per count vector and once per finding vector, as
  bit masks. Two inputs with the same pair of masks make every term, so every
  rule and limiter, hold alike: the engine's :func:`~peelcalc.engine.decide_counts` is
  called once per realised pair of masks, so the verdicts use the very logic
  that grades.

Child grades and finding counts are taken as independent: an inspector's
awarded grade can give any child any grade whatever the findings below it.
Areas (nodes without children) are assessed only when they have findings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import attrs

from peelcalc.engine import decide_counts
from peelcalc.errors import NoRuleError
from peelcalc.model import (
    ChildTerm,
    Decision,
    FindingKind,
    FindingTerm,
    GradeScale,
    Limiter,
    Node,
    Rule,
    Ruleset,
    Scheme,
    Term,
)

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
class Example:
    """A concrete input of a scheme, and what the engine decides for it."""

    children: tuple[tuple[str, int], ...]
    """How many assessed children have each grade, best first; only non-zero counts."""
    findings: tuple[tuple[str, int], ...]
    """How many findings of each kind stand at or below the node; only non-zero counts."""
    grade: str | None
    """The grade decided, or ``None`` when no rule decides and there is no default."""
    rule: str | None
    """The id of the rule (or default) that decided."""
    limiters: tuple[str, ...]
    """The ids of the limiters that lowered the grade, in order."""

    def describe(self, scale: GradeScale, with_children: bool = True) -> str:
        """The input in words: "children: 2 good, 1 inadequate; findings: 1 weakness"."""
        children = ", ".join(f"{n} {scale.get(g).label.lower()}" for g, n in self.children)
        findings = ", ".join(f"{n} {kind}" for kind, n in self.findings)
        parts = [f"children: {children or 'none'}"] if with_children else []
        parts.append(f"findings: {findings or 'none'}")
        return "; ".join(parts)

    def outcome(self, scale: GradeScale) -> str:
        """What was decided in words: "Good by rule q.good, capped by q.cap"."""
        if self.grade is None:
            return "no grade (no rule decides and there is no default)"
        text = f"{scale.get(self.grade).label} by rule {self.rule}"
        if self.limiters:
            text += f", capped by {', '.join(self.limiters)}"
        return text


@attrs.frozen
class Issue:
    """One problem (or warning) found by verification."""

    check: Check
    severity: Severity
    subject: Subject
    message: str
    examples: tuple[Example, ...] = ()
    """The input behind the message (for monotonicity: before and after)."""


# --------------------------------------------------------------------------- the domain


def compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every vector of ``parts`` non-negative counts that sum to ``total``."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def _rank_range(term: ChildTerm, scale: GradeScale) -> tuple[int, int]:
    """The ranks (0 best) a child term counts, as an inclusive range."""
    rank, worst = scale.rank(term.grade), len(scale.grades) - 1
    return {
        "at": (rank, rank),
        "at_least": (0, rank),
        "at_most": (rank, worst),
        "above": (0, rank - 1),
        "below": (rank + 1, worst),
    }[term.relation]


#: How many finding vectors to examine at most when shares of findings prevent capping.
SHARE_BUDGET = 20_000


def is_share(term: FindingTerm) -> bool:
    """Whether a finding term is a share of other findings (``min_share``/``max_share``)."""
    return term.bounds.min_share is not None or term.bounds.max_share is not None


def finding_caps(terms: Sequence[FindingTerm], share_box: int | None = None) -> dict[str, int]:
    """The largest count examined for each kind a term names.

    For a count, one more than the largest bound of the terms naming the kind: no
    term can tell a larger count from it. A share of findings (``of``) compares
    counts with each other, so no cap is exact: kinds in such terms are examined
    up to ``share_box`` findings each (by default as many as :data:`SHARE_BUDGET`
    vectors allow), a bounded check rather than a proof.
    """
    caps: dict[str, int] = {}
    for term in terms:
        top = max(b for b in (term.bounds.min, term.bounds.max, 0) if b is not None)
        for kind in (*term.kinds, *term.of):
            caps[kind] = max(caps.get(kind, 0), top + 1)
    shared = {k for t in terms if is_share(t) for k in (*t.kinds, *t.of)}
    if shared:
        if share_box is None:
            others = math.prod(n + 1 for k, n in caps.items() if k not in shared)
            share_box = int((SHARE_BUDGET / others) ** (1 / len(shared))) - 1
            denominators = [
                share.denominator
                for t in terms
                for share in (t.bounds.min_share, t.bounds.max_share)
                if share is not None
            ]
            share_box = max(share_box, 2 * max(denominators), *(caps[k] for k in shared))
        for kind in shared:
            caps[kind] = max(caps[kind], share_box)
    return caps


def shared_kinds(terms: Sequence[FindingTerm]) -> tuple[str, ...]:
    """The kinds whose counts a share of findings compares (so cannot be capped)."""
    return tuple(sorted({k for t in terms if is_share(t) for k in (*t.kinds, *t.of)}))


@attrs.frozen
class _Masks:
    """The terms of a scheme, and which hold for each realised input, as bit masks."""

    child_terms: tuple[ChildTerm, ...]
    finding_terms: tuple[FindingTerm, ...]
    vectors: dict[int, dict[tuple[int, ...], int]]
    """For each number of children: each count vector and its child mask."""
    findings: dict[tuple[int, ...], int]
    """Each capped finding vector (over :attr:`kinds`) and its finding mask."""
    kinds: tuple[str, ...]
    """The kinds some term names, in ruleset order."""
    caps: dict[str, int]
    """The largest count examined of each of :attr:`kinds`."""


def _masks(
    scheme: Scheme,
    scale: GradeScale,
    sizes: Sequence[int],
    kind_order: Sequence[str],
    share_box: int | None,
) -> _Masks:
    terms: list[Term] = [t for r in scheme.rules for t in r.when]
    terms += [t for r in scheme.limiters for t in r.when]
    child_terms = tuple(dict.fromkeys(t for t in terms if isinstance(t, ChildTerm)))
    finding_terms = tuple(dict.fromkeys(t for t in terms if isinstance(t, FindingTerm)))
    grades = len(scale.grades)
    ranges = [_rank_range(t, scale) for t in child_terms]

    vectors: dict[int, dict[tuple[int, ...], int]] = {}
    for total in sizes:
        intervals = [t.bounds.interval(total) for t in child_terms]
        at_size: dict[tuple[int, ...], int] = {}
        for vector in compositions(total, grades):
            prefix = [0]
            for count in vector:
                prefix.append(prefix[-1] + count)
            mask = 0
            for bit, ((lo, hi), (low, high)) in enumerate(zip(ranges, intervals, strict=True)):
                count = prefix[hi + 1] - prefix[lo] if lo <= hi else 0
                if low <= count and (high is None or count <= high):
                    mask |= 1 << bit
            at_size[vector] = mask
        vectors[total] = at_size

    caps = finding_caps(finding_terms, share_box)
    kinds = tuple(k for k in kind_order if k in caps)
    findings: dict[tuple[int, ...], int] = {}
    for vector in compositions_box(tuple(caps[k] for k in kinds)):
        counts = dict(zip(kinds, vector, strict=True))
        mask = 0
        for bit, term in enumerate(finding_terms):
            count = sum(counts[k] for k in term.kinds)
            # As the engine does: a share of findings is of the findings of the kinds in ``of``.
            if term.bounds.holds(count, sum(counts[k] for k in term.of)):
                mask |= 1 << bit
        findings[vector] = mask
    return _Masks(child_terms, finding_terms, vectors, findings, kinds, caps)


def compositions_box(caps: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Every vector with ``0 <= v[i] <= caps[i]``, in lexicographic order."""
    if not caps:
        yield ()
        return
    for first in range(caps[0] + 1):
        for rest in compositions_box(caps[1:]):
            yield (first, *rest)


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


def _required(rule: Rule | Limiter, masks: _Masks) -> tuple[int, int]:
    """The child and finding bits that must be set for all of ``rule``'s terms to hold."""
    child = found = 0
    for term in rule.when:  # a term may stand twice in one rule: set its bit, never add it
        if isinstance(term, ChildTerm):
            child |= 1 << masks.child_terms.index(term)
        else:
            found |= 1 << masks.finding_terms.index(term)
    return child, found


class _Analysis:
    """Every realised pair of masks of one scheme, and the engine's decision for each."""

    def __init__(
        self,
        scheme: Scheme,
        scale: GradeScale,
        kinds: Sequence[FindingKind],
        sizes: Sequence[int],
        share_box: int | None = None,
    ) -> None:
        self.scheme = scheme
        self.scale = scale
        self.sizes = sizes
        self.effects = {k.id: k.effect for k in kinds}
        kind_order = [k.id for k in kinds]
        self.masks = masks = _masks(scheme, scale, sizes, kind_order, share_box)
        self.unnamed = [k for k in kind_order if k not in masks.kinds]

        # Representatives: the first input seen for each mask (for findings, a
        # non-empty one when there is one, so that it can stand for an area).
        self.child_rep: dict[int, tuple[int, ...]] = {}
        self.masks_by_size: dict[int, set[int]] = {}
        for total in sizes:
            for vector, mask in masks.vectors[total].items():
                self.child_rep.setdefault(mask, vector)
                self.masks_by_size.setdefault(total, set()).add(mask)
        self.finding_rep: dict[int, tuple[int, ...]] = {}
        self.fewest: dict[int, tuple[int, ...]] = {}  # to show beside children: no noise
        self.area_masks: set[int] = set()  # an area is assessed only with some finding
        for vector, mask in masks.findings.items():
            self.fewest.setdefault(mask, vector)
            held = self.finding_rep.get(mask)
            if held is None or (not any(held) and any(vector)):
                self.finding_rep[mask] = vector
            if any(vector) or self.unnamed:
                self.area_masks.add(mask)
        self.all_masks = set(masks.findings.values())

        self.pairs: dict[tuple[int, int], Decision | None] = {}
        for total in sizes:
            for cm in self.masks_by_size[total]:
                for fm in self.finding_masks(total):
                    if (cm, fm) in self.pairs:
                        continue
                    counts = dict(zip(masks.kinds, self.finding_rep[fm], strict=True))
                    try:
                        self.pairs[cm, fm] = decide_counts(
                            scheme, scale, self.child_rep[cm], counts
                        )
                    except NoRuleError:
                        self.pairs[cm, fm] = None

    def finding_masks(self, total: int) -> set[int]:
        """The finding masks a node with ``total`` assessed children can meet."""
        return self.area_masks if total == 0 else self.all_masks

    def holding(self, rule: Rule | Limiter) -> list[tuple[int, int]]:
        """The realised pairs for which every term of ``rule`` holds."""
        need_c, need_f = _required(rule, self.masks)
        return [k for k in self.pairs if k[0] & need_c == need_c and k[1] & need_f == need_f]

    def example(
        self,
        cm: int,
        fm: int,
        vector: tuple[int, ...] | None = None,
        found: tuple[int, ...] | None = None,
        extra: bool = False,
    ) -> Example:
        """A concrete input for a pair of masks (these very counts, when given).

        ``extra`` adds a finding of a kind no term names, as an area with no other
        finding needs to be assessed; it changes no term.
        """
        ids = self.scale.ids
        vector = self.child_rep[cm] if vector is None else vector
        if found is None:
            found = self.fewest[fm] if any(vector) else self.finding_rep[fm]
        children = tuple((ids[r], n) for r, n in enumerate(vector) if n)
        findings = [(k, n) for k, n in zip(self.masks.kinds, found, strict=True) if n]
        if self.unnamed and (extra or (not any(vector) and not findings)):
            findings.append((self.unnamed[0], 1))  # an area needs a finding to be assessed
        decision = self.pairs[cm, fm]
        if decision is None:
            return Example(children, tuple(findings), None, None, ())
        limiters = tuple(limiter.id for limiter in decision.limiters)
        return Example(children, tuple(findings), decision.grade, decision.rule.id, limiters)

    def words(self, example: Example) -> str:
        return example.describe(self.scale, with_children=bool(self.masks.child_terms))


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
    analysis = _Analysis(scheme, scale, kinds, sizes, share_box)
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


def _bounded(analysis: _Analysis) -> list[Issue]:
    """Say so when shares of findings make the check exhaustive only up to a bound."""
    shared = shared_kinds(analysis.masks.finding_terms)
    if not shared:
        return []
    box = min(analysis.masks.caps[k] for k in shared)
    return [
        Issue(
            "bounded",
            "note",
            Subject("scheme", analysis.scheme.id, analysis.scheme.id),
            f"scheme '{analysis.scheme.id}' has conditions on shares of findings "
            f"({', '.join(shared)}), which no finite set of counts stands for exactly: it was "
            f"checked for every count up to {box} of each of those kinds, a bounded check "
            "rather than a proof",
        )
    ]


def _completeness(analysis: _Analysis) -> list[Issue]:
    scheme = analysis.scheme
    gaps = [key for key, decision in analysis.pairs.items() if decision is None]
    if not gaps:
        return []
    first = analysis.example(*gaps[0])
    return [
        Issue(
            "completeness",
            "error",
            Subject("scheme", scheme.id, scheme.id),
            f"scheme '{scheme.id}' gives no grade to some inputs: no rule decides "
            f"{analysis.words(first)}, and there is no default "
            f"({len(gaps)} distinct case{'s' if len(gaps) > 1 else ''} in all)",
            (first,),
        )
    ]


def _shadowed(analysis: _Analysis) -> list[Issue]:
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


def _limiters(analysis: _Analysis) -> list[Issue]:
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


def _blame(scheme: Scheme, decision: Decision) -> Subject:
    """What a worse grade after a better input is attributed to: the last cap, else the rule."""
    if decision.limiters:
        return Subject("limiter", decision.limiters[-1].id, scheme.id)
    return Subject("rule", decision.rule.id, scheme.id)


@attrs.frozen
class _Point:
    """One input: its masks, and the very counts shown in a counterexample."""

    cm: int
    fm: int
    vector: tuple[int, ...]
    found: tuple[int, ...]
    extra: bool = False
    """Show a finding of a kind no term names (see :meth:`_Analysis.example`)."""

    @property
    def key(self) -> tuple[int, int]:
        return self.cm, self.fm


def _violation(analysis: _Analysis, before: _Point, after: _Point, change: str) -> Issue:
    """``after`` is the better input but has the worse grade."""
    scale = analysis.scale
    first, second = analysis.pairs[before.key], analysis.pairs[after.key]
    assert first is not None and second is not None
    a = analysis.example(before.cm, before.fm, before.vector, before.found, before.extra)
    b = analysis.example(after.cm, after.fm, after.vector, after.found, after.extra)
    return Issue(
        "monotonicity",
        "error",
        _blame(analysis.scheme, second),
        f"not monotone: {change} lowers the grade from {scale.get(first.grade).label} to "
        f"{scale.get(second.grade).label}. Before: {analysis.words(a)} → {a.outcome(scale)}. "
        f"After: {analysis.words(b)} → {b.outcome(scale)}",
        (a, b),
    )


def _rank(analysis: _Analysis, key: tuple[int, int]) -> int | None:
    decision = analysis.pairs[key]
    return None if decision is None else analysis.scale.rank(decision.grade)


def _blame_once(
    analysis: _Analysis, kept: dict[Subject, Issue], before: _Point, after: _Point, change: str
) -> None:
    """Keep one counterexample per rule or limiter blamed: the first found."""
    decision = analysis.pairs[after.key]
    assert decision is not None
    subject = _blame(analysis.scheme, decision)
    if subject not in kept:
        kept[subject] = _violation(analysis, before, after, change)


def _monotone_children(analysis: _Analysis) -> list[Issue]:
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


def _monotone_findings(analysis: _Analysis) -> list[Issue]:
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
                fm2 = masks.findings[tuple(more)]
                if fm2 != fm:
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
