"""Reading a ruleset mapping file (``peelcalc diff --mapping``), checked against both rulesets.

Every problem is an :class:`~peelcalc.errors.InputError` naming the file, key path
and line, with a "did you mean" where a name is close to a known one.
"""

from __future__ import annotations

from pathlib import Path

from peelcalc.diff import RulesetMapping
from peelcalc.errors import did_you_mean
from peelcalc.loading import not_a_mapping
from peelcalc.model import Ruleset
from peelcalc.tomlfile import Table, read_toml

MAPPING_WHAT = "a peelcalc ruleset mapping"


def _known(table: Table, key: str, value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        hint = did_you_mean(value, choices) or f"{what}s: {', '.join(choices)}"
        table.fail(f"unknown {what} '{value}'", key, hint)
    return value


def _string(table: Table, key: str) -> str:
    value = table.data[key]
    if not isinstance(value, str) or not value.strip():
        table.fail(f"'{key}' must be a non-empty string", key)
    return value


def _ruleset_id(head: Table, key: str, ruleset: Ruleset, side: str) -> str:
    value = head.text(key)
    if value != ruleset.id:
        head.fail(
            f"this mapping is for {side} ruleset '{value}', but the {side.upper()} file is "
            f"graded by '{ruleset.id}'",
            key,
            hint="use a mapping written for these two rulesets, or give the files the other "
            "way round",
        )
    return value


def _grades(root: Table, old: Ruleset, new: Ruleset) -> dict[str, str]:
    table = root.table("grades")
    assert table is not None
    out = {}
    for key in table:
        old_grade = _known(table, key, key, old.scale.ids, "grade of the old ruleset")
        out[old_grade] = _known(
            table, key, _string(table, key), new.scale.ids, "grade of the new ruleset"
        )
    missing = [g for g in old.scale.ids if g not in out]
    if missing:
        table.fail(
            f"every grade of the old ruleset needs a counterpart; missing: {', '.join(missing)}",
            hint=f'add for example {missing[0]} = "{new.scale.ids[0]}"',
        )
    return out


def _nodes(root: Table, old: Ruleset, new: Ruleset) -> dict[str, str | None]:
    table = root.table("nodes", required=False)
    out: dict[str, str | None] = {}
    if table is None:
        return out
    claimed: dict[str, str] = {}
    for key in table:
        _known(table, key, key, old.node_ids, "node of the old ruleset")
        value = table.data[key]
        if value is False:
            out[key] = None
            continue
        if not isinstance(value, str):
            table.fail(
                f"'{key}' must be the id of a node of the new ruleset, or false for none", key
            )
        target = _known(table, key, value, new.node_ids, "node of the new ruleset")
        old_level, new_level = old.node(key).level, new.node(target).level
        if old_level != new_level:
            table.fail(
                f"'{key}' is {_a(old_level)} but '{target}' is {_a(new_level)}; "
                "a node maps to a node of the same level",
                key,
            )
        if target in claimed:
            table.fail(
                f"'{key}' and '{claimed[target]}' both map to '{target}'; a mapping is one to one",
                key,
            )
        claimed[target] = key
        out[key] = target
    # A node not listed keeps its id; it must not collide with a node mapped onto that id.
    for node_id in old.node_ids:
        if node_id not in out and node_id in claimed and claimed[node_id] != node_id:
            table.fail(
                f"'{claimed[node_id]}' maps to '{node_id}', which the old ruleset's own "
                f"'{node_id}' also maps to by its id",
                claimed[node_id],
                hint=f"say where '{node_id}' goes too, such as {node_id} = false",
            )
    return out


def _a(level: str) -> str:
    return f"an {level}" if level[0] in "aeiou" else f"a {level}"


def _kinds(root: Table, old: Ruleset, new: Ruleset) -> dict[str, str]:
    table = root.table("kinds", required=False)
    out: dict[str, str] = {}
    if table is None:
        return out
    for key in table:
        _known(table, key, key, old.kind_ids, "finding kind of the old ruleset")
        out[key] = _known(
            table, key, _string(table, key), new.kind_ids, "finding kind of the new ruleset"
        )
    return out


def load_mapping(path: Path, old: Ruleset, new: Ruleset) -> RulesetMapping:
    """Read and check a mapping from ``old``'s nodes, grades and kinds to ``new``'s."""
    doc = read_toml(path, MAPPING_WHAT)
    root = doc.root()
    other = not_a_mapping(doc.data)
    if other is not None:
        what, hint = other
        root.fail(f"this is {what}, not a ruleset mapping", hint=hint)
    root.check_keys(("mapping", "grades", "nodes", "kinds"))
    head = root.table("mapping")
    assert head is not None
    head.check_keys(("old", "new", "rationale"))
    return RulesetMapping(
        path=str(path),
        old=_ruleset_id(head, "old", old, "old"),
        new=_ruleset_id(head, "new", new, "new"),
        rationale=head.text("rationale"),
        nodes=_nodes(root, old, new),
        grades=_grades(root, old, new),
        kinds=_kinds(root, old, new),
    )
