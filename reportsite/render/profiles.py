"""Pure functions from the model to an alliance's page context: who it is, how it did in this
edition, who on the panel comes from it, which pages name it. (Its history across editions is
read by the page from a root file, so that a frozen edition's page never changes.)"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from reportsite.model import figures as F
from reportsite.model.records import Alliance, Archive, Edition, Expert
from reportsite.model.escape import PageMarkup
from reportsite.model.titles import alliance_named_in
from reportsite.render.charts.rankfigure import rank_figure
from reportsite.render.chrome import without_chrome
from reportsite.render.charts.ratefigure import rate_figure_html
from reportsite.render.charts.rates import profile_spec
from reportsite.render.charts.spec import Declaration
from reportsite.render.indicators import ALLIANCE
from reportsite.render.moves import movements, rank_histories


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
    tied: bool = False
    """Whether another alliance shares its rank (the page then reads 并列第 1 名)."""


def edition_codes(edition: Edition) -> list[str]:
    """Every alliance the edition names: evaluated in published order, then incomplete."""
    return [r.code for r in edition.evaluated] + list(edition.incomplete)


def standings(edition: Edition) -> dict[str, Standing]:
    """Every alliance the edition names, by code, with its standing (one ranking per edition)."""
    a_level = set(edition.a_level.codes) if edition.a_level else set()
    evaluated = len(edition.evaluated)
    above = F.placed_above(edition)
    out = {}
    rows = F.ranking(edition)
    shared = Counter(row.rank for row in rows if row.rank)
    for row in rows:
        code, tier = row.result.code, edition.tier(row.result.tier)
        out[code] = Standing(edition, F.EVALUATED, row.result.score, tier.name, tier.rank, row.rank,
                             evaluated, above[code], code in a_level,
                             row.rank is not None and shared[row.rank] > 1)
    for code in edition.incomplete:
        out[code] = Standing(edition, F.INCOMPLETE, None, "", None, None, evaluated, None, code in a_level)
    return out


def panel_members(edition: Edition, alliance: Alliance) -> list[tuple[Expert, str]]:
    """Experts of the edition whose titles name this alliance (by any name it had), with that title."""
    names = {alliance.name, *alliance.aliases, *(f.name for f in alliance.former_names)}
    return [(e, t) for e in edition.experts for t in e.titles if alliance_named_in(t) in names]


LINK = re.compile(r"alliances/([^/\"'#?)\s]+)\.html")


def mentions(pages) -> dict[str, list]:
    """For each alliance code, the pages (narrative and appendices) that link to its page in their
    own words (not in the words the tool adds around them, `chrome.py`)."""
    out: dict[str, list] = {}
    for page in pages:
        for code in dict.fromkeys(LINK.findall(without_chrome(page.markdown))):
            out.setdefault(code, []).append(page)
    return out


def indicator_profile(archive: Archive, edition: Edition, code: str, averages: dict) -> PageMarkup | None:
    """The alliance's indicator profile as a figure, where the edition publishes each alliance's
    scores and it has them; None otherwise. `averages` keeps each tier's for the next page."""
    if edition.indicators_publish != ALLIANCE or not any(s.code == code for s in edition.scores):
        return None
    d = Declaration(kind="profile", by="tier", alliance=code)
    return rate_figure_html(profile_spec(archive, edition, d, "indicator-profile", None, averages))


def profiles(archive: Archive, edition: Edition, pages) -> list[dict]:
    """The context of each alliance page of `edition`, in `edition_codes()` order."""
    now, named = standings(edition), mentions(pages)
    moved, steps = movements(archive, edition), rank_histories(archive, edition)
    demo = any(e.demo for e in archive.editions if e.id <= edition.id)
    averages: dict = {}
    out = []
    for code in edition_codes(edition):
        alliance = archive.alliance(code)
        out.append({
            "moved": moved.by_code.get(code) if moved else None,
            "moves_against": moved,
            "rank_figure": rank_figure(steps.get(code, ()), alliance.name, demo),
            "a": alliance,
            "group": edition.group(code[0]),
            "now": now[code],
            "panel": panel_members(edition, alliance),
            "mentions": named.get(code, []),
            "profile": indicator_profile(archive, edition, code, averages),
        })
    return out
