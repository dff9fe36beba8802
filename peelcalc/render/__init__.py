"""Renderers, chosen by name. Each returns a string; none prints.

:data:`FORMATS` is the one table from name to renderer of a graded tree, and
:data:`EXPLAIN_FORMATS` the one for explanations; the command line offers exactly
their keys, and the tests render the Gloucestershire example in each.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import attrs

from peelcalc.frozen import Value
from peelcalc.model import Result

if TYPE_CHECKING:
    from peelcalc.batch import Batch
    from peelcalc.diff import Diff
    from peelcalc.explain import Explanation

Format = Literal["table", "json", "markdown", "csv"]
ExplainFormat = Literal["table", "json", "markdown"]


@attrs.frozen(repr=False, eq=False)
class Style(Value):
    """How a terminal renderer may draw: colour or not, and the width to fit."""

    color: bool = False
    width: int = 100


def lazy(
    module: str, function: str = "render", *, styled: bool = False, markdown: bool = False
) -> Callable[[Any, Any], str]:
    """A renderer that imports ``peelcalc.render.<module>`` only when it is called.

    Start-up is measured: rich, for one, is imported only when a table is drawn.
    ``styled``: the function takes the style too. ``markdown``: control characters
    from the files are escaped (Markdown is pasted into documents and terminals).
    """

    def draw(value: Any, style: Any) -> str:
        from peelcalc.errors import printable

        chosen = getattr(importlib.import_module(f"peelcalc.render.{module}"), function)
        text: str = chosen(value, style) if styled else chosen(value)
        return printable(text) if markdown else text

    return draw


FORMATS: dict[Format, Callable[[Result, Style], str]] = {
    "table": lazy("table", styled=True),
    "json": lazy("jsonout"),
    "markdown": lazy("markdown", markdown=True),
    "csv": lazy("csvout"),
}


def render(result: Result, fmt: Format, style: Style | None = None) -> str:
    """Render ``result`` in format ``fmt``."""
    return FORMATS[fmt](result, style or Style())


#: The formats of ``peelcalc batch``, by name.
BATCH_FORMATS: dict[Format, Callable[[Batch, Style], str]] = {
    "table": lazy("batchtable", styled=True),
    "json": lazy("batchout", "render_json"),
    "markdown": lazy("batchout", "render_markdown", markdown=True),
    "csv": lazy("batchout", "render_csv"),
}

#: The formats of ``peelcalc diff``, by name.
DIFF_FORMATS: dict[Format, Callable[[Diff, Style], str]] = {
    "table": lazy("difftable", styled=True),
    "json": lazy("diffout", "render_json"),
    "markdown": lazy("diffout", "render_markdown", markdown=True),
}

#: The formats of ``peelcalc explain``: the same names as for ``grade``, less CSV (an
#: explanation is a tree of reasons, not rows).
EXPLAIN_FORMATS: dict[ExplainFormat, Callable[[Explanation, Style], str]] = {
    "table": lazy("explain_table", styled=True),
    "json": lazy("explain_json"),
    "markdown": lazy("explain_markdown", markdown=True),
}


def render_explanation(
    explanation: Explanation, fmt: ExplainFormat, style: Style | None = None
) -> str:
    """Render an explanation in format ``fmt``."""
    return EXPLAIN_FORMATS[fmt](explanation, style or Style())
