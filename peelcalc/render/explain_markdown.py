"""The Markdown format of an explanation, for pasting into a briefing."""

from __future__ import annotations

from peelcalc.explain import (
    Explanation,
    LimiterCheck,
    NodeExplanation,
    RuleCheck,
    describe_change,
    shorten,
    term_words,
    whatif_sentence,
)
from peelcalc.model import Ruleset
from peelcalc.render.common import DISCLAIMER, evidence_line, grade_label, ruleset_line
from peelcalc.whatif import ChangeSet, WhatIf


def _text(text: str) -> str:
    """One line of Markdown: no line breaks, and nothing read as emphasis or a link."""
    out = " ".join(text.split())
    for char in "\\`*_[]<>|":
        out = out.replace(char, "\\" + char)
    return out


def _rule(rule: RuleCheck, indent: str) -> list[str]:
    lines = [f"{indent}- rule `{rule.id}`: {_text(rule.reading)}"]
    lines += [f"{indent}  - holds: {_text(term_words(t))}" for t in rule.terms]
    return lines


def _passed_over(rule: RuleCheck, ruleset: Ruleset, indent: str) -> list[str]:
    failed = "; ".join(term_words(t) for t in rule.terms if not t.holds)
    grade = grade_label(ruleset, rule.grade).lower()
    return [f"{indent}- not {grade} by `{rule.id}`: {_text(failed)}"]


def _limiter(lim: LimiterCheck, ruleset: Ruleset, indent: str) -> list[str]:
    effect = (
        f"lowered {grade_label(ruleset, lim.before)} to {grade_label(ruleset, lim.cap)}"
        if lim.lowered
        else f"holds; the grade was already {grade_label(ruleset, lim.before)}"
    )
    lines = [f"{indent}- limiter `{lim.id}`: {_text(lim.reading)} ({effect})"]
    for term in lim.terms:
        lines.append(f"{indent}  - holds: {_text(term_words(term))}")
        for cited in term.findings:
            lines.append(
                f"{indent}    - {cited.finding.kind} in {cited.area}: "
                f"{_text(shorten(cited.finding.text))} _({_text(cited.finding.citation)})_"
            )
    return lines


def _grade_words(node: NodeExplanation, ruleset: Ruleset) -> str:
    if node.status == "ungraded":
        return "Ungraded"
    return grade_label(ruleset, node.grade)


def _node(node: NodeExplanation, ruleset: Ruleset, indent: str) -> list[str]:
    grade = _grade_words(node, ruleset)
    if node.award is not None:
        grade += f" (awarded; the rules give {grade_label(ruleset, node.derived)})"
    if node.carried_from:
        grade += f" ({_text(node.carried_from)})"
    if node.margin is not None:
        grade += f", margin ↑{node.margin.up} ↓{node.margin.down}"
    lines = [f"{indent}- **{node.id}: {grade}** — {_text(node.title)}"]
    inner = indent + "  "
    if node.award is not None:
        lines.append(f"{inner}- awarded: {_text(node.award.rationale)}")
    if node.rule is not None:
        lines += _rule(node.rule, inner)
    for passed in node.passed_over:
        lines += _passed_over(passed, ruleset, inner)
    for lim in node.limiters:
        lines += _limiter(lim, ruleset, inner)
    if node.range is not None and node.range.settled_by:
        best = grade_label(ruleset, node.range.best)
        worst = grade_label(ruleset, node.range.worst)
        span = best if best == worst else f"{best} to {worst}"
        settled = ", ".join(node.range.settled_by)
        lines.append(f"{inner}- with the evidence missing: {span}; settled by {settled}")
    for finding in node.findings:
        lines.append(
            f"{inner}- {finding.kind}: {_text(finding.text)} _({_text(finding.citation)})_"
        )
    for child in node.children:
        lines += _node(child, ruleset, inner)
    return lines


def _changes(changes: ChangeSet, ruleset: Ruleset, indent: str) -> list[str]:
    lines = []
    for change in changes.changes:
        lines.append(f"{indent}- {_text(describe_change(change, ruleset))}")
        if change.action != "move":
            continue
        if not change.how:
            lines.append(f"{indent}  - no change of its findings alone gives that")
        for number, way in enumerate(change.how, 1):
            label = "for example" if number == 1 else "or"
            lines.append(f"{indent}  - {label}, by {way.cost} changes:")
            lines += _changes(way, ruleset, indent + "    ")
    return lines


def _whatif(whatif: WhatIf, ruleset: Ruleset) -> list[str]:
    target = grade_label(ruleset, whatif.target).lower()
    lines = [
        "",
        f"## What would make {whatif.node} {target}",
        "",
        _text(whatif_sentence(whatif, ruleset)),
    ]
    for number, changes in enumerate(whatif.sets, 1):
        noun = "change" if changes.cost == 1 else "changes"
        lines += ["", f"{number}. {changes.cost} {noun}:", *_changes(changes, ruleset, "   ")]
    if whatif.more:
        lines += ["", f"And {whatif.more} more sets of {whatif.fewest} changes."]
    return lines


def render(explanation: Explanation) -> str:
    result, node = explanation.result, explanation.node
    rs = result.ruleset
    lines = [
        f"# {_text(result.evidence.force)}, {_text(result.evidence.period)}: "
        f"why {node.id} is {_grade_words(node, rs).lower()}",
        "",
        f"**{node.id}: {_text(node.title)}**",
        "",
        _text(explanation.summary),
        "",
        f"> {DISCLAIMER}",
        "",
        "## How it was reached",
        "",
        *_node(node, rs, ""),
        *([] if explanation.whatif is None else _whatif(explanation.whatif, rs)),
        "",
        f"_{_text(evidence_line(result))}. {_text(ruleset_line(result))}._",
        "",
    ]
    return "\n".join(lines)
