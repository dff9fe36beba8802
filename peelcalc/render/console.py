"""The one place that makes rich consoles: each draws into a string, never to the screen."""

from __future__ import annotations

import io

from rich.console import Console

from peelcalc.render import Style


def console_for(style: Style) -> tuple[io.StringIO, Console]:
    """A console that draws into a string: colour only when asked, markup off."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=style.width,
        force_terminal=style.color,
        no_color=not style.color,
        color_system="auto" if style.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    return out, console
