"""Chart specs and their static HTML, without a browser: the numbers are the model's, the HTML is
inert whatever the data says, and the output is the same every time.

The report's figures are taken from the content as it declares them (each `{{ chart(...) }}` line
of content/2020-2021, placed in order as its pages place them); the overview's charts by name."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import jinja2
import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from reportsite.model import figures as F
from reportsite.read.check import check_archive
from reportsite.render.charts import count, figure, options, place
from reportsite.render.charts.figure import csv_text
from reportsite.render.charts.spec import COUNT, SHARE, ChartSpec, Row, Segment, end_text, value_text
from reportsite.render.charts.svg import BACKGROUNDS, PALETTE, WIDTH, _layout, luminance, palette_css, text_width

CHARTS_CSS = ROOT / "reportsite" / "assets" / "css" / "charts.css"
CHART_LINE = re.compile(r"^\{\{ (chart\(.*\)) \}\}$", re.MULTILINE)
CHART_IDS = (*(f"fig-{n}" for n in range(1, 12)), *options.CHART_NAMES)
"""The report's 11 figures and the overview's 3 named charts."""


def content_specs(archive, edition) -> dict[str, ChartSpec]:
    """{id: spec} of the charts the edition's content declares, placed in order as its pages are."""
    placed = place.EditionCharts(archive, edition)
    env = jinja2.Environment()
    specs = {}
    for path in sorted((ROOT / "content" / edition.id).glob("*.md")):
        for call in CHART_LINE.findall(path.read_text(encoding="utf-8")):
            spec = env.compile_expression(call)(chart=lambda *a, **k: placed.place(True, *a, **k))
            specs[spec.id] = spec
    return specs


@pytest.fixture(scope="module")
def archive():
    archive, _ = check_archive(str(ROOT / "data"))
    return archive


@pytest.fixture(scope="module")
def edition(archive):
    return archive.edition("2020-2021")


@pytest.fixture(scope="module")
def every(archive, edition) -> dict[str, ChartSpec]:
    """The 14 charts of the default site by id."""
    specs = content_specs(archive, edition)
    specs.update({name: count.spec(edition, options.declare(edition, name), name) for name in options.CHART_NAMES})
    return specs


def rows_of(spec: ChartSpec) -> dict[str, dict[str, int]]:
    """{row label: {segment name: count}}."""
    return {r.label: {s.name: s.count for s in r.segments} for r in spec.rows}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_the_content_places_the_reports_eleven_figures_in_order(every):
    assert list(every)[:11] == [f"fig-{n}" for n in range(1, 12)]
    assert [every[f"fig-{n}"].number for n in range(1, 12)] == list(range(1, 12))
    assert every["fig-1"].title == "图 1　参评的试点联盟和协发网网员联盟各档次所占比例及联盟总体情况分布比例"
    assert [every[f"fig-{n}"].caption for n in (2, 3, 8, 11)] == [
        "第一批试点联盟情况分布的比例", "第一批试点联盟四档分别占参评联盟的比例",
        "活跃度高的三批次试点联盟占比情况", "不活跃的三批次试点联盟占比情况"]
    assert all(every[name].number is None and every[name].id == name for name in options.CHART_NAMES)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_share_is_its_count_over_the_row_base(every, chart_id):
    spec = every[chart_id]
    assert spec.id == chart_id and spec.stem == f"2020-2021-{chart_id}"
    for row in spec.rows:
        for seg in row.segments:
            assert seg.share == F.share(seg.count, row.base), (row.label, seg.name)


@pytest.mark.parametrize("chart_id", [c for c in CHART_IDS if c != "funnel"])
def test_parts_add_up_to_their_whole(every, edition, chart_id):
    """The segments of a stacked row, or the bars of a plain chart, split their base: the counts add
    up exactly, the rounded shares to 100 within their rounding (left as computed, never forced).
    The funnel's steps are nested, not parts, so it has no such sum."""
    spec = every[chart_id]
    wholes = ([(r.segments, r.base) for r in spec.rows] if spec.stacked
              else [([r.segments[0] for r in spec.rows], spec.rows[0].base)])
    for parts, base in wholes:
        assert sum(s.count for s in parts) == base
        assert abs(sum(s.share for s in parts) - 100) <= Decimal("0.005") * len(parts)


