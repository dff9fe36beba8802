"""Rule tests: cases carried beside a ruleset, in the spirit of ``opa test``.

A ruleset ``rules/NAME.toml`` carries its tests in the sibling file
``rules/NAME.tests.toml``. They live apart so that adding a test never changes
the rule file's bytes, and so never the content hash that every graded output
cites. Each test gives a scheme (or a node, which names its scheme) the grades of
its assessed children and counts of findings, and says which grade it must
decide (optionally by which rule, with which limiters).

Loading reports every problem of a tests file; running is pure (the engine's
:func:`~peelcalc.engine.decide`, the very logic that grades).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import attrs

from peelcalc.engine import decide
from peelcalc.errors import InputError, IntegrityError, Location, NoRuleError, Problems
from peelcalc.model import Decision, Node, Rule, Ruleset, Scheme
from peelcalc.tomlfile import Document, Table, read_toml

TESTS_WHAT = "a peelcalc rule tests file"
TESTS_SUFFIX = ".tests.toml"
_TEST_KEYS = (
    "id",
    "scheme",
    "node",
    "children",
    "findings",
    "expect",
    "expect_rule",
    "expect_limiters",
    "source",
)


def tests_path(rules_path: Path) -> Path:
    """Where the tests of a rule file live: ``NAME.toml`` → ``NAME.tests.toml``."""
    return rules_path.with_name(rules_path.name.removesuffix(".toml") + TESTS_SUFFIX)


def is_tests_file(path: Path) -> bool:
    return path.name.endswith(TESTS_SUFFIX)


def rules_path(tests: Path) -> Path:
    """The rule file a tests file belongs to."""
    return tests.with_name(tests.name.removesuffix(TESTS_SUFFIX) + ".toml")


@attrs.frozen
class RuleTest:
    """One test case: inputs of a scheme and the grade they must give."""

    id: str
    scheme: str
    """The scheme under test (given, or the scheme of :attr:`node`)."""
    node: str | None
    """The node the test is written for, if it names one."""
    children: tuple[str, ...]
    """The grades of the assessed children."""
    findings: Mapping[str, int] = attrs.field(eq=False)
    """How many findings of each kind stand at or below the node."""
    expect: str
    """The grade the scheme must decide."""
    expect_rule: str | None
    """The rule (or default) that must decide it, if the test says."""
    expect_limiters: tuple[str, ...] | None
    """The limiters that must lower the grade, in order, if the test says."""
    source: str
    """Why this is the right answer: a published grade, or the rule's text."""
    location: Location
    """Where the test stands in its file."""


@attrs.frozen
class Outcome:
    """What a test got."""

    test: RuleTest
    decision: Decision | None
    """The engine's decision, or ``None`` when no rule decides and there is no default."""
    explanation: str = ""
    """Expected and got in words, with the deciding rule's reading and any caps."""

    @property
    def got(self) -> str | None:
        return None if self.decision is None else self.decision.grade

    @property
    def failures(self) -> tuple[str, ...]:
        """What differs from the expectation, in words; empty when the test passes."""
        test, decision = self.test, self.decision
        if decision is None:
            return ("grade",)  # no rule decides and there is no default
        found = []
        if decision.grade != test.expect:
            found.append("grade")
        if test.expect_rule is not None and decision.rule.id != test.expect_rule:
            found.append("rule")
        applied = tuple(limiter.id for limiter in decision.limiters)
        if test.expect_limiters is not None and applied != test.expect_limiters:
            found.append("limiters")
        return tuple(found)

    @property
    def passed(self) -> bool:
        return not self.failures


def _test(table: Table, ruleset: Ruleset, ids: dict[str, str]) -> RuleTest:
    table.check_keys(_TEST_KEYS)
    test_id = table.text("id")
    if test_id in ids:
        first = table.doc.locate(ids[test_id])
        raise IntegrityError(
            f"duplicate test id '{test_id}' (first defined at line {first.line})",
            table.doc.locate(table.key_path("id")),
        )
    ids[test_id] = table.key_path("id")
    where = table.doc.locate(table.path)
    if ("scheme" in table) == ("node" in table):
        table.fail("a test names exactly one of 'scheme' or 'node'")
    node = None
    if "node" in table:
        node_id = _known(table, "node", ruleset.node_ids, "node")
        node = ruleset.node(node_id)
        if node.scheme is None:
            table.fail(f"'{node_id}' is ungraded: no scheme grades it", "node")
        scheme_id = node.scheme
    else:
        scheme_id = _known(table, "scheme", tuple(ruleset.schemes), "scheme")
    scheme = ruleset.schemes[scheme_id]

    children = _children(table, ruleset, node)
    findings = _findings(table, ruleset)
    if node is not None and not node.children and not any(findings.values()):
        table.fail(
            f"'{node.id}' is an area: with no findings it is not assessed, so nothing is graded",
            hint="give findings = { KIND = COUNT, ... }",
        )
    if node is not None and node.children and not children:
        table.fail(f"'{node.id}' needs the grades of its assessed children", "children")
    if not children and not any(findings.values()):
        table.fail(
            "a test needs the grades of the assessed children, or findings, or both",
            hint='children = ["good", "good"] or findings = { KIND = COUNT }',
        )

    expect = _known(table, "expect", ruleset.scale.ids, "grade")
    rule_ids = tuple(r.id for r in _rules(scheme))
    expect_rule = None
    if "expect_rule" in table:
        expect_rule = _known(table, "expect_rule", rule_ids, f"rule of scheme '{scheme_id}'")
    expect_limiters = None
    if "expect_limiters" in table:
        limiter_ids = tuple(limiter.id for limiter in scheme.limiters)
        expect_limiters = tuple(
            _known(table, "expect_limiters", limiter_ids, f"limiter of '{scheme_id}'", value=v)
            for v in table.names("expect_limiters") or ()
        )
    return RuleTest(
        test_id,
        scheme_id,
        None if node is None else node.id,
        children,
        findings,
        expect,
        expect_rule,
        expect_limiters,
        table.text("source"),
        where,
    )


