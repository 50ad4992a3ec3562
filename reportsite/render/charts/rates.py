"""The two chart kinds of the indicator scores, as data: a table of average 得分率 (tiers or
batches across, indicators down: `kind="indicators"`) and one alliance's profile (its 得分率 on
each indicator beside its tier's average: `kind="profile"`).

Every figure comes from `model/findings.py`; a group of fewer than three alliances has none. A
profile shows one alliance's scores, so it is drawn only for an edition that publishes them
(`indicators_publish: alliance`). `ratefigure.py` makes a spec the page's figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportsite.model import findings as X
from reportsite.model.errors import ContentError
from reportsite.model.records import Archive, Edition
from reportsite.render.charts.spec import Declaration, FigureWords
from reportsite.render.indicators import ALLIANCE, usable

MATRIX, PROFILE = "matrix", "profile"


@dataclass(frozen=True)
class RateRow:
    """One indicator: its average 得分率 in each column."""

    label: str
    """The indicator's name."""
    points: Decimal
    """Its points (分值)."""
    values: tuple[Decimal | None, ...]
    """In percent, one per column; None for a group too small to publish."""
    heading: bool = False
    """A first-level indicator heading its items (in a table of second-level ones)."""

    @property
    def name(self) -> str:
        """`理事会会议（4 分）`."""
        return f"{self.label}（{format(self.points.normalize(), 'f')} 分）"


@dataclass(frozen=True)
class RateSpec(FigureWords):
    """A table of 得分率 or a profile: its words (`FigureWords`) and its rows of figures."""

    columns: tuple[str, ...]
    """What each column is (`活跃度高`, `全部参评联盟`; a profile: the alliance, its tier)."""
    sizes: tuple[int, ...]
    """How many alliances each column averages over (1 for an alliance's own column)."""
    rows: tuple[RateRow, ...]
    """Each indicator in the edition's order (second-level ones under their heading row)."""
    shape: str
    """`matrix` (a table, coloured) or `profile` (bars beside bars)."""
    level: str = X.SECOND
    """`second`: items under their first-level indicator's heading row; `first`: those alone."""
    row_header: str = "指标（分值）"

    @property
    def heads(self) -> tuple[str, ...]:
        """Each column's heading with the number of alliances it covers."""
        return tuple(name if self.shape == PROFILE and i == 0 else f"{name}（{n} 家）"
                     for i, (name, n) in enumerate(zip(self.columns, self.sizes)))


Column = tuple[Decimal | None, ...]
"""A column's 得分率 of each indicator at one level, in the edition's order."""


def _column(edition: Edition, level: str, **filters) -> Column:
    return tuple(r.value for r in X.rates(edition, level, **filters))


def _rows(edition: Edition, level: str, seconds: list[Column], firsts: list[Column]) -> tuple[RateRow, ...]:
    """Each indicator at `level` with its figure in each column; second-level ones under a heading
    row of their first-level indicator."""
    heads = X.measures(edition, X.FIRST)
    if level == X.FIRST:
        return tuple(RateRow(m.name, m.points, tuple(c[m.index] for c in firsts)) for m in heads)
    items = X.measures(edition, X.SECOND)
    out = []
    for head in heads:
        out.append(RateRow(head.name, head.points, tuple(c[head.index] for c in firsts), True))
        out += [RateRow(m.name, m.points, tuple(c[m.index] for c in seconds)) for m in items if m.parent == head.name]
    return tuple(out)


