"""Adversarial inputs found in review: each gives a clear, located error, never a traceback.

Every case here once ended in a traceback, a misleading message or a message
without its line; the test names what must hold instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.errors import EXIT_INPUT, EXIT_PROBLEMS
from tests.conftest import EXAMPLE, ROOT

RULES_2016 = ROOT / "rules" / "peel-2016-effectiveness.toml"
EXAMPLE_2016 = ROOT / "examples" / "synthetic-2016.toml"
MAPPING = ROOT / "examples" / "mapping-2015-2016.toml"

#: Longer than any file system allows for one name (255 bytes on Linux, macOS, Windows).
TOO_LONG = "x" * 5000 + ".toml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_error(args: list[str], code: int, *words: str) -> str:
    got, out, err = run(*args)
    assert got == code, (got, out, err)
    assert "Traceback" not in out + err
    assert err.startswith("peelcalc: error: "), err
    for word in words:
        assert word in err, (word, err)
    return err


# --------------------------------------------------------------- names too long


@pytest.mark.parametrize(
    "args",
    [
        ["grade", TOO_LONG],
        ["explain", TOO_LONG],
        ["grade", str(EXAMPLE), "--rules", TOO_LONG],
        ["init", TOO_LONG],
        ["check", TOO_LONG],
        ["test", TOO_LONG],
        ["batch", TOO_LONG],
        ["diff", TOO_LONG, str(EXAMPLE)],
        ["diff", str(EXAMPLE), str(EXAMPLE), "--mapping", TOO_LONG],
    ],
    ids=lambda args: " ".join("TOO_LONG" if a == TOO_LONG else Path(a).name for a in args),
)
def test_a_name_too_long_for_the_file_system_is_bad_input(args: list[str]) -> None:
    assert_error(args, EXIT_INPUT, "File name too long")


@pytest.mark.parametrize("command", ["grade", "explain", "diff", "batch"])
def test_output_to_a_name_too_long_is_refused(command: str, tmp_path: Path) -> None:
    args = [command, str(EXAMPLE)] + ([str(EXAMPLE)] if command == "diff" else [])
    assert_error([*args, "--output", str(tmp_path / TOO_LONG)], EXIT_INPUT, "File name too long")


def test_init_output_to_a_name_too_long_is_refused(tmp_path: Path) -> None:
    target = str(tmp_path / TOO_LONG)
    assert_error(
        ["init", "peel-2015-effectiveness", "--output", target], EXIT_INPUT, "File name too long"
    )


def test_batch_grades_the_others_when_one_name_is_too_long() -> None:
    code, out, err = run("batch", str(EXAMPLE), TOO_LONG, "--format", "json")
    assert code == EXIT_PROBLEMS, (code, err)
    assert "File name too long" in err and "Traceback" not in out + err
    assert '"graded": 1' in out


def _evidence_2016(tmp_path: Path, body: str, name: str = "evidence.toml") -> Path:
    path = tmp_path / name
    path.write_text(
        'force = "Exampleshire Police (synthetic)"\nperiod = "2018"\n'
        '[ruleset]\nid = "peel-2016-effectiveness"\nversion = "1.0.0"\n' + body,
        encoding="utf-8",
    )
    return path


def test_carried_from_a_name_too_long_is_reported_at_from(tmp_path: Path) -> None:
    evidence = _evidence_2016(tmp_path, f'[carried.q1]\nfrom = "{TOO_LONG}"\n')
    err = assert_error(["grade", str(evidence)], EXIT_INPUT, "File name too long")
    assert err.startswith(f"peelcalc: error: {evidence}:7 (carried.q1.from)"), err


def test_batch_goes_on_after_a_file_carrying_from_a_name_too_long(tmp_path: Path) -> None:
    _evidence_2016(tmp_path, f'[carried.q1]\nfrom = "{TOO_LONG}"\n')
    (tmp_path / "good.toml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("batch", str(tmp_path), "--format", "json")
    assert code == EXIT_PROBLEMS, (code, err)
    assert "File name too long" in err and '"graded": 1' in out


def test_carried_from_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "earlier").mkdir()
    evidence = _evidence_2016(tmp_path, '[carried.q1]\nfrom = "earlier"\n')
    err = assert_error(["grade", str(evidence)], EXIT_INPUT, "is a folder")
    assert "no such file" not in err
    assert err.startswith(f"peelcalc: error: {evidence}:7 (carried.q1.from)"), err


@pytest.mark.parametrize("command", ["check", "test"])
def test_a_tests_file_without_its_rule_file_says_so(command: str, tmp_path: Path) -> None:
    tests = tmp_path / "mine.tests.toml"
    tests.write_text((ROOT / "rules" / "peel-2016-effectiveness.tests.toml").read_text("utf-8"))
    err = assert_error([command, str(tests)], EXIT_INPUT, "rule-tests file", "mine.toml")
    assert err.startswith(f"peelcalc: error: {tests}:"), err


def test_an_unforeseen_system_error_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import peelcalc.workflow

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error", "evidence.toml")

    monkeypatch.setattr(peelcalc.workflow, "grade_file", refuse)
    assert_error(["grade", str(EXAMPLE)], EXIT_INPUT, "evidence.toml", "Input/output error")


# --------------------------------------------------------------- lines of dotted keys

HEAD_2016 = (
    'force = "F"\nperiod = "2018"\n[ruleset]\nid = "peel-2016-effectiveness"\nversion = "1.0.0"\n'
)
FINDING = '[{ kind = "strength", text = "t", citation = "c" }]'


@pytest.mark.parametrize(
    ("before", "line", "key_path"),
    [
        # A dotted key at the top level, before any table header.
        (
            f"areas.q1-prevnetion.findings = {FINDING}\n",
            "areas.q1-prevnetion",
            "areas.q1-prevnetion",
        ),
        # Dotted keys inside [areas]: each area on its own line, not at the header.
        (
            f"[areas]\nq1-prevention.findings = {FINDING}\nq1-threat.findings = {FINDING}\n",
            "q1-threat.findings",
            "areas.q1-threat",
        ),
        ('[awarded]\nq1.grade = "good"\n', "q1.grade", "awarded.q1"),
        ('[carried]\nq9.from = "earlier.toml"\n', "q9.from", "carried.q9"),
        # A quoted key with an escape names the area the file means.
        (
            f'areas."q1-pr\\u00e9vention".findings = {FINDING}\n',
            "q1-pr\\u00e9vention",
            "areas.q1-prévention",
        ),
    ],
    ids=["top-level dotted", "dotted in table", "awarded dotted", "carried dotted", "escaped"],
)
def test_errors_in_dotted_keys_name_their_own_line(
    before: str, line: str, key_path: str, tmp_path: Path
) -> None:
    text = before + HEAD_2016 if before.startswith("areas.") else HEAD_2016 + before
    path = tmp_path / "evidence.toml"
    path.write_text(text, encoding="utf-8")
    number = next(n for n, row in enumerate(text.splitlines(), 1) if line in row)
    err = assert_error(["grade", str(path)], EXIT_INPUT)
    assert err.startswith(f"peelcalc: error: {path}:{number} ({key_path})"), err


# --------------------------------------------------------------- the wrong kind of file

TESTS_2016 = ROOT / "rules" / "peel-2016-effectiveness.tests.toml"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["grade", str(EXAMPLE_2016), "--rules", str(TESTS_2016)], "a rule-tests file"),
        (["grade", str(EXAMPLE_2016), "--rules", str(MAPPING)], "a ruleset mapping"),
        (["init", str(TESTS_2016)], "a rule-tests file"),
        (["init", str(MAPPING)], "a ruleset mapping"),
        (["diff", str(EXAMPLE), str(EXAMPLE_2016), "--mapping", str(EXAMPLE)], "an evidence file"),
        (["diff", str(EXAMPLE), str(EXAMPLE_2016), "--mapping", str(RULES_2016)], "a rule file"),
        (["diff", str(EXAMPLE), str(EXAMPLE_2016), "--mapping", str(TESTS_2016)], "a rule-tests"),
    ],
    ids=[
        "tests as --rules",
        "mapping as --rules",
        "init tests",
        "init mapping",
        "evidence as mapping",
        "rules as mapping",
        "tests as mapping",
    ],
)
def test_a_file_of_another_kind_is_named_for_what_it_is(args: list[str], words: str) -> None:
    err = assert_error(args, EXIT_INPUT, f"this is {words}")
    assert "unknown key" not in err


def test_check_names_a_mapping_for_what_it_is() -> None:
    code, out, _ = run("check", str(MAPPING))
    assert code == EXIT_PROBLEMS
    assert "this is a ruleset mapping, not a rule file" in out
    assert "unknown key" not in out


# --------------------------------------------------------------- control characters

ESCAPE = "\x1b[2J"  # "clear the screen", as a terminal reads it


def test_control_characters_in_a_name_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.toml"
    evidence.write_text(
        HEAD_2016 + '[[areas."q1-pre\\u001b[2Jvention".findings]]\nkind = "strength"\n'
        'text = "t"\ncitation = "c"\n',
        encoding="utf-8",
    )
    err = assert_error(["grade", str(evidence)], EXIT_INPUT, "unknown area", "\\x1b[2J")
    assert "\x1b" not in err


def test_control_characters_in_a_rule_file_never_reach_check_output_raw(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    text = RULES_2016.read_text(encoding="utf-8")
    rules.write_text(text.replace('id = "q1"\n', 'id = "q\\u001b[2J1"\n', 1), encoding="utf-8")
    for fmt in ("text", "github"):
        code, out, _ = run("check", str(rules), "--format", fmt)
        assert code == EXIT_PROBLEMS
        assert "\\x1b[2J" in out and "\x1b" not in out, fmt


def test_control_characters_in_a_batch_failure_never_reach_the_terminal_raw(
    tmp_path: Path,
) -> None:
    _evidence_2016(tmp_path, '[awarded."q\\u001b[2J1"]\ngrade = "good"\nrationale = "r"\n')
    code, _, err = run("batch", str(tmp_path), "--format", "csv")
    assert code == EXIT_PROBLEMS
    assert "\\x1b[2J" in err and "\x1b" not in err


# --------------------------------------------------------------- found by tests/test_fuzz_cli.py


@pytest.mark.parametrize("value", ["[]", '["strength"]', "{}", "{ a = 1 }"])
def test_a_finding_kind_of_an_unhashable_type_is_bad_input(value: str, tmp_path: Path) -> None:
    evidence = _evidence_2016(
        tmp_path, f'[[areas.q1-prevention.findings]]\nkind = {value}\ntext = "t"\ncitation = "c"\n'
    )
    err = assert_error(["grade", str(evidence)], EXIT_INPUT, "'kind' must be a string")
    assert err.startswith(f"peelcalc: error: {evidence}:7 (areas.q1-prevention.findings[0].kind)")


# --------------------------------------------------------------- knock-on problems


def test_a_broken_area_does_not_make_its_question_childless(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    text = RULES_2016.read_text(encoding="utf-8")
    # The area scheme now counts children's grades: every area is in error ...
    rules.write_text(
        text.replace(
            'when = [{ kind = "weakness", min = 1 }]', 'when = [{ at = "good", min = 1 }]'
        ),
        encoding="utf-8",
    )
    code, out, _ = run("check", str(rules), "--format", "json")
    assert code == EXIT_PROBLEMS
    import json

    messages = [p["message"] for f in json.loads(out)["files"] for p in f["problems"]]
    assert any("but 'q1-prevention' has no children" in m for m in messages), messages
    # ... and no question is said to have no children, nor the overall grade.
    assert not any(f"but '{q}' has no children" in m for m in messages for q in ("q1", "q2")), (
        messages
    )
    assert not any("every node below it is ungraded" in m for m in messages), messages


# --------------------------------------------------------------- the app for one command


@pytest.mark.parametrize("name", ["grade", "check", "batch"])
def test_the_app_for_one_command_keeps_the_apps_settings(name: str) -> None:
    """An unforeseen exception must look the same whichever app runs: no rich
    traceback (with its source excerpts) from the one-command app only."""
    from peelcalc.cli import app_for

    slim = app_for([name, "x"])
    assert slim is not app
    for setting in (
        "pretty_exceptions_enable",
        "pretty_exceptions_show_locals",
        "pretty_exceptions_short",
        "_add_completion",
        "suggest_commands",
    ):
        assert getattr(slim, setting) == getattr(app, setting), setting


# --------------------------------------------------------------- never over a file carried from


@pytest.mark.parametrize("command", ["grade", "explain", "batch", "diff"])
def test_output_never_overwrites_a_file_grades_are_carried_from(
    command: str, tmp_path: Path
) -> None:
    for name in ("synthetic-2021.toml", "synthetic-2023.toml"):
        (tmp_path / name).write_text((ROOT / "examples" / name).read_text("utf-8"), "utf-8")
    earlier = tmp_path / "synthetic-2021.toml"
    later = str(tmp_path / "synthetic-2023.toml")
    before = earlier.read_bytes()
    args = [command, later] + ([later] if command == "diff" else [])
    assert_error([*args, "--output", str(earlier)], EXIT_INPUT, "refusing to write over")
    assert earlier.read_bytes() == before


# --------------------------------------------------------------- very deep nesting


@pytest.mark.parametrize("command", ["grade", "explain", "check", "init", "batch"])
@pytest.mark.parametrize("nesting", ["[", "{ a = "])
def test_a_file_nested_too_deeply_to_parse_is_bad_input(
    command: str, nesting: str, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.toml"
    close = "]" if nesting == "[" else "}"
    deep.write_text("x = " + nesting * 5000 + "1" * (nesting != "[") + close * 5000 + "\n")
    code = EXIT_PROBLEMS if command in ("check", "batch") else EXIT_INPUT
    got, out, err = run(command, str(deep))
    assert got == code, (got, out, err)
    assert "nested too deeply" in out + err and "Traceback" not in out + err


@pytest.mark.parametrize("command", ["grade", "check", "batch"])
def test_a_file_nested_just_deeply_enough_to_parse_is_bad_input(
    command: str, tmp_path: Path
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    deep = tmp_path / "deep.toml"
    deep.write_text(
        text.replace("\n[ruleset]", "\nx = " + "[" * 450 + "]" * 450 + "\n[ruleset]", 1)
    )
    got, out, err = run(command, str(deep))
    assert got in (EXIT_PROBLEMS, EXIT_INPUT), (got, out, err)
    assert "Traceback" not in out + err


# --------------------------------------------------------------- a scheme with a gap


def _gap_rules(tmp_path: Path) -> Path:
    """The 2016 rules with the question scheme's default taken out: a gap for some inputs."""
    text = RULES_2016.read_text(encoding="utf-8")
    start, end = text.index("[schemes.question.default]"), text.index("[schemes.overall]")
    rules = tmp_path / "gap.toml"
    rules.write_text(text[:start] + text[end:], encoding="utf-8")
    return rules


