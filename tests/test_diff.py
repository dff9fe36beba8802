"""``peelcalc diff``: two years side by side, findings matched, refusals, mappings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.diff import compare, normalise
from peelcalc.engine import grade
from peelcalc.errors import UsageError
from peelcalc.loading import load_ruleset
from peelcalc.model import AreaEvidence, Evidence, GradeScale, Result, Ruleset
from peelcalc.registry import shipped_paths
from peelcalc.render import DIFF_FORMATS
from peelcalc.render.common import DISCLAIMER
from tests.conftest import EXAMPLE, RULES_2015
from tests.strategies import evidence, later_year

RULESET_HEAD = {"id": "peel-2015-effectiveness", "version": "1.0.0"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def finding(kind: str, text: str) -> dict[str, str]:
    return {"kind": kind, "text": text, "citation": "Summary of findings"}


def year(period: str, areas: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    return {
        "force": "Anyshire Police",
        "period": period,
        "ruleset": RULESET_HEAD,
        "areas": {area: {"findings": found} for area, found in areas.items()},
    }


# Two synthetic years of one force. 2016 rewords a standing finding (case, quotes,
# spacing), resolves a weakness, adds a cause of concern and leaves q4 unassessed.
YEAR_2015 = year(
    "2015",
    {
        "q1-prioritising": [
            finding("strength", "Prevention is part of everyone's daily duty."),
            finding("weakness", "Too few officers are left in neighbourhoods."),
        ],
        "q1-resources": [finding("strength", "Resources follow the prevention strategy.")],
        "q2-diversion": [finding("area-for-improvement", "Diversion schemes are inconsistent.")],
        "q4-understanding": [finding("strength", "The threat is well understood.")],
    },
)
YEAR_2016 = year(
    "2016",
    {
        "q1-prioritising": [
            finding("strength", '"prevention is part of EVERYONE\'S   daily duty"'),
        ],
        "q1-resources": [
            finding("strength", "Resources follow the prevention strategy."),
            finding("cause-of-concern", "A backlog of unassigned investigations."),
        ],
        "q2-diversion": [finding("area-for-improvement", "Diversion schemes are inconsistent.")],
        "q3-vulnerability": [finding("strength", "Vulnerable people are identified early.")],
    },
)


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def two_years(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "2015.toml", YEAR_2015), write(tmp_path / "2016.toml", YEAR_2016)


def expected_direction(scale: GradeScale, old: str | None, new: str | None) -> str:
    if old is None and new is None:
        return "not-graded"
    if old is None:
        return "newly-assessed"
    if new is None:
        return "no-longer-assessed"
    if scale.rank(new) == scale.rank(old):
        return "same"
    return "up" if scale.rank(new) < scale.rank(old) else "down"


def test_two_synthetic_years(ruleset: Ruleset, two_years: tuple[Path, Path]) -> None:
    old, new = two_years
    code, out, err = invoke("diff", str(old), str(new), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    areas = {a["area"]: a for a in doc["findings"]}
    texts = {
        area: {key: [f["text"] for f in a[key]] for key in ("added", "resolved", "standing")}
        for area, a in areas.items()
    }
    assert texts["q1-prioritising"] == {
        "added": [],
        "resolved": ["Too few officers are left in neighbourhoods."],
        "standing": ['"prevention is part of EVERYONE\'S   daily duty"'],
    }
    assert texts["q1-resources"] == {
        "added": ["A backlog of unassigned investigations."],
        "resolved": [],
        "standing": ["Resources follow the prevention strategy."],
    }
    assert texts["q2-diversion"]["standing"] == ["Diversion schemes are inconsistent."]
    assert texts["q3-vulnerability"]["added"] == ["Vulnerable people are identified early."]
    assert texts["q4-understanding"]["resolved"] == ["The threat is well understood."]
    assert set(areas) == {
        "q1-prioritising", "q1-resources", "q2-diversion", "q3-vulnerability", "q4-understanding",
    }  # fmt: skip

    # Directions agree with each year graded on its own.
    graded_old = _grade_doc(ruleset, YEAR_2015)
    graded_new = _grade_doc(ruleset, YEAR_2016)
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert list(nodes) == list(ruleset.node_ids)
    for node_id, node in nodes.items():
        before, after = graded_old.find(node_id).grade, graded_new.find(node_id).grade
        assert node["old"]["grade"] == before and node["new"]["grade"] == after
        assert node["direction"] == expected_direction(ruleset.scale, before, after)
        moved = [
            child.node.id
            for child in graded_new.find(node_id).children
            if child.grade != graded_old.find(child.node.id).grade
        ]
        assert node["moved"] == moved
    assert nodes["q1-prioritising"]["direction"] == "up"  # the weakness was resolved
    assert nodes["q3"]["direction"] == "newly-assessed"
    assert nodes["q4"]["direction"] == "no-longer-assessed"
    assert nodes["q1-resources"]["direction"] == "down"  # the cause of concern caps it


def _grade_doc(ruleset: Ruleset, doc: dict[str, Any]) -> Result:
    from peelcalc.loading import load_evidence
    from peelcalc.tomlfile import Document

    raw = tomli_w.dumps(doc).encode()
    return grade(ruleset, load_evidence(Document("x.toml", doc, raw), ruleset))


@pytest.mark.parametrize("fmt", sorted(DIFF_FORMATS))
def test_every_format_names_both_rulesets_and_is_indicative(
    fmt: str, ruleset: Ruleset, two_years: tuple[Path, Path]
) -> None:
    old, new = two_years
    code, out, _ = invoke("diff", str(old), str(new), "-f", fmt)
    assert code == 0
    assert out.count(ruleset.content_hash[:19]) >= 2
    flat = " ".join(out.split())
    assert DISCLAIMER in flat
    assert "A backlog of unassigned investigations." in flat


def test_table_shows_direction_and_moved_sub_judgments(two_years: tuple[Path, Path]) -> None:
    code, out, _ = invoke("diff", *map(str, two_years), "-f", "markdown")
    assert code == 0
    assert "| q4 | Good | Not assessed | no longer assessed |" in out
    row = next(line for line in out.splitlines() if line.startswith("| q1 |"))
    assert "q1-prioritising: Requires improvement → Good" in row


def test_diff_unknown_format_is_a_usage_error(two_years: tuple[Path, Path]) -> None:
    code, _, err = invoke("diff", *map(str, two_years), "-f", "csv")
    assert code == 2 and "unknown format 'csv'" in err and "table, json, markdown" in err


def test_diff_output_never_overwrites_an_input(two_years: tuple[Path, Path]) -> None:
    old, new = two_years
    before = new.read_bytes()
    code, _, err = invoke("diff", str(old), str(new), "-o", str(new))
    assert code == 2 and "refusing to write over an input" in err
    assert new.read_bytes() == before


RULESETS = [load_ruleset(path) for path in shipped_paths()]
each_ruleset = pytest.mark.parametrize("ruleset", RULESETS, ids=[rs.id for rs in RULESETS])


@each_ruleset
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_directions_agree_with_each_file_graded_alone(
    ruleset: Ruleset, data: st.DataObject
) -> None:
    """Each node's direction is what its two grades say, and its moved list is exactly
    the children whose grades differ."""
    old = grade(ruleset, data.draw(evidence(ruleset)))
    new = grade(ruleset, data.draw(evidence(ruleset)))
    diff = compare(old, new)
    assert [c.id for c in diff.nodes] == list(ruleset.node_ids)
    for change in diff.nodes:
        before, after = old.find(change.id), new.find(change.id)
        assert change.direction == expected_direction(ruleset.scale, before.grade, after.grade)
        moved = [c.node.id for c in after.children if c.grade != old.find(c.node.id).grade]
        assert [m.id for m in change.moved] == moved


@each_ruleset
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_every_finding_is_added_resolved_or_standing(ruleset: Ruleset, data: st.DataObject) -> None:
    """Per area, each old finding is resolved or standing, and each new one added or standing."""
    old = data.draw(evidence(ruleset, awards=False))
    new = data.draw(later_year(ruleset, old))
    diff = compare(grade(ruleset, old), grade(ruleset, new))
    by_area = {a.id: a for a in diff.findings}
    for area in {n.id for n in ruleset.root.walk() if not n.children}:
        matched = by_area.get(area)
        before = old.areas.get(area, AreaEvidence()).findings
        after = new.areas.get(area, AreaEvidence()).findings
        added = matched.added if matched else ()
        resolved = matched.resolved if matched else ()
        standing = matched.standing if matched else ()
        assert sorted(map(repr, added + standing)) == sorted(map(repr, after))
        assert len(resolved) + len(standing) == len(before)
        assert all(f in before for f in resolved)


def test_a_file_compared_with_itself_changes_nothing(ruleset: Ruleset, example: Evidence) -> None:
    result = grade(ruleset, example)
    diff = compare(result, result)
    assert {change.direction for change in diff.nodes} <= {"same", "not-graded"}
    assert all(not a.added and not a.resolved for a in diff.findings)
    standing = sum(len(a.standing) for a in diff.findings)
    assert standing == sum(len(n.findings) for n in result.root.walk())


def test_matching_ignores_case_quotes_punctuation_and_spacing() -> None:
    assert normalise('"Prevention  is part of EVERYONE\'S daily duty."') == normalise(
        "prevention is part of everyone's daily duty"
    )
    assert normalise("too few officers") != normalise("too many officers")


# --------------------------------------------------------------------------- rulesets


def _renamed_rules(text: str) -> str:
    """The 2015 rules under another id, with a node, a grade and a kind renamed."""
    text = text.replace('id = "peel-2015-effectiveness"', 'id = "peel-2015-renamed"', 1)
    text = text.replace('"q1-tactics"', '"q1-range-of-tactics"')
    text = text.replace('"requires-improvement"', '"improve"')
    return text.replace('"weakness"', '"shortfall"')


def _renamed_evidence(text: str) -> str:
    text = text.replace('id = "peel-2015-effectiveness"', 'id = "peel-2015-renamed"', 1)
    text = text.replace("areas.q1-tactics", "areas.q1-range-of-tactics")
    return text.replace('"weakness"', '"shortfall"')


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shipped folder with the 2015 rules, a renamed copy and a version 1.1.0."""
    folder = tmp_path / "rules"
    folder.mkdir()
    rules = RULES_2015.read_text(encoding="utf-8")
    (folder / RULES_2015.name).write_text(rules, encoding="utf-8")
    (folder / "peel-2015-renamed.toml").write_text(_renamed_rules(rules), encoding="utf-8")
    newer = rules.replace('version = "1.0.0"', 'version = "1.1.0"', 1)
    (folder / "peel-2015-newer.toml").write_text(newer, encoding="utf-8")
    monkeypatch.setattr("peelcalc.registry.shipped_dir", lambda: folder)
    return folder


