"""Pure functions from the model and a chart declaration to a chart spec: what a chart counts, as data.

Content declares a chart (`options.py`); `spec()` counts it: every count comes from `figures.py`
and every share is `figures.share()` over the base its row names. Its words (title, the sentence
of its finding, what it counts over which base, table headings) are written from the declaration
and the numbers unless the content gives them. Each kind of chart is one row of `KINDS`: what its
bars may be, how it counts them, how it is worded and drawn. `place.py` numbers an edition's
charts; `figure.py` makes a spec the page's figure (`svg.py` draws it); `assets/js/charts.js`
redraws it with plotly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportsite.model import figures as F
from reportsite.model.errors import ContentError
from reportsite.model.records import Archive, Edition, Group, Tier
from reportsite.render.charts.rates import MATRIX, PROFILE, RateSpec, matrix_spec, profile_spec
from reportsite.render.charts.spec import BARS, COUNT, DONUT, LINES, SHARE, ChartSpec, Declaration, Row, Segment

INCOMPLETE = "数据不完整"
NOT_REPORTED = "未填报"
BASE_NAME = {"evaluated": "参评联盟", "in_scope": "联盟总数", "entered": "录入信息的联盟", "group": "联盟总数"}
"""What a base is called in a row label and a table heading."""
LONG_NAME = {**BASE_NAME, "in_scope": "评价范围内联盟总数"}
"""What a base is called in a sentence beside others."""
HEAD = {"evaluated": "参评的", "in_scope": "共", "entered": "录入信息的", "group": "共"}
"""How a sentence counts a base: 参评的 86 家."""
STEPS = (("评价范围内的联盟", "in_scope"), ("录入动态数据库信息", "entered"), ("参加评价", "evaluated"))
"""The funnel's steps."""


@dataclass(frozen=True)
class Category:
    """One thing a chart counts, per group: a tier, 数据不完整 or 未填报."""

    name: str
    key: str
    """Colour key, a key of `svg.PALETTE`."""
    counts: dict[str, int]
    """Alliances per group prefix."""
    tier: Tier | None = None

    def count(self, groups: list[Group]) -> int:
        return sum(self.counts[g.prefix] for g in groups)


def _seg(name: str, key: str, count: int, base: int) -> Segment:
    return Segment(name, key, count, F.share(count, base))


def _cn(n: int) -> str:
    return F.cn_numeral(n) if 1 <= n <= 10 else str(n)


def _and(words: list[str]) -> str:
    """`a、b和c`."""
    return "、".join(words[:-1]) + "和" + words[-1] if len(words) > 1 else "".join(words)


def _most(counts: dict[str, int]) -> tuple[list[str], int]:
    """The names with the largest count (several when tied) and that count."""
    top = max(counts.values())
    return [name for name, n in counts.items() if n == top], top


def _top_names(tiers: list[Tier], join: str) -> str:
    """`活跃度高和较高`: the tiers' names, the shared 活跃度 said once."""
    return join.join(t.name.removeprefix("活跃度") if i else t.name for i, t in enumerate(tiers))


def scope_groups(edition: Edition, d: Declaration) -> list[Group]:
    """The groups the filter keeps, in the edition's order."""
    return [g for g in edition.groups if (d.groups is None or g.prefix in d.groups)
            and (d.pilot is None or g.pilot == d.pilot)]


def categories(edition: Edition, d: Declaration, statuses: tuple[str, ...]) -> list[Category]:
    """Tiers (those the filter keeps), then 数据不完整 and 未填报, of the `statuses` asked for and kept."""
    kept = [s for s in statuses if d.statuses is None or s in d.statuses]
    if d.tiers is not None:
        kept = [s for s in kept if s == F.EVALUATED]
    tiers, status = F.group_tier_counts(edition), F.group_status_counts(edition)
    out = []
    if F.EVALUATED in kept:
        out += [Category(t.name, f"tier-{t.rank}", {p: c[t.key] for p, c in tiers.items()}, t)
                for t in edition.tiers if d.tiers is None or t.key in d.tiers]
    if F.INCOMPLETE in kept:
        out.append(Category(INCOMPLETE, "incomplete", {p: c[F.INCOMPLETE] for p, c in status.items()}))
    if "not_reported" in kept:
        out.append(Category(NOT_REPORTED, "not-reported", {p: c["not_reported"] for p, c in status.items()}))
    return out


