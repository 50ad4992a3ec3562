"""Pure functions from the model to chart specs: what each chart counts, as data.

The report's eleven figures keep their numbers and captions (`fig-1` ... `fig-11`); three more
(`batch-tier`, `score-distribution`, `funnel`) show what a reader would want beside them. Every
count here comes from `figures.py` and every share is `figures.share()` over the base its row
names. `chart_svg.py` draws a spec as static HTML; `assets/js/charts.js` redraws it with plotly.
"""

from __future__ import annotations

from collections import Counter

from . import figures as F
from .chart_svg import COUNT, SHARE, ChartSpec, Row, Segment, figure_html
from .model import Archive, Edition, Group, Tier

__all__ = ["CHART_IDS", "ChartSpec", "figure_html", "spec"]

INCOMPLETE = "数据不完整"
NOT_REPORTED = "未填报"
"""Chinese numerals for the report's captions (`四档`, `三批次`)."""


def _seg(name: str, key: str, count: int, base: int) -> Segment:
    return Segment(name, key, count, F.share(count, base))


def _tier_key(tier: Tier) -> str:
    return f"tier-{tier.rank}"


def _pilots(edition: Edition) -> list[Group]:
    return [g for g in edition.groups if g.pilot]


def _most(counts: dict[str, int]) -> tuple[list[str], int]:
    """The names with the largest count (several when tied) and that count."""
    top = max(counts.values())
    return [name for name, n in counts.items() if n == top], top


def _status_segments(edition: Edition, group: Group | None, base: int) -> tuple[Segment, ...]:
    """Tiers, incomplete and not reported for one group, or for the whole edition (group None)."""
    prefixes = [group.prefix] if group else [g.prefix for g in edition.groups]
    status = F.group_status_counts(edition)
    tiers = F.group_tier_counts(edition)
    segments = [_seg(t.name, _tier_key(t), sum(tiers[p][t.key] for p in prefixes), base)
                for t in edition.tiers]
    segments.append(_seg(INCOMPLETE, "incomplete", sum(status[p][F.INCOMPLETE] for p in prefixes), base))
    segments.append(_seg(NOT_REPORTED, "not-reported", sum(status[p]["not_reported"] for p in prefixes), base))
    return tuple(segments)


def overall(edition: Edition, chart_id: str) -> ChartSpec:
    """图 1: the tiers among the evaluated, and tiers, incomplete and not reported among all."""
    evaluated, scope = len(edition.evaluated), edition.in_scope
    tiers = F.tier_counts(edition)
    among_evaluated = tuple(_seg(t.name, _tier_key(t), tiers[t.key], evaluated) for t in edition.tiers)
    top = edition.tiers[:2]
    active = sum(tiers[t.key] for t in top)
    names = "和".join(t.name.removeprefix("活跃度") if i else t.name for i, t in enumerate(top))
    return ChartSpec(
        id=chart_id, number=1, stem=f"{edition.id}-{chart_id}",
        caption="参评的试点联盟和协发网网员联盟各档次所占比例及联盟总体情况分布比例",
        headline=(f"参评的 {evaluated} 家联盟中{names}的有 {active} 家，占参评联盟的 "
                  f"{F.share(active, evaluated)}%、联盟总数的 {F.share(active, scope)}%"),
        subtitle=(f"各活跃度档次的联盟数占参评联盟（{evaluated} 家）和评价范围内联盟总数（{scope} 家）"
                  f"的比例；联盟总数中另计{INCOMPLETE}和{NOT_REPORTED}的联盟"),
        measure=SHARE, row_header="范围", share_header="占比（%）",
        rows=(Row(f"参评联盟（{evaluated} 家）", evaluated, among_evaluated),
              Row(f"联盟总数（{scope} 家）", scope, _status_segments(edition, None, scope))),
    )


def batch_status(edition: Edition, chart_id: str, number: int, group: Group) -> ChartSpec:
    """图 2, 4, 6: a pilot batch's alliances by tier, incomplete and not reported, over its size."""
    segments = _status_segments(edition, group, group.size)
    evaluated = sum(s.count for s in segments[:len(edition.tiers)])
    best = segments[0]
    return ChartSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=f"{group.name}情况分布的比例",
        headline=(f"{group.name} {group.size} 家中参评 {evaluated} 家，占 {F.share(evaluated, group.size)}%；"
                  f"其中{best.name}的 {best.count} 家，占该批联盟总数的 {best.share}%"),
        subtitle=f"{group.name}各活跃度档次、{INCOMPLETE}和{NOT_REPORTED}的联盟数占该批联盟总数（{group.size} 家）的比例",
        measure=SHARE, row_header="情况", share_header=f"占该批联盟总数（{group.size} 家）的比例（%）",
        rows=tuple(Row(s.name, group.size, (s,)) for s in segments),
    )


