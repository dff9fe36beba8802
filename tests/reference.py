"""A straightforward reference evaluation of a ruleset, written for reading, not speed.

It follows the documented semantics line by line (README, "Rule files"; the engine's
module docstring) and shares no code with :mod:`peelcalc.engine`, so that the
property tests can check the optimised engine against it, and the throughput
benchmark can measure the engine beside it.
"""

from __future__ import annotations

import math

import attrs

from peelcalc.model import (
    Bounds,
    ChildTerm,
    EarlierFile,
    Evidence,
    Finding,
    GradeScale,
    LimiterHit,
    Node,
    NodeResult,
    Result,
    Rule,
    Ruleset,
    Term,
)


def _bounds_hold(bounds: Bounds, count: int, total: int) -> bool:
    if bounds.min is not None and count < bounds.min:
        return False
    if bounds.max is not None and count > bounds.max:
        return False
    # Shares round towards the stricter side for "at least", the looser for "at most".
    if bounds.min_share is not None and count < math.ceil(bounds.min_share * total):
        return False
    return not (bounds.max_share is not None and count > math.floor(bounds.max_share * total))


def _selects(term: ChildTerm, scale: GradeScale, grade: str) -> bool:
    mine = scale.ids.index(grade)
    theirs = scale.ids.index(term.grade)
    return {
        "at": mine == theirs,
        "at_least": mine <= theirs,
        "at_most": mine >= theirs,
        "above": mine < theirs,
        "below": mine > theirs,
    }[term.relation]


def _holds(term: Term, scale: GradeScale, grades: list[str], findings: list[Finding]) -> bool:
    if isinstance(term, ChildTerm):
        count = len([g for g in grades if _selects(term, scale, g)])
        return _bounds_hold(term.bounds, count, len(grades))
    count = len([f for f in findings if f.kind in term.kinds])
    whole = len([f for f in findings if f.kind in term.of])
    return _bounds_hold(term.bounds, count, whole)


def _counted_findings(result: NodeResult) -> list[Finding]:
    """The findings a parent counts from this child: none from ungraded or carried ones."""
    if result.carried or result.node.scheme is None:
        return []
    found = list(result.findings)
    for child in result.children:
        found += _counted_findings(child)
    return found


def _mark_carried(result: NodeResult, source: EarlierFile) -> NodeResult:
    return attrs.evolve(
        result,
        carried=(source, *result.carried),
        children=tuple(_mark_carried(c, source) for c in result.children),
    )


def _node(ruleset: Ruleset, node: Node, evidence: Evidence) -> NodeResult:
    if node.id in evidence.carried:
        kept = evidence.carried[node.id]
        return _mark_carried(kept.result, kept.source)
    children = tuple(_node(ruleset, child, evidence) for child in node.children)
    own_findings: tuple[Finding, ...] = ()
    indicators = ()
    if not node.children and node.id in evidence.areas:
        own_findings = evidence.areas[node.id].findings
        indicators = evidence.areas[node.id].indicators
    if node.scheme is None:
        return NodeResult(node, None, None, (), None, own_findings, indicators, children)
    if node.children:
        findings = [f for child in children for f in _counted_findings(child)]
        grades = [c.grade for c in children if c.node.scheme is not None and c.grade is not None]
        assessed = len(grades) > 0
    else:
        findings, grades = list(own_findings), []
        assessed = len(findings) > 0
    derived, rule = None, None
    held: list[LimiterHit] = []
    if assessed:
        scheme = ruleset.schemes[node.scheme]
        chosen: Rule | None = None
        for candidate in scheme.rules:
            if all(_holds(t, ruleset.scale, grades, findings) for t in candidate.when):
                chosen = candidate
                break
        if chosen is None:
            chosen = scheme.default
        if chosen is None:
            raise ValueError(f"no rule of scheme {scheme.id} covers node {node.id}")
        rule, derived = chosen, chosen.grade
        for limiter in scheme.limiters:
            if all(_holds(t, ruleset.scale, grades, findings) for t in limiter.when):
                kinds = {k for t in limiter.when if not isinstance(t, ChildTerm) for k in t.kinds}
                behind = tuple(f for f in findings if f.kind in kinds)
                lowered = ruleset.scale.ids.index(limiter.cap) > ruleset.scale.ids.index(derived)
                held.append(LimiterHit(limiter, derived, behind, lowered))
                if lowered:
                    derived = limiter.cap
    return NodeResult(
        node=node,
        derived=derived,
        rule=rule,
        limiters=tuple(hit for hit in held if hit.lowered),
        award=evidence.awards.get(node.id),
        findings=own_findings,
        indicators=indicators,
        children=children,
        held=tuple(held),
    )


def reference_grade(ruleset: Ruleset, evidence: Evidence) -> Result:
    """Grade ``evidence`` the plain way; the engine must give exactly this result."""
    return Result(ruleset, evidence, _node(ruleset, ruleset.root, evidence))
