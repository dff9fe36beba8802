"""Ungraded and carried nodes, through files, the command line and every format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.errors import EXIT_INPUT
from peelcalc.render import FORMATS, Style, render
from peelcalc.workflow import grade_file
from tests.conftest import EXAMPLE, RULES_2015

RULES = RULES_2015.read_text(encoding="utf-8")
TEXT = EXAMPLE.read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def ungrade(text: str, node_id: str) -> str:
    """The rule file with ``node_id`` made ungraded (``graded = false`` for its scheme)."""
    pattern = rf'(id = "{node_id}"\ntitle = "[^"]*"\n)scheme = "[a-z]+"'
    edited, count = re.subn(pattern, r"\1graded = false", text)
    assert count == 1
    return edited


def walk(node: dict[str, object]) -> list[dict[str, object]]:
    children = node["children"]
    assert isinstance(children, list)
    return [node, *(n for child in children for n in walk(child))]


# --------------------------------------------------------------------------- ungraded


@pytest.fixture
def q3_ungraded(tmp_path: Path) -> Path:
    rules = tmp_path / "rules.toml"
    rules.write_text(ungrade(ungrade(RULES, "q3"), "q3-vulnerability"), encoding="utf-8")
    return rules


def test_ungraded_nodes_are_shown_in_words_in_every_format(q3_ungraded: Path) -> None:
    result = grade_file(EXAMPLE, q3_ungraded).result
    outputs = {fmt: render(result, fmt, Style(width=400)) for fmt in FORMATS}
    nodes = {n["id"]: n for n in walk(json.loads(outputs["json"])["overall"])}
    for node_id in ("q3", "q3-vulnerability"):
        assert (nodes[node_id]["status"], nodes[node_id]["grade"]) == ("ungraded", None)
    assert nodes["q3-vulnerability"]["findings"]  # shown, though never graded
    rows = {r["node_id"]: r for r in csv.DictReader(io.StringIO(outputs["csv"]))}
    assert rows["q3"]["status"] == "ungraded" and rows["q3"]["grade"] == ""
    assert "never counted above it" in rows["q3"]["how_reached"]
    for fmt in ("table", "markdown"):
        question = next(ln for ln in outputs[fmt].splitlines() if re.search(r"q3:? How", ln))
        assert "Ungraded" in question and "never counted above it" in question, fmt
        assert "Not assessed" not in question


def test_the_overall_grade_leaves_an_ungraded_question_out(q3_ungraded: Path) -> None:
    """Q3 requires improvement when graded; ungraded, the overall counts only Q1, Q2, Q4."""
    code, out, _ = run("grade", str(EXAMPLE), "--rules", str(q3_ungraded), "-f", "json")
    assert code == 0
    overall = json.loads(out)["overall"]
    assert [q["grade"] for q in overall["children"]] == [
        "good",
        "requires-improvement",
        None,
        "requires-improvement",
    ]
    assert "children at or below requires improvement" in " ".join(overall["rule"]["when"])


def test_an_awarded_grade_on_an_ungraded_node_is_an_error(
    q3_ungraded: Path, tmp_path: Path
) -> None:
    evidence = tmp_path / "e.toml"
    text = TEXT + '\n[awarded.q3]\ngrade = "good"\nrationale = "r"\n'
    evidence.write_text(text, encoding="utf-8")
    code, _, err = run("grade", str(evidence), "--rules", str(q3_ungraded))
    assert code == EXIT_INPUT
    assert f"{evidence}:{line_of(text, '[awarded.q3]')} (awarded.q3)" in err
    assert "'q3' is ungraded" in err and "none can be awarded" in err


@pytest.mark.parametrize(
    ("edit", "needle", "words"),
    [
        (
            lambda t: t.replace(
                'id = "q3-vulnerability"\n', 'id = "q3-vulnerability"\ngraded = false\n', 1
            ),
            'scheme = "area"',
            ("'q3-vulnerability' is ungraded (graded = false), so it takes no scheme",),
        ),
        (
            lambda t: ungrade(t, "q3-vulnerability"),
            'scheme = "question"',
            ("'q3' is graded, but every node below it is ungraded", "graded = false"),
        ),
        (
            lambda t: t.replace('id = "q3"\n', 'id = "q3"\ngraded = "no"\n', 1),
            'graded = "no"',
            ("'graded' must be true or false, not a string",),
        ),
    ],
    ids=["scheme on an ungraded node", "graded over only ungraded", "graded not a boolean"],
)
def test_bad_ungraded_rules(edit, needle: str, words: tuple[str, ...], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = edit(RULES)
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    code, _, err = run("grade", str(EXAMPLE), "--rules", str(rules))
    assert code == EXIT_INPUT and "Traceback" not in err
    found = re.match(rf"peelcalc: error: {re.escape(str(rules))}:(\d+)", err)
    assert found, err
    assert needle in text.splitlines()[int(found.group(1)) - 1]
    for word in words:
        assert word in err


# --------------------------------------------------------------------------- carried

EARLIER = """force = "Testshire Police"
period = "2015"