def batch_tiers(edition: Edition, chart_id: str, number: int, group: Group) -> ChartSpec:
    """图 3, 5, 7: each tier's share of a pilot batch's own evaluated alliances."""
    counts = F.group_tier_counts(edition)[group.prefix]
    evaluated = sum(counts.values())
    names, top = _most({t.name: counts[t.key] for t in edition.tiers})
    lead = (f"{names[0]}的最多，有 {top} 家" if len(names) == 1
            else f"{'、'.join(names)}的最多，各有 {top} 家")
    return ChartSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=f"{group.name}{F.cn_numeral(len(edition.tiers))}档分别占参评联盟的比例",
        headline=f"{group.name}参评的 {evaluated} 家中{lead}，占 {F.share(top, evaluated)}%",
        subtitle=f"{group.name}各活跃度档次的联盟数占该批参评联盟（{evaluated} 家）的比例",
        measure=SHARE, row_header="活跃度档次", share_header=f"占该批参评联盟（{evaluated} 家）的比例（%）",
        rows=tuple(Row(t.name, evaluated, (_seg(t.name, _tier_key(t), counts[t.key], evaluated),))
                   for t in edition.tiers),
    )


def tier_batches(edition: Edition, chart_id: str, number: int, tier: Tier) -> ChartSpec:
    """图 8-11: for one tier, each pilot batch's share of the pilot alliances in that tier."""
    pilots = _pilots(edition)
    counts = {g.name: F.count(edition, tier=tier.key, group=g.prefix) for g in pilots}
    total = sum(counts.values())
    names, top = _most(counts)
    lead = (f"{names[0]}占 {F.share(top, total)}%（{top} 家）" if len(names) == 1
            else f"{'和'.join(names)}各占 {F.share(top, total)}%（各 {top} 家）")
    band = f"{tier.min:g}–{tier.max:g} 分"
    return ChartSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=f"{tier.name}的{F.cn_numeral(len(pilots))}批次试点联盟占比情况",
        headline=f"{tier.name}的 {total} 家试点联盟中，{lead}",
        subtitle=f"{tier.name}（{band}）的试点联盟中各批次的联盟数及其占比",
        measure=SHARE, row_header="批次", share_header=f"占{tier.name}试点联盟（{total} 家）的比例（%）",
        rows=tuple(Row(g.name, total, (_seg(tier.name, _tier_key(tier), counts[g.name], total),))
                   for g in pilots),
    )


def batch_tier(edition: Edition, chart_id: str) -> ChartSpec:
    """Every evaluated alliance by group (rows) and tier (segments)."""
    counts = F.group_tier_counts(edition)
    top = edition.tiers[:2]
    rows, active = [], {}
    for g in edition.groups:
        evaluated = sum(counts[g.prefix].values())
        active[g.name] = (F.share(sum(counts[g.prefix][t.key] for t in top), evaluated), g.prefix)
        rows.append(Row(f"{g.name}（{evaluated} 家）", evaluated,
                        tuple(_seg(t.name, _tier_key(t), counts[g.prefix][t.key], evaluated)
                              for t in edition.tiers)))
    best = max(active, key=lambda name: active[name][0])
    names = "或".join(t.name.removeprefix("活跃度") if i else t.name for i, t in enumerate(top))
    n = sum(counts[active[best][1]][t.key] for t in top)
    return ChartSpec(
        id=chart_id, number=None, stem=f"{edition.id}-{chart_id}",
        caption=f"参评的 {len(edition.evaluated)} 家联盟按批次和活跃度档次的分布",
        headline=f"各批次中，{best}参评联盟里{names}的比例最高：{n} 家，占 {active[best][0]}%",
        subtitle="各批次参评联盟中各活跃度档次的联盟数（家）；比例以该批次参评联盟数为基数",
        measure=COUNT, row_header="批次", share_header="占该批参评联盟的比例（%）", rows=tuple(rows),
    )


