"""A chart's figure on the page: the static SVG with its caption, data table, CSV download and the
JSON the loader (`assets/js/charts.js`) redraws with plotly when the reader engages with the chart.

Text from the data is escaped for HTML and Markdown by `PageMarkup`; the loader escapes it again for
plotly, which reads text as HTML.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from reportsite.model.escape import SCRIPT, PageMarkup, csv_cells, script_json
from reportsite.render.charts.ratefigure import rate_figure_html
from reportsite.render.charts.rates import RateSpec
from reportsite.render.charts.spec import BARS, SHARE, ChartSpec, end_text, hover_text, value, value_text
from reportsite.render.charts.svg import key_class, svg


def table(spec: ChartSpec) -> PageMarkup:
    """The chart's numbers as a table, one row per segment."""
    heads = [spec.row_header, *([spec.segment_header] if spec.stacked else []), "联盟数（家）", spec.share_header]
    out = [PageMarkup('<table class="data chart-table">'),
           PageMarkup("<caption>{}：数据表</caption>").format(spec.title),
           PageMarkup("<thead><tr>{}</tr></thead>").format(PageMarkup("").join(
               PageMarkup('<th scope="col"{}>{}</th>').format(
                   PageMarkup(' class="num"') if i >= len(heads) - 2 else "", h)
               for i, h in enumerate(heads)))]
    numbers = '<td class="num">{}</td><td class="num">{}</td></tr>'
    group = None
    for row in spec.rows:
        first = row.segments[0]
        if spec.stacked:
            out.append(PageMarkup("<tbody>"))
            for i, s in enumerate(row.segments):
                lead = (PageMarkup('<th scope="rowgroup" rowspan="{}">{}</th>').format(len(row.segments), row.label)
                        if i == 0 else "")
                out.append(PageMarkup('<tr class="{}">{}<th scope="row">{}</th>' + numbers).format(
                    key_class(s.key), lead, s.name, s.count, s.share))
            out.append(PageMarkup("</tbody>"))
            continue
        if row.group != group:
            if group is not None:
                out.append(PageMarkup("</tbody>"))
            group = row.group
            out.append(PageMarkup('<tbody class="{}">').format(key_class(first.key) if group else ""))
            if group:
                out.append(PageMarkup('<tr class="tier-head"><th colspan="3" scope="colgroup">{}</th></tr>')
                           .format(group))
        out.append(PageMarkup('<tr class="{}"><th scope="row">{}</th>' + numbers).format(
            key_class(first.key), row.label, first.count, first.share))
    if group is not None:
        out.append(PageMarkup("</tbody>"))
    out.append(PageMarkup("</table>"))
    return PageMarkup("\n").join(out)


def csv_text(spec: ChartSpec) -> str:
    """The chart's numbers as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese)."""
    grouped = any(r.group for r in spec.rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(csv_cells([*([spec.group_header] if grouped else []), spec.row_header,
                          *([spec.segment_header] if spec.stacked else []), "联盟数（家）", spec.share_header]))
    for r in spec.rows:
        for s in r.segments:
            w.writerow(csv_cells([*([r.group] if grouped else []), r.label, *([s.name] if spec.stacked else []),
                                  s.count, s.share]))
    return "\ufeff" + buf.getvalue()


def data_json(spec: ChartSpec) -> str:
    """What the loader script draws, as JSON that can stand in a single-quoted attribute (no `'`,
    `<`, `>` or `&`). It is an attribute of the figure rather than a script element so that no text
    from the data is ever inside a script, even an inert one. `shape` is there for a donut or a
    line only."""
    data = {
        "id": spec.id, "stem": spec.stem, "measure": spec.measure, "stacked": spec.stacked,
        **({"shape": spec.shape} if spec.shape != BARS else {}),
        "axis": spec.share_header if spec.measure == SHARE else "联盟数（家）",
        "legend": [{"name": n, "key": k} for n, k in spec.legend],
        "rows": [{"label": r.label, "group": r.group, "end": end_text(spec, r), "segments": [
            {"name": s.name, "key": s.key, "count": s.count, "share": str(s.share),
             "value": value(spec, s), "text": value_text(spec, s) if spec.stacked else end_text(spec, r),
             "hover": hover_text(r, s), **({"series": s.series} if s.series else {})}
            for s in r.segments]} for r in spec.rows],
    }
    return script_json(data, SCRIPT + "'")


def figure_html(spec: ChartSpec | RateSpec) -> PageMarkup:
    """The chart's figure as a raw HTML block for Markdown: caption, headline and subtitle, the
    static SVG, a description for screen readers, downloads, the data table, and the JSON in the
    figure's `data-spec` (a figure of the indicator scores: `ratefigure.py`)."""
    if isinstance(spec, RateSpec):
        return rate_figure_html(spec)
    csv_uri = "data:text/csv;charset=utf-8," + quote(csv_text(spec), safe="")
    number = PageMarkup('<span class="chart-number">图 {}</span>').format(spec.number) if spec.number else ""
    parts = [
        PageMarkup("<figure class=\"chart\" id=\"{0}\" data-chart=\"{0}\" data-spec='{1}'>").format(
            spec.id, PageMarkup(data_json(spec))),
        PageMarkup('<figcaption>\n<p class="chart-caption">{}{}</p>\n<p class="chart-headline">{}</p>\n'
               '<p class="chart-subtitle">{}</p>\n</figcaption>').format(
            number, spec.caption, spec.headline, spec.subtitle),
        PageMarkup('<div class="chart-plot"><div class="chart-static">'),
        svg(spec),
        PageMarkup("</div></div>"),
        PageMarkup('<p class="chart-sr" id="{}-desc">{}</p>').format(spec.id, spec.description),
        PageMarkup('<div class="chart-actions">\n'
               '<button type="button" class="chart-button chart-toggle" aria-pressed="false" hidden>交互图表</button>\n'
               '<button type="button" class="chart-button" data-download="png" hidden>下载 PNG</button>\n'
               '<button type="button" class="chart-button" data-download="svg" hidden>下载 SVG</button>\n'
               '<a class="chart-button" href="{}" download="{}.csv">下载数据 CSV</a>\n'
               '<a class="chart-button chart-permalink" href="#{}" data-permalink>复制本图链接</a>\n</div>').format(
            csv_uri, spec.stem, spec.id),
        PageMarkup('<details class="chart-data">\n<summary>数据表</summary>'),
        table(spec),
        PageMarkup("</details>"),
        PageMarkup("</figure>"),
    ]
    return PageMarkup("\n\n") + PageMarkup("\n").join(parts) + PageMarkup("\n\n")
