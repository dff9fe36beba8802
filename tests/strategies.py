"""Hypothesis strategies for peelcalc's domain, in one place."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st

from peelcalc.model import AreaEvidence, Award, Evidence, Finding, Ruleset

# Text as users write it, including characters that mean something to rich or
# to Markdown and CSV: "[", "]", "|", quotes, commas and line breaks.
_free_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)) | st.sampled_from("[]/|,\"'\n"),
    min_size=1,
    max_size=30,
).filter(str.strip)


def findings(ruleset: Ruleset, max_size: int = 6) -> st.SearchStrategy[tuple[Finding, ...]]:
    finding = st.builds(
        Finding,
        kind=st.sampled_from(ruleset.kind_ids),
        text=_free_text,
        citation=st.sampled_from(["Summary of findings", "Annex A", "Areas for improvement"]),
    )
    return st.lists(finding, max_size=max_size).map(tuple)


def evidence(ruleset: Ruleset, awards: bool = True) -> st.SearchStrategy[Evidence]:
    """Any structurally valid evidence for ``ruleset``: some areas, findings, awards
    (only at graded nodes)."""
    area_ids = [n.id for n in ruleset.root.walk() if not n.children]
    areas = st.dictionaries(
        st.sampled_from(area_ids), findings(ruleset).map(lambda f: AreaEvidence(f, ()))
    )
    award = st.builds(Award, grade=st.sampled_from(ruleset.scale.ids), rationale=_free_text)
    award_map = (
        st.dictionaries(
            st.sampled_from([n.id for n in ruleset.root.walk() if n.graded]), award, max_size=3
        )
        if awards
        else st.just({})
    )
    return st.builds(
        Evidence,
        force=_free_text,
        period=_free_text,
        ruleset_id=st.just(ruleset.id),
        ruleset_version=st.just(ruleset.version),
        source=st.none(),
        areas=areas,
        awards=award_map,
        path=st.just("generated.toml"),
    )


def evidence_toml(ev: Evidence) -> dict[str, Any]:
    """The evidence as the TOML document a user would write."""
    doc: dict[str, Any] = {
        "force": ev.force,
        "period": ev.period,
        "ruleset": {"id": ev.ruleset_id, "version": ev.ruleset_version},
        "areas": {
            area: {
                "findings": [
                    {"kind": f.kind, "text": f.text, "citation": f.citation} for f in a.findings
                ]
            }
            for area, a in ev.areas.items()
        },
    }
    if ev.awards:
        doc["awarded"] = {
            node: {"grade": a.grade, "rationale": a.rationale} for node, a in ev.awards.items()
        }
    return doc


@st.composite
def later_year(draw: st.DrawFn, ruleset: Ruleset, earlier: Evidence) -> Evidence:
    """Evidence for a later year: findings of its own, beside some of ``earlier``'s findings
    kept with their text in capitals (as a transcriber might retype them)."""
    fresh = draw(evidence(ruleset, awards=False))
    areas = dict(fresh.areas)
    for area, found in earlier.areas.items():
        kept = tuple(
            attrs.evolve(f, text=f.text.upper()) for f in found.findings if draw(st.booleans())
        )
        before = areas.get(area, AreaEvidence())
        areas[area] = attrs.evolve(before, findings=before.findings + kept)
    return attrs.evolve(fresh, areas=areas)
