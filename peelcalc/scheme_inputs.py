"""The inputs of a scheme as a finite set: count vectors, capped finding counts, masks.

Why this is exact without enumerating every combination of child grades:

* A child term counts children by grade, so a decision depends only on *how
  many* children have each grade (the count vector), never on which child has
  which. For N children over G grades there are C(N+G-1, G-1) count vectors
  instead of G**N tuples (16 children over five grades: 4,845 instead of
  152,587,890,625).
* A finding term compares a sum of counts with its bounds. Capping each kind's
  count at one more than the largest bound of any term naming it changes no
  term's truth: once a count exceeds every bound, so does every sum containing
  it, before and after the cap. So finding counts range over a small box.
  A *share* of findings (``of``) compares counts with each other, so no cap is
  exact: those kinds are examined up to a bound, and verification says so.
* Terms are evaluated once per count vector and once per finding vector, as
  bit masks. Two inputs with the same pair of masks make every term, so every
  rule and limiter, hold alike: the engine's
  :func:`~peelcalc.engine.decide_counts` is called once per realised pair of
  masks, so the verdicts use the very logic that grades.

Child grades and finding counts are taken as independent: an inspector's
awarded grade can give any child any grade whatever the findings below it.
Areas (nodes without children) are assessed only when they have findings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

import attrs

from peelcalc.engine import decide_counts
from peelcalc.errors import NoRuleError
from peelcalc.model import (
    ChildTerm,
    Decision,
    FindingKind,
    FindingTerm,
    GradeScale,
    Limiter,
    Rule,
    Scheme,
    Term,
)


@attrs.frozen
class Example:
    """A concrete input of a scheme, and what the engine decides for it."""

    children: tuple[tuple[str, int], ...]
    """How many assessed children have each grade, best first; only non-zero counts."""
    findings: tuple[tuple[str, int], ...]
    """How many findings of each kind stand at or below the node; only non-zero counts."""
    grade: str | None
    """The grade decided, or ``None`` when no rule decides and there is no default."""
    rule: str | None
    """The id of the rule (or default) that decided."""
    limiters: tuple[str, ...]
    """The ids of the limiters that lowered the grade, in order."""

    def describe(
        self, scale: GradeScale, with_children: bool = True, with_findings: bool = True
    ) -> str:
        """The input in words: "children: 2 good, 1 inadequate; findings: 1 weakness"."""
        children = ", ".join(f"{n} {scale.get(g).label.lower()}" for g, n in self.children)
        findings = ", ".join(f"{n} {kind}" for kind, n in self.findings)
        parts = [f"children: {children or 'none'}"] if with_children else []
        if with_findings or not with_children:
            parts.append(f"findings: {findings or 'none'}")
        return "; ".join(parts)

    def outcome(self, scale: GradeScale) -> str:
        """What was decided in words: "Good by rule q.good, capped by q.cap"."""
        if self.grade is None:
            return "no grade (no rule decides and there is no default)"
        text = f"{scale.get(self.grade).label} by rule {self.rule}"
        if self.limiters:
            text += f", capped by {', '.join(self.limiters)}"
        return text


def compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every vector of ``parts`` non-negative counts that sum to ``total``."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def _rank_range(term: ChildTerm, scale: GradeScale) -> tuple[int, int]:
    """The ranks (0 best) a child term counts, as an inclusive range."""
    rank, worst = scale.rank(term.grade), len(scale.grades) - 1
    return {
        "at": (rank, rank),
        "at_least": (0, rank),
        "at_most": (rank, worst),
        "above": (0, rank - 1),
        "below": (rank + 1, worst),
    }[term.relation]


#: How many finding vectors to examine at most when shares of findings prevent capping.
SHARE_BUDGET = 20_000


def is_share(term: FindingTerm) -> bool:
    """Whether a finding term is a share of other findings (``min_share``/``max_share``)."""
    return term.bounds.min_share is not None or term.bounds.max_share is not None


def finding_caps(terms: Sequence[FindingTerm], share_box: int | None = None) -> dict[str, int]:
    """The largest count examined for each kind a term names.

    For a count, one more than the largest bound of the terms naming the kind: no
    term can tell a larger count from it. A share of findings (``of``) compares
    counts with each other, so no cap is exact: kinds in such terms are examined
    up to ``share_box`` findings each (by default as many as :data:`SHARE_BUDGET`
    vectors allow), a bounded check rather than a proof.
    """
    caps: dict[str, int] = {}
    for term in terms:
        top = max(b for b in (term.bounds.min, term.bounds.max, 0) if b is not None)
        for kind in (*term.kinds, *term.of):
            caps[kind] = max(caps.get(kind, 0), top + 1)
    shared = {k for t in terms if is_share(t) for k in (*t.kinds, *t.of)}
    if shared:
        if share_box is None:
            others = math.prod(n + 1 for k, n in caps.items() if k not in shared)
            share_box = int((SHARE_BUDGET / others) ** (1 / len(shared))) - 1
            denominators = [
                share.denominator
                for t in terms
                for share in (t.bounds.min_share, t.bounds.max_share)
                if share is not None
            ]
            share_box = max(share_box, 2 * max(denominators), *(caps[k] for k in shared))
        for kind in shared:
            caps[kind] = max(caps[kind], share_box)
    return caps


#: How many finding vectors to examine at most before large bounds are compressed.
BOX_BUDGET = 50_000

#: Counts up to this are always examined, however large the bounds.
_LOW = 8


def finding_values(
    terms: Sequence[FindingTerm], caps: dict[str, int], kinds: Sequence[str]
) -> tuple[dict[str, tuple[int, ...]], tuple[str, ...]]:
    """The counts examined for each kind, and the kinds whose counts were compressed.

    Normally every count from 0 to the kind's cap. When that box would exceed
    :data:`BOX_BUDGET` vectors (a bound of a million findings, say), each kind with a
    large cap is examined only at 0 to 8 and just below, at and just above each bound
    of a term naming it. A condition on one kind changes only at its bounds, so for
    those the check stays exact; a sum over several kinds can change between them,
    so verification says the check was bounded.
    """
    if math.prod(caps[kind] + 1 for kind in kinds) <= BOX_BUDGET:
        return {kind: tuple(range(caps[kind] + 1)) for kind in kinds}, ()
    values: dict[str, tuple[int, ...]] = {}
    compressed: list[str] = []
    for kind in kinds:
        if caps[kind] <= _LOW + 1:
            values[kind] = tuple(range(caps[kind] + 1))
            continue
        points = set(range(_LOW + 1)) | {caps[kind]}
        for term in terms:
            if kind in term.kinds or kind in term.of:
                for bound in (term.bounds.min, term.bounds.max):
                    if bound is not None:
                        points |= {bound - 1, bound, bound + 1}
        values[kind] = tuple(sorted(p for p in points if 0 <= p <= caps[kind]))
        compressed.append(kind)
    return values, tuple(compressed)


def shared_kinds(terms: Sequence[FindingTerm]) -> tuple[str, ...]:
    """The kinds whose counts a share of findings compares (so cannot be capped)."""
    return tuple(sorted({k for t in terms if is_share(t) for k in (*t.kinds, *t.of)}))


@attrs.frozen
class Masks:
    """The terms of a scheme, and which hold for each realised input, as bit masks."""

    child_terms: tuple[ChildTerm, ...]
    finding_terms: tuple[FindingTerm, ...]
    vectors: dict[int, dict[tuple[int, ...], int]]
    """For each number of children: each count vector and its child mask."""
    findings: dict[tuple[int, ...], int]
    """Each capped finding vector (over :attr:`kinds`) and its finding mask."""
    kinds: tuple[str, ...]
    """The kinds some term names, in ruleset order."""
    caps: dict[str, int]
    """The largest count examined of each of :attr:`kinds`."""
    compressed: tuple[str, ...] = ()
    """Kinds examined only around their bounds, not at every count (see :func:`finding_values`)."""


def masks_of(
    scheme: Scheme,
    scale: GradeScale,
    sizes: Sequence[int],
    kind_order: Sequence[str],
    share_box: int | None,
) -> Masks:
    terms: list[Term] = [t for r in scheme.rules for t in r.when]
    terms += [t for r in scheme.limiters for t in r.when]
    child_terms = tuple(dict.fromkeys(t for t in terms if isinstance(t, ChildTerm)))
    finding_terms = tuple(dict.fromkeys(t for t in terms if isinstance(t, FindingTerm)))
    grades = len(scale.grades)
    ranges = [_rank_range(t, scale) for t in child_terms]

    vectors: dict[int, dict[tuple[int, ...], int]] = {}
    for total in sizes:
        intervals = [t.bounds.interval(total) for t in child_terms]
        at_size: dict[tuple[int, ...], int] = {}
        for vector in compositions(total, grades):
            prefix = [0]
            for count in vector:
                prefix.append(prefix[-1] + count)
            mask = 0
            for bit, ((lo, hi), (low, high)) in enumerate(zip(ranges, intervals, strict=True)):
                count = prefix[hi + 1] - prefix[lo] if lo <= hi else 0
                if low <= count and (high is None or count <= high):
                    mask |= 1 << bit
            at_size[vector] = mask
        vectors[total] = at_size

    caps = finding_caps(finding_terms, share_box)
    kinds = tuple(k for k in kind_order if k in caps)
    values, compressed = finding_values(finding_terms, caps, kinds)
    findings: dict[tuple[int, ...], int] = {}
    for vector in itertools.product(*(values[k] for k in kinds)):
        counts = dict(zip(kinds, vector, strict=True))
        mask = 0
        for bit, term in enumerate(finding_terms):
            count = sum(counts[k] for k in term.kinds)
            # As the engine does: a share of findings is of the findings of the kinds in ``of``.
            if term.bounds.holds(count, sum(counts[k] for k in term.of)):
                mask |= 1 << bit
        findings[vector] = mask
    return Masks(child_terms, finding_terms, vectors, findings, kinds, caps, compressed)


def required(rule: Rule | Limiter, masks: Masks) -> tuple[int, int]:
    """The child and finding bits that must be set for all of ``rule``'s terms to hold."""
    child = found = 0
    for term in rule.when:  # a term may stand twice in one rule: set its bit, never add it
        if isinstance(term, ChildTerm):
            child |= 1 << masks.child_terms.index(term)
        else:
            found |= 1 << masks.finding_terms.index(term)
    return child, found


