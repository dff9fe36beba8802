"""Explanations of a graded tree: why each grade is what it is. Pure: no I/O, no printing.

An :class:`Explanation` is built *from* a :class:`~peelcalc.model.Result`, the one
evaluation that ``grade`` shows too, so the grade at its root is the grade by
construction. Nothing here grades anything again: it reads the rules that the
engine recorded against the children's grades and the findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import attrs

from peelcalc.engine import term_count, term_holds
from peelcalc.errors import UsageError, did_you_mean
from peelcalc.margins import Margin, margins
from peelcalc.model import (
    Award,
    ChildTerm,
    Finding,
    FindingTerm,
    Limiter,
    LimiterHit,
    NodeResult,
    Result,
    Rule,
    Ruleset,
    Term,
)
from peelcalc.ranges import GradeRange, ranges
from peelcalc.whatif import Change, ChangeSet, WhatIf, what_if


@attrs.frozen
class AreaFinding:
    """A finding and the area it was recorded in."""

    area: str
    """The id of the area."""
    finding: Finding
    """The finding, with its citation."""


@attrs.frozen
class TermCheck:
    """One condition of a rule or limiter, read against a node's children and findings."""

    text: str
    """The condition in words, such as "children at inadequate: none"."""
    holds: bool
    """Whether the condition holds at this node."""
    count: int
    """How many children or findings it counted."""
    children: tuple[str, ...] = ()
    """The ids of the children it counted (conditions on child grades)."""
    findings: tuple[AreaFinding, ...] = ()
    """The findings it counted (conditions on findings), each with its area."""
    whole: int | None = None
    """For a share, what it is a share of: the assessed children counted, or the
    findings of the kinds it names with ``of``; ``None`` for a plain count."""


@attrs.frozen
class RuleCheck:
    """A rule of the node's scheme and how each of its conditions fared."""

    id: str
    """The rule's id in the rule file."""
    reading: str
    """Its one-line reading."""
    grade: str
    """The grade it gives when every condition holds."""
    source: str
    """The published criterion it encodes."""
    terms: tuple[TermCheck, ...]
    """Its conditions, each read against this node."""


@attrs.frozen
class LimiterCheck:
    """A limiter that held at the node: what it caps, and whether it lowered the grade."""

    id: str
    """The limiter's id in the rule file."""
    reading: str
    """Its one-line reading."""
    cap: str
    """The best grade it allows."""
    source: str
    """The published criterion it encodes."""
    before: str
    """The grade just before it was applied."""
    lowered: bool
    """Whether it lowered the grade; it may hold with the grade already at or under the cap."""
    terms: tuple[TermCheck, ...]
    """Its conditions, each read against this node."""
    findings: tuple[AreaFinding, ...]
    """The findings behind it (conditions on findings), each with its area."""


@attrs.frozen
class NodeExplanation:
    """Why one node has its grade."""

    id: str
    """The node's id."""
    title: str
    """The node's title."""
    level: str
    """``overall``, ``question`` or ``area``."""
    grade: str | None
    """The grade used upward (awarded, else derived), or ``None`` when not assessed."""
    status: str
    """``derived``, ``awarded``, ``not-assessed``, ``ungraded`` or ``carried``."""
    derived: str | None
    """What the rules give, or ``None``."""
    rule: RuleCheck | None
    """The rule that decided the derived grade."""
    passed_over: tuple[RuleCheck, ...]
    """The rules before it in the scheme, none of which held: why the grade is not better
    (or worse) than it is."""
    limiters: tuple[LimiterCheck, ...]
    """Every limiter that held, lowering the grade or not."""
    award: Award | None
    """The inspector's award, with its rationale, when the grade is awarded."""
    findings: tuple[Finding, ...]
    """The area's own findings (areas only)."""
    child_grades: str
    """The children's grades in words, such as "3 good, 1 requires improvement"."""
    children: tuple[NodeExplanation, ...]
    """The explanations of the children."""
    carried_from: str = ""
    """For a carried node, where its judgment comes from ("carried from 2015 (a.toml)");
    everything else is as that file graded it. Empty otherwise."""
    range: GradeRange | None = None
    """The grades still possible when evidence below is missing, else ``None``."""
    margin: Margin | None = None
    """How close the grade is to moving, by one-step changes below the node."""


