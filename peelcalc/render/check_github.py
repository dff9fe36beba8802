"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation line per problem.

See "Workflow commands for GitHub Actions": values are escaped so that a ``%``,
line break, ``:`` or ``,`` in a message or path cannot end or split the command.
"""

from __future__ import annotations

from peelcalc.checking import CheckResult, Problem
from peelcalc.errors import printable
from peelcalc.render.check_common import INDICATIVE, ruleset_words, summary


def _data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(problem: Problem) -> str:
    loc = problem.location
    fields = [f"file={_property(loc.file)}"]
    if loc.line is not None:
        fields.append(f"line={loc.line}")
        if loc.column is not None:
            fields.append(f"col={loc.column}")
    fields.append(f"title={_property('peelcalc ' + problem.check)}")
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    command = "notice" if problem.severity == "note" else problem.severity
    return f"::{command} {','.join(fields)}::{_data(message)}"


def render(result: CheckResult) -> str:
    lines = [_line(problem) for problem in result.problems()]
    checked = "; ".join(f"{r.path}: {ruleset_words(r)}" for r in result.files)
    notice = f"{summary(result, False)}. {checked}. {INDICATIVE}"
    lines.append(f"::notice title=peelcalc check::{_data(notice)}")
    return "\n".join(lines) + "\n"