@pytest.fixture
def renamed(tmp_path: Path, shipped: Path) -> Path:
    path = tmp_path / "renamed.toml"
    path.write_text(_renamed_evidence(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    return path


MAPPING = """\
[mapping]
old = "peel-2015-effectiveness"
new = "peel-2015-renamed"
rationale = "The same rules with a node, a grade and a kind renamed."

[grades]
outstanding = "outstanding"
good = "good"
requires-improvement = "improve"
inadequate = "inadequate"

[nodes]
q1-tactics = "q1-range-of-tactics"

[kinds]
weakness = "shortfall"
"""


def test_refuses_to_compare_across_rulesets_and_says_why(renamed: Path) -> None:
    code, out, err = invoke("diff", str(EXAMPLE), str(renamed))
    assert code == 2 and out == ""
    assert "will not compare grades across rulesets" in err
    assert "peel-2015-effectiveness 1.0.0" in err and "peel-2015-renamed 1.0.0" in err
    assert "2021/22 grades cannot be compared directly" in err
    assert "--mapping FILE" in err


def test_refuses_a_new_version_of_the_same_ruleset(tmp_path: Path, shipped: Path) -> None:
    newer = tmp_path / "newer.toml"
    newer.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"', 1),
        encoding="utf-8",
    )
    code, _, err = invoke("diff", str(EXAMPLE), str(newer))
    assert code == 2
    assert "a new version of a ruleset can change its rules" in err


def test_refuses_the_same_id_and_version_with_other_contents(ruleset: Ruleset) -> None:
    edited = load_ruleset(RULES_2015)
    edited = attrs.evolve(edited, content_hash="sha256:" + "0" * 64)
    empty = Evidence("F", "2015", ruleset.id, ruleset.version, None, {}, {}, "x.toml")
    with pytest.raises(UsageError, match="same id and version but different contents"):
        compare(grade(ruleset, empty), grade(edited, empty))


def test_mapping_applied_gives_no_change_for_the_same_findings(
    tmp_path: Path, renamed: Path
) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    code, out, err = invoke(
        "diff", str(EXAMPLE), str(renamed), "--mapping", str(mapping), "-f", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["mapping"]["rationale"].startswith("The same rules")
    assert {n["direction"] for n in doc["nodes"]} <= {"same", "not-graded"}
    tactics = next(n for n in doc["nodes"] if n["id"] == "q1-range-of-tactics")
    assert tactics["old"]["id"] == "q1-tactics"
    q2 = next(n for n in doc["nodes"] if n["id"] == "q2")
    assert (q2["old"]["grade"], q2["new"]["grade"]) == ("requires-improvement", "improve")
    assert all(not a["added"] and not a["resolved"] for a in doc["findings"])
    assert any(f["kind"] == "shortfall" for a in doc["findings"] for f in a["standing"])


def test_mapping_grades_decide_the_direction(tmp_path: Path, renamed: Path) -> None:
    """Mapping old good onto new outstanding makes every good-to-good node a fall."""
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING.replace('good = "good"', 'good = "outstanding"'), encoding="utf-8")
    code, out, _ = invoke(
        "diff", str(EXAMPLE), str(renamed), "--mapping", str(mapping), "-f", "json"
    )
    assert code == 0
    q1 = next(n for n in json.loads(out)["nodes"] if n["id"] == "q1")
    assert (q1["old"]["grade"], q1["old_on_new_scale"], q1["new"]["grade"]) == (
        "good",
        "outstanding",
        "good",
    )
    assert q1["direction"] == "down"


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "line_with", "expected"),
    [
        ('old = "peel-2015-effectiveness"', 'old = "peel-2015-other"', "old =",
         "this mapping is for old ruleset 'peel-2015-other'"),
        ("q1-tactics =", "q1-tactic =", "q1-tactic =",
         "unknown node of the old ruleset 'q1-tactic'"),
        ('"q1-range-of-tactics"', '"q1-range-of-tactic"', "q1-tactics =",
         "did you mean 'q1-range-of-tactics'?"),
        ('"q1-range-of-tactics"', '"q1"', "q1-tactics =", "is an area but 'q1' is a question"),
        ('q1-tactics = "q1-range-of-tactics"',
         'q1-tactics = "q1-range-of-tactics"\nq1-resources = "q1-range-of-tactics"',
         "q1-resources =", "both map to 'q1-range-of-tactics'; a mapping is one to one"),
        ('q1-tactics = "q1-range-of-tactics"', 'q1-tactics = 3', "q1-tactics =",
         "must be the id of a node of the new ruleset, or false"),
        ('q1-tactics = "q1-range-of-tactics"',
         'q1-tactics = "q1-range-of-tactics"\nq1-resources = "q1-prioritising"', "q1-resources =",
         "which the old ruleset's own 'q1-prioritising' also maps to"),
        ('good = "good"\n', "", "[grades]", "missing: good"),
        ('requires-improvement = "improve"', 'requires-improvement = "requires-improvement"',
         "requires-improvement =", "unknown grade of the new ruleset 'requires-improvement'"),
        ('weakness = "shortfall"', 'weakness = "weakness"', "weakness =",
         "unknown finding kind of the new ruleset 'weakness'"),
        ("[kinds]", "[kind]", "[kind]", "did you mean 'kinds'?"),
        ('rationale = "The same rules with a node, a grade and a kind renamed."\n', "",
         "[mapping]", "missing required key 'rationale'"),
    ],
)  # fmt: skip
def test_mapping_errors_name_file_line_and_what_is_wrong(
    tmp_path: Path, renamed: Path, old: str, new: str, line_with: str, expected: str
) -> None:
    assert old in MAPPING
    text = MAPPING.replace(old, new, 1)
    mapping = tmp_path / "map.toml"
    mapping.write_text(text, encoding="utf-8")
    code, out, err = invoke("diff", str(EXAMPLE), str(renamed), "--mapping", str(mapping))
    assert code == 2 and out == ""
    assert err.startswith(f"peelcalc: error: {mapping}:{_line_of(text, line_with)} ")
    assert expected in err
    assert "Traceback" not in err


