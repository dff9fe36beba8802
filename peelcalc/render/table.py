"""The terminal format: an overall banner, then rich tables of questions and areas.

Every text that comes from a file is passed to rich as :class:`~rich.text.Text`,
and the console has markup off, so a ``[`` in a title or rationale is printed as
written and never read as rich markup.
"""

from __future__ import annotations

from rich._ratio import ratio_distribute
from rich.cells import cell_len
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


def node_table(title: str, node: str, counts: str) -> Table:
    """An empty table of nodes: the node, its grade, margin, how it was reached, counts."""
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column(node, ratio=3)
    table.add_column("Grade", no_wrap=True)
    table.add_column("Margin", no_wrap=True)
    table.add_column("How reached", ratio=4)
    table.add_column(counts, ratio=2)
    return table


def _add_node(
    table: Table, result: Result, node: NodeResult, counts: str, view: Outlook
) -> tuple[Text, ...]:
    """Add a row for ``node`` to ``table``; return its cells."""
    reached = Text(how_reached(node, result.ruleset))
    missing = range_words(view, node, result.ruleset)
    if missing:
        reached.append(f"\n{missing}", style="italic")
    cells = (
        Text.assemble((node.node.id, "bold"), " ", node.node.title),
        _grade(result, node),
        Text(margin_words(view, node.node.id)),
        reached,
        Text(counts),
    )
    table.add_row(*cells)
    return cells


#: Characters rich measures together with their neighbour (``rich.cells``): a zero-width
#: joiner hides the next character, a variation selector widens the one before it.
_JOINERS = ("\u200d", "\ufe0f")


def _unstyle(texts: list[Text]) -> bool:
    """Drop the styles of ``texts``, for a console without colour; whether it did.

    Such a console prints every style as nothing, and styles never move text; but rich
    still draws each styled run of a line as a segment of its own, and carries every
    segment through wrapping, cropping and padding, so a line of one style is cheaper.
    Where the runs end can matter, though: rich measures each segment on its own, and a
    joiner at the end of one (a grade label ending in U+200D) is measured with the
    padding after it once the two are one segment. So texts holding a joiner anywhere
    keep their styles, and all of them do, as rich would draw them.
    """
    if any(joiner in text.plain for text in texts for joiner in _JOINERS):
        return False
    for text in texts:
        text.style = ""
        text.spans = []
    return True


def _widest_line(cell: object) -> int:
    """The width of a cell's widest line, as rich measures a text (``Text.__rich_measure__``)."""
    if isinstance(cell, str):
        cell = Text(cell)  # as rich makes a string header into text, with markup off
    assert isinstance(cell, Text), cell
    return max((cell_len(line) for line in cell.plain.splitlines()), default=0)


def preset_widths(table: Table, width: int) -> bool:
    """Give each column of ``table`` (one of :func:`node_table`'s) the width rich would
    give it, so that rich draws the same table without measuring its cells first.

    rich measures every cell of every column before it draws (``Table._measure_column``),
    but in an expanded table it then throws away the measures of the columns with a
    ratio: those share what the other columns leave by their ratios alone, at least
    ``(width or 1)`` plus padding each (``Table._calculate_column_widths``). Only the
    no-wrap columns' widths come from their cells: the widest line plus padding. A column
    whose width is set is not measured; so each no-wrap column gets its widest line, and
    each ratio column width 1, the least rich allows it anyway. This spares measuring the
    long wrapped texts, about a tenth of drawing the tables.

    When the columns do not fit, rich shrinks them by their measures
    (``Table._collapse_widths``); then nothing is set and rich measures as usual.
    Returns whether the widths were set, and so the table is exactly ``width`` wide.
    ``tests/test_table.py`` holds the result to rich's own layout.
    """
    padding = 2  # one space each side of a cell: rich's default padding
    room = width - (len(table.columns) + 1)  # an edge each side, a line between columns
    if room - padding < 1:
        return False
    fixed = {
        index: min(room, padding + max(_widest_line(c) for c in (column.header, *column.cells)))
        for index, column in enumerate(table.columns)
        if column.ratio is None
    }
    flexible = room - sum(fixed.values())
    ratios = [column.ratio for column in table.columns if column.ratio is not None]
    shares = ratio_distribute(flexible, ratios, [1 + padding] * len(ratios))
    if sum(shares) != flexible:
        return False
    for index, column in enumerate(table.columns):
        column.width = 1 if column.ratio is not None else fixed[index] - padding
    return True


def render(result: Result, style: Style) -> str:
    """The grade as a terminal shows it: a banner, then tables of questions and areas."""
    return draw(result, style)


def draw(result: Result, style: Style, shortcuts: bool = True) -> str:
    """:func:`render`. ``shortcuts=False`` leaves rich to measure every cell, draw every
    style and crop every line itself (see :func:`preset_widths`, :func:`_unstyle` and
    the print below): the tests check that it draws the very same."""
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
    questions = node_table("Core questions", "Question", "Areas")
    cells: list[Text] = []
    for question in root.children:
        cells += _add_node(questions, result, question, child_counts(question, rs), view)
    areas = node_table("Areas", "Area", "Findings")
    for question in root.children:
        for area in question.children:
            cells += _add_node(areas, result, area, finding_counts(area, rs), view)
        if question is not root.children[-1]:
            areas.add_section()
    footer = Text(f"{evidence_line(result)}\n{ruleset_line(result)}\n{DISCLAIMER}", style="dim")
    bare = shortcuts and not style.color and _unstyle([banner, footer, *cells])
    out, console = console_for(style)
    preset = [shortcuts and preset_widths(table, console.width) for table in (questions, areas)]
    title = Text(f"{result.evidence.force}, {result.evidence.period} — {rs.title}")
    subtitle = Text(f"indicative, not an inspectorate judgment · {rs.id} {rs.version}")
    console.print(
        Panel(banner, title=title, title_align="left", subtitle=subtitle, subtitle_align="right")
    )
    # print() crops each line to the console's width: a pass over every segment, about a
    # twentieth of drawing. Tables of preset widths are exactly that wide, and rich folds
    # or truncates a text's lines to fit; without colour only the text is printed (how it
    # is cut into segments does not show), so the pass would change nothing.
    console.print(
        Group(questions, Text(""), areas, Text(""), footer), crop=not (bare and all(preset))
    )
    return out.getvalue()
