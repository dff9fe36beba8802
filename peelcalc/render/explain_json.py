"""The JSON format of an explanation, in the stable shape the README documents.

It starts with the same keys as ``grade --format json`` (schema, ruleset, evidence,
the indicative notice); ``document`` says which kind of document it is. Keys are
only ever added within a schema version.
"""

from __future__ import annotations

import json
from typing import Any

from peelcalc.explain import (
    AreaFinding,
    Explanation,
    LimiterCheck,
    NodeExplanation,
    RuleCheck,
    TermCheck,
    describe_change,
)
from peelcalc.model import Ruleset
from peelcalc.render.jsonout import finding_json, header
from peelcalc.whatif import Change, ChangeSet, WhatIf


def _cited(cited: AreaFinding) -> dict[str, Any]:
    return {"area": cited.area, **finding_json(cited.finding)}


def _term(term: TermCheck) -> dict[str, Any]:
    return {
        "text": term.text,
        "holds": term.holds,
        "count": term.count,
        "whole": term.whole,
        "children": list(term.children),
        "findings": [_cited(f) for f in term.findings],
    }


def _rule(rule: RuleCheck) -> dict[str, Any]:
    return {
        "id": rule.id,
        "reading": rule.reading,
        "grade": rule.grade,
        "source": rule.source,
        "terms": [_term(t) for t in rule.terms],
    }


def _limiter(lim: LimiterCheck) -> dict[str, Any]:
    return {
        "id": lim.id,
        "reading": lim.reading,
        "cap": lim.cap,
        "source": lim.source,
        "before": lim.before,
        "lowered": lim.lowered,
        "terms": [_term(t) for t in lim.terms],
        "findings": [_cited(f) for f in lim.findings],
    }


def node_json(node: NodeExplanation) -> dict[str, Any]:
    """One explained node, with its children."""
    return {
        "id": node.id,
        "level": node.level,
        "title": node.title,
        "grade": node.grade,
        "status": node.status,
        "derived": node.derived,
        "rule": None if node.rule is None else _rule(node.rule),
        "passed_over": [_rule(r) for r in node.passed_over],
        "limiters": [_limiter(lim) for lim in node.limiters],
        "awarded": None
        if node.award is None
        else {"grade": node.award.grade, "rationale": node.award.rationale},
        "findings": [finding_json(f) for f in node.findings],
        "child_grades": node.child_grades,
        "carried_from": node.carried_from or None,
        "margin": None if node.margin is None else {"up": node.margin.up, "down": node.margin.down},
        "range": None
        if node.range is None
        else {
            "best": node.range.best,
            "worst": node.range.worst,
            "settled_by": list(node.range.settled_by),
        },
        "children": [node_json(child) for child in node.children],
    }


def _change(change: Change, ruleset: Ruleset) -> dict[str, Any]:
    return {
        "action": change.action,
        "node": change.node,
        "count": change.count,
        "kind": change.kind,
        "grade": change.grade,
        "text": describe_change(change, ruleset),
        "findings": [finding_json(f) for f in change.findings],
        "how": [_set(way, ruleset) for way in change.how],
        "leaves_not_assessed": change.leaves_not_assessed,
    }


def _set(changes: ChangeSet, ruleset: Ruleset) -> dict[str, Any]:
    return {"cost": changes.cost, "changes": [_change(c, ruleset) for c in changes.changes]}


def whatif_json(whatif: WhatIf, ruleset: Ruleset) -> dict[str, Any]:
    """What would give the node its target grade."""
    return {
        "node": whatif.node,
        "target": whatif.target,
        "current": whatif.current,
        "outcome": whatif.outcome,
        "reason": whatif.reason or None,
        "fewest": whatif.fewest,
        "sets": [_set(s, ruleset) for s in whatif.sets],
        "more": whatif.more,
        "unverified": whatif.unverified,
    }


def document(explanation: Explanation) -> dict[str, Any]:
    rs = explanation.result.ruleset
    return {
        **header(explanation.result),
        "document": "explanation",
        "node": explanation.node.id,
        "summary": explanation.summary,
        "tree": node_json(explanation.node),
        "whatif": None if explanation.whatif is None else whatif_json(explanation.whatif, rs),
    }


def render(explanation: Explanation) -> str:
    return json.dumps(document(explanation), indent=2, ensure_ascii=False) + "\n"