@attrs.frozen
class Explanation:
    """A node's grade explained: a paragraph of decisive reasons, then the tree below it."""

    result: Result
    """The one evaluation this explains (ruleset, evidence and graded tree)."""
    node: NodeExplanation
    """The explained node and everything below it."""
    summary: str
    """A short plain-English paragraph with the decisive reasons."""
    whatif: WhatIf | None = None
    """What would give the node a target grade, when one was asked for."""


# --------------------------------------------------------------------------- reading terms


def _grades(node: NodeResult) -> list[str]:
    """The grades the node's scheme counted: of its graded, assessed children."""
    return [c.grade for c in node.children if c.counted and c.grade is not None]


def _counted(node: NodeResult) -> tuple[AreaFinding, ...]:
    """The findings a finding term counts at this node, each with its area: an area's own,
    or those below a parent as :func:`peelcalc.model.counted_findings` counts them
    (leaving out ungraded and carried subtrees)."""
    if not node.children:
        return tuple(AreaFinding(node.node.id, f) for f in node.findings)
    out: list[AreaFinding] = []
    for child in node.children:
        if child.carried or not child.node.graded:
            continue
        out += _counted(child)
    return tuple(out)


def uncarried(node: NodeResult) -> NodeResult:
    """A carried subtree as the earlier file graded it (without the carried marks)."""
    if not node.carried:
        return node
    return attrs.evolve(node, carried=(), children=tuple(uncarried(c) for c in node.children))


def check_term(term: Term, node: NodeResult, ruleset: Ruleset) -> TermCheck:
    """Read one condition against a node's children's grades and its findings."""
    scale, grades = ruleset.scale, _grades(node)
    kinds = Counter(f.finding.kind for f in _counted(node))
    holds = term_holds(term, scale, grades, kinds)
    count = term_count(term, scale, grades, kinds)
    whole = None
    if term.bounds.min_share is not None or term.bounds.max_share is not None:
        if isinstance(term, ChildTerm):
            whole = len(grades)
        else:
            whole = sum(kinds.get(kind, 0) for kind in term.of)
    if isinstance(term, ChildTerm):
        ids = tuple(
            c.node.id
            for c in node.children
            if c.counted and c.grade is not None and term.matches(scale, c.grade)
        )
        return TermCheck(term.describe(scale), holds, count, children=ids, whole=whole)
    assert isinstance(term, FindingTerm)
    counted = tuple(f for f in _counted(node) if f.finding.kind in term.kinds)
    return TermCheck(term.describe(scale), holds, count, findings=counted, whole=whole)


def _rule_check(rule: Rule, node: NodeResult, ruleset: Ruleset) -> RuleCheck:
    terms = tuple(check_term(t, node, ruleset) for t in rule.when)
    return RuleCheck(rule.id, rule.reading, rule.grade, rule.source, terms)


def _limiter_check(hit: LimiterHit, node: NodeResult, ruleset: Ruleset) -> LimiterCheck:
    limiter: Limiter = hit.limiter
    terms = tuple(check_term(t, node, ruleset) for t in limiter.when)
    behind = tuple(f for f in _counted(node) if f.finding in hit.findings)
    return LimiterCheck(
        limiter.id,
        limiter.reading,
        limiter.cap,
        limiter.source,
        hit.before,
        hit.lowered,
        terms,
        behind,
    )


def _child_grades(node: NodeResult, ruleset: Ruleset) -> str:
    counts = Counter(c.grade for c in node.children if c.node.graded)
    parts = [f"{counts[g.id]} {g.label.lower()}" for g in ruleset.scale.grades if counts[g.id]]
    if counts[None]:
        parts.append(f"{counts[None]} not assessed")
    ungraded = sum(1 for c in node.children if not c.node.graded)
    if ungraded:
        parts.append(f"{ungraded} ungraded")
    return ", ".join(parts)


