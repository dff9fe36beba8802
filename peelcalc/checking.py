"""``peelcalc check`` and ``peelcalc test``: run every check on rule files, keep every result.

Modelled on check-jsonschema: a checker that runs file by file, a result that only
accumulates, reporters chosen by name (:mod:`peelcalc.render.checks`). A file that
cannot be read or parsed becomes a result; it never stops the run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from peelcalc.errors import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_PROBLEMS,
    InputError,
    IntegrityError,
    Location,
    TomlSyntaxError,
    UnreadableError,
    UsageError,
)
from peelcalc.loading import RULESET_WHAT, collect_ruleset, not_rules
from peelcalc.paths import state_of
from peelcalc.ruletests import (
    Outcome,
    is_tests_file,
    load_tests,
    read_tests,
    rules_path,
    run,
    tests_path,
)
from peelcalc.scheme_inputs import Example
from peelcalc.tomlfile import Document, read_toml
from peelcalc.verify import Issue, Subject, verify

ProblemClass = Literal[
    "unreadable",
    "syntax",
    "schema",
    "integrity",
    "completeness",
    "shadowed",
    "monotonicity",
    "limiter",
    "unreachable",
    "unused",
    "rule-test",
    "bounded",
]
Severity = Literal["error", "warning", "note"]

#: Every class of problem, with a one-line description (the SARIF rules, the README).
PROBLEM_CLASSES: Mapping[ProblemClass, str] = {
    "unreadable": "The file is missing or cannot be read.",
    "syntax": "The file is not TOML: a syntax error, not UTF-8 text, or empty.",
    "schema": "A key that is unknown, missing or of the wrong type.",
    "integrity": "An id defined twice, or a grade, kind, scheme, node or rule not defined.",
    "completeness": "Some combination of child grades and findings gets no grade.",
    "shadowed": "A rule that never decides: earlier rules catch all its cases, or it never holds.",
    "monotonicity": "A better child grade, or better findings, give a worse grade.",
    "limiter": "A limiter that can never hold, never changes a grade, or raises one.",
    "unreachable": "A grade of the scale that no input can give a node.",
    "unused": "A scheme that no node uses.",
    "rule-test": "A rule test whose expected grade, rule or limiters differ from what it gets.",
    "bounded": "A note: shares of findings were checked up to a number of findings, not proved.",
}


@attrs.frozen
class Problem:
    """One problem found in one file."""

    check: ProblemClass
    """The class of problem (see :data:`PROBLEM_CLASSES`)."""
    severity: Severity
    """``error`` fails the run; ``warning`` only with ``--strict``; ``note`` never."""
    message: str
    """The problem in plain English."""
    location: Location
    """The file, line (and column) and key path to edit."""
    hint: str = ""
    """A "did you mean" or what to do, when there is one."""
    examples: tuple[Example, ...] = ()
    """Concrete inputs behind the message (for monotonicity: before and after)."""


@attrs.frozen
class FileReport:
    """Everything checked for one rule file (and its tests file)."""

    path: str
    ruleset: tuple[str, str, str] | None
    """Id, version and content hash, when the file loaded."""
    verified: bool
    """Whether the semantic checks ran (they need a file that loads without problems)."""
    tests_path: str | None
    """The tests file, when there is one."""
    outcomes: tuple[Outcome, ...]
    problems: tuple[Problem, ...]


class CheckResult:
    """The results of a run: it only accumulates."""

    def __init__(self) -> None:
        self.files: list[FileReport] = []
        self.skipped: list[str] = []
        """Files found in a folder that are not rule files, and what each is."""

    def record(self, report: FileReport) -> None:
        self.files.append(report)

    def problems(self) -> Iterator[Problem]:
        for report in self.files:
            yield from report.problems

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems() if p.severity == severity)

    @property
    def tests_run(self) -> int:
        return sum(len(r.outcomes) for r in self.files)

    @property
    def tests_failed(self) -> int:
        return sum(1 for r in self.files for o in r.outcomes if not o.passed)

    def exit_code(self, strict: bool) -> int:
        """2 if a file could not be read; 1 on errors (and warnings, with ``strict``); else 0."""
        if any(p.check == "unreadable" for p in self.problems()):
            return EXIT_INPUT
        if self.count("error") or (strict and self.count("warning")):
            return EXIT_PROBLEMS
        return EXIT_OK


# --------------------------------------------------------------------------- finding files


def rule_files(paths: Sequence[Path]) -> dict[Path, bool]:
    """The files to check, each with whether it was found in a folder (not named).

    Files are taken as given, and folders for their ``*.toml`` files. A tests file
    stands for the rule file it belongs to. A missing path is a usage error: the
    command line names something that is not there.
    """
    found: dict[Path, bool] = {}
    for path in paths:
        state = state_of(path)
        if state.kind == "missing":
            raise UsageError("no such file or folder", Location(str(path)))
        if state.kind == "unusable":
            raise UsageError(f"cannot read: {state.reason}", Location(str(path)))
        if state.kind == "folder":
            inside = [p for p in sorted(path.glob("*.toml")) if not is_tests_file(p)]
            if not inside:
                raise UsageError(
                    "no rule files (*.toml) in this folder", Location(str(path)), "name a rule file"
                )
            for file in inside:
                found.setdefault(file, True)
        elif is_tests_file(path):
            rules = rules_path(path)
            if state_of(rules).kind != "file":
                raise UsageError(
                    f"is a rule-tests file, but its rule file {rules} is not there",
                    Location(str(path)),
                    f"rule tests NAME.tests.toml run against the rule file NAME.toml beside "
                    f"them; put {rules.name} there, or name the rule file",
                )
            found[rules] = False
        else:
            found[path] = False
    return found


# --------------------------------------------------------------------------- checking a file


def _problem(error: InputError, file: str) -> Problem:
    check: ProblemClass = "schema"
    if isinstance(error, UnreadableError):
        check = "unreadable"
    elif isinstance(error, TomlSyntaxError):
        check = "syntax"
    elif isinstance(error, IntegrityError):
        check = "integrity"
    where = error.location if error.location is not None else Location(file)
    return Problem(check, "error", error.message, where, error.hint)


def _tables(data: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every table of a parsed document with its key path, parents first."""
    from peelcalc.keypath import join_path

    if isinstance(data, dict):
        yield path, data
        for key, value in data.items():
            yield from _tables(value, join_path(path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _tables(value, f"{path}[{index}]")


def locate(doc: Document, subject: Subject) -> Location:
    """Where a verified scheme, rule, limiter or node stands in its rule file."""
    scheme_path = f"schemes.{subject.scheme}"
    if subject.kind == "scheme":
        return doc.locate(scheme_path)
    if subject.kind in ("rule", "limiter"):
        scheme = doc.data.get("schemes", {}).get(subject.scheme, {})
        for path, table in _tables(scheme, scheme_path):
            if table.get("id") == subject.id:
                return doc.locate(f"{path}.id")
        return doc.locate(scheme_path)
    for path, table in _tables(doc.data, ""):
        if not path.startswith("schemes") and table.get("id") == subject.id and "scheme" in table:
            return doc.locate(f"{path}.id")
    return doc.locate("")


def _issue(doc: Document, issue: Issue) -> Problem:
    return Problem(
        issue.check,
        issue.severity,
        issue.message,
        locate(doc, issue.subject),
        examples=issue.examples,
    )


def check_document(
    path: Path, doc: Document, with_verify: bool = True, with_tests: bool = True
) -> FileReport:
    """Check a rule file already read: load it, verify its schemes, run its tests."""
    name = str(path)
    ruleset, errors = collect_ruleset(doc)
    problems = [_problem(error, name) for error in errors]
    tests_file = tests_path(path)
    has_tests = with_tests and state_of(tests_file).kind == "file"
    if ruleset is None:
        if has_tests:
            problems.append(
                Problem(
                    "rule-test",
                    "error",
                    "the rule tests were not run: the rule file has problems",
                    Location(str(tests_file)),
                )
            )
        return FileReport(
            name, None, False, str(tests_file) if has_tests else None, (), tuple(problems)
        )
    if with_verify:
        problems += [_issue(doc, issue) for issue in verify(ruleset)]
    outcomes: list[Outcome] = []
    if has_tests:
        try:
            tests_doc = read_tests(tests_file)
        except InputError as error:
            problems.append(_problem(error, str(tests_file)))
        else:
            tests, test_errors = load_tests(tests_doc, ruleset)
            problems += [_problem(error, str(tests_file)) for error in test_errors]
            for test in tests:
                outcome = run(test, ruleset)
                outcomes.append(outcome)
                if not outcome.passed:
                    problems.append(
                        Problem(
                            "rule-test",
                            "error",
                            f"rule test '{test.id}' failed: {outcome.explanation}",
                            test.location,
                        )
                    )
    head = (ruleset.id, ruleset.version, ruleset.content_hash)
    return FileReport(
        name,
        head,
        with_verify,
        str(tests_file) if has_tests else None,
        tuple(outcomes),
        _in_file_order(problems, name),
    )


def _in_file_order(problems: list[Problem], rules_file: str) -> tuple[Problem, ...]:
    """The rule file's problems by line, then its tests file's, as linters list them."""
    return tuple(
        sorted(
            problems,
            key=lambda p: (p.location.file != rules_file, p.location.line or 0),
        )
    )


def check_paths(
    paths: Sequence[Path], with_verify: bool = True, with_tests: bool = True
) -> CheckResult:
    """Check every rule file named in ``paths`` or found in its folders.

    A file found in a folder that is plainly something else (evidence, a ruleset
    mapping, rule tests) is skipped and listed, as ``batch`` skips rule files: rules
    and evidence often share a repository. Named on the command line, such a file is
    an error, since it was asked for.
    """
    result = CheckResult()
    kinds: list[str] = []
    for path, in_folder in rule_files(paths).items():
        try:
            doc = read_toml(path, RULESET_WHAT)
        except InputError as error:
            name = str(path)
            result.record(FileReport(name, None, False, None, (), (_problem(error, name),)))
            continue
        other = not_rules(doc.data) if in_folder else None
        if other is not None:
            result.skipped.append(f"{path} is {other[0]}, not a rule file; skipped")
            kinds.append(other[0].split(" ", 1)[1])  # "an evidence file" -> "evidence file"
            continue
        result.record(check_document(path, doc, with_verify, with_tests))
    if not result.files:
        held = ", ".join(
            f"{kinds.count(kind)} {kind}{'s' if kinds.count(kind) != 1 else ''}"
            for kind in dict.fromkeys(kinds)
        )
        raise UsageError(
            f"no rule files to check, only other files ({held})",
            Location(", ".join(str(path) for path in paths)),
            "name a rule file, or a folder that holds rule files",
        )
    return result