[ruleset]
id = "peel-2015-effectiveness"
version = "1.0.0"

[[areas.q1-tactics.findings]]
kind = "strength"
text = "Good tactics."
citation = "Q1"

[[areas.q3-vulnerability.findings]]
kind = "weakness"
text = "Risk is not assessed consistently."
citation = "Q3"
"""


def later(period: str, carried: dict[str, str], extra: str = "") -> str:
    """An evidence file for a later period that carries ``carried`` (node → from)."""
    text = EARLIER.split("\n[[areas", 1)[0].replace('"2015"', f'"{period}"')
    text += '\n[[areas.q1-tactics.findings]]\nkind = "notable-practice"\ntext = "Acclaimed."\n'
    text += 'citation = "Q1"\n' + extra
    for node, source in carried.items():
        text += f'\n[carried.{node}]\nfrom = "{source}"\n'
    return text


@pytest.fixture
def years(tmp_path: Path) -> Path:
    """2015 graded; 2016 carries q3 from 2015; 2017 carries q3 from 2016 (in a subfolder)."""
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    (tmp_path / "a-2016.toml").write_text(later("2016", {"q3": "a-2015.toml"}), encoding="utf-8")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "a-2017.toml").write_text(
        later("2017", {"q3": "../a-2016.toml"}), encoding="utf-8"
    )
    return tmp_path


def test_a_carried_question_is_marked_with_when_and_where_from(years: Path) -> None:
    code, out, err = run("grade", str(years / "a-2016.toml"), "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    q3 = next(q for q in doc["overall"]["children"] if q["id"] == "q3")
    source = {"path": str(years / "a-2015.toml"), "force": "Testshire Police", "period": "2015"}
    assert q3["status"] == "carried" and q3["grade"] == "requires-improvement"
    assert q3["carried"] == {"from": source, "graded_in": source, "chain": [source]}
    area = q3["children"][0]
    assert area["status"] == "carried" and area["findings"][0]["kind"] == "weakness"
    # Not re-inspected in 2016: q1's new notable practice is graded, q3 keeps 2015's grade.
    assert doc["overall"]["children"][0]["grade"] == "outstanding"
    assert doc["overall"]["children"][0]["carried"] is None


def test_a_chain_of_carried_grades_is_followed_to_where_it_was_graded(years: Path) -> None:
    path = years / "later" / "a-2017.toml"
    code, out, err = run("grade", str(path), "-f", "json")
    assert code == 0, err
    q3 = next(q for q in json.loads(out)["overall"]["children"] if q["id"] == "q3")
    assert [e["period"] for e in q3["carried"]["chain"]] == ["2016", "2015"]
    assert q3["carried"]["from"]["path"] == str(years / "later" / ".." / "a-2016.toml")
    assert q3["carried"]["graded_in"]["path"] == str(years / "later" / ".." / "a-2015.toml")
    assert q3["grade"] == "requires-improvement"


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_every_format_says_carried_and_from_when(years: Path, fmt: str) -> None:
    code, out, _ = run("grade", str(years / "later" / "a-2017.toml"), "-f", fmt)
    assert code == 0
    flat = " ".join(out.split())
    if fmt == "csv":
        row = next(r for r in csv.DictReader(io.StringIO(out)) if r["node_id"] == "q3")
        assert row["status"] == "carried"
        assert (row["carried_from_period"], row["graded_in_period"]) == ("2016", "2015")
        assert row["graded_in"].endswith("a-2015.toml")
    else:
        assert "carried from 2016" in flat and "as graded in 2015" in flat


def _error(args: list[str], file: Path, text: str, needle: str, *words: str) -> str:
    code, out, err = run(*args)
    assert code == EXIT_INPUT, (out, err)
    assert "Traceback" not in out + err
    assert f"peelcalc: error: {file}:{line_of(text, needle)} " in err, err
    for word in words:
        assert word in err, (word, err)
    return err


def test_a_cycle_of_carried_grades_is_an_error(tmp_path: Path) -> None:
    one = later("2016", {"q3": "two.toml"})
    two = later("2017", {"q3": "one.toml"})
    (tmp_path / "one.toml").write_text(one, encoding="utf-8")
    (tmp_path / "two.toml").write_text(two, encoding="utf-8")
    path = tmp_path / "one.toml"
    _error(
        ["grade", str(path)],
        tmp_path / "two.toml",
        two,
        'from = "one.toml"',
        "carried.q3.from",
        "cycle: one.toml → two.toml → one.toml",
    )


def test_a_file_carrying_from_itself_is_a_cycle(tmp_path: Path) -> None:
    text = later("2016", {"q3": "self.toml"})
    path = tmp_path / "self.toml"
    path.write_text(text, encoding="utf-8")
    _error(["grade", str(path)], path, text, "from =", "cycle: self.toml → self.toml")


def test_a_missing_earlier_file_is_an_error(tmp_path: Path) -> None:
    text = later("2016", {"q3": "a-2014.toml"})
    path = tmp_path / "a.toml"
    path.write_text(text, encoding="utf-8")
    _error(
        ["grade", str(path)],
        path,
        text,
        "from =",
        "(carried.q3.from)",
        "no such file",
        str(tmp_path / "a-2014.toml"),
    )


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda t: t.replace('id = "peel-2015-effectiveness"', 'id = "peel-2016-effectiveness"'),
            ("evidence for ruleset 'peel-2016-effectiveness', not 'peel-2015-effectiveness'",),
        ),
        (
            lambda t: t.replace("Testshire Police", "Otherhampton Police"),
            ("evidence for 'Otherhampton Police', not 'Testshire Police'", "same force"),
        ),
        (
            lambda t: t.split("\n[[areas.q3")[0],
            ("not assessed there, so there is no grade to carry",),
        ),
    ],
    ids=["another ruleset", "another force", "not assessed there"],
)
def test_an_earlier_file_that_cannot_give_the_grade(edit, words, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-2015.toml").write_text(edit(EARLIER), encoding="utf-8")
    text = later("2016", {"q3": "a-2015.toml"})
    path = tmp_path / "a-2016.toml"
    path.write_text(text, encoding="utf-8")
    _error(["grade", str(path)], path, text, "from =", "(carried.q3.from)", *words)


def test_an_error_in_the_earlier_file_names_that_file_and_why_it_was_read(tmp_path: Path) -> None:
    bad = EARLIER.replace('kind = "weakness"', 'kind = "weaknes"')
    (tmp_path / "a-2015.toml").write_text(bad, encoding="utf-8")
    text = later("2016", {"q3": "a-2015.toml"})
    path = tmp_path / "a-2016.toml"
    path.write_text(text, encoding="utf-8")
    err = _error(
        ["grade", str(path)],
        tmp_path / "a-2015.toml",
        bad,
        'kind = "weaknes"',
        "unknown finding kind 'weaknes'",
        "did you mean 'weakness'",
    )
    assert f"note: read because {path}:{line_of(text, 'from =')}" in err


@pytest.mark.parametrize(
    ("carried", "extra", "needle", "words"),
    [
        (
            {"q3": "a-2015.toml"},
            '\n[[areas.q3-vulnerability.findings]]\nkind = "strength"\n'
            'text = "t"\ncitation = "c"\n',
            "[[areas.q3-vulnerability.findings]]",
            ("'q3-vulnerability' takes no evidence in this file", "below 'q3'"),
        ),
        (
            {"q3": "a-2015.toml"},
            '\n[awarded.q3]\ngrade = "good"\nrationale = "r"\n',
            "[awarded.q3]",
            ("'q3' takes no evidence in this file: it is carried from a-2015.toml",),
        ),
        (
            {"q3": "a-2015.toml", "q3-vulnerability": "a-2015.toml"},
            "",
            "[carried.q3-vulnerability]",
            ("'q3-vulnerability' is below 'q3', and both are carried",),
        ),
        (
            {"q33": "a-2015.toml"},
            "",
            "[carried.q33]",
            ("unknown node 'q33'", "did you mean 'q3'"),
        ),
    ],
    ids=["findings below", "award on it", "nested", "unknown node"],
)
def test_what_a_carried_node_may_not_have(
    carried: dict[str, str], extra: str, needle: str, words: tuple[str, ...], tmp_path: Path
) -> None:
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    text = later("2016", carried, extra)
    path = tmp_path / "a-2016.toml"
    path.write_text(text, encoding="utf-8")
    _error(["grade", str(path)], path, text, needle, *words)


def test_an_empty_area_table_below_a_carried_node_is_allowed(tmp_path: Path) -> None:
    """A skeleton from 'peelcalc init' has an empty table for every area."""
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    path = tmp_path / "a-2016.toml"
    path.write_text(later("2016", {"q3": "a-2015.toml"}, "\n[areas.q3-vulnerability]\n"))
    assert run("grade", str(path))[0] == 0


def test_an_ungraded_node_cannot_be_carried(q3_ungraded: Path, tmp_path: Path) -> None:
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    text = later("2016", {"q3": "a-2015.toml"})
    path = tmp_path / "a-2016.toml"
    path.write_text(text, encoding="utf-8")
    _error(
        ["grade", str(path), "--rules", str(q3_ungraded)],
        path,
        text,
        "[carried.q3]",
        "'q3' is ungraded in ruleset peel-2015-effectiveness: it has no grade to carry",
    )


def test_the_earlier_file_is_graded_under_the_same_rules_with_a_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    path = tmp_path / "a-2016.toml"
    path.write_text(later("2016", {"q3": "a-2015.toml"}).replace('"1.0.0"', '"1.1.0"'))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES.replace('version = "1.0.0"', 'version = "1.1.0"', 1))
    code, out, err = run("grade", str(path), "--rules", str(rules), "-f", "json")
    assert code == 0
    assert f"{tmp_path / 'a-2015.toml'} names peel-2015-effectiveness version 1.0.0" in err
    assert json.loads(out)["ruleset"]["version"] == "1.1.0"


def test_a_carrying_file_without_a_force_is_told_so(tmp_path: Path) -> None:
    (tmp_path / "a-2015.toml").write_text(EARLIER, encoding="utf-8")
    text = later("2016", {"q3": "a-2015.toml"}).replace('force = "Testshire Police"\n', "")
    path = tmp_path / "a-2016.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("grade", str(path))
    assert code == EXIT_INPUT and "missing required key 'force'" in err
