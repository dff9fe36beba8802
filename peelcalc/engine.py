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
    counted_findings,
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


def _grade_node(ruleset: Ruleset, node: Node, evidence: Evidence) -> NodeResult:
    kept = evidence.carried.get(node.id)
    if kept is not None:
        return _carry(kept.result, kept.source)
    children = tuple(_grade_node(ruleset, child, evidence) for child in node.children)
    own = evidence.areas.get(node.id, _NO_EVIDENCE) if not node.children else _NO_EVIDENCE
    if node.scheme is None:  # ungraded: shown, never graded
        return NodeResult(node, None, None, (), None, own.findings, own.indicators, children)
    findings = own.findings if not node.children else counted_findings(children)
    grades = [c.grade for c in children if c.counted and c.grade is not None]
    assessed = bool(grades) if node.children else bool(own.findings)

    derived = None
    rule = None
    hits: tuple[LimiterHit, ...] = ()
    held: tuple[LimiterHit, ...] = ()
    if assessed:
        scheme = ruleset.schemes[node.scheme]
        kinds = Counter(f.kind for f in findings)
        try:
            decision = decide(scheme, ruleset.scale, grades, kinds)
        except NoRuleError as error:
            raise NoRuleError(
                f"cannot grade '{node.id}' of {evidence.path}: {error.message}",
                Location(ruleset.path, f"schemes.{scheme.id}"),
                error.hint,
            ) from None
        derived, rule = decision.grade, decision.rule
        held = tuple(
            LimiterHit(cap.limiter, cap.before, _behind(cap.limiter.when, findings), cap.lowered)
            for cap in decision.held
        )
        hits = tuple(hit for hit in held if hit.lowered)
    return NodeResult(
        node=node,
        derived=derived,
        rule=rule,
        limiters=hits,
        award=evidence.awards.get(node.id),
        findings=own.findings,
        indicators=own.indicators,
        children=children,
        held=held,
    )


def grade(ruleset: Ruleset, evidence: Evidence) -> Result:
    """Grade ``evidence`` under ``ruleset``: the one evaluation every output shares."""
    return Result(ruleset, evidence, _grade_node(ruleset, ruleset.root, evidence))
