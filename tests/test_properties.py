"""Properties the domain promises, checked with Hypothesis on every shipped ruleset."""

from __future__ import annotations

import random
import tempfile
import tomllib
from pathlib import Path

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.engine import decide, grade
from peelcalc.loading import load_evidence, load_ruleset
from peelcalc.model import (
    AreaEvidence,
    Award,
    Carried,
    ChildTerm,
    EarlierFile,
    Finding,
    Result,
    Ruleset,
)
from peelcalc.registry import shipped_paths
from peelcalc.render import FORMATS
from peelcalc.tomlfile import Document
from tests.reference import reference_grade
from tests.strategies import evidence, evidence_toml

RULESETS = [load_ruleset(path) for path in shipped_paths()]
# Properties over whole evidence files: fewer examples each, as they run per ruleset.
TREE = settings(max_examples=25, deadline=None)
each_ruleset = pytest.mark.parametrize("rs", RULESETS, ids=[rs.id for rs in RULESETS])


def child_schemes(rs: Ruleset) -> list[str]:
    return sorted({n.scheme for n in rs.root.walk() if n.children and n.scheme is not None})


def area_schemes(rs: Ruleset) -> list[str]:
    return sorted({n.scheme for n in rs.root.walk() if not n.children and n.scheme is not None})


def positive(rs: Ruleset) -> list[str]:
    return [k.id for k in rs.kinds if k.effect == "positive"]


def negative(rs: Ruleset) -> list[str]:
    return [k.id for k in rs.kinds if k.effect == "negative"]


def summary(result: Result) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Each node's grade, derived grade and deciding rule: what grading decides."""
    return {
        r.node.id: (r.grade, r.derived, r.rule.id if r.rule else None) for r in result.root.walk()
    }


def not_lower(rs: Ruleset, before: str | None, after: str | None) -> bool:
    if before is None or after is None:
        return True
    return rs.scale.rank(after) <= rs.scale.rank(before)


def kind_counts(rs: Ruleset) -> st.SearchStrategy[dict[str, int]]:
    return st.dictionaries(st.sampled_from(rs.kind_ids), st.integers(0, 3))


def test_every_shipped_ruleset_is_checked() -> None:
    """The properties below run over every rule file in rules/, whatever is added."""
    assert len(RULESETS) == len(shipped_paths()) >= 3


@each_ruleset
@given(data=st.data())
def test_raising_one_child_never_lowers_the_parent(rs: Ruleset, data: st.DataObject) -> None:
    """Raising any one child's grade one step never lowers its parent's grade."""
    scale = rs.scale
    scheme = rs.schemes[data.draw(st.sampled_from(child_schemes(rs)))]
    grades = data.draw(st.lists(st.sampled_from(scale.ids), min_size=1, max_size=9))
    kinds = data.draw(kind_counts(rs))
    raisable = [i for i, g in enumerate(grades) if scale.rank(g) > 0]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    raised = list(grades)
    raised[i] = scale.ids[scale.rank(grades[i]) - 1]
    before = decide(scheme, scale, grades, kinds).grade
    after = decide(scheme, scale, raised, kinds).grade
    assert not_lower(rs, before, after), (grades, raised, before, after)


@each_ruleset
@given(data=st.data())
def test_better_findings_never_lower_a_grade(rs: Ruleset, data: st.DataObject) -> None:
    """One more positive finding, or one fewer negative one, never lowers a grade."""
    scheme = rs.schemes[data.draw(st.sampled_from(area_schemes(rs) + child_schemes(rs)))]
    kinds = data.draw(kind_counts(rs))
    grades = data.draw(st.lists(st.sampled_from(rs.scale.ids), max_size=6))
    better = dict(kinds)
    if data.draw(st.booleans()):
        kind = data.draw(st.sampled_from(positive(rs)))
        better[kind] = better.get(kind, 0) + 1
    else:
        present = [k for k in negative(rs) if kinds.get(k, 0) > 0]
        if not present:
            return
        kind = data.draw(st.sampled_from(present))
        better[kind] -= 1
    before = decide(scheme, rs.scale, grades, kinds).grade
    after = decide(scheme, rs.scale, grades, better).grade
    assert not_lower(rs, before, after), (kinds, better, before, after)


