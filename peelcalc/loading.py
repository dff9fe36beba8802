"""Loading rule files and evidence files into validated :mod:`peelcalc.model` values.

Every problem becomes an :class:`~peelcalc.errors.InputError` naming the file,
the key path and the line, with a "did you mean" where a name is close to a
known one. Nothing in a rule file is executed: it is read as data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

import attrs

from peelcalc.errors import InputError, IntegrityError, Problems, did_you_mean
from peelcalc.frozen import Value
from peelcalc.model import (
    AreaEvidence,
    Award,
    Bounds,
    Carried,
    ChildTerm,
    Evidence,
    Finding,
    FindingKind,
    FindingTerm,
    Grade,
    GradeScale,
    Indicator,
    Level,
    Limiter,
    Node,
    Relation,
    Rule,
    Ruleset,
    Scheme,
    Term,
)
from peelcalc.tomlfile import Document, Table, read_toml

RULESET_WHAT = "a peelcalc ruleset"
EVIDENCE_WHAT = "a peelcalc evidence file"

_RELATIONS: tuple[Relation, ...] = ("at", "at_least", "at_most", "above", "below")
_BOUND_KEYS = ("min", "max", "min_share", "max_share")
_NODE_ID = re.compile(r"[A-Za-z0-9_-]+")
_NODE_KEYS = ("id", "title", "scheme", "graded", "source")


def _pick(table: Table, key: str, value: str, choices: tuple[str, ...], what: str) -> str:
    """Check that ``value`` is one of ``choices``, else fail with a suggestion."""
    if value not in choices:
        known = f"known {what}s: {', '.join(choices)}" if choices else f"no {what}s are defined"
        hint = did_you_mean(value, choices) or known
        where = table.doc.locate(table.key_path(key))
        raise IntegrityError(f"unknown {what} '{value}'", where, hint)
    return value


def _unique(table: Table, key: str, value: str, seen: dict[str, str], what: str) -> str:
    if value in seen:
        first = table.doc.locate(seen[value])
        message = f"duplicate {what} id '{value}' (first defined at line {first.line})"
        raise IntegrityError(message, table.doc.locate(table.key_path(key)))
    seen[value] = table.key_path(key)
    return value


# --------------------------------------------------------------------------- rulesets


def _share(table: Table, key: str) -> Fraction | None:
    if key not in table:
        return None
    raw = table.data[key]
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = Fraction(raw) if isinstance(raw, int | str) else Fraction(str(raw))
    except (ValueError, ZeroDivisionError, TypeError):
        table.fail(f"'{key}' must be a fraction such as \"1/5\" or 0.2", key)
    if not 0 <= value <= 1:
        table.fail(f"'{key}' must be between 0 and 1, not {raw}", key)
    return value


def _bounds(table: Table) -> Bounds:
    counts = {}
    for key in ("min", "max"):
        value = table.integer(key)
        if value is not None and value < 0:
            table.fail(f"'{key}' must not be negative", key)
        counts[key] = value
    bounds = Bounds(
        counts["min"], counts["max"], _share(table, "min_share"), _share(table, "max_share")
    )
    if all(getattr(bounds, key) is None for key in _BOUND_KEYS):
        table.fail("a condition needs at least one of min, max, min_share, max_share")
    if bounds.min is not None and bounds.max is not None and bounds.min > bounds.max:
        table.fail(f"min ({bounds.min}) is greater than max ({bounds.max})", "min")
    low, high = bounds.min_share, bounds.max_share
    if low is not None and high is not None and low > high:
        table.fail(f"min_share ({low}) is greater than max_share ({high})", "min_share")
    return bounds


def _term(table: Table, grades: tuple[str, ...], kinds: tuple[str, ...]) -> Term:
    table.check_keys((*_RELATIONS, "kind", "of", *_BOUND_KEYS))
    selectors = [key for key in (*_RELATIONS, "kind") if key in table]
    if len(selectors) != 1:
        table.fail(
            "a condition needs exactly one of at, at_least, at_most, above, below "
            f"(children's grades) or kind (findings); found {len(selectors)}",
            hint='for example { at = "requires-improvement", min = 2 }',
        )
    selector = selectors[0]
    if selector == "kind":
        names = table.names("kind") or ()
        if not names:
            table.fail("'kind' must name at least one finding kind", "kind")
        for name in names:
            _pick(table, "kind", name, kinds, "finding kind")
        if len(set(names)) != len(names):
            table.fail("'kind' names a finding kind twice; each finding would count twice", "kind")
        return FindingTerm(tuple(names), _bounds(table), _share_of(table, names, kinds))
    if "of" in table:
        table.fail(
            "'of' belongs to a condition on findings (kind); a share of children is a share "
            "of the assessed children",
            "of",
        )
    relation: Relation = next(r for r in _RELATIONS if r == selector)
    grade = _pick(table, selector, table.text(selector), grades, "grade")
    return ChildTerm(relation, grade, _bounds(table))


def _share_of(table: Table, names: tuple[str, ...], kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds a share of findings is taken of (``of``), checked against the bounds."""
    shares = [key for key in ("min_share", "max_share") if key in table]
    whole = table.names("of")
    if whole is None:
        if shares:
            table.fail(
                f"'{shares[0]}' of findings needs 'of': the finding kinds that make the whole",
                shares[0],
                hint='for example { kind = "strength", min_share = "3/4", '
                'of = ["strength", "weakness"] }',
            )
        return ()
    if not shares:
        table.fail("'of' is the whole for min_share or max_share, and neither is given", "of")
    for name in whole:
        _pick(table, "of", name, kinds, "finding kind")
    if len(set(whole)) != len(whole):
        table.fail("'of' names a finding kind twice", "of")
    outside = [name for name in names if name not in whole]
    if outside:
        table.fail(
            f"'of' must include every kind counted; it leaves out {', '.join(outside)}",
            "of",
            hint="a share is of a whole that contains the part",
        )
    return tuple(whole)


