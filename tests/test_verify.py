"""Verification (peelcalc.verify) agrees with brute force, and finds each class of problem.

Brute force here enumerates every ordered tuple of child grades and every finding
count up to beyond any bound the random rules use, and asks the engine for each;
verification must reach exactly the same verdicts from count vectors and capped
finding counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from peelcalc.engine import decide
from peelcalc.errors import NoRuleError
from peelcalc.model import (
    Bounds,
    ChildTerm,
    Decision,
    FindingTerm,
    Limiter,
    Rule,
    Scheme,
    Term,
)
from peelcalc.scheme_inputs import BOX_BUDGET, Example, compositions, finding_caps
from peelcalc.verify import SchemeReport, verify, verify_scheme
from tests.strategies import SMALL_KINDS, SMALL_SCALE, rule_tables

TOP = 5  # bounds in rule_tables are at most 3: counts up to 5 go past every cap
Key = tuple[tuple[str, ...], tuple[int, ...]]


def brute(scheme: Scheme, sizes: Sequence[int]) -> dict[Key, Decision | None]:
    """The engine's decision for every tuple of child grades and finding counts."""
    out: dict[Key, Decision | None] = {}
    kinds = [k.id for k in SMALL_KINDS]
    for size in sizes:
        for grades in product(SMALL_SCALE.ids, repeat=size):
            for counts in product(range(TOP + 1), repeat=len(kinds)):
                if size == 0 and not any(counts):
                    continue  # an area without findings is not assessed
                try:
                    out[grades, counts] = decide(
                        scheme, SMALL_SCALE, grades, dict(zip(kinds, counts, strict=True))
                    )
                except NoRuleError:
                    out[grades, counts] = None
    return out


def holds(rule: Rule, key: Key) -> bool:
    """Whether every condition of ``rule`` holds for the input, asked of the engine with
    a scheme of that one rule and no default."""
    grades, counts = key
    alone = Scheme("alone", "", "", (rule,), (), None)
    try:
        decide(
            alone,
            SMALL_SCALE,
            list(grades),
            dict(zip([k.id for k in SMALL_KINDS], counts, strict=True)),
        )
    except NoRuleError:
        return False
    return True


def blamed(worse_input: Key, worse: Decision, better: Decision) -> str:
    """The limiter that lowered the better input's grade; else the rule that decided it if
    it starts to hold with the better input; if it held already (the default always does)
    and was passed over, the rule that decided the worse input and stopped holding."""
    if better.limiters:
        return better.limiters[-1].id
    if holds(better.rule, worse_input):
        return worse.rule.id
    return better.rule.id


def brute_monotone_blame(table: dict[Key, Decision | None]) -> set[str]:
    """Who is blamed for each better input that gets a worse grade."""
    rank = SMALL_SCALE.rank
    found: set[str] = set()

    def compare(worse_input: Key, better_input: Key) -> None:
        a, b = table.get(worse_input), table.get(better_input)
        if a is not None and b is not None and rank(b.grade) > rank(a.grade):
            found.add(blamed(worse_input, a, b))

    for (grades, counts), _ in table.items():
        for i, grade in enumerate(grades):
            r = rank(grade)
            if r > 0:
                raised = (*grades[:i], SMALL_SCALE.ids[r - 1], *grades[i + 1 :])
                compare((grades, counts), (raised, counts))
        for k, kind in enumerate(SMALL_KINDS):
            if counts[k] < TOP:
                more = (*counts[:k], counts[k] + 1, *counts[k + 1 :])
                if kind.effect == "positive":
                    compare((grades, counts), (grades, more))
                else:
                    compare((grades, more), (grades, counts))
    return found


def example_decision(scheme: Scheme, example: Example) -> tuple[str | None, str | None]:
    grades = [g for g, n in example.children for _ in range(n)]
    try:
        decision = decide(scheme, SMALL_SCALE, grades, dict(example.findings))
    except NoRuleError:
        return None, None
    return decision.grade, decision.rule.id


