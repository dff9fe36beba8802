"""The shipped example reproduces the published 2015 grades, without awarded grades."""

from __future__ import annotations

from peelcalc.engine import grade
from peelcalc.model import Evidence, Ruleset

# HMIC, PEEL: Police effectiveness 2015 – Gloucestershire Constabulary (February 2016):
# the grade under each question's "Summary of findings" and the Overall judgment.
PUBLISHED = {
    "overall": "requires-improvement",
    "q1": "good",
    "q2": "requires-improvement",
    "q3": "requires-improvement",
    "q4": "requires-improvement",
}


def test_published_grades_are_reproduced(ruleset: Ruleset, example: Evidence) -> None:
    result = grade(ruleset, example)
    got = {node: result.find(node).grade for node in PUBLISHED}
    assert got == PUBLISHED


def test_example_uses_no_awarded_grades_and_names_every_area(
    ruleset: Ruleset, example: Evidence
) -> None:
    area_ids = {n.id for n in ruleset.root.walk() if not n.children}
    assert example.awards == {}
    assert set(example.areas) == area_ids


def test_every_finding_cites_a_report_section(example: Evidence) -> None:
    seed_headings = {f.citation for a in example.areas.values() for f in a.findings}
    assert all(len(c) > 10 for c in seed_headings)


def test_q4_cause_of_concern_is_behind_the_question(ruleset: Ruleset, example: Evidence) -> None:
    result = grade(ruleset, example)
    understanding = result.find("q4-understanding")
    assert any(f.kind == "cause-of-concern" for f in understanding.findings)
    # The outcomes area has indicators only: the report makes no judgment there.
    outcomes = result.find("q2-outcomes")
    assert outcomes.status == "not-assessed" and outcomes.indicators
