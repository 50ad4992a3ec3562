"""An alliance's score and rank across the editions up to the one its page belongs to: a small
static SVG of two lines (score above, from 0 to 100; rank below, the best at the top) and its
table with the movement of each edition (`moves.py`).

It is words the tool adds around the report's text (`data-chrome`): a frozen edition stored before
it keeps its pages. Text from the data is escaped by `PageMarkup`.
"""

from __future__ import annotations

from reportsite.model import figures as F
from reportsite.model.escape import PageMarkup, page_text
from reportsite.render.charts.svg import FONTS, PALETTE, text_width
from reportsite.render.moves import Step

WIDTH, LEFT, RIGHT, PANEL, GAP, SIZE = 320, 40, 24, 64, 34, 12
"""The view box is `WIDTH` wide: a panel label column (`LEFT`), room for the last point's label
(`RIGHT`), two panels of `PANEL` units with `GAP` between them, text at `SIZE`."""


def _t(value) -> str:
    """Text from the data, escaped for HTML and Markdown (`page_text`)."""
    return str(page_text(value))


def _text(x: float, y: float, text: str, anchor: str = "middle", bold: bool = False) -> str:
    weight = ' font-weight="600"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="fg" fill="#1a1a1a" font-size="{SIZE}" text-anchor="{anchor}"'
            f"{weight}>{_t(text)}</text>")


def _line(points: list[tuple[float, float] | None], key: str) -> list[str]:
    """A line through consecutive known points (a gap where one is unknown), each point a dot."""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    for p in [*points, None]:
        if p is not None:
            run.append(p)
            continue
        if len(run) > 1:
            dots = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            out.append(f'<polyline points="{dots}" fill="none" stroke="{PALETTE[key][0]}" stroke-width="2" class="s-{key}"/>')
        run = []
    out += [f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="3" fill="{PALETTE[key][0]}" class="k-{key}"/>'
            for p in points if p is not None]
    return out


def rank_svg(steps: tuple[Step, ...], label: str) -> str:
    """The two panels; `label` names the chart for screen readers."""
    span = WIDTH - LEFT - RIGHT
    xs = [LEFT + (span * i / (len(steps) - 1) if len(steps) > 1 else span / 2) for i in range(len(steps))]
    worst = max([s.pool for s in steps] + [2])
    score_top, rank_top = 14, 14 + PANEL + GAP
    scores = [None if s.score is None else (x, score_top + (100 - s.score) / 100 * PANEL) for x, s in zip(xs, steps)]
    ranks = [None if s.rank is None else (x, rank_top + (s.rank - 1) / (worst - 1) * PANEL) for x, s in zip(xs, steps)]
    body = [_text(0, score_top - 4, "评分", "start", True), _text(0, rank_top - 4, "名次", "start", True)]
    body += [f'<line x1="{LEFT}" y1="{top + PANEL}" x2="{WIDTH - RIGHT / 2:g}" y2="{top + PANEL}" class="fg-line" '
             f'stroke="#8c8c8c"/>' for top in (score_top, rank_top)]
    body += _line(scores, "series-0") + _line(ranks, "series-1")
    body += [_text(p[0], p[1] - 6, F.plain(s.score)) for p, s in zip(scores, steps) if p is not None and s.score is not None]
    body += [_text(p[0], p[1] - 6, str(s.rank)) for p, s in zip(ranks, steps) if p is not None]
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
    body += [_text(min(max(x, room / 2), WIDTH - room / 2), rank_top + PANEL + 14, steps[xs.index(x)].edition.id)
             for x in labelled]
    height = rank_top + PANEL + 20
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
            f'height="{height}" role="img" aria-label="{_t(label)}" font-family="{_t(FONTS)}" font-size="{SIZE}">')
    return "\n".join([head, *body, "</svg>"])


def rank_figure(steps: tuple[Step, ...], name: str, demo: bool) -> PageMarkup:
    """The figure with its table, as words the tool adds (`data-chrome`); empty with fewer than
    two editions. Built as text, each value from the data escaped: one for every alliance page."""
    if len(steps) < 2:
        return PageMarkup("")
    first, last = steps[0].edition.id, steps[-1].edition.id
    caption = f"{name}历年的评分与名次（{first} 至 {last} 年度{'，含示例数据' if demo else ''}）"
    said = "；".join(f"{s.edition.id} {s.tier}" + ("" if s.score is None else f"，{F.plain(s.score)} 分")
                     + ("" if s.rank is None else f"，第 {s.rank} 名（共 {s.pool} 家）") for s in steps)
    cells = [(s.edition.id + ("（示例）" if s.edition.demo else ""), s.tier, "—" if s.score is None else F.plain(s.score),
              "—" if s.rank is None else f"{s.rank}/{s.pool}", s.move.rank_text if s.move else "—",
              s.move.score_text if s.move else "—") for s in steps]
    labels = ("年度", "档次", "评分", "名次", "名次变化", "得分变化")
    rows = "".join("<tr>" + "".join(f'<td data-label="{k}">{_t(v)}</td>' for k, v in zip(labels, row)) + "</tr>"
                   for row in cells)
    heads = "".join(f'<th scope="col">{k}</th>' for k in labels)
    return PageMarkup(
        f'<div class="rank-history" data-chrome>\n<figure class="chart rank-history-chart">\n'
        f'<figcaption><p class="chart-caption">{_t(caption)}</p>\n<p class="chart-subtitle">名次为各年度参评联盟中的竞争排名'
        '（名次数字越小越靠前，图中越靠上）；名次变化为上一年度名次减本年度名次，“新”为首次参评，“—”为两个年度之一没有名次或分数。'
        f'</p></figcaption>\n{rank_svg(steps, f"{caption}：{said}")}\n<table class="data rank-history-table cards">\n'
        f"<caption>{_t(caption)}：数据表</caption>\n<thead><tr>{heads}</tr></thead>\n<tbody>{rows}</tbody>\n</table>\n"
        "</figure>\n</div>")