def explain_node(
    node: NodeResult,
    ruleset: Ruleset,
    margin_of: Mapping[str, Margin] | None = None,
    range_of: Mapping[str, GradeRange] | None = None,
) -> NodeExplanation:
    """The explanation of ``node`` and everything below it, read off the graded tree.

    A carried node is read as the earlier file graded it; it and everything below
    it say where it was carried from.
    """
    graded = uncarried(node)
    rule = None
    passed: tuple[RuleCheck, ...] = ()
    if graded.rule is not None and graded.node.scheme is not None:
        rule = _rule_check(graded.rule, graded, ruleset)
        scheme = ruleset.schemes[graded.node.scheme]
        earlier = []
        for candidate in scheme.rules:
            if candidate.id == graded.rule.id:
                break
            earlier.append(_rule_check(candidate, graded, ruleset))
        passed = tuple(earlier)
    return NodeExplanation(
        id=node.node.id,
        title=node.node.title,
        level=node.node.level,
        grade=node.grade,
        status=node.status,
        derived=node.derived,
        rule=rule,
        passed_over=passed,
        limiters=tuple(_limiter_check(hit, graded, ruleset) for hit in graded.held),
        award=node.award,
        findings=node.findings,
        child_grades=_child_grades(node, ruleset),
        children=tuple(
            explain_node(child, ruleset, margin_of, range_of) for child in node.children
        ),
        carried_from=node.carried_from,
        range=(range_of or {}).get(node.node.id),
        margin=(margin_of or {}).get(node.node.id),
    )


# --------------------------------------------------------------------------- the paragraph


def _label(ruleset: Ruleset, grade_id: str | None) -> str:
    return "not assessed" if grade_id is None else ruleset.scale.get(grade_id).label.lower()


#: How much of a finding's text the paragraph quotes; the tree shows all of it.
QUOTE_CHARS = 160


def shorten(text: str) -> str:
    """The first :data:`QUOTE_CHARS` or so characters of ``text``, cut at a word."""
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"


def _kind_label(kind: str, ruleset: Ruleset) -> str:
    return next((k.label.lower() for k in ruleset.kinds if k.id == kind), kind)


def quote(cited: AreaFinding, ruleset: Ruleset) -> str:
    """A finding as the paragraph cites it: kind, area, (shortened) text and citation."""
    finding = cited.finding
    return (
        f"the {_kind_label(finding.kind, ruleset)} in {cited.area}, “{shorten(finding.text)}” "
        f"({finding.citation})"
    )


