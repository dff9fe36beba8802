"""The Typer app: the commands, their options and help; parse, load, call, render, exit.

The console script starts in :mod:`peelcalc.launch`, which runs a plain ``grade`` call
without loading Typer; what ``grade`` does lives in :mod:`peelcalc.actions`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from peelcalc import __version__, actions
from peelcalc.actions import choose_format, emit, exit_code_of, style_for, tell
from peelcalc.errors import EXIT_OK

if TYPE_CHECKING:
    from peelcalc.model import Ruleset

P = ParamSpec("P")

# Parameters several commands share, declared once so their help reads the same everywhere.
# Every path is declared readable=False: peelcalc looks at each path itself when it uses
# it and reports any problem in its own words (file, reason, exit 2), rather than Typer
# refusing a write-only --output file, or an unreadable input in a boxed usage message.
EvidenceArgument = Annotated[
    Path,
    typer.Argument(help="The evidence file (TOML) to grade.", metavar="EVIDENCE", readable=False),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Output format: table, json, markdown or csv."
    ),
]
TreeFormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Output format: table, json or markdown."
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        readable=False,
        help=(
            "Grade with this rule file instead of the shipped ruleset the evidence names "
            "(same ruleset id; another version is graded with a warning)."
        ),
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        readable=False,
        help=(
            "Write to FILE instead of printing (the whole text or nothing); "
            "never over an input file."
        ),
    ),
]


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


def _reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a :class:`PeelcalcError` into one message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        code = exit_code_of(lambda: command(*args, **kwargs))
        if code != EXIT_OK:
            raise typer.Exit(code)

    return wrapper


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
    evidence: EvidenceArgument,
    fmt: FormatOption = "table",
    rules: RulesOption = None,
    output: OutputOption = None,
) -> None:
    """Grade an evidence file: overall grade, core questions and areas, and how each was reached."""
    actions.grade(evidence, fmt, rules, output)


@app.command()
@_reports_errors
def explain(
    evidence: EvidenceArgument,
    node: Annotated[
        str,
        typer.Argument(
            help=(
                "The node to explain: overall, a question id or an area id, in any case "
                "(default: the top of the tree)."
            ),
            metavar="NODE",
        ),
    ] = "",
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            metavar="GRADE",
            help=(
                "Also list the smallest sets of changes below NODE that would give it GRADE "
                "(an id or label, such as good or 'requires improvement')."
            ),
        ),
    ] = None,
    fmt: TreeFormatOption = "table",
    rules: RulesOption = None,
    output: OutputOption = None,
) -> None:
    """Explain a grade: the decisive reasons, then the rules, limiters and findings below it.

    With --target GRADE, also the smallest sets of changes that would give it GRADE.
    """
    from peelcalc.explain import explain as explain_result
    from peelcalc.explain import resolve_grade, resolve_node
    from peelcalc.render import EXPLAIN_FORMATS, Style, render_explanation
    from peelcalc.workflow import grade_file

    chosen = choose_format(fmt, EXPLAIN_FORMATS, "explain")
    graded = grade_file(evidence, rules)
    for warning in graded.warnings:
        tell(f"peelcalc: warning: {warning}")
    ruleset = graded.result.ruleset
    node_id = resolve_node(ruleset, node) if node else ruleset.root.id
    wanted = resolve_grade(ruleset, target) if target is not None else None
    explanation = explain_result(graded.result, node_id, wanted)
    color, width = style_for(output)
    text = render_explanation(explanation, chosen, Style(color=color, width=width))
    emit(text, output, [evidence, Path(ruleset.path), *graded.earlier])


@app.command()
@_reports_errors
def batch(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Evidence files, or folders searched (with their subfolders) for *.toml files.",
            metavar="PATH...",
            readable=False,
        ),
    ],
    fmt: FormatOption = "table",
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            readable=False,
            help=(
                "Grade the evidence that names this rule file's ruleset id with this file "
                "instead of the shipped ruleset; repeat for several rulesets."
            ),
        ),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Grade many evidence files: a summary table, the national distribution, consistency.

    A file that cannot be graded is reported, the others are still graded, and it exits 1.

    Rule files found in folders are skipped. Counts never mix rulesets.
    """
    from peelcalc.batch import summarise
    from peelcalc.collect import find_evidence, grade_all
    from peelcalc.errors import EXIT_PROBLEMS, UsageError
    from peelcalc.progress import progress
    from peelcalc.render import BATCH_FORMATS, Style

    chosen = choose_format(fmt, BATCH_FORMATS)
    given = _rule_files(rules or [])
    found = find_evidence(paths)
    if not found.files:
        if len(found.missing) == len(paths):
            reasons = {failure.message for failure in found.missing}
            if reasons != {"no such file or folder"}:  # a path the system refused to look at
                raise UsageError("; ".join(str(failure) for failure in found.missing))
            raise UsageError(f"no such file or folder: {', '.join(map(str, paths))}")
        named = ", ".join(str(p) for p in paths)
        raise UsageError(
            f"no evidence files found in {named}",
            hint="name evidence files, or folders that hold *.toml evidence files",
        )
    with progress(sys.stderr, len(found.files), "Grading") as tick:
        graded = grade_all(found.files, tick, given)
    notes = list(graded.skipped)
    notes += graded.warnings
    result = summarise(graded.results, found.missing + graded.failures, notes)
    if not result.graded and not result.failures:
        raise UsageError(
            "no evidence files found: every file named is a rule file, rule-tests file "
            "or ruleset mapping",
            hint="name evidence files, or folders that hold them",
        )
    for failure in result.failures:
        tell(f"peelcalc: error: {failure}")
    color, width = style_for(output)
    text = BATCH_FORMATS[chosen](result, Style(color=color, width=width))
    rulesets = {Path(group.ruleset.path) for group in result.groups}
    emit(text, output, [*paths, *found.files, *rulesets, *graded.earlier])
    if result.failures:
        raise typer.Exit(EXIT_PROBLEMS)