def _children(table: Table, ruleset: Ruleset, node: Node | None) -> tuple[str, ...]:
    """The grades of the assessed children: a list of grades, or grades by child (``node``)."""
    children: list[str] = []
    if isinstance(table.data.get("children"), dict):
        if node is None:
            table.fail(
                "children given by name need a 'node'",
                "children",
                hint='with a scheme, list the grades: children = ["good", "good"]',
            )
        named = table.table("children")
        assert named is not None
        child_ids = tuple(child.id for child in node.children if child.graded)
        for key in named:
            _known(named, key, child_ids, "child", value=key, of=f" of '{node.id}'")
            children.append(_known(named, key, ruleset.scale.ids, "grade"))
    else:
        for index, grade in enumerate(table.names("children") or ()):
            children.append(
                _known(table, "children", ruleset.scale.ids, "grade", value=grade, index=index)
            )
    counted = 0 if node is None else sum(1 for child in node.children if child.graded)
    if node is not None and len(children) > counted:
        table.fail(f"'{node.id}' has {counted} graded children, not {len(children)}", "children")
    return tuple(children)


def _findings(table: Table, ruleset: Ruleset) -> dict[str, int]:
    """Counts of findings by kind."""
    findings: dict[str, int] = {}
    counts = table.table("findings", required=False)
    if counts is not None:
        for kind in counts:
            _known(counts, kind, ruleset.kind_ids, "finding kind", value=kind)
            count = counts.integer(kind)
            if count is None or count < 0:
                counts.fail(f"'{kind}' must be a count (0 or more)", kind)
            findings[kind] = count
    return findings


def _rules(scheme: Scheme) -> list[Rule]:
    return [*scheme.rules, *([scheme.default] if scheme.default is not None else [])]


def _known(
    table: Table,
    key: str,
    choices: tuple[str, ...],
    what: str,
    value: str | None = None,
    index: int | None = None,
    of: str = "",
) -> str:
    """``table[key]`` (or ``value``) when it is one of ``choices``; else a located error."""
    from peelcalc.errors import did_you_mean

    name = table.text(key) if value is None else value
    if name not in choices:
        path = table.key_path(key) + (f"[{index}]" if index is not None else "")
        hint = did_you_mean(name, choices) or f"known: {', '.join(choices)}"
        raise IntegrityError(f"unknown {what} '{name}'{of}", table.doc.locate(path), hint)
    return name


def load_tests(doc: Document, ruleset: Ruleset) -> tuple[tuple[RuleTest, ...], list[InputError]]:
    """Every test of a tests file, and every problem found reading it."""
    problems = Problems(keep_going=True)
    root = doc.root(problems)
    root.check_keys(("tests",))
    ids: dict[str, str] = {}
    tests = [
        test
        for item in problems.attempt(root.tables, "tests", required=True) or []
        if (test := problems.attempt(_test, item, ruleset, ids)) is not None
    ]
    return tuple(tests), problems.found


def read_tests(path: Path) -> Document:
    return read_toml(path, TESTS_WHAT)


def run(test: RuleTest, ruleset: Ruleset) -> Outcome:
    """Run one test through the engine."""
    scheme = ruleset.schemes[test.scheme]
    try:
        decision: Decision | None = decide(scheme, ruleset.scale, test.children, test.findings)
    except NoRuleError:
        decision = None
    return Outcome(test, decision, explain(test, decision, ruleset))


def explain(test: RuleTest, decision: Decision | None, ruleset: Ruleset) -> str:
    """What the test expected and what it got, with how it got it."""
    scale = ruleset.scale
    expected = scale.get(test.expect).label
    if test.expect_rule is not None:
        expected += f" by rule {test.expect_rule}"
    if test.expect_limiters is not None:
        expected += f", limiters [{', '.join(test.expect_limiters)}]"
    if decision is None:
        return f"expected {expected}; got no grade: no rule decides and there is no default"
    got = f"{scale.get(decision.grade).label} by rule {decision.rule.id} ({decision.rule.reading})"
    for limiter, before in zip(decision.limiters, decision.before, strict=True):
        got += f", capped from {scale.get(before).label} by {limiter.id} ({limiter.reading})"
    return f"expected {expected}; got {got}"