def _rule(
    table: Table,
    grade_key: str,
    grades: tuple[str, ...],
    kinds: tuple[str, ...],
    ids: dict[str, str],
) -> tuple[str, str, str, tuple[Term, ...], str]:
    allowed = ("id", "reading", grade_key, "when", "source")
    table.check_keys(allowed)
    rule_id = _unique(table, "id", table.text("id"), ids, "rule")
    grade = _pick(table, grade_key, table.text(grade_key), grades, "grade")
    when = tuple(_term(term, grades, kinds) for term in table.tables("when"))
    return rule_id, table.text("reading"), grade, when, table.text("source")


def _scheme(
    name: str,
    parent: Table,
    grades: tuple[str, ...],
    kinds: tuple[str, ...],
    ids: dict[str, str],
    problems: Problems,
) -> Scheme:
    table = parent.table(name)
    assert table is not None
    table.check_keys(("title", "source", "rules", "limiters", "default"))
    title = problems.attempt(table.text, "title")
    source = problems.attempt(table.text, "source")
    rules = [
        rule
        for item in problems.attempt(table.tables, "rules") or []
        if (rule := problems.attempt(_ordered_rule, item, grades, kinds, ids)) is not None
    ]
    limiters = [
        limiter
        for item in problems.attempt(table.tables, "limiters") or []
        if (limiter := problems.attempt(_limiter, item, grades, kinds, ids)) is not None
    ]
    default = problems.attempt(_default, table, grades, kinds, ids)
    return Scheme(name, title or "", source or "", tuple(rules), tuple(limiters), default)


def _ordered_rule(
    item: Table, grades: tuple[str, ...], kinds: tuple[str, ...], ids: dict[str, str]
) -> Rule:
    rule_id, reading, grade, when, source = _rule(item, "grade", grades, kinds, ids)
    if not when:
        item.fail("a rule needs at least one condition in 'when'; use 'default' for the fallback")
    return Rule(rule_id, reading, grade, when, source)


def _limiter(
    item: Table, grades: tuple[str, ...], kinds: tuple[str, ...], ids: dict[str, str]
) -> Limiter:
    rule_id, reading, cap, when, source = _rule(item, "cap", grades, kinds, ids)
    if not when:
        item.fail("a limiter needs at least one condition in 'when'")
    return Limiter(rule_id, reading, cap, when, source)


