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
