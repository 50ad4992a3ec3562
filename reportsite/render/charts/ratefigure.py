"""A table of 得分率 or a profile on the page (`rates.py` makes the spec).

The table is a static HTML table, coloured by 得分率 with the figure printed in every cell (the
text on each colour contrasts at least 4.5:1 with it, in either colour scheme, since both are set
on the cell), with CSV and JSON downloads; the profile is a static SVG of bars with its data table
(its figures are in the edition's `indicator-scores.*` downloads, which its page links). Neither is redrawn by plotly (its vendored bundle has no heatmap; bars beside bars need
none). Text from the data is escaped by `PageMarkup`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from reportsite.model.escape import PageMarkup, page_text, script_json, spreadsheet_text
from reportsite.model.findings import FIRST, HIDDEN, MIN_GROUP
from reportsite.render.charts.rates import PROFILE, RateSpec
from reportsite.render.charts.svg import FONTS, PALETTE, text_width, wrap

RAMP = ((Decimal(80), "#08306b", "#ffffff"), (Decimal(60), "#2171b5", "#ffffff"),
        (Decimal(40), "#9ecae1", "#1a1a1a"), (Decimal(20), "#c6dbef", "#1a1a1a"), (Decimal(0), "#eff3ff", "#1a1a1a"))
"""The colour of a cell by its 得分率 (from the lowest bound up), with its text colour: a light-to-
dark blue ramp (ColorBrewer's Blues), each text at 4.5:1 or more on its fill."""
NONE_CELL = ("#f2f2f2", "#1a1a1a")
"""A cell of a group too small to publish."""


def cell_colours(value: Decimal | None) -> tuple[str, str]:
    """(fill, text) of a cell."""
    if value is None:
        return NONE_CELL
    return next((fill, ink) for low, fill, ink in RAMP if value >= low)


def _style(value: Decimal | None) -> str:
    fill, ink = cell_colours(value)
    return f' style="background-color:{fill};color:{ink}"'


def _shown(value: Decimal | None) -> str:
    return HIDDEN if value is None else str(value)


def rate_csv(spec: RateSpec) -> str:
    """The figures as CSV (UTF-8 with a byte-order mark), one row per indicator."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["指标", "级别", "分值", *(f"{h}得分率（%）" for h in spec.heads)])
    for r in spec.rows:
        level = "一级指标" if r.heading or spec.level == FIRST else "二级指标"
        w.writerow([spreadsheet_text(r.label), level, format(r.points.normalize(), "f"), *map(_shown, r.values)])
    return "\ufeff" + buf.getvalue()


def rate_json(spec: RateSpec) -> str:
    """The figures as JSON for programs: 得分率 in percent as text (exact decimals), null where a
    group is too small to publish."""
    return script_json({
        "id": spec.id, "title": spec.title, "unit": "%", "min_group": MIN_GROUP,
        "columns": [{"name": c, "alliances": n} for c, n in zip(spec.columns, spec.sizes)],
        "rows": [{"indicator": r.label, "heading": r.heading, "points": format(r.points.normalize(), "f"),
                  "rates": [None if v is None else str(v) for v in r.values]} for r in spec.rows]})


def _downloads(spec: RateSpec) -> PageMarkup:
    csv_uri = "data:text/csv;charset=utf-8," + quote(rate_csv(spec), safe="")
    json_uri = "data:application/json;charset=utf-8," + quote(rate_json(spec), safe="")
    return PageMarkup('<div class="chart-actions">\n'
                      '<a class="chart-button" href="{}" download="{}.csv">下载数据 CSV</a>\n'
                      '<a class="chart-button" href="{}" download="{}.json">下载数据 JSON</a>\n'
                      '<a class="chart-button" href="#{}">本图链接</a>\n</div>').format(
        csv_uri, spec.stem, json_uri, spec.stem, spec.id)


def _two_lines(text: str) -> tuple[str, str]:
    """`活跃度高（28 家）` as `活跃度高` and `（28 家）`; a text without a closing bracket stays whole."""
    head, bracket, tail = text.rpartition("（")
    return (head, bracket + tail) if head and text.endswith("）") else (text, "")


@lru_cache(maxsize=4096)
def _t(value: str) -> str:
    """Text from the data, escaped for HTML and Markdown (`page_text`); the same names recur on
    every alliance page of an edition."""
    return str(page_text(value))


_wrapped = lru_cache(maxsize=4096)(wrap)
"""`svg.wrap`, each name wrapped once."""


def rate_table(spec: RateSpec, coloured: bool = True) -> PageMarkup:
    """The figures as a table, indicators down, groups across; coloured cells for the matrix.

    Built as text with each value from the data escaped (`_t`): an archive has a profile on each
    of thousands of alliance pages, and formatting markup piece by piece cost most of its build."""
    heads = "".join('<th scope="col" class="num">{}<br>{}</th>'.format(*map(_t, _two_lines(h))) for h in spec.heads)
    # The site's data tables scroll in their own box at their widest; the coloured one is laid out as a
    # table so that its names wrap to fit the page, inside a box that scrolls only on a narrow screen.
    wrap_names, layout = (' style="white-space:normal"', ' style="display:table"') if coloured else ("", "")
    out = [f'<table class="data rate-table"{layout}>', f"<caption>{_t(spec.title)}：平均得分率（%）</caption>",
           f'<thead><tr><th scope="col">{_t(spec.row_header)}</th>{heads}</tr></thead>', "<tbody>"]
    for r in spec.rows:
        cells = "".join(f'<td class="num"{_style(v) if coloured else ""}>{_shown(v)}</td>' for v in r.values)
        label, points = (_t(part) for part in _two_lines(r.name))
        name = f"<strong>{label}</strong><br>{points}" if r.heading else f"{label}<br>{points}"
        out.append(f'<tr><th scope="row"{wrap_names}>{name}</th>{cells}</tr>')
    out.append("</tbody></table>")
    return PageMarkup("\n".join(out))


def _legend() -> PageMarkup:
    """What the colours mean."""
    bands = [(f"{low}% 及以上" if i == 0 else f"{low}%–{RAMP[i - 1][0]}%", fill, ink)
             for i, (low, fill, ink) in enumerate(RAMP)]
    swatches = PageMarkup("").join(
        PageMarkup('<span class="rate-swatch" style="background-color:{};color:{};padding:0 .4em">{}</span> ').format(
            PageMarkup(fill), PageMarkup(ink), label) for label, fill, ink in bands)
    fill, ink = NONE_CELL
    return PageMarkup('<p class="rate-legend">颜色表示得分率：{}<span class="rate-swatch" '
                      'style="background-color:{};color:{};padding:0 .4em">—</span> 分组不足 {} 家，不公布</p>').format(
        swatches, PageMarkup(fill), PageMarkup(ink), MIN_GROUP)


WIDTH, LABEL, VALUE, BAR, ROW, SIZE = 320, 128, 58, 10, 30, 12
"""A 320-unit view box, as the other charts have, so that its 12-unit text is not drawn under 12 px
on a 375 px phone: names wrap in their column, the bars and their labels share the rest."""


@lru_cache(maxsize=64)
def _row_names(rows: tuple[tuple[str, bool], ...]) -> tuple[str, tuple[float, ...], float]:
    """The names of a profile's rows drawn (wrapped, escaped, a heading in bold), each row's top
    and their height: the same on every alliance page of an edition, so drawn once."""
    names, tops, y = [], [], 0.0
    for name, heading in rows:
        label, points = _two_lines(name)  # the points stay whole, after the name or below it
        lines = list(_wrapped(label, SIZE, LABEL - 6))
        if text_width(lines[-1] + points, SIZE) <= LABEL - 6:
            lines[-1] += points
        else:
            lines.append(points)
        weight = ' font-weight="600"' if heading else ""
        names += [f'<text x="0" y="{y + 12 + i * 14:g}"{weight}>{_t(line)}</text>' for i, line in enumerate(lines)]
        tops.append(y)
        y += max(ROW, len(lines) * 14 + 4)
    return "\n".join(names), tuple(tops), y


def profile_svg(spec: RateSpec) -> PageMarkup:
    """The profile as bars: for each indicator, the alliance's 得分率 (above) and its tier's
    average (below), to scale from 0 to 100%, under a legend naming the two.

    Each kind of mark is a group carrying its colour and class (the bars of each series, the
    text), so that a mark is only its place: an archive draws one on every alliance page."""
    span = WIDTH - LABEL - VALUE
    keys = ("series-0", "neutral")
    legend, y = [], 0.0
    for name, key in zip(spec.heads, keys):  # an entry a line
        for i, line in enumerate(_wrapped(name, SIZE, WIDTH - 16)):
            if i == 0:
                legend.append(f'<rect x="0" y="{y:g}" width="12" height="12" class="seg k-{key}" fill="{PALETTE[key][0]}"/>')
            legend.append(f'<text x="16" y="{y + 10.5:g}" class="fg" fill="#1a1a1a">{_t(line)}</text>')
            y += 16
    y += 8
    names, tops, rows_height = _row_names(tuple((r.name, r.heading) for r in spec.rows))
    bars: list[list[str]] = [[], []]
    figures = []
    for r, row_top in zip(spec.rows, tops):
        for k, value in enumerate(r.values):
            top = row_top + 2 + k * (BAR + 3)
            width = 0 if value is None else float(value) / 100 * span
            bars[k].append(f'<rect x="{LABEL}" y="{top:g}" width="{width:.1f}" height="{BAR}"/>')
            figures.append(f'<text x="{LABEL + width + 4:.1f}" y="{top + BAR:g}">{"—" if value is None else f"{value}%"}</text>')
    height = round(y + rows_height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{_t(f"{spec.title}：{spec.headline}")}" '
        f'font-family="{_t(FONTS)}" font-size="{SIZE}">\n<title>{_t(spec.title)}</title>',
        *legend,
        f'<g transform="translate(0,{y:g})">',
        *(f'<g class="seg k-{key}" fill="{PALETTE[key][0]}">\n' + "\n".join(marks) + "\n</g>"
          for key, marks in zip(keys, bars)),
        '<g class="fg" fill="#1a1a1a">', names, *figures, "</g>", "</g>", "</svg>"]
    return PageMarkup("\n".join(parts))


def rate_figure_html(spec: RateSpec) -> PageMarkup:
    """The figure as a raw HTML block for Markdown (or an alliance page): caption, headline and
    subtitle; the coloured table with its CSV and JSON downloads, or the profile's bars with its
    data table (what a screen reader reads for the drawing, which is labelled by its title)."""
    number = PageMarkup('<span class="chart-number">图 {}</span>').format(spec.number) if spec.number else ""
    parts = [
        PageMarkup('<figure class="chart rate-figure" id="{}">').format(spec.id),
        PageMarkup('<figcaption>\n<p class="chart-caption">{}{}</p>\n<p class="chart-headline">{}</p>\n'
                   '<p class="chart-subtitle">{}</p>\n</figcaption>').format(number, spec.caption, spec.headline,
                                                                             spec.subtitle),
    ]
    if spec.shape == PROFILE:
        parts += [PageMarkup('<div class="chart-plot"><div class="chart-static">'), profile_svg(spec),
                  PageMarkup("</div></div>"),

                  PageMarkup('<details class="chart-data">\n<summary>数据表</summary>'),
                  rate_table(spec, coloured=False), PageMarkup("</details>")]
    else:
        parts += [PageMarkup('<div class="rate-scroll" style="overflow-x:auto">'), rate_table(spec),
                  PageMarkup("</div>"), _legend(), _downloads(spec)]
    parts.append(PageMarkup("</figure>"))
    return PageMarkup("\n\n") + PageMarkup("\n").join(parts) + PageMarkup("\n\n")
