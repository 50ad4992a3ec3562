"""Pure functions from the indicator scores to what they say about groups of alliances: each
indicator's average 得分率 (score ÷ points) by tier and by batch, the indicators where a group is
weakest and strongest, how many alliances scored zero on one.

An average over one or two alliances would disclose their scores, so a group of fewer than
`MIN_GROUP` alliances has no figure ("—"). Shares are `Decimal`s rounded half-up to two places, as
`figures.share` rounds. Nothing here formats for a page or touches disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from reportsite.model import figures as F
from reportsite.model.records import Edition, Indicator, Scores

MIN_GROUP = 3
"""The fewest alliances a published average may cover."""
FIRST, SECOND = "first", "second"
"""The levels of the indicators: 一级指标 and 二级指标."""
LEVELS = (FIRST, SECOND)
HIDDEN = "—"
"""What stands for a figure of a group too small to publish."""


@lru_cache(maxsize=4096, typed=True)  # 1 and 1.0 are different decimals (1 and 1.0)
def exact(value: float) -> Decimal:
    """A score as the decimal it was written as (2.5 is 2.5, never 2.4999…); an archive's scores
    take few values, each worked out once."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """`part / whole` as a percentage rounded half-up to two places; 0 when `whole` is 0."""
    if not whole:
        return Decimal("0.00")
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    """One indicator at one level: a first-level indicator, or one of its items."""

    name: str
    points: Decimal
    """Its maximum (分值)."""
    level: str
    """`first` or `second`."""
    parent: str
    """The first-level indicator it belongs to (its own name at the first level)."""
    index: int
    """Its place in the edition's order at its level, from 0: ties are broken by it."""


def measures(edition: Edition, level: str = SECOND) -> tuple[Measure, ...]:
    """The edition's indicators at `level`, in the order of indicators.yaml (the additive form;
    empty in the list form)."""
    return _measures(edition.indicators, level)


@lru_cache(maxsize=64)
def _measures(indicators: tuple[Indicator, ...], level: str) -> tuple[Measure, ...]:
    """`measures()`, worked out once for each list of indicators (an archive's alliance pages ask
    for them thousands of times)."""
    out: list[Measure] = []
    for indicator in indicators:
        if indicator.max is None:
            return ()
        if level == FIRST:
            out.append(Measure(indicator.name, exact(indicator.max), FIRST, indicator.name, len(out)))
            continue
        for name, top in zip(indicator.items, indicator.item_max):
            out.append(Measure(name, exact(top), SECOND, indicator.name, len(out)))
    return tuple(out)


def values(scores: Scores, level: str = SECOND) -> tuple[Decimal, ...]:
    """One alliance's scores at `level`, in the order of `measures()`: its items' as entered, or
    each first-level indicator's as the sum of its items'."""
    if level == FIRST:
        return tuple(sum((exact(v) for v in group), Decimal(0)) for group in scores.items)
    return tuple(exact(v) for group in scores.items for v in group)


@dataclass(frozen=True)
class Rate:
    """A group's average 得分率 on one indicator."""

    measure: Measure
    value: Decimal | None
    """In percent, half-up to two places; None for a group of fewer than `MIN_GROUP`."""
    size: int
    """How many alliances the group holds."""

    def __str__(self) -> str:
        return HIDDEN if self.value is None else f"{self.value}%"


def scored(edition: Edition, tier=None, group=None, pilot: bool | None = None) -> tuple[Scores, ...]:
    """The scores of the evaluated alliances the filters of `figures.select()` keep, in published
    order."""
    by_code = {s.code: s for s in edition.scores}
    return tuple(by_code[r.code] for r in F.select(edition, tier=tier, group=group, pilot=pilot)
                 if r.code in by_code)


def rates(edition: Edition, level: str = SECOND, **filters) -> tuple[Rate, ...]:
    """Each indicator's average 得分率 over the alliances `filters` keep (`tier`, `group`,
    `pilot`), in the edition's order: the sum of their scores over their number times the
    indicator's points."""
    rows = [values(s, level) for s in scored(edition, **filters)]
    out = []
    for m in measures(edition, level):
        if len(rows) < MIN_GROUP:
            out.append(Rate(m, None, len(rows)))
            continue
        total = sum((row[m.index] for row in rows), Decimal(0))
        out.append(Rate(m, percent(total, m.points * len(rows)), len(rows)))
    return tuple(out)


def ordered(edition: Edition, n: int, highest: bool, level: str = SECOND, **filters) -> tuple[str, ...]:
    """The names of the `n` indicators with the lowest (or, `highest`, the highest) average
    得分率 over the alliances `filters` keep, ties in the edition's order; every indicator when
    `n` exceeds their number; `("—",)` for a group too small to publish."""
    found = rates(edition, level, **filters)
    if not found or found[0].value is None:
        return (HIDDEN,)
    sign = -1 if highest else 1
    ranked = sorted(found, key=lambda r: (sign * r.value if r.value is not None else 0, r.measure.index))
    return tuple(r.measure.name for r in ranked[:max(n, 0)])


def zero_count(edition: Edition, name: str, level: str = SECOND, **filters) -> int | None:
    """How many of the alliances `filters` keep scored 0 on the indicator `name`; None for a group
    too small to publish."""
    rows = [values(s, level) for s in scored(edition, **filters)]
    m = next(m for m in measures(edition, level) if m.name == name)
    return None if len(rows) < MIN_GROUP else sum(1 for row in rows if row[m.index] == 0)


def alliance_rates(edition: Edition, mine: Scores, level: str = SECOND) -> tuple[tuple[Measure, Decimal], ...]:
    """One alliance's 得分率 on each indicator, from its scores `mine` (for a page that publishes
    them)."""
    return tuple((m, percent(v, m.points)) for m, v in zip(measures(edition, level), values(mine, level)))