def one_step_better(before: Example, after: Example) -> bool:
    """One child raised by one grade, or one more positive / one fewer negative finding."""
    ids = SMALL_SCALE.ids
    a = [dict(before.children).get(g, 0) for g in ids]
    b = [dict(after.children).get(g, 0) for g in ids]
    fa, fb = dict(before.findings), dict(after.findings)
    if fa == fb:
        diff = [y - x for x, y in zip(a, b, strict=True)]
        return any(diff[r - 1] == 1 and diff[r] == -1 for r in range(1, len(ids))) and (
            sum(abs(d) for d in diff) == 2
        )
    if a != b:
        return False
    effects = {k.id: k.effect for k in SMALL_KINDS}
    changed = [k for k in set(fa) | set(fb) if fa.get(k, 0) != fb.get(k, 0)]
    if len(changed) != 1:
        return False
    (kind,) = changed
    step = fb.get(kind, 0) - fa.get(kind, 0)
    return step == (1 if effects[kind] == "positive" else -1)


def verdicts(scheme: Scheme, sizes: Sequence[int]) -> None:
    table = brute(scheme, sizes)
    # Shares of findings cannot be capped: verification examines them up to a box, here
    # the same box as brute force, so the two must agree exactly.
    report = verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, sizes, share_box=TOP)
    by_check: dict[str, set[str]] = {}
    for issue in report.issues:
        by_check.setdefault(issue.check, set()).add(issue.subject.id)
    assert ("bounded" in by_check) == any(
        isinstance(t, FindingTerm) and t.of
        for r in (*scheme.rules, *scheme.limiters)
        for t in r.when
    )

    decisions = [d for d in table.values() if d is not None]
    # Completeness: a gap is reported exactly when some input gets no grade.
    assert ("completeness" in by_check) == (None in table.values())
    # Shadowed or dead: exactly the rules that decide no input.
    deciding = {d.rule.id for d in decisions}
    assert by_check.get("shadowed", set()) == {r.id for r in scheme.rules} - deciding
    # Monotonicity: the same rules and limiters are blamed.
    assert by_check.get("monotonicity", set()) == brute_monotone_blame(table)
    # Limiters: never hold, or never change a grade.
    changing = {limiter.id for d in decisions for limiter in d.limiters}
    assert by_check.get("limiter", set()) == {li.id for li in scheme.limiters} - changing
    # Each counterexample is genuine: one step better, a worse grade, as the engine says.
    for issue in report.issues:
        for example in issue.examples:
            assert example_decision(scheme, example) == (example.grade, example.rule)
        if issue.check == "monotonicity":
            before, after = issue.examples
            assert one_step_better(before, after)
            assert SMALL_SCALE.rank(after.grade or "") > SMALL_SCALE.rank(before.grade or "")
    # The grades each size of node can get.
    for size in sizes:
        got = {d.grade for (g, _), d in table.items() if d is not None and len(g) == size}
        assert report.grades_by_size[size] == got


@settings(max_examples=80, deadline=None)
@given(scheme=rule_tables(), most=st.integers(1, 3))
def test_verdicts_agree_with_brute_force(scheme: Scheme, most: int) -> None:
    """For random rule tables over children and findings, every verdict matches brute force."""
    verdicts(scheme, list(range(1, most + 1)))


@settings(max_examples=40, deadline=None)
@given(scheme=rule_tables(children=False))
def test_verdicts_for_areas_agree_with_brute_force(scheme: Scheme) -> None:
    """For findings-only tables used by areas (assessed only with a finding), likewise."""
    verdicts(scheme, [0])


def test_compositions_are_the_count_vectors() -> None:
    vectors = list(compositions(16, 5))
    assert len(vectors) == len(set(vectors)) == 4845  # C(20, 4)
    assert all(sum(v) == 16 and len(v) == 5 for v in vectors)


