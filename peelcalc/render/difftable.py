"""Diff output for the terminal: grades side by side, then findings per area."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peelcalc.diff import DIRECTION_WORDS, Diff
from peelcalc.render import Style
from peelcalc.render.common import DISCLAIMER
from peelcalc.render.diffout import MATCHING, area_summary, heading, moved_words, side_label
from peelcalc.render.table import console_for, grade_style

_DIRECTION_STYLE = {"up": "green", "down": "red", "newly-assessed": "cyan"}


def render(diff: Diff, style: Style) -> str:
    grades = Table(title="Grades", title_justify="left", expand=True)
    widest = max((len(c.id) + len(c.old_id or "") for c in diff.nodes), default=4)
    grades.add_column("Node", no_wrap=True, min_width=min(widest, 32))
    grades.add_column("Old", ratio=2)
    grades.add_column("New", ratio=2)
    grades.add_column("Change", ratio=2)
    grades.add_column("Sub-judgments that moved", ratio=4)
    for change in diff.nodes:
        name = change.id if change.old_id in (None, change.id) else f"{change.old_id} → {change.id}"
        old_style = grade_style(diff.old.ruleset.scale, change.old.grade) if change.old else ""
        new_style = grade_style(diff.new.ruleset.scale, change.new.grade) if change.new else ""
        grades.add_row(
            Text(name, style="bold" if change.level != "area" else ""),
            Text(side_label(diff, change.old, True), style=old_style),
            Text(side_label(diff, change.new, False), style=new_style),
            Text(
                DIRECTION_WORDS[change.direction],
                style=_DIRECTION_STYLE.get(change.direction, ""),
            ),
            Text(moved_words(diff, change)),
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