def _default(
    table: Table, grades: tuple[str, ...], kinds: tuple[str, ...], ids: dict[str, str]
) -> Rule | None:
    """The scheme's fallback rule; optional when the rules cover every input."""
    default_table = table.table("default", required=False)
    if default_table is None:
        return None
    default_table.check_keys(("id", "reading", "grade", "source"))
    rule_id, reading, grade, _, source = _rule(default_table, "grade", grades, kinds, ids)
    return Rule(rule_id, reading, grade, (), source)


def _node(
    table: Table,
    level: Level,
    schemes: dict[str, Scheme],
    scheme_names: tuple[str, ...],
    ids: dict[str, str],
    children: tuple[Node, ...],
    lost_children: bool = False,
) -> Node:
    """A node of the tree. ``lost_children``: some child had a problem of its own and is
    left out of ``children``, so nothing is concluded from the children that remain."""
    node_id = _unique(table, "id", table.text("id"), ids, "node")
    if not _NODE_ID.fullmatch(node_id):
        table.fail(
            f"node id '{node_id}' must use only letters, digits, '-' and '_'",
            "id",
            hint="evidence files use node ids as TOML keys, such as [areas.q1-tactics]",
        )
    title = table.text("title")
    if "\n" in title:
        table.fail("a title must be one line", "title")
    if not table.flag("graded", True):
        if "scheme" in table:
            table.fail(
                f"'{node_id}' is ungraded (graded = false), so it takes no scheme",
                "scheme",
                hint="remove 'scheme', or remove 'graded = false' to grade it",
            )
        return Node(node_id, title, level, None, table.text("source"), children)
    if children and not lost_children and not any(child.graded for child in children):
        table.fail(
            f"'{node_id}' is graded, but every node below it is ungraded, so it could "
            "never be assessed",
            "scheme",
            hint="make it ungraded too (graded = false), or grade a node below it",
        )
    scheme = _pick(table, "scheme", table.text("scheme"), scheme_names, "scheme")
    chosen = schemes.get(scheme)  # None when the scheme could not be read at all
    terms: list[Term] = []
    if chosen is not None:
        terms = [t for r in chosen.rules for t in r.when] + [
            t for r in chosen.limiters for t in r.when
        ]
    if not children and not lost_children and any(isinstance(term, ChildTerm) for term in terms):
        table.fail(
            f"scheme '{scheme}' counts children's grades, but '{node_id}' has no children",
            "scheme",
            hint="areas are graded from findings: use a scheme whose conditions use 'kind'",
        )
    return Node(node_id, title, level, scheme, table.text("source"), children)


try:
    # Python's own SHA-256, as the standard library's random module takes its SHA-512:
    # importing hashlib loads OpenSSL, which costs every start about 3 ms.
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]  # Python 3.11
except ImportError:
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]  # Python 3.12+
    except ImportError:  # a Python built without them
        from hashlib import sha256 as _sha256


def content_hash(raw: bytes) -> str:
    """The content hash every output names: ``sha256:`` and the file's digest."""
    digest: str = _sha256(raw).hexdigest()
    return "sha256:" + digest


def load_ruleset(path: Path) -> Ruleset:
    """Read and validate a ruleset file; the first problem raises :class:`InputError`."""
    return ruleset_from(read_toml(path, RULESET_WHAT))


def ruleset_from(doc: Document) -> Ruleset:
    """Validate a parsed ruleset file; the first problem raises :class:`InputError`."""
    ruleset = _ruleset(doc, Problems())
    assert ruleset is not None  # without keep_going, any problem has raised
    return ruleset


def collect_ruleset(doc: Document) -> tuple[Ruleset | None, tuple[InputError, ...]]:
    """Validate a parsed ruleset file, reporting every problem rather than the first.

    Each independent item (a grade, a finding kind, a rule, a limiter, a node...)
    is loaded on its own; a problem in one is recorded and loading goes on. The
    ruleset is returned only when there was no problem at all.
    """
    problems = Problems(keep_going=True)
    ruleset = problems.attempt(_ruleset, doc, problems)
    return (None if problems.found else ruleset), tuple(problems.found)


