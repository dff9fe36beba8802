"""Batch output for the terminal: per ruleset, the grades, the distribution, consistency.

As in :mod:`.table`, every text from a file goes to rich as :class:`~rich.text.Text`
and markup is off, so a ``[`` in a force name is printed as written.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peelcalc.batch import Batch, RulesetGroup
from peelcalc.render import Style
from peelcalc.render.batchout import (
    GROUPING,
    cell_label,
    difference_words,
    distribution_rows,
    files,
    profile_words,
    repeated_notes,
    ruleset_notes,
)
from peelcalc.render.common import DISCLAIMER, ruleset_words
from peelcalc.render.table import console_for, grade_style


def _grades(group: RulesetGroup) -> Table:
    rs = group.ruleset
    table = Table(title=Text(f"{rs.title} — {ruleset_words(rs)}"), title_justify="left")
    table.add_column("Force", min_width=14)
    table.add_column("Period")
    for node in group.nodes:
        table.add_column(node.id)
    for row in group.rows:
        table.add_row(
            Text(row.force),
            Text(row.period),
            *(Text(cell_label(rs, c), style=grade_style(rs.scale, c.grade)) for c in row.cells),
        )
    return table


def _group(group: RulesetGroup) -> list[RenderableType]:
    rs = group.ruleset
    parts: list[RenderableType] = [_grades(group)]
    parts += [Text(note, "italic") for note in ruleset_notes(group)]
    for dist in group.distributions:
        header, rows = distribution_rows(rs, dist)
        table = Table(
            title=Text(f"National distribution, {dist.period}: {files(dist.files)}"),
            caption=Text(GROUPING),
            title_justify="left",
            caption_justify="left",
        )
        for name in header:
            table.add_column(name, justify="left" if name == header[0] else "right")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        parts += [Text(""), table]
        parts += [Text(note, "italic") for note in repeated_notes(dist)]
    parts += [Text(""), Text("Consistency across forces", "bold")]
    if not group.consistency:
        parts.append(Text("No files share an evidence profile while their grades differ."))
    for number, cgroup in enumerate(group.consistency, start=1):
        heading = f"{number}. Same evidence profile: {profile_words(rs, cgroup.profile)}"
        table = Table()
        table.add_column("Force", min_width=14)
        table.add_column("Period")
        for diff in cgroup.differences:
            table.add_column(diff.node.id)
        for index, member in enumerate(cgroup.members):
            cells = [diff.cells[index] for diff in cgroup.differences]
            table.add_row(
                Text(member.force),
                Text(member.period),
                *(Text(cell_label(rs, c), style=grade_style(rs.scale, c.grade)) for c in cells),
            )
        what = "; ".join(f"{d.node.id}: {difference_words(d)}" for d in cgroup.differences)
        parts += [Text(heading), table, Text(what, style="italic")]
    return [*parts, Text("")]


def render(batch: Batch, style: Style) -> str:
    parts: list[RenderableType] = []
    for group in batch.groups:
        parts += _group(group)
    out, console = console_for(style)
    console.print(Group(*parts))
    # File names and messages are never broken across lines, so they can be copied.
    if batch.failures:
        console.print(Text("Files that could not be graded", "bold red"))
        for failure in batch.failures:
            console.print(Text(f"  {failure}"), soft_wrap=True)
        console.print()
    for note in batch.notes:
        console.print(Text(f"Note: {note}", "italic"), soft_wrap=True)
    summary = f"{batch.graded} graded, {len(batch.failures)} failed."
    console.print(Text(f"{summary}\n{DISCLAIMER}", style="dim"))
    return out.getvalue()
