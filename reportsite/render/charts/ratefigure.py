"""A table of 得分率 or a profile on the page (`rates.py` makes the spec).

The table is a static HTML table, coloured by 得分率 with the figure printed in every cell (the
text on each colour contrasts at least 4.5:1 with it, in either colour scheme, since both are set
on the cell); the profile is a static SVG of bars with its data table. Both have CSV and JSON
downloads. Neither is redrawn by plotly (its vendored bundle has no heatmap; bars beside bars need
none). Text from the data is escaped by `PageMarkup`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

from reportsite.model.escape import PageMarkup, script_json, spreadsheet_text
from reportsite.model.findings import FIRST, HIDDEN, MIN_GROUP
from reportsite.render.charts.rates import PROFILE, RateSpec
from reportsite.render.charts.svg import FONTS, PALETTE, wrap

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


def _style(value: Decimal | None) -> PageMarkup:
    fill, ink = cell_colours(value)
    return PageMarkup(' style="background-color:{};color:{}"').format(PageMarkup(fill), PageMarkup(ink))


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


def rate_table(spec: RateSpec, coloured: bool = True) -> PageMarkup:
    """The figures as a table, indicators down, groups across; coloured cells for the matrix."""
    # Names and counts on two lines, so that the columns stay narrow enough for the page.
    heads = PageMarkup("").join(PageMarkup('<th scope="col" class="num">{}<br>{}</th>').format(*_two_lines(h))
                                for h in spec.heads)
    out = [PageMarkup('<table class="data rate-table">'),
           PageMarkup("<caption>{}：平均得分率（%）</caption>").format(spec.title),
           PageMarkup('<thead><tr><th scope="col">{}</th>{}</tr></thead>').format(spec.row_header, heads),
           PageMarkup("<tbody>")]
    for r in spec.rows:
        cells = PageMarkup("").join(
            PageMarkup('<td class="num"{}>{}</td>').format(_style(v) if coloured else "", _shown(v)) for v in r.values)
        label, points = _two_lines(r.name)
        name = PageMarkup("<strong>{}</strong><br>{}" if r.heading else "{}<br>{}").format(label, points)
        out.append(PageMarkup('<tr><th scope="row">{}</th>{}</tr>').format(name, cells))
    out.append(PageMarkup("</tbody></table>"))
    return PageMarkup("\n").join(out)


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


WIDTH, LABEL, VALUE, BAR, ROW, SIZE = 320, 128, 50, 10, 30, 12
"""A 320-unit view box, as the other charts have, so that its 12-unit text is not drawn under 12 px
on a 375 px phone: names wrap in their column, the bars and their labels share the rest."""


def _text(x: float, y: float, text: str, bold: bool = False, anchor: str = "start") -> PageMarkup:
    return PageMarkup('<text x="{}" y="{}" class="fg" fill="#1a1a1a" font-size="{}" text-anchor="{}"{}>{}</text>').format(
        f"{x:g}", f"{y:g}", SIZE, anchor, PageMarkup(' font-weight="600"') if bold else "", text)


def profile_svg(spec: RateSpec) -> PageMarkup:
    """The profile as bars: for each indicator, the alliance's 得分率 (above) and its tier's
    average (below), to scale from 0 to 100%."""
    span = WIDTH - LABEL - VALUE
    keys = ("series-0", "neutral")
    body, y = [], 0.0
    for name, key in zip(spec.heads, keys):  # the legend, an entry a line
        for i, line in enumerate(wrap(name, SIZE, WIDTH - 16)):
            if i == 0:
                body.append(PageMarkup('<rect x="0" y="{}" width="12" height="12" class="seg k-{}" fill="{}"/>').format(
                    f"{y:g}", key, PageMarkup(PALETTE[key][0])))
            body.append(_text(16, y + 10.5, line))
            y += 16
    y += 8
    for r in spec.rows:
        lines = wrap(r.name, SIZE, LABEL - 6)
        for i, line in enumerate(lines):
            body.append(_text(0, y + 12 + i * 14, line, bold=r.heading))
        for k, (value, key) in enumerate(zip(r.values, keys)):
            top = y + 2 + k * (BAR + 3)
            width = 0 if value is None else float(value) / 100 * span
            body.append(PageMarkup('<rect x="{}" y="{}" width="{}" height="{}" class="seg k-{}" fill="{}"/>').format(
                LABEL, f"{top:g}", f"{width:.1f}", BAR, key, PageMarkup(PALETTE[key][0])))
            body.append(_text(LABEL + width + 4, top + BAR, _shown(value) + ("%" if value is not None else "")))
        y += max(ROW, len(lines) * 14 + 4)
    height = round(y)
    head = PageMarkup('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" width="{w}" '
                      'height="{h}" role="img" aria-label="{label}" aria-describedby="{id}-desc" font-family="{fonts}" '
                      'font-size="{size}">\n<title>{title}</title>').format(
        w=WIDTH, h=height, label=f"{spec.title}：{spec.headline}", id=spec.id, fonts=FONTS, size=SIZE,
        title=spec.title)
    return PageMarkup("\n").join([head, *body, PageMarkup("</svg>")])


def rate_figure_html(spec: RateSpec) -> PageMarkup:
    """The figure as a raw HTML block for Markdown (or an alliance page): caption, headline and
    subtitle; the coloured table or the profile's bars with its table; a description for screen
    readers; the CSV and JSON downloads."""
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
                  PageMarkup('<p class="chart-sr" id="{}-desc">{}</p>').format(spec.id, spec.description),
                  _downloads(spec),
                  PageMarkup('<details class="chart-data">\n<summary>数据表</summary>'),
                  rate_table(spec, coloured=False), PageMarkup("</details>")]
    else:
        parts += [rate_table(spec), _legend(), _downloads(spec)]
    parts.append(PageMarkup("</figure>"))
    return PageMarkup("\n\n") + PageMarkup("\n").join(parts) + PageMarkup("\n\n")
