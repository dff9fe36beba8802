"""The command line: formats, outputs, and the smaller commands."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcalc import __version__
from peelcalc.actions import style_for
from peelcalc.cli import app, app_for
from peelcalc.engine import grade
from peelcalc.model import Evidence, Ruleset
from peelcalc.render import FORMATS, Style, render
from peelcalc.render.common import DISCLAIMER
from tests.conftest import EXAMPLE, RULES_2015


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert invoke("--version") == (0, f"peelcalc {__version__}\n", "")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_names_the_ruleset_and_is_indicative(
    fmt: str, ruleset: Ruleset, example: Evidence
) -> None:
    text = render(grade(ruleset, example), fmt, Style(width=200))  # type: ignore[arg-type]
    assert ruleset.id in text and ruleset.version in text
    assert ruleset.content_hash[:19] in text
    if fmt != "csv":
        assert "not judgments of the inspectorate" in text.replace("\n", " ")


def test_table_shows_every_node_with_its_grade(ruleset: Ruleset, example: Evidence) -> None:
    code, out, _ = invoke("grade", str(EXAMPLE))
    assert code == 0
    assert "Overall: Requires improvement" in out
    assert "Not assessed" in out  # q2-outcomes has indicators only
    assert "\x1b[" not in out  # no colour when not a terminal
    wide = render(grade(ruleset, example), "table", Style(width=250))
    for node in ruleset.root.walk():
        if node.level != "overall":
            assert node.id in wide


def test_json_shape(ruleset: Ruleset) -> None:
    code, out, _ = invoke("grade", str(EXAMPLE), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == 1
    assert doc["ruleset"] | {"path": None} == {
        "id": ruleset.id,
        "version": ruleset.version,
        "title": ruleset.title,
        "content_hash": ruleset.content_hash,
        "path": None,
        "grades": [{"id": g.id, "label": g.label} for g in ruleset.scale.grades],
    }
    overall = doc["overall"]
    assert set(overall) == {
        "id", "level", "title", "grade", "status", "derived", "rule", "limiters",
        "awarded", "carried", "findings", "indicators", "margin", "range", "children",
    }  # fmt: skip
    assert {n["carried"] for n in _walk(overall)} == {None}
    assert [q["grade"] for q in overall["children"]] == [
        "good", "requires-improvement", "requires-improvement", "requires-improvement",
    ]  # fmt: skip
    understanding = overall["children"][3]["children"][0]
    assert understanding["id"] == "q4-understanding"
    assert any(f["kind"] == "cause-of-concern" for f in understanding["findings"])


def test_csv_has_one_row_per_node(ruleset: Ruleset) -> None:
    code, out, _ = invoke("grade", str(EXAMPLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["node_id"] for r in rows] == list(ruleset.node_ids)
    assert rows[0]["grade"] == "requires-improvement" and rows[0]["parent_id"] == ""
    assert {r["ruleset_hash"] for r in rows} == {ruleset.content_hash}


def test_markdown_tables(ruleset: Ruleset) -> None:
    code, out, _ = invoke("grade", str(EXAMPLE), "--format", "markdown")
    assert code == 0
    assert out.startswith("# Gloucestershire Constabulary, 2015")
    assert "| q1: " in out and "| q4-national: " in out
    assert DISCLAIMER in out
    satisfaction = "| q2-victim-satisfaction | Victim satisfaction with whole experience |"
    assert f"{satisfaction} 81.7 percent | 83.8 percent (England and Wales) |" in out


def test_output_is_written_atomically_and_replaces_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "grades.json"
    target.write_text("old")
    code, out, err = invoke("grade", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["overall"]["grade"] == "requires-improvement"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.json"]  # no temp file left
    assert str(target) in err


def test_rules_option_with_another_version_warns(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_2015.read_text().replace('version = "1.0.0"', 'version = "1.1.0"', 1))
    code, out, err = invoke("grade", str(EXAMPLE), "--rules", str(rules), "-f", "json")
    assert code == 0
    assert "warning" in err and "1.1.0" in err
    assert json.loads(out)["ruleset"]["version"] == "1.1.0"


def test_rules_lists_the_shipped_rulesets(ruleset: Ruleset) -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert ruleset.id in out and ruleset.version in out and ruleset.title in out
    assert ruleset.content_hash[:19] in out


def test_init_skeleton_names_every_area_and_grades_as_not_assessed(
    ruleset: Ruleset, tmp_path: Path
) -> None:
    code, out, _ = invoke("init", ruleset.id)
    assert code == 0
    for node in ruleset.root.walk():
        if not node.children:
            assert f"[areas.{node.id}]" in out
    skeleton = tmp_path / "new.toml"
    skeleton.write_text(out)
    code, graded, _ = invoke("grade", str(skeleton), "-f", "json")
    assert code == 0
    statuses = {n["status"] for n in _walk(json.loads(graded)["overall"])}
    assert statuses == {"not-assessed"}


def test_init_from_a_rule_file_and_refusing_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "e.toml"
    assert invoke("init", str(RULES_2015), "-o", str(target))[0] == 0
    first = target.read_text()
    code, _, err = invoke("init", str(RULES_2015), "-o", str(target))
    assert code == 2 and "never overwrites" in err
    assert target.read_text() == first


def test_init_unknown_ruleset_suggests() -> None:
    code, _, err = invoke("init", "peel-2015-efectiveness")
    assert code == 2 and "did you mean 'peel-2015-effectiveness'" in err


def _walk(node: dict[str, object]) -> list[dict[str, object]]:
    children = node["children"]
    assert isinstance(children, list)
    return [node, *(n for child in children for n in _walk(child))]


@pytest.mark.parametrize(
    ("tty", "no_color", "output", "expected"),
    [
        (True, None, None, True),
        (True, "1", None, False),
        (False, None, None, False),
        (True, None, Path("x.txt"), False),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch,
    tty: bool,
    no_color: str | None,
    output: Path | None,
    expected: bool,
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: tty)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert style_for(output)[0] is expected


def test_colour_marks_grades(ruleset: Ruleset, example: Evidence) -> None:
    coloured = render(grade(ruleset, example), "table", Style(color=True, width=120))
    assert "\x1b[" in coloured


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (4, ["bright_green", "green", "yellow", "red"]),
        (5, ["bright_green", "green", "yellow", "dark_orange", "red"]),
        (2, ["bright_green", "red"]),
    ],
)
def test_each_grade_has_its_own_colour(levels: int, expected: list[str]) -> None:
    from peelcalc.model import Grade, GradeScale
    from peelcalc.render.table import grade_style

    scale = GradeScale(tuple(Grade(f"g{i}", f"G{i}", "", "") for i in range(levels)))
    assert [grade_style(scale, g).removeprefix("bold ") for g in scale.ids] == expected
    assert grade_style(scale, None) == "dim"


COMMAND_NAMES = ["grade", "explain", "batch", "diff", "rules", "init", "check", "test"]


def test_the_command_list_is_complete() -> None:
    """The start-up path below is tested over every command the app has."""
    names = {info.name or info.callback.__name__ for info in app.registered_commands}  # type: ignore[union-attr]
    assert names == set(COMMAND_NAMES)


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_the_app_for_one_command_has_that_commands_help(name: str) -> None:
    """Running only the command named changes nothing a user sees of it."""
    slim = app_for([name, "--help"])
    assert slim is not app
    full = CliRunner().invoke(app, [name, "--help"])
    alone = CliRunner().invoke(slim, [name, "--help"])
    assert (alone.exit_code, alone.stdout) == (full.exit_code, full.stdout)
    assert f" {name} [OPTIONS]" in alone.stdout


@pytest.mark.parametrize("argv", [[], ["--help"], ["--version"], ["gradee", "x.toml"]])
def test_anything_but_a_command_name_runs_the_full_app(argv: list[str]) -> None:
    assert app_for(argv) is app


def test_the_console_entry_point_gives_what_the_full_app_gives(tmp_path: Path) -> None:
    """``python -m peelcalc`` goes through :func:`app_for`; its output is the full app's."""
    command = [sys.executable, "-m", "peelcalc", "grade", str(EXAMPLE), "--format", "json"]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout == invoke("grade", str(EXAMPLE), "--format", "json")[1]
    typo = subprocess.run(
        [sys.executable, "-m", "peelcalc", "gradee", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert typo.returncode == 2 and "Did you mean 'grade'?" in typo.stderr


def test_typer_checks_no_path_itself() -> None:
    """peelcalc looks at each path when it uses it and says what is wrong in its own
    words; Typer's own checks (readable by default) would refuse a write-only --output
    and word an unreadable input differently from every other input error."""
    import typer as typer_module

    for name in COMMAND_NAMES:
        group = typer_module.main.get_command(app_for([name]))
        command = group.commands[name]  # type: ignore[attr-defined]
        for param in command.params:
            if isinstance(param.type, typer_module.models.TyperPath):
                assert not (param.type.exists or param.type.readable), (name, param.name)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_a_write_only_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "grades.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o200)
    code, _, err = invoke("grade", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert (code, err) == (0, f"peelcalc: wrote {target}\n")
    target.chmod(0o600)
    assert target.read_text(encoding="utf-8") == invoke("grade", str(EXAMPLE), "-f", "json")[1]
