"""``peelcalc batch``: many files, failures reported, the national distribution, consistency."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peelcalc import progress as progress_module
from peelcalc.batch import summarise
from peelcalc.cli import app
from peelcalc.engine import grade
from peelcalc.loading import load_ruleset
from peelcalc.model import Evidence, Ruleset
from peelcalc.registry import shipped_paths
from peelcalc.render import BATCH_FORMATS, Style
from peelcalc.render.common import DISCLAIMER
from tests.conftest import EXAMPLE, ROOT, RULES_2015
from tests.strategies import evidence, evidence_toml

EXAMPLE_DOC = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def as_force(name: str, **changes: Any) -> dict[str, Any]:
    """The Gloucestershire example under another force name, with top-level changes."""
    return EXAMPLE_DOC | {"force": name} | changes


def graded_in(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for group in doc["rulesets"] for f in group["files"]]


# --------------------------------------------------------------------------- failures


def test_one_broken_file_is_reported_and_the_rest_are_graded(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", as_force("Force A"))
    write(tmp_path / "sub" / "b.toml", as_force("Force B"))
    broken_text = tomli_w.dumps(as_force("Force C")).replace(
        'kind = "weakness"', 'kind = "weaknes"', 1
    )
    broken = tmp_path / "sub" / "c.toml"
    broken.write_text(broken_text, encoding="utf-8")
    line = next(n for n, text in enumerate(broken_text.splitlines(), 1) if '"weaknes"' in text)
    (tmp_path / "rules.toml").write_text(RULES_2015.read_text(encoding="utf-8"))
    # Rule tests and ruleset mappings live beside rule files and evidence in real repositories.
    shutil.copy(RULES_2015.with_name("peel-2015-effectiveness.tests.toml"), tmp_path)
    shutil.copy(ROOT / "examples" / "mapping-2015-2016.toml", tmp_path)

    code, out, err = invoke("batch", str(tmp_path), "--format", "json")

    assert code == 1
    assert f"{broken}:{line} (areas." in err and "did you mean 'weakness'" in err
    doc = json.loads(out)
    assert [f["force"] for f in graded_in(doc)] == ["Force A", "Force B"]
    assert doc["graded"] == 2 and doc["failed"] == 1
    [failure] = doc["failures"]
    assert failure["path"] == str(broken) and failure["line"] == line
    assert failure["key_path"].endswith(".kind")
    assert any("rules.toml is a rule file" in note for note in doc["notes"])
    assert any("tests.toml is a rule-tests file" in note for note in doc["notes"])
    assert any("mapping-2015-2016.toml is a ruleset mapping" in note for note in doc["notes"])


def test_a_named_path_that_does_not_exist_is_a_failure_not_a_stop(tmp_path: Path) -> None:
    good = write(tmp_path / "a.toml", as_force("Force A"))
    code, out, err = invoke("batch", str(good), str(tmp_path / "nope.toml"), "-f", "csv")
    assert code == 1
    assert "nope.toml: no such file" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["force"] for r in rows if r["status"] != "failed"} == {"Force A"}
    assert [r["path"] for r in rows if r["status"] == "failed"] == [str(tmp_path / "nope.toml")]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("empty", "no evidence files found"),
        ("hidden-only", "no evidence files found"),
        ("missing", "no such file or folder"),
        ("rules-only", "every file named is a rule file"),
        ("bad-format", "unknown format 'xml'"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, setup: str, expected: str) -> None:
    args = ["batch", str(tmp_path)]
    if setup == "hidden-only":
        write(tmp_path / ".venv" / "a.toml", as_force("Force A"))
        write(tmp_path / ".b.toml", as_force("Force B"))
    if setup == "missing":
        args = ["batch", str(tmp_path / "nope")]
    if setup == "rules-only":
        (tmp_path / "rules.toml").write_text(RULES_2015.read_text(encoding="utf-8"))
    if setup == "bad-format":
        write(tmp_path / "a.toml", as_force("Force A"))
        args += ["--format", "xml"]
    code, _, err = invoke(*args)
    assert code == 2
    assert err.startswith("peelcalc: error: ") and expected in err


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    target = write(tmp_path / "a.toml", as_force("Force A"))
    before = target.read_bytes()
    code, _, err = invoke("batch", str(tmp_path), "--output", str(target))
    assert code == 2 and "refusing to write over an input" in err
    assert target.read_bytes() == before


def test_output_file_is_written(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.toml", as_force("Force A"))
    target = tmp_path / "out.md"
    code, out, _ = invoke("batch", str(tmp_path / "in"), "-f", "markdown", "-o", str(target))
    assert code == 0 and out == ""
    assert "| Force A | 2015 | Good |" in target.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- distribution


def _expected_distribution(results: list[Any]) -> Counter[tuple[str, str, str | None]]:
    """Counted straight from each graded tree: (period, node, grade) for questions and overall."""
    counts: Counter[tuple[str, str, str | None]] = Counter()
    for result in results:
        for node in result.root.walk():
            if node.node.level in ("question", "overall") and node.node.graded:
                counts[(result.evidence.period, node.node.id, node.grade)] += 1
    return counts


RULESETS = [load_ruleset(path) for path in shipped_paths()]
each_ruleset = pytest.mark.parametrize("ruleset", RULESETS, ids=[rs.id for rs in RULESETS])


@each_ruleset
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_distribution_counts_each_files_grade_once(ruleset: Ruleset, data: st.DataObject) -> None:
    """At every graded node and grade, the distribution counts exactly the files graded so."""
    files = data.draw(st.lists(evidence(ruleset), min_size=1, max_size=12))
    # Two periods at most, so that grouping by period is exercised.
    files = [attr_evolve(ev, period=data.draw(st.sampled_from(["2015", "2016"]))) for ev in files]
    results = [grade(ruleset, ev) for ev in files]
    batch = summarise(results)
    [group] = batch.groups
    actual: Counter[tuple[str, str, str | None]] = Counter()
    for dist in group.distributions:
        for tally in dist.tallies:
            for grade_id, n in tally.grades:
                actual[(dist.period, tally.node.id, grade_id)] += n
            for status, n in tally.without_grade:
                assert status == "not-assessed"
                actual[(dist.period, tally.node.id, None)] += n
    expected = _expected_distribution(results)
    assert +actual == +expected
    assert sum(d.files for d in group.distributions) == len(files)


def attr_evolve(ev: Evidence, **changes: Any) -> Evidence:
    import attrs

    return attrs.evolve(ev, **changes)


def test_distribution_from_files_on_disk(ruleset: Ruleset, tmp_path: Path) -> None:
    """The command's JSON distribution matches grading each generated file on its own."""
    generated = evidence(ruleset, awards=True)
    examples: list[Evidence] = []

    @settings(max_examples=20, database=None)
    @given(generated)
    def collect(ev: Evidence) -> None:
        examples.append(ev)

    collect()
    for index, ev in enumerate(examples):
        write(tmp_path / f"f{index:02}.toml", evidence_toml(ev))
    code, out, _ = invoke("batch", str(tmp_path), "-f", "json")
    assert code == 0
    [group] = json.loads(out)["rulesets"]
    expected = _expected_distribution([grade(ruleset, ev) for ev in examples])
    actual: Counter[tuple[str, str, str | None]] = Counter()
    for dist in group["distributions"]:
        for node in dist["nodes"]:
            for grade_id, n in node["grades"].items():
                actual[(dist["period"], node["id"], grade_id)] += n
            for n in node["without_grade"].values():
                actual[(dist["period"], node["id"], None)] += n
    assert +actual == +expected


