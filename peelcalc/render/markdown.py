"""The Markdown format, for pasting into a briefing."""

from __future__ import annotations

from peelcalc.model import NodeResult, Result
from peelcalc.render.common import (
    DISCLAIMER,
    Outlook,
    child_counts,
    evidence_line,
    finding_counts,
    how_reached,
    margin_words,
    node_label,
    outlook,
    range_words,
    ruleset_line,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _reached(node: NodeResult, result: Result, view: Outlook) -> str:
    """How the grade was reached, and what missing evidence still allows."""
    text = how_reached(node, result.ruleset)
    missing = range_words(view, node, result.ruleset)
    return _cell(f"{text}; {missing}" if missing else text)


def render(result: Result) -> str:
    rs, root = result.ruleset, result.root
    view = outlook(result)
    lines = [
        f"# {_cell(result.evidence.force)}, {_cell(result.evidence.period)}: {rs.title}",
        "",
        f"**Overall: {node_label(rs, root)}** — {_reached(root, result, view)}",
        "",
        "Margin ↑up ↓down: one-step changes below a node that would raise or lower its grade"
        f" (overall: {margin_words(view, root.node.id)}).",
        "",
        f"> {DISCLAIMER}",
        "",
        "## Core questions",
        "",
        "| Question | Grade | Margin | How reached | Areas |",
        "|---|---|---|---|---|",
    ]
    for question in root.children:
        lines.append(
            f"| {question.node.id}: {_cell(question.node.title)} "
            f"| {node_label(rs, question)} | {margin_words(view, question.node.id)} "
            f"| {_reached(question, result, view)} | {child_counts(question, rs)} |"
        )
    lines += [
        "",
        "## Areas",
        "",
        "| Area | Grade | Margin | How reached | Findings |",
        "|---|---|---|---|---|",
    ]
    for question in root.children:
        for area in question.children:
            lines.append(
                f"| {area.node.id}: {_cell(area.node.title)} | {node_label(rs, area)} "
                f"| {margin_words(view, area.node.id)} | {_reached(area, result, view)} "
                f"| {finding_counts(area, rs)} |"
            )
    indicators = [(area, i) for area in root.walk() for i in area.indicators]
    if indicators:
        lines += [
            "",
            "## Indicators",
            "",
            "Figures the evidence gives as context; they do not change any grade.",
            "",
            "| Area | Indicator | Force | Comparator | Period |",
            "|---|---|---|---|---|",
        ]
        for area, ind in indicators:
            comparator = "—"
            if ind.comparator is not None:
                comparator = f"{ind.comparator:g} {ind.unit} ({_cell(ind.comparator_name or '')})"
            lines.append(
                f"| {area.node.id} | {_cell(ind.name)} | {ind.value:g} {_cell(ind.unit)} "
                f"| {comparator} | {_cell(ind.period)} |"
            )
    lines += ["", f"_{_cell(evidence_line(result))}. {ruleset_line(result)}._", ""]
    return "\n".join(lines)
