"""The terminal format: an overall banner, then rich tables of questions and areas.

Every text that comes from a file is passed to rich as :class:`~rich.text.Text`,
and the console has markup off, so a ``[`` in a title or rationale is printed as
written and never read as rich markup.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from peelcalc.model import GradeScale, NodeResult, Result
from peelcalc.render import Style
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
from peelcalc.render.console import console_for

# Best to worst; a scale of any length takes evenly spaced colours from it.
_PALETTE = ("bright_green", "green", "yellow", "dark_orange", "red")


def grade_style(scale: GradeScale, grade_id: str | None) -> str:
    """The colour of a grade by its place on the scale; dim when not assessed."""
    if grade_id is None:
        return "dim"
    last = len(scale.grades) - 1
    # Rounding down keeps yellow for the grade below good on a four-grade scale,
    # and gives each of five grades its own colour.
    step = scale.rank(grade_id) * (len(_PALETTE) - 1) // last if last else 0
    return "bold " + _PALETTE[step]


def _grade(result: Result, node: NodeResult) -> Text:
    scale = result.ruleset.scale
    text = Text(node_label(result.ruleset, node), style=grade_style(scale, node.grade))
    if node.award is not None:
        text.append(" (awarded)", style="italic")
    if node.carried:
        text.append(f"\ncarried from {node.carried[0].period}", style="italic")
    return text


def _node_table(title: str, node: str, counts: str) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column(node, ratio=3)
    table.add_column("Grade", no_wrap=True)
    table.add_column("Margin", no_wrap=True)
    table.add_column("How reached", ratio=4)
    table.add_column(counts, ratio=2)
    return table


def _add_node(table: Table, result: Result, node: NodeResult, counts: str, view: Outlook) -> None:
    reached = Text(how_reached(node, result.ruleset))
    missing = range_words(view, node, result.ruleset)
    if missing:
        reached.append(f"\n{missing}", style="italic")
    table.add_row(
        Text.assemble((node.node.id, "bold"), " ", node.node.title),
        _grade(result, node),
        Text(margin_words(view, node.node.id)),
        reached,
        Text(counts),
    )


def render(result: Result, style: Style) -> str:
    rs, root = result.ruleset, result.root
    view = outlook(result)
    banner = Text.assemble(
        ("Overall: ", "bold"),
        _grade(result, root),
        "\n",
        root.node.title,
        "\n",
        (how_reached(root, rs), "italic"),
    )
    if root.node.id in view.margins:
        banner.append(
            f"\nMargin {margin_words(view, root.node.id)} (one-step changes below it that "
            "would raise it ↑ or lower it ↓ a grade)",
            style="dim",
        )
    missing = range_words(view, root, rs)
    if missing:
        banner.append(f"\n{missing}", style="italic")
    questions = _node_table("Core questions", "Question", "Areas")
    for question in root.children:
        _add_node(questions, result, question, child_counts(question, rs), view)
    areas = _node_table("Areas", "Area", "Findings")
    for question in root.children:
        for area in question.children:
            _add_node(areas, result, area, finding_counts(area, rs), view)
        if question is not root.children[-1]:
            areas.add_section()
    footer = Text(f"{evidence_line(result)}\n{ruleset_line(result)}\n{DISCLAIMER}", style="dim")
    out, console = console_for(style)
    title = Text(f"{result.evidence.force}, {result.evidence.period} — {rs.title}")
    subtitle = Text(f"indicative, not an inspectorate judgment · {rs.id} {rs.version}")
    console.print(
        Panel(banner, title=title, title_align="left", subtitle=subtitle, subtitle_align="right")
    )
    console.print(Group(questions, Text(""), areas, Text(""), footer))
    return out.getvalue()
