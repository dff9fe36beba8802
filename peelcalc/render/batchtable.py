"""Batch output for the terminal: per ruleset, the grades, the distribution, consistency.

As in :mod:`.table`, every text from a file goes to rich as :class:`~rich.text.Text`
and markup is off, so a ``[`` in a force name is printed as written.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from peelcalc.batch import Batch, RulesetGroup
from peelcalc.model import GradeScale
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
from peelcalc.render.common import DISCLAIMER, ruleset_words, status_words
from peelcalc.render.console import console_for
from peelcalc.render.table import grade_style

#: Force names wrap in the table; this is the width they are given when fitting it.
_FORCE_WIDTH = 24


def _fits(headers: list[str], rows: list[list[str]], width: int) -> bool:
    """Whether a table of these cells fits ``width`` without wrapping grades."""
    columns = [[h, *(row[i] for row in rows)] for i, h in enumerate(headers)]
    widths = [max(len(cell) for cell in column) for column in columns]
    widths[0] = min(widths[0], _FORCE_WIDTH)
    return sum(w + 3 for w in widths) + 1 <= width


def grade_codes(scale: GradeScale) -> dict[str, str]:
    """Short codes for a scale's grades: initials ("RI"), or the label's start if they clash."""
    codes = {g.id: "".join(word[0] for word in g.label.split()).upper() for g in scale.grades}
    if len(set(codes.values())) < len(codes):
        codes = {g.id: g.label[:4] for g in scale.grades}
    if len(set(codes.values())) < len(codes):
        codes = {g.id: g.label for g in scale.grades}
    return codes


_MARKS = {"awarded": "*", "carried": "^"}


def _grades(group: RulesetGroup, style: Style) -> list[RenderableType]:
    """The summary table: full labels when they fit, else short codes with a legend."""
    rs = group.ruleset
    title = Text(f"{rs.title} — {ruleset_words(rs)}")
    headers = ["Force", "Period", *(node.id for node in group.nodes)]
    labels = [
        [row.force, row.period, *(cell_label(rs, c) for c in row.cells)] for row in group.rows
    ]
    compact = not _fits(headers, labels, style.width)
    codes = grade_codes(rs.scale)
    if compact:
        headers = ["Force", "Period"] + [
            "Overall" if node.level == "overall" else f"Q{index}"
            for index, node in enumerate(group.nodes, start=1)
        ]
    table = Table(title=title, title_justify="left")
    table.add_column(headers[0], min_width=14)
    for header in headers[1:]:
        table.add_column(header, no_wrap=compact)
    for row, full in zip(group.rows, labels, strict=True):
        cells = []
        for cell, label in zip(row.cells, full[2:], strict=True):
            text = label
            if compact:
                mark = _MARKS.get(cell.status, "")
                text = "—" if cell.grade is None else codes[cell.grade] + mark
            cells.append(Text(text, style=grade_style(rs.scale, cell.grade)))
        table.add_row(Text(row.force), Text(row.period), *cells)
    if not compact:
        return [table]
    statuses = {c.status for row in group.rows for c in row.cells}
    legend = [", ".join(f"{code} {rs.scale.get(g).label.lower()}" for g, code in codes.items())]
    legend += [f"{mark} {status}" for status, mark in _MARKS.items() if status in statuses]
    missing = sorted({status_words(c.status) for r in group.rows for c in r.cells if not c.grade})
    if missing:
        legend.append(f"— {' or '.join(missing)}")
    questions = [
        f"Q{index} {node.id}: {node.title}"
        for index, node in enumerate(group.nodes, start=1)
        if node.level != "overall"
    ]
    return [table, Text("; ".join(legend), style="dim"), Text("\n".join(questions), style="dim")]


def _group(group: RulesetGroup, style: Style) -> list[RenderableType]:
    rs = group.ruleset
    parts: list[RenderableType] = _grades(group, style)
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
            first = name == header[0]
            table.add_column(name, justify="left" if first else "right", no_wrap=first)
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
        parts += _group(group, style)
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
