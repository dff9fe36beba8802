"""Renderers, chosen by name. Each returns a string; none prints.

:data:`FORMATS` is the one table from name to renderer; the command line offers
exactly its keys, and the tests render the Gloucestershire example in each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from peelcalc.model import Result

Format = Literal["table", "json", "markdown", "csv"]


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
    from peelcalc.render.markdown import render

    return render(result)


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
