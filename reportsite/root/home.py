"""The archive home's context, from the archive alone: the newest edition's headline figures and
links, every edition's key figures, and the charts across editions. Pure: nothing here reads or
writes a file; `archive.write_home()` passes in what it found on disk (which files exist, their
sizes) and renders `templates/archive/home.html` with the result.

Every number comes from `figures.py`. Tiers are compared across editions by rank (best first), and
each edition's tier is called by that edition's own name, since the bands change between editions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportsite.model import figures as F
from reportsite.model.records import Archive, Edition
from reportsite.render.charts.spec import COUNT, LINES, SHARE, ChartSpec, Row, Segment

DOWNLOADS = (("results.csv", "CSV"), ("results.xlsx", "XLSX"), ("results.json", "JSON"))
"""The data files of an edition (`data/`), with the format the link names."""


@dataclass(frozen=True)
class TierFigure:
    """One tier of an edition: its name, colour class and how many evaluated alliances it holds."""

    name: str
    """The edition's own name of the tier (`活跃度高`)."""
    rank: int
    """0 for the best tier; tiers of different editions with the same rank are compared."""
    count: int
    """Evaluated alliances in the tier."""
    share: Decimal
    """`count` as a percentage of the evaluated alliances."""

    @property
    def css(self) -> str:
        """The tier's colour class, shared with the editions' tables and charts."""
        return f"tier-{self.rank}"


@dataclass(frozen=True)
class Link:
    """A link of the home to a page or file of an edition."""

    label: str
    """What the link says."""
    href: str
    """Relative to the archive's root."""
    size: str = ""
    """The size of the file it downloads, as shown (`452 KB`); empty for a page."""


@dataclass(frozen=True)
class Summary:
    """An edition as the home shows it."""

    edition: Edition
    """Its id, title, version, corrections and `demo` flag are shown as they are."""
    period: str
    """The evaluation period in words (`2020 年 1 月至 2021 年 9 月`)."""
    published: str
    """The month of publication in words (`2022 年 2 月`)."""
    evaluated: int
    """Alliances evaluated."""
    in_scope: int
    """Alliances that could take part (the sum of the group sizes)."""
    evaluated_share: Decimal
    """`evaluated` as a percentage of `in_scope`."""
    tiers: tuple[TierFigure, ...]
    """Best first."""
    a_level: int | None
    """A-level alliances; None when the edition names none."""
    pdf: Link | None
    """Its report as PDF, None when the build has none."""


@dataclass(frozen=True)
class HomeContext:
    """What `templates/archive/home.html` renders."""

    newest: Summary
    """The edition up front."""
    links: tuple[Link, ...]
    """The newest edition's report, ranking, PDF, changes page (the ones that exist)."""
    downloads: tuple[Link, ...]
    """The newest edition's data files that exist, with their sizes."""
    editions: tuple[Summary, ...]
    """Every edition, newest first."""
    ranks: tuple[str, ...]
    """Headings of the tier columns of the editions' table, best first (as many as the most tiers)."""
    charts: tuple[ChartSpec, ...]
    """The charts across editions, oldest first along each; empty with one edition."""
    assets: str
    """The newest edition's assets folder relative to the root (`2020-2021/assets/`), whose
    stylesheets and scripts the home uses, so that it looks and behaves as the editions do."""
    gov: dict
    """`extra.gov` of the site settings: the metadata and footer of a government site."""


def rank_name(rank: int) -> str:
    """A tier by its rank alone, best first: 0 -> 第一档."""
    return f"第{F.cn_numeral(rank + 1)}档"


def month_text(month: str) -> str:
    """`2022-02` -> `2022 年 2 月`."""
    return f"{month[:4]} 年 {int(month[5:])} 月"


