"""The grading engine: applies a ruleset to evidence. Pure: no I/O, no printing.

A node's grade comes from its scheme (see :class:`peelcalc.model.Scheme`): the
first rule whose terms all hold gives the grade, else the scheme's default; then
every limiter that holds caps it. Children that are not assessed, and ungraded
children, are left out of the counts (and so are the findings below an ungraded
child). An awarded grade replaces the derived one on the way up, and both are
kept in the result. A carried node (not re-inspected) takes its whole judgment
from the earlier file's result that the evidence holds; it counts upward by its
grade alone.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Mapping, Sequence

import attrs

from peelcalc.errors import Location, NoRuleError
from peelcalc.model import (
    AreaEvidence,
    Cap,
    ChildTerm,
    Decision,
    EarlierFile,
    Evidence,
    Finding,
    FindingTerm,
    GradeScale,
    LimiterHit,
    Node,
    NodeResult,
    Result,
    Ruleset,
    Scheme,
    Term,
)

_NO_EVIDENCE = AreaEvidence()


def term_count(
    term: Term, scale: GradeScale, grades: Sequence[str], kinds: Mapping[str, int]
) -> int:
    """How many children (or findings) the term's selector picks."""
    if isinstance(term, ChildTerm):
        return sum(1 for grade in grades if term.matches(scale, grade))
    return sum(kinds.get(kind, 0) for kind in term.kinds)


def term_holds(
    term: Term, scale: GradeScale, grades: Sequence[str], kinds: Mapping[str, int]
) -> bool:
    """Whether one term holds for these child grades and finding counts."""
    if isinstance(term, ChildTerm):
        total = len(grades)
    else:  # a share of findings is a share of the findings of the kinds in ``of``
        total = sum(kinds.get(kind, 0) for kind in term.of)
    return term.bounds.holds(term_count(term, scale, grades, kinds), total)


def _ranks(term: ChildTerm, scale: GradeScale) -> slice:
    """The ranks (best first) of the grades the term selects, as a slice of the scale."""
    theirs = scale.rank(term.grade)
    relation = term.relation
    if relation == "at":
        return slice(theirs, theirs + 1)
    if relation == "at_least":
        return slice(0, theirs + 1)
    if relation == "at_most":
        return slice(theirs, None)
    if relation == "above":
        return slice(0, theirs)
    return slice(theirs + 1, None)


def _holds_counts(
    term: Term, scale: GradeScale, by_grade: Sequence[int], kinds: Mapping[str, int]
) -> bool:
    if isinstance(term, ChildTerm):
        return term.bounds.holds(sum(by_grade[_ranks(term, scale)]), sum(by_grade))
    # A share of findings is a share of the findings of the kinds in ``of``.
    count = sum(kinds.get(kind, 0) for kind in term.kinds)
    return term.bounds.holds(count, sum(kinds.get(kind, 0) for kind in term.of))


def grade_counts(scale: GradeScale, grades: Sequence[str]) -> tuple[int, ...]:
    """How many of ``grades`` are at each grade of the scale, best first."""
    counts = [0] * len(scale.grades)
    for grade_id in grades:
        counts[scale.rank(grade_id)] += 1
    return tuple(counts)


def _expand(scale: GradeScale, by_grade: Sequence[int]) -> list[str]:
    """Counts per grade back to a list of grade ids, best first."""
    return [g.id for g, n in zip(scale.grades, by_grade, strict=True) for _ in range(n)]


def decide_counts(
    scheme: Scheme, scale: GradeScale, by_grade: Sequence[int], kinds: Mapping[str, int]
) -> Decision:
    """Apply a scheme to how many assessed children are at each grade (best first) and
    to the finding counts.

    This is the whole of the grading logic; everything else walks the tree. A
    decision depends on nothing but these counts, which is what lets the
    counterfactual search work on counts rather than on evidence.
    """
    by_grade = tuple(by_grade)
    rule = next(
        (r for r in scheme.rules if all(_holds_counts(t, scale, by_grade, kinds) for t in r.when)),
        scheme.default,
    )
    if rule is None:
        raise NoRuleError(
            f"scheme '{scheme.id}' has no rule for "
            f"{describe_inputs(scale, _expand(scale, by_grade), kinds)}, "
            "and no default",
            hint=f"add a rule for this case or a [schemes.{scheme.id}.default]; "
            "'peelcalc check' lists every gap",
        )
    grade = rule.grade
    applied, before, held = [], [], []
    for limiter in scheme.limiters:
        if all(_holds_counts(t, scale, by_grade, kinds) for t in limiter.when):
            capped = scale.worse(grade, limiter.cap)
            held.append(Cap(limiter, grade, capped != grade))
            if capped != grade:
                applied.append(limiter)
                before.append(grade)
                grade = capped
    return Decision(rule, grade, tuple(applied), tuple(before), tuple(held))