@each_ruleset
@TREE
@given(data=st.data())
def test_better_evidence_never_lowers_any_grade(rs: Ruleset, data: st.DataObject) -> None:
    """Adding a positive finding to an assessed area never lowers any grade in the tree."""
    ev = data.draw(evidence(rs))
    if not ev.areas:
        return
    area = data.draw(st.sampled_from(sorted(ev.areas)))
    kind = data.draw(st.sampled_from(positive(rs)))
    old = ev.areas[area]
    if not old.findings:  # a newly assessed area is not "better evidence" for its parent
        return
    improved = dict(ev.areas)
    improved[area] = AreaEvidence((*old.findings, Finding(kind, "better", "c")), old.indicators)
    before = summary(grade(rs, ev))
    after = summary(grade(rs, attrs.evolve(ev, areas=improved)))
    for node, (grade_before, _, _) in before.items():
        assert not_lower(rs, grade_before, after[node][0]), node


@each_ruleset
@TREE
@given(data=st.data())
def test_awarding_a_higher_grade_never_lowers_an_ancestor(rs: Ruleset, data: st.DataObject) -> None:
    """An inspector raising one node's grade never lowers any grade above it."""
    ev = data.draw(evidence(rs, awards=False))
    scale = rs.scale
    result = grade(rs, ev)
    raisable = [r for r in result.root.walk() if r.grade is not None and scale.rank(r.grade) > 0]
    if not raisable:
        return
    target = data.draw(st.sampled_from([r.node.id for r in raisable]))
    current = result.find(target).grade
    assert current is not None
    higher = scale.ids[scale.rank(current) - 1]
    after = grade(rs, attrs.evolve(ev, awards={target: Award(higher, "raised")}))
    for node, (grade_before, _, _) in summary(result).items():
        assert not_lower(rs, grade_before, after.find(node).grade), node


@each_ruleset
@TREE
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_grading_is_deterministic_and_ignores_finding_order(
    rs: Ruleset, data: st.DataObject, seed: int
) -> None:
    """The same evidence, with findings and areas in any order, grades the same."""
    ev = data.draw(evidence(rs))
    rng = random.Random(seed)
    items = list(ev.areas.items())
    rng.shuffle(items)
    shuffled = {
        area: AreaEvidence(tuple(rng.sample(a.findings, len(a.findings))), a.indicators)
        for area, a in items
    }
    first = grade(rs, ev)
    assert grade(rs, ev) == first
    assert summary(grade(rs, attrs.evolve(ev, areas=shuffled))) == summary(first)


@each_ruleset
@settings(max_examples=25, deadline=None)
@given(data=st.data(), fmt=st.sampled_from(sorted(FORMATS)))
def test_any_valid_evidence_file_grades_without_error(
    rs: Ruleset, data: st.DataObject, fmt: str
) -> None:
    """Any structurally valid evidence file grades, in every format, with exit code 0."""
    ev = data.draw(evidence(rs))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evidence.toml"
        path.write_text(tomli_w.dumps(evidence_toml(ev)), encoding="utf-8")
        run = CliRunner().invoke(app, ["grade", str(path), "--format", fmt])
    assert run.exit_code == 0, run.output
    assert rs.content_hash[:19] in run.stdout or rs.content_hash in run.stdout


@each_ruleset
@given(data=st.data())
def test_children_all_at_one_grade_give_that_grade(rs: Ruleset, data: st.DataObject) -> None:
    """When every assessed child has the same grade, a scheme over children's grades
    gives the parent that grade."""
    over_children = [
        name
        for name in child_schemes(rs)
        if any(isinstance(term, ChildTerm) for rule in rs.schemes[name].rules for term in rule.when)
    ]
    if not over_children:  # e.g. 2021+: questions are graded from their findings
        return
    scheme = rs.schemes[data.draw(st.sampled_from(over_children))]
    grade_id = data.draw(st.sampled_from(rs.scale.ids))
    count = data.draw(st.integers(1, 9))
    assert decide(scheme, rs.scale, [grade_id] * count, {}).grade == grade_id


