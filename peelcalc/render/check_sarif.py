"""SARIF 2.1.0, for code scanning: one result per problem, one rule per class of problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peelcalc import __version__
from peelcalc.checking import PROBLEM_CLASSES, CheckResult, Problem
from peelcalc.render.check_common import INDICATIVE
from peelcalc.render.check_json import example

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_IDS = list(PROBLEM_CLASSES)
_DEFAULT_LEVEL = {"unreachable": "warning", "unused": "warning", "limiter": "warning"}
_DEFAULT_LEVEL["bounded"] = "note"


def _uri(path: str) -> str:
    """A relative URI with forward slashes when the file is under the current folder."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return candidate.as_posix()


def _result(problem: Problem) -> dict[str, Any]:
    loc = problem.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
    if loc.line is not None:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.column is not None:
            region["startColumn"] = loc.column
        physical["region"] = region
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    result: dict[str, Any] = {
        "ruleId": problem.check,
        "ruleIndex": _RULE_IDS.index(problem.check),
        "level": problem.severity,
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
    }
    if loc.key_path:
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": loc.key_path, "kind": "member"}
        ]
    if problem.examples:
        result["properties"] = {"examples": [example(ex) for ex in problem.examples]}
    return result


def render(result: CheckResult) -> str:
    rules = [
        {
            "id": check,
            "name": "".join(part.title() for part in check.split("-")),
            "shortDescription": {"text": description},
            "defaultConfiguration": {"level": _DEFAULT_LEVEL.get(check, "error")},
        }
        for check, description in PROBLEM_CLASSES.items()
    ]
    run = {
        "tool": {
            "driver": {
                "name": "peelcalc",
                "version": __version__,
                "rules": rules,
            }
        },
        "results": [_result(problem) for problem in result.problems()],
        "properties": {
            "indicative": INDICATIVE,
            "rulesets": [
                {
                    "path": r.path,
                    "id": r.ruleset[0],
                    "version": r.ruleset[1],
                    "content_hash": r.ruleset[2],
                }
                for r in result.files
                if r.ruleset is not None
            ],
        },
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