def base(edition: Edition, d: Declaration, of: str, groups: list[Group]) -> int:
    """The whole a share is of: the evaluated alliances the filter keeps, everyone in scope in the
    groups, or the number that entered data. Where the bars are tiers, a tier filter only picks
    the tiers shown: the evaluated are all of them."""
    if of == "evaluated":
        kept = replace(d, statuses=None, tiers=None if d.by in ("tier", "status") else d.tiers)
        return sum(c.count(groups) for c in categories(edition, kept, (F.EVALUATED,)))
    if of == "entered":
        return edition.entered
    return sum(g.size for g in groups)


class Words:
    """The phrases a chart's texts are made of, from its declaration."""

    def __init__(self, edition: Edition, d: Declaration, groups: list[Group]):
        self.d = d
        self.of = d.share_of[0]
        if d.groups is not None or d.pilot is False:
            self.who = "和".join(g.name for g in groups)
        else:
            self.who = "试点联盟" if d.pilot else ""
        self.single = len(groups) == 1 and d.groups is not None
        self.tiers = [edition.tier(k) for k in d.tiers] if d.tiers else []

    def base(self, n: int | None = None) -> str:
        """`该批参评联盟（34 家）`, `活跃度高试点联盟（32 家）`, `联盟总数（157 家）`: the base,
        counted when `n` is given."""
        of = self.of
        prefix = "该批" if self.single or self.d.per == "group" or of == "group" else ""
        pilot = "试点联盟" if self.d.pilot and not prefix else "联盟"
        if of == "evaluated" and len(self.tiers) == 1 and self.d.by not in ("tier", "status"):
            name = self.tiers[0].name + pilot
        elif of == "evaluated":
            name = "参评" + pilot
        elif of == "entered":
            name = BASE_NAME[of]
        else:
            name = pilot + "总数"
        return prefix + name + (f"（{n} 家）" if n is not None else "")

    def kinds(self, cats: list[Category]) -> str:
        """`各活跃度档次、数据不完整和未填报`: what the categories are."""
        words = ["各活跃度档次"] if any(c.tier for c in cats) else []
        return _and(words + [c.name for c in cats if not c.tier])


def _bar_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    """A plain bar chart: one bar per tier, status or group."""
    of = d.share_of[0]
    if d.by == "group":
        cats = categories(edition, d, (F.EVALUATED,) if d.statuses is None else d.statuses)
        total = base(edition, d, of, groups)
        rows = []
        for g in groups:
            n, whole = sum(c.counts[g.prefix] for c in cats), g.size if of == "group" else total
            name, key = (cats[0].name, cats[0].key) if len(cats) == 1 else (g.name, "neutral")
            rows.append(Row(g.name, whole, (_seg(name, key, n, whole),)))
        return tuple(rows)
    n = base(edition, d, of, groups)
    statuses = (F.EVALUATED,) if d.by == "tier" or of == "evaluated" else (F.EVALUATED, F.INCOMPLETE, "not_reported")
    return tuple(Row(c.name, n, (_seg(c.name, c.key, c.count(groups), n),)) for c in categories(edition, d, statuses))


def _pie_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    """A donut's slices: the bars of `_bar_rows`, each a share of their sum (the whole ring); groups
    told apart by colour."""
    rows = _bar_rows(archive, edition, d, groups)
    total = sum(r.segments[0].count for r in rows)
    return tuple(Row(r.label, total, tuple(
        _seg(s.name, f"series-{i % 6}" if d.by == "group" else s.key, s.count, total) for s in r.segments))
        for i, r in enumerate(rows))


