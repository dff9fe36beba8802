"""The console script's quick path for plain ``peelcalc grade FILE``, against the Typer app.

:mod:`peelcalc.launch` runs a plain ``grade`` command line without loading Typer. These
tests hold it to what the Typer app does with the same arguments: the same output, the
same messages, the same exit code and the same file written, over generated command
lines; and they check that it hands everything else to the app.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc import actions
from peelcalc.actions import _terminal_width
from peelcalc.cli import app, app_for
from peelcalc.launch import COMPLETION_VARIABLE, GRADE_OPTIONS, GradeCall, plain_grade, run_grade
from tests.conftest import EXAMPLE, RULES_2015

ROOT = Path(__file__).resolve().parent.parent


def _grade_command() -> typer.main.TyperCommand:
    group = typer.main.get_command(app_for(["grade"]))
    command = group.commands["grade"]  # type: ignore[attr-defined]
    assert isinstance(command, typer.main.TyperCommand)
    return command


def test_the_quick_path_knows_exactly_the_options_typer_declares() -> None:
    """A new option on ``grade`` must be taught to the quick path (or it would be refused)."""
    command = _grade_command()
    declared = {
        flag: param.name
        for param in command.params
        if isinstance(param, typer.core.TyperOption) and param.name != "help"
        for flag in param.opts
    }
    assert declared == GRADE_OPTIONS
    arguments = [p.name for p in command.params if isinstance(p, typer.core.TyperArgument)]
    assert arguments == ["evidence"]
    defaults = {p.name: p.default for p in command.params if p.name != "help"}
    assert defaults == {"evidence": None, **GradeCall._field_defaults}
    # Typer takes every path as given: no check of its own that the quick path would
    # need to mirror (peelcalc looks at each path when it uses it).
    for param in command.params:
        if isinstance(param.type, typer.models.TyperPath):
            kind = param.type
            assert not (kind.exists or kind.readable or kind.writable or kind.resolve_path)
            assert kind.file_okay and kind.dir_okay and not kind.allow_dash


@pytest.fixture(scope="module")
def files() -> Iterator[dict[str, str]]:
    """Evidence, rule and output paths for generated command lines, in a scratch folder."""
    folder = Path(tempfile.mkdtemp(prefix="peelcalc-launch-"))
    broken = folder / "broken.toml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("[ruleset]", "[rulset]", 1))
    other_version = folder / "rules-other.toml"
    other_version.write_text(
        RULES_2015.read_text(encoding="utf-8").replace('version = "', 'version = "9', 1)
    )
    (folder / "a-folder").mkdir()
    # A copy: --output may name an evidence file that is not an input of that run, and
    # the generated lines must never write over the shipped example.
    example = folder / "example.toml"
    shutil.copyfile(EXAMPLE, example)
    # A name with '=' and a space, which an option written '--opt=value' must not split.
    odd = folder / "a=b c.toml"
    shutil.copyfile(EXAMPLE, odd)
    # --output through a link to the evidence names an input, and must be refused.
    link = folder / "link.toml"
    link.symlink_to(example)
    yield {
        "example": str(example),
        "odd": str(odd),
        "link": str(link),
        "synthetic": str(ROOT / "examples" / "synthetic-2023.toml"),
        "broken": str(broken),
        "missing": str(folder / "missing.toml"),
        "folder": str(folder / "a-folder"),
        "rules": str(RULES_2015),
        "rules-other": str(other_version),
        "out": str(folder / "out.txt"),
        "out-in-missing-folder": str(folder / "nowhere" / "out.txt"),
    }
    shutil.rmtree(folder)


@st.composite
def grade_lines(draw: st.DrawFn, files: dict[str, str]) -> list[str]:
    """``grade`` command lines, mostly plain, with the usual mistakes mixed in."""
    evidence = st.sampled_from(
        ["example", "odd", "synthetic", "broken", "missing", "folder", "rules"]
    )
    formats = st.sampled_from(["table", "json", "markdown", "csv", "jsn", "TABLE"])
    rules = st.sampled_from(["rules", "rules-other", "missing", "example"])
    # "same": the evidence file itself, which must be refused; "link" too, a link to the
    # example (drawn only with it: through a link, any other file may be written over).
    outputs = ["out", "same", "folder", "out-in-missing-folder"]
    picked = draw(evidence)
    chosen = files[picked]
    outputs += ["link"] if picked == "example" else []
    parts: list[list[str]] = [[chosen]]
    for flags, values, mapping in (
        (["--format", "-f"], formats, False),
        (["--rules"], rules, True),
        (["--output", "-o"], st.sampled_from(outputs), True),
    ):
        if draw(st.booleans()):
            flag = draw(st.sampled_from(flags))
            value = draw(values)
            value = chosen if value == "same" else files[value] if mapping else value
            glued = flag.startswith("--") and draw(st.booleans())
            parts.append([f"{flag}={value}"] if glued else [flag, value])
    order = draw(st.permutations(parts))
    return ["grade", *[token for part in order for token in part]]


def _typer(argv: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, argv)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _quick(call: GradeCall) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_grade(call)
    return code, out.getvalue(), err.getvalue()


def _written(path: str) -> str | None:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    Path(path).unlink()
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_quick_path_does_what_the_typer_app_does(
    data: st.DataObject, files: dict[str, str]
) -> None:
    argv = data.draw(grade_lines(files))
    call = plain_grade(argv, {})
    assert call is not None, argv
    quick = _quick(call)
    quick_file = _written(files["out"])
    slow = _typer(argv)
    slow_file = _written(files["out"])
    assert quick == slow
    assert quick_file == slow_file
    assert Path(files["example"]).read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--version"],
        ["--help"],
        ["explain", "x.toml"],
        ["grade"],
        ["grade", "--help"],
        ["grade", "a.toml", "b.toml"],
        ["grade", "-", "--format", "json"],
        ["grade", "--", "a.toml"],
        ["grade", "-fjson", "a.toml"],
        ["grade", "-f=json", "a.toml"],
        ["grade", "--form", "json", "a.toml"],
        ["grade", "a.toml", "--format"],
        ["grade", "a.toml", "--format", ""],
        ["grade", "a.toml", "--format="],
        ["grade", "a.toml", "--format", "-x"],
        ["grade", "a.toml", "--format", "json", "-f", "csv"],
        ["grade", "a.toml", "--rules", "r.toml", "--rules=s.toml"],
        ["grade", "a.toml", "--version"],
        ["grade", "a\udcff.toml"],
        ["grade", ""],
    ],
)
def test_anything_but_a_plain_grade_goes_to_the_typer_app(argv: list[str]) -> None:
    assert plain_grade(argv, {}) is None


def test_plain_grade_reads_every_parameter() -> None:
    argv = ["grade", "--output=o.md", "e.toml", "-f", "markdown", "--rules", "r.toml"]
    assert plain_grade(argv, {}) == GradeCall(
        Path("e.toml"), "markdown", Path("r.toml"), Path("o.md")
    )
    assert plain_grade(["grade", "e.toml"], {}) == GradeCall(Path("e.toml"))


def test_shell_completion_is_left_to_the_typer_app() -> None:
    assert plain_grade(["grade", "e.toml"], {COMPLETION_VARIABLE: "bash_complete"}) is None


def test_ctrl_c_ends_as_it_does_in_the_typer_app(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(actions, "grade", interrupted)
    argv = ["grade", str(EXAMPLE)]
    call = plain_grade(argv, {})
    assert call is not None
    assert _quick(call) == _typer(argv) == (130, "", "")


def _run_module(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``python -m peelcalc`` and report which libraries it loaded.

    The report is written as the process ends, whether by ``sys.exit`` (the Typer app)
    or by ``os._exit`` (the quick path).
    """
    script = (
        "import os, runpy, sys\n"
        "def report():\n"
        "    loaded = [m for m in ('typer', 'rich') if m in sys.modules]\n"
        "    sys.stderr.write('loaded: ' + ','.join(loaded) + '\\n')\n"
        "    sys.stderr.flush()\n"
        "real_exit = os._exit\n"
        "def exit_now(code):\n"
        "    report()\n"
        "    real_exit(code)\n"
        "os._exit = exit_now\n"
        f"sys.argv = ['peelcalc', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('peelcalc', run_name='__main__')\n"
        "finally:\n"
        "    report()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )


def test_a_plain_grade_runs_without_loading_typer() -> None:
    json = _run_module(["grade", str(EXAMPLE), "--format", "json"])
    assert json.returncode == 0, json.stderr
    assert json.stderr.endswith("loaded: \n")  # and no rich for JSON either
    assert json.stdout == _typer(["grade", str(EXAMPLE), "--format", "json"])[1]
    table = _run_module(["grade", str(EXAMPLE)])
    assert table.returncode == 0, table.stderr
    assert table.stderr.endswith("loaded: rich\n")
    other = _run_module(["grade", str(EXAMPLE), "--help"])
    assert other.returncode == 0 and "Usage: peelcalc grade" in other.stdout
    assert other.stderr.startswith("loaded: typer")


def _with_environment(name: str, value: str | None, check: Callable[[], None]) -> None:
    old = os.environ.get(name)
    try:
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
        check()
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@given(
    st.none()
    | st.sampled_from(["", "0", "-3", "abc", " 90", "80", "1"])
    | st.from_regex(r"\A[0-9]{1,4}\Z")
)
def test_the_terminal_width_is_the_one_shutil_gives(columns: str | None) -> None:
    def same() -> None:
        assert _terminal_width(100) == shutil.get_terminal_size((100, 24)).columns

    _with_environment("COLUMNS", columns, same)


def test_a_plain_grade_leaves_nothing_for_exit_handlers() -> None:
    """The quick path ends with os._exit, which runs no exit handlers: there must be none
    that matter. The only one a plain grade registers is weakref's, for the engine's
    in-memory cache of compiled rulesets."""
    script = (
        "import atexit, os, sys, weakref\n"
        "registered = []\n"
        "real_register = atexit.register\n"
        "def register(function, *args, **kwargs):\n"
        "    registered.append(function.__qualname__)\n"
        "    return real_register(function, *args, **kwargs)\n"
        "atexit.register = register\n"
        "real_exit = os._exit\n"
        "def exit_now(code):\n"
        "    pending = [i.func.__qualname__ for i in weakref.finalize._registry.values()]\n"
        "    sys.stderr.write(f'handlers {registered} finalizers {pending}\\n')\n"
        "    sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = exit_now\n"
        f"sys.argv = ['peelcalc', 'grade', {str(EXAMPLE)!r}, '--format', 'csv']\n"
        "from peelcalc.launch import main\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == _typer(["grade", str(EXAMPLE), "--format", "csv"])[1]
    assert run.stderr == "handlers ['finalize._exitfunc'] finalizers ['dict.pop']\n"


def test_the_console_script_exits_with_the_grade_exit_code(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[ruleset\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "peelcalc", "grade", str(broken)],
        capture_output=True,
        text=True,
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == _typer(["grade", str(broken)])[2]
    assert f"{broken}:1:" in run.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", [["grade", str(EXAMPLE)], ["--help"], ["explain", "--help"]])
def test_a_full_disk_on_stdout_is_an_error_not_a_success(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "peelcalc", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert run.returncode == 2
    assert run.stderr == "peelcalc: error: No space left on device\n"


def _closed(descriptor: int, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m peelcalc ARGV`` with stdout (1) or stderr (2) closed, as ``>&-`` does."""
    return subprocess.run(
        [sys.executable, "-m", "peelcalc", *argv],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(descriptor),
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["grade", str(EXAMPLE)],
        ["grade", str(EXAMPLE), "--format", "json"],
        ["explain", str(EXAMPLE), "q4"],
        ["check", str(RULES_2015)],
        ["rules"],
        ["--help"],
        ["grade", "--help"],
        ["--version"],
    ],
)
def test_a_closed_stdout_is_an_error_not_a_traceback(argv: list[str]) -> None:
    run = _closed(1, *argv)
    assert (run.returncode, run.stderr) == (2, "peelcalc: error: standard output is closed\n")


def test_a_closed_stdout_does_not_matter_with_output(tmp_path: Path) -> None:
    target = tmp_path / "grades.json"
    run = _closed(1, "grade", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert (run.returncode, run.stderr) == (0, f"peelcalc: wrote {target}\n")
    assert target.read_text(encoding="utf-8") == _typer(["grade", str(EXAMPLE), "-f", "json"])[1]


def test_a_closed_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    assert _closed(2, "grade", str(missing)).returncode == 2
    good = _closed(2, "grade", str(EXAMPLE), "--format", "csv")
    assert good.returncode == 0
    assert good.stdout == _typer(["grade", str(EXAMPLE), "--format", "csv"])[1]
