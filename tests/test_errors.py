"""Every kind of bad input gives one clear message, its location, and exit code 2.

Each case edits a copy of the shipped example (or ruleset) in one place, and the
test finds the line of that edit itself, so the expected line is never copied by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peelcalc.cli import app
from peelcalc.errors import EXIT_INPUT
from tests.conftest import EXAMPLE, ROOT, RULES_2015

TEXT = EXAMPLE.read_text(encoding="utf-8")
RULES = RULES_2015.read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_input_error(args: list[str], *expected: str) -> str:
    code, out, err = run(*args)
    assert code == EXIT_INPUT, (code, out, err)
    assert "Traceback" not in out + err
    assert err.startswith("peelcalc: error: ")
    for part in expected:
        assert part in err, (part, err)
    return err


def reported_line(err: str, path: Path) -> int | None:
    """The line number the message gives right after the file name, if any."""
    found = re.match(rf"peelcalc: error: {re.escape(str(path))}:(\d+)", err)
    return int(found.group(1)) if found else None


# Each case: name -> (edit of the example text, the text whose line the error names,
#                     key path, words of the message and hint)
Edit = Callable[[str], str]
EVIDENCE_CASES: dict[str, tuple[Edit, str, str, tuple[str, ...]]] = {
    "toml syntax": (
        lambda t: replace_once(t, 'period = "2015"', "period = "),
        "period = ",
        "",
        ("is not valid TOML",),
    ),
    "unknown ruleset": (
        lambda t: replace_once(
            t, 'id = "peel-2015-effectiveness"', 'id = "peel-2015-efectiveness"'
        ),
        'id = "peel-2015-efectiveness"',
        "ruleset.id",
        ("unknown ruleset 'peel-2015-efectiveness'", "did you mean 'peel-2015-effectiveness'"),
    ),
    "unshipped version": (
        lambda t: replace_once(t, 'version = "1.0.0"', 'version = "9.9"'),
        'version = "9.9"',
        "ruleset.version",
        ("version '9.9' is not shipped", "1.0.0"),
    ),
    "unknown area": (
        lambda t: t.replace("areas.q1-tactics", "areas.q1-tactic"),
        "[areas.q1-tactic]",
        "areas.q1-tactic",
        ("unknown area 'q1-tactic'", "did you mean 'q1-tactics'"),
    ),
    "question given as an area": (
        lambda t: t.replace("areas.q1-tactics", "areas.q1"),
        "[areas.q1]",
        "areas.q1",
        ("'q1' is a question, not an area", "q1-tactics"),
    ),
    "unknown finding kind": (
        lambda t: replace_once(t, 'kind = "area-for-improvement"', 'kind = "area-for-improvment"'),
        'kind = "area-for-improvment"',
        ".kind",
        ("unknown finding kind 'area-for-improvment'", "did you mean 'area-for-improvement'"),
    ),
    # TOML 1.1 (read by tomli 2.4 and later): an inline table spanning lines, with a
    # comment and a trailing comma. Locating the problem in it once looped for ever.
    "unknown finding kind in an inline table spanning lines": (
        lambda t: replace_once(
            t,
            "[areas.q2-outcomes]\n",
            "[areas.q2-outcomes]\nfindings = [\n  {  # one finding\n"
            '    kind = "strenght",\n    text = "t",\n    citation = "c",\n  },\n]\n',
        ),
        'kind = "strenght"',
        "areas.q2-outcomes.findings[0].kind",
        ("unknown finding kind 'strenght'", "did you mean 'strength'"),
    ),
    "unknown key": (
        lambda t: replace_once(t, "citation = ", "citaton = "),
        "citaton = ",
        ".citaton",
        ("unknown key 'citaton'", "did you mean 'citation'"),
    ),
    "wrong type": (
        lambda t: replace_once(t, "value = 48.6", 'value = "48.6"'),
        'value = "48.6"',
        "areas.q1-prioritising.indicators[0].value",
        ("'value' must be a number, not a string",),
    ),
    "missing required field": (
        lambda t: replace_once(t, 'force = "Gloucestershire Constabulary"\n', ""),
        "",
        "force",
        ("missing required key 'force'",),
    ),
    "empty text": (
        lambda t: replace_once(t, 'period = "2015"', 'period = "  "'),
        'period = "  "',
        "period",
        ("'period' must not be empty",),
    ),
    "awarded grade without rationale": (
        lambda t: t + '\n[awarded.q3]\ngrade = "good"\n',
        "[awarded.q3]",
        "awarded.q3",
        ("needs a 'rationale'",),
    ),
    "unknown awarded grade": (
        lambda t: t + '\n[awarded.q3]\ngrade = "requires-improvment"\nrationale = "r"\n',
        'grade = "requires-improvment"',
        "awarded.q3.grade",
        ("unknown grade 'requires-improvment'", "did you mean 'requires-improvement'"),
    ),
    "unknown awarded node": (
        lambda t: t + '\n[awarded.q5]\ngrade = "good"\nrationale = "r"\n',
        "[awarded.q5]",
        "awarded.q5",
        ("unknown node 'q5'",),
    ),
    "not a finite number": (
        lambda t: replace_once(t, "value = 48.6", "value = nan"),
        "value = nan",
        "areas.q1-prioritising.indicators[0].value",
        ("must be a finite number",),
    ),
    "unknown area given a non-table": (
        lambda t: t + '\n[areas]\nq1-tactcs = "x"\n',
        'q1-tactcs = "x"',
        "areas.q1-tactcs",
        ("unknown area 'q1-tactcs'", "did you mean 'q1-tactics'"),
    ),
    "overall given as an area": (
        lambda t: t + "\n[areas.overall]\n",
        "[areas.overall]",
        "areas.overall",
        ("'overall' is the overall judgment, not an area", "q1-prioritising"),
    ),
    "a rule file given as evidence": (
        lambda t: RULES,
        "",
        "",
        ("this is a rule file, not an evidence file", "--rules"),
    ),
    "a rule-tests file given as evidence": (
        lambda t: RULES_2015.with_name("peel-2015-effectiveness.tests.toml").read_text("utf-8"),
        "",
        "",
        ("this is a rule-tests file, not an evidence file", "peelcalc test"),
    ),
    "a ruleset mapping given as evidence": (
        lambda t: (ROOT / "examples" / "mapping-2015-2016.toml").read_text("utf-8"),
        "",
        "",
        ("this is a ruleset mapping, not an evidence file", "--mapping"),
    ),
    "duplicate area table": (
        lambda t: t + "\n[areas.q1-tactics]\n",
        "__last__",
        "",
        ("is not valid TOML", "q1-tactics"),
    ),
}


@pytest.mark.parametrize("case", sorted(EVIDENCE_CASES))
def test_bad_evidence_is_reported_with_file_key_and_line(case: str, tmp_path: Path) -> None:
    edit, needle, key_path, words = EVIDENCE_CASES[case]
    text = edit(TEXT)
    path = tmp_path / "evidence.toml"
    path.write_text(text, encoding="utf-8")
    if needle == "__last__":
        line = len(text.splitlines())
    elif needle:
        line = line_of(text, needle)
    else:
        line = None
    err = assert_input_error(["grade", str(path)], str(path), *words)
    assert reported_line(err, path) == line
    if key_path:
        assert f"({key_path}" in err or key_path in err
    assert path.read_text(encoding="utf-8") == text  # nothing overwritten


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("is empty",)),
        (b"  \n\n", ("is empty",)),
        (b'force = "caf\xe9"\n', (":1:13", "is not UTF-8", "byte 0xe9", "save the file as UTF-8")),
        (b"\xff\xfe\x00", (":1:1", "is not UTF-8")),
    ],
    ids=["empty", "blank", "latin-1", "utf-16"],
)
def test_unreadable_evidence_bytes(content: bytes, words: tuple[str, ...], tmp_path: Path) -> None:
    path = tmp_path / "evidence.toml"
    path.write_bytes(content)
    assert_input_error(["grade", str(path)], str(path), *words)


def test_a_folder_is_not_an_evidence_file(tmp_path: Path) -> None:
    assert_input_error(["grade", str(tmp_path)], str(tmp_path), "is a folder")


def test_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert_input_error(["grade", str(missing)], str(missing), "no such file")


def test_a_file_too_large_to_be_evidence_is_not_read(tmp_path: Path) -> None:
    """A sparse file of 65 MiB: refused by its size, before any of it is read."""
    path = tmp_path / "huge.toml"
    with path.open("wb") as stream:
        stream.truncate(65 * 2**20)
    assert_input_error(["grade", str(path)], str(path), "is larger than 64 MiB")
    assert_input_error(["grade", str(EXAMPLE), "--rules", str(path)], "is larger than 64 MiB")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_up_to_the_limit() -> None:
    """'peelcalc grade /dev/zero' used to read forever."""
    assert_input_error(["grade", "/dev/zero"], "/dev/zero", "is larger than 64 MiB")


def test_evidence_from_a_pipe_is_read(tmp_path: Path) -> None:
    """A device or pipe reports no size; it is read to its end (below the limit)."""
    import subprocess
    import sys

    with EXAMPLE.open("rb") as stream:
        run_ = subprocess.run(
            [sys.executable, "-m", "peelcalc", "grade", "/dev/stdin", "--format", "json"],
            stdin=stream,
            capture_output=True,
            check=False,
        )
    code, out, _ = run("grade", str(EXAMPLE), "--format", "json")
    assert run_.returncode == code == 0, run_.stderr
    assert run_.stdout.decode("utf-8").replace("/dev/stdin", str(EXAMPLE)) == out


def test_unknown_format_suggests_the_closest() -> None:
    assert_input_error(["grade", str(EXAMPLE), "--format", "jsn"], "unknown format 'jsn'", "'json'")


# Rule files given with --rules are checked as strictly as evidence.
RULE_CASES: dict[str, tuple[Edit, str, tuple[str, ...]]] = {
    "duplicate node id": (
        lambda t: replace_once(t, 'id = "q1-resources"', 'id = "q1-prioritising"'),
        'id = "q1-prioritising"',
        ("duplicate node id 'q1-prioritising'", "first defined at line"),
    ),
    "duplicate rule id": (
        lambda t: replace_once(t, 'id = "area.good"', 'id = "area.weakness"'),
        'id = "area.weakness"',
        ("duplicate rule id 'area.weakness'",),
    ),
    "unknown grade in a condition": (
        lambda t: replace_once(
            t, '{ at = "inadequate", min_share = "1/2" }', '{ at = "inadequte", min_share = "1/2" }'
        ),
        '{ at = "inadequte", min_share = "1/2" }',
        ("unknown grade 'inadequte'", "did you mean 'inadequate'"),
    ),
    "unknown scheme": (
        lambda t: replace_once(t, 'scheme = "question"', 'scheme = "questions"'),
        'scheme = "questions"',
        ("unknown scheme 'questions'", "did you mean 'question'"),
    ),
    "condition without bounds": (
        lambda t: replace_once(t, '{ kind = "weakness", min = 1 }', '{ kind = "weakness" }'),
        '{ kind = "weakness" }',
        ("needs at least one of min, max",),
    ),
    "bad share": (
        lambda t: replace_once(t, 'min_share = "2/5"', 'min_share = "two fifths"'),
        'min_share = "two fifths"',
        ("must be a fraction",),
    ),
    "share on a finding count": (
        lambda t: replace_once(
            t, '{ kind = "weakness", min = 1 }', '{ kind = "weakness", min_share = "1/5" }'
        ),
        '{ kind = "weakness", min_share = "1/5" }',
        ("'min_share' of findings needs 'of'", "the finding kinds that make the whole"),
    ),
    "share of findings whose whole leaves out the part": (
        lambda t: replace_once(
            t,
            '{ kind = "weakness", min = 1 }',
            '{ kind = "weakness", min_share = "1/5", of = ["strength"] }',
        ),
        'of = ["strength"] }',
        ("'of' must include every kind counted; it leaves out weakness",),
    ),
    "whole of findings without a share": (
        lambda t: replace_once(
            t, '{ kind = "weakness", min = 1 }', '{ kind = "weakness", min = 1, of = ["weakness"] }'
        ),
        'of = ["weakness"] }',
        ("'of' is the whole for min_share or max_share",),
    ),
    "whole given for children": (
        lambda t: replace_once(
            t,
            '{ at = "inadequate", min_share = "2/5" }',
            '{ at = "inadequate", min_share = "2/5", of = ["weakness"] }',
        ),
        'of = ["weakness"] }',
        ("'of' belongs to a condition on findings",),
    ),
    "unknown kind in a whole": (
        lambda t: replace_once(
            t,
            '{ kind = "weakness", min = 1 }',
            '{ kind = "weakness", max_share = "1/5", of = ["weakness", "strenght"] }',
        ),
        'of = ["weakness", "strenght"] }',
        ("unknown finding kind 'strenght'", "did you mean 'strength'"),
    ),
    "finding kind named twice": (
        lambda t: replace_once(
            t, '{ kind = "weakness", min = 1 }', '{ kind = ["weakness", "weakness"], min = 1 }'
        ),
        '{ kind = ["weakness", "weakness"], min = 1 }',
        ("names a finding kind twice",),
    ),
    "min_share above max_share": (
        lambda t: replace_once(
            t,
            '{ at = "inadequate", min_share = "2/5" }',
            '{ at = "inadequate", min_share = "2/5", max_share = "1/5" }',
        ),
        'max_share = "1/5" }',
        ("min_share (2/5) is greater than max_share (1/5)",),
    ),
    "unknown key on an area": (
        lambda t: replace_once(t, 'title = "Gathering digital evidence"', 'titel = "x"'),
        'titel = "x"',
        ("unknown key 'titel'", "did you mean 'title'"),
    ),
    "node id that is not a TOML key": (
        lambda t: replace_once(t, 'id = "q1-tactics"', 'id = "q1.tactics"'),
        'id = "q1.tactics"',
        ("must use only letters, digits",),
    ),
    "an evidence file given as rules": (
        lambda t: TEXT,
        "",
        ("this is an evidence file, not a rule file",),
    ),
    "child terms on an area": (
        lambda t: replace_once(t, '{ kind = "weakness", min = 1 }', '{ at = "good", min = 1 }'),
        "[[questions.areas]]",
        ("counts children's grades", "has no children"),
    ),
}


@pytest.mark.parametrize("case", sorted(RULE_CASES))
def test_bad_rule_file_is_reported_with_file_and_line(case: str, tmp_path: Path) -> None:
    edit, needle, words = RULE_CASES[case]
    text = edit(RULES)
    rules = tmp_path / "rules.toml"
    rules.write_text(text, encoding="utf-8")
    err = assert_input_error(["grade", str(EXAMPLE), "--rules", str(rules)], str(rules), *words)
    line = reported_line(err, rules)
    if not needle:
        assert line is None
    elif case == "child terms on an area":
        assert line is not None and text.splitlines()[line - 1].startswith("scheme = ")
    else:
        assert line is not None
        assert needle in text.splitlines()[line - 1]


def test_rules_for_another_ruleset_are_refused(tmp_path: Path) -> None:
    rules = tmp_path / "other.toml"
    rules.write_text(replace_once(RULES, 'id = "peel-2015-effectiveness"', 'id = "other"'))
    assert_input_error(
        ["grade", str(EXAMPLE), "--rules", str(rules)], "is for ruleset 'peel-2015-effectiveness'"
    )


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.toml"
    evidence.write_text(TEXT, encoding="utf-8")
    code, _, err = run("grade", str(evidence), "--output", str(evidence))
    assert code == EXIT_INPUT and "refusing to write over an input file" in err
    assert evidence.read_text(encoding="utf-8") == TEXT


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.json"
    code, _, err = run("grade", str(EXAMPLE), "--output", str(target))
    assert code == EXIT_INPUT and "does not exist" in err
    assert not target.exists()


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "evidence.toml"
    path.write_text(TEXT)

    def refuse(file: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    # Tests run as root here, which reads any file: make the read itself fail.
    monkeypatch.setattr("peelcalc.tomlfile._read_bytes", refuse)
    assert_input_error(["grade", str(path)], str(path), "cannot read: Permission denied")


def test_init_with_a_folder(tmp_path: Path) -> None:
    assert_input_error(["init", str(tmp_path)], str(tmp_path), "is a folder")


def test_output_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file.json"
    blocker.write_text("keep")
    code, _, err = run("grade", str(EXAMPLE), "--output", str(blocker / "out.json"))
    assert code == EXIT_INPUT and "is a file, not a folder" in err
    assert blocker.read_text() == "keep"


def test_output_never_overwrites_the_shipped_ruleset_used(tmp_path: Path) -> None:
    from peelcalc.registry import shipped_dir

    used = shipped_dir() / "peel-2015-effectiveness.toml"
    before = used.read_bytes()
    code, _, err = run("grade", str(EXAMPLE), "--output", str(used))
    assert code == EXIT_INPUT and "refusing to write over an input file" in err
    assert used.read_bytes() == before


def test_output_into_an_unwritable_place() -> None:
    code, out, err = run("grade", str(EXAMPLE), "--output", "/proc/peelcalc-test.json")
    assert code == EXIT_INPUT and "cannot write" in err and "Traceback" not in out + err