@given(
    bounds=st.lists(
        st.tuples(st.sampled_from(["plus", "minus"]), st.integers(0, 4), st.integers(0, 4)),
        min_size=1,
        max_size=3,
    ),
    counts=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_capping_finding_counts_changes_no_term(
    bounds: list[tuple[str, int, int]], counts: tuple[int, int]
) -> None:
    """Capping each kind at one more than its largest bound leaves every term's truth alone."""
    terms = [
        FindingTerm(("plus", "minus") if i % 2 else (kind,), Bounds(min(a, b), max(a, b)))
        for i, (kind, a, b) in enumerate(bounds)
    ]
    caps = finding_caps(terms)
    given_counts = dict(zip(("plus", "minus"), counts, strict=True))
    capped = {k: min(n, caps.get(k, n)) for k, n in given_counts.items()}
    for term in terms:
        before = sum(given_counts[k] for k in term.kinds)
        after = sum(capped[k] for k in term.kinds)
        assert term.bounds.holds(before, 0) == term.bounds.holds(after, 0)


def _rule(rule_id: str, grade: str, *terms: ChildTerm | FindingTerm) -> Rule:
    return Rule(rule_id, rule_id, grade, terms, "")


def test_a_counterexample_names_children_and_grades_before_and_after() -> None:
    two_top_is_mid = _rule("two-top", "mid", ChildTerm("at", "top", Bounds(min=2)))
    scheme = Scheme("s", "", "", (two_top_is_mid,), (), Rule("d", "", "top", (), ""))
    (issue,) = [i for i in verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, [2]).issues]
    assert issue.check == "monotonicity" and issue.subject.id == "two-top"
    before, after = issue.examples
    assert before.children == (("top", 1), ("mid", 1)) and before.grade == "top"
    assert after.children == (("top", 2),) and after.grade == "mid"
    assert "from Mid to Top" in issue.message


def test_a_rule_that_stops_holding_is_blamed_not_the_default() -> None:
    """A better input that falls through to the default is the fault of the rule that
    stopped holding: the default holds for every input and cannot be fixed."""
    one_top = _rule("one-top", "top", ChildTerm("at", "top", Bounds(min=1, max=1)))
    scheme = Scheme("s", "", "", (one_top,), (), Rule("d", "", "mid", (), ""))
    (issue,) = [i for i in verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, [2]).issues]
    assert issue.check == "monotonicity" and issue.subject.id == "one-top"
    before, after = issue.examples
    assert (before.rule, after.rule) == ("one-top", "d")
    assert "stops holding" in issue.message


def test_a_rule_passed_over_before_is_not_blamed() -> None:
    """When the rule that gives the worse grade held already and was passed over, the fault
    is the earlier rule that stopped holding."""
    no_top_no_low = _rule(
        "no-top-no-low",
        "top",
        ChildTerm("at", "top", Bounds(max=0)),
        ChildTerm("at", "low", Bounds(max=0)),
    )
    few_low = _rule("few-low", "mid", ChildTerm("at", "low", Bounds(max=1)))
    scheme = Scheme("s", "", "", (no_top_no_low, few_low), (), Rule("d", "", "low", (), ""))
    issues = verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, [2]).issues
    blamed_ids = {i.subject.id for i in issues if i.check == "monotonicity"}
    assert blamed_ids == {"no-top-no-low"}


def test_a_share_threshold_is_checked_at_every_size() -> None:
    # At most a third below top: with 1 or 2 children that is none, with 3 it is one.
    third = _rule("third", "top", ChildTerm("below", "top", Bounds(max_share=Fraction(1, 3))))
    scheme = Scheme("s", "", "", (third,), (), None)
    report = verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, [1, 2, 3])
    (gap,) = [i for i in report.issues if i.check == "completeness"]
    assert gap.examples[0].grade is None


def test_sixteen_children_over_five_grades_are_verified() -> None:
    """The scale the issue asks for: verification covers every count vector up to 16."""
    from benchmarks.verify import FIVE, count_scheme

    report = verify_scheme(count_scheme(), FIVE, SMALL_KINDS, list(range(1, 17)))
    assert not [i for i in report.issues if i.severity == "error"]
    assert report.grades_by_size[16] == frozenset(FIVE.ids)