def _rule_files(paths: list[Path]) -> list[Ruleset]:
    """Load the rule files given with ``--rules``: at most one per ruleset id."""
    from peelcalc.errors import Location, UsageError
    from peelcalc.loading import load_ruleset

    loaded: dict[str, Ruleset] = {}
    for path in paths:
        ruleset = load_ruleset(path)
        if ruleset.id in loaded:
            raise UsageError(
                f"two rule files for ruleset '{ruleset.id}' ({loaded[ruleset.id].path} and "
                f"{path}); peelcalc would not know which to grade with",
                Location(str(path)),
                hint="give one --rules file per ruleset id",
            )
        loaded[ruleset.id] = ruleset
    return list(loaded.values())


@app.command()
@_reports_errors
def diff(
    old: Annotated[
        Path, typer.Argument(help="The earlier evidence file.", metavar="OLD", readable=False)
    ],
    new: Annotated[
        Path, typer.Argument(help="The later evidence file.", metavar="NEW", readable=False)
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            readable=False,
            help=(
                "A mapping file (TOML) saying which nodes, grades and finding kinds of the two "
                "rulesets correspond; needed when OLD and NEW are graded by different rules."
            ),
        ),
    ] = None,
    fmt: TreeFormatOption = "table",
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            readable=False,
            help=(
                "Grade OLD or NEW, whichever names this rule file's ruleset id, with this "
                "file instead of the shipped ruleset; repeat for two rulesets."
            ),
        ),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Compare two evidence files, such as one force in two years: grades and findings.

    Grades are compared only under the same rules; across rulesets give --mapping FILE.
    """
    from peelcalc.diff import compare
    from peelcalc.errors import Location, UsageError
    from peelcalc.render import DIFF_FORMATS, Style
    from peelcalc.workflow import grade_file_among

    chosen = choose_format(fmt, DIFF_FORMATS)
    given = _rule_files(rules or [])
    before, after = grade_file_among(old, given), grade_file_among(new, given)
    named = {before.result.ruleset.id, after.result.ruleset.id}
    for ruleset in given:
        if ruleset.id not in named:
            names = " and ".join(f"'{name}'" for name in sorted(named))
            raise UsageError(
                f"is ruleset '{ruleset.id}', but OLD and NEW are for {names}",
                Location(ruleset.path),
                hint="give --rules only for a ruleset that OLD or NEW names",
            )
    for warning in (*before.warnings, *after.warnings):
        tell(f"peelcalc: warning: {warning}")
    used = None
    if mapping is not None:
        from peelcalc.mapping import load_mapping

        used = load_mapping(mapping, before.result.ruleset, after.result.ruleset)
    compared = compare(before.result, after.result, used)
    color, width = style_for(output)
    text = DIFF_FORMATS[chosen](compared, Style(color=color, width=width))
    rulesets = [Path(before.result.ruleset.path), Path(after.result.ruleset.path)]
    earlier = [*before.earlier, *after.earlier]
    emit(text, output, [old, new, *rulesets, *earlier, *([mapping] if mapping else [])])


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
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            readable=False,
            help="Write the skeleton to FILE, which must not exist yet, instead of printing it.",
        ),
    ] = None,
) -> None:
    """Print a commented evidence skeleton with every area of a ruleset."""
    from peelcalc.loading import load_ruleset
    from peelcalc.paths import state_of
    from peelcalc.registry import find_shipped
    from peelcalc.skeleton import skeleton

    path = Path(ruleset)
    if ruleset.endswith(".toml") or state_of(path).kind != "missing":
        loaded = load_ruleset(path)
    else:
        loaded = find_shipped(ruleset, None, None)
    if output is not None and state_of(output).kind in ("file", "folder", "other"):
        from peelcalc.errors import Location, UsageError

        raise UsageError(
            "already exists; 'init' never overwrites a file",
            Location(str(output)),
            "choose a new name",
        )
    emit(skeleton(loaded), output, [Path(loaded.path)])


# The parameters 'check' and 'test' share.
RuleFilesArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Rule files or folders of rule files (default: rules/).",
        metavar="[PATH]...",
        show_default=False,
        readable=False,
    ),
]
ReportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Report format: text, json, github (annotations) or sarif (code scanning).",
    ),
]


def _run_checks(paths: list[Path] | None, fmt: str, strict: bool, with_verify: bool) -> None:
    from peelcalc.checking import check_paths
    from peelcalc.render.checks import CHECK_FORMATS, CheckStyle, render_check

    chosen = choose_format(fmt, CHECK_FORMATS)
    result = check_paths(paths or [Path("rules")], with_verify=with_verify)
    color, width = style_for(None)
    style = CheckStyle(color=color, width=width, tests=not with_verify, strict=strict)
    emit(render_check(result, chosen, style), None, [])
    raise typer.Exit(result.exit_code(strict))


_CHECK_HELP = (
    "Check rule files and report every problem: syntax, schema, integrity, completeness, "
    "shadowed rules, monotonicity, limiters, unreachable grades, and their rule tests.\n\n"
    "Exit code 0 when clean (warnings allowed unless --strict), 1 when problems are found, "
    "2 on a usage error or a file that cannot be read."
)
_TEST_HELP = (
    "Run the rule tests of rule files (NAME.tests.toml beside NAME.toml): for each, "
    "expected and got, with the rule and limiters that decided it.\n\n"
    "Exit code 0 when every test passes, 1 when one fails or a file has problems, "
    "2 on a usage error or a file that cannot be read."
)


@app.command(help=_CHECK_HELP)
@_reports_errors
def check(
    paths: RuleFilesArgument = None,
    fmt: ReportFormatOption = "text",
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
) -> None:
    """Check rule files (see ``_CHECK_HELP``)."""
    _run_checks(paths, fmt, strict, with_verify=True)


@app.command("test", help=_TEST_HELP)
@_reports_errors
def test_rules(
    paths: RuleFilesArgument = None,
    fmt: ReportFormatOption = "text",
) -> None:
    """Run rule tests (see ``_TEST_HELP``)."""
    _run_checks(paths, fmt, False, with_verify=False)


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: only the command named, when one is.

    Typer turns every registered command into a click command, reading each one's
    signature, before it runs any of them; with a dozen commands that is a measurable
    part of start-up, paid in every pre-commit hook and CI step. So when the first
    argument names a command, a copy of the app holding just that command (and the
    root options) runs instead: the command's options, help and errors are the same.
    Anything else (no arguments, ``--help``, ``--version``, a mistyped command, which
    needs the full list for its suggestion) runs the full app.
    """
    if not argv:
        return app
    chosen = [
        info
        for info in app.registered_commands
        if argv[0] == (info.name or get_command_name(_callback_name(info)))
    ]
    if not chosen:
        return app
    slim = typer.Typer(
        add_completion=False,
        pretty_exceptions_enable=app.pretty_exceptions_enable,
        pretty_exceptions_show_locals=app.pretty_exceptions_show_locals,
        pretty_exceptions_short=app.pretty_exceptions_short,
        suggest_commands=app.suggest_commands,
    )
    slim.info = app.info
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def _callback_name(info: CommandInfo) -> str:
    assert info.callback is not None
    return info.callback.__name__
