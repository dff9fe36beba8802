"""The JSON format: the whole graded tree, in the stable shape the README documents.

``schema`` is bumped whenever a key is renamed or removed; new keys may be added
within a schema version.
"""

from __future__ import annotations

import json
from typing import Any

from peelcalc import __version__
from peelcalc.model import (
    EarlierFile,
    Finding,
    GradeScale,
    Indicator,
    NodeResult,
    Result,
    Ruleset,
)
from peelcalc.render.common import DISCLAIMER, Outlook, outlook

SCHEMA_VERSION = 1


def finding_json(finding: Finding) -> dict[str, Any]:
    return {"kind": finding.kind, "text": finding.text, "citation": finding.citation}


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name,
        "value": indicator.value,
        "unit": indicator.unit,
        "period": indicator.period,
        "comparator": indicator.comparator,
        "comparator_name": indicator.comparator_name,
        "citation": indicator.citation,
    }


def _earlier(earlier: EarlierFile) -> dict[str, Any]:
    return {"path": earlier.path, "force": earlier.force, "period": earlier.period}


def _carried(node: NodeResult) -> dict[str, Any] | None:
    if not node.carried:
        return None
    return {
        "from": _earlier(node.carried[0]),
        "graded_in": _earlier(node.carried[-1]),
        "chain": [_earlier(e) for e in node.carried],
    }


def node_json(node: NodeResult, scale: GradeScale, view: Outlook | None = None) -> dict[str, Any]:
    """One node of the tree, with its children (and its margin and range, given a view)."""
    margin = view.margins.get(node.node.id) if view is not None else None
    found = view.ranges.get(node.node.id) if view is not None else None
    return {
        "id": node.node.id,
        "level": node.node.level,
        "title": node.node.title,
        "grade": node.grade,
        "status": node.status,
        "derived": node.derived,
        "rule": None
        if node.rule is None
        else {
            "id": node.rule.id,
            "reading": node.rule.reading,
            "when": [term.describe(scale) for term in node.rule.when],
        },
        "limiters": [
            {
                "id": hit.limiter.id,
                "reading": hit.limiter.reading,
                "cap": hit.limiter.cap,
                "before": hit.before,
                "findings": [finding_json(f) for f in hit.findings],
            }
            for hit in node.limiters
        ],
        "awarded": None
        if node.award is None
        else {"grade": node.award.grade, "rationale": node.award.rationale},
        "carried": _carried(node),
        "findings": [finding_json(f) for f in node.findings],
        "indicators": [_indicator(i) for i in node.indicators],
        "margin": None if margin is None else {"up": margin.up, "down": margin.down},
        "range": None
        if found is None
        else {"best": found.best, "worst": found.worst, "settled_by": list(found.settled_by)},
        "children": [node_json(child, scale, view) for child in node.children],
    }


def header(result: Result) -> dict[str, Any]:
    """The keys every JSON document of peelcalc starts with: what produced it, from what."""
    rs, ev = result.ruleset, result.evidence
    return {
        "schema": SCHEMA_VERSION,
        "peelcalc": __version__,
        "indicative": DISCLAIMER,
        "ruleset": ruleset_json(rs),
        "evidence": {
            "force": ev.force,
            "period": ev.period,
            "source": ev.source,
            "path": ev.path,
            "ruleset": {"id": ev.ruleset_id, "version": ev.ruleset_version},
        },
    }


def document(result: Result) -> dict[str, Any]:
    view = outlook(result)
    return {**header(result), "overall": node_json(result.root, result.ruleset.scale, view)}


def ruleset_json(rs: Ruleset) -> dict[str, Any]:
    """The ruleset as every JSON format names it: id, version, title, hash, path, grades."""
    return {
        "id": rs.id,
        "version": rs.version,
        "title": rs.title,
        "content_hash": rs.content_hash,
        "path": rs.path,
        "grades": [{"id": g.id, "label": g.label} for g in rs.scale.grades],
    }


def render(result: Result) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False) + "\n"