def _head(root: Table) -> tuple[str, str, str, str]:
    head = root.table("ruleset")
    assert head is not None
    head.check_keys(("id", "version", "title", "source"))
    return head.text("id"), head.text("version"), head.text("title"), head.text("source")


def _grade(item: Table, ids: dict[str, str]) -> Grade:
    item.check_keys(("id", "label", "definition", "source"))
    grade_id = _unique(item, "id", item.text("id"), ids, "grade")
    return Grade(grade_id, item.text("label"), item.text("definition"), item.text("source"))


def _kind(item: Table, ids: dict[str, str]) -> FindingKind:
    item.check_keys(("id", "label", "effect", "definition", "source"))
    kind_id = _unique(item, "id", item.text("id"), ids, "finding kind")
    effect = item.text("effect")
    if effect not in ("positive", "negative"):
        item.fail(f"'effect' must be \"positive\" or \"negative\", not '{effect}'", "effect")
    return FindingKind(
        kind_id,
        item.text("label"),
        "positive" if effect == "positive" else "negative",
        item.text("definition"),
        item.text("source"),
    )


def _question(
    question: Table,
    schemes: dict[str, Scheme],
    scheme_names: tuple[str, ...],
    ids: dict[str, str],
    problems: Problems,
) -> Node:
    question.check_keys((*_NODE_KEYS, "areas"))
    areas = []
    tables = problems.attempt(question.tables, "areas", required=True) or []
    for area in tables:
        area.check_keys(_NODE_KEYS)
        node = problems.attempt(_node, area, "area", schemes, scheme_names, ids, ())
        if node is not None:
            areas.append(node)
    if question.data.get("areas") == []:
        question.fail("a question needs at least one area", "areas")
    lost = len(areas) < len(tables)
    return _node(question, "question", schemes, scheme_names, ids, tuple(areas), lost)


def _ruleset(doc: Document, problems: Problems) -> Ruleset | None:
    """Load a ruleset, sending each item's problem to ``problems``; ``None`` if any."""
    root = doc.root(problems)
    other = not_rules(doc.data)
    if other is not None:
        what, hint = other
        root.fail(f"this is {what}, not a rule file", hint=hint)
    root.check_keys(("ruleset", "grades", "finding_kinds", "schemes", "overall", "questions"))
    head = problems.attempt(_head, root)

    # Ids are registered as soon as they are read, so that an item with another
    # problem is still known to the items that name it (no knock-on "unknown grade").
    grade_ids: dict[str, str] = {}
    grades = [
        grade
        for item in problems.attempt(root.tables, "grades", required=True) or []
        if (grade := problems.attempt(_grade, item, grade_ids)) is not None
    ]
    if len(grade_ids) < 2 and "grades" in root:
        problems.attempt(root.fail, "a grade scale needs at least two grades", "grades")
    scale = GradeScale(tuple(grades))

    kind_ids: dict[str, str] = {}
    kinds = [
        kind
        for item in problems.attempt(root.tables, "finding_kinds", required=True) or []
        if (kind := problems.attempt(_kind, item, kind_ids)) is not None
    ]

    rule_ids: dict[str, str] = {}
    schemes: dict[str, Scheme] = {}
    schemes_table = problems.attempt(root.table, "schemes")
    scheme_names = tuple(schemes_table.data) if schemes_table is not None else ()
    for name in scheme_names:
        assert schemes_table is not None
        scheme = problems.attempt(
            _scheme, name, schemes_table, tuple(grade_ids), tuple(kind_ids), rule_ids, problems
        )
        if scheme is not None:
            schemes[name] = scheme

    node_ids: dict[str, str] = {}
    overall = problems.attempt(root.table, "overall")
    if overall is not None:
        overall.check_keys(_NODE_KEYS)
    questions = []
    question_tables = problems.attempt(root.tables, "questions", required=True) or []
    for question in question_tables:
        node = problems.attempt(_question, question, schemes, scheme_names, node_ids, problems)
        if node is not None:
            questions.append(node)
    if "questions" in root and not root.data["questions"]:
        problems.attempt(root.fail, "a ruleset needs at least one question", "questions")
    tree = None
    if overall is not None:
        lost = len(questions) < len(question_tables)
        tree = problems.attempt(
            _node, overall, "overall", schemes, scheme_names, node_ids, tuple(questions), lost
        )
    if problems.found or head is None or tree is None:
        return None
    ruleset_id, version, title, source = head
    return Ruleset(
        id=ruleset_id,
        version=version,
        title=title,
        source=source,
        scale=scale,
        kinds=tuple(kinds),
        schemes=schemes,
        root=tree,
        content_hash=content_hash(doc.raw),
        path=doc.file,
    )