def _line_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    """One row per edition up to this one (oldest first), its tiers (or statuses) as segments.
    Tiers are matched by rank and called by this edition's names; a tier filter keeps ranks."""
    editions = archive.editions[:[e.id for e in archive.editions].index(edition.id) + 1]
    names = {t.rank: t.name for t in edition.tiers}
    ranks = {edition.tier(k).rank for k in d.tiers} if d.tiers else None
    every = (F.EVALUATED,) if d.by == "tier" or d.share_of[0] == "evaluated" else (
        F.EVALUATED, F.INCOMPLETE, "not_reported")
    rows = []
    for e in editions:
        at = replace(d, tiers=tuple(t.key for t in e.tiers if t.rank in ranks)) if ranks is not None else d
        groups = scope_groups(e, at)
        n = base(e, at, d.share_of[0], groups)
        rows.append(Row(e.id, n, tuple(_seg(names.get(c.tier.rank, c.name) if c.tier else c.name, c.key,
                                            c.count(groups), n) for c in categories(e, at, every))))
    return tuple(rows)


def _stacked_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    """A stacked bar chart: one bar per group (`per="group"`) or per base, split by tier or status."""
    every = (F.EVALUATED,) if d.by == "tier" else (F.EVALUATED, F.INCOMPLETE, "not_reported")
    rows = []
    for label, of, within in ([(g.name, d.share_of[0], [g]) for g in groups] if d.per == "group"
                              else [(BASE_NAME[of], of, groups) for of in d.share_of]):
        n = base(edition, d, of, within)
        cats = categories(edition, d, (F.EVALUATED,) if of == "evaluated" else every)
        rows.append(Row(f"{label}（{n} 家）", n, tuple(_seg(c.name, c.key, c.count(within), n) for c in cats)))
    return tuple(rows)


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


def _histogram_bands(edition: Edition, d: Declaration, groups: list[Group]) -> tuple[tuple[Row, ...], list, Counter]:
    """The evaluated alliances by score band, grouped by tier; tier-only results in a row of their own."""
    n = base(edition, d, d.share_of[0], groups)
    results = F.select(edition, tier=d.tiers, group=[g.prefix for g in groups])
    scores = [r.score for r in results if r.score is not None]
    floor = int(min(scores)) // d.band * d.band if scores else 100
    unscored = Counter(r.tier for r in results if r.score is None)
    rows = []
    for tier in edition.tiers:
        if d.tiers is not None and tier.key not in d.tiers:
            continue
        group, key = f"{tier.name}（{tier.min:g}–{tier.max:g} 分）", f"tier-{tier.rank}"
        for low, high in score_bands(tier, floor, d.band):
            count = sum(1 for s in scores if low <= s < high + 1)
            rows.append(Row(f"{low}–{high} 分", n, (_seg(tier.name, key, count, n),), group))
        if unscored[tier.key]:
            rows.append(Row(f"未公布分数（{tier.name}）", n, (_seg(tier.name, key, unscored[tier.key], n),), group))
    return tuple(rows), scores, unscored


def _pie_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    """A donut's title, finding, what is counted, and table headings, written from the declaration."""
    who = w.who
    n = rows[0].base
    names, top = _most({r.label: r.segments[0].count for r in rows})
    lead = (f"{names[0]}的最多，有 {top} 家" if len(names) == 1 else f"{'、'.join(names)}的最多，各有 {top} 家")
    what = {"tier": "活跃度档次", "status": "情况", "group": "批次"}[d.by]
    shown = w.kinds(categories(edition, d, (F.EVALUATED, F.INCOMPLETE, "not_reported"))) if d.by == "status" else f"各{what}"
    subject = who or ("和".join(t.name for t in w.tiers) + "的联盟" if w.tiers
                      else "评价范围内的联盟" if d.by == "status" else "参评联盟")
    return dict(caption=f"{subject}按{what}的构成",
                headline=f"图中 {n} 家联盟中{lead}，占 {F.share(top, n)}%",
                subtitle=f"{who}{shown}的联盟数及其占合计（{n} 家）的比例",
                row_header=what, share_header=f"占合计（{n} 家）的比例（%）")


