"""Speed of the counterfactual search (``peelcalc explain FILE NODE --target GRADE``).

Times the whole search (including re-grading every offered set, and the ways shown for
each moved child) on the full PEEL 2015 tree with the Gloucestershire example, against
one ``engine.grade`` of the same evidence, alternating the two so that both see the same
machine load, and prints medians and their ratio. Then it shows how the search grows
with the number of children: flat trees of 4, 8, 16 and 32 areas under one node, scored
by the shipped question scheme and searched for "good" at the top, first with an answer
of one change (every area good, one also with a cause of concern, which caps the top),
then with an answer that grows with the tree (half the areas with a weakness).

    python benchmarks/counterfactuals.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from peelcalc.engine import grade
from peelcalc.loading import load_evidence, load_ruleset, read_evidence
from peelcalc.model import AreaEvidence, Evidence, Finding, Node, Ruleset
from peelcalc.whatif import what_if

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "peel-2015-effectiveness.toml"
EXAMPLE = ROOT / "examples" / "gloucestershire-2015.toml"


def medians(runs: int, **timed: Callable[[], object]) -> dict[str, float]:
    """The median wall time of each callable, calling them in turn ``runs`` times."""
    times: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, call in timed.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def flat(ruleset: Ruleset, children: int, half_weak: bool) -> tuple[Ruleset, Evidence]:
    """A tree of ``children`` areas under one node graded by the question scheme."""
    areas = tuple(Node(f"a{i}", f"Area {i}", "area", "area", "") for i in range(children))
    root = Node("top", "Top", "question", "question", "", areas)
    findings = {}
    for i in range(children):
        kinds = ["strength"]
        if half_weak and i % 2:
            kinds = ["weakness"]
        elif not half_weak and i == 0:
            kinds.append("cause-of-concern")
        findings[f"a{i}"] = AreaEvidence(tuple(Finding(k, "synthetic", "-") for k in kinds))
    evidence = Evidence("Synthetic", "-", ruleset.id, ruleset.version, None, findings, {}, "-")
    return attrs.evolve(ruleset, root=root), evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each (default 21)")
    args = parser.parse_args()
    ruleset = load_ruleset(RULES)
    evidence = load_evidence(read_evidence(EXAMPLE), ruleset)
    result = grade(ruleset, evidence)

    print(f"runs per measurement: {args.runs}, alternated; medians")
    print("\nFull PEEL 2015 tree (Gloucestershire), one engine.grade as the yardstick:")
    for node, target in (("overall", "good"), ("q4", "good"), ("overall", "outstanding")):
        found = what_if(result, node, target)
        m = medians(
            args.runs,
            search=lambda n=node, t=target: what_if(result, n, t),  # type: ignore[misc]
            grade=lambda: grade(ruleset, evidence),
        )
        print(
            f"  {node} --target {target:12} {found.fewest} changes, {len(found.sets)} sets: "
            f"search {m['search'] * 1000:6.1f} ms = {m['search'] / m['grade']:6.0f} × grade "
            f"({m['grade'] * 1000:.2f} ms)"
        )

    for half_weak, title in (
        (False, "one area with a cause of concern (one change)"),
        (True, "half the areas requiring improvement (the answer grows)"),
    ):
        print(f"\nFlat trees, {title}, --target good at the top:")
        for children in (4, 8, 16, 32):
            rs, ev = flat(ruleset, children, half_weak)
            res = grade(rs, ev)
            found = what_if(res, "top", "good")
            m = medians(
                max(3, args.runs // 3),
                search=lambda r=res: what_if(r, "top", "good"),  # type: ignore[misc]
                grade=lambda r=rs, e=ev: grade(r, e),  # type: ignore[misc]
            )
            print(
                f"  {children:2} children: {found.fewest:2} changes, search "
                f"{m['search'] * 1000:7.1f} ms = {m['search'] / m['grade']:6.0f} × grade "
                f"({m['grade'] * 1000:.2f} ms)"
            )


if __name__ == "__main__":
    main()
