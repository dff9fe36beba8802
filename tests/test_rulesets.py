"""The rulesets per PEEL cycle and their synthetic examples.

Expected grades are worked out by hand from each rule file's rules, written beside
each case; the examples are synthetic (no report of those years is in our sources).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.loading import content_hash, load_ruleset
from peelcalc.model import Ruleset
from peelcalc.registry import shipped, shipped_dir, shipped_paths
from peelcalc.workflow import grade_file
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
RULE_FILES = shipped_paths()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def grades(path: Path) -> dict[str, tuple[str, str | None]]:
    result = grade_file(path).result
    return {r.node.id: (r.status, r.grade) for r in result.root.walk()}


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_each_rule_file_loads_is_listed_and_has_a_skeleton(path: Path, tmp_path: Path) -> None:
    ruleset = load_ruleset(path)
    assert path.stem == ruleset.id  # shipped files are found by their id
    code, listed, _ = run("rules")
    assert code == 0 and ruleset.id in listed and ruleset.content_hash[:19] in listed
    code, skeleton, _ = run("init", ruleset.id)
    assert code == 0
    for node in ruleset.root.walk():
        if not node.children:
            assert f"[areas.{node.id}]" in skeleton
    blank = tmp_path / "blank.toml"
    blank.write_text(skeleton, encoding="utf-8")
    code, out, _ = run("grade", str(blank), "-f", "json")
    assert code == 0
    statuses = {n.id: "ungraded" if not n.graded else "not-assessed" for n in ruleset.root.walk()}
    assert _statuses(json.loads(out)["overall"]) == statuses


def _statuses(node: dict[str, object]) -> dict[str, object]:
    children = node["children"]
    assert isinstance(children, list)
    out = {str(node["id"]): node["status"]}
    for child in children:
        out.update(_statuses(child))
    return out


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_the_content_hash_is_the_sha256_of_the_rule_files_bytes(path: Path) -> None:
    # peelcalc computes it without hashlib (see loading.content_hash); hashlib is the oracle.
    expected = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_ruleset(path).content_hash == expected
    assert [r.content_hash for r in shipped() if r.doc.file == str(path)] == [expected]


@given(st.binary(max_size=300))
def test_a_content_hash_is_sha256_and_its_hex_digest(raw: bytes) -> None:
    assert content_hash(raw) == "sha256:" + hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_every_rule_says_where_it_comes_from(path: Path) -> None:
    """Rules exist because a published criterion says so: every part cites a source."""
    ruleset = load_ruleset(path)
    parts = [*ruleset.scale.grades, *ruleset.kinds, *ruleset.root.walk()]
    for scheme in ruleset.schemes.values():
        parts += [scheme, *scheme.rules, *scheme.limiters]
        if scheme.default is not None:
            parts.append(scheme.default)
    for part in parts:
        assert part.source.strip(), part


def test_2016_says_plainly_what_is_carried_over_from_2015_by_inference() -> None:
    ruleset = load_ruleset(shipped_dir() / "peel-2016-effectiveness.toml")
    text = (shipped_dir() / "peel-2016-effectiveness.toml").read_text(encoding="utf-8")
    assert "by inference" in text.split("[ruleset]")[0]
    rules = [r for s in ruleset.schemes.values() for r in (*s.rules, *s.limiters)]
    for part in (*ruleset.scale.grades, *rules):
        if "Annex A" in part.source:
            assert "inference" in part.source, part.source


def test_2016_has_five_core_questions_and_the_fifth_is_ungraded() -> None:
    ruleset = load_ruleset(shipped_dir() / "peel-2016-effectiveness.toml")
    assert [q.id for q in ruleset.root.children] == ["q1", "q2", "q3", "q4", "q5"]
    assert [q.graded for q in ruleset.root.children] == [True, True, True, True, False]
    assert ruleset.scale.ids == (
        "outstanding",
        "good",
        "requires-improvement",
        "inadequate",
    )


def test_2021_has_five_grades_and_no_overall_grade() -> None:
    ruleset: Ruleset = load_ruleset(shipped_dir() / "peel-2021-assessment.toml")
    assert ruleset.scale.ids == (
        "outstanding",
        "good",
        "adequate",
        "requires-improvement",
        "inadequate",
    )
    assert not ruleset.root.graded
    graded = [q.id for q in ruleset.root.children if q.graded]
    assert len(graded) == 10 and {"spr", "armed-threats"}.isdisjoint(graded)


def test_synthetic_2016_example() -> None:
    got = grades(EXAMPLES / "synthetic-2016.toml")
    assert got == {
        # Q1: threat-risk good (strengths, an area for improvement); prevention
        # outstanding (notable practice, nothing to improve) → 1 of 2 outstanding (at
        # least 2/5 of 2) and the rest good → outstanding.
        "q1": ("derived", "outstanding"),
        "q1-threat-risk": ("derived", "good"),
        "q1-prevention": ("derived", "outstanding"),
        # Q2: three good areas → good.
        "q2": ("derived", "good"),
        "q2-initial-response": ("derived", "good"),
        "q2-subsequent-investigation": ("derived", "good"),
        "q2-reoffending": ("derived", "good"),
        # Q3: two areas with weaknesses (requires improvement), one good → 2 of 3 at or
        # below requires improvement (at least 2/5 of 3) → requires improvement.
        "q3": ("derived", "requires-improvement"),
        "q3-identifying-risk": ("derived", "requires-improvement"),
        "q3-initial-response": ("derived", "requires-improvement"),
        "q3-investigation-partnership": ("derived", "good"),
        # Q4: one good area, one not assessed (left out) → good.
        "q4": ("derived", "good"),
        "q4-understanding": ("derived", "good"),
        "q4-responding": ("not-assessed", None),
        # Q5 ungraded, with a cause of concern.
        "q5": ("ungraded", None),
        "q5-specialist-capabilities": ("ungraded", None),
        # Overall: outstanding, good, requires improvement, good → no inadequate and one
        # of four requiring improvement → good; Q5's cause of concern is not counted,
        # so the rating limiter does not cap it.
        "overall": ("derived", "good"),
    }
    result = grade_file(EXAMPLES / "synthetic-2016.toml").result
    assert result.root.limiters == ()
    assert any(f.kind == "cause-of-concern" for f in result.find("q5").children[0].findings)


def test_synthetic_2021_example() -> None:
    got = grades(EXAMPLES / "synthetic-2021.toml")
    questions = {node: value for node, value in got.items() if not node.endswith("-topics")}
    assert questions == {
        "peel": ("ungraded", None),  # no overall grade
        "victims": ("derived", "good"),  # 3 of 4 shown: at least three quarters
        "recording-data": ("derived", "requires-improvement"),  # 1 of 4: at most a quarter
        "treatment-of-public": ("derived", "outstanding"),  # 4 of 4 shown, 2 exceeded
        "prevention": ("derived", "adequate"),  # 2 of 4: between
        "responding": ("derived", "inadequate"),  # a cause of concern
        "investigating": ("derived", "adequate"),  # 1 of 2
        "vulnerable": ("not-assessed", None),
        "offenders": ("derived", "good"),  # 4 of 4 shown, only 1 exceeded
        "workplace": ("derived", "good"),  # 2 of 2 shown, none exceeded
        "resources": ("derived", "requires-improvement"),  # 0 of 1 shown
        "spr": ("ungraded", None),
        "armed-threats": ("ungraded", None),
    }
    # Each question has one area, graded by the same definitions from the same findings.
    for node, value in questions.items():
        if node != "peel":
            assert got[f"{node}-topics"] == value


def test_synthetic_2023_example_carries_three_questions_from_2021() -> None:
    result = grade_file(EXAMPLES / "synthetic-2023.toml").result
    earlier = grade_file(EXAMPLES / "synthetic-2021.toml").result
    carried = {r.node.id for r in result.root.children if r.status == "carried"}
    assert carried == {"treatment-of-public", "workplace", "resources"}
    for node in carried:
        now, then = result.find(node), earlier.find(node)
        assert now.grade == then.grade and now.findings == then.findings
        assert [(e.period, Path(e.path).name) for e in now.carried] == [
            ("2021/22", "synthetic-2021.toml")
        ]
    assert result.find("victims").grade == "good"  # re-inspected: 4 of 4 shown
    assert result.find("recording-data").grade == "adequate"  # 2 of 4 shown


@pytest.mark.parametrize("name", ["synthetic-2016", "synthetic-2021", "synthetic-2023"])
def test_synthetic_examples_say_they_are_synthetic(name: str) -> None:
    text = (EXAMPLES / f"{name}.toml").read_text(encoding="utf-8")
    assert text.startswith("# SYNTHETIC evidence file")
    code, out, _ = run("grade", str(EXAMPLES / f"{name}.toml"), "-f", "json")
    assert code == 0
    evidence = json.loads(out)["evidence"]
    assert "(synthetic)" in evidence["force"] and "Synthetic" in evidence["source"]
