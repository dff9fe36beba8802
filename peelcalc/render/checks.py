"""Reporters for ``peelcalc check`` and ``peelcalc test``, chosen by name. Each returns a string.

:data:`CHECK_FORMATS` is the one table from name to reporter; the command line
offers exactly its keys, and the tests render a broken ruleset in each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from peelcalc.checking import CheckResult

CheckFormat = Literal["text", "json", "github", "sarif"]


@attrs.frozen
class CheckStyle:
    """How a report is drawn: colour, width, whether every test is listed, strictness."""

    color: bool = False
    width: int = 100
    tests: bool = False
    """List every rule test with what it got (``peelcalc test``), not only failures."""
    strict: bool = False
    """Warnings fail the run; the report says so."""


def _text(result: CheckResult, style: CheckStyle) -> str:
    from peelcalc.render.check_text import render  # rich is imported only when drawn

    return render(result, style)


def _json(result: CheckResult, style: CheckStyle) -> str:
    from peelcalc.render.check_json import render

    return render(result, style)


def _github(result: CheckResult, style: CheckStyle) -> str:
    from peelcalc.render.check_github import render

    return render(result)


def _sarif(result: CheckResult, style: CheckStyle) -> str:
    from peelcalc.render.check_sarif import render

    return render(result)


CHECK_FORMATS: dict[CheckFormat, Callable[[CheckResult, CheckStyle], str]] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
}


def render_check(result: CheckResult, fmt: CheckFormat, style: CheckStyle | None = None) -> str:
    """Render ``result`` in format ``fmt``."""
    return CHECK_FORMATS[fmt](result, style or CheckStyle())