def _bar_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    """A bar chart's title, finding, what is counted, and table headings: by tier, status or group."""
    of, who = w.of, w.who
    if d.by == "tier":
        n = rows[0].base
        names, top = _most({r.label: r.segments[0].count for r in rows})
        lead = (f"{names[0]}的最多，有 {top} 家" if len(names) == 1 else f"{'、'.join(names)}的最多，各有 {top} 家")
        shown = "和".join(t.name for t in w.tiers) if w.tiers else f"{_cn(len(rows))}档分别"
        return dict(caption=f"{who}{shown}占{BASE_NAME[of]}的比例",
                    headline=f"{who}{HEAD[of]} {n} 家中{lead}，占 {F.share(top, n)}%",
                    subtitle=f"{who}各活跃度档次的联盟数占{w.base(n)}的比例",
                    row_header="活跃度档次", share_header=f"占{w.base(n)}的比例（%）")
    if d.by == "status":
        n, best = rows[0].base, rows[0].segments[0]
        evaluated = sum(r.segments[0].count for r in rows if r.segments[0].key.startswith("tier-"))
        cats = categories(edition, d, (F.EVALUATED, F.INCOMPLETE, "not_reported"))
        return dict(caption=f"{who or '联盟'}情况分布的比例",
                    headline=(f"{who or BASE_NAME[of]} {n} 家中参评 {evaluated} 家，占 {F.share(evaluated, n)}%；"
                              f"其中{best.name}的 {best.count} 家，占{w.base()}的 {best.share}%"),
                    subtitle=f"{who}{w.kinds(cats)}的联盟数占{w.base(n)}的比例",
                    row_header="情况", share_header=f"占{w.base(n)}的比例（%）")
    # By group.
    names, top = _most({r.label: r.segments[0].count for r in rows})
    share = next(r.segments[0].share for r in rows if r.label == names[0])
    lead = (f"{names[0]}占 {share}%（{top} 家）" if len(names) == 1
            else f"{'和'.join(names)}各占 {share}%（各 {top} 家）")
    tiers = "和".join(t.name for t in w.tiers)
    band = f"（{w.tiers[0].min:g}–{w.tiers[0].max:g} 分）" if len(w.tiers) == 1 else ""
    total = sum(r.segments[0].count for r in rows)
    whole = "占该批联盟总数的比例" if of == "group" else "占比"
    return dict(caption=f"{tiers or '参评联盟'}的{_cn(len(rows))}批次{'试点' if d.pilot else ''}联盟占比情况",
                headline=f"{tiers + '的' if tiers else '参评的'} {total} 家{who or '联盟'}中，{lead}",
                subtitle=f"{tiers + band + '的' if tiers else ''}{who or '参评联盟'}中各批次的联盟数及其{whole}",
                row_header="批次", share_header=f"占{w.base(None if of == 'group' else total)}的比例（%）")


def _funnel_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    """The funnel's title, finding, what is counted, and table headings."""
    scope, entered, evaluated = (r.segments[0].count for r in rows)
    return dict(caption="联盟参与评价的情况",
                headline=(f"评价范围内的 {scope} 家联盟中，{entered} 家录入了信息，"
                          f"{evaluated} 家参加评价，占 {F.share(evaluated, scope)}%"),
                # The number that entered data cannot be checked against lists: for an edition
                # transcribed from print it is the printed report's, and the chart says so.
                subtitle=(f"评价范围内、录入信息和参加评价的联盟数（家）及其占{w.base(scope)}的比例"
                          + ("；录入信息的联盟数按原报告" if edition.printed else "")),
                row_header="阶段", share_header=f"占{w.base(scope)}的比例（%）")


