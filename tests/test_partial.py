"""Margins and ranges, checked by brute force against re-grading with the engine."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelcalc.engine import grade
from peelcalc.loading import load_ruleset
from peelcalc.margins import margins
from peelcalc.model import Award, Evidence, Ruleset
from peelcalc.ranges import missing_areas, ranges
from tests.conftest import RULES_2015
from tests.strategies import evidence, small_evidence, small_rulesets
from tests.test_whatif import edit

RULESET = load_ruleset(RULES_2015)


def one_step_changes(
    ev: Evidence, rs: Ruleset, node_id: str, grades: dict[str, str | None]
) -> list[dict[str, Any]]:
    """Every one-step change below the node, as the README defines them."""
    node = rs.node(node_id)
    scale = rs.scale
    out: list[dict[str, Any]] = []
    for child in node.children:
        now = grades[child.id]
        if not child.graded or now is None:
            continue
        rank = scale.rank(now)
        for step in (-1, 1):
            if 0 <= rank + step < len(scale.grades):
                out.append(
                    {"action": "move", "node": child.id, "kind": None, "count": 1,
                     "grade": scale.ids[rank + step]}
                )  # fmt: skip
    for area in node.walk():
        if area.children:
            continue
        present = (
            Counter(f.kind for f in ev.areas[area.id].findings)
            if area.id in ev.areas
            else Counter()
        )
        for kind in rs.kind_ids:
            out.append({"action": "add", "node": area.id, "kind": kind, "grade": None, "count": 1})
            if present[kind]:
                out.append(
                    {"action": "resolve", "node": area.id, "kind": kind, "grade": None, "count": 1}
                )
    return out


def check_margins(rs: Ruleset, ev: Evidence) -> None:
    result = grade(rs, ev)
    found = margins(result)
    grades = {r.node.id: r.grade for r in result.root.walk()}
    for node in result.root.walk():
        node_id = node.node.id
        if node.grade is None or node.carried or not node.node.graded:
            assert node_id not in found
            continue
        now = rs.scale.rank(node.grade)
        up = down = 0
        for change in one_step_changes(ev, rs, node_id, grades):
            after = grade(rs, edit(ev, [change])).find(node_id).grade
            if after is not None and rs.scale.rank(after) < now:
                up += 1
            elif after is not None and rs.scale.rank(after) > now:
                down += 1
        assert (found[node_id].up, found[node_id].down) == (up, down), node_id


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_margins_count_the_one_step_changes_that_move_a_grade(data: st.DataObject) -> None:
    """On small random trees, each node's margin is the number of one-step changes below
    it after which re-grading gives it a better (up) or worse (down) grade."""
    rs = data.draw(small_rulesets())
    check_margins(rs, data.draw(small_evidence(rs)))


@settings(max_examples=5, deadline=None)
@given(ev=evidence(RULESET))
def test_margins_on_the_peel_tree(ev: Evidence) -> None:
    """The same on random evidence for the full PEEL 2015 tree."""
    check_margins(RULESET, ev)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_ranges_hold_every_completion_and_name_what_settles_it(data: st.DataObject) -> None:
    """Grading every completion of the missing areas: each node's range holds every
    completion's grade and both its ends are reached; the areas named as settling it are
    exactly those whose grade alone changes the node's grade in some completion."""
    rs = data.draw(small_rulesets())
    ev = data.draw(small_evidence(rs))
    result = grade(rs, ev)
    missing = missing_areas(result)
    found = ranges(result)
    if not missing:
        assert found == {}
        return
    scale = rs.scale
    seen: dict[tuple[str, ...], dict[str, str | None]] = {}
    for combo in itertools.product(scale.ids, repeat=len(missing)):
        awards = {
            **ev.awards,
            **{a: Award(g, "completion") for a, g in zip(missing, combo, strict=True)},
        }
        completed = grade(rs, attrs.evolve(ev, awards=awards))
        seen[combo] = {r.node.id: r.grade for r in completed.root.walk()}
    below = {n.id: {a for a in missing if a in {m.id for m in n.walk()}} for n in rs.root.walk()}
    for node_id, grade_range in found.items():
        got = {grades[node_id] for grades in seen.values()}
        ranks = sorted(scale.rank(g) for g in got if g is not None)
        assert (grade_range.best, grade_range.worst) == (scale.ids[ranks[0]], scale.ids[ranks[-1]])
        settles = set()
        for i, area in enumerate(missing):
            for combo, grades in seen.items():
                for other in scale.ids:
                    changed = (*combo[:i], other, *combo[i + 1 :])
                    if seen[changed][node_id] != grades[node_id]:
                        settles.add(area)
        assert set(grade_range.settled_by) == settles, node_id
        assert set(grade_range.settled_by) <= below[node_id]
    # Every node with a missing area below it that counts up to it has a range.
    for node_id, grades_below in below.items():
        node = result.find(node_id)
        if grades_below and node.node.graded and node_id not in found:
            assert all(grades[node_id] is None for grades in seen.values()), node_id


