"""Time of verifying a scheme exactly, against brute-force enumeration.

A node with 16 children over a five-grade scale under count-based rules has
5**16 (about 153 billion) tuples of child grades; the issue asks that its scheme
be verified (completeness, shadowed rules, monotonicity, limiters, reachable
grades) in under a second. Brute force cannot go near that, so it is timed on
small nodes (n = 4..8 children) next to verification of the same node, in the
same run, alternating the two, and the ratio of medians is printed. Brute force
here asks the engine for every tuple of child grades of every size up to n and
checks each raise of one child by one grade; both must reach the same verdicts.

    python benchmarks/verify.py [--runs N] [--largest-brute N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peelcalc.engine import decide
from peelcalc.errors import NoRuleError
from peelcalc.model import (
    Bounds,
    ChildTerm,
    Decision,
    FindingKind,
    Grade,
    GradeScale,
    Limiter,
    Rule,
    Scheme,
)
from peelcalc.verify import verify_scheme

TARGET_SECONDS = 1.0
FIVE = GradeScale(
    tuple(
        Grade(g, g.replace("-", " ").capitalize(), "", "")
        for g in ("outstanding", "good", "adequate", "requires-improvement", "inadequate")
    )
)
KINDS = (FindingKind("strength", "Strength", "positive", "", ""),)


def count_scheme() -> Scheme:
    """CQC-style count rules over five grades, as shares of the assessed children."""

    def at(relation: str, grade: str, **bounds: Fraction | int) -> ChildTerm:
        return ChildTerm(relation, grade, Bounds(**bounds))  # type: ignore[arg-type]

    rules = (
        Rule(
            "inadequate", "", "inadequate", (at("at", "inadequate", min_share=Fraction(2, 5)),), ""
        ),
        Rule(
            "outstanding",
            "",
            "outstanding",
            (at("at", "outstanding", min_share=Fraction(2, 5)), at("below", "good", max=0)),
            "",
        ),
        Rule(
            "good",
            "",
            "good",
            (at("at", "inadequate", max=0), at("at_most", "adequate", max_share=Fraction(1, 5))),
            "",
        ),
        Rule(
            "adequate",
            "",
            "adequate",
            (
                at("at", "inadequate", max=0),
                at("at_most", "requires-improvement", max_share=Fraction(1, 5)),
            ),
            "",
        ),
        Rule(
            "requires-improvement",
            "",
            "requires-improvement",
            (at("at_most", "requires-improvement", min_share=Fraction(2, 5)),),
            "",
        ),
    )
    cap = Limiter(
        "inadequate-cap",
        "",
        "requires-improvement",
        (at("at", "inadequate", min=1),),
        "",
    )
    default = Rule("default", "", "requires-improvement", (), "")
    return Scheme("count", "", "", rules, (cap,), default)


def verified(scheme: Scheme, most: int) -> tuple[bool, frozenset[str], bool]:
    report = verify_scheme(scheme, FIVE, KINDS, list(range(1, most + 1)))
    checks = {issue.check for issue in report.issues}
    shadowed = frozenset(i.subject.id for i in report.issues if i.check == "shadowed")
    return "completeness" in checks, shadowed, "monotonicity" in checks


def brute_force(scheme: Scheme, most: int) -> tuple[bool, frozenset[str], bool]:
    """Every tuple of child grades of every size up to ``most``, and every raise."""
    ids = FIVE.ids
    gap, monotone_break = False, False
    deciding: set[str] = set()
    for size in range(1, most + 1):
        table: dict[tuple[int, ...], Decision | None] = {}
        for ranks in product(range(len(ids)), repeat=size):
            try:
                decision: Decision | None = decide(scheme, FIVE, [ids[r] for r in ranks], {})
            except NoRuleError:
                decision = None
            table[ranks] = decision
            if decision is None:
                gap = True
            else:
                deciding.add(decision.rule.id)
        for ranks, decision in table.items():
            for i, r in enumerate(ranks):
                if r and decision is not None:
                    raised = table[(*ranks[:i], r - 1, *ranks[i + 1 :])]
                    if raised is not None and FIVE.rank(raised.grade) > FIVE.rank(decision.grade):
                        monotone_break = True
    shadowed = frozenset(r.id for r in scheme.rules if r.id not in deciding)
    return gap, shadowed, monotone_break


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = action()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--largest-brute", type=int, default=8, help="largest n for brute force")
    args = parser.parse_args()
    scheme = count_scheme()

    print(f"{'n':>3} {'tuples':>12} {'brute force':>12} {'verify':>10} {'ratio':>10}")
    for n in range(4, args.largest_brute + 1):
        brute_times, verify_times = [], []
        runs = args.runs if n < 8 else max(1, args.runs // 2)
        for _ in range(runs):  # alternate, so that both see the same machine load
            seconds, by_brute = timed(lambda n=n: brute_force(scheme, n))
            brute_times.append(seconds)
            seconds, by_verify = timed(lambda n=n: verified(scheme, n))
            verify_times.append(seconds)
            assert by_brute == by_verify, (n, by_brute, by_verify)
        brute, fast = statistics.median(brute_times), statistics.median(verify_times)
        tuples = sum(len(FIVE.grades) ** k for k in range(1, n + 1))
        print(f"{n:>3} {tuples:>12,} {brute:>11.3f}s {fast:>9.4f}s {brute / fast:>9.0f}x")

    times = [timed(lambda: verified(scheme, 16))[0] for _ in range(args.runs)]
    median = statistics.median(times)
    tuples = sum(len(FIVE.grades) ** k for k in range(1, 17))
    print(
        f"\n16 children over five grades ({tuples:,} tuples of child grades): verified in "
        f"{median:.3f}s (median of {args.runs}); target under {TARGET_SECONDS:.0f}s: "
        f"{'met' if median < TARGET_SECONDS else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
