"""Pure functions from the model to an alliance's page context: who it is, how it did in this
edition, who on the panel comes from it, which pages name it. (Its history across editions is
read by the page from a root file, so that a frozen edition's page never changes.)"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import figures as F
from .model import Alliance, Archive, Edition, Expert, alliance_named_in


@dataclass(frozen=True)
class Standing:
    """How an alliance did in one edition."""

    edition: Edition
    status: str
    """`evaluated` or `incomplete`."""
    score: float | None
    tier_name: str
    """Empty when incomplete."""
    tier_rank: int | None
    """0 for the edition's top tier; comparisons across editions go by this."""
    rank: int | None
    """Competition rank among the evaluated; None without a score."""
    evaluated: int
    """How many alliances the edition evaluated."""
    percentile: Decimal | None
    """Share of the evaluated this alliance placed above (a lower score or a lower tier)."""
    a_level: bool


def edition_codes(edition: Edition) -> list[str]:
    """Every alliance the edition names: evaluated in published order, then incomplete."""
    return [r.code for r in edition.evaluated] + list(edition.incomplete)


def standing(edition: Edition, code: str) -> Standing | None:
    """The alliance's standing in `edition`, or None when the edition does not name it."""
    a_level = bool(edition.a_level and code in edition.a_level.codes)
    evaluated = len(edition.evaluated)
    if code in edition.incomplete:
        return Standing(edition, F.INCOMPLETE, None, "", None, None, evaluated, None, a_level)
    for row in F.ranking(edition):
        if row.result.code == code:
            tier = edition.tier(row.result.tier)
            return Standing(edition, F.EVALUATED, row.result.score, tier.name, tier.rank, row.rank,
                            evaluated, F.placed_above(edition, row.result), a_level)
    return None


def panel_members(edition: Edition, alliance: Alliance) -> list[tuple[Expert, str]]:
    """Experts of the edition whose titles name this alliance, with that title."""
    names = {alliance.name, *alliance.aliases}
    return [(e, t) for e in edition.experts for t in e.titles if alliance_named_in(t) in names]


def mentions(pages, code: str) -> list:
    """The pages (narrative and appendices) that link to this alliance's page."""
    target = f"alliances/{code}.html"
    return [p for p in pages if target in p.markdown]


def profile(archive: Archive, edition: Edition, code: str, pages) -> dict:
    """The context of one alliance's page in `edition`."""
    alliance = archive.alliance(code)
    return {
        "a": alliance,
        "group": edition.group(code[0]),
        "now": standing(edition, code),
        "panel": panel_members(edition, alliance),
        "mentions": mentions(pages, code),
    }
