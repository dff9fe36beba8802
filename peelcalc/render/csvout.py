"""The CSV format: one row per node of the tree, parents before children."""

from __future__ import annotations

import csv
import io

from peelcalc.model import NodeResult, Result
from peelcalc.render.common import Outlook, how_reached, outlook

#: Every row says what the grade is: computed, not the inspectorate's.
INDICATIVE = "computed by peelcalc; not an inspectorate judgment"

COLUMNS = (
    "force",
    "period",
    "ruleset_id",
    "ruleset_version",
    "ruleset_hash",
    "level",
    "node_id",
    "parent_id",
    "title",
    "grade",
    "status",
    "derived",
    "awarded",
    "rule_id",
    "limiter_ids",
    "how_reached",
    "indicative",
    "carried_from",
    "carried_from_period",
    "graded_in",
    "graded_in_period",
    "margin_up",
    "margin_down",
    "range_best",
    "range_worst",
    "settled_by",
)


def _carried(node: NodeResult) -> tuple[str, str, str, str]:
    """The file a carried node comes from and the file it was last graded in, with periods."""
    if not node.carried:
        return ("", "", "", "")
    first, last = node.carried[0], node.carried[-1]
    return (first.path, first.period, last.path, last.period)


def _margin(view: Outlook, node_id: str) -> tuple[str, str]:
    margin = view.margins.get(node_id)
    return ("", "") if margin is None else (str(margin.up), str(margin.down))


def _range(view: Outlook, node_id: str) -> tuple[str, str, str]:
    found = view.ranges.get(node_id)
    return ("", "", "") if found is None else (found.best, found.worst, " ".join(found.settled_by))


def render(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rs, ev = result.ruleset, result.evidence
    view = outlook(result)

    def rows(node: NodeResult, parent: str) -> None:
        writer.writerow(
            (
                ev.force,
                ev.period,
                rs.id,
                rs.version,
                rs.content_hash,
                node.node.level,
                node.node.id,
                parent,
                node.node.title,
                node.grade or "",
                node.status,
                node.derived or "",
                node.award.grade if node.award else "",
                node.rule.id if node.rule else "",
                " ".join(hit.limiter.id for hit in node.limiters),
                how_reached(node, rs),
                INDICATIVE,
                *_carried(node),
                *_margin(view, node.node.id),
                *_range(view, node.node.id),
            )
        )
        for child in node.children:
            rows(child, node.node.id)

    rows(result.root, "")
    return out.getvalue()