def _stacked_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    of, who = w.of, w.who
    cats = categories(edition, d, (F.EVALUATED,) if d.by == "tier" else (F.EVALUATED, F.INCOMPLETE, "not_reported"))
    top = [c.tier for c in cats if c.tier][:2]
    keys = {f"tier-{t.rank}" for t in top}
    if d.per == "group":
        by_group = {g.name: (F.share(sum(s.count for s in r.segments if s.key in keys), r.base),
                             sum(s.count for s in r.segments if s.key in keys)) for g, r in zip(groups, rows)}
        best = max(by_group, key=lambda name: by_group[name][0])
        total = sum(r.base for r in rows)
        if d.show == COUNT:
            subtitle = (f"各批次{BASE_NAME[of]}中{w.kinds(cats)}的联盟数（家）；"
                        f"比例以该批次{BASE_NAME[of]}数为基数")
        else:
            subtitle = f"各批次{BASE_NAME[of]}中{w.kinds(cats)}的联盟数占该批次{BASE_NAME[of]}数的比例"
        return dict(caption=f"{who}{HEAD[of]} {total} 家联盟按批次和{'活跃度档次' if d.by == 'tier' else '情况'}的分布",
                    headline=(f"各批次中，{best}{BASE_NAME[of]}里{_top_names(top, '或')}的比例最高："
                              f"{by_group[best][1]} 家，占 {by_group[best][0]}%"),
                    subtitle=subtitle, row_header="批次", share_header=f"占{w.base()}的比例（%）")
    evaluated = base(edition, d, "evaluated", groups)
    active = sum(c.count(groups) for c in cats if c.tier in top)
    shares = "、".join(f"{BASE_NAME[b]}的 {F.share(active, r.base)}%" for b, r in zip(d.share_of, rows))
    wholes = _and([f"{LONG_NAME[b]}（{r.base} 家）" for b, r in zip(d.share_of, rows)])
    extra = "".join(f"；{BASE_NAME[b]}中另计{_and([s.name for s in r.segments if not s.key.startswith('tier-')])}的联盟"
                    for b, r in zip(d.share_of, rows) if any(not s.key.startswith("tier-") for s in r.segments))
    return dict(caption=f"{who}{'和'.join(BASE_NAME[b] for b in d.share_of)}中各{'活跃度档次' if d.by == 'tier' else '情况'}所占比例",
                headline=f"{who}参评的 {evaluated} 家联盟中{_top_names(top, '和')}的有 {active} 家，占{shares}",
                subtitle=f"{who}各活跃度档次的联盟数占{wholes}的比例{extra}",
                row_header="范围", share_header="占比（%）")


def _line_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    first, last = rows[0], rows[-1]
    top = last.segments[0]
    what = "活跃度档次" if d.by == "tier" else "情况"
    before = next((s for s in first.segments if s.key == top.key), None)
    amount = (lambda s: f"{s.share}%") if d.show == "share" else (lambda s: f"{s.count} 家")
    if len(rows) == 1 or before is None:
        headline = f"{last.label} {top.name}的联盟占{w.base()}的 {top.share}%（{top.count} 家）"
    else:
        headline = f"{top.name}的联盟从 {first.label} 的 {amount(before)}变为 {last.label} 的 {amount(top)}"
    span = first.label if len(rows) == 1 else f"{first.label} 至 {last.label}"
    return dict(caption=f"{w.who}历届各{what}的联盟{'占比' if d.show == 'share' else '数'}",
                headline=headline,
                subtitle=(f"{span} 各届{w.who}{'各活跃度档次' if d.by == 'tier' else '各情况'}的联盟数占当届"
                          f"{w.base()}的比例；档次按名次对应，用本届的名称"),
                row_header="届次", share_header=f"占当届{w.base()}的比例（%）")


def _histogram_texts(edition: Edition, d: Declaration, groups: list[Group], rows: tuple[Row, ...], w: Words) -> dict:
    _, scores, unscored = _histogram_bands(edition, d, groups)
    banded = [r for r in rows if not r.label.startswith("未公布分数")]
    labels, top = _most({r.label: r.segments[0].count for r in banded})
    # Every tied band is named, the unit said once: 85–89 和 90–94 分各 12 家.
    bands = " 和 ".join(filter(None, ["、".join(label.removesuffix(" 分") for label in labels[:-1]), labels[-1]]))
    lead = f"有 {top} 家" if len(labels) == 1 else f"各 {top} 家"
    note = f"；另有 {sum(unscored.values())} 家只公布了活跃度档次、未公布分数" if unscored else ""
    return dict(caption=f"{w.who}参评联盟的得分分布",
                headline=f"得分在 {bands}的联盟最多，{lead}",
                subtitle=f"公布分数的 {len(scores)} 家{w.who}参评联盟按得分分段（每段 {d.band} 分）的联盟数（家）{note}",
                row_header="得分", share_header=f"占{w.base(rows[0].base)}的比例（%）")


