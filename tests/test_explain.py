"""Explanations: read off the one evaluation, naming the rules and findings that decided."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.engine import grade
from peelcalc.explain import NodeExplanation, explain, shorten
from peelcalc.loading import load_ruleset
from peelcalc.model import Award, Evidence, NodeResult, Ruleset
from peelcalc.render import EXPLAIN_FORMATS, Style, render_explanation
from tests.conftest import EXAMPLE, ROOT, RULES_2015
from tests.strategies import evidence

RULESET = load_ruleset(RULES_2015)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _pairs(
    explained: NodeExplanation, graded: NodeResult
) -> list[tuple[NodeExplanation, NodeResult]]:
    pairs = [(explained, graded)]
    for e, g in zip(explained.children, graded.children, strict=True):
        pairs += _pairs(e, g)
    return pairs


@settings(max_examples=60, deadline=None)
@given(ev=evidence(RULESET))
def test_explanation_agrees_with_the_grade_everywhere(ev: Evidence) -> None:
    """At every node the explanation gives the graded grade, and the rule it names really
    decided it: all its conditions hold, and every rule passed over has one that fails."""
    result = grade(RULESET, ev)
    explained = explain(result)
    assert explained.node.grade == result.root.grade
    for e, g in _pairs(explained.node, result.root):
        assert (e.id, e.grade, e.derived, e.status) == (g.node.id, g.grade, g.derived, g.status)
        assert (e.rule.id if e.rule else None) == (g.rule.id if g.rule else None)
        if e.rule is not None:
            assert all(t.holds for t in e.rule.terms), e.id
        assert all(not all(t.holds for t in r.terms) for r in e.passed_over), e.id
        lowered = [lim.id for lim in e.limiters if lim.lowered]
        assert lowered == [hit.limiter.id for hit in g.limiters]
        for lim in e.limiters:
            assert all(t.holds for t in lim.terms)


def test_q4_names_its_cause_of_concern(ruleset: Ruleset, example: Evidence) -> None:
    (concern,) = [
        f for area in example.areas.values() for f in area.findings if f.kind == "cause-of-concern"
    ]
    explained = explain(grade(ruleset, example), "q4")
    summary = explained.summary
    assert "question.cause-of-concern-cap" in summary
    assert shorten(concern.text) in summary and concern.citation in summary
    assert "q4-understanding" in summary
    (limiter,) = explained.node.limiters
    assert [c.finding for c in limiter.findings] == [concern]
    assert not limiter.lowered  # two areas requiring improvement already give that grade


def test_the_paragraph_says_why_not_better(ruleset: Ruleset, example: Evidence) -> None:
    summary = explain(grade(ruleset, example), "q2").summary
    assert "question.default" in summary
    assert "It is not good, because rule question.good does not hold" in summary
    assert "q2-initial-investigation and q2-crime-types" in summary
    assert "q2-outcomes is not assessed" in summary


def test_an_award_is_shown_beside_what_the_rules_give(ruleset: Ruleset, example: Evidence) -> None:
    awards = {"q2": Award("good", "Moderated up after the file review.")}
    result = grade(ruleset, attrs.evolve(example, awards=awards))
    explained = explain(result, "q2")
    assert (explained.node.grade, explained.node.derived) == ("good", "requires-improvement")
    assert "awarded by an inspector" in explained.summary
    # Quoted whole, with one full stop after the quotation, not two.
    assert "“Moderated up after the file review”. The rules" in explained.summary
    assert "The rules alone give requires improvement" in explained.summary


def test_a_node_not_assessed_says_so(ruleset: Ruleset, example: Evidence) -> None:
    explained = explain(grade(ruleset, example), "q2-outcomes")
    assert explained.node.status == "not-assessed"
    assert "not assessed" in explained.summary


@pytest.mark.parametrize("fmt", sorted(EXPLAIN_FORMATS))
def test_every_explain_format_names_the_ruleset_and_is_indicative(
    fmt: str, ruleset: Ruleset, example: Evidence
) -> None:
    explained = explain(grade(ruleset, example), "q4")
    text = render_explanation(explained, fmt, Style(width=200))  # type: ignore[arg-type]
    flat = " ".join(text.split())
    assert ruleset.id in flat and ruleset.version in flat
    assert ruleset.content_hash[:19] in flat
    assert "not judgments of the inspectorate" in flat
    assert "question.cause-of-concern-cap" in flat


def test_explain_json_shape() -> None:
    code, out, _ = invoke("explain", str(EXAMPLE), "q4", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == 1 and doc["document"] == "explanation" and doc["node"] == "q4"
    tree = doc["tree"]
    assert set(tree) == {
        "id", "level", "title", "grade", "status", "derived", "rule", "passed_over",
        "limiters", "awarded", "findings", "child_grades", "carried_from", "margin", "range",
        "children",
    }  # fmt: skip
    assert tree["rule"]["id"] == "question.requires-improvement"
    (limiter,) = tree["limiters"]
    assert limiter["lowered"] is False
    assert limiter["findings"][0]["area"] == "q4-understanding"
    assert limiter["findings"][0]["kind"] == "cause-of-concern"
    assert [c["id"] for c in tree["children"]] == [
        "q4-understanding", "q4-responding", "q4-partners", "q4-national",
    ]  # fmt: skip


def test_explain_defaults_to_the_overall_grade() -> None:
    code, out, _ = invoke("explain", str(EXAMPLE), "--format", "json")
    assert code == 0 and json.loads(out)["node"] == "overall"


def test_node_names_are_matched_in_any_case() -> None:
    code, out, _ = invoke("explain", str(EXAMPLE), "Q4", "--format", "json")
    assert code == 0 and json.loads(out)["node"] == "q4"


def test_unknown_node_is_a_usage_error_with_a_suggestion() -> None:
    code, out, err = invoke("explain", str(EXAMPLE), "q4-understandin")
    assert (code, out) == (2, "")
    assert "unknown node 'q4-understandin'" in err
    assert "did you mean 'q4-understanding'?" in err


def test_unknown_node_far_from_any_lists_the_nodes() -> None:
    code, _, err = invoke("explain", str(EXAMPLE), "zzz")
    assert code == 2 and "choose one of: overall, q1," in err


def test_unknown_explain_format_is_a_usage_error() -> None:
    code, _, err = invoke("explain", str(EXAMPLE), "--format", "csv")
    assert code == 2 and "unknown format 'csv'" in err
    assert "table, json, markdown" in err


def test_explain_reports_bad_evidence_like_grade(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    code, _, err = invoke("explain", str(missing))
    assert code == 2 and "missing.toml" in err and "Traceback" not in err


def test_an_ungraded_question_is_explained_as_ungraded(tmp_path: Path) -> None:
    from tests.test_states import RULES, ungrade

    rules = tmp_path / "rules.toml"
    rules.write_text(ungrade(ungrade(RULES, "q3"), "q3-vulnerability"), encoding="utf-8")
    code, out, _ = invoke("explain", str(EXAMPLE), "q3", "--rules", str(rules), "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["tree"]["status"] == "ungraded" and doc["tree"]["rule"] is None
    assert "is ungraded" in doc["summary"]
    code, out, _ = invoke("explain", str(EXAMPLE), "--rules", str(rules), "-f", "json")
    assert code == 0
    overall = json.loads(out)["tree"]
    assert "1 ungraded" in overall["child_grades"]
    counted = overall["rule"]["terms"][0]["children"]
    assert "q3" not in counted


def test_a_carried_question_is_read_as_the_earlier_file_graded_it(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.toml"
    earlier.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8").replace('period = "2015"', 'period = "2016"', 1)
    # Q4's areas are not re-inspected: their findings go, and Q4 is carried from 2015.
    head, _, _ = text.partition("# Q4")
    later = tmp_path / "later.toml"
    later.write_text(head + '\n[carried.q4]\nfrom = "earlier.toml"\n', encoding="utf-8")
    code, out, err = invoke("explain", str(later), "q4", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["tree"]["status"] == "carried"
    assert doc["tree"]["carried_from"].startswith("carried from 2015")
    assert doc["tree"]["rule"]["id"] == "question.requires-improvement"
    assert doc["tree"]["limiters"][0]["findings"][0]["kind"] == "cause-of-concern"
    assert "carried from 2015" in doc["summary"]
    code, out, _ = invoke("explain", str(later), "-f", "json")
    # Above the carried node, its findings are not counted again: no cause-of-concern cap.
    assert json.loads(out)["tree"]["limiters"] == []


def test_a_share_condition_shows_the_whole_it_is_a_share_of() -> None:
    """ "at most 1/4 of findings of kinds ... — 1" cannot be checked by a reader without the
    whole: recording-data has 1 characteristic shown of 4 assessed (1 meets, 3 fall short)."""
    path = EXAMPLE.parent / "synthetic-2021.toml"
    code, out, _ = invoke("explain", str(path), "recording-data", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    (term,) = doc["tree"]["rule"]["terms"]
    assert (term["count"], term["whole"]) == (1, 4)
    assert "— 1 of 4" in doc["summary"]
    # A share of children: Gloucestershire's Q3 has one area, which requires improvement.
    code, out, _ = invoke("explain", str(EXAMPLE), "q3", "--format", "json")
    doc = json.loads(out)
    (term,) = doc["tree"]["rule"]["terms"]
    assert (term["count"], term["whole"]) == (1, 1)
    assert "— 1 of 1: q3-vulnerability" in doc["summary"]
    # A plain count has no whole.
    code, out, _ = invoke("explain", str(EXAMPLE), "q4-understanding", "--format", "json")
    doc = json.loads(out)
    (term,) = doc["tree"]["rule"]["terms"]
    assert term["whole"] is None and "at least 1 — 4)" in doc["summary"]


def test_an_ungraded_root_is_not_said_to_be_counted_above() -> None:
    """The 2021+ framework has nothing above it: its explanation says its core questions
    are graded, as grade does, not that its findings are "never counted above it"."""
    code, out, _ = invoke("explain", str(EXAMPLE.parent / "synthetic-2021.toml"), "-f", "json")
    summary = json.loads(out)["summary"]
    assert code == 0 and "no overall grade; its core questions are graded" in summary
    assert "above it" not in summary


def test_overall_under_a_ruleset_without_one_says_there_is_none() -> None:
    """From 2021/22 PEEL gives no overall grade: asking for it names the top and the questions."""
    evidence = ROOT / "examples" / "synthetic-2021.toml"
    code, out, err = invoke("explain", str(evidence), "overall")
    assert (code, out) == (2, "")
    assert "unknown node 'overall'" in err
    assert "gives no overall grade" in err and "the top of its tree is 'peel'" in err
    assert "core questions are victims, recording-data," in err