def score_bands(tier: Tier, floor: int, width: int = 5) -> list[tuple[int, int]]:
    """(low, high) score bands of `tier`, `width` points wide, split at the tier's bounds, from its
    top down to `floor`; a band holds the scores from `low` up to but excluding `high + 1`."""
    bands = []
    high = int(tier.max)
    while high >= max(int(tier.min), floor):
        low = max(int(tier.min), (high - 1 if high == 100 else high) // width * width)
        bands.append((low, high))
        high = low - 1
    return bands


def score_distribution(edition: Edition, chart_id: str) -> ChartSpec:
    """The evaluated alliances by score band, grouped by tier; tier-only results in a row of their own."""
    evaluated = len(edition.evaluated)
    scores = [r.score for r in edition.evaluated if r.score is not None]
    floor = int(min(scores)) // 5 * 5 if scores else 100
    unscored = Counter(r.tier for r in edition.evaluated if r.score is None)
    rows, banded = [], []
    for tier in edition.tiers:
        group = f"{tier.name}（{tier.min:g}–{tier.max:g} 分）"
        for low, high in score_bands(tier, floor):
            n = sum(1 for s in scores if low <= s < high + 1)
            banded.append(Row(f"{low}–{high} 分", evaluated, (_seg(tier.name, _tier_key(tier), n, evaluated),), group))
            rows.append(banded[-1])
        if unscored[tier.key]:
            rows.append(Row(f"未公布分数（{tier.name}）", evaluated,
                            (_seg(tier.name, _tier_key(tier), unscored[tier.key], evaluated),), group))
    modal = max(banded, key=lambda r: r.segments[0].count)
    note = f"；另有 {sum(unscored.values())} 家只公布了活跃度档次、未公布分数" if unscored else ""
    return ChartSpec(
        id=chart_id, number=None, stem=f"{edition.id}-{chart_id}",
        caption="参评联盟的得分分布",
        headline=f"得分在 {modal.label}的联盟最多，有 {modal.segments[0].count} 家",
        subtitle=f"公布分数的 {len(scores)} 家参评联盟按得分分段（每段 5 分）的联盟数（家）{note}",
        measure=COUNT, row_header="得分", share_header=f"占参评联盟（{evaluated} 家）的比例（%）",
        rows=tuple(rows),
    )


def funnel(edition: Edition, chart_id: str) -> ChartSpec:
    """How many could take part, entered data, and were evaluated."""
    scope, entered, evaluated = edition.in_scope, edition.entered, len(edition.evaluated)
    steps = (("评价范围内的联盟", scope), ("录入动态数据库信息", entered), ("参加评价", evaluated))
    return ChartSpec(
        id=chart_id, number=None, stem=f"{edition.id}-{chart_id}",
        caption="联盟参与评价的情况",
        headline=(f"评价范围内的 {scope} 家联盟中，{entered} 家录入了信息，"
                  f"{evaluated} 家参加评价，占 {F.share(evaluated, scope)}%"),
        subtitle=f"评价范围内、录入信息和参加评价的联盟数（家）及其占联盟总数（{scope} 家）的比例；录入信息的联盟数按原报告",
        measure=COUNT, row_header="阶段", share_header=f"占联盟总数（{scope} 家）的比例（%）",
        rows=tuple(Row(name, scope, (_seg(name, "neutral", n, scope),)) for name, n in steps),
    )


CHART_IDS = ("fig-1", "fig-2", "fig-3", "fig-4", "fig-5", "fig-6", "fig-7", "fig-8", "fig-9",
             "fig-10", "fig-11", "batch-tier", "score-distribution", "funnel")
"""Every chart `spec()` knows, in the order the report shows them."""


def spec(archive: Archive, edition: Edition, chart_id: str) -> ChartSpec:
    """The spec of chart `chart_id` of the edition.

    `fig-2`/`fig-3` are the first pilot batch, `fig-4`/`fig-5` the second, `fig-6`/`fig-7` the
    third; `fig-8` to `fig-11` are the tiers, best first.
    """
    if chart_id not in CHART_IDS:
        raise ValueError(f"unknown chart {chart_id!r}; the charts are {', '.join(CHART_IDS)}")
    extra = {"fig-1": overall, "batch-tier": batch_tier, "score-distribution": score_distribution,
             "funnel": funnel}
    if chart_id in extra:
        return extra[chart_id](edition, chart_id)
    number = int(chart_id.removeprefix("fig-"))
    pilots = _pilots(edition)
    try:
        if number <= 7:
            group = pilots[(number - 2) // 2]
            build = batch_status if number % 2 == 0 else batch_tiers
            return build(edition, chart_id, number, group)
        return tier_batches(edition, chart_id, number, edition.tiers[number - 8])
    except IndexError:
        raise ValueError(f"chart {chart_id!r} needs more pilot batches or tiers than edition "
                         f"{edition.id} has") from None
