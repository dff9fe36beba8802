"""``peelcalc check`` and ``peelcalc test``: one broken ruleset per class of problem, each
reported with the right file and line; the formats; the exit codes.

Each case edits a small clean ruleset in one place, and the test finds the line
of that edit in the text itself, so no expected line number is written by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.errors import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS
from tests.conftest import ROOT, RULES_2015
from tests.test_errors import line_of, replace_once

MINI = """\
[ruleset]
id = "mini"
version = "1"
title = "A small clean ruleset"
source = "peelcalc tests"

[[grades]]
id = "good"
label = "Good"
definition = "Good."
source = "tests"

[[grades]]
id = "requires-improvement"
label = "Requires improvement"
definition = "Requires improvement."
source = "tests"

[[grades]]
id = "inadequate"
label = "Inadequate"
definition = "Inadequate."
source = "tests"

[[finding_kinds]]
id = "strength"
label = "Strength"
effect = "positive"
definition = "Done well."
source = "tests"

[[finding_kinds]]
id = "weakness"
label = "Weakness"
effect = "negative"
definition = "Done badly."
source = "tests"

[schemes.area]
title = "Area"
source = "tests"

[[schemes.area.rules]]
id = "area.inadequate"
reading = "Three weaknesses or more: inadequate"
grade = "inadequate"
when = [{ kind = "weakness", min = 3 }]
source = "tests"

[[schemes.area.rules]]
id = "area.weakness"
reading = "A weakness: requires improvement"
grade = "requires-improvement"
when = [{ kind = "weakness", min = 1 }]
source = "tests"

[[schemes.area.rules]]
id = "area.good"
reading = "A strength: good"
grade = "good"
when = [{ kind = "strength", min = 1 }]
source = "tests"

[schemes.area.default]
id = "area.default"
reading = "Otherwise: requires improvement"
grade = "requires-improvement"
source = "tests"

[schemes.question]
title = "Question"
source = "tests"

[[schemes.question.rules]]
id = "question.inadequate"
reading = "An area inadequate: inadequate"
grade = "inadequate"
when = [{ at = "inadequate", min = 1 }]
source = "tests"

[[schemes.question.rules]]
id = "question.requires-improvement"
reading = "An area requiring improvement: requires improvement"
grade = "requires-improvement"
when = [{ at = "requires-improvement", min = 1 }]
source = "tests"

[schemes.question.default]
id = "question.default"
reading = "Otherwise: good"
grade = "good"
source = "tests"

[overall]
id = "overall"
title = "Overall"
scheme = "question"
source = "tests"

[[questions]]
id = "q1"
title = "Question one"
scheme = "question"
source = "tests"

[[questions.areas]]
id = "a1"
title = "Area one"
scheme = "area"
source = "tests"

[[questions.areas]]
id = "a2"
title = "Area two"
scheme = "area"
source = "tests"
"""

MINI_TESTS = """\
[[tests]]
id = "one-weakness"
scheme = "area"
findings = { weakness = 1, strength = 2 }
expect = "requires-improvement"
expect_rule = "area.weakness"
source = "tests"

[[tests]]
id = "q1-all-good"
node = "q1"
children = { a1 = "good", a2 = "good" }
expect = "good"
source = "tests"
"""

SHADOWING_RULE = """
[[schemes.question.rules]]
id = "question.two-inadequate"
reading = "Two areas inadequate: inadequate"
grade = "inadequate"
when = [{ at = "inadequate", min = 2 }]
source = "tests"
"""

UNUSED_SCHEME = """[schemes.spare]
title = "Spare"
source = "tests"

