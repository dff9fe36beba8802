"""Unit tests of the grading engine on small, hand-made schemes."""

from __future__ import annotations

from fractions import Fraction

import attrs
import pytest

from peelcalc.engine import decide, grade
from peelcalc.model import (
    AreaEvidence,
    Award,
    Bounds,
    Carried,
    ChildTerm,
    EarlierFile,
    Evidence,
    Finding,
    FindingTerm,
    Grade,
    GradeScale,
    Limiter,
    Result,
    Rule,
    Ruleset,
    Scheme,
)

SCALE = GradeScale(tuple(Grade(g, g.title(), "", "") for g in ("top", "mid", "low")))


def scheme(rules: tuple[Rule, ...], limiters: tuple[Limiter, ...] = ()) -> Scheme:
    return Scheme("s", "S", "", rules, limiters, Rule("s.default", "default", "mid", (), ""))


TWO_LOW = Rule("two-low", "two low", "low", (ChildTerm("at", "low", Bounds(min=2)),), "")
ALL_TOP = Rule("all-top", "all top", "top", (ChildTerm("below", "top", Bounds(max=0)),), "")


@pytest.mark.parametrize(
    ("grades", "expected", "rule"),
    [
        (["low", "low", "top"], "low", "two-low"),
        (["top", "top"], "top", "all-top"),
        (["top", "mid"], "mid", "s.default"),
        (["low", "top"], "mid", "s.default"),
    ],
)
def test_first_matching_rule_decides(grades: list[str], expected: str, rule: str) -> None:
    decision = decide(scheme((TWO_LOW, ALL_TOP)), SCALE, grades, {})
    assert (decision.grade, decision.rule.id) == (expected, rule)


def test_rule_order_matters() -> None:
    any_low = Rule("any-low", "", "low", (ChildTerm("at", "low", Bounds(min=1)),), "")
    any_top = Rule("any-top", "", "top", (ChildTerm("at", "top", Bounds(min=1)),), "")
    mixed = ["low", "top"]
    assert decide(scheme((any_low, any_top)), SCALE, mixed, {}).grade == "low"
    assert decide(scheme((any_top, any_low)), SCALE, mixed, {}).grade == "top"


def test_shares_are_of_assessed_children() -> None:
    at_most_a_fifth_low = Rule(
        "fifth", "", "top", (ChildTerm("at", "low", Bounds(max_share=Fraction(1, 5))),), ""
    )
    s = scheme((at_most_a_fifth_low,))
    assert decide(s, SCALE, ["low"] + ["top"] * 4, {}).grade == "top"
    assert decide(s, SCALE, ["low"] + ["top"] * 3, {}).grade == "mid"


def test_limiter_caps_and_never_raises() -> None:
    cap = Limiter(
        "cap", "concern caps at mid", "mid", (FindingTerm(("concern",), Bounds(min=1)),), ""
    )
    s = scheme((ALL_TOP, TWO_LOW), (cap,))
    capped = decide(s, SCALE, ["top"], {"concern": 1})
    assert capped.grade == "mid" and [lim.id for lim in capped.limiters] == ["cap"]
    low = decide(s, SCALE, ["low", "low"], {"concern": 1})
    assert low.grade == "low" and low.limiters == ()


def _tiny_ruleset() -> Ruleset:
    from peelcalc.model import FindingKind, Node

    good = Rule("a.good", "a strength", "top", (FindingTerm(("s",), Bounds(min=1)),), "")
    area = Scheme("area", "", "", (good,), (), Rule("a.default", "", "low", (), ""))
    parent = scheme((TWO_LOW, ALL_TOP))
    leaves = tuple(Node(f"a{i}", f"A{i}", "area", "area", "") for i in range(3))
    root = Node("overall", "O", "overall", "parent", "", leaves)
    return Ruleset(
        id="tiny",
        version="1",
        title="Tiny",
        source="",
        scale=SCALE,
        kinds=(
            FindingKind("s", "S", "positive", "", ""),
            FindingKind("w", "W", "negative", "", ""),
        ),
        schemes={"area": area, "parent": parent},
        root=root,
        content_hash="sha256:0",
        path="tiny.toml",
    )


def _evidence(
    areas: dict[str, tuple[str, ...]], awards: dict[str, Award] | None = None
) -> Evidence:
    return Evidence(
        force="F",
        period="P",
        ruleset_id="tiny",
        ruleset_version="1",
        source=None,
        areas={a: AreaEvidence(tuple(Finding(k, "t", "c") for k in ks)) for a, ks in areas.items()},
        awards=awards or {},
        path="e.toml",
    )