def test_fig_1_tiers_among_the_evaluated_and_every_status_among_all(every, edition):
    spec = every["fig-1"]
    evaluated, everyone = spec.rows
    assert [s.count for s in evaluated.segments] == list(F.tier_counts(edition).values())
    assert [s.count for s in evaluated.segments] == [35, 22, 18, 11]  # as published
    assert evaluated.base == len(edition.evaluated) == 86
    status = F.group_status_counts(edition)
    assert everyone.base == edition.in_scope == 157
    assert [s.count for s in everyone.segments][-2:] == [
        sum(s[F.INCOMPLETE] for s in status.values()), sum(s["not_reported"] for s in status.values())]
    assert sum(s.count for s in everyone.segments) == 157
    assert "66.28%" in spec.headline  # 57 of 86, as published


@pytest.mark.parametrize("number", [2, 4, 6])
def test_batch_status_figures_count_each_status_over_the_batch_size(every, edition, number):
    group = [g for g in edition.groups if g.pilot][(number - 2) // 2]
    spec = every[f"fig-{number}"]
    tiers = F.group_tier_counts(edition)[group.prefix]
    status = F.group_status_counts(edition)[group.prefix]
    expected = {t.name: tiers[t.key] for t in edition.tiers}
    expected.update({count.INCOMPLETE: status[F.INCOMPLETE], count.NOT_REPORTED: status["not_reported"]})
    assert {label: sum(v.values()) for label, v in rows_of(spec).items()} == expected
    assert all(r.base == group.size for r in spec.rows)
    assert group.name in spec.caption


def test_fig_2_matches_the_published_first_batch(every, edition):
    counts = [r.segments[0].count for r in every["fig-2"].rows]
    assert counts == [18, 9, 4, 3, 6, 12]


@pytest.mark.parametrize("number", [3, 5, 7])
def test_batch_tier_shares_are_over_the_batchs_own_evaluated(every, edition, number):
    group = [g for g in edition.groups if g.pilot][(number - 2) // 2]
    spec = every[f"fig-{number}"]
    tiers = F.group_tier_counts(edition)[group.prefix]
    evaluated = F.count(edition, group=group.prefix)
    assert [r.segments[0].count for r in spec.rows] == [tiers[t.key] for t in edition.tiers]
    assert all(r.base == evaluated for r in spec.rows)


@pytest.mark.parametrize("number", [8, 9, 10, 11])
def test_tier_figures_share_each_batch_among_the_tiers_pilots(every, edition, number):
    tier = edition.tiers[number - 8]
    spec = every[f"fig-{number}"]
    pilots = [g for g in edition.groups if g.pilot]
    assert [r.label for r in spec.rows] == [g.name for g in pilots]
    assert [r.segments[0].count for r in spec.rows] == [F.count(edition, tier=tier.key, group=g.prefix)
                                                         for g in pilots]
    assert all(r.base == F.count(edition, tier=tier.key, pilot=True) for r in spec.rows)


def test_fig_8_matches_the_published_shares(every, edition):
    shares = [str(r.segments[0].share) for r in every["fig-8"].rows]
    assert shares == ["56.25", "15.63", "28.13"]


def test_batch_tier_covers_every_evaluated_alliance(every, edition):
    spec = every["batch-tier"]
    counts = F.group_tier_counts(edition)
    assert [[s.count for s in r.segments] for r in spec.rows] == [
        [counts[g.prefix][t.key] for t in edition.tiers] for g in edition.groups]
    assert sum(s.count for r in spec.rows for s in r.segments) == len(edition.evaluated)


def test_score_distribution_puts_every_result_in_one_band_of_its_tier(every, edition):
    spec = every["score-distribution"]
    assert sum(r.segments[0].count for r in spec.rows) == len(edition.evaluated)
    for row in spec.rows:
        m = re.match(r"(\d+)–(\d+) 分", row.label)
        if not m:
            continue
        low, high = int(m.group(1)), int(m.group(2))
        tier = edition.tier_for(low)
        assert tier.name == row.segments[0].name and edition.tier_for(high).name == tier.name
        assert row.segments[0].count == sum(1 for r in edition.evaluated
                                            if r.score is not None and low <= r.score <= high)
    unscored = [r for r in spec.rows if r.label.startswith("未公布分数")]
    assert sum(r.segments[0].count for r in unscored) == sum(1 for r in edition.evaluated if r.score is None)


def test_funnel_steps(every, edition):
    spec = every["funnel"]
    assert [r.segments[0].count for r in spec.rows] == [edition.in_scope, edition.entered, len(edition.evaluated)]
    assert [r.segments[0].count for r in spec.rows] == [157, 107, 86]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_static_svg_labels_every_nonzero_segment(every, edition, chart_id):
    spec = every[chart_id]
    svg = soup(str(figure.figure_html(spec))).find("svg")
    texts = [t.get_text() for t in svg.find_all("text")]
    for row in spec.rows:
        assert row.label in texts
        if not spec.stacked:
            assert end_text(spec, row) in texts
            continue
        for seg in row.segments:
            if seg.count:
                assert any(t.endswith(value_text(spec, seg)) and (t == value_text(spec, seg) or seg.name in t)
                           for t in texts), (row.label, seg.name)
    # Every segment has a border in the background colour, so neighbours never touch.
    assert all(r.get("stroke") for r in svg.find_all("rect", class_="seg"))


def label_boxes(svg) -> list[tuple[float, float, float, float, str]]:
    """Each label of the drawing (not the heading above it) as (left, right, top, bottom, text), its
    width estimated as the drawing estimates it, its height the font's ascent and descent."""
    boxes = []
    for t in svg.find_all("text"):
        x, y, size = float(t["x"]), float(t["y"]), float(t["font-size"])
        width = text_width(t.get_text(), size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[t["text-anchor"]]
        if y > 0:
            boxes.append((left, left + width, y - 0.88 * size, y + 0.12 * size, t.get_text()))
    return boxes


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_no_callout_runs_through_a_label_and_no_labels_overlap(every, edition, chart_id):
    svg = soup(str(figure.figure_html(every[chart_id]))).find("svg")
    boxes = label_boxes(svg)
    leaders = [(float(ln["x1"]), float(ln["y1"]), float(ln["y2"])) for ln in svg.find_all("line", class_="fg-line")
               if ln["x1"] == ln["x2"]]
    crossed = [(text, x) for x, y1, y2 in leaders for left, right, top, bottom, text in boxes
               if left < x < right and y1 < bottom and y2 > top]
    assert crossed == []
    overlaps = [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[1] and b[0] < a[1] and a[2] < b[3] - 1 and b[2] < a[3] - 1]
    assert overlaps == []


def test_a_run_of_small_segments_at_the_bars_end_steps_its_labels_down_without_crossing():
    # fig-1's first bar: 较高, 一般 and 不活跃 side by side near the end, each label wider than its room.
    spots, lines, crossings = _layout([(250, 108), (285, 108), (315, 84)])
    assert crossings == 0 and lines == 3
    assert [k for k, _ in spots] == [0, 1, 2]
    assert all(0 <= left and left + w <= WIDTH for (_, left), w in zip(spots, (108, 108, 84)))


def test_svg_draws_caption_and_headline_above_its_view_box_for_downloads(every, edition):
    spec = every["fig-1"]
    svg = soup(str(figure.figure_html(spec))).find("svg")
    above = int(svg["data-heading"])
    heading = [t for t in svg.find_all("text") if float(t["y"]) < 0]
    assert "".join(t.get_text() for t in heading) == spec.title + spec.headline
    assert all(-above < float(t["y"]) for t in heading)
    assert svg.find("rect", class_="bg")["y"] == f"-{above}"


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_table_and_csv_hold_the_same_numbers(every, edition, chart_id):
    spec = every[chart_id]
    html = soup(str(figure.figure_html(spec)))
    table = html.find("table", class_="chart-table")
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr") if tr.find("td")]
    expected = [[str(s.count), str(s.share)] for r in spec.rows for s in r.segments]
    assert cells == expected
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    link = html.find("a", download=f"{spec.stem}.csv")
    text = unquote(link["href"].split(",", 1)[1])
    assert text == csv_text(spec)
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [rec[-2:] for rec in records[1:]] == expected


def test_tier_rows_carry_the_tier_classes_of_the_sites_tables(every, edition):
    table = soup(str(figure.figure_html(every["fig-3"]))).find("table")
    assert [tr["class"] for tr in table.tbody.find_all("tr")] == [[f"tier-{t.rank}"] for t in edition.tiers]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_json_attribute_is_the_spec(every, edition, chart_id):
    spec = every[chart_id]
    element = soup(str(figure.figure_html(spec))).find("figure", id=chart_id)
    data = json.loads(element["data-spec"])
    assert data["measure"] in (SHARE, COUNT) and data["stacked"] == spec.stacked
    assert [[(s["count"], s["share"]) for s in r["segments"]] for r in data["rows"]] == [
        [(s.count, str(s.share)) for s in r.segments] for r in spec.rows]


def test_description_names_every_number(every, edition):
    spec = every["fig-1"]
    for row in spec.rows:
        for seg in row.segments:
            assert f"{seg.name} {seg.count} 家（{seg.share}%）" in spec.description
    html = soup(str(figure.figure_html(spec)))
    assert html.find(id="fig-1-desc").get_text() == spec.description
    assert html.find("svg")["aria-describedby"] == "fig-1-desc"


HOSTILE = '<script>alert("x")</script></script>&'


def hostile_spec() -> ChartSpec:
    seg = Segment(HOSTILE, "tier-0", 3, Decimal("50.00"))
    return ChartSpec(id="fig-x", number=None, stem="x", caption=HOSTILE, headline=HOSTILE, subtitle=HOSTILE,
                     measure=SHARE, row_header=HOSTILE, share_header=HOSTILE,
                     rows=(Row(HOSTILE, 6, (seg, Segment("b", "tier-1", 3, Decimal("50.00"))), HOSTILE),))


def test_figure_html_escapes_data_everywhere():
    html = str(figure.figure_html(hostile_spec()))
    assert "<script>alert" not in html
    parsed = soup(html)
    assert parsed.find_all("script") == []
    assert json.loads(parsed.find("figure")["data-spec"])["rows"][0]["label"] == HOSTILE
    assert parsed.find("figcaption").find(class_="chart-headline").get_text() == HOSTILE
    assert parsed.find("svg").find("title").get_text() == HOSTILE


def test_figure_html_is_a_raw_html_block_markdown_keeps(every, edition):
    html = str(figure.figure_html(every["fig-1"]))
    assert html.startswith("\n\n<figure") and html.endswith("</figure>\n\n")
    assert "\n\n" not in html.strip() and not re.search(r"^[ \t]", html, re.MULTILINE)
    out = markdown.markdown(f"text\n{html}more", extensions=["tables", "attr_list", "md_in_html"])
    assert html.strip() in out


def test_output_is_identical_run_to_run(every, edition):
    again, _ = check_archive(str(ROOT / "data"))
    specs = content_specs(again, again.edition(edition.id))
    specs.update({n: count.spec(again.edition(edition.id), options.declare(edition, n), n) for n in options.CHART_NAMES})
    assert [str(figure.figure_html(every[c])) for c in CHART_IDS] == [
        str(figure.figure_html(specs[c])) for c in CHART_IDS]


def test_stylesheet_palette_is_current():
    text = CHARTS_CSS.read_text(encoding="utf-8")
    block = text.split("/* palette: begin */\n", 1)[1].split("/* palette: end */", 1)[0]
    assert block == palette_css(), "replace the palette block of charts.css with:\n" + palette_css()


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_every_fill_reaches_3_to_1_against_the_background_of_its_scheme(scheme):
    low = {key: round(contrast(fills[scheme], BACKGROUNDS[scheme]), 2) for key, fills in PALETTE.items()}
    assert {key: ratio for key, ratio in low.items() if ratio < 3} == {}


def test_the_dark_scheme_keeps_the_ramps_order():
    for ramp in (["tier-0", "tier-1", "tier-2"], ["incomplete", "not-reported"]):
        for scheme in (0, 1):
            lightness = [luminance(PALETTE[key][scheme]) for key in ramp]
            assert lightness == sorted(lightness), (ramp, scheme)


def test_the_histogram_headline_names_every_tied_band(every, edition):
    import dataclasses

    assert every["score-distribution"].headline == "得分在 95–100 分的联盟最多，有 13 家"
    # One alliance of 95–100 moved down to 90–94: 95–100 and 85–89 both hold 12.
    moved = next(r for r in edition.evaluated if r.score is not None and r.score >= 95)
    results = tuple(dataclasses.replace(r, score=Decimal(92)) if r is moved else r for r in edition.evaluated)
    tied = dataclasses.replace(edition, evaluated=results)
    spec = count.spec(tied, options.declare(tied, "score-distribution"), "score-distribution")
    assert spec.headline == "得分在 95–100 和 85–89 分的联盟最多，各 12 家"
