"""Diff output for the terminal: grades side by side, then findings per area.

The tree is drawn indented, so the sub-judgments that moved under a node are the
rows just below it with a change (JSON and Markdown list them by name).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peelcalc.diff import DIRECTION_WORDS, Diff
from peelcalc.render import Style
from peelcalc.render.common import DISCLAIMER
from peelcalc.render.console import console_for
from peelcalc.render.diffout import MATCHING, area_summary, heading, side_label
from peelcalc.render.table import grade_style

_DIRECTION_STYLE = {
    "up": "green",
    "down": "red",
    "same": "",
    "newly-assessed": "cyan",
    "no-longer-assessed": "yellow",
}
_DEPTH = {"overall": 0, "question": 1, "area": 2}


def render(diff: Diff, style: Style) -> str:
    grades = Table(title="Grades", title_justify="left")  # rows in tree order, indented
    # Grades and directions are never cut; a long node id folds instead.
    labels = [g.label for rs in (diff.old.ruleset, diff.new.ruleset) for g in rs.scale.grades]
    grades.add_column("Node", overflow="fold", min_width=12)
    grades.add_column("Old", min_width=max(map(len, labels)))
    grades.add_column("New", min_width=max(map(len, labels)))
    grades.add_column("Change", no_wrap=True)
    for change in diff.nodes:
        name = change.id if change.old_id in (None, change.id) else f"{change.old_id} → {change.id}"
        indent = "  " * _DEPTH.get(change.level, 0)
        old_style = grade_style(diff.old.ruleset.scale, change.old.grade) if change.old else ""
        new_style = grade_style(diff.new.ruleset.scale, change.new.grade) if change.new else ""
        grades.add_row(
            Text(indent + name, style="bold" if change.level != "area" else ""),
            Text(side_label(diff, change.old, True), style=old_style),
            Text(side_label(diff, change.new, False), style=new_style),
            Text(
                DIRECTION_WORDS[change.direction],
                style=_DIRECTION_STYLE.get(change.direction, "dim"),
            ),
        )
    parts: list[RenderableType] = [
        Text(f"Old: {heading(diff.old)}\nNew: {heading(diff.new)}"),
        *(Text(f"Note: {note}", style="italic") for note in diff.notes),
        Text(""),
        grades,
        Text(""),
        Text("Findings", style="bold"),
        Text(MATCHING, style="dim"),
    ]
    if not diff.findings:
        parts.append(Text("Neither file records any finding."))
    for area in diff.findings:
        lines = Text.assemble((f"{area.id}: ", "bold"), area_summary(area))
        for mark, what, findings in (
            ("+", "added", area.added),
            ("-", "resolved", area.resolved),
        ):
            for finding in findings:
                lines.append(f"\n  {mark} {what} ({finding.kind}): {finding.text}")
        parts.append(lines)
    parts += [Text(""), Text(DISCLAIMER, style="dim")]
    out, console = console_for(style)
    console.print(Group(*parts))
    return out.getvalue()
