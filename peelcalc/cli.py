"""The command line: parse, load, call the core, render, exit. Nothing else lives here."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from peelcalc import __version__
from peelcalc.errors import EXIT_OK, PeelcalcError

if TYPE_CHECKING:
    from peelcalc.render import ExplainFormat, Format

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="peelcalc",
    help=(
        "Explicit, indicative PEEL grades from inspection evidence.\n\n"
        "peelcalc applies a declarative ruleset (rules/) to an evidence file (TOML) and shows "
        "how each area, core question and the overall grade is reached. Computed grades are "
        "indicative, never judgments of the inspectorate."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`PeelcalcError` into one message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PeelcalcError as error:
            sys.stderr.write(f"peelcalc: error: {error}\n")
            raise typer.Exit(error.exit_code) from None

    return wrapper


def _emit(text: str, output: Path | None, inputs: list[Path]) -> None:
    from peelcalc.output import write_atomic, write_stdout

    if output is None:
        write_stdout(text)
        return
    write_atomic(text, output, inputs)
    sys.stderr.write(f"peelcalc: wrote {output}\n")


def _style(output: Path | None) -> tuple[bool, int]:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return color, shutil.get_terminal_size((100, 24)).columns


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"peelcalc {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Explicit, indicative PEEL grades from inspection evidence."""


@app.command()
@_reports_errors
def grade(
    evidence: Annotated[
        Path, typer.Argument(help="The evidence file (TOML) to grade.", metavar="EVIDENCE")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="Output format: table, json, markdown or csv."
        ),
    ] = "table",
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            metavar="RULES",
            help="Grade with this rule file instead of the shipped ruleset the evidence names.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (atomically) instead of stdout; never over an input.",
        ),
    ] = None,
) -> None:
    """Grade an evidence file: overall grade, core questions and areas, and how each was reached."""
    from peelcalc.render import Style, render
    from peelcalc.workflow import grade_file

    chosen = _format(fmt)
    graded = grade_file(evidence, rules)
    for warning in graded.warnings:
        sys.stderr.write(f"peelcalc: warning: {warning}\n")
    color, width = _style(output)
    text = render(graded.result, chosen, Style(color=color, width=width))
    # The ruleset actually used (shipped or --rules) is an input too: never overwrite it.
    _emit(text, output, [evidence, Path(graded.result.ruleset.path)])


def _format(value: str) -> Format:
    from peelcalc.errors import UsageError, did_you_mean
    from peelcalc.render import FORMATS

    for name in FORMATS:
        if name == value:
            return name
    hint = did_you_mean(value, FORMATS) or f"choose one of: {', '.join(FORMATS)}"
    raise UsageError(f"unknown format '{value}'", hint=hint)


@app.command()
@_reports_errors
def explain(
    evidence: Annotated[
        Path, typer.Argument(help="The evidence file (TOML) to grade.", metavar="EVIDENCE")
    ],
    node: Annotated[
        str,
        typer.Argument(
            help="The node to explain: overall, a question id or an area id (default: overall).",
            metavar="NODE",
        ),
    ] = "",
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="GRADE",
            help="Also list the smallest sets of changes below NODE that give it this grade.",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="Output format: table, json or markdown."
        ),
    ] = "table",
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            metavar="RULES",
            help="Grade with this rule file instead of the shipped ruleset the evidence names.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (atomically) instead of stdout; never over an input.",
        ),
    ] = None,
) -> None:
    """Explain a grade: the decisive reasons, then the rules, limiters and findings below it."""
    from peelcalc.explain import explain as explain_result
    from peelcalc.explain import resolve_grade, resolve_node
    from peelcalc.render import Style, render_explanation
    from peelcalc.workflow import grade_file

    chosen = _explain_format(fmt)
    graded = grade_file(evidence, rules)
    for warning in graded.warnings:
        sys.stderr.write(f"peelcalc: warning: {warning}\n")
    ruleset = graded.result.ruleset
    node_id = resolve_node(ruleset, node) if node else ruleset.root.id
    wanted = resolve_grade(ruleset, target) if target is not None else None
    explanation = explain_result(graded.result, node_id, wanted)
    color, width = _style(output)
    text = render_explanation(explanation, chosen, Style(color=color, width=width))
    _emit(text, output, [evidence, Path(ruleset.path)])


def _explain_format(value: str) -> ExplainFormat:
    from peelcalc.errors import UsageError, did_you_mean
    from peelcalc.render import EXPLAIN_FORMATS

    for name in EXPLAIN_FORMATS:
        if name == value:
            return name
    hint = did_you_mean(value, EXPLAIN_FORMATS) or f"choose one of: {', '.join(EXPLAIN_FORMATS)}"
    raise UsageError(f"unknown format '{value}' for explain", hint=hint)


@app.command("rules")
@_reports_errors
def list_rules() -> None:
    """List the rulesets shipped with peelcalc."""
    from peelcalc.registry import shipped

    rows = [("id", "version", "content hash", "title")]
    rows += [(r.id, r.version, r.content_hash[:19], r.title) for r in shipped()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        sys.stdout.write("  ".join([*cells, row[3]]) + "\n")


@app.command()
@_reports_errors
def init(
    ruleset: Annotated[
        str,
        typer.Argument(
            help="A shipped ruleset id (see 'peelcalc rules') or a rule file path.",
            metavar="RULESET",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the skeleton to this new file."),
    ] = None,
) -> None:
    """Print a commented evidence skeleton with every area of a ruleset."""
    from peelcalc.loading import load_ruleset
    from peelcalc.registry import find_shipped
    from peelcalc.skeleton import skeleton

    path = Path(ruleset)
    if ruleset.endswith(".toml") or path.exists():
        loaded = load_ruleset(path)
    else:
        loaded = find_shipped(ruleset, None, None)
    if output is not None and output.exists():
        from peelcalc.errors import Location, UsageError

        raise UsageError(
            "already exists; 'init' never overwrites a file",
            Location(str(output)),
            "choose a new name",
        )
    _emit(skeleton(loaded), output, [Path(loaded.path)])


def main() -> None:
    """Entry point of the ``peelcalc`` console script."""
    app()