[schemes.spare.default]
id = "spare.default"
reading = "Always good"
grade = "good"
source = "tests"
"""

IDLE_LIMITER = """
[[schemes.question.limiters]]
id = "question.cap-at-good"
reading = "A weakness caps the question at good"
cap = "good"
when = [{ kind = "weakness", min = 1 }]
source = "tests"
"""


def _after(text: str, anchor: str, insert: str) -> str:
    """Insert ``insert`` just after the table that starts at ``anchor``."""
    start = text.index(anchor)
    end = text.index("\n[", start + 1)
    return text[:end] + "\n" + insert + text[end:]


def _without(text: str, start: str, end: str) -> str:
    return text[: text.index(start)] + text[text.index(end) :]


# name -> (edit, problem class, severity, the text on the line reported, words of the message)
Case = tuple[Callable[[str], str], str, str, str, tuple[str, ...]]
CASES: dict[str, Case] = {
    "syntax": (
        lambda t: replace_once(t, 'title = "Area one"', 'title = "Area one'),
        "syntax",
        "error",
        'title = "Area one',
        ("is not valid TOML",),
    ),
    "schema: unknown key": (
        lambda t: replace_once(t, 'label = "Inadequate"', 'labl = "Inadequate"'),
        "schema",
        "error",
        'labl = "Inadequate"',
        ("unknown key 'labl'", "did you mean 'label'"),
    ),
    "schema: wrong type": (
        lambda t: replace_once(
            t,
            'when = [{ kind = "weakness", min = 3 }]',
            'when = [{ kind = "weakness", min = "3" }]',
        ),
        "schema",
        "error",
        'min = "3"',
        ("'min' must be a whole number, not a string",),
    ),
    "integrity: unknown scheme": (
        lambda t: replace_once(t, 'scheme = "area"', 'scheme = "aera"'),
        "integrity",
        "error",
        'scheme = "aera"',
        ("unknown scheme 'aera'", "did you mean 'area'"),
    ),
    "integrity: duplicate id": (
        lambda t: replace_once(t, 'id = "a2"', 'id = "a1"'),
        "integrity",
        "error",
        'id = "a1"\ntitle = "Area two"',
        ("duplicate node id 'a1'", "first defined at line"),
    ),
    "completeness": (
        lambda t: _without(t, "[schemes.question.default]", "[overall]"),
        "completeness",
        "error",
        "[schemes.question]",
        ("scheme 'question' gives no grade to some inputs", "no rule decides children: 1 good"),
    ),
    "shadowed rule": (
        lambda t: _after(t, 'id = "question.inadequate"', SHADOWING_RULE),
        "shadowed",
        "error",
        'id = "question.two-inadequate"',
        ("never decides", "decided by 'question.inadequate'", "children: 2 inadequate"),
    ),
    "non-monotone rule": (
        lambda t: replace_once(
            t, '{ at = "requires-improvement", min = 1 }', '{ at = "good", min = 2 }'
        ),
        "monotonicity",
        "error",
        'id = "question.requires-improvement"',
        (
            "raising one child from Requires improvement to Good",
            "lowers the grade from Good to Requires improvement",
            "Before: children: 1 good, 1 requires improvement",
            "After: children: 2 good",
        ),
    ),
    "limiter that never acts": (
        lambda t: _after(t, 'id = "question.requires-improvement"', IDLE_LIMITER),
        "limiter",
        "warning",
        'id = "question.cap-at-good"',
        ("never changes a grade",),
    ),
    "rule that can never hold": (
        lambda t: _after(
            t,
            'id = "question.inadequate"',
            SHADOWING_RULE.replace("min = 2", "min = 3").replace("two-inadequate", "three"),
        ),
        "shadowed",
        "error",
        'id = "question.three"',
        ("can never hold", "up to 2 assessed children"),
    ),
    "unused scheme": (
        lambda t: t.replace("[overall]", UNUSED_SCHEME + "\n[overall]"),
        "unused",
        "warning",
        "[schemes.spare]",
        ("scheme 'spare' is not used by any node",),
    ),
    "unreachable grade": (
        lambda t: _without(
            t,
            '[[schemes.area.rules]]\nid = "area.inadequate"',
            '[[schemes.area.rules]]\nid = "area.weakness"',
        ),
        "unreachable",
        "warning",
        'id = "a1"',
        ("no input gives 'a1'", "Inadequate"),
    ),
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_json(*paths: Path, strict: bool = False) -> tuple[int, dict[str, Any]]:
    args = ["check", *map(str, paths), "--format", "json"] + (["--strict"] if strict else [])
    code, out, err = run(*args)
    assert "Traceback" not in out + err
    return code, json.loads(out)


def write(tmp_path: Path, text: str, tests: str | None = None) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(text, encoding="utf-8")
    if tests is not None:
        (tmp_path / "mini.tests.toml").write_text(tests, encoding="utf-8")
    return path


def line_at(text: str, needle: str) -> int:
    """The line where ``needle`` starts (it may span lines)."""
    return text[: text.index(needle)].count("\n") + 1


def test_the_mini_ruleset_is_clean(tmp_path: Path) -> None:
    code, report = check_json(write(tmp_path, MINI, MINI_TESTS))
    assert code == EXIT_OK, report
    assert report["summary"] == {
        "files": 1,
        "errors": 0,
        "warnings": 0,
        "tests_run": 2,
        "tests_failed": 0,
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_class_of_problem_is_reported_at_its_file_and_line(case: str, tmp_path: Path) -> None:
    edit, check, severity, needle, words = CASES[case]
    text = edit(MINI)
    path = write(tmp_path, text)
    code, report = check_json(path)
    problems = report["files"][0]["problems"]
    found = [p for p in problems if p["check"] == check]
    assert found, problems
    problem = found[0]
    assert problem["severity"] == severity
    assert problem["file"] == str(path)
    assert problem["line"] == line_at(text, needle), (problem, needle)
    for word in words:
        assert word in problem["message"] + " " + problem["hint"], (word, problem)
    assert code == (EXIT_PROBLEMS if severity == "error" else EXIT_OK)
    if severity == "warning":
        strict_code, _ = check_json(path, strict=True)
        assert strict_code == EXIT_PROBLEMS


def test_a_syntax_error_has_a_column(tmp_path: Path) -> None:
    text = replace_once(MINI, 'version = "1"', "version = 1.2.3")
    _, report = check_json(write(tmp_path, text))
    (problem,) = report["files"][0]["problems"]
    assert problem["line"] == line_of(text, "version = 1.2.3") and problem["column"] is not None


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = MINI
    for name in ("schema: unknown key", "integrity: unknown scheme", "schema: wrong type"):
        text = CASES[name][0](text)
    code, report = check_json(write(tmp_path, text))
    assert code == EXIT_PROBLEMS
    lines = {p["line"] for p in report["files"][0]["problems"]}
    for name in ("schema: unknown key", "integrity: unknown scheme", "schema: wrong type"):
        assert line_at(text, CASES[name][3]) in lines


def test_the_monotonicity_counterexample_is_data_in_json(tmp_path: Path) -> None:
    text = CASES["non-monotone rule"][0](MINI)
    _, report = check_json(write(tmp_path, text))
    (problem,) = [p for p in report["files"][0]["problems"] if p["check"] == "monotonicity"]
    before, after = problem["examples"]
    assert before["children"] == {"good": 1, "requires-improvement": 1}
    assert before["grade"] == "good"
    assert after["children"] == {"good": 2}
    assert after["grade"] == "requires-improvement"
    assert after["rule"] == "question.requires-improvement"


def test_one_bad_file_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[ruleset\n", encoding="utf-8")
    write(tmp_path, MINI)
    code, report = check_json(tmp_path)
    assert code == EXIT_PROBLEMS
    by_file = {Path(f["path"]).name: f for f in report["files"]}
    assert set(by_file) == {"broken.toml", "mini.toml"}
    assert by_file["broken.toml"]["problems"][0]["check"] == "syntax"
    assert by_file["mini.toml"]["problems"] == []


def test_the_shipped_rules_check_clean_with_their_tests() -> None:
    code, report = check_json(ROOT / "rules", strict=True)
    assert code == EXIT_OK, json.dumps(report, indent=1)
    assert len(report["files"]) >= 3
    assert all(p["severity"] == "note" for f in report["files"] for p in f["problems"])
    from peelcalc.loading import load_ruleset

    for shipped in report["files"]:
        assert shipped["verified"] and shipped["tests_path"] is not None, shipped["path"]
        assert shipped["tests"] and all(t["passed"] for t in shipped["tests"])
        # Every rule and limiter of every shipped ruleset is exercised by some test.
        ruleset = load_ruleset(Path(shipped["path"]))
        exercised = {t["rule"] for t in shipped["tests"]}
        exercised |= {limiter for t in shipped["tests"] for limiter in t["limiters"]}
        for scheme in ruleset.schemes.values():
            for rule in (*scheme.rules, scheme.default):
                assert rule is None or rule.id in exercised, (shipped["path"], rule.id)
            for limiter in scheme.limiters:
                assert limiter.id in exercised, (shipped["path"], limiter.id)


def test_the_published_gloucestershire_grades_are_rule_tests() -> None:
    code, report = check_json(RULES_2015)
    assert code == EXIT_OK
    tests = {t["id"]: t for t in report["files"][0]["tests"]}
    published = {"overall": "requires-improvement", "q1": "good", "q2": "requires-improvement"}
    published |= {"q3": "requires-improvement", "q4": "requires-improvement"}
    for node, grade in published.items():
        test = tests[f"gloucestershire-2015.{node}"]
        assert (test["node"], test["expect"], test["got"]) == (node, grade, grade)


def test_default_path_is_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules").mkdir()
    write(tmp_path / "rules", MINI)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check")
    assert code == EXIT_OK
    assert "rules/mini.toml" in out and "ok" in out


# --------------------------------------------------------------------------- rule tests


def test_a_failing_rule_test_shows_expected_and_got_with_the_explanation(tmp_path: Path) -> None:
    tests = replace_once(MINI_TESTS, 'expect = "requires-improvement"', 'expect = "good"')
    path = write(tmp_path, MINI, tests)
    code, out, _ = run("test", str(path))
    assert code == EXIT_PROBLEMS
    tests_file = tmp_path / "mini.tests.toml"
    assert f"FAIL one-weakness ({tests_file}:{line_of(tests, '[[tests]]')}" in out
    assert "expected Good by rule area.weakness" in out
    assert (
        "got Requires improvement by rule area.weakness (A weakness: requires improvement)" in out
    )
    assert "PASS q1-all-good" in out
    code, report = check_json(path)
    assert code == EXIT_PROBLEMS
    (problem,) = report["files"][0]["problems"]
    assert problem["check"] == "rule-test" and problem["line"] == line_of(tests, "[[tests]]")


def test_a_rule_test_names_a_limiter_that_capped(tmp_path: Path) -> None:
    tests = MINI_TESTS + '\n[[tests]]\nid = "capped"\nscheme = "question"\nchildren = ["good"]\n'
    tests += 'findings = { weakness = 1 }\nexpect = "inadequate"\nsource = "tests"\n'
    text = _after(
        MINI,
        'id = "question.requires-improvement"',
        IDLE_LIMITER.replace('"good"', '"requires-improvement"'),
    )
    code, out, _ = run("test", str(write(tmp_path, text, tests)))
    assert code == EXIT_PROBLEMS
    assert "capped from Good by question.cap-at-good" in out


@pytest.mark.parametrize(
    ("edit", "needle", "words"),
    [
        (
            lambda t: replace_once(t, 'scheme = "area"', 'scheme = "aera"'),
            'scheme = "aera"',
            ("unknown scheme 'aera'", "did you mean 'area'"),
        ),
        (
            lambda t: replace_once(t, "weakness = 1", "weaknes = 1"),
            "weaknes = 1",
            ("unknown finding kind 'weaknes'",),
        ),
        (
            lambda t: replace_once(t, 'a2 = "good"', 'a22 = "good"'),
            'a22 = "good"',
            ("unknown child 'a22' of 'q1'", "did you mean 'a2'"),
        ),
        (
            lambda t: replace_once(t, 'expect = "good"', 'expect = "god"'),
            'expect = "god"',
            ("unknown grade 'god'",),
        ),
        (
            lambda t: replace_once(t, 'expect_rule = "area.weakness"', 'expect_rule = "area.weak"'),
            'expect_rule = "area.weak"',
            ("unknown rule of scheme 'area'",),
        ),
        (
            lambda t: replace_once(t, "weakness = 1, strength = 2", "weakness = -1"),
            "weakness = -1",
            ("'weakness' must be a count (0 or more)",),
        ),
        (
            lambda t: replace_once(t, "findings = { weakness = 1, strength = 2 }\n", ""),
            "[[tests]]",
            ("a test needs the grades of the assessed children, or findings",),
        ),
        (
            lambda t: replace_once(t, 'source = "tests"', 'sorce = "tests"'),
            'sorce = "tests"',
            ("unknown key 'sorce'",),
        ),
        (
            lambda t: replace_once(t, 'id = "q1-all-good"', 'id = "one-weakness"'),
            'id = "one-weakness"\nnode',
            ("duplicate test id",),
        ),
    ],
)
def test_a_bad_tests_file_is_reported_at_its_line(
    edit: Callable[[str], str], needle: str, words: tuple[str, ...], tmp_path: Path
) -> None:
    tests = edit(MINI_TESTS)
    code, report = check_json(write(tmp_path, MINI, tests))
    assert code == EXIT_PROBLEMS
    problems = report["files"][0]["problems"]
    assert problems and all(p["file"] == str(tmp_path / "mini.tests.toml") for p in problems)
    at_line = [p for p in problems if p["line"] == line_at(tests, needle)]
    assert at_line, problems
    text = " ".join(p["message"] + " " + p["hint"] for p in at_line)
    for word in words:
        assert word in text


def test_a_tests_file_given_alone_checks_its_ruleset(tmp_path: Path) -> None:
    write(tmp_path, MINI, MINI_TESTS)
    code, report = check_json(tmp_path / "mini.tests.toml")
    assert code == EXIT_OK
    assert report["files"][0]["path"] == str(tmp_path / "mini.toml")
    assert len(report["files"][0]["tests"]) == 2


def test_the_rules_listing_ignores_tests_files() -> None:
    code, out, _ = run("rules")
    assert code == EXIT_OK and ".tests" not in out and out.count("peel-2015-effectiveness") == 1


# --------------------------------------------------------------------------- formats and exits


def test_github_format_is_one_annotation_per_problem(tmp_path: Path) -> None:
    text = CASES["non-monotone rule"][0](MINI)
    text = CASES["limiter that never acts"][0](text)
    path = write(tmp_path, text)
    code, out, _ = run("check", str(path), "--format", "github")
    assert code == EXIT_PROBLEMS
    lines = out.splitlines()
    error = next(line for line in lines if line.startswith("::error "))
    warning = next(line for line in lines if line.startswith("::warning "))
    monotone_line = line_at(text, 'id = "question.requires-improvement"')
    assert error.startswith(
        f"::error file={path},line={monotone_line},title=peelcalc monotonicity::"
    )
    limiter_line = line_at(text, 'id = "question.cap-at-good"')
    assert f"line={limiter_line}," in warning
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert lines[-1].startswith("::notice ") and "indicative" in lines[-1]


def test_github_format_escapes_what_would_break_a_command(tmp_path: Path) -> None:
    weird = tmp_path / "a,b:c%.toml"
    weird.write_text("[ruleset\n", encoding="utf-8")
    code, out, _ = run("check", str(weird), "--format", "github")
    assert code == EXIT_PROBLEMS
    first = out.splitlines()[0]
    assert "a%2Cb%3Ac%25.toml" in first


def test_sarif_is_2_1_0_with_a_rule_per_class(tmp_path: Path) -> None:
    text = CASES["shadowed rule"][0](MINI)
    path = write(tmp_path, text)
    code, out, _ = run("check", str(path), "--format", "sarif")
    assert code == EXIT_PROBLEMS
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    (run_,) = sarif["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "peelcalc"
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)) and {"syntax", "monotonicity", "shadowed"} <= set(ids)
    (result,) = run_["results"]
    assert result["ruleId"] == "shadowed" and rules[result["ruleIndex"]]["id"] == "shadowed"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == line_at(text, 'id = "question.two-inadequate"')
    assert location["artifactLocation"]["uri"].endswith("mini.toml")


def test_text_format_names_file_line_and_class(tmp_path: Path) -> None:
    text = CASES["shadowed rule"][0](MINI)
    path = write(tmp_path, text)
    code, out, _ = run("check", str(path))
    assert code == EXIT_PROBLEMS
    line = line_at(text, 'id = "question.two-inadequate"')
    assert f"{path}:{line}: error [shadowed] rule 'question.two-inadequate'" in out
    assert "1 rule file checked, 1 error, 0 warnings" in out


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("check", str(tmp_path / "nope.toml"))
    assert code == EXIT_INPUT and "no such file or folder" in err and "Traceback" not in out + err


def test_a_folder_without_rule_files_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path))
    assert code == EXIT_INPUT and "no rule files" in err


def test_an_unreadable_file_exits_2_after_reporting_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write(tmp_path, MINI)
    locked = tmp_path / "locked.toml"
    locked.write_text(MINI, encoding="utf-8")
    from peelcalc import tomlfile

    real = tomlfile._read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "locked.toml":
            raise PermissionError(13, "Permission denied")
        return real(path)

    # Tests run as root here, which reads any file: make the read itself fail.
    monkeypatch.setattr(tomlfile, "_read_bytes", refuse)
    code, report = check_json(locked, good)
    assert code == EXIT_INPUT
    assert report["files"][0]["problems"][0]["check"] == "unreadable"
    assert report["files"][1]["problems"] == []


def test_an_unknown_format_is_a_usage_error() -> None:
    code, _, err = run("check", "--format", "sarf")
    assert code == EXIT_INPUT and "did you mean 'sarif'" in err


def test_an_evidence_file_is_not_a_rule_file() -> None:
    code, report = check_json(ROOT / "examples" / "gloucestershire-2015.toml")
    assert code == EXIT_PROBLEMS
    assert "this is an evidence file" in report["files"][0]["problems"][0]["message"]


def test_test_command_in_json_gives_expected_and_got(tmp_path: Path) -> None:
    tests = replace_once(MINI_TESTS, 'expect = "good"', 'expect = "inadequate"')
    code, out, _ = run("test", str(write(tmp_path, MINI, tests)), "--format", "json")
    assert code == EXIT_PROBLEMS
    report = json.loads(out)
    outcomes = {t["id"]: t for t in report["files"][0]["tests"]}
    failed = outcomes["q1-all-good"]
    assert (failed["passed"], failed["expect"], failed["got"]) == (False, "inadequate", "good")
    assert failed["rule"] == "question.default"
    assert outcomes["one-weakness"]["passed"] is True
    # test does not verify: only the rule tests and the file's loading are reported
    assert report["files"][0]["verified"] is False


def test_test_command_says_when_a_ruleset_has_no_tests(tmp_path: Path) -> None:
    code, out, _ = run("test", str(write(tmp_path, MINI)))
    assert code == EXIT_OK
    assert "no rule tests" in out and "0 rule tests run" in out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_every_format_names_the_problem_and_its_line(fmt: str, tmp_path: Path) -> None:
    from peelcalc.render.checks import CHECK_FORMATS

    assert set(CHECK_FORMATS) == {"text", "json", "github", "sarif"}
    text = CASES["shadowed rule"][0](MINI)
    path = write(tmp_path, text)
    code, out, _ = run("check", str(path), "--format", fmt)
    assert code == EXIT_PROBLEMS
    line = str(line_at(text, 'id = "question.two-inadequate"'))
    assert "question.two-inadequate" in out and line in out and "mini.toml" in out
    assert "indicative" in out  # every output that can show a grade says what it is


def _shipped_2015_with_area_rule(tmp_path: Path, rule: str) -> tuple[Path, str]:
    """The shipped 2015 rules under another id, with one rule added first to the area scheme."""
    text = RULES_2015.read_text(encoding="utf-8")
    text = replace_once(text, 'id = "peel-2015-effectiveness"', 'id = "huge-bounds"')
    text = replace_once(text, "[[schemes.area.rules]]\n", rule + "\n[[schemes.area.rules]]\n")
    path = tmp_path / "huge-bounds.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_a_huge_bound_is_checked_around_the_bound_not_count_by_count(tmp_path: Path) -> None:
    """A bound of a billion findings (a slip of the keyboard, say) must not hang the gate.

    Every count up to the bound would be a billion inputs; the check examines the
    counts around each bound instead and says so, and still finds what a condition on
    one kind does at its bound: here, a billion strengths lower the area to inadequate.
    """
    rule = (
        '[[schemes.area.rules]]\nid = "area.too-many-strengths"\nreading = "r"\n'
        'grade = "inadequate"\nwhen = [{ kind = "strength", min = 1000000000 }]\nsource = "s"\n'
    )
    path, text = _shipped_2015_with_area_rule(tmp_path, rule)
    code, report = check_json(path)
    problems = report["files"][0]["problems"]
    [bounded] = [p for p in problems if p["check"] == "bounded" and "too large" in p["message"]]
    assert bounded["line"] == line_at(text, "[schemes.area]")
    assert "strength" in bounded["message"]
    monotone = [p for p in problems if p["check"] == "monotonicity"]
    assert monotone and code == EXIT_PROBLEMS
    before, after = monotone[0]["examples"]
    assert before["findings"].get("strength") == 999999999
    assert after["findings"].get("strength") == 1000000000


def test_other_files_in_a_folder_are_skipped_and_listed(tmp_path: Path) -> None:
    """Rules and evidence share repositories: 'check FOLDER' checks the rule files in it."""
    write(tmp_path, MINI, MINI_TESTS)
    evidence = tmp_path / "force.toml"
    evidence.write_text((ROOT / "examples" / "synthetic-2016.toml").read_text(encoding="utf-8"))
    mapping = tmp_path / "map.toml"
    mapping.write_text((ROOT / "examples" / "mapping-2015-2016.toml").read_text("utf-8"))
    code, report = check_json(tmp_path)
    assert code == EXIT_OK
    assert [f["path"] for f in report["files"]] == [str(tmp_path / "mini.toml")]
    assert report["skipped"] == [
        f"{evidence} is an evidence file, not a rule file; skipped",
        f"{mapping} is a ruleset mapping, not a rule file; skipped",
    ]
    code, out, _ = run("check", str(tmp_path))
    assert code == EXIT_OK
    assert f"{evidence} is an evidence file, not a rule file; skipped" in out
    assert "2 other files skipped" in out


def test_a_folder_of_other_files_only_is_a_usage_error(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text((ROOT / "examples" / "synthetic-2021.toml").read_text("utf-8"))
    code, out, err = run("check", str(tmp_path))
    assert (code, out) == (EXIT_INPUT, "")
    assert err.startswith(f"peelcalc: error: {tmp_path}: no rule files to check, only other")
    assert "(2 evidence files)" in err


def test_a_named_evidence_file_in_a_folder_run_is_still_an_error(tmp_path: Path) -> None:
    """Named on the command line, a file is checked as a rule file, as asked."""
    write(tmp_path, MINI)
    evidence = tmp_path / "force.toml"
    evidence.write_text((ROOT / "examples" / "synthetic-2016.toml").read_text(encoding="utf-8"))
    code, report = check_json(tmp_path, evidence)
    assert code == EXIT_PROBLEMS
    assert report["skipped"] == []
    (named,) = [f for f in report["files"] if f["path"] == str(evidence)]
    assert "this is an evidence file" in named["problems"][0]["message"]


@pytest.mark.parametrize(
    "stray", ['force = "Exampleshire"\n', '[awarded.q1]\ngrade = "good"\n', "[areas.a1]\n"]
)
def test_a_rule_file_with_a_stray_evidence_key_in_a_folder_is_checked(
    tmp_path: Path, stray: str
) -> None:
    """A file with schemes and finding kinds is a rule file, whatever else it holds: in
    a folder it is checked and its stray key reported, never skipped as evidence (found
    in review: 'check rules/' passed with a rule file that had gained an 'areas' table)."""
    write(tmp_path, stray + "\n" + MINI)
    code, report = check_json(tmp_path)
    assert code == EXIT_PROBLEMS
    assert report["skipped"] == []
    (checked,) = report["files"]
    assert checked["path"] == str(tmp_path / "mini.toml")
    assert checked["problems"]
