"""Reporters for ``peelcalc check`` and ``peelcalc test``, chosen by name. Each returns a string.

:data:`CHECK_FORMATS` is the one table from name to reporter; the command line
offers exactly its keys, and the tests render a broken ruleset in each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from peelcalc.checking import CheckResult
from peelcalc.render import lazy

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


CHECK_FORMATS: dict[CheckFormat, Callable[[CheckResult, CheckStyle], str]] = {
    "text": lazy("check_text", styled=True),
    "json": lazy("check_json", styled=True),
    "github": lazy("check_github"),
    "sarif": lazy("check_sarif"),
}


def render_check(result: CheckResult, fmt: CheckFormat, style: CheckStyle | None = None) -> str:
    """Render ``result`` in format ``fmt``."""
    return CHECK_FORMATS[fmt](result, style or CheckStyle())
