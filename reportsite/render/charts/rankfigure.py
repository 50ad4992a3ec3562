"""An alliance's score and rank across the editions up to the one its page belongs to: a small
static SVG of two lines (score above, from 0 to 100; rank below, the best at the top) and its
table with the movement of each edition (`moves.py`).

It is words the tool adds around the report's text (`data-chrome`): a frozen edition stored before
it keeps its pages. Text from the data is escaped by `PageMarkup`.
"""

from __future__ import annotations

from reportsite.model import figures as F
from reportsite.model.escape import PageMarkup
from reportsite.render.charts.svg import FONTS, PALETTE, text_width
from reportsite.render.moves import Step

WIDTH, LEFT, RIGHT, PANEL, GAP, SIZE = 320, 40, 24, 64, 34, 12
"""The view box is `WIDTH` wide: a panel label column (`LEFT`), room for the last point's label
(`RIGHT`), two panels of `PANEL` units with `GAP` between them, text at `SIZE`."""


def _text(x: float, y: float, text: str, anchor: str = "middle", bold: bool = False) -> PageMarkup:
    return PageMarkup('<text x="{}" y="{}" class="fg" fill="#1a1a1a" font-size="{}" text-anchor="{}"{}>{}</text>').format(
        f"{x:.1f}", f"{y:.1f}", SIZE, anchor, PageMarkup(' font-weight="600"') if bold else "", text)


def _line(points: list[tuple[float, float] | None], key: str) -> list[PageMarkup]:
    """A line through consecutive known points (a gap where one is unknown), each point a dot."""
    out, run = [], []
    for p in [*points, None]:
        if p is not None:
            run.append(p)
            continue
        if len(run) > 1:
            out.append(PageMarkup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2" class="s-{}"/>').format(
                " ".join(f"{x:.1f},{y:.1f}" for x, y in run), PageMarkup(PALETTE[key][0]), key))
        run = []
    for p in points:
        if p is not None:
            out.append(PageMarkup('<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}" class="k-{}"/>').format(
                p[0], p[1], PageMarkup(PALETTE[key][0]), key))
    return out


def rank_svg(steps: tuple[Step, ...], label: str) -> PageMarkup:
    """The two panels; `label` names the chart for screen readers."""
    span = WIDTH - LEFT - RIGHT
    xs = [LEFT + (span * i / (len(steps) - 1) if len(steps) > 1 else span / 2) for i in range(len(steps))]
    worst = max([s.pool for s in steps] + [2])
    score_top, rank_top = 14, 14 + PANEL + GAP
    scores = [None if s.score is None else (x, score_top + (100 - s.score) / 100 * PANEL) for x, s in zip(xs, steps)]
    ranks = [None if s.rank is None else (x, rank_top + (s.rank - 1) / (worst - 1) * PANEL) for x, s in zip(xs, steps)]
    body = [_text(0, score_top - 4, "评分", "start", True), _text(0, rank_top - 4, "名次", "start", True)]
    for top in (score_top, rank_top):
        body.append(PageMarkup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="fg-line" stroke="#8c8c8c"/>').format(
            LEFT, top + PANEL, WIDTH - RIGHT / 2, top + PANEL))
    body += _line(scores, "series-0") + _line(ranks, "series-1")
    for p, s in zip(scores, steps):
        if p is not None and s.score is not None:
            body.append(_text(p[0], p[1] - 6, F.plain(s.score)))
    for p, s in zip(ranks, steps):
        if p is not None:
            body.append(_text(p[0], p[1] - 6, str(s.rank)))
    # Edition labels under the lower panel, thinned so that none touches the next; the newest kept.
    room = text_width(steps[0].edition.id, SIZE) + 6
    every = max(1, int(room * (len(steps) - 1) / span) + 1) if len(steps) > 1 else 1
    labelled: list[float] = []
    for i, x in enumerate(xs):
        if i % every and i != len(xs) - 1:
            continue
        if labelled and x - labelled[-1] < room:
            labelled.pop()
        labelled.append(x)
    for x in labelled:
        body.append(_text(min(max(x, room / 2), WIDTH - room / 2), rank_top + PANEL + 14, steps[xs.index(x)].edition.id))
    height = rank_top + PANEL + 20
    head = PageMarkup('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" '
                      'height="{h}" role="img" aria-label="{label}" font-family="{fonts}" font-size="{size}">').format(
        w=WIDTH, h=height, label=label, fonts=FONTS, size=SIZE)
    return PageMarkup("\n").join([head, *body, PageMarkup("</svg>")])


def rank_figure(steps: tuple[Step, ...], name: str, demo: bool) -> PageMarkup:
    """The figure with its table, as words the tool adds (`data-chrome`); empty with fewer than
    two editions."""
    if len(steps) < 2:
        return PageMarkup("")
    first, last = steps[0].edition.id, steps[-1].edition.id
    caption = f"{name}历年的评分与名次（{first} 至 {last} 年度{'，含示例数据' if demo else ''}）"
    said = "；".join(f"{s.edition.id} {s.tier}" + ("" if s.score is None else f"，{F.plain(s.score)} 分")
                     + ("" if s.rank is None else f"，第 {s.rank} 名（共 {s.pool} 家）") for s in steps)
    rows = PageMarkup("").join(PageMarkup(
        '<tr><td data-label="年度">{}</td><td data-label="档次">{}</td><td data-label="评分">{}</td>'
        '<td data-label="名次">{}</td><td data-label="名次变化">{}</td><td data-label="得分变化">{}</td></tr>').format(
        s.edition.id + ("（示例）" if s.edition.demo else ""), s.tier, "—" if s.score is None else F.plain(s.score),
        "—" if s.rank is None else f"{s.rank}/{s.pool}", s.move.rank_text if s.move else "—",
        s.move.score_text if s.move else "—") for s in steps)
    return PageMarkup(
        '<div class="rank-history" data-chrome>\n<figure class="chart rank-history-chart">\n'
        '<figcaption><p class="chart-caption">{caption}</p>\n<p class="chart-subtitle">名次为各年度参评联盟中的竞争排名'
        '（名次数字越小越靠前，图中越靠上）；名次变化为上一年度名次减本年度名次，“新”为首次参评，“—”为两个年度之一没有名次或分数。'
        '</p></figcaption>\n{svg}\n<table class="data rank-history-table cards">\n<caption>{caption}：数据表</caption>\n'
        '<thead><tr><th scope="col">年度</th><th scope="col">档次</th><th scope="col">评分</th><th scope="col">名次</th>'
        '<th scope="col">名次变化</th><th scope="col">得分变化</th></tr></thead>\n<tbody>{rows}</tbody>\n</table>\n'
        '</figure>\n</div>').format(caption=caption, svg=rank_svg(steps, f"{caption}：{said}"), rows=rows)
