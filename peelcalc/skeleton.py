"""The commented evidence skeleton that ``peelcalc init`` prints."""

from __future__ import annotations

import json
import textwrap

from peelcalc.model import Ruleset


def _q(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these texts)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, prefix: str = "# ") -> list[str]:
    return [prefix + line if line else prefix.rstrip() for line in text.splitlines()]


def skeleton(ruleset: Ruleset) -> str:
    """A valid evidence file for ``ruleset`` with an empty table for every area.

    It grades as "not assessed" (or "ungraded") everywhere until findings are added.
    """
    kinds = "\n".join(
        textwrap.fill(f"{k.id}: {k.definition}", 86, initial_indent="  ", subsequent_indent="    ")
        for k in ruleset.kinds
    )
    grades = ", ".join(g.id for g in ruleset.scale.grades)
    first_area = next(n for n in ruleset.root.walk() if not n.children)
    graded = [n for n in ruleset.root.walk() if n.graded]
    first_question = next((n for n in graded if n.level == "question"), graded[0])
    positive = [k.id for k in ruleset.kinds if k.effect == "positive"]
    example_kind = (positive or [k.id for k in ruleset.kinds] or ["strength"])[0]
    lines = [
        f"# Evidence for {ruleset.title} ({ruleset.id} {ruleset.version},",
        f"# rule file {ruleset.content_hash}).",
        "# Written by 'peelcalc init'. Fill in force, period and source, then add findings",
        "# under the areas you have evidence for; areas left empty are 'not assessed'.",
        "#",
        "# A finding:",
        f"#   [[areas.{first_area.id}.findings]]",
        f"#   kind = {_q(example_kind)}",
        '#   text = "What the report says, in one sentence."',
        '#   citation = "The report section it comes from."',
        "#",
        "# Finding kinds:",
        *_comment(kinds),
        "#",
        "# An indicator (a figure shown beside the judgment; it does not change the grade):",
        f"#   [[areas.{first_area.id}.indicators]]",
        '#   name = "Victim satisfaction rate"',
        "#   value = 81.7",
        '#   unit = "%"',
        '#   period = "12 months to 31 March 2015"',
        "#   comparator = 83.8                       # optional",
        '#   comparator_name = "England and Wales"   # optional',
        '#   citation = "How satisfied are victims of crime with the service provided ..."',
        "#",
        "# A grade awarded by an inspector, at any graded node (overall, a question or an area),",
        "# replaces the derived grade on the way up; both are shown:",
        "#   [awarded.<node id>]",
        f"#   grade = one of: {grades}",
        '#   rationale = "Why the inspector gave this grade."',
        "#",
        "# A node that was not re-inspected keeps its judgment from an earlier evidence",
        "# file for the same force and ruleset (a path relative to this file); leave the",
        "# areas below it empty:",
        f"#   [carried.{first_question.id}]",
        '#   from = "<earlier evidence file>.toml"',
        "",
        'force = "<name of the force>"',
        'period = "<year or period inspected>"',
        'source = "<the report these findings come from>"',
        "",
        "[ruleset]",
        f"id = {_q(ruleset.id)}",
        f"version = {_q(ruleset.version)}",
    ]
    if not ruleset.root.graded:
        lines += ["", "# This framework gives no overall grade: its core questions are graded."]
    for question in ruleset.root.children:
        lines += ["", "# " + "=" * 76, f"# {question.id}: {question.title}"]
        if not question.graded:
            lines.append("# Ungraded: its findings are shown, it never gets a grade.")
        lines.append("# " + "=" * 76)
        for area in question.children:
            lines += ["", f"# {area.title}"]
            if not area.graded and question.graded:
                lines.append("# Ungraded: its findings are shown, never counted in the question.")
            lines += [f"# Source: {area.source}", f"[areas.{area.id}]"]
    lines.append("")
    return "\n".join(lines)