def test_not_assessed_children_are_left_out_and_shown() -> None:
    rs = _tiny_ruleset()
    result = grade(rs, _evidence({"a0": ("s",), "a1": ()}))
    assert result.find("a1").status == "not-assessed"
    assert result.find("a2").status == "not-assessed"
    assert result.root.grade == "top"  # only a0 counts


def test_nothing_assessed_means_not_assessed_all_the_way_up() -> None:
    result = grade(_tiny_ruleset(), _evidence({}))
    assert [r.status for r in result.root.walk()] == ["not-assessed"] * 4


def test_awarded_grade_is_used_upward_and_derived_is_kept() -> None:
    awards = {"a0": Award("low", "moderated down"), "a1": Award("low", "moderated down")}
    result = grade(_tiny_ruleset(), _evidence({"a0": ("s",), "a1": ("s",)}, awards))
    a0 = result.find("a0")
    assert (a0.derived, a0.grade, a0.status) == ("top", "low", "awarded")
    assert result.root.grade == "low" and result.root.rule is not None
    assert result.root.rule.id == "two-low"


def test_award_on_an_unassessed_node_counts() -> None:
    result = grade(_tiny_ruleset(), _evidence({}, {"a2": Award("top", "seen in the field")}))
    assert result.find("a2").derived is None
    assert result.root.grade == "top"


def test_limiter_on_a_child_grade() -> None:
    """A limiter may name a child grade, like Ofsted's limiting judgements."""
    any_low_caps = Limiter(
        "low-child-caps",
        "a low child caps at mid",
        "mid",
        (ChildTerm("at", "low", Bounds(min=1)),),
        "",
    )
    majority_top = Rule(
        "top", "", "top", (ChildTerm("at", "top", Bounds(min_share=Fraction(1, 2))),), ""
    )
    s = scheme((majority_top,), (any_low_caps,))
    capped = decide(s, SCALE, ["top", "top", "low"], {})
    assert (capped.rule.id, capped.grade) == ("top", "mid")
    assert decide(s, SCALE, ["top", "top", "mid"], {}).grade == "top"


def test_a_limiter_that_holds_without_lowering_is_recorded() -> None:
    """Explanations need every cap that held, also one the rule's grade was already under."""
    cap = Limiter(
        "cap", "concern caps at mid", "mid", (FindingTerm(("concern",), Bounds(min=1)),), ""
    )
    s = scheme((TWO_LOW, ALL_TOP), (cap,))
    low = decide(s, SCALE, ["low", "low"], {"concern": 1})
    assert low.limiters == ()
    assert [(c.limiter.id, c.before, c.lowered) for c in low.held] == [("cap", "low", False)]
    top = decide(s, SCALE, ["top"], {"concern": 1})
    assert [(c.limiter.id, c.before, c.lowered) for c in top.held] == [("cap", "top", True)]
    assert decide(s, SCALE, ["top"], {}).held == ()


def test_held_limiters_reach_the_result_with_their_findings(ruleset: Ruleset) -> None:
    from peelcalc.loading import load_evidence, read_evidence
    from tests.conftest import EXAMPLE

    result = grade(ruleset, load_evidence(read_evidence(EXAMPLE), ruleset))
    q4 = result.find("q4")
    assert q4.limiters == ()  # two areas requiring improvement already give that grade
    (hit,) = q4.held
    assert hit.limiter.id == "question.cause-of-concern-cap" and not hit.lowered
    assert [f.kind for f in hit.findings] == ["cause-of-concern"]


def _with_ungraded(*ungraded: str, root_graded: bool = True) -> Ruleset:
    """The tiny ruleset with the named areas ungraded, and the root too if asked.

    The root caps at mid when any "w" finding is counted below it.
    """
    rs = _tiny_ruleset()
    leaves = tuple(
        attrs.evolve(leaf, scheme=None) if leaf.id in ungraded else leaf
        for leaf in rs.root.children
    )
    w_caps = Limiter("w-cap", "a w caps at mid", "mid", (FindingTerm(("w",), Bounds(min=1)),), "")
    parent = scheme((TWO_LOW, ALL_TOP), (w_caps,))
    root = attrs.evolve(rs.root, children=leaves, scheme="parent" if root_graded else None)
    return attrs.evolve(rs, root=root, schemes={**rs.schemes, "parent": parent})