def names(ids: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not ids:
        return "none"
    if len(ids) == 1:
        return ids[0]
    return ", ".join(ids[:-1]) + " and " + ids[-1]


def term_words(check: TermCheck) -> str:
    """A condition with what it counted, such as "children at good: at least 2 — 2: q1, q2",
    or for a share "... at most 1/5 of those assessed — 1 of 6: q1-resources"."""
    counted = f"{check.count}" if check.whole is None else f"{check.count} of {check.whole}"
    if check.children:
        return f"{check.text} — {counted}: {names(check.children)}"
    return f"{check.text} — {counted}"


def _findings_words(findings: Sequence[AreaFinding], ruleset: Ruleset) -> str:
    first = quote(findings[0], ruleset)
    return first if len(findings) == 1 else f"{first}, and {len(findings) - 1} more"


def kind_counts(findings: Sequence[Finding], ruleset: Ruleset) -> str:
    """Counts of findings by kind, in the ruleset's order, such as "strength × 2"."""
    kinds = Counter(f.kind for f in findings)
    return ", ".join(f"{k.label.lower()} × {kinds[k.id]}" for k in ruleset.kinds if kinds[k.id])


def _why_not_better(node: NodeExplanation, ruleset: Ruleset) -> str:
    """Why the nearest better rule passed over did not hold, in one sentence."""
    if node.derived is None:
        return ""
    rank = ruleset.scale.rank(node.derived)
    better = [r for r in node.passed_over if ruleset.scale.rank(r.grade) < rank]
    if not better:
        return ""
    nearest = max(better, key=lambda r: ruleset.scale.rank(r.grade))
    failed = [term_words(t) for t in nearest.terms if not t.holds]
    return (
        f"It is not {_label(ruleset, nearest.grade)}, because rule {nearest.id} does not "
        f"hold: {'; '.join(failed)}."
    )


def summarise(node: NodeExplanation, ruleset: Ruleset) -> str:
    """The decisive reasons for ``node``'s grade in a few plain-English sentences."""
    sentences: list[str] = []
    if node.status == "ungraded":
        what = (
            "this framework gives no overall grade"
            if node.level == "overall"
            else f"the ruleset gives this {node.level} no grade"
        )
        shown = (
            "its core questions are graded"
            if node.level == "overall"
            else "its findings are shown and never counted above it"
        )
        sentences.append(f"{node.id} is ungraded: {what}; {shown}.")
        if node.children and node.child_grades:
            sentences.append(f"Its {node.children[0].level}s: {node.child_grades}.")
        return " ".join(sentences)
    if node.carried_from:
        sentences.append(f"{node.id} is {node.carried_from}, not re-inspected; there:")
    if node.status == "not-assessed":
        why = (
            "no findings are recorded for it"
            if not node.children
            else "nothing below it was assessed"
        )
        sentences.append(f"{node.id} is not assessed: {why}.")
        return " ".join(sentences + _outlook(node, ruleset))
    reasons = ""
    if node.rule is not None:
        reasons = f"rule {node.rule.id} holds: “{node.rule.reading}”"
        counted = [term_words(t) for t in node.rule.terms]
        if counted:
            reasons += " (" + "; ".join(counted) + ")"
    if node.award is not None:
        sentences.append(
            f"{node.id} is graded {_label(ruleset, node.award.grade)}, as awarded by an "
            f"inspector: “{node.award.rationale.rstrip('.')}”. The rules alone give "
            f"{_label(ruleset, node.derived)}" + (f", because {reasons}." if reasons else ".")
        )
    elif reasons:
        sentences.append(f"{node.id} is graded {_label(ruleset, node.derived)} because {reasons}.")
    if node.children and node.child_grades:
        sentences.append(f"Its {node.children[0].level}s: {node.child_grades}.")
    elif node.findings:
        sentences.append(f"Its findings: {kind_counts(node.findings, ruleset)}.")
    for lim in node.limiters:
        behind = ""
        if lim.findings:
            behind = f" because of {_findings_words(lim.findings, ruleset)}"
        else:
            by_children = [c for t in lim.terms for c in t.children]
            behind = f" because of {names(by_children)}" if by_children else ""
        if lim.lowered:
            sentences.append(
                f"It is capped at {_label(ruleset, lim.cap)} by limiter {lim.id}{behind}; "
                f"the rule alone gives {_label(ruleset, lim.before)}."
            )
        else:
            sentences.append(
                f"It could be no better than {_label(ruleset, lim.cap)} in any case: "
                f"limiter {lim.id} holds{behind}."
            )
    if node.award is None:
        why_not = _why_not_better(node, ruleset)
        if why_not:
            sentences.append(why_not)
    missing = [c.id for c in node.children if c.status == "not-assessed"]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        sentences.append(f"{names(missing)} {verb} not assessed and left out of the counts.")
    sentences += _outlook(node, ruleset)
    return " ".join(sentences)


def _outlook(node: NodeExplanation, ruleset: Ruleset) -> list[str]:
    """The node's range under missing evidence, and its margin, in sentences."""
    out = []
    found = node.range
    if found is not None and found.settled_by:
        best, worst = _label(ruleset, found.best), _label(ruleset, found.worst)
        span = best if best == worst else f"anywhere from {best} to {worst}"
        out.append(
            f"With the evidence that is missing it could be {span}; grading "
            f"{names(found.settled_by)} would settle it."
        )
    elif found is not None and found.best != node.grade:
        out.append(
            f"Once the areas not assessed below it are graded it is "
            f"{_label(ruleset, found.best)}, whatever they show."
        )
    if node.margin is not None:
        up, down = node.margin.up, node.margin.down
        out.append(
            f"Margin: {up} one-step change{'s' if up != 1 else ''} below it would raise it, "
            f"{down} would lower it."
        )
    return out


def resolve_node(ruleset: Ruleset, text: str) -> str:
    """The id of the node the user named (any case), or a usage error with a suggestion."""
    ids = ruleset.node_ids
    for node_id in ids:
        if node_id.lower() == text.strip().lower():
            return node_id
    hint = did_you_mean(text, ids) or f"choose one of: {', '.join(ids)}"
    if text.strip().lower() == "overall":
        # From 2021/22 there is no overall grade: say so, rather than only list node ids.
        questions = ", ".join(child.id for child in ruleset.root.children)
        hint = (
            f"ruleset {ruleset.id} gives no overall grade; the top of its tree is "
            f"'{ruleset.root.id}', and its core questions are {questions}"
        )
    raise UsageError(f"unknown node '{text}' in ruleset {ruleset.id}", hint=hint)


def resolve_grade(ruleset: Ruleset, text: str) -> str:
    """The id of the grade the user named, by id or label in any case, or a usage error."""
    wanted = " ".join(text.replace("-", " ").split()).lower()
    for grade in ruleset.scale.grades:
        if wanted in (grade.id.replace("-", " ").lower(), grade.label.lower()):
            return grade.id
    ids = ruleset.scale.ids
    hint = did_you_mean(text, ids) or f"choose one of: {', '.join(ids)}"
    raise UsageError(f"unknown grade '{text}' in ruleset {ruleset.id}", hint=hint)


def _plural(label: str, count: int) -> str:
    return label if count == 1 else f"{label} findings"


def describe_change(change: Change, ruleset: Ruleset, quote: bool = True) -> str:
    """One change in words, such as "resolve the cause of concern in q4-understanding"
    (quoting the finding when ``quote`` and there is just one)."""
    if change.action == "move":
        return f"{change.node} {_label(ruleset, change.grade)}"
    assert change.kind is not None
    label = _kind_label(change.kind, ruleset)
    if change.action == "add":
        what = f"a {label}" if change.count == 1 else f"{change.count} {label} findings"
        return f"add {what} to {change.node}"
    verb = "resolve" if change.action == "resolve" else "withdraw"
    total = len(change.findings)
    if total == 1:
        quoted = f" (“{shorten(change.findings[0].text)}”)" if quote else ""
        text = f"{verb} the {label} in {change.node}{quoted}"
    elif change.count == total:
        text = f"{verb} all {total} {_plural(label, total)} in {change.node}"
    else:
        text = f"{verb} {change.count} of the {total} {_plural(label, total)} in {change.node}"
    if change.leaves_not_assessed:
        text += f", which leaves {change.node} with no findings, so not assessed"
    return text


def describe_set(
    changes: ChangeSet, ruleset: Ruleset, how: bool = True, quote: bool = False
) -> str:
    """A change set in words; a moved child says how its own findings could move it."""
    parts = []
    for change in changes.changes:
        text = describe_change(change, ruleset, quote)
        if how and change.action == "move":
            if change.how:
                inner = describe_set(change.how[0], ruleset, how=False, quote=quote)
                text += f" (e.g. by: {inner})"
            else:
                text += " (no change of its findings alone gives that)"
        parts.append(text)
    return "; ".join(parts)


def whatif_sentence(whatif: WhatIf, ruleset: Ruleset) -> str:
    """What would give the node its target grade, in a sentence or two."""
    target = _label(ruleset, whatif.target)
    if whatif.outcome == "already":
        return f"{whatif.node} is already {target}."
    if whatif.outcome == "unreachable":
        return f"No change below {whatif.node} makes it {target}: {whatif.reason}."
    count = whatif.fewest
    noun = "change" if count == 1 else "changes"
    text = (
        f"{whatif.node} would be {target} with {count} {noun}, for example: "
        f"{describe_set(whatif.sets[0], ruleset)}."
    )
    others = len(whatif.sets) - 1 + whatif.more
    if others == 1:
        text += f" One other set of {count} {noun} also does."
    elif others:
        text += f" {others} other sets of {count} {noun} also do."
    return text


def explain(result: Result, node_id: str = "", target: str | None = None) -> Explanation:
    """Explain the grade of ``node_id`` (default: the root) in ``result``; with ``target``,
    also what would give it that grade."""
    graded = result.find(node_id) if node_id else result.root
    tree = explain_node(graded, result.ruleset, margins(result), ranges(result))
    summary = summarise(tree, result.ruleset)
    whatif = None
    if target is not None:
        whatif = what_if(result, graded.node.id, target)
        summary += " " + whatif_sentence(whatif, result.ruleset)
    return Explanation(result, tree, summary, whatif)