def _histogram_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    return _histogram_bands(edition, d, groups)[0]


def _funnel_rows(archive: Archive, edition: Edition, d: Declaration, groups: list[Group]) -> tuple[Row, ...]:
    """The funnel's steps: in scope, entered data, evaluated, each a share of those in scope."""
    scope = base(edition, d, "in_scope", groups)
    return tuple(Row(name, scope, (_seg(name, "neutral", base(edition, d, of, groups), scope),)) for name, of in STEPS)


@dataclass(frozen=True)
class Kind:
    """One kind of chart: what its bars may be, how it counts and words them, how it is drawn."""

    name: str
    by: tuple[str, ...]
    """What the bars (or, in a stacked bar, the segments) may be, the default first."""
    rows: Callable[[Archive, Edition, Declaration, list[Group]], tuple[Row, ...]] | None
    """Its rows from the edition (a line: the archive's editions up to it) and the kept groups."""
    words: Callable[[Edition, Declaration, list[Group], tuple[Row, ...], Words], dict] | None
    """Its title, finding, what it counts over which base and its table headings."""
    shape: str = BARS
    """How `svg.py` draws it."""
    show: str = SHARE
    """What its bars show unless the declaration says."""
    share_of: tuple[str, ...] = ("evaluated",)
    """The base of its shares unless the declaration says."""
    rates: Callable[[Archive, Edition, Declaration, str, int | None], RateSpec] | None = None
    """A kind of the indicator scores: its spec of 得分率 (`rates.py`), instead of rows of counts."""


KINDS = {k.name: k for k in (
    Kind("bar", ("tier", "status", "group"), _bar_rows, _bar_texts),
    Kind("stacked", ("tier", "status"), _stacked_rows, _stacked_texts),
    Kind("pie", ("tier", "status", "group"), _pie_rows, _pie_texts, DONUT),
    Kind("line", ("tier", "status"), _line_rows, _line_texts, LINES),
    Kind("histogram", ("score",), _histogram_rows, _histogram_texts, show=COUNT),
    Kind("funnel", ("stage",), _funnel_rows, _funnel_texts, show=COUNT, share_of=("in_scope",)),
    Kind("indicators", ("tier", "group"), None, None, MATRIX, rates=matrix_spec),
    Kind("profile", ("tier",), None, None, PROFILE, rates=profile_spec),
)}
"""Every kind of chart content may declare, in the order the docs and messages list them."""


def spec(edition: Edition, d: Declaration, chart_id: str, number: int | None = None,
         archive: Archive | None = None) -> ChartSpec | RateSpec:
    """The spec of the chart `d` declares, with id `chart_id` and figure number `number` (None: none);
    a line needs the `archive` whose editions up to this one it draws."""
    groups = scope_groups(edition, d)
    if not groups:
        raise ContentError.of("chart-empty")
    kind = KINDS[d.kind]
    if kind.rates is not None:
        return kind.rates(archive or Archive((), (edition,)), edition, d, chart_id, number)
    assert kind.rows is not None and kind.words is not None  # a kind of counts has both
    rows = kind.rows(archive or Archive((), (edition,)), edition, d, groups)
    if not rows or not any(s.count for r in rows for s in r.segments) and d.kind == "histogram":
        raise ContentError.of("chart-empty")
    words = kind.words(edition, d, groups, rows, Words(edition, d, groups))
    return ChartSpec(
        id=chart_id, number=number, stem=f"{edition.id}-{chart_id}",
        caption=d.title or words["caption"], headline=d.caption or words["headline"],
        subtitle=d.note or words["subtitle"], measure=SHARE if d.show == "share" else COUNT,
        row_header=words["row_header"], share_header=words["share_header"], rows=rows, shape=kind.shape,
        segment_header="活跃度档次" if d.kind == "line" and d.by == "tier" else "情况")
