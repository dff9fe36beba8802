"""Wording shared by the check reporters."""

from __future__ import annotations

from peelcalc.checking import CheckResult, FileReport

INDICATIVE = (
    "Grades shown in examples and rule tests are what the ruleset gives: indicative, "
    "not judgments of the inspectorate."
)


def ruleset_words(report: FileReport) -> str:
    """ "ruleset peel-2015-effectiveness 1.0.0 (sha256:abcd…)", or why it is not named."""
    if report.ruleset is None:
        return "ruleset not loaded"
    ruleset_id, version, content_hash = report.ruleset
    return f"ruleset {ruleset_id} {version} ({content_hash[:19]})"


def summary(result: CheckResult, strict: bool) -> str:
    """One line: files, errors, warnings, tests."""
    errors, warnings = result.count("error"), result.count("warning")
    files = len(result.files)
    parts = [
        f"{files} rule file{'s' if files != 1 else ''} checked",
        f"{errors} error{'s' if errors != 1 else ''}",
        f"{warnings} warning{'s' if warnings != 1 else ''}"
        + (" (fail: --strict)" if strict and warnings else ""),
        f"{result.tests_run} rule test{'s' if result.tests_run != 1 else ''} run, "
        f"{result.tests_failed} failed",
    ]
    if result.skipped:
        others = len(result.skipped)
        parts.append(f"{others} other file{'s' if others != 1 else ''} skipped")
    return ", ".join(parts)
