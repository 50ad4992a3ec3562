"""The two chart kinds of the indicator scores (render/charts/rates.py, ratefigure.py): the table of
average 得分率 (tiers across, indicators down; coloured, its figures printed, text at 4.5:1 or more
on every colour; CSV and JSON downloads; not plotly) and one alliance's profile beside its tier's
average, which only an edition publishing each alliance's scores may draw."""

from __future__ import annotations

import dataclasses
import json
import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from test_findings import INDICATORS, ROWS

from reportsite.model.errors import ContentError
from reportsite.model.records import Result, Scores
from reportsite.render.charts.figure import figure_html
from reportsite.render.charts.place import EditionCharts
from reportsite.render.charts.ratefigure import NONE_CELL, RAMP


@pytest.fixture
def archive(project):
    archive, _ = project.check()
    base = archive.editions[0]
    results = tuple(Result(code, float(sum(sum(g) for g in items)), tier) for code, tier, items in ROWS)
    edition = dataclasses.replace(base, indicators=INDICATORS, evaluated=results, incomplete=(),
                                  scores=tuple(Scores(code, items) for code, _, items in ROWS))
    return dataclasses.replace(archive, editions=(edition,))


def place(archive, **options):
    return EditionCharts(archive, archive.editions[0]).place(True, **options)


def soup(markup) -> BeautifulSoup:
    return BeautifulSoup(str(markup), "html.parser")


def cells(table) -> list[list[str]]:
    return [[c.get_text("", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


def test_the_table_of_rates_by_tier(archive):
    spec = place(archive, kind="indicators")
    assert spec.id == "fig-1" and spec.columns == ("活跃度高", "活跃度较高", "活跃度一般", "不活跃", "全部参评联盟")
    page = soup(figure_html(spec))
    assert page.find("svg") is None and page.find("figure").get("data-chart") is None  # not plotly
    rows = cells(page.find("table"))
    assert rows[0] == ["指标（分值）", "活跃度高（3 家）", "活跃度较高（2 家）", "活跃度一般（0 家）", "不活跃（0 家）",
                       "全部参评联盟（5 家）"]
    assert rows[1:] == [
        ["组织（10 分）", "70.00", "—", "—", "—", "60.00"],
        ["会议（4 分）", "75.00", "—", "—", "—", "75.00"],
        ["网站（6 分）", "66.67", "—", "—", "—", "50.00"],
        ["创新（90 分）", "90.37", "—", "—", "—", "84.89"],
        ["项目（90 分）", "90.37", "—", "—", "—", "84.89"],
    ]
    assert spec.headline == "全部参评联盟中，得分率最高的二级指标是项目（84.89%），最低的是网站（50.00%）"


def test_every_cell_is_coloured_by_its_rate_with_readable_text(archive):
    page = soup(figure_html(place(archive, kind="indicators", level="first")))
    styles = {td.get_text(): td["style"] for td in page.find("table").find_all("td")}
    assert styles["70.00"] == "background-color:#2171b5;color:#ffffff"
    assert styles["90.37"] == "background-color:#08306b;color:#ffffff"
    assert styles["—"] == "background-color:#f2f2f2;color:#1a1a1a"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("fill, ink", [(f, i) for _, f, i in RAMP] + [NONE_CELL])
def test_the_text_on_every_colour_contrasts_at_least_4_5_to_1(fill, ink):
    high, low = sorted((luminance(fill), luminance(ink)), reverse=True)
    assert (high + 0.05) / (low + 0.05) >= 4.5


def test_the_downloads_hold_the_figures(archive):
    page = soup(figure_html(place(archive, kind="indicators", by="group")))
    links = {a["download"]: a["href"] for a in page.select("a[download]")}
    assert set(links) == {"2020-2021-fig-1.csv", "2020-2021-fig-1.json"}
    text = unquote(links["2020-2021-fig-1.csv"].split(",", 1)[1])
    assert text.startswith("\ufeff指标,级别,分值,第一批试点联盟（2 家）得分率（%）,")
    assert "网站,二级指标,6,—,—,—,50.00\r\n" in text
    data = json.loads(unquote(links["2020-2021-fig-1.json"].split(",", 1)[1]))
    assert data["columns"][-1] == {"name": "全部参评联盟", "alliances": 5}
    assert data["rows"][2] == {"indicator": "网站", "heading": False, "points": "6",
                               "rates": [None, None, None, "50.00"]}


def test_a_filter_keeps_its_tiers_and_alliances(archive):
    spec = place(archive, kind="indicators", level="first", filter={"tier": "high"})
    assert spec.columns == ("活跃度高", "全部所选联盟") and spec.sizes == (3, 3)


def test_a_profile_needs_the_edition_to_publish_each_alliance(archive):
    with pytest.raises(ContentError) as caught:
        place(archive, kind="profile", alliance="110")
    assert caught.value.message.slug == "indicator-findings/alliance"
    published = dataclasses.replace(archive, editions=(
        dataclasses.replace(archive.editions[0], indicators_publish="alliance"),))
    spec = place(published, kind="profile", alliance="233")
    assert spec.columns == ("住宅科技产业技术创新战略联盟", "活跃度高联盟平均")
    page = soup(figure_html(spec))
    assert page.find("svg")["role"] == "img"
    assert cells(page.find("table"))[3] == ["网站（6 分）", "0.00", "66.67"]
    assert "得分率最高的是项目（93.33%），最低的是网站（0.00%）" == spec.headline


@pytest.mark.parametrize("options, slug", [
    (dict(kind="indicators", level="third"), "chart-value"),
    (dict(kind="indicators", per="group"), "chart-not-here"),
    (dict(kind="indicators", share_of="evaluated"), "chart-not-here"),
    (dict(kind="indicators", filter={"status": "evaluated"}), "chart-not-here"),
    (dict(kind="indicators", alliance="110"), "chart-not-here"),
    (dict(kind="bar", level="first"), "chart-not-here"),
    (dict(kind="indicators", by="status"), "chart-value"),
])
def test_options_the_kinds_do_not_take(archive, options, slug):
    with pytest.raises(ContentError) as caught:
        place(archive, **options)
    assert caught.value.slug == slug


def test_an_edition_without_scores_cannot_draw_them(project):
    archive, _ = project.check()
    with pytest.raises(ContentError) as caught:
        place(archive, kind="indicators")
    assert caught.value.message.slug == "indicator-findings/no-scores"


def test_data_in_the_figure_stays_text(archive):
    edition = archive.editions[0]
    hostile = dataclasses.replace(edition, indicators=(
        dataclasses.replace(INDICATORS[0], items=("<b>会议</b>", "=1+1")), INDICATORS[1]))
    spec = place(dataclasses.replace(archive, editions=(hostile,)), kind="indicators")
    markup = str(figure_html(spec))
    assert "<b>" not in markup and "&lt;b&gt;会议&lt;/b&gt;" in markup
    csv_text = unquote(re.search(r'href="data:text/csv;charset=utf-8,([^"]*)"', markup).group(1))
    assert "'=1+1" in csv_text
