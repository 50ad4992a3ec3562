"""Pure functions from the model to every number the report prints: counts, shares, ranks, totals.

Nothing here formats for a page or touches disk. Shares are `Decimal`s rounded half-up to two
places, each over the denominator its sentence names; a set of shares that should add to 100 is
left as computed, never forced.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportsite.model.records import Activity, Edition, Result

EVALUATED, INCOMPLETE = "evaluated", "incomplete"


CN_NUMERALS = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    """1 -> 一 ... 10 -> 十, as the report numbers its sections and counts its batches."""
    return CN_NUMERALS[n - 1]


def plain_number(value: float | int | None) -> float | int | None:
    """A number as the report prints it: 90, not 90.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plain(value: float | int) -> str:
    """`plain_number()` as text."""
    return str(plain_number(value))


def share(part: int, whole: int, places: int = 2) -> Decimal:
    """`part / whole` as a percentage rounded half-up (35/86 -> 40.70); 0 when `whole` is 0."""
    if whole == 0:
        return Decimal(0).quantize(Decimal(1).scaleb(-places))
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    """An evaluated alliance in the published order, with its competition rank."""

    result: Result
    rank: int | None
    """1 for the best score, ties share a rank (100, 100, 99 -> 1, 1, 3); None without a score."""
    position: int
    """1-based place in the published order, the 序号 of the score table."""


def ranking(edition: Edition) -> tuple[Ranked, ...]:
    """The evaluated alliances by tier, then score (highest first); equal or unknown scores keep
    the order of the file, unknown scores after the known ones of their tier."""
    order = {t.key: t.rank for t in edition.tiers}
    rows = sorted(edition.evaluated, key=lambda r: (order[r.tier], r.score is None, -(r.score or 0)))
    scores = sorted((r.score for r in rows if r.score is not None), reverse=True)
    first_place: dict[float, int] = {}
    for place, score in enumerate(scores, start=1):
        first_place.setdefault(score, place)
    return tuple(Ranked(r, None if r.score is None else first_place[r.score], position)
                 for position, r in enumerate(rows, start=1))


def tier_counts(edition: Edition) -> dict[str, int]:
    """Evaluated alliances per tier key, every tier present (best first)."""
    counts = Counter(r.tier for r in edition.evaluated)
    return {t.key: counts[t.key] for t in edition.tiers}


def group_tier_counts(edition: Edition) -> dict[str, dict[str, int]]:
    """Evaluated alliances per group prefix, then per tier key."""
    counts = Counter((r.code[0], r.tier) for r in edition.evaluated)
    return {g.prefix: {t.key: counts[(g.prefix, t.key)] for t in edition.tiers} for g in edition.groups}


def group_status_counts(edition: Edition) -> dict[str, dict[str, int]]:
    """Per group prefix: evaluated, incomplete, and not reported (the rest of the group's size)."""
    evaluated = Counter(r.code[0] for r in edition.evaluated)
    incomplete = Counter(c[0] for c in edition.incomplete)
    return {
        g.prefix: {
            EVALUATED: evaluated[g.prefix],
            INCOMPLETE: incomplete[g.prefix],
            "not_reported": g.size - evaluated[g.prefix] - incomplete[g.prefix],
        }
        for g in edition.groups
    }


def _as_set(value) -> set | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def select(edition: Edition, tier=None, group=None, pilot: bool | None = None,
           min_score: float | None = None, score: float | None = None) -> tuple[Result, ...]:
    """The evaluated alliances matching every given filter, in published order.

    `tier` and `group` take one key/prefix or several; `pilot` keeps pilot batches (True) or
    network members (False); `min_score` keeps scores at or above it; `score` keeps that exact score.
    """
    tiers, groups = _as_set(tier), _as_set(group)
    pilots = {g.prefix for g in edition.groups if g.pilot}
    out = []
    for r in edition.evaluated:
        if tiers is not None and r.tier not in tiers:
            continue
        if groups is not None and r.code[0] not in groups:
            continue
        if pilot is not None and (r.code[0] in pilots) != pilot:
            continue
        if min_score is not None and (r.score is None or r.score < min_score):
            continue
        if score is not None and r.score != score:
            continue
        out.append(r)
    return tuple(out)


def count(edition: Edition, **filters) -> int:
    """How many evaluated alliances match the filters of `select()`."""
    return len(select(edition, **filters))


def pilot_scope(edition: Edition) -> int:
    """Alliances of the pilot batches in all (146 in 2020-2021)."""
    return sum(g.size for g in edition.groups if g.pilot)


def a_level_by_group(edition: Edition) -> dict[str, int]:
    """A-level alliances per group prefix."""
    counts = Counter(code[0] for code in edition.a_level.codes) if edition.a_level else Counter()
    return {g.prefix: counts[g.prefix] for g in edition.groups}


def placed_above(edition: Edition) -> dict[str, Decimal]:
    """Share of the evaluated alliances each one (by code) placed above: a lower tier, or the same
    tier and a lower score. Alliances with only a tier published are compared by tier alone."""
    order = {t.key: t.rank for t in edition.tiers}
    per_tier = Counter(order[r.tier] for r in edition.evaluated)
    scores: dict[str, list[float]] = {}
    for r in edition.evaluated:
        if r.score is not None:
            scores.setdefault(r.tier, []).append(r.score)
    for known in scores.values():
        known.sort()
    out = {}
    for r in edition.evaluated:
        below = sum(count for rank, count in per_tier.items() if rank > order[r.tier])
        if r.score is not None:
            below += bisect_left(scores[r.tier], r.score)
        out[r.code] = share(below, len(edition.evaluated))
    return out


@dataclass(frozen=True)
class ActivityTotals:
    """The preface's totals, computed from their parts."""

    projects: int
    """创新项目 in all: self-funded + government + commissioned."""
    amount: float
    """投入经费总额 (亿元) in all."""


def activity_totals(activity: Activity) -> ActivityTotals:
    """Projects and money summed over the three kinds of project."""
    parts = (activity.self_funded, activity.government, activity.commissioned)
    return ActivityTotals(sum(p.count for p in parts), sum(p.amount for p in parts))
