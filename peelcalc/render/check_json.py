"""The JSON report of ``check`` and ``test``, in the stable shape the README documents.

``schema`` is bumped whenever a key is renamed or removed; keys may be added
within a schema version.
"""

from __future__ import annotations

import json
from typing import Any

from peelcalc import __version__
from peelcalc.checking import CheckResult, FileReport, Problem
from peelcalc.render.check_common import INDICATIVE
from peelcalc.render.checks import CheckStyle
from peelcalc.ruletests import Outcome
from peelcalc.scheme_inputs import Example

SCHEMA_VERSION = 1


def example(ex: Example) -> dict[str, Any]:
    return {
        "children": dict(ex.children),
        "findings": dict(ex.findings),
        "grade": ex.grade,
        "rule": ex.rule,
        "limiters": list(ex.limiters),
    }


def _problem(problem: Problem) -> dict[str, Any]:
    loc = problem.location
    return {
        "check": problem.check,
        "severity": problem.severity,
        "message": problem.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "key_path": loc.key_path,
        "hint": problem.hint,
        "examples": [example(ex) for ex in problem.examples],
    }


def _outcome(outcome: Outcome) -> dict[str, Any]:
    test, decision = outcome.test, outcome.decision
    return {
        "id": test.id,
        "passed": outcome.passed,
        "file": test.location.file,
        "line": test.location.line,
        "scheme": test.scheme,
        "node": test.node,
        "expect": test.expect,
        "expect_rule": test.expect_rule,
        "expect_limiters": None if test.expect_limiters is None else list(test.expect_limiters),
        "got": outcome.got,
        "rule": None if decision is None else decision.rule.id,
        "limiters": [] if decision is None else [limiter.id for limiter in decision.limiters],
    }


def _file(report: FileReport) -> dict[str, Any]:
    ruleset = None
    if report.ruleset is not None:
        ruleset_id, version, content_hash = report.ruleset
        ruleset = {"id": ruleset_id, "version": version, "content_hash": content_hash}
    return {
        "path": report.path,
        "ruleset": ruleset,
        "verified": report.verified,
        "tests_path": report.tests_path,
        "tests": [_outcome(o) for o in report.outcomes],
        "problems": [_problem(p) for p in report.problems],
    }


def render(result: CheckResult, style: CheckStyle) -> str:
    document = {
        "schema": SCHEMA_VERSION,
        "peelcalc": __version__,
        "indicative": INDICATIVE,
        "strict": style.strict,
        "exit_code": result.exit_code(style.strict),
        "summary": {
            "files": len(result.files),
            "errors": result.count("error"),
            "warnings": result.count("warning"),
            "tests_run": result.tests_run,
            "tests_failed": result.tests_failed,
        },
        "files": [_file(report) for report in result.files],
        "skipped": list(result.skipped),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