class Analysis:
    """Every realised pair of masks of one scheme, and the engine's decision for each."""

    def __init__(
        self,
        scheme: Scheme,
        scale: GradeScale,
        kinds: Sequence[FindingKind],
        sizes: Sequence[int],
        share_box: int | None = None,
    ) -> None:
        self.scheme = scheme
        self.scale = scale
        self.sizes = sizes
        self.effects = {k.id: k.effect for k in kinds}
        kind_order = [k.id for k in kinds]
        self.masks = masks = masks_of(scheme, scale, sizes, kind_order, share_box)
        self.unnamed = [k for k in kind_order if k not in masks.kinds]

        # Representatives: the first input seen for each mask (for findings, a
        # non-empty one when there is one, so that it can stand for an area).
        self.child_rep: dict[int, tuple[int, ...]] = {}
        self.masks_by_size: dict[int, set[int]] = {}
        for total in sizes:
            for vector, mask in masks.vectors[total].items():
                self.child_rep.setdefault(mask, vector)
                self.masks_by_size.setdefault(total, set()).add(mask)
        self.finding_rep: dict[int, tuple[int, ...]] = {}
        self.fewest: dict[int, tuple[int, ...]] = {}  # to show beside children: no noise
        self.area_masks: set[int] = set()  # an area is assessed only with some finding
        for vector, mask in masks.findings.items():
            self.fewest.setdefault(mask, vector)
            held = self.finding_rep.get(mask)
            if held is None or (not any(held) and any(vector)):
                self.finding_rep[mask] = vector
            if any(vector) or self.unnamed:
                self.area_masks.add(mask)
        self.all_masks = set(masks.findings.values())

        self.pairs: dict[tuple[int, int], Decision | None] = {}
        for total in sizes:
            for cm in self.masks_by_size[total]:
                for fm in self.finding_masks(total):
                    if (cm, fm) in self.pairs:
                        continue
                    counts = dict(zip(masks.kinds, self.finding_rep[fm], strict=True))
                    try:
                        self.pairs[cm, fm] = decide_counts(
                            scheme, scale, self.child_rep[cm], counts
                        )
                    except NoRuleError:
                        self.pairs[cm, fm] = None

    def finding_masks(self, total: int) -> set[int]:
        """The finding masks a node with ``total`` assessed children can meet."""
        return self.area_masks if total == 0 else self.all_masks

    def holding(self, rule: Rule | Limiter) -> list[tuple[int, int]]:
        """The realised pairs for which every term of ``rule`` holds."""
        need_c, need_f = required(rule, self.masks)
        return [k for k in self.pairs if k[0] & need_c == need_c and k[1] & need_f == need_f]

    def example(
        self,
        cm: int,
        fm: int,
        vector: tuple[int, ...] | None = None,
        found: tuple[int, ...] | None = None,
        extra: bool = False,
    ) -> Example:
        """A concrete input for a pair of masks (these very counts, when given).

        ``extra`` adds a finding of a kind no term names, as an area with no other
        finding needs to be assessed; it changes no term.
        """
        ids = self.scale.ids
        vector = self.child_rep[cm] if vector is None else vector
        if found is None:
            found = self.fewest[fm] if any(vector) else self.finding_rep[fm]
        children = tuple((ids[r], n) for r, n in enumerate(vector) if n)
        findings = [(k, n) for k, n in zip(self.masks.kinds, found, strict=True) if n]
        if self.unnamed and (extra or (not any(vector) and not findings)):
            findings.append((self.unnamed[0], 1))  # an area needs a finding to be assessed
        decision = self.pairs[cm, fm]
        if decision is None:
            return Example(children, tuple(findings), None, None, ())
        limiters = tuple(limiter.id for limiter in decision.limiters)
        return Example(children, tuple(findings), decision.grade, decision.rule.id, limiters)

    def words(self, example: Example) -> str:
        """The example in words, leaving out what no term of the scheme looks at."""
        return example.describe(
            self.scale, bool(self.masks.child_terms), bool(self.masks.finding_terms)
        )