# --------------------------------------------------------------------------- evidence


def _finding(table: Table, ruleset: Ruleset) -> Finding:
    table.check_keys(("kind", "text", "citation"))
    kind = _pick(table, "kind", table.text("kind"), ruleset.kind_ids, "finding kind")
    return Finding(kind, table.text("text"), table.text("citation"))


def _indicator(table: Table) -> Indicator:
    table.check_keys(
        ("name", "value", "unit", "period", "citation", "comparator", "comparator_name")
    )
    value = table.number("value")
    assert value is not None
    return Indicator(
        name=table.text("name"),
        value=value,
        unit=table.text("unit"),
        period=table.text("period"),
        citation=table.text("citation"),
        comparator=table.number("comparator", required=False),
        comparator_name=table.opt_text("comparator_name"),
    )


def _node_id(table: Table, key: str, ruleset: Ruleset, areas_only: bool) -> str:
    node = ruleset.nodes.get(key)
    if node is not None and (not areas_only or not node.children):
        return key
    if node is not None:
        what = "the overall judgment" if node is ruleset.root else f"a {node.level}"
        below = ", ".join(n.id for n in node.walk() if not n.children)
        table.fail(
            f"'{key}' is {what}, not an area: findings belong to areas",
            key,
            hint=f"the areas below it are: {below}",
        )
    ids = tuple(n.id for n in ruleset.root.walk() if not areas_only or not n.children)
    what = "area" if areas_only else "node"
    hint = did_you_mean(key, ids) or f"run 'peelcalc init {ruleset.id}' to see every {what}"
    table.fail(f"unknown {what} '{key}' in ruleset {ruleset.id} {ruleset.version}", key, hint)


_FINDING_KEYS = frozenset(("kind", "text", "citation"))


def _plain_findings(raw: object, kinds: frozenset[str]) -> AreaEvidence | None:
    """An area table of well-formed findings only, read without the locating machinery.

    Most evidence is well formed, and reading it this way is several times faster.
    Anything else (indicators, a missing or unknown key, a wrong type, an empty text,
    an unknown kind) gives ``None``, and the caller reads the table the careful way,
    which gives the same values or the located error.
    """
    if type(raw) is not dict or raw.keys() - {"findings"}:
        return None
    items = raw.get("findings", ())
    if type(items) is not list:
        return None
    findings = []
    for item in items:
        if type(item) is not dict or item.keys() != _FINDING_KEYS:
            return None
        kind, text, citation = item["kind"], item["text"], item["citation"]
        if type(kind) is not str or type(text) is not str or type(citation) is not str:
            return None
        if kind not in kinds:
            return None
        if not text.strip() or not citation.strip():
            return None
        findings.append(Finding(kind, text, citation))
    return AreaEvidence(tuple(findings), ())


def read_evidence(path: Path) -> Document:
    """Read an evidence file's TOML; :func:`evidence_ruleset` and :func:`load_evidence` follow."""
    return read_toml(path, EVIDENCE_WHAT)


#: Top-level keys that mark a file as something other than evidence: what it is, and
#: which command takes it. Rule files, their tests and ruleset mappings sit beside
#: evidence in real repositories, so they are recognised rather than misread.
_NOT_EVIDENCE = (
    (("mapping",), "a ruleset mapping", "'peelcalc diff OLD NEW --mapping FILE' uses it"),
    (("tests",), "a rule-tests file", "'peelcalc test' runs it"),
    (
        ("schemes", "finding_kinds", "grades"),
        "a rule file",
        "give the evidence file here, and a rule file with --rules",
    ),
)


