"""Wording shared by every renderer, so that all formats say the same thing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from peelcalc.frozen import Value
from peelcalc.model import NodeResult, Result, Ruleset

if TYPE_CHECKING:
    from peelcalc.margins import Margin
    from peelcalc.ranges import GradeRange

DISCLAIMER = (
    "Indicative grades computed by peelcalc from the evidence file under the ruleset named. "
    "They are not judgments of the inspectorate."
)


def grade_label(ruleset: Ruleset, grade_id: str | None) -> str:
    """The grade as reports write it, or "Not assessed"."""
    return "Not assessed" if grade_id is None else ruleset.scale.get(grade_id).label


def node_label(ruleset: Ruleset, node: NodeResult) -> str:
    """The node's grade in words: the grade's label, "Ungraded" or "Not assessed"."""
    if node.status == "ungraded":
        return "Ungraded"
    return grade_label(ruleset, node.grade)


def ruleset_line(result: Result) -> str:
    rs = result.ruleset
    return f"Ruleset {rs.id} {rs.version} ({rs.content_hash[:19]}) from {rs.path}"


def evidence_line(result: Result) -> str:
    ev = result.evidence
    return f"{ev.force}, {ev.period} — evidence {ev.path}"


def how_reached(node: NodeResult, ruleset: Ruleset) -> str:
    """One line saying how the node's grade was reached."""
    if node.carried:
        there = how_reached(attrs.evolve(node, carried=()), ruleset)
        return f"{node.carried_from}, not re-inspected; there: {there}"
    if node.status == "ungraded":
        if node.node.level == "overall":
            return "ungraded: this framework gives no overall grade; its core questions are graded"
        return (
            f"ungraded: the ruleset gives this {node.node.level} no grade; its findings are "
            "shown and never counted above it"
        )
    derived = ""
    if node.derived is None:
        derived = (
            "not assessed: no findings recorded"
            if not node.node.children
            else "not assessed: nothing below it was assessed"
        )
    else:
        assert node.rule is not None
        derived = f"{node.rule.reading} [{node.rule.id}]"
        for hit in node.limiters:
            derived += f"; capped: {hit.limiter.reading} [{hit.limiter.id}]"
    if node.award is None:
        return derived
    rules_say = grade_label(ruleset, node.derived)
    return (
        f"awarded by an inspector: {node.award.rationale} (the rules give {rules_say}: {derived})"
    )


def finding_counts(node: NodeResult, ruleset: Ruleset) -> str:
    """Counts of findings by kind at or below the node, in the ruleset's kind order."""
    counts = Counter(f.kind for r in node.walk() for f in r.findings)
    parts = [f"{counts[k.id]} {k.label.lower()}" for k in ruleset.kinds if counts[k.id]]
    return ", ".join(parts) if parts else "none"


def child_counts(node: NodeResult, ruleset: Ruleset) -> str:
    """Counts of children by grade, best first, e.g. "1 good, 2 requires improvement"."""
    ungraded = sum(1 for child in node.children if child.status == "ungraded")
    counts = Counter(child.grade for child in node.children if child.status != "ungraded")
    parts = [f"{counts[g.id]} {g.label.lower()}" for g in ruleset.scale.grades if counts[g.id]]
    if counts[None]:
        parts.append(f"{counts[None]} not assessed")
    if ungraded:
        parts.append(f"{ungraded} ungraded")
    carried = sum(1 for child in node.children if child.carried)
    if carried:
        parts.append(f"{carried} of them carried")
    return ", ".join(parts)


def status_words(status: str) -> str:
    """A node status in words, such as "not assessed" for ``not-assessed``."""
    return status.replace("-", " ")


def judgment_label(
    ruleset: Ruleset, grade_id: str | None, status: str, since: str | None = None
) -> str:
    """A grade with how it came about when that is not derivation, such as "Good (awarded)"
    or, with ``since`` (the period a carried grade comes from), "Good (carried from 2015)".

    A node without a grade is shown by its status in words, such as "Not assessed".
    """
    if grade_id is None:
        return status_words(status).capitalize()
    label = ruleset.scale.get(grade_id).label
    if status == "derived":
        return label
    how = status_words(status) + (f" from {since}" if since else "")
    return f"{label} ({how})"


def node_judgment(ruleset: Ruleset, node: NodeResult) -> str:
    """:func:`judgment_label` for a graded node."""
    since = node.carried[0].period if node.carried else None
    return judgment_label(ruleset, node.grade, node.status, since)


def ruleset_words(ruleset: Ruleset) -> str:
    """The ruleset as every output names it: id, version and content hash."""
    return f"{ruleset.id} {ruleset.version} ({ruleset.content_hash[:19]})"


@attrs.frozen(repr=False, eq=False)
class Outlook(Value):
    """How close each grade is to moving, and what missing evidence still allows."""

    margins: Mapping[str, Margin]
    """The margin of each node with a grade to move (see :mod:`peelcalc.margins`)."""
    ranges: Mapping[str, GradeRange]
    """The range of each node with a not-assessed area below it (see :mod:`peelcalc.ranges`)."""


def outlook(result: Result) -> Outlook:
    """The margins and ranges of a graded tree."""
    from peelcalc.margins import Decider, margins
    from peelcalc.ranges import ranges

    decider = Decider(result.ruleset)  # both decide nodes from counts: decide each once
    return Outlook(margins(result, decider), ranges(result, decider))


def margin_words(view: Outlook, node_id: str) -> str:
    """A node's margin, such as "↑2 ↓0" (one-step changes that raise it, lower it)."""
    margin = view.margins.get(node_id)
    return "—" if margin is None else f"↑{margin.up} ↓{margin.down}"


def range_words(view: Outlook, node: NodeResult, ruleset: Ruleset) -> str:
    """What missing evidence still allows at a node; empty when it changes nothing."""
    found = view.ranges.get(node.node.id)
    if found is None:
        return ""
    best, worst = grade_label(ruleset, found.best), grade_label(ruleset, found.worst)
    span = best if best == worst else f"anywhere from {best} to {worst}"
    if found.settled_by == (node.node.id,):
        return f"could be {span} once assessed"
    if not found.settled_by:
        if found.best == found.worst == node.grade:
            return ""
        return f"once the areas not assessed below it are graded, it is {best} whatever they show"
    return f"with the areas not assessed, {span}; settled by {', '.join(found.settled_by)}"