@each_ruleset
@TREE
@given(data=st.data())
def test_findings_below_an_ungraded_node_never_change_a_grade(
    rs: Ruleset, data: st.DataObject
) -> None:
    """Whatever is found below an ungraded node, no graded node's grade changes."""
    hidden = [
        n.id
        for top in rs.root.walk()
        if not top.graded and top is not rs.root
        for n in top.walk()
        if not n.children
    ]
    if not hidden:
        return
    ev = data.draw(evidence(rs))
    area = data.draw(st.sampled_from(hidden))
    kinds = data.draw(st.lists(st.sampled_from(rs.kind_ids), min_size=1, max_size=5))
    areas = {**ev.areas, area: AreaEvidence(tuple(Finding(k, "t", "c") for k in kinds))}
    before = {r.node.id: r.grade for r in grade(rs, ev).root.walk()}
    after = {r.node.id: r.grade for r in grade(rs, attrs.evolve(ev, areas=areas)).root.walk()}
    assert before == after


@each_ruleset
@TREE
@given(data=st.data())
def test_a_carried_node_counts_upward_like_an_awarded_grade_with_no_evidence(
    rs: Ruleset, data: st.DataObject
) -> None:
    """Carrying a node from an earlier grading counts above it exactly as awarding the
    carried grade to that node, with no findings of its own, would."""
    earlier = grade(rs, data.draw(evidence(rs)))
    carriable = [r.node.id for r in earlier.root.walk() if r.node.graded and r.grade is not None]
    if not carriable:
        return
    node_id = data.draw(st.sampled_from(carriable))
    carried_grade = earlier.find(node_id).grade
    assert carried_grade is not None
    below = {n.id for n in rs.node(node_id).walk()}
    now = data.draw(evidence(rs, awards=False))
    own = {a: e for a, e in now.areas.items() if a not in below}
    source = EarlierFile("earlier.toml", "F", "earlier")
    carried = attrs.evolve(
        now, areas=own, carried={node_id: Carried(source, earlier.find(node_id))}
    )
    awarded = attrs.evolve(now, areas=own, awards={node_id: Award(carried_grade, "kept")})
    with_carry, with_award = grade(rs, carried), grade(rs, awarded)
    assert with_carry.find(node_id).status == "carried"
    for result in with_carry.root.walk():
        if node_id not in {n.id for n in result.node.walk()} or result.node.id == node_id:
            continue  # only the nodes above the carried one
        assert result.grade == with_award.find(result.node.id).grade, result.node.id


@each_ruleset
@TREE
@given(data=st.data())
def test_the_engine_gives_exactly_the_reference_evaluation(
    rs: Ruleset, data: st.DataObject
) -> None:
    """The compiled, memoised engine gives the same result, field for field, as a plain
    evaluation of the rules (tests/reference.py), with awards, carried and ungraded nodes."""
    earlier = data.draw(evidence(rs))
    now = data.draw(evidence(rs))
    result = grade(rs, earlier)
    carriable = [r.node.id for r in result.root.walk() if r.node.graded and r.grade is not None]
    if carriable and data.draw(st.booleans()):
        node_id = data.draw(st.sampled_from(carriable))
        source = EarlierFile("earlier.toml", "F", "earlier")
        now = attrs.evolve(now, carried={node_id: Carried(source, result.find(node_id))})
    for ev in (earlier, now):
        assert grade(rs, ev) == reference_grade(rs, ev)
        assert grade(rs, ev) == grade(rs, ev)  # and again, from the memo


@each_ruleset
@TREE
@given(data=st.data())
def test_evidence_written_as_toml_loads_back_the_same(rs: Ruleset, data: st.DataObject) -> None:
    """Evidence written as the TOML a user would write loads back as the same values
    (the loader's fast path for plain findings gives what the careful path gives)."""
    ev = data.draw(evidence(rs))
    text = tomli_w.dumps(evidence_toml(ev))
    doc = Document("e.toml", tomllib.loads(text), text.encode("utf-8"))
    loaded = load_evidence(doc, rs)
    assert loaded.areas == ev.areas and loaded.awards == ev.awards
    assert (loaded.force, loaded.period) == (ev.force, ev.period)
