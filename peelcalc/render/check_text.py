"""The terminal report of ``check`` and ``test``: problems by file, each with its place."""

from __future__ import annotations

from rich.text import Text

from peelcalc.checking import CheckResult, Problem
from peelcalc.errors import printable
from peelcalc.render import Style
from peelcalc.render.check_common import INDICATIVE, ruleset_words, summary
from peelcalc.render.checks import CheckStyle
from peelcalc.render.console import console_for
from peelcalc.ruletests import Outcome

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold blue"}


def _place(problem: Problem) -> str:
    loc = problem.location
    place = loc.file
    if loc.line is not None:
        place += f":{loc.line}"
        if loc.column is not None:
            place += f":{loc.column}"
    return place


def _problem(problem: Problem) -> Text:
    text = Text.assemble(
        (_place(problem), "bold"),
        ": ",
        (problem.severity, _SEVERITY_STYLE[problem.severity]),
        f" [{problem.check}] ",
        printable(problem.message),
    )
    if problem.location.key_path:
        text.append(f"\n    at {printable(problem.location.key_path)}", style="dim")
    if problem.hint:
        text.append(f"\n    hint: {printable(problem.hint)}", style="cyan")
    return text


def _outcome(outcome: Outcome) -> Text:
    """PASS or FAIL, with what the test got and how."""
    test, decision = outcome.test, outcome.decision
    if outcome.passed and decision is not None:
        line = Text.assemble(("    PASS ", "bold green"), test.id, " — got ", decision.grade)
        line.append(f" by rule {decision.rule.id}")
        if decision.limiters:
            line.append(f", capped by {', '.join(limiter.id for limiter in decision.limiters)}")
        return line
    place = f"{test.location.file}:{test.location.line}"
    return Text.assemble(
        ("    FAIL ", "bold red"),
        test.id,
        f" ({place}: {' and '.join(outcome.failures)} not as expected)\n      ",
        outcome.explanation,
    )


def render(result: CheckResult, style: CheckStyle) -> str:
    out, console = console_for(Style(color=style.color, width=style.width))

    def say(text: Text) -> None:
        # Never wrap: CI logs and editors need each problem's "file:line:" intact.
        console.print(text, soft_wrap=True)

    for report in result.files:
        errors = sum(1 for p in report.problems if p.severity == "error")
        warnings = sum(1 for p in report.problems if p.severity == "warning")
        verdict = ("ok", "bold green")
        if errors or warnings:
            verdict = ("problems", "bold red") if errors else ("warnings", "bold yellow")
        say(Text.assemble((report.path, "bold"), f" — {ruleset_words(report)}: ", verdict))
        if report.ruleset is None and not any(p.check == "unreadable" for p in report.problems):
            say(Text("    verification and rule tests need a file without problems", style="dim"))
        failed_at = set()
        if style.tests:
            if report.tests_path is None and report.ruleset is not None:
                say(Text("    no rule tests (expected a .tests.toml file beside it)"))
            for outcome in report.outcomes:
                say(_outcome(outcome))
                if not outcome.passed:
                    failed_at.add(outcome.test.location)
        for problem in report.problems:
            if not (problem.check == "rule-test" and problem.location in failed_at):
                say(_problem(problem))
    for skipped in result.skipped:
        say(Text(printable(skipped), style="dim"))
    say(Text(summary(result, style.strict), style="bold"))
    say(Text(INDICATIVE, style="dim"))
    return out.getvalue()
