"""The terminal format of an explanation: the paragraph, then a rich tree down to the findings.

As in :mod:`peelcalc.render.table`, every text from a file is passed as
:class:`~rich.text.Text` with markup off, so nothing in it is read as markup.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text
from rich.tree import Tree

from peelcalc.explain import (
    Explanation,
    LimiterCheck,
    NodeExplanation,
    RuleCheck,
    TermCheck,
    describe_change,
    shorten,
    term_words,
    whatif_sentence,
)
from peelcalc.model import Ruleset
from peelcalc.render import Style
from peelcalc.render.common import DISCLAIMER, evidence_line, grade_label, ruleset_line
from peelcalc.render.console import console_for
from peelcalc.render.table import grade_style
from peelcalc.whatif import ChangeSet, WhatIf


def _term(tree: Tree, term: TermCheck, cite: bool) -> None:
    mark = ("✓ ", "green") if term.holds else ("✗ ", "red")
    branch = tree.add(Text.assemble(mark, term_words(term)))
    if not cite:
        return
    for cited in term.findings:
        branch.add(
            Text.assemble(
                (f"{cited.finding.kind} in {cited.area}: ", "bold"),
                shorten(cited.finding.text),
                (f" — {cited.finding.citation}", "dim"),
            )
        )


def _rule(tree: Tree, rule: RuleCheck) -> None:
    branch = tree.add(Text.assemble((f"rule {rule.id}: ", "bold cyan"), rule.reading))
    for term in rule.terms:
        _term(branch, term, cite=False)


def _passed_over(tree: Tree, rule: RuleCheck, ruleset: Ruleset) -> None:
    """A rule before the deciding one, with the conditions that failed."""
    failed = "; ".join(term_words(t) for t in rule.terms if not t.holds)
    tree.add(
        Text.assemble(
            ("✗ ", "red"),
            (f"not {grade_label(ruleset, rule.grade).lower()} by {rule.id}: ", "dim"),
            failed,
        )
    )


def _limiter(tree: Tree, lim: LimiterCheck, ruleset: Ruleset) -> None:
    effect = (
        f"lowered {grade_label(ruleset, lim.before)} to {grade_label(ruleset, lim.cap)}"
        if lim.lowered
        else f"holds; the grade was already {grade_label(ruleset, lim.before)}"
    )
    branch = tree.add(
        Text.assemble((f"limiter {lim.id}: ", "bold magenta"), lim.reading, f" ({effect})")
    )
    for term in lim.terms:
        _term(branch, term, cite=True)


def _node_label(node: NodeExplanation, ruleset: Ruleset) -> Text:
    label = Text.assemble(
        (node.id, "bold"),
        " ",
        (_grade_words(node, ruleset), grade_style(ruleset.scale, node.grade)),
    )
    if node.award is not None:
        label.append(
            f" (awarded; the rules give {grade_label(ruleset, node.derived)})", style="italic"
        )
    if node.carried_from:
        label.append(f" ({node.carried_from})", style="italic")
    if node.margin is not None:
        label.append(f" margin ↑{node.margin.up} ↓{node.margin.down}", style="dim")
    label.append(f" — {node.title}", style="dim")
    return label


def _grade_words(node: NodeExplanation, ruleset: Ruleset) -> str:
    if node.status == "ungraded":
        return "Ungraded"
    return grade_label(ruleset, node.grade)


def _node(tree: Tree, node: NodeExplanation, ruleset: Ruleset) -> None:
    branch = tree.add(_node_label(node, ruleset))
    _body(branch, node, ruleset)


def _body(branch: Tree, node: NodeExplanation, ruleset: Ruleset) -> None:
    if node.award is not None:
        branch.add(Text.assemble(("awarded: ", "bold italic"), node.award.rationale))
    if node.rule is not None:
        _rule(branch, node.rule)
    for passed in node.passed_over:
        _passed_over(branch, passed, ruleset)
    for lim in node.limiters:
        _limiter(branch, lim, ruleset)
    if node.status == "not-assessed":
        branch.add(Text("not assessed", style="dim"))
    if node.range is not None and node.range.settled_by:
        best = grade_label(ruleset, node.range.best)
        worst = grade_label(ruleset, node.range.worst)
        span = best if best == worst else f"{best} to {worst}"
        branch.add(
            Text(
                f"with the evidence missing: {span}; settled by {', '.join(node.range.settled_by)}",
                style="italic",
            )
        )
    for finding in node.findings:
        branch.add(
            Text.assemble(
                (f"{finding.kind}: ", "bold"), finding.text, (f" — {finding.citation}", "dim")
            )
        )
    for child in node.children:
        _node(branch, child, ruleset)


def _changes(tree: Tree, changes: ChangeSet, ruleset: Ruleset) -> None:
    for change in changes.changes:
        branch = tree.add(Text(describe_change(change, ruleset)))
        if change.action != "move":
            continue
        if not change.how:
            branch.add(Text("no change of its findings alone gives that", style="dim"))
        for number, way in enumerate(change.how, 1):
            label = "for example" if number == 1 else "or"
            _changes(
                branch.add(Text(f"{label}, by {way.cost} changes:", style="dim")), way, ruleset
            )


def _whatif(whatif: WhatIf, ruleset: Ruleset) -> Tree:
    target = grade_label(ruleset, whatif.target).lower()
    tree = Tree(Text(f"What would make {whatif.node} {target}", style="bold"))
    tree.add(Text(whatif_sentence(whatif, ruleset)))
    for number, changes in enumerate(whatif.sets, 1):
        noun = "change" if changes.cost == 1 else "changes"
        branch = tree.add(Text(f"set {number}: {changes.cost} {noun}", style="bold cyan"))
        _changes(branch, changes, ruleset)
    if whatif.more:
        tree.add(Text(f"and {whatif.more} more sets of {whatif.fewest} changes", style="dim"))
    return tree


def render(explanation: Explanation, style: Style) -> str:
    result, node = explanation.result, explanation.node
    rs = result.ruleset
    tree = Tree(_node_label(node, rs))
    _body(tree, node, rs)
    footer = Text(f"{evidence_line(result)}\n{ruleset_line(result)}\n{DISCLAIMER}", style="dim")
    out, console = console_for(style)
    title = Text(f"{result.evidence.force}, {result.evidence.period} — {rs.title}")
    subtitle = Text(f"indicative, not an inspectorate judgment · {rs.id} {rs.version}")
    heading = Text.assemble(
        (f"{node.id}: ", "bold"),
        (_grade_words(node, rs), grade_style(rs.scale, node.grade)),
        "\n",
        node.title,
        "\n\n",
        explanation.summary,
    )
    console.print(
        Panel(heading, title=title, title_align="left", subtitle=subtitle, subtitle_align="right")
    )
    parts: list[RenderableType] = [tree, Text("")]
    if explanation.whatif is not None:
        parts += [_whatif(explanation.whatif, rs), Text("")]
    console.print(Group(*parts, footer))
    return out.getvalue()
