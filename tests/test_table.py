"""The terminal format's shortcuts draw exactly what rich draws without them."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelcalc.engine import grade
from peelcalc.loading import load_ruleset
from peelcalc.model import Evidence, GradeScale, Result, Ruleset
from peelcalc.registry import shipped_paths
from peelcalc.render import Style
from peelcalc.render.table import draw, node_table, preset_widths
from tests.strategies import graded_files

RULESETS = [load_ruleset(path) for path in shipped_paths()]


@settings(max_examples=60, deadline=None)
@given(result=graded_files(RULESETS), width=st.integers(1, 250), color=st.booleans())
def test_the_shortcuts_draw_what_rich_draws_alone(result: Result, width: int, color: bool) -> None:
    """Preset column widths and, without colour, unstyled texts change not one byte of
    the table rich lays out itself, at any width, with any texts."""
    style = Style(color=color, width=width)
    assert draw(result, style) == draw(result, style, shortcuts=False)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160, 200])
@pytest.mark.parametrize("color", [False, True])
def test_the_shortcuts_draw_the_example_as_rich_does(
    ruleset: Ruleset, example: Evidence, width: int, color: bool
) -> None:
    style = Style(color=color, width=width)
    result = grade(ruleset, example)
    assert draw(result, style) == draw(result, style, shortcuts=False)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("joiner", ["\u200d", "\ufe0f"])
def test_a_label_ending_in_a_joiner_is_drawn_as_rich_does(
    ruleset: Ruleset, example: Evidence, width: int, joiner: str
) -> None:
    """rich measures a zero-width joiner or variation selector with the character after
    it, so a text's width depends on where its styled runs end: here the grade's colour
    (even when not shown) ends its run before the cell's padding. Found by review."""
    scale = GradeScale(tuple(attrs.evolve(g, label=g.label + joiner) for g in ruleset.scale.grades))
    joined = attrs.evolve(ruleset, scale=scale)
    result = grade(joined, attrs.evolve(example, ruleset_version=joined.version))
    style = Style(color=False, width=width)
    assert draw(result, style) == draw(result, style, shortcuts=False)


def test_widths_are_preset_when_the_columns_fit_and_left_to_rich_when_not() -> None:
    """The shortcut is taken at usual widths (else the tests above prove nothing), and
    never when rich would have to shrink the columns."""

    def table(width: int) -> list[int | None]:
        made = node_table("Areas", "Area", "Findings")
        made.add_row("a1 An area", "Requires improvement", "↑1 ↓0", "how " * 30, "1 strength")
        preset_widths(made, width)
        return [column.width for column in made.columns]

    # Grade: "Requires improvement" is 20 wide; Margin: its header, 6; ratio columns: 1.
    assert table(100) == [1, 20, 6, 1, 1]
    assert table(80) == [1, 20, 6, 1, 1]
    # Beside 6 borders, 22 and 8, the ratio columns 3:4:2 of at least 3 each take 14 or
    # more exactly (at 13, rounding up gives them 5, 6 and 3): the table needs 50.
    assert table(50) == [1, 20, 6, 1, 1]
    assert table(49) == [None] * 5