def decide(
    scheme: Scheme, scale: GradeScale, grades: Sequence[str], kinds: Mapping[str, int]
) -> Decision:
    """Apply a scheme to the grades of the assessed children and the finding counts."""
    return decide_counts(scheme, scale, grade_counts(scale, grades), kinds)


def describe_inputs(scale: GradeScale, grades: Sequence[str], kinds: Mapping[str, int]) -> str:
    """The inputs of a decision in words: "children 2 good, 1 inadequate; findings 1 weakness"."""
    counts = Counter(grades)
    children = ", ".join(f"{counts[g.id]} {g.label.lower()}" for g in scale.grades if counts[g.id])
    found = ", ".join(f"{count} {kind}" for kind, count in kinds.items() if count)
    return f"children: {children or 'none'}; findings: {found or 'none'}"


def _behind(terms: Sequence[Term], findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings that a limiter's finding terms counted."""
    kinds = {kind for term in terms if isinstance(term, FindingTerm) for kind in term.kinds}
    return tuple(f for f in findings if f.kind in kinds)


def _carry(result: NodeResult, source: EarlierFile) -> NodeResult:
    """``result`` from an earlier file, marked at every node as carried from ``source``."""
    return attrs.evolve(
        result,
        carried=(source, *result.carried),
        children=tuple(_carry(child, source) for child in result.children),
    )


# --------------------------------------------------------------------------- the tree walk
#
# Grading many files spends its time walking the same tree and deciding the same
# schemes for the same few inputs. So each ruleset is compiled once into a plan: a
# rank table for its grades, an index for its finding kinds, the tree with each
# node's scheme looked up, a shared result for each area with no evidence, and a
# memo of decisions per scheme. A decision depends on nothing but the counts of the
# children's grades and of the findings by kind (see decide_counts), so the memo is
# keyed by those counts, and every miss is decided by decide_counts itself: the
# memo never changes a result (tests/test_properties.py checks the walk against a
# plain reference evaluation).

_MEMO_LIMIT = 20_000
"""Decisions remembered per ruleset; beyond this, decisions are still made, not kept."""

Counts = tuple[int, ...]


class _NodePlan:
    """One node of the tree, compiled."""

    __slots__ = ("children", "empty", "id", "leaf", "name", "node", "scheme")

    def __init__(self, node: Node, ruleset: Ruleset) -> None:
        self.node = node
        self.id = node.id
        self.leaf = not node.children
        # The scheme's key in the ruleset (a hand-built scheme's own id may differ).
        self.name = node.scheme or ""
        self.scheme = ruleset.schemes[node.scheme] if node.scheme is not None else None
        self.children = tuple(_NodePlan(child, ruleset) for child in node.children)
        # An area with no evidence and no award always gives this same (frozen) result.
        self.empty = NodeResult(node, None, None, (), None, (), (), ())


class _Plan:
    """A ruleset compiled for grading (see above). Private to the engine."""

    __slots__ = (
        "grades",
        "kinds_read",
        "memo",
        "no_children",
        "rank",
        "root",
        "ruleset",
        "size",
    )

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = weakref.ref(ruleset)
        self.rank = {grade_id: index for index, grade_id in enumerate(ruleset.scale.ids)}
        self.grades = len(ruleset.scale.grades)
        self.no_children: Counts = (0,) * self.grades
        self.kinds_read = {name: _kinds_read(scheme) for name, scheme in ruleset.schemes.items()}
        self.root = _NodePlan(ruleset.root, ruleset)
        self.memo: dict[tuple[str, Counts, Counts], Decision] = {}
        self.size = 0


def _kinds_read(scheme: Scheme) -> dict[str, int]:
    """The finding kinds a scheme's conditions count (as parts or wholes), numbered."""
    terms = [t for r in scheme.rules for t in r.when] + [t for r in scheme.limiters for t in r.when]
    named = [k for t in terms if isinstance(t, FindingTerm) for k in (*t.kinds, *t.of)]
    return {kind: position for position, kind in enumerate(dict.fromkeys(named))}


_PLANS: dict[int, _Plan] = {}


def _plan(ruleset: Ruleset) -> _Plan:
    """The ruleset's plan, compiled on first use and dropped with the ruleset."""
    plan = _PLANS.get(id(ruleset))
    if plan is None or plan.ruleset() is not ruleset:
        plan = _Plan(ruleset)
        _PLANS[id(ruleset)] = plan
        weakref.finalize(ruleset, _PLANS.pop, id(ruleset), None)
    return plan


class _Walk:
    """One evaluation: the plan, the evidence, and the walk over the tree."""

    __slots__ = ("areas", "awards", "carried", "evidence", "plan", "ruleset")

    def __init__(self, ruleset: Ruleset, plan: _Plan, evidence: Evidence) -> None:
        self.ruleset = ruleset
        self.plan = plan
        self.evidence = evidence
        self.areas = evidence.areas
        self.awards = evidence.awards
        self.carried = evidence.carried

    def judge(
        self,
        np: _NodePlan,
        by_grade: Counts,
        findings: tuple[Finding, ...],
        own: AreaEvidence,
        children: tuple[NodeResult, ...],
    ) -> NodeResult:
        """The node's result from its scheme's decision: remembered, or made by decide_counts."""
        plan = self.plan
        scheme = np.scheme
        assert scheme is not None
        # Only the kinds the scheme's conditions name can change its decision.
        index = plan.kinds_read[np.name]
        tally = [0] * len(index)
        for finding in findings:
            position = index.get(finding.kind)
            if position is not None:
                tally[position] += 1
        key = (np.name, by_grade, tuple(tally))
        decision = plan.memo.get(key)
        if decision is None:
            try:
                decision = decide_counts(
                    scheme, self.ruleset.scale, by_grade, Counter(f.kind for f in findings)
                )
            except NoRuleError as error:
                raise NoRuleError(
                    f"cannot grade '{np.id}' of {self.evidence.path}: {error.message}",
                    Location(self.ruleset.path, f"schemes.{scheme.id}"),
                    error.hint,
                ) from None
            if plan.size < _MEMO_LIMIT:
                plan.memo[key] = decision
                plan.size += 1
        held: tuple[LimiterHit, ...] = ()
        hits: tuple[LimiterHit, ...] = ()
        if decision.held:
            held = tuple(
                LimiterHit(
                    cap.limiter, cap.before, _behind(cap.limiter.when, findings), cap.lowered
                )
                for cap in decision.held
            )
            hits = tuple(hit for hit in held if hit.lowered)
        return NodeResult(
            np.node,
            decision.grade,
            decision.rule,
            hits,
            self.awards.get(np.id),
            own.findings,
            own.indicators,
            children,
            held=held,
        )

    def node(self, np: _NodePlan) -> tuple[NodeResult, tuple[Finding, ...]]:
        """The node's result, and the findings its parent counts from it."""
        if self.carried and np.id in self.carried:
            kept = self.carried[np.id]
            return _carry(kept.result, kept.source), ()  # counted by its grade alone
        if np.leaf:
            return self.area(np)
        rank = self.plan.rank
        results = []
        findings: tuple[Finding, ...] = ()
        by_grade = [0] * self.plan.grades
        carried = self.carried
        for child in np.children:
            if child.leaf and not (carried and child.id in carried):
                result, found = self.area(child)  # the same as self.node, one call fewer
            else:
                result, found = self.node(child)
            results.append(result)
            if child.scheme is None:
                continue  # ungraded: never counted, nor anything below it
            award = result.award  # result.grade, inlined: this loop is the hot path
            grade_id = award.grade if award is not None else result.derived
            if grade_id is not None:
                by_grade[rank[grade_id]] += 1
            if found:
                findings += found
        children = tuple(results)
        if np.scheme is None:
            return NodeResult(np.node, None, None, (), None, (), (), children), ()
        if not any(by_grade):
            result = NodeResult(np.node, None, None, (), self.awards.get(np.id), (), (), children)
            return result, findings
        return self.judge(np, tuple(by_grade), findings, _NO_EVIDENCE, children), findings

    def area(self, np: _NodePlan) -> tuple[NodeResult, tuple[Finding, ...]]:
        own = self.areas.get(np.id)
        if own is None:
            if np.scheme is not None and np.id in self.awards:
                return NodeResult(np.node, None, None, (), self.awards[np.id], (), (), ()), ()
            return np.empty, ()
        if np.scheme is None:  # ungraded: shown, never graded
            result = NodeResult(np.node, None, None, (), None, own.findings, own.indicators, ())
            return result, ()
        findings = own.findings
        if not findings:
            award = self.awards.get(np.id)
            return NodeResult(np.node, None, None, (), award, (), own.indicators, ()), ()
        return self.judge(np, self.plan.no_children, findings, own, ()), findings


def grade(ruleset: Ruleset, evidence: Evidence) -> Result:
    """Grade ``evidence`` under ``ruleset``: the one evaluation every output shares."""
    plan = _plan(ruleset)
    root, _ = _Walk(ruleset, plan, evidence).node(plan.root)
    return Result(ruleset, evidence, root)
