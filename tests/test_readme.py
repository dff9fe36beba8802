"""The README says what the command line does: every command and option is documented,
and every command it shows runs."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from peelcalc.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, Any]:
    """The commands as the command-line parser sees them (Typer's click commands)."""
    group: Any = typer.main.get_command(app)
    return dict(group.commands)


def section(title: str) -> str:
    """The text of the README section headed ``title``, up to the next heading of any level."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n#", start + len(title) + 4)
    return README[start : end if end != -1 else len(README)]


def test_the_commands_table_lists_every_command_and_no_other() -> None:
    table = section("Commands")
    listed = set(re.findall(r"^\| `peelcalc ([a-z]+)", table, re.MULTILINE))
    assert listed == set(commands()), listed
    assert "| `peelcalc --version` |" in table


def test_every_option_of_every_command_is_documented() -> None:
    missing = [
        f"{name} {opt}"
        for name, command in commands().items()
        for param in command.params
        if param.param_type_name == "option"
        for opt in param.opts
        if opt.startswith("--") and opt != "--help" and f"`{opt}" not in README
    ]
    assert not missing, missing


def shown_commands() -> list[str]:
    """Each ``peelcalc ...`` line of the README's ``sh`` blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith("peelcalc ")
    ]


@pytest.mark.parametrize("line", shown_commands())
def test_every_command_the_readme_shows_runs(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = shlex.split(line)[1:]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (line, result.stderr)
    if args[0] in ("grade", "explain", "batch", "diff"):
        text = " ".join(result.stdout.split())
        assert "not judgments of the inspectorate" in text or "indicative" in text, line


def toml_block(after: str) -> str:
    """The first ``toml`` block of the README after the line starting with ``after``."""
    start = README.index(after)
    body = README.index("```toml\n", start) + len("```toml\n")
    return README[body : README.index("```", body)]


def test_the_evidence_file_example_grades(tmp_path: Path) -> None:
    """The example in "Evidence files" is a whole evidence file, award and indicator included."""
    path = tmp_path / "evidence.toml"
    path.write_text(toml_block("## Evidence files"), encoding="utf-8")
    code, out, err = invoke("grade", str(path), "--format", "json")
    assert code == 0, err
    q3 = next(n for n in json.loads(out)["overall"]["children"] if n["id"] == "q3")
    assert q3["status"] == "awarded" and q3["grade"] == "requires-improvement"


def test_the_mapping_file_example_maps_2015_onto_2016(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text(toml_block("### Mapping file"), encoding="utf-8")
    old, new = (
        ROOT / "examples" / "gloucestershire-2015.toml",
        ROOT / "examples" / "synthetic-2016.toml",
    )
    code, out, err = invoke("diff", str(old), str(new), "--mapping", str(path), "--format", "json")
    assert code == 0, err
    nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
    assert nodes["q4-understanding"]["old"] is not None and nodes["q4-understanding"]["new"]
    assert nodes["q4-national"]["new"] is None


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_grade_csv_columns_are_those_documented() -> None:
    heading = README.index("`peelcalc grade EVIDENCE --format csv`")
    start = README.index("with the columns", heading)
    text = README[start : README.index("\n\n", start)]
    # The column lists are the code spans that hold commas: "`a, b, c`".
    spans = re.findall(r"`([^`]*)`", text)
    documented = [name.strip() for span in spans if "," in span for name in span.split(",")]
    code, out, _ = invoke(
        "grade", str(ROOT / "examples" / "gloucestershire-2015.toml"), "-f", "csv"
    )
    assert code == 0
    assert out.splitlines()[0].split(",") == documented
