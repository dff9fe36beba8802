"""Batch output as JSON, CSV and Markdown (the terminal table is :mod:`.batchtable`).

The JSON shape is documented in the README; ``schema`` is bumped whenever a key
is renamed or removed, and keys may be added within a schema version.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from peelcalc import __version__
from peelcalc.batch import (
    Batch,
    Cell,
    ConsistencyGroup,
    Difference,
    Distribution,
    Failure,
    RulesetGroup,
)
from peelcalc.model import Ruleset
from peelcalc.render.common import DISCLAIMER, judgment_label, ruleset_words, status_words
from peelcalc.render.csvout import INDICATIVE
from peelcalc.render.jsonout import ruleset_json

SCHEMA_VERSION = 1

GROUPING = (
    "Grades are counted within one ruleset (id, version and content hash) and one period: "
    "grades from different rulesets mean different things and are never added together."
)


def profile_words(ruleset: Ruleset, profile: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
    """An evidence profile in words: "q1: 3 strength, 1 weakness; q2: none"."""
    parts = []
    for question, counts in profile:
        kinds = [f"{n} {k.label.lower()}" for k, n in zip(ruleset.kinds, counts, strict=True) if n]
        parts.append(f"{question}: {', '.join(kinds) if kinds else 'none'}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- JSON


def _cell(cell: Cell) -> dict[str, Any]:
    source = cell.carried_from
    return {
        "id": cell.node.id,
        "grade": cell.grade,
        "status": cell.status,
        "carried_from": None if source is None else {"path": source.path, "period": source.period},
    }


def cell_label(ruleset: Ruleset, cell: Cell) -> str:
    """A summary cell in words, such as "Good", "Good (carried from 2015)", "Not assessed"."""
    since = cell.carried_from.period if cell.carried_from else None
    return judgment_label(ruleset, cell.grade, cell.status, since)


def ruleset_notes(group: RulesetGroup) -> list[str]:
    """What the summary leaves out: ungraded questions, and the overall grade if none."""
    notes = []
    if not any(node.level == "overall" for node in group.nodes):
        notes.append("This ruleset gives no overall grade; question grades only.")
    for node in group.ungraded:
        notes.append(f"{node.id} ({node.title}) is ungraded in this ruleset; not shown.")
    return notes


def _failure(failure: Failure) -> dict[str, Any]:
    where = failure.location
    return {
        "path": failure.path,
        "message": failure.message,
        "line": where.line if where else None,
        "key_path": where.key_path if where and where.key_path else None,
        "hint": failure.hint or None,
        "error": str(failure),
    }


def _distribution(dist: Distribution) -> dict[str, Any]:
    return {
        "period": dist.period,
        "files": dist.files,
        "repeated_forces": [{"force": force, "files": n} for force, n in dist.repeated],
        "nodes": [
            {
                "id": tally.node.id,
                "level": tally.node.level,
                "grades": dict(tally.grades),
                "without_grade": dict(tally.without_grade),
                "statuses": dict(tally.statuses),
            }
            for tally in dist.tallies
        ],
    }


def _consistency(group: ConsistencyGroup, ruleset: Ruleset) -> dict[str, Any]:
    return {
        "profile": {
            question: dict(zip(ruleset.kind_ids, counts, strict=True))
            for question, counts in group.profile
        },
        "members": [
            {"force": row.force, "period": row.period, "path": row.path} for row in group.members
        ],
        "awarded": group.awarded,
        "differences": [
            {
                "id": diff.node.id,
                "awarded": diff.awarded,
                "bases": list(diff.bases),
                "awarded_below": diff.awarded_below,
                "grades": [_cell(cell) for cell in diff.cells],
            }
            for diff in group.differences
        ],
    }


def _group(group: RulesetGroup) -> dict[str, Any]:
    rs = group.ruleset
    return {
        "ruleset": ruleset_json(rs),
        "nodes": [{"id": n.id, "level": n.level, "title": n.title} for n in group.nodes],
        "ungraded": [{"id": n.id, "level": n.level, "title": n.title} for n in group.ungraded],
        "files": [
            {
                "path": row.path,
                "force": row.force,
                "period": row.period,
                "grades": [_cell(cell) for cell in row.cells],
            }
            for row in group.rows
        ],
        "distributions": [_distribution(d) for d in group.distributions],
        "consistency": [_consistency(c, rs) for c in group.consistency],
    }


def document(batch: Batch) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "peelcalc": __version__,
        "indicative": DISCLAIMER,
        "grouping": GROUPING,
        "graded": batch.graded,
        "failed": len(batch.failures),
        "rulesets": [_group(group) for group in batch.groups],
        "failures": [_failure(f) for f in batch.failures],
        "notes": list(batch.notes),
    }


def render_json(batch: Batch) -> str:
    return json.dumps(document(batch), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "path",
    "force",
    "period",
    "ruleset_id",
    "ruleset_version",
    "ruleset_hash",
    "level",
    "node_id",
    "grade",
    "status",
    "error",
    "indicative",
)


def render_csv(batch: Batch) -> str:
    """One row per file and summary node; a file that failed has one row with its error."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in batch.groups:
        rs = group.ruleset
        for row in group.rows:
            for cell in row.cells:
                writer.writerow(
                    (
                        row.path,
                        row.force,
                        row.period,
                        rs.id,
                        rs.version,
                        rs.content_hash,
                        cell.node.level,
                        cell.node.id,
                        cell.grade or "",
                        cell.status,
                        "",
                        INDICATIVE,
                    )
                )
    for failure in batch.failures:
        writer.writerow((failure.path, *[""] * 8, "failed", str(failure), ""))
    return out.getvalue()


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(batch: Batch) -> str:
    lines = [
        "# Batch of graded evidence files",
        "",
        f"{batch.graded} graded, {len(batch.failures)} failed.",
        "",
        f"> {DISCLAIMER}",
        "",
    ]
    for group in batch.groups:
        rs = group.ruleset
        lines += [f"## {_md(rs.title)}", "", f"Ruleset {ruleset_words(rs)} from {_md(rs.path)}."]
        lines += [_md(note) for note in ruleset_notes(group)]
        header = ["Force", "Period", *[_md(node.id) for node in group.nodes]]
        rows = [
            [row.force, row.period, *(cell_label(rs, c) for c in row.cells)] for row in group.rows
        ]
        lines += ["", "### Grades", "", *_md_table(header, rows)]
        for dist in group.distributions:
            heading = f"National distribution, {_md(dist.period)}: {files(dist.files)}"
            lines += ["", f"### {heading}"]
            lines += ["", GROUPING, ""]
            lines += _md_table(*distribution_rows(rs, dist))
            lines += [_md(note) for note in repeated_notes(dist)]
        lines += ["", "### Consistency across forces", ""]
        if not group.consistency:
            lines.append("No files share an evidence profile while their grades differ.")
        for number, cgroup in enumerate(group.consistency, start=1):
            lines += [
                f"{number}. Same evidence profile ({_md(profile_words(rs, cgroup.profile))}):",
                "",
                *(f"   - {_md(text)}" for text in consistency_lines(rs, cgroup)),
                "",
            ]
    if batch.failures:
        lines += ["", "## Files that could not be graded", ""]
        lines += [f"- {_md(str(failure))}" for failure in batch.failures]
    if batch.notes:
        lines += ["", "## Notes", ""] + [f"- {_md(note)}" for note in batch.notes]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- shared wording