def test_an_ungraded_child_is_shown_but_never_counted() -> None:
    rs = _with_ungraded("a2")
    result = grade(rs, _evidence({"a0": ("s",), "a2": ("w", "w")}))
    a2 = result.find("a2")
    assert (a2.status, a2.grade, a2.derived, a2.rule) == ("ungraded", None, None, None)
    assert [f.kind for f in a2.findings] == ["w", "w"]  # its findings are still shown
    # Counted, a2 would be low (so not all top) and its "w" findings would cap the root.
    assert (result.root.grade, result.root.limiters) == ("top", ())
    graded = grade(_with_ungraded(), _evidence({"a0": ("s",), "a2": ("w", "w")}))
    assert graded.root.grade == "mid"


def test_a_parent_of_only_ungraded_assessed_children_is_not_assessed() -> None:
    result = grade(_with_ungraded("a2"), _evidence({"a2": ("s",)}))
    assert result.root.status == "not-assessed"


def test_an_ungraded_root_gives_no_overall_grade_and_its_children_are_the_top_grades() -> None:
    rs = _with_ungraded(root_graded=False)
    result = grade(rs, _evidence({"a0": ("s",), "a1": ("w",)}))
    assert (result.root.status, result.root.grade) == ("ungraded", None)
    assert [c.grade for c in result.root.children] == ["top", "low", None]
    assert [c.status for c in result.root.children] == ["derived", "derived", "not-assessed"]


def _carried(node: str, earlier: Result, period: str = "2015") -> Carried:
    return Carried(EarlierFile(f"{period}.toml", "F", period), earlier.find(node))


def test_a_carried_node_keeps_the_earlier_judgment_and_counts_by_its_grade() -> None:
    rs = _with_ungraded()
    earlier = grade(rs, _evidence({"a0": ("w",), "a1": ("w",)}))
    now = attrs.evolve(
        _evidence({"a0": ("s",), "a1": ("s",)}), carried={"a1": _carried("a1", earlier)}
    )
    result = grade(rs, now)
    a1 = result.find("a1")
    assert (a1.status, a1.grade, a1.carried[0].period) == ("carried", "low", "2015")
    assert a1.findings == earlier.find("a1").findings
    assert result.root.rule is not None and result.root.rule.id == "s.default"  # top and low


def test_the_findings_behind_a_carried_grade_are_not_counted_again() -> None:
    rs = _with_ungraded()
    earlier = grade(rs, _evidence({"a1": ("s", "w")}))
    assert earlier.find("a1").grade == "top"
    now = attrs.evolve(_evidence({"a0": ("s",)}), carried={"a1": _carried("a1", earlier)})
    # Counted, the "w" behind a1's carried grade would cap the root at mid.
    assert grade(rs, now).root.grade == "top"


def test_a_carried_subtree_is_marked_at_every_node_and_chains_are_kept() -> None:
    rs = _with_ungraded()
    first = grade(rs, _evidence({"a0": ("s",), "a1": ("s",)}))
    second = grade(
        rs, attrs.evolve(_evidence({}), carried={"overall": _carried("overall", first, "2015")})
    )
    third = grade(
        rs, attrs.evolve(_evidence({}), carried={"overall": _carried("overall", second, "2016")})
    )
    for node in third.root.walk():
        assert [e.period for e in node.carried] == ["2016", "2015"]
        assert node.status == "carried"
        assert node.grade == first.find(node.node.id).grade


def test_a_share_of_findings_is_of_the_kinds_named_as_the_whole() -> None:
    three_quarters = FindingTerm(("s",), Bounds(min_share=Fraction(3, 4)), of=("s", "w"))
    s = scheme((Rule("most-s", "", "top", (three_quarters,), ""),))
    assert decide(s, SCALE, [], {"s": 3, "w": 1}).grade == "top"
    assert decide(s, SCALE, [], {"s": 2, "w": 1}).grade == "mid"  # 2 < 3/4 of 3, rounded up
    assert decide(s, SCALE, [], {"s": 3, "w": 1, "x": 9}).grade == "top"  # x is not in the whole
    assert "at least 3/4 of findings of kind s or w" in three_quarters.describe(SCALE)


def test_remembered_decisions_belong_to_one_ruleset() -> None:
    """The engine remembers decisions per ruleset: a ruleset changed by attrs.evolve (same
    scheme names, other rules) is graded by its own rules, before and after."""
    rs = _tiny_ruleset()
    ev = _evidence({"a0": ("w",)})
    assert grade(rs, ev).find("a0").grade == "low"  # the area default
    strict = rs.schemes["area"]
    lenient = attrs.evolve(strict, default=Rule("a.default", "", "mid", (), ""))
    changed = attrs.evolve(rs, schemes={**rs.schemes, "area": lenient})
    for _ in range(2):
        assert grade(changed, ev).find("a0").grade == "mid"
        assert grade(rs, ev).find("a0").grade == "low"
