"""Properties the domain promises, checked with Hypothesis on the shipped ruleset."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import attrs
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.engine import decide, grade
from peelcalc.loading import load_ruleset
from peelcalc.model import AreaEvidence, Award, Evidence, Finding, Result
from peelcalc.render import FORMATS
from tests.conftest import RULES_2015
from tests.strategies import evidence, evidence_toml

RULESET = load_ruleset(RULES_2015)
SCALE = RULESET.scale
CHILD_SCHEMES = sorted({n.scheme for n in RULESET.root.walk() if n.children})
AREA_SCHEMES = sorted({n.scheme for n in RULESET.root.walk() if not n.children})
POSITIVE = [k.id for k in RULESET.kinds if k.effect == "positive"]
NEGATIVE = [k.id for k in RULESET.kinds if k.effect == "negative"]


def summary(result: Result) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Each node's grade, derived grade and deciding rule: what grading decides."""
    return {
        r.node.id: (r.grade, r.derived, r.rule.id if r.rule else None) for r in result.root.walk()
    }


def not_lower(before: str | None, after: str | None) -> bool:
    if before is None or after is None:
        return True
    return SCALE.rank(after) <= SCALE.rank(before)


kind_counts = st.dictionaries(st.sampled_from(RULESET.kind_ids), st.integers(0, 3))


@given(
    scheme=st.sampled_from(CHILD_SCHEMES),
    grades=st.lists(st.sampled_from(SCALE.ids), min_size=1, max_size=9),
    kinds=kind_counts,
    data=st.data(),
)
def test_raising_one_child_never_lowers_the_parent(
    scheme: str, grades: list[str], kinds: dict[str, int], data: st.DataObject
) -> None:
    """Raising any one child's grade one step never lowers its parent's grade."""
    raisable = [i for i, g in enumerate(grades) if SCALE.rank(g) > 0]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    raised = list(grades)
    raised[i] = SCALE.ids[SCALE.rank(grades[i]) - 1]
    before = decide(RULESET.schemes[scheme], SCALE, grades, kinds).grade
    after = decide(RULESET.schemes[scheme], SCALE, raised, kinds).grade
    assert not_lower(before, after), (grades, raised, before, after)


@given(scheme=st.sampled_from(AREA_SCHEMES), kinds=kind_counts, data=st.data())
def test_better_findings_never_lower_an_area(
    scheme: str, kinds: dict[str, int], data: st.DataObject
) -> None:
    """One more positive finding, or one fewer negative one, never lowers an area."""
    better = dict(kinds)
    if data.draw(st.booleans()):
        kind = data.draw(st.sampled_from(POSITIVE))
        better[kind] = better.get(kind, 0) + 1
    else:
        present = [k for k in NEGATIVE if kinds.get(k, 0) > 0]
        if not present:
            return
        kind = data.draw(st.sampled_from(present))
        better[kind] -= 1
    s = RULESET.schemes[scheme]
    before, after = decide(s, SCALE, [], kinds).grade, decide(s, SCALE, [], better).grade
    assert not_lower(before, after), (kinds, better, before, after)


@given(ev=evidence(RULESET), data=st.data())
def test_better_evidence_never_lowers_any_grade(ev: Evidence, data: st.DataObject) -> None:
    """Adding a positive finding to an assessed area never lowers any grade in the tree."""
    if not ev.areas:
        return
    area = data.draw(st.sampled_from(sorted(ev.areas)))
    kind = data.draw(st.sampled_from(POSITIVE))
    old = ev.areas[area]
    if not old.findings:  # a newly assessed area is not "better evidence" for its parent
        return
    improved = dict(ev.areas)
    improved[area] = AreaEvidence((*old.findings, Finding(kind, "better", "c")), old.indicators)
    before = summary(grade(RULESET, ev))
    after = summary(grade(RULESET, attrs.evolve(ev, areas=improved)))
    for node, (grade_before, _, _) in before.items():
        assert not_lower(grade_before, after[node][0]), node


@given(ev=evidence(RULESET, awards=False), data=st.data())
def test_awarding_a_higher_grade_never_lowers_an_ancestor(
    ev: Evidence, data: st.DataObject
) -> None:
    """An inspector raising one node's grade never lowers any grade above it."""
    result = grade(RULESET, ev)
    raisable = [r for r in result.root.walk() if r.grade is not None and SCALE.rank(r.grade) > 0]
    if not raisable:
        return
    target = data.draw(st.sampled_from([r.node.id for r in raisable]))
    current = result.find(target).grade
    assert current is not None
    higher = SCALE.ids[SCALE.rank(current) - 1]
    after = grade(RULESET, attrs.evolve(ev, awards={target: Award(higher, "raised")}))
    for node, (grade_before, _, _) in summary(result).items():
        assert not_lower(grade_before, after.find(node).grade), node


@given(ev=evidence(RULESET), seed=st.integers(0, 2**32 - 1))
def test_grading_is_deterministic_and_ignores_finding_order(ev: Evidence, seed: int) -> None:
    """The same evidence, with findings and areas in any order, grades the same."""
    rng = random.Random(seed)
    items = list(ev.areas.items())
    rng.shuffle(items)
    shuffled = {
        area: AreaEvidence(tuple(rng.sample(a.findings, len(a.findings))), a.indicators)
        for area, a in items
    }
    first = grade(RULESET, ev)
    assert grade(RULESET, ev) == first
    assert summary(grade(RULESET, attrs.evolve(ev, areas=shuffled))) == summary(first)


@settings(max_examples=40, deadline=None)
@given(ev=evidence(RULESET), fmt=st.sampled_from(sorted(FORMATS)))
def test_any_valid_evidence_file_grades_without_error(ev: Evidence, fmt: str) -> None:
    """Any structurally valid evidence file grades, in every format, with exit code 0."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "evidence.toml"
        path.write_text(tomli_w.dumps(evidence_toml(ev)), encoding="utf-8")
        run = CliRunner().invoke(app, ["grade", str(path), "--format", fmt])
    assert run.exit_code == 0, run.output
    assert RULESET.content_hash[:19] in run.stdout or RULESET.content_hash in run.stdout


@given(
    scheme=st.sampled_from(CHILD_SCHEMES),
    grade_id=st.sampled_from(SCALE.ids),
    count=st.integers(1, 9),
)
def test_children_all_at_one_grade_give_that_grade(scheme: str, grade_id: str, count: int) -> None:
    """When every assessed child has the same grade, the rules give the parent that grade."""
    decision = decide(RULESET.schemes[scheme], SCALE, [grade_id] * count, {})
    assert decision.grade == grade_id
