"""Diff output as JSON and Markdown, and the wording the terminal table shares.

The JSON shape is documented in the README under ``peelcalc diff``.
"""

from __future__ import annotations

import json
from typing import Any

from peelcalc import __version__
from peelcalc.diff import DIRECTION_WORDS, AreaFindings, Diff, NodeChange
from peelcalc.model import Finding, NodeResult, Result
from peelcalc.render.common import DISCLAIMER, node_judgment, ruleset_words
from peelcalc.render.jsonout import ruleset_json

SCHEMA_VERSION = 1

MATCHING = (
    "Findings are matched by area, kind and text, ignoring case, punctuation, quotation "
    "marks and spacing; each finding matches at most one."
)


def side_label(diff: Diff, node: NodeResult | None, old: bool) -> str:
    """A node's judgment in one of the two files, in the words of its own ruleset."""
    if node is None:
        return "—"
    result = diff.old if old else diff.new
    return node_judgment(result.ruleset, node)


def moved_words(diff: Diff, change: NodeChange) -> str:
    """The sub-judgments that moved, such as "q1-tactics: Good → Requires improvement"."""
    return "; ".join(
        f"{m.id}: {side_label(diff, m.old, True)} → {side_label(diff, m.new, False)}"
        for m in change.moved
    )


def heading(result: Result) -> str:
    ev = result.evidence
    return f"{ev.force}, {ev.period} ({ev.path}) — ruleset {ruleset_words(result.ruleset)}"


def area_summary(area: AreaFindings) -> str:
    counts = (
        f"{len(area.added)} added, {len(area.resolved)} resolved, {len(area.standing)} standing"
    )
    if area.new_area is None:
        return f"{counts} (the area has no counterpart in the new ruleset)"
    if area.old_area is None:
        return f"{counts} (the area has no counterpart in the old ruleset)"
    return counts


# --------------------------------------------------------------------------- JSON


def _finding(finding: Finding) -> dict[str, Any]:
    return {"kind": finding.kind, "text": finding.text, "citation": finding.citation}


def _side(node: NodeResult | None) -> dict[str, Any] | None:
    if node is None:
        return None
    return {
        "id": node.node.id,
        "grade": node.grade,
        "status": node.status,
        "derived": node.derived,
        "rule": node.rule.id if node.rule is not None else None,
    }


def _file(result: Result) -> dict[str, Any]:
    rs, ev = result.ruleset, result.evidence
    return {
        "force": ev.force,
        "period": ev.period,
        "path": ev.path,
        "ruleset": ruleset_json(rs),
    }


def document(diff: Diff) -> dict[str, Any]:
    mapping = diff.mapping
    return {
        "schema": SCHEMA_VERSION,
        "peelcalc": __version__,
        "indicative": DISCLAIMER,
        "old": _file(diff.old),
        "new": _file(diff.new),
        "mapping": None
        if mapping is None
        else {
            "path": mapping.path,
            "old": mapping.old,
            "new": mapping.new,
            "rationale": mapping.rationale,
        },
        "nodes": [
            {
                "id": change.id,
                "level": change.level,
                "title": change.title,
                "old": _side(change.old),
                "new": _side(change.new),
                "old_on_new_scale": change.old_on_new_scale,
                "direction": change.direction,
                "moved": [m.id for m in change.moved],
            }
            for change in diff.nodes
        ],
        "matching": MATCHING,
        "findings": [
            {
                "area": area.id,
                "old_area": area.old_area,
                "new_area": area.new_area,
                "added": [_finding(f) for f in area.added],
                "resolved": [_finding(f) for f in area.resolved],
                "standing": [_finding(f) for f in area.standing],
            }
            for area in diff.findings
        ],
        "notes": list(diff.notes),
    }


def render_json(diff: Diff) -> str:
    return json.dumps(document(diff), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: Diff) -> str:
    lines = [
        "# Grades compared",
        "",
        f"- Old: {_md(heading(diff.old))}",
        f"- New: {_md(heading(diff.new))}",
        *(f"- Note: {_md(note)}" for note in diff.notes),
        "",
        f"> {DISCLAIMER}",
        "",
        "## Grades",
        "",
        "| Node | Old | New | Change | Sub-judgments that moved |",
        "|---|---|---|---|---|",
    ]
    for change in diff.nodes:
        name = change.id if change.old_id in (None, change.id) else f"{change.old_id} → {change.id}"
        lines.append(
            f"| {_md(name)} | {side_label(diff, change.old, True)} "
            f"| {side_label(diff, change.new, False)} | {DIRECTION_WORDS[change.direction]} "
            f"| {_md(moved_words(diff, change))} |"
        )
    lines += ["", "## Findings", "", MATCHING]
    if not diff.findings:
        lines += ["", "Neither file records any finding."]
    for area in diff.findings:
        lines += ["", f"### {_md(area.id)}: {area_summary(area)}", ""]
        lines += [f"- added ({f.kind}): {_md(f.text)}" for f in area.added]
        lines += [f"- resolved ({f.kind}): {_md(f.text)}" for f in area.resolved]
        lines += [f"- standing ({f.kind}): {_md(f.text)}" for f in area.standing]
    return "\n".join(lines) + "\n"