def edition_figures(edition: Edition, sizes: dict[str, str]) -> Summary:
    """The figures of an edition the home shows; `sizes` holds the files that exist (see `home_context`)."""
    counts, evaluated = F.tier_counts(edition), len(edition.evaluated)
    pdf = f"{edition.id}/{edition.id}-report.pdf"
    return Summary(
        edition=edition,
        period=f"{edition.start.year} 年 {edition.start.month} 月至 {edition.end.year} 年 {edition.end.month} 月",
        published=month_text(edition.published),
        evaluated=evaluated, in_scope=edition.in_scope, evaluated_share=F.share(evaluated, edition.in_scope),
        tiers=tuple(TierFigure(t.name, t.rank, counts[t.key], F.share(counts[t.key], evaluated))
                    for t in edition.tiers),
        a_level=len(edition.a_level.codes) if edition.a_level else None,
        pdf=Link("PDF 版报告", pdf, sizes[pdf]) if pdf in sizes else None)


def evaluated_chart(summaries: tuple[Summary, ...]) -> ChartSpec:
    """Bars: the alliances evaluated in each edition, oldest first, with their share of the scope."""
    first, last = summaries[0], summaries[-1]
    return ChartSpec(
        id="home-evaluated", number=None, stem="archive-evaluated",
        caption="历届参评联盟数",
        headline=f"参评联盟从 {first.edition.id} 年度的 {first.evaluated} 家变为 {last.edition.id} 年度的 {last.evaluated} 家",
        subtitle="各届参加评价的联盟数（家），括号内为占当届评价范围内联盟总数的比例",
        measure=COUNT, row_header="届次", share_header="占评价范围内联盟总数的比例（%）",
        rows=tuple(Row(s.edition.id, s.in_scope, (Segment("参评联盟", "neutral", s.evaluated, s.evaluated_share),))
                   for s in summaries))


def tiers_chart(summaries: tuple[Summary, ...]) -> ChartSpec:
    """Lines: each tier's share of the evaluated alliances in each edition, oldest first. A line is a
    rank, named as the newest edition names it; each point keeps its own edition's name."""
    first, last = summaries[0], summaries[-1]
    lines = {t.rank: t.name for t in last.tiers}
    top, before = last.tiers[0], first.tiers[0]
    return ChartSpec(
        id="home-tiers", number=None, stem="archive-tiers",
        caption="历届各活跃度档次的联盟占比",
        headline=(f"最高一档的联盟占比从 {first.edition.id} 年度的 {before.share}%（{before.name}）"
                  f"变为 {last.edition.id} 年度的 {top.share}%（{top.name}）"),
        subtitle=("各届各活跃度档次的联盟数占当届参评联盟的比例；档次按名次从高到低对应，"
                  "图例用最新一届的名称，数据表和提示用各届自己的名称"),
        measure=SHARE, row_header="届次", share_header="占当届参评联盟的比例（%）",
        rows=tuple(Row(s.edition.id, s.evaluated, tuple(
            Segment(t.name, t.css, t.count, t.share, series=lines.get(t.rank, rank_name(t.rank)))
            for t in s.tiers)) for s in summaries),
        segment_header="活跃度档次", shape=LINES)


def home_context(archive: Archive, pages: frozenset[str], sizes: dict[str, str],
            gov: dict) -> HomeContext:
    """The home of `archive`. `pages` are the newest edition's HTML pages (`ranking.html`, ...);
    `sizes` maps each file the home may link to that exists, by its path from the root
    (`2020-2021/data/results.csv`), to its size as shown."""
    oldest_first = tuple(edition_figures(e, sizes) for e in archive.editions)
    newest = oldest_first[-1]
    nid = newest.edition.id
    links = [Link("阅读报告", f"{nid}/index.html")]
    if "ranking.html" in pages:
        links.append(Link("排名表", f"{nid}/ranking.html"))
    if newest.pdf:
        links.append(newest.pdf)
    if "changes.html" in pages:
        links.append(Link("与上一年度相比", f"{nid}/changes.html"))
    downloads = tuple(Link(f"下载数据 {kind}", f"{nid}/data/{name}", sizes[f"{nid}/data/{name}"])
                      for name, kind in DOWNLOADS if f"{nid}/data/{name}" in sizes)
    most = max(len(s.tiers) for s in oldest_first)
    return HomeContext(
        newest=newest, links=tuple(links), downloads=downloads,
        editions=oldest_first[::-1], ranks=tuple(rank_name(r) for r in range(most)),
        charts=(evaluated_chart(oldest_first), tiers_chart(oldest_first)) if len(oldest_first) > 1 else (),
        assets=f"{nid}/assets/", gov=gov)
