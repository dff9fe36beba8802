"""Mutated shipped files through the commands: never a traceback, always a documented exit.

Each example takes a shipped example or rule file, makes one hand-editing mistake
in it (a line deleted or duplicated, a value of another type, a key renamed) and
runs a command on it. Whatever the mistake, the command must end with a documented
exit code, and bad input must be one message on stderr that names the file.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from peelcalc.cli import app
from peelcalc.loading import load_ruleset
from peelcalc.registry import shipped_dir
from tests.conftest import ROOT
from tests.strategies import mutated_toml

EXAMPLES = {
    path.name: path
    for path in sorted((ROOT / "examples").glob("*.toml"))
    if not path.name.startswith("mapping")
}
RULESETS = {
    "gloucestershire-2015.toml": "peel-2015-effectiveness",
    "synthetic-2016.toml": "peel-2016-effectiveness",
    "synthetic-2021.toml": "peel-2021-assessment",
    "synthetic-2023.toml": "peel-2021-assessment",
}
RULE_FILES = sorted(p for p in shipped_dir().glob("*.toml") if not p.name.endswith(".tests.toml"))
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_survived(result: Result, path: Path, codes: tuple[int, ...]) -> None:
    """No exception escaped; a documented exit code; bad input named with its file."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception,
        result.stderr,
    )
    assert result.exit_code in codes, (result.exit_code, result.stdout, result.stderr)
    if result.exit_code == 2:
        assert result.stderr.startswith("peelcalc: error: "), result.stderr
        assert str(path) in result.stderr, result.stderr


def _mutated_example(data: st.DataObject, folder: Path) -> tuple[str, Path]:
    """A copy of every example in ``folder`` (earlier files carried from are there), one mutated."""
    for path in EXAMPLES.values():
        shutil.copy(path, folder / path.name)
    name = data.draw(st.sampled_from(sorted(RULESETS)), label="example")
    text = data.draw(mutated_toml(EXAMPLES[name].read_text(encoding="utf-8")), label="text")
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return name, target


@FUZZ
@given(data=st.data())
def test_grade_survives_a_mutated_example(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _, path = _mutated_example(data, Path(tmp))
        fmt = data.draw(st.sampled_from(("table", "json", "markdown", "csv")), label="format")
        result = CliRunner().invoke(app, ["grade", str(path), "--format", fmt])
        assert_survived(result, path, (0, 2))


@FUZZ
@given(data=st.data())
def test_explain_survives_a_mutated_example(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        name, path = _mutated_example(data, Path(tmp))
        ruleset = load_ruleset(shipped_dir() / f"{RULESETS[name]}.toml")
        args = ["explain", str(path), data.draw(st.sampled_from(ruleset.node_ids), label="node")]
        target = data.draw(st.none() | st.sampled_from(ruleset.scale.ids), label="target")
        if target is not None:
            args += ["--target", target]
        args += ["--format", data.draw(st.sampled_from(("table", "json", "markdown")))]
        assert_survived(CliRunner().invoke(app, args), path, (0, 2))


@FUZZ
@given(data=st.data())
def test_check_survives_a_mutated_rule_or_tests_file(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rules = data.draw(st.sampled_from(RULE_FILES), label="rule file")
        tests = rules.with_name(rules.stem + ".tests.toml")
        copies = {p: Path(tmp) / p.name for p in (rules, tests)}
        for source, copy in copies.items():
            shutil.copy(source, copy)
        mutated = data.draw(st.sampled_from(sorted(copies)), label="mutated")
        text = data.draw(mutated_toml(mutated.read_text(encoding="utf-8")), label="text")
        copies[mutated].write_text(text, encoding="utf-8")
        fmt = data.draw(st.sampled_from(("text", "json", "github", "sarif")), label="format")
        result = CliRunner().invoke(app, ["check", str(copies[rules]), "--format", fmt])
        assert_survived(result, copies[mutated], (0, 1, 2))