def test_the_shipped_ruleset_verifies_clean(ruleset: object) -> None:
    from peelcalc.model import Ruleset

    assert isinstance(ruleset, Ruleset)
    assert verify(ruleset) == ()


def test_a_limiter_that_can_never_hold() -> None:
    rule = _rule("any", "mid", FindingTerm(("plus",), Bounds(min=0)))
    never = Limiter("never", "", "low", (ChildTerm("at", "low", Bounds(min=3)),), "")
    scheme = Scheme("s", "", "", (rule,), (never,), None)
    (issue,) = verify_scheme(scheme, SMALL_SCALE, SMALL_KINDS, [1, 2]).issues
    assert issue.check == "limiter" and "can never hold" in issue.message
    assert issue.severity == "warning"


def _on_one_kind(term: ChildTerm | FindingTerm) -> ChildTerm | FindingTerm:
    """A finding term narrowed to its first kind, with counts for bounds."""
    if isinstance(term, ChildTerm):
        return term
    bounds = term.bounds
    if bounds.min is None and bounds.max is None:  # a share: keep a count condition instead
        bounds = Bounds(min=1)
    return FindingTerm(term.kinds[:1], Bounds(min=bounds.min, max=bounds.max))


_SCALE = 1_000_000
assert _SCALE > BOX_BUDGET


def _scaled(term: ChildTerm | FindingTerm) -> ChildTerm | FindingTerm:
    """The same condition with every boundary between counts moved from b to a million·b
    (past :data:`BOX_BUDGET`, so that the counts are compressed).

    ``min m`` holds from m, ``max M`` up to M: the boundary falls before m and after M,
    so they become ``min S·m`` and ``max S·(M+1) - 1``, and every kind's counts
    fall into the same ordered regions as before, only wider.
    """
    if isinstance(term, ChildTerm):
        return term
    low, high = term.bounds.min, term.bounds.max
    return FindingTerm(
        term.kinds,
        Bounds(
            min=None if low is None else _SCALE * low,
            max=None if high is None else _SCALE * (high + 1) - 1,
        ),
    )


def _mapped(scheme: Scheme, change: Callable[[Term], Term]) -> Scheme:
    def rule(r: Rule) -> Rule:
        return Rule(r.id, r.reading, r.grade, tuple(change(t) for t in r.when), r.source)

    limiters = tuple(
        Limiter(li.id, li.reading, li.cap, tuple(change(t) for t in li.when), li.source)
        for li in scheme.limiters
    )
    rules = tuple(rule(r) for r in scheme.rules)
    return Scheme(scheme.id, scheme.title, scheme.source, rules, limiters, scheme.default)


@settings(max_examples=60, deadline=None)
@given(scheme=rule_tables(), most=st.integers(1, 2))
def test_huge_bounds_on_one_kind_get_the_verdicts_of_small_ones(scheme: Scheme, most: int) -> None:
    """Counts examined only around large bounds give every verdict that every count gives,
    for conditions on one kind each: the same problems, of the same rules, and the same
    grades reachable at each size. (Nodes with children: an area counts only with some
    finding, which cuts the widened regions differently, so areas are not comparable.)"""
    small = _mapped(scheme, _on_one_kind)
    huge = _mapped(small, _scaled)
    sizes = list(range(1, most + 1))
    exact = verify_scheme(small, SMALL_SCALE, SMALL_KINDS, sizes)
    compressed = verify_scheme(huge, SMALL_SCALE, SMALL_KINDS, sizes)

    def verdicts_of(report: SchemeReport) -> set[tuple[str, str]]:
        return {(i.check, i.subject.id) for i in report.issues if i.check != "bounded"}

    assert verdicts_of(compressed) == verdicts_of(exact)
    assert compressed.grades_by_size == exact.grades_by_size
    large = any(
        isinstance(t, FindingTerm) and max(t.bounds.min or 0, t.bounds.max or 0) > BOX_BUDGET
        for r in (*huge.rules, *huge.limiters)
        for t in r.when
    )
    assert any(i.check == "bounded" for i in compressed.issues) == large