def test_explain_target_under_a_scheme_with_a_gap_lists_only_sets_that_grade(
    tmp_path: Path,
) -> None:
    """The example itself grades (so explain runs); some changes would land in the gap.
    Those cannot give the target, so they are never offered, and explain does not fail."""
    import json

    from peelcalc.whatif import Change, regrade
    from peelcalc.workflow import grade_file

    rules = _gap_rules(tmp_path)
    args = ["explain", str(EXAMPLE_2016), "q3", "--rules", str(rules), "--target", "good"]
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    assert "cannot grade" not in err
    graded = grade_file(EXAMPLE_2016, rules).result
    whatif = json.loads(out)["whatif"]
    for listed in whatif["sets"]:
        changes = [
            Change(c["action"], c["node"], c["count"], c["kind"], c["grade"])
            for c in listed["changes"]
        ]
        assert regrade(graded, changes).find("q3").grade == "good"


# --------------------------------------------------------------- names and pipes


def test_output_for_an_evidence_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """A POSIX file name may hold any bytes; Python keeps a stray byte as a surrogate,
    which UTF-8 cannot encode. The output file is still written, as UTF-8."""
    odd = tmp_path / "force\udcff.toml"
    try:
        odd.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes only Unicode names")
    target = tmp_path / "out.json"
    for command in ("grade", "explain", "batch"):
        code, _, err = run(command, str(odd), "--format", "json", "--output", str(target))
        assert code == 0, (command, err)
        assert '"path"' in target.read_bytes().decode("utf-8")
        target.unlink()


