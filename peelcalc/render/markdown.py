"""The Markdown format, for pasting into a briefing."""

from __future__ import annotations

from peelcalc.model import Result
from peelcalc.render.common import (
    DISCLAIMER,
    child_counts,
    evidence_line,
    finding_counts,
    how_reached,
    node_label,
    ruleset_line,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(result: Result) -> str:
    rs, root = result.ruleset, result.root
    lines = [
        f"# {_cell(result.evidence.force)}, {_cell(result.evidence.period)}: {rs.title}",
        "",
        f"**Overall: {node_label(rs, root)}** — {_cell(how_reached(root, rs))}",
        "",
        f"> {DISCLAIMER}",
        "",
        "## Core questions",
        "",
        "| Question | Grade | How reached | Areas |",
        "|---|---|---|---|",
    ]
    for question in root.children:
        lines.append(
            f"| {question.node.id}: {_cell(question.node.title)} "
            f"| {node_label(rs, question)} "
            f"| {_cell(how_reached(question, rs))} | {child_counts(question, rs)} |"
        )
    lines += ["", "## Areas", "", "| Area | Grade | How reached | Findings |", "|---|---|---|---|"]
    for question in root.children:
        for area in question.children:
            lines.append(
                f"| {area.node.id}: {_cell(area.node.title)} | {node_label(rs, area)} "
                f"| {_cell(how_reached(area, rs))} | {finding_counts(area, rs)} |"
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