def files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def distribution_rows(ruleset: Ruleset, dist: Distribution) -> tuple[list[str], list[list[str]]]:
    """A header and rows: one row per node, one column per grade, then files without a grade."""
    without = sorted({status for t in dist.tallies for status, n in t.without_grade if n})
    header = ["Judgment", *(g.label for g in ruleset.scale.grades)]
    header += [status_words(status).capitalize() for status in without]
    rows = []
    for tally in dist.tallies:
        missing = dict(tally.without_grade)
        rows.append(
            [
                tally.node.id,
                *(str(n) for _, n in tally.grades),
                *(str(missing.get(s, 0)) for s in without),
            ]
        )
    return header, rows


def repeated_notes(dist: Distribution) -> list[str]:
    return [
        f"Note: {force} has {n} files for {dist.period} under this ruleset; each is counted."
        for force, n in dist.repeated
    ]


def difference_words(diff: Difference) -> str:
    """What differs at a node: "awarded grades differ", "derived grades differ, after an
    awarded grade below" ..."""
    if diff.awarded:
        return "awarded grades differ"
    words = f"{'/'.join(status_words(b) for b in diff.bases)} grades differ"
    return words + (", after an awarded grade below" if diff.awarded_below else "")


def consistency_lines(ruleset: Ruleset, group: ConsistencyGroup) -> list[str]:
    """One line per differing node: each member's judgment, and awarded or derived."""
    lines = []
    for diff in group.differences:
        kind = difference_words(diff)
        who = "; ".join(
            f"{row.force} {row.period}: {cell_label(ruleset, cell)}"
            for row, cell in zip(group.members, diff.cells, strict=True)
        )
        lines.append(f"{diff.node.id} ({kind}): {who}")
    return lines