def not_evidence(data: Mapping[str, object]) -> tuple[str, str] | None:
    """What a parsed file is, and which command takes it, when it is not evidence."""
    for keys, what, hint in _NOT_EVIDENCE:
        if any(key in data for key in keys) and "areas" not in data:
            return what, hint
    return None


def not_a_rule_file(data: Mapping[str, object]) -> tuple[str, str] | None:
    """What a parsed file is, and which command takes it, when it is a rule-tests
    file or a ruleset mapping rather than a rule file."""
    if "schemes" in data or "finding_kinds" in data:
        return None
    for keys, what, hint in _NOT_EVIDENCE[:2]:  # the mapping and the rule tests
        if any(key in data for key in keys):
            return what, hint
    return None


def not_rules(data: Mapping[str, object]) -> tuple[str, str] | None:
    """What a parsed file is, and which command takes it, when it is evidence, rule
    tests or a ruleset mapping rather than a rule file.

    A file with schemes or finding kinds is a rule file whatever else it holds: a stray
    ``areas`` or ``force`` key is reported as an unknown key, and ``check FOLDER`` never
    skips such a file as evidence.
    """
    if "schemes" in data or "finding_kinds" in data:
        return None
    if "force" in data or "areas" in data or "awarded" in data:
        return (
            "an evidence file",
            "'peelcalc grade EVIDENCE' grades it; --rules and 'init' take a rule file",
        )
    return not_a_rule_file(data)


def not_a_mapping(data: Mapping[str, object]) -> tuple[str, str] | None:
    """What a parsed file is, and which command takes it, when it is evidence, a rule
    file or rule tests rather than a ruleset mapping."""
    if "mapping" in data:
        return None
    if any(key in data for key in ("force", "areas", "awarded", "carried")):
        return "an evidence file", "give it as OLD or NEW; --mapping takes a ruleset mapping"
    for keys, what, _ in _NOT_EVIDENCE[1:]:  # the rule tests and the rule file
        if any(key in data for key in keys):
            return what, "--mapping takes a ruleset mapping ([mapping], [grades], [nodes])"
    return None


def evidence_ruleset(doc: Document) -> tuple[str, str]:
    """The ruleset id and version an evidence file names."""
    root = doc.root()
    other = not_evidence(doc.data)
    if other is not None:
        what, hint = other
        root.fail(f"this is {what}, not an evidence file", hint=hint)
    head = root.table("ruleset")
    assert head is not None
    head.check_keys(("id", "version"))
    return head.text("id"), head.text("version")


@attrs.frozen(repr=False, eq=False)
class CarryRequest(Value):
    """A ``[carried.<node>]`` table: the node was not re-inspected and keeps its
    judgment from an earlier evidence file (see :mod:`peelcalc.carry`)."""

    node_id: str
    written: str
    """The earlier file as the evidence file writes it."""
    path: Path
    """The earlier file, relative to the evidence file's folder (or absolute)."""
    key: str
    """The key path of ``from``, to locate errors."""


def _at_or_below(ruleset: Ruleset, node_id: str, ancestor_id: str) -> bool:
    return any(n.id == node_id for n in ruleset.node(ancestor_id).walk())


def carry_requests(doc: Document, ruleset: Ruleset) -> tuple[CarryRequest, ...]:
    """The nodes an evidence file carries from earlier files, checked against the ruleset."""
    table = doc.root().table("carried", required=False)
    if table is None:
        return ()
    requests: list[CarryRequest] = []
    for key in table:
        node_id = _node_id(table, key, ruleset, areas_only=False)
        node = ruleset.node(node_id)
        if not node.graded:
            table.fail(
                f"'{node_id}' is ungraded in ruleset {ruleset.id}: it has no grade to carry",
                key,
                hint="remove this table; an ungraded node's findings go under [areas]",
            )
        for earlier in requests:
            for above, below in ((earlier.node_id, node_id), (node_id, earlier.node_id)):
                if _at_or_below(ruleset, below, above):
                    table.fail(
                        f"'{below}' is below '{above}', and both are carried",
                        key,
                        hint=f"carrying '{above}' carries everything below it; keep one table",
                    )
        item = table.table(key)
        assert item is not None
        item.check_keys(("from",))
        written = item.text("from")
        path = Path(written)
        if not path.is_absolute():
            path = Path(doc.file).parent / path
        requests.append(CarryRequest(node_id, written, path, item.key_path("from")))
    return tuple(requests)


