"""The shipped example reproduces the published 2015 grades, without awarded grades."""

from __future__ import annotations

import re

import pytest

from peelcalc.engine import grade
from peelcalc.model import Evidence, Ruleset
from tests.conftest import ROOT

SEED = ROOT.parent / "shared" / "seeds" / "peel-effectiveness-2015-gloucestershire.txt"

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


@pytest.mark.skipif(not SEED.exists(), reason="the seed report is not beside this checkout")
def test_every_citation_and_quotation_is_in_the_report(example: Evidence) -> None:
    """Each finding cites a section heading of the report and quotes it word for word."""
    # Quotations may start a sentence with a capital the report has in mid-sentence.
    seed = " ".join(SEED.read_text(encoding="utf-8").split()).lower()
    for area in example.areas.values():
        for finding in area.findings:
            heading = finding.citation.split(" – ")[0]
            assert heading.lower() in seed, finding.citation
            for quoted in re.findall(r'"([^"]{12,})"', finding.text):
                for piece in quoted.split(" ... "):
                    assert " ".join(piece.split()).lower() in seed, (finding.text, piece)


def test_q4_cause_of_concern_is_behind_the_question(ruleset: Ruleset, example: Evidence) -> None:
    result = grade(ruleset, example)
    understanding = result.find("q4-understanding")
    assert any(f.kind == "cause-of-concern" for f in understanding.findings)
    # The outcomes area has indicators only: the report makes no judgment there.
    outcomes = result.find("q2-outcomes")
    assert outcomes.status == "not-assessed" and outcomes.indicators