def test_distribution_is_per_ruleset_and_notes_repeated_forces(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", as_force("Force A"))
    write(tmp_path / "b.toml", as_force("Force A"))
    code, out, _ = invoke("batch", str(tmp_path), "-f", "json")
    assert code == 0
    [group] = json.loads(out)["rulesets"]
    [dist] = group["distributions"]
    assert dist["repeated_forces"] == [{"force": "Force A", "files": 2}]
    overall = next(n for n in dist["nodes"] if n["id"] == "overall")
    assert overall["grades"]["requires-improvement"] == 2


# --------------------------------------------------------------------------- consistency


def _areas(**findings: list[str]) -> dict[str, Any]:
    return {
        area.replace("_", "-"): {
            "findings": [{"kind": k, "text": f"{k} {i}", "citation": "c"} for i, k in enumerate(ks)]
        }
        for area, ks in findings.items()
    }


def _evidence(force: str, areas: dict[str, Any], awarded: dict[str, Any] | None = None) -> Any:
    doc = {
        "force": force,
        "period": "2015",
        "ruleset": {"id": "peel-2015-effectiveness", "version": "1.0.0"},
        "areas": areas,
    }
    if awarded:
        doc["awarded"] = awarded
    return doc


def test_consistency_groups_on_hand_made_evidence(ruleset: Ruleset, tmp_path: Path) -> None:
    same = _areas(q1_prioritising=["strength", "weakness"], q2_diversion=["strength"])
    # A and B: identical evidence, but an inspector awarded B's q1 another grade.
    write(tmp_path / "a.toml", _evidence("Force A", same))
    award = {"q1": {"grade": "outstanding", "rationale": "seen on the ground"}}
    write(tmp_path / "b.toml", _evidence("Force B", same, award))
    # C: the same counts per question, spread over two areas of q1.
    spread = _areas(
        q1_prioritising=["weakness"], q1_resources=["strength"], q2_diversion=["strength"]
    )
    write(tmp_path / "c.toml", _evidence("Force C", spread))
    # D: another profile altogether, with yet another q1 grade; never grouped.
    write(tmp_path / "d.toml", _evidence("Force D", _areas(q1_prioritising=["cause-of-concern"])))

    code, out, _ = invoke("batch", str(tmp_path), "-f", "json")
    assert code == 0
    [group] = json.loads(out)["rulesets"]
    [found] = group["consistency"]
    assert [m["force"] for m in found["members"]] == ["Force A", "Force B", "Force C"]
    assert found["profile"]["q1"] == {
        "strength": 1, "notable-practice": 0, "area-for-improvement": 0,
        "weakness": 1, "cause-of-concern": 0,
    }  # fmt: skip
    by_node = {d["id"]: d for d in found["differences"]}
    assert by_node["q1"]["awarded"] is True
    # The overall grade differs only because of B's award at q1: derived, after an award below.
    assert by_node["overall"]["awarded"] is False
    assert by_node["overall"]["bases"] == ["derived"]
    assert by_node["overall"]["awarded_below"] is True
    assert [g["grade"] for g in by_node["q1"]["grades"]][1] == "outstanding"
    # Every difference reported is real: the grades listed are not all the same.
    for difference in found["differences"]:
        assert len({g["grade"] for g in difference["grades"]}) > 1
        assert difference["awarded"] == any(g["status"] == "awarded" for g in difference["grades"])
    # And no node where the three agree is reported.
    files = {f["force"]: {c["id"]: c["grade"] for c in f["grades"]} for f in group["files"]}
    for node_id in files["Force A"]:
        grades = {files[f][node_id] for f in ("Force A", "Force B", "Force C")}
        assert (node_id in by_node) == (len(grades) > 1)


def test_consistency_reports_derived_differences_too(ruleset: Ruleset, tmp_path: Path) -> None:
    # One weakness and five strengths in q1: all in one area, or a strength in each of
    # five other areas. Same profile; the CQC shares give q1 different derived grades.
    others = ["q1_resources", "q1_tactics", "q1_partner_commitment", "q1_information_sharing"]
    together = _areas(q1_prioritising=["weakness"] + ["strength"] * 5)
    apart = _areas(q1_prioritising=["weakness"], q1_neighbourhoods=["strength"])
    apart |= _areas(**{area: ["strength"] for area in others})
    a = write(tmp_path / "a.toml", _evidence("Force A", together))
    c = write(tmp_path / "c.toml", _evidence("Force C", apart))
    code, out, _ = invoke("batch", str(a), str(c), "-f", "json")
    assert code == 0
    [group] = json.loads(out)["rulesets"]
    q1 = {f["force"]: f["grades"][0] for f in group["files"]}
    assert q1["Force A"]["grade"] != q1["Force C"]["grade"]  # the premise, from the engine
    [found] = group["consistency"]
    [difference] = [d for d in found["differences"] if d["id"] == "q1"]
    assert difference["awarded"] is False and difference["bases"] == ["derived"]
    assert difference["awarded_below"] is False
    assert found["awarded"] is False


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", sorted(BATCH_FORMATS))
def test_every_format_names_the_ruleset_and_is_indicative(
    fmt: str, ruleset: Ruleset, example: Evidence
) -> None:
    batch = summarise([grade(ruleset, example)])
    text = BATCH_FORMATS[fmt](batch, Style(width=200))  # type: ignore[index]
    assert ruleset.id in text and ruleset.version in text
    assert ruleset.content_hash[:19] in text
    assert "Gloucestershire Constabulary" in text
    if fmt != "csv":
        assert DISCLAIMER in text.replace("\n", " ")
    else:
        assert "not an inspectorate judgment" in text


def test_table_lists_forces_grades_and_failures(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", as_force("Force [A]"))
    (tmp_path / "bad.toml").write_text('force = "x"\nforce = "y"\n', encoding="utf-8")
    code, out, _ = invoke("batch", str(tmp_path))
    assert code == 1
    assert "Force [A]" in out and "Requires improvement" in out
    assert "National distribution, 2015: 1 file" in out
    assert f"{tmp_path / 'bad.toml'}:2:" in out
    assert "\x1b[" not in out


# --------------------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    """A clock the test moves by hand: no test here waits or times anything."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _run(stream: io.StringIO, total: int, seconds_per_item: float) -> str:
    clock = _Clock()
    with progress_module.progress(stream, total, "Grading", clock) as tick:
        for _ in range(total):
            clock.now += seconds_per_item
            tick()
    return stream.getvalue()


def test_progress_bar_draws_only_on_a_terminal_once_the_run_is_long() -> None:
    slow = progress_module.LONG_RUN  # the run is long after the first item
    assert "Grading" in _run(_Terminal(), 5, slow)
    assert _run(io.StringIO(), 5, slow) == ""  # not a terminal: never
    assert _run(_Terminal(), 5, slow / 10) == ""  # a quick run: no bar flashes by
    assert _run(_Terminal(), 1, slow * 2) == ""  # one file: nothing to count


def test_batch_is_silent_on_stderr_when_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress_module, "LONG_RUN", 0.0)  # every run counts as long
    for index in range(3):
        write(tmp_path / f"{index}.toml", as_force(f"Force {index}"))
    code, out, err = invoke("batch", str(tmp_path), "-f", "csv")
    assert code == 0 and err == ""
    assert len({row["force"] for row in csv.DictReader(io.StringIO(out))}) == 3


# --------------------------------------------------------------------------- other states


def _ungrade(text: str, node_id: str) -> str:
    pattern = rf'(id = "{node_id}"\ntitle = "[^"]*"\n)scheme = "[a-z]+"'
    edited, count = re.subn(pattern, r"\1graded = false", text)
    assert count == 1
    return edited


@pytest.fixture
def no_overall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Shipped rulesets: 2015, and a copy with no overall grade and q3 ungraded."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    rules = RULES_2015.read_text(encoding="utf-8")
    (folder / RULES_2015.name).write_text(rules, encoding="utf-8")
    other = _ungrade(_ungrade(_ungrade(rules, "overall"), "q3"), "q3-vulnerability")
    other = other.replace('id = "peel-2015-effectiveness"', 'id = "peel-test-no-overall"', 1)
    (folder / "peel-test-no-overall.toml").write_text(other, encoding="utf-8")
    monkeypatch.setattr("peelcalc.registry.shipped_dir", lambda: folder)
    return "peel-test-no-overall"


def test_rulesets_are_never_counted_together(tmp_path: Path, no_overall: str) -> None:
    head = {"id": no_overall, "version": "1.0.0"}
    write(tmp_path / "in" / "a.toml", as_force("Force A"))
    write(tmp_path / "in" / "b.toml", as_force("Force B", ruleset=head))
    write(tmp_path / "in" / "c.toml", as_force("Force C", ruleset=head))
    code, out, _ = invoke("batch", str(tmp_path / "in"), "-f", "json")
    assert code == 0
    first, second = json.loads(out)["rulesets"]
    assert first["ruleset"]["id"] == "peel-2015-effectiveness"
    assert [f["force"] for f in first["files"]] == ["Force A"]
    assert [n["id"] for n in first["nodes"]] == ["q1", "q2", "q3", "q4", "overall"]
    assert second["ruleset"]["id"] == no_overall
    assert [f["force"] for f in second["files"]] == ["Force B", "Force C"]
    # No overall grade, and the ungraded question is left out of the columns.
    assert [n["id"] for n in second["nodes"]] == ["q1", "q2", "q4"]
    assert [n["id"] for n in second["ungraded"]] == ["q3"]
    [dist] = second["distributions"]
    assert [n["id"] for n in dist["nodes"]] == ["q1", "q2", "q4"]
    assert dist["files"] == 2

    code, table, _ = invoke("batch", str(tmp_path / "in"))
    assert "This ruleset gives no overall grade; question grades only." in table
    assert "q3 (" in table and "is ungraded in this ruleset" in " ".join(table.split())


def test_carried_grades_are_shown_with_their_period_and_counted(tmp_path: Path) -> None:
    earlier = write(tmp_path / "a-2015.toml", as_force("Force A"))
    later = as_force("Force A", period="2016", carried={"q3": {"from": earlier.name}})
    later["areas"] = {k: v for k, v in later["areas"].items() if not k.startswith("q3")}
    write(tmp_path / "a-2016.toml", later)
    # Force B: the same 2016 evidence without the carried q3, so q3 is not assessed.
    alike = {k: v for k, v in later.items() if k != "carried"} | {"force": "Force B"}
    write(tmp_path / "b-2016.toml", alike)
    code, out, err = invoke("batch", str(tmp_path), "-f", "json")
    assert code == 0, err
    [group] = json.loads(out)["rulesets"]
    files = {
        f["period"]: {c["id"]: c for c in f["grades"]}
        for f in group["files"]
        if f["force"] == "Force A"
    }
    carried = files["2016"]["q3"]
    assert carried["status"] == "carried"
    assert carried["grade"] == files["2015"]["q3"]["grade"] is not None
    assert carried["carried_from"] == {"path": str(earlier), "period": "2015"}
    dist_2016 = next(d for d in group["distributions"] if d["period"] == "2016")
    q3 = next(n for n in dist_2016["nodes"] if n["id"] == "q3")
    assert q3["grades"][carried["grade"]] == 1
    assert q3["statuses"] == {"carried": 1, "not-assessed": 1}
    assert q3["without_grade"] == {"not-assessed": 1}
    # A and B share their 2016 evidence; a carried grade was not given on it, so the
    # different q3 is no inconsistency.
    assert group["consistency"] == []

    code, table, _ = invoke("batch", str(tmp_path), "-f", "markdown")
    assert "(carried from 2015)" in table


@each_ruleset
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_consistency_groups_are_exactly_the_profiles_with_differing_grades(
    ruleset: Ruleset, data: st.DataObject
) -> None:
    """A group holds every file of one evidence profile, and is listed iff grades differ."""
    # Few kinds and areas, so that profiles coincide often enough to matter.
    base = data.draw(st.lists(evidence(ruleset), min_size=2, max_size=8))
    copies = [attr_evolve(ev, awards={}) for ev in base[: data.draw(st.integers(0, 3))]]
    results = [grade(ruleset, ev) for ev in base + copies]
    [group] = summarise(results).groups
    by_profile: dict[Any, list[Any]] = {}
    for row in group.rows:
        by_profile.setdefault(row.profile, []).append(row)
    listed = {found.profile: found for found in group.consistency}
    for shared, rows in by_profile.items():
        differing = [
            node.id
            for index, node in enumerate(group.nodes)
            if len({row.cells[index].grade for row in rows}) > 1
        ]
        if len(rows) > 1 and differing:
            found = listed[shared]
            assert all(m is r for m, r in zip(found.members, rows, strict=True))
            assert {d.node.id for d in found.differences} == set(differing)
            flags = [d.awarded for d in found.differences]
            assert flags == sorted(flags, reverse=True)  # awarded differences first
        else:
            assert shared not in listed


def test_a_file_named_twice_is_graded_once(tmp_path: Path) -> None:
    inside = write(tmp_path / "a.toml", as_force("Force A"))
    code, out, _ = invoke("batch", str(tmp_path), str(inside), "-f", "json")
    assert code == 0
    assert [f["force"] for f in graded_in(json.loads(out))] == ["Force A"]


def test_a_wide_summary_falls_back_to_codes_with_a_legend() -> None:
    from peelcalc.collect import grade_all

    examples = EXAMPLE.parent
    graded = grade_all([examples / "synthetic-2021.toml", examples / "synthetic-2023.toml"])
    batch = summarise(graded.results)
    [group] = batch.groups
    narrow = BATCH_FORMATS["table"](batch, Style(width=100))
    wide = BATCH_FORMATS["table"](batch, Style(width=400))
    assert "Q10" in narrow and "RI requires improvement" in narrow and "^ carried" in narrow
    assert f"Q1 {group.nodes[0].id}: {group.nodes[0].title}" in narrow
    assert "(carried from 2021/22)" in wide and "Q10" not in wide
    for line in narrow.splitlines():
        assert len(line) <= 100


def test_json_shape_is_the_documented_one(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", as_force("Force A"))
    head = '[ruleset]\nid = "peel-2015-effectiveness"\nversion = "1.0.0"\n'
    (tmp_path / "b.toml").write_text("force = 1\n" + head, encoding="utf-8")
    code, out, _ = invoke("batch", str(tmp_path), "-f", "json")
    assert code == 1
    doc = json.loads(out)
    assert set(doc) == {
        "schema", "peelcalc", "indicative", "grouping", "graded", "failed", "rulesets",
        "failures", "notes",
    }  # fmt: skip
    assert doc["schema"] == 1
    [group] = doc["rulesets"]
    assert set(group) == {
        "ruleset", "nodes", "ungraded", "files", "distributions", "consistency",
    }  # fmt: skip
    assert set(group["ruleset"]) == {"id", "version", "title", "content_hash", "path", "grades"}
    assert set(group["files"][0]) == {"path", "force", "period", "grades"}
    assert set(group["files"][0]["grades"][0]) == {"id", "grade", "status", "carried_from"}
    [dist] = group["distributions"]
    assert set(dist) == {"period", "files", "repeated_forces", "nodes"}
    assert set(dist["nodes"][0]) == {"id", "level", "grades", "without_grade", "statuses"}
    [failure] = doc["failures"]
    assert set(failure) == {"path", "message", "line", "key_path", "hint", "error"}
    assert failure["line"] == 1 and failure["key_path"] == "force"


def test_a_failure_in_an_earlier_file_names_both_files(tmp_path: Path) -> None:
    broken_text = tomli_w.dumps(as_force("Force A")).replace('kind = "strength"', 'kind = "x"', 1)
    earlier = tmp_path / "old" / "a-2015.toml"
    earlier.parent.mkdir()
    earlier.write_text(broken_text, encoding="utf-8")
    later = write(
        tmp_path / "new" / "a-2016.toml",
        as_force(
            "Force A", period="2016", areas={}, carried={"q3": {"from": "../old/a-2015.toml"}}
        ),
    )
    code, out, _ = invoke("batch", str(later), "-f", "json")
    assert code == 1
    [failure] = json.loads(out)["failures"]
    line = next(n for n, text in enumerate(broken_text.splitlines(), 1) if 'kind = "x"' in text)
    assert failure["error"].startswith(f"{later}: {tmp_path / 'new' / '../old/a-2015.toml'}:{line}")
    assert "\n" not in failure["error"] and "carries 'q3' from it" in failure["error"]


# --------------------------------------------------------------------------- --rules


@pytest.fixture
def custom_rules(tmp_path: Path) -> Path:
    """A rule file that is not shipped: the 2015 rules under another id, version 2.0.0."""
    text = RULES_2015.read_text(encoding="utf-8")
    text = text.replace('id = "peel-2015-effectiveness"', 'id = "peel-custom"', 1)
    rules = tmp_path / "custom.toml"
    rules.write_text(text.replace('version = "1.0.0"', 'version = "2.0.0"', 1), encoding="utf-8")
    return rules


def test_rules_option_grades_evidence_for_a_ruleset_that_is_not_shipped(
    tmp_path: Path, custom_rules: Path
) -> None:
    custom = {"id": "peel-custom", "version": "2.0.0"}
    write(tmp_path / "in" / "a.toml", as_force("Force A", ruleset=custom))
    write(tmp_path / "in" / "b.toml", as_force("Force B"))
    code, out, err = invoke("batch", str(tmp_path / "in"), "-f", "json")
    assert code == 1 and "unknown ruleset 'peel-custom'" in err
    code, out, err = invoke(
        "batch", str(tmp_path / "in"), "-f", "json", "--rules", str(custom_rules)
    )
    assert code == 0, err
    groups = {g["ruleset"]["id"]: g for g in json.loads(out)["rulesets"]}
    assert [f["force"] for f in groups["peel-custom"]["files"]] == ["Force A"]
    assert groups["peel-custom"]["ruleset"]["path"] == str(custom_rules)
    assert [f["force"] for f in groups["peel-2015-effectiveness"]["files"]] == ["Force B"]
    assert json.loads(out)["notes"] == []


def test_rules_option_with_another_version_warns_once(tmp_path: Path, custom_rules: Path) -> None:
    older = {"id": "peel-custom", "version": "1.0.0"}
    for name in ("a", "b"):
        write(tmp_path / "in" / f"{name}.toml", as_force(f"Force {name}", ruleset=older))
    code, out, _ = invoke("batch", str(tmp_path / "in"), "-f", "json", "--rules", str(custom_rules))
    assert code == 0
    assert json.loads(out)["notes"] == [
        f"evidence naming peel-custom version 1.0.0 was graded with version 2.0.0 from "
        f"{custom_rules}"
    ]


def test_two_rule_files_for_one_ruleset_is_a_usage_error(
    tmp_path: Path, custom_rules: Path
) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text(custom_rules.read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path / "in" / "a.toml", as_force("Force A"))
    args = ["batch", str(tmp_path / "in"), "--rules", str(custom_rules), "--rules", str(copy)]
    code, _, err = invoke(*args)
    assert code == 2 and "two rule files for ruleset 'peel-custom'" in err


def test_a_broken_rules_file_stops_the_batch_with_its_line(tmp_path: Path) -> None:
    rules = tmp_path / "bad-rules.toml"
    text = RULES_2015.read_text(encoding="utf-8").replace('effect = "positive"', 'effect = "up"', 1)
    rules.write_text(text, encoding="utf-8")
    write(tmp_path / "in" / "a.toml", as_force("Force A"))
    code, out, err = invoke("batch", str(tmp_path / "in"), "--rules", str(rules))
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == 'effect = "up"')
    assert code == 2 and out == ""
    assert err.startswith(f"peelcalc: error: {rules}:{line} ")


@pytest.mark.parametrize("enabled", [True, False])
def test_grading_many_files_pauses_the_cyclic_collector_and_restores_it(
    enabled: bool, tmp_path: Path
) -> None:
    import gc

    from peelcalc.collect import grade_all

    seen: list[bool] = []
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        graded = grade_all(
            [EXAMPLE, tmp_path / "missing.toml"], lambda: seen.append(gc.isenabled())
        )
        assert seen == [False, False]  # paused while grading, also past a failed file
        assert len(graded.results) == 1 and len(graded.failures) == 1
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