# --------------------------------------------------------------------------- in the outputs


def _without(example: Evidence, *area_ids: str) -> Evidence:
    return attrs.evolve(
        example, areas={a: e for a, e in example.areas.items() if a not in area_ids}
    )


def test_grade_json_and_csv_carry_every_margin(example: Evidence) -> None:
    import csv
    import io
    import json

    from peelcalc.render import render

    result = grade(RULESET, example)
    expected = margins(result)
    doc = json.loads(render(result, "json"))

    def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(n for child in node["children"] for n in walk(child))]

    for node in walk(doc["overall"]):
        margin = expected.get(node["id"])
        assert node["margin"] == (
            None if margin is None else {"up": margin.up, "down": margin.down}
        )
    rows = {r["node_id"]: r for r in csv.DictReader(io.StringIO(render(result, "csv")))}
    assert rows["q2"]["margin_up"] == str(expected["q2"].up)
    assert rows["q2"]["margin_down"] == str(expected["q2"].down)
    assert rows["q2-outcomes"]["margin_up"] == ""  # not assessed: no grade to move


def test_grade_table_and_markdown_show_the_margin_column(example: Evidence) -> None:
    from peelcalc.render import Style, render

    result = grade(RULESET, example)
    q2 = margins(result)["q2"]
    for fmt in ("table", "markdown"):
        text = render(result, fmt, Style(width=250))  # type: ignore[arg-type]
        assert "Margin" in text
        row = next(line for line in text.splitlines() if "q2" in line and "investigating" in line)
        assert f"↑{q2.up} ↓{q2.down}" in row, fmt


def test_missing_areas_give_a_range_and_name_what_settles_it(example: Evidence) -> None:
    """With two of Q4's areas (and so its cause of concern) left out, Q4 could be anything
    from outstanding to inadequate: both missing areas would settle it."""
    import json

    from peelcalc.explain import explain
    from peelcalc.render import render

    result = grade(RULESET, _without(example, "q4-understanding", "q4-responding"))
    found = ranges(result)["q4"]
    assert (found.best, found.worst) == ("outstanding", "inadequate")
    assert found.settled_by == ("q4-understanding", "q4-responding")
    node = json.loads(render(result, "json"))["overall"]["children"][3]
    assert node["range"] == {
        "best": "outstanding",
        "worst": "inadequate",
        "settled_by": ["q4-understanding", "q4-responding"],
    }
    summary = explain(result, "q4").summary
    assert "anywhere from outstanding to inadequate" in summary
    assert "grading q4-understanding and q4-responding would settle it" in summary
    assert "settled by q4-understanding, q4-responding" in render(result, "markdown")


def test_a_node_not_assessed_says_what_it_could_be(example: Evidence) -> None:
    from peelcalc.explain import explain

    summary = explain(grade(RULESET, example), "q2-outcomes").summary
    assert "not assessed" in summary
    assert "anywhere from outstanding to inadequate; grading q2-outcomes would settle it" in summary