def matrix_spec(archive: Archive, edition: Edition, d: Declaration, chart_id: str,
                number: int | None) -> RateSpec:
    """`kind="indicators"`: the average 得分率 of each indicator (down) in each tier or batch the
    filter keeps, and over all of them (across)."""
    usable(edition)
    base: dict[str, Any] = {"group": d.groups, "pilot": d.pilot}
    groups: list[tuple[str, dict[str, Any]]]
    if d.by == "tier":
        kept = [t for t in edition.tiers if d.tiers is None or t.key in d.tiers]
        groups = [(t.name, {**base, "tier": t.key}) for t in kept]
    else:
        kept_groups = [g for g in edition.groups if (d.groups is None or g.prefix in d.groups)
                       and (d.pilot is None or g.pilot == d.pilot)]
        groups = [(g.name, {"group": g.prefix, "tier": d.tiers}) for g in kept_groups]
    everyone = {**base, "tier": d.tiers}
    groups.append(("全部" + ("所选" if d.tiers or d.groups or d.pilot is not None else "参评") + "联盟", everyone))
    sizes = tuple(len(X.scored(edition, **f)) for _, f in groups)
    if not sizes[-1]:
        raise ContentError.of("chart-empty")
    rows = _rows(edition, d.level, [_column(edition, X.SECOND, **f) for _, f in groups],
                 [_column(edition, X.FIRST, **f) for _, f in groups])
    whole = [r for r in rows if not r.heading]
    known = [(r.values[-1], i, r.label) for i, r in enumerate(whole) if r.values[-1] is not None]
    across = "各活跃度档次" if d.by == "tier" else "各批次"
    level = "一级指标" if d.level == X.FIRST else "二级指标"
    if known:
        best, worst = max(known, key=lambda k: (k[0], -k[1])), min(known)
        headline = (f"{groups[-1][0]}中，得分率最高的{level}是{best[2]}（{best[0]}%），"
                    f"最低的是{worst[2]}（{worst[0]}%）")
    else:
        headline = f"有指标得分的联盟不足 {X.MIN_GROUP} 家，不公布平均得分率"
    return RateSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=d.title or f"{across}联盟的{level}得分率",
        headline=d.caption or headline,
        subtitle=d.note or (f"{across}有指标得分的联盟在每项{level}上的平均得分率（得分 ÷ 分值，%，四舍五入保留两位小数）；"
                            f"不足 {X.MIN_GROUP} 家的分组不公布（—）"),
        columns=tuple(name for name, _ in groups), sizes=sizes, rows=rows, shape=MATRIX, level=d.level)


def profile_spec(archive: Archive, edition: Edition, d: Declaration, chart_id: str,
                 number: int | None, averages: dict | None = None) -> RateSpec:
    """`kind="profile"`: one alliance's 得分率 on each indicator beside its tier's average (what an
    edition's profiles share, kept in `averages` where given, for the next alliance)."""
    usable(edition)
    if edition.indicators_publish != ALLIANCE:
        raise ContentError.of("indicator-findings/alliance", policy=edition.indicators_publish)
    cache = {} if averages is None else averages
    if "results" not in cache:
        cache["results"] = {r.code: r for r in edition.evaluated}
        cache["scores"] = {s.code: s for s in edition.scores}
    result, mine = cache["results"][d.alliance], cache["scores"][d.alliance]
    tier = edition.tier(result.tier)
    name = archive.alliance(d.alliance).name if archive.alliances else d.alliance
    own = [tuple(v for _, v in X.alliance_rates(edition, mine, level)) for level in (X.SECOND, X.FIRST)]
    if tier.key not in cache:
        cache[tier.key] = (_column(edition, X.SECOND, tier=tier.key), _column(edition, X.FIRST, tier=tier.key),
                           len(X.scored(edition, tier=tier.key)))
    seconds, firsts, size = cache[tier.key]
    rows = _rows(edition, d.level, [own[0], seconds], [own[1], firsts])
    items = list(enumerate(r for r in rows if not r.heading))
    best = max(items, key=lambda p: (p[1].values[0] or 0, -p[0]))[1]
    worst = min(items, key=lambda p: (p[1].values[0] or 0, p[0]))[1]
    level = "一级指标" if d.level == X.FIRST else "二级指标"
    return RateSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=d.title or f"{name}的{level}得分率与{tier.name}联盟平均",
        headline=d.caption or (f"得分率最高的是{best.label}（{best.values[0]}%），"
                               f"最低的是{worst.label}（{worst.values[0]}%）"),
        subtitle=d.note or (f"{name}在每项{level}上的得分率（得分 ÷ 分值，%），与{tier.name}联盟"
                            f"（{size} 家）的平均得分率对比；不足 {X.MIN_GROUP} 家时不公布平均（—）"),
        columns=(name, f"{tier.name}联盟平均"), sizes=(1, size), rows=rows, shape=PROFILE, level=d.level)
