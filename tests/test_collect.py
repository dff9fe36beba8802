"""Loading for ``check`` reports every problem of a rule file; loading for ``grade`` stops at
the first. Each case edits the shipped ruleset, and the test finds the edited lines itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.errors import EXIT_INPUT, InputError
from peelcalc.loading import RULESET_WHAT, collect_ruleset, load_ruleset
from peelcalc.tomlfile import read_toml
from tests.conftest import EXAMPLE, RULES_2015
from tests.test_errors import line_of, replace_once

RULES = RULES_2015.read_text(encoding="utf-8")

# Three independent problems in three different places of the file.
EDITS = (
    ('label = "Good"', 'labl = "Good"'),
    ('{ kind = "weakness", min = 1 }', '{ kind = "weaknes", min = 1 }'),
    ('scheme = "question"', 'scheme = "questoin"'),
)


def broken(tmp_path: Path) -> tuple[Path, str]:
    text = RULES
    for old, new in EDITS:
        text = replace_once(text, old, new)
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_every_independent_problem_is_collected_with_its_line(tmp_path: Path) -> None:
    path, text = broken(tmp_path)
    ruleset, problems = collect_ruleset(read_toml(path, RULESET_WHAT))
    assert ruleset is None
    where = sorted((p.location.line, p.message) for p in problems if p.location)
    assert len(problems) == len(where)
    lines = [line for line, _ in where]
    # The unknown key "labl" is reported, and so is the grade's missing label (at its table).
    assert line_of(text, 'labl = "Good"') in lines
    assert line_of(text, "[[grades]]", occurrence=2) in lines
    assert line_of(text, '{ kind = "weaknes", min = 1 }') in lines
    assert line_of(text, 'scheme = "questoin"') in lines
    messages = " | ".join(message for _, message in where)
    assert "unknown key 'labl'" in messages
    assert "missing required key 'label'" in messages
    assert "unknown finding kind 'weaknes'" in messages
    assert "unknown scheme 'questoin'" in messages
    # No knock-on problem: the grade with a bad key is still known to the rules naming it.
    assert "unknown grade" not in messages


def test_grade_still_stops_at_the_first_problem(tmp_path: Path) -> None:
    path, text = broken(tmp_path)
    with pytest.raises(InputError) as raised:
        load_ruleset(path)
    assert raised.value.location is not None
    assert raised.value.location.line == line_of(text, 'labl = "Good"')


def test_a_clean_file_loads_the_same_either_way() -> None:
    ruleset, problems = collect_ruleset(read_toml(RULES_2015, RULESET_WHAT))
    assert problems == ()
    assert ruleset == load_ruleset(RULES_2015)


def test_a_scheme_without_default_that_has_a_gap_is_a_clear_error(tmp_path: Path) -> None:
    start = RULES.index("[schemes.question.default]")
    end = RULES.index("[schemes.overall]")
    text = RULES[:start] + RULES[end:]
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    # Gloucestershire Q2 has two of seven assessed areas requiring improvement: more than
    # 1/5 of 7 (1), fewer than 2/5 of 7 (3), so no question rule decides it.
    result = CliRunner().invoke(app, ["grade", str(EXAMPLE), "--rules", str(rules)])
    assert result.exit_code == EXIT_INPUT, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "scheme 'question' has no rule for" in result.stderr
    assert "cannot grade 'q2'" in result.stderr
    assert str(rules) in result.stderr and str(EXAMPLE) in result.stderr
    line = line_of(text, "[schemes.question]")
    assert f"{rules}:{line} (schemes.question)" in result.stderr
    assert "[schemes.question.default]" in result.stderr
