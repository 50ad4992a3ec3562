"""What a chart shows, as data: the spec types a chart is drawn from, and the texts of its numbers.

`count.py` makes a `ChartSpec` from the model; `svg.py` draws it; `figure.py` wraps the
drawing in the page's figure with its table, CSV and the JSON the loader script redraws.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SHARE, COUNT = "share", "count"
BARS, DONUT, LINES = "bars", "donut", "line"


@dataclass(frozen=True)
class Segment:
    """One bar or one part of a stacked bar."""

    name: str
    """What is counted: a tier, 数据不完整, 未填报, a step of participation."""
    key: str
    """Colour key, a key of `PALETTE`."""
    count: int
    """Alliances."""
    share: Decimal
    """`count` as a percentage of the row's base, rounded half-up to two places."""
    series: str = ""
    """The line it belongs to when that is not its name: a tier matched by rank across editions
    that name it differently is one line, each point keeping the name its edition gives it."""

    @property
    def line(self) -> str:
        """The name of the line (or legend entry) it belongs to."""
        return self.series or self.name


@dataclass(frozen=True)
class Row:
    """One bar of the chart."""

    label: str
    """Printed left of the bar."""
    base: int
    """The whole the segments' shares are of."""
    segments: tuple[Segment, ...]
    """Left to right; one for a plain bar."""
    group: str = ""
    """Heading of the run of rows the row belongs to (empty for none)."""


@dataclass(frozen=True)
class FigureWords:
    """What every figure on a page says around its drawing or table (a chart, a table of 得分率)."""

    id: str
    """Fixed id on the page, `fig-1`, `batch-tier`."""
    number: int | None
    """The report's figure number, None for a figure the report did not have."""
    stem: str
    """File name of the downloads without extension, `2020-2021-fig-1`."""
    caption: str
    """The report's caption."""
    headline: str
    """One sentence stating what the figure shows."""
    subtitle: str
    """What is counted, over which base."""

    @property
    def title(self) -> str:
        """`图 1　caption`, or the caption alone for a figure without a number."""
        return f"图 {self.number}　{self.caption}" if self.number else self.caption


@dataclass(frozen=True)
class ChartSpec(FigureWords):
    """What a chart shows: its words and its rows of numbers."""

    measure: str
    """`share` or `count`: what the bar lengths show."""
    row_header: str
    """Column heading of the row labels in the data table."""
    share_header: str
    """Column heading of the shares in the data table."""
    rows: tuple[Row, ...]
    segment_header: str = "情况"
    """Column heading of the segment names in the table of a stacked chart."""
    group_header: str = "活跃度档次"
    """Column heading of the row groups in the CSV of a grouped chart."""
    shape: str = BARS
    """`bars`; `donut` for rows of one segment drawn as the slices of a ring; `line` for the
    segments drawn as lines across the rows."""

    @property
    def stacked(self) -> bool:
        """True when some row has more than one segment."""
        return any(len(r.segments) > 1 for r in self.rows)

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """(name, key) of the segments of a stacked chart, in order; empty for plain bars."""
        if not self.stacked and self.shape != LINES:
            return ()
        return tuple(dict.fromkeys((s.line, s.key) for r in self.rows for s in r.segments))

    @property
    def description(self) -> str:
        """The chart in words, for screen readers."""
        kind = {DONUT: "环形图", LINES: "折线图"}.get(self.shape) or ("堆积条形图" if self.stacked else "条形图")
        parts = []
        for r in self.rows:
            if self.stacked or self.shape == LINES:
                parts.append(f"{r.label}：" + "、".join(f"{s.name} {s.count} 家（{s.share}%）" for s in r.segments))
            else:
                parts.append(f"{r.label} {r.segments[0].count} 家（{r.segments[0].share}%）")
        return f"{self.title}，{kind}。{self.subtitle}。{'；'.join(parts)}。"


def value(spec: ChartSpec, seg: Segment) -> float:
    """The length a segment's bar stands for."""
    return float(seg.share) if spec.measure == SHARE else seg.count


def value_text(spec: ChartSpec, seg: Segment) -> str:
    """A stacked segment's label: its share or its count."""
    return f"{seg.share}%" if spec.measure == SHARE else str(seg.count)


def end_text(spec: ChartSpec, row: Row) -> str:
    """The label at the end of a bar: share and count of a plain bar, the total of a stacked one."""
    if len(row.segments) > 1:
        return f"{sum(s.count for s in row.segments)} 家" if spec.measure == COUNT else ""
    s = row.segments[0]
    return f"{s.share}%（{s.count} 家）" if spec.measure == SHARE else f"{s.count} 家（{s.share}%）"


def hover_text(row: Row, seg: Segment) -> str:
    """The tooltip of a segment."""
    what = "" if row.label == seg.name else f"{seg.name} "
    return f"{row.label}：{what}{seg.count} 家，占 {seg.share}%"


@dataclass(frozen=True)
class Declaration:
    """A checked chart declaration: what to count, how to draw it, what to call it."""

    kind: str = "bar"
    """`bar`, `stacked`, `pie` (a donut whose whole is its slices), `line` (across the editions up
    to this one), `histogram` (scores in bands), `funnel` (in scope, entered, evaluated),
    `indicators` (a table of average 得分率) or `profile` (one alliance's 得分率 beside its tier's)."""
    by: str = "tier"
    """The bars, or the segments of a stacked bar: `tier`, `status`, `group`, `score`, `stage`."""
    per: str = ""
    """`group` for one stacked bar per group; empty for one per base of `share_of`."""
    tiers: tuple[str, ...] | None = None
    """Tier keys the filter keeps (None: every tier)."""
    groups: tuple[str, ...] | None = None
    """Group prefixes the filter keeps (None: every group)."""
    pilot: bool | None = None
    """True: pilot batches only; False: the other groups only; None: both."""
    statuses: tuple[str, ...] | None = None
    """`evaluated`, `incomplete`, `not_reported` the filter keeps (None: all)."""
    share_of: tuple[str, ...] = ("evaluated",)
    """The base of the shares; several (a stacked chart without `per`) make one bar each."""
    show: str = "share"
    """What the bar lengths show: `share` or `count`."""
    band: int = 5
    """Width of a score band (histogram), in points."""
    title: str | None = None
    """The title after 图 N (None: written from the declaration)."""
    caption: str | None = None
    """The sentence under the title (None: the finding, worked out from the numbers)."""
    note: str | None = None
    """The line saying what is counted over which base (None: written from the declaration)."""
    numbered: bool | None = None
    """Whether the chart takes the next 图 N (None: yes in the report's text, no elsewhere)."""
    name: str = ""
    """The named chart it came from (`funnel`), or empty."""
    level: str = "second"
    """Indicator charts: the second-level indicators (under their first-level ones) or the first."""
    alliance: str = ""
    """A profile: the code of the alliance it shows."""

    @property
    def filtered(self) -> bool:
        """True when the filter keeps only some groups."""
        return self.groups is not None or self.pilot is not None
