"""Renderers, chosen by name. Each returns a string; none prints.

:data:`FORMATS` is the one table from name to renderer of a graded tree, and
:data:`EXPLAIN_FORMATS` the one for explanations; the command line offers exactly
their keys, and the tests render the Gloucestershire example in each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import attrs

from peelcalc.model import Result

if TYPE_CHECKING:
    from peelcalc.batch import Batch
    from peelcalc.diff import Diff
    from peelcalc.explain import Explanation

Format = Literal["table", "json", "markdown", "csv"]
ExplainFormat = Literal["table", "json", "markdown"]


@attrs.frozen
class Style:
    """How a terminal renderer may draw: colour or not, and the width to fit."""

    color: bool = False
    width: int = 100


def _table(result: Result, style: Style) -> str:
    from peelcalc.render.table import render  # rich is imported only when drawn

    return render(result, style)


def _json(result: Result, style: Style) -> str:
    from peelcalc.render.jsonout import render

    return render(result)


def _markdown(result: Result, style: Style) -> str:
    from peelcalc.errors import printable
    from peelcalc.render.markdown import render

    return printable(render(result))


def _csv(result: Result, style: Style) -> str:
    from peelcalc.render.csvout import render

    return render(result)


FORMATS: dict[Format, Callable[[Result, Style], str]] = {
    "table": _table,
    "json": _json,
    "markdown": _markdown,
    "csv": _csv,
}


def render(result: Result, fmt: Format, style: Style | None = None) -> str:
    """Render ``result`` in format ``fmt``."""
    return FORMATS[fmt](result, style or Style())


# --------------------------------------------------------------------------- batch


def _batch_table(batch: Batch, style: Style) -> str:
    from peelcalc.render.batchtable import render

    return render(batch, style)


def _batch_json(batch: Batch, style: Style) -> str:
    from peelcalc.render.batchout import render_json

    return render_json(batch)


def _batch_markdown(batch: Batch, style: Style) -> str:
    from peelcalc.errors import printable
    from peelcalc.render.batchout import render_markdown

    return printable(render_markdown(batch))


def _batch_csv(batch: Batch, style: Style) -> str:
    from peelcalc.render.batchout import render_csv

    return render_csv(batch)


#: The formats of ``peelcalc batch``, by name.
BATCH_FORMATS: dict[Format, Callable[[Batch, Style], str]] = {
    "table": _batch_table,
    "json": _batch_json,
    "markdown": _batch_markdown,
    "csv": _batch_csv,
}


# --------------------------------------------------------------------------- diff


def _diff_table(diff: Diff, style: Style) -> str:
    from peelcalc.render.difftable import render

    return render(diff, style)


def _diff_json(diff: Diff, style: Style) -> str:
    from peelcalc.render.diffout import render_json

    return render_json(diff)


def _diff_markdown(diff: Diff, style: Style) -> str:
    from peelcalc.errors import printable
    from peelcalc.render.diffout import render_markdown

    return printable(render_markdown(diff))


#: The formats of ``peelcalc diff``, by name.
DIFF_FORMATS: dict[Format, Callable[[Diff, Style], str]] = {
    "table": _diff_table,
    "json": _diff_json,
    "markdown": _diff_markdown,
}


def _explain_table(explanation: Explanation, style: Style) -> str:
    from peelcalc.render.explain_table import render

    return render(explanation, style)


def _explain_json(explanation: Explanation, style: Style) -> str:
    from peelcalc.render.explain_json import render

    return render(explanation)


def _explain_markdown(explanation: Explanation, style: Style) -> str:
    from peelcalc.errors import printable
    from peelcalc.render.explain_markdown import render

    return printable(render(explanation))


#: The formats of ``peelcalc explain``: the same names as for ``grade``, less CSV (an
#: explanation is a tree of reasons, not rows).
EXPLAIN_FORMATS: dict[ExplainFormat, Callable[[Explanation, Style], str]] = {
    "table": _explain_table,
    "json": _explain_json,
    "markdown": _explain_markdown,
}


def render_explanation(
    explanation: Explanation, fmt: ExplainFormat, style: Style | None = None
) -> str:
    """Render an explanation in format ``fmt``."""
    return EXPLAIN_FORMATS[fmt](explanation, style or Style())