def _check_not_carried(
    table: Table, key: str, node_id: str, requests: tuple[CarryRequest, ...], ruleset: Ruleset
) -> None:
    """Fail if ``node_id`` is at or below a carried node: it takes no evidence in this file."""
    for request in requests:
        if _at_or_below(ruleset, node_id, request.node_id):
            what = "it is"
            if node_id != request.node_id:
                what = f"it is below '{request.node_id}', which is"
            table.fail(
                f"'{node_id}' takes no evidence in this file: {what} carried from "
                f"{request.written}",
                key,
                hint="a node that was not re-inspected keeps the earlier judgment whole; "
                "remove this evidence, or remove the [carried] table to grade it afresh",
            )


def load_evidence(
    doc: Document, ruleset: Ruleset, carried: Mapping[str, Carried] | None = None
) -> Evidence:
    """Validate a parsed evidence file against the ruleset it is graded by.

    ``carried`` holds, for each ``[carried.<node>]`` table of the file, the judgment
    resolved from the earlier file (:func:`peelcalc.carry.resolve_carried` does that).
    """
    root = doc.root()
    root.check_keys(("force", "period", "source", "ruleset", "areas", "awarded", "carried"))
    ruleset_id, version = evidence_ruleset(doc)
    requests = carry_requests(doc, ruleset)
    carried = dict(carried or {})
    if {r.node_id for r in requests} != set(carried):
        raise ValueError(
            f"{doc.file}: carried nodes must be resolved before loading (peelcalc.carry)"
        )
    areas: dict[str, AreaEvidence] = {}
    areas_table = root.table("areas", required=False)
    if areas_table is not None:
        kinds = frozenset(ruleset.kind_ids)
        for key, raw in areas_table.data.items():
            area_id = _node_id(areas_table, key, ruleset, areas_only=True)
            plain = _plain_findings(raw, kinds)
            if plain is not None and not requests:
                areas[area_id] = plain
                continue
            table = areas_table.table(key)
            assert table is not None
            table.check_keys(("findings", "indicators"))
            area = AreaEvidence(
                tuple(_finding(t, ruleset) for t in table.tables("findings")),
                tuple(_indicator(t) for t in table.tables("indicators")),
            )
            if requests and (area.findings or area.indicators):
                given = "findings" if area.findings else "indicators"
                _check_not_carried(table, given, area_id, requests, ruleset)
            areas[area_id] = area
    awards: dict[str, Award] = {}
    awarded_table = root.table("awarded", required=False)
    if awarded_table is not None:
        for key in awarded_table:
            node_id = _node_id(awarded_table, key, ruleset, areas_only=False)
            if not ruleset.node(node_id).graded:
                awarded_table.fail(
                    f"'{node_id}' is ungraded in ruleset {ruleset.id}: it never gets a grade, "
                    "so none can be awarded",
                    key,
                )
            _check_not_carried(awarded_table, key, node_id, requests, ruleset)
            table = awarded_table.table(key)
            assert table is not None
            table.check_keys(("grade", "rationale"))
            grade = _pick(table, "grade", table.text("grade"), ruleset.scale.ids, "grade")
            if "rationale" not in table:
                table.fail(
                    f"an awarded grade needs a 'rationale': why the inspector gave {grade}",
                    hint='add rationale = "..." under this table',
                )
            awards[node_id] = Award(grade, table.text("rationale"))
    return Evidence(
        force=root.text("force"),
        period=root.text("period"),
        ruleset_id=ruleset_id,
        ruleset_version=version,
        source=root.opt_text("source"),
        areas=areas,
        awards=awards,
        path=doc.file,
        carried=carried,
    )