def test_a_reader_that_stops_reading_is_not_an_error() -> None:
    """'peelcalc ... | head -1': the pipe closes early; no traceback, no error message."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "peelcalc", "grade", str(EXAMPLE), "--format", "json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before peelcalc writes anything
    err = process.stderr.read().decode("utf-8", errors="replace")
    code = process.wait(timeout=60)
    process.stderr.close()
    assert "Traceback" not in err and "error" not in err, err
    # Ended by SIGPIPE, as 'yes | head' ends yes: never a claim of success.
    assert code != 0


# --------------------------------------------------------------- very large bounds


def test_explain_target_with_a_very_large_count_bound_finishes(tmp_path: Path) -> None:
    """A bound of a billion findings (a typo for 1) made the search list every count up
    to it, a billion values per area. It examines only counts within its budget of changes."""
    import subprocess
    import sys

    rules = tmp_path / "rules.toml"
    text = RULES_2016.read_text(encoding="utf-8")
    old = 'when = [{ kind = "weakness", min = 1 }]'
    rules.write_text(text.replace(old, old.replace("1 }", "1000000000 }")), encoding="utf-8")
    command = [sys.executable, "-m", "peelcalc", "explain", str(EXAMPLE_2016)]
    command += ["--rules", str(rules), "--target", "outstanding", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert '"whatif"' in done.stdout


@pytest.mark.parametrize("command", ["grade", "explain", "batch", "diff"])
def test_control_characters_in_findings_never_reach_markdown_raw(
    command: str, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence.toml"
    evidence.write_text(
        'force = "F\\u001b[2J"\nperiod = "2018"\n[ruleset]\nid = "peel-2016-effectiveness"\n'
        'version = "1.0.0"\n[[areas.q1-prevention.findings]]\nkind = "strength"\n'
        'text = "seen\\u001b[2J"\ncitation = "c\\u0007"\n',
        encoding="utf-8",
    )
    args = [command, str(evidence)] + ([str(evidence)] if command == "diff" else [])
    if command == "explain":
        args.append("q1-prevention")
    code, out, err = run(*args, "--format", "markdown")
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in out  # shown, as an escape (Markdown may escape the "[" after it)


# --------------------------------------------------------------- output to a device or a pipe


def test_output_to_a_named_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    """'--output /dev/null' or a named pipe: the write goes into it. Writing a temporary
    file and renaming it over the target would replace the device or pipe with a plain
    file (run as root, 'peelcalc grade E -o /dev/null' replaced /dev/null itself)."""
    import os
    import stat
    import threading

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run("grade", str(EXAMPLE), "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and b'"schema": 1' in received[0]
    assert not [p for p in tmp_path.iterdir() if p.name != "pipe"]  # no temporary left


# --------------------------------------------------------------- did you mean, whatever the case


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (["grade", str(EXAMPLE), "--format", "JSON"], "json"),
        (["explain", str(EXAMPLE), "--format", "MD"], ""),
        (["batch", str(EXAMPLE), "--format", "CSV"], "csv"),
        (["check", "--format", "SARIF"], "sarif"),
    ],
)
def test_a_format_in_the_wrong_case_suggests_the_right_one(args: list[str], meant: str) -> None:
    err = assert_error(args, EXIT_INPUT, "unknown format")
    if meant:
        assert f"did you mean '{meant}'?" in err, err