def test_mapping_file_for_the_wrong_way_round(tmp_path: Path, renamed: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    code, _, err = invoke("diff", str(renamed), str(EXAMPLE), "--mapping", str(mapping))
    assert code == 2 and "give the files the other way round" in err


# --------------------------------------------------------------------------- other states


def test_a_carried_question_is_shown_with_its_period(tmp_path: Path) -> None:
    old = write(tmp_path / "2015.toml", YEAR_2015)
    later = dict(YEAR_2016) | {"carried": {"q4": {"from": old.name}}}
    new = write(tmp_path / "2016.toml", later)
    code, out, err = invoke("diff", str(old), str(new), "-f", "json")
    assert code == 0, err
    q4 = next(n for n in json.loads(out)["nodes"] if n["id"] == "q4")
    assert q4["new"]["status"] == "carried" and q4["direction"] == "same"
    code, table, _ = invoke("diff", str(old), str(new), "-f", "markdown")
    assert "| q4 | Good | Good (carried from 2015) | same |" in table


def test_ungraded_nodes_are_named_by_their_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = RULES_2015.read_text(encoding="utf-8")
    edited = rules.replace('id = "peel-2015-effectiveness"', 'id = "peel-test-ungraded"', 1)
    edited, count = re.subn(
        r'(id = "overall"\ntitle = "[^"]*"\n)scheme = "overall"', r"\1graded = false", edited
    )
    assert count == 1
    folder = tmp_path / "shipped"
    folder.mkdir()
    (folder / "peel-test-ungraded.toml").write_text(edited, encoding="utf-8")
    monkeypatch.setattr("peelcalc.registry.shipped_dir", lambda: folder)
    head = {"id": "peel-test-ungraded", "version": "1.0.0"}
    old = write(tmp_path / "a.toml", YEAR_2015 | {"ruleset": head})
    new = write(tmp_path / "b.toml", YEAR_2016 | {"ruleset": head})
    code, out, err = invoke("diff", str(old), str(new), "-f", "markdown")
    assert code == 0, err
    assert "| overall | Ungraded | Ungraded | not graded |" in out


# --------------------------------------------------------------------------- shipped cycles

EXAMPLES = EXAMPLE.parent


def test_refuses_2015_against_2016_as_different_frameworks() -> None:
    code, _, err = invoke("diff", str(EXAMPLE), str(EXAMPLES / "synthetic-2016.toml"))
    assert code == 2
    assert "peel-2015-effectiveness 1.0.0" in err and "peel-2016-effectiveness 1.0.0" in err
    assert "whose questions, areas and rules differ" in err


def test_refuses_four_grades_against_five_with_the_inspectorates_warning() -> None:
    code, _, err = invoke("diff", str(EXAMPLE), str(EXAMPLES / "synthetic-2021.toml"))
    assert code == 2
    assert "their grade scales differ" in err and "adequate" in err
    assert "2021/22 grades cannot be compared directly" in err


def test_two_cycles_of_one_five_grade_ruleset_compare(ruleset: Ruleset) -> None:
    old, new = EXAMPLES / "synthetic-2021.toml", EXAMPLES / "synthetic-2023.toml"
    code, out, err = invoke("diff", str(old), str(new), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    root = doc["nodes"][0]
    assert (root["old"]["status"], root["new"]["status"], root["direction"]) == (
        "ungraded",
        "ungraded",
        "not-graded",
    )
    carried = [n for n in doc["nodes"] if n["new"] and n["new"]["status"] == "carried"]
    assert carried and all(n["direction"] == "same" for n in carried)


def test_the_shipped_2015_to_2016_mapping() -> None:
    mapping = EXAMPLES / "mapping-2015-2016.toml"
    new = EXAMPLES / "synthetic-2016.toml"
    code, out, err = invoke("diff", str(EXAMPLE), str(new), "--mapping", str(mapping), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    nodes = {n["id"]: n for n in doc["nodes"]}
    for node_id in ("overall", "q1", "q2", "q3", "q4", "q4-understanding", "q4-responding"):
        assert nodes[node_id]["old"]["id"] == node_id and nodes[node_id]["new"] is not None
    assert nodes["q5"]["direction"] == "only-in-new" and nodes["q5"]["new"]["status"] == "ungraded"
    assert nodes["q1-prioritising"]["direction"] == "only-in-old"
    assert "q1-prevention" not in nodes["q1"]["moved"]  # no counterpart: nothing moved
    assert any("different forces" in note for note in doc["notes"])
    resolved = {a["area"] for a in doc["findings"] if a["resolved"] and a["new_area"] is None}
    assert "q1-prioritising" in resolved


def test_a_file_that_cannot_be_read_is_an_input_error(tmp_path: Path) -> None:
    code, out, err = invoke("diff", str(EXAMPLE), str(tmp_path / "missing.toml"))
    assert code == 2 and out == ""
    assert err.startswith(f"peelcalc: error: {tmp_path / 'missing.toml'}: no such file")


def test_a_missing_mapping_file_is_an_input_error(tmp_path: Path, renamed: Path) -> None:
    code, _, err = invoke("diff", str(EXAMPLE), str(renamed), "--mapping", str(tmp_path / "m.toml"))
    assert code == 2
    assert f"{tmp_path / 'm.toml'}: no such file; expected a peelcalc ruleset mapping" in err


def test_json_shape_is_the_documented_one(two_years: tuple[Path, Path]) -> None:
    code, out, _ = invoke("diff", *map(str, two_years), "-f", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "schema", "peelcalc", "indicative", "old", "new", "mapping", "nodes", "matching",
        "findings", "notes",
    }  # fmt: skip
    assert doc["schema"] == 1 and doc["mapping"] is None
    assert set(doc["old"]) == {"force", "period", "path", "ruleset"}
    node = doc["nodes"][0]
    assert set(node) == {
        "id", "level", "title", "old", "new", "old_on_new_scale", "direction", "moved",
    }  # fmt: skip
    assert set(node["old"]) == {"id", "grade", "status", "derived", "rule"}
    area = doc["findings"][0]
    assert set(area) == {"area", "old_area", "new_area", "added", "resolved", "standing"}


def _rules_copy(tmp_path: Path, version: str = "1.0.0") -> Path:
    """The 2015 rules with one reading reworded (so another content hash), as a draft."""
    text = RULES_2015.read_text(encoding="utf-8")
    text = text.replace('version = "1.0.0"', f'version = "{version}"', 1)
    copy = tmp_path / "draft-rules.toml"
    copy.write_text(text + "\n# a maintainer's draft\n", encoding="utf-8")
    return copy


def test_rules_grades_both_files_with_the_given_rule_file(
    tmp_path: Path, two_years: tuple[Path, Path]
) -> None:
    draft = _rules_copy(tmp_path)
    old, new = map(str, two_years)
    code, out, err = invoke("diff", old, new, "--rules", str(draft), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    draft_hash = load_ruleset(draft).content_hash
    assert draft_hash != load_ruleset(RULES_2015).content_hash
    assert report["old"]["ruleset"]["content_hash"] == draft_hash
    assert report["new"]["ruleset"]["content_hash"] == draft_hash
    assert report["old"]["ruleset"]["path"] == str(draft)
    shipped = json.loads(invoke("diff", old, new, "--format", "json")[1])
    assert shipped["nodes"] == report["nodes"]  # a comment changes no grade


def test_rules_of_another_version_is_graded_with_a_warning_for_each_file(
    tmp_path: Path, two_years: tuple[Path, Path]
) -> None:
    draft = _rules_copy(tmp_path, "1.1.0-draft")
    code, _, err = invoke("diff", *map(str, two_years), "--rules", str(draft))
    assert code == 0
    warning = (
        "peelcalc: warning: the evidence names peel-2015-effectiveness version 1.0.0; "
        f"graded with version 1.1.0-draft from {draft}\n"
    )
    assert err == warning * 2


def test_rules_that_neither_file_names_is_a_usage_error(two_years: tuple[Path, Path]) -> None:
    other = RULES_2015.parent / "peel-2021-assessment.toml"
    code, out, err = invoke("diff", *map(str, two_years), "--rules", str(other))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"peelcalc: error: {other}: is ruleset 'peel-2021-assessment', but OLD and NEW are "
        "for 'peel-2015-effectiveness'"
    )


def test_diff_output_never_overwrites_the_rules_given(
    tmp_path: Path, two_years: tuple[Path, Path]
) -> None:
    draft = _rules_copy(tmp_path)
    before = draft.read_bytes()
    code, _, err = invoke("diff", *map(str, two_years), "--rules", str(draft), "-o", str(draft))
    assert code == 2 and "refusing to write over an input file" in err
    assert draft.read_bytes() == before
