"""The archive home (issue 17): its context from the model (home.py, pure), and the built home of the
default site (one edition) and of the three-edition example archive, read back with selectors:
headline figures equal figures.py's, the charts' data equal the editions' data, every link
resolves, and hostile values stay text."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import EARLIER_EDITION, EDITION_YAML, ROOT
from hostile import PAYLOADS, HostileProject, live_script, no_traceback

from reportsite.model import figures as F
from reportsite.model.records import Archive
from reportsite.read.check import check_archive
from reportsite.root import home

EXAMPLE = ROOT / "examples" / "archive" / "data"


def model(data: Path) -> Archive:
    archive, problems = check_archive(str(data))
    assert archive is not None, [p.render() for p in problems]
    return archive


@pytest.fixture(scope="module")
def example() -> Archive:
    return model(EXAMPLE)


@pytest.fixture(scope="module")
def default() -> Archive:
    return model(ROOT / "data")


@pytest.fixture(params=["default", "example"])
def built(request) -> tuple[str, Archive]:
    """(built folder, its model) for the default site, then the example archive."""
    if request.param == "default":
        return request.getfixturevalue("built_site"), request.getfixturevalue("default")
    return request.getfixturevalue("example_site"), request.getfixturevalue("example")


def soup_of(path: str) -> BeautifulSoup:
    with open(path, encoding="utf-8") as f:
        return BeautifulSoup(f.read(), "html.parser")


def newest(archive: Archive):
    return max(archive.editions, key=lambda e: e.id)


# --- The context, from the model alone ----------------------------------------------------------

def test_headline_figures_are_figures_py(example):
    ctx = home.home_context(example, frozenset({"ranking.html", "changes.html"}), {}, {})
    e, s = newest(example), ctx.newest
    counts = F.tier_counts(e)
    assert s.edition is e
    assert (s.evaluated, s.in_scope) == (len(e.evaluated), e.in_scope)
    assert s.evaluated_share == F.share(len(e.evaluated), e.in_scope)
    assert [(t.name, t.count, t.share) for t in s.tiers] == [
        (t.name, counts[t.key], F.share(counts[t.key], len(e.evaluated))) for t in e.tiers]
    assert s.a_level == len(e.a_level.codes)
    assert [x.edition.id for x in ctx.editions] == sorted((x.id for x in example.editions), reverse=True)


def test_links_only_to_what_exists(example):
    nid = newest(example).id
    sizes = {f"{nid}/{nid}-report.pdf": "452 KB", f"{nid}/data/results.csv": "11 KB"}
    ctx = home.home_context(example, frozenset({"ranking.html"}), sizes, {})
    assert [(link.label, link.href, link.size) for link in ctx.links] == [
        ("阅读报告", f"{nid}/index.html", ""), ("排名表", f"{nid}/ranking.html", ""),
        ("PDF 版报告", f"{nid}/{nid}-report.pdf", "452 KB")]
    assert [(link.href, link.size) for link in ctx.downloads] == [(f"{nid}/data/results.csv", "11 KB")]
    assert [s.pdf is not None for s in ctx.editions] == [True, False, False]


def test_tiers_are_matched_by_rank_and_keep_each_editions_names(example):
    chart = home.home_context(example, frozenset(), {}, {}).charts[1]
    latest = newest(example)
    assert chart.legend == tuple((t.name, f"tier-{t.rank}") for t in latest.tiers)
    for row, e in zip(chart.rows, example.editions):
        counts = F.tier_counts(e)
        assert row.label == e.id and row.base == len(e.evaluated)
        assert [(s.name, s.key, s.count, s.share) for s in row.segments] == [
            (t.name, f"tier-{t.rank}", counts[t.key], F.share(counts[t.key], len(e.evaluated))) for t in e.tiers]
    renamed = {s.name for r in chart.rows for s in r.segments} - {t.name for t in latest.tiers}
    assert renamed, "the example archive renames a tier between editions"


def test_one_edition_draws_no_chart(default):
    ctx = home.home_context(default, frozenset(), {}, {})
    assert ctx.charts == ()
    assert len(ctx.editions) == 1


# --- The built home -----------------------------------------------------------------------------

def test_built_headline_figures_equal_the_computed_ones(built):
    site, archive = built
    e = newest(archive)
    page = soup_of(os.path.join(site, "index.html"))
    latest = page.select_one("section.home-latest")
    assert latest.find("h2").get_text(strip=True) == e.title

    def value(selector: str) -> int:
        return int(latest.select_one(f"{selector} .home-figure__value").get_text())

    assert value(".home-figure--evaluated") == len(e.evaluated)
    assert f"评价范围内共 {e.in_scope} 家，占 {F.share(len(e.evaluated), e.in_scope)}%" in latest.get_text()
    counts = F.tier_counts(e)
    shown = [(li.select_one(".home-figure__label").get_text(), int(li.select_one(".home-figure__value").get_text()),
              li.select_one(".home-figure__note").get_text()) for li in latest.select("li[data-tier-rank]")]
    assert shown == [(f"家{t.name}", counts[t.key], f"占参评联盟 {F.share(counts[t.key], len(e.evaluated))}%")
                     for t in e.tiers]
    assert value(".home-figure--a-level") == len(e.a_level.codes)


def test_built_charts_carry_the_editions_data(built):
    site, archive = built
    page = soup_of(os.path.join(site, "index.html"))
    specs = {f["data-chart"]: json.loads(f["data-spec"]) for f in page.select("figure.chart")}
    if len(archive.editions) == 1:
        # Nothing to compare: no comparison section, no placeholder, the edition shown once.
        assert specs == {}
        assert page.select_one("#trends") is None and page.select_one(".home-nothing") is None
        assert page.select_one("#editions") is None and "发布下一个年度后" not in page.get_text()
        assert page.get_text().count(archive.editions[0].title) == 1
        return
    assert list(specs) == ["home-evaluated", "home-tiers"]
    editions = sorted(archive.editions, key=lambda e: e.id)
    assert [(r["label"], r["segments"][0]["count"], r["segments"][0]["share"]) for r in specs["home-evaluated"]["rows"]] == [
        (e.id, len(e.evaluated), str(F.share(len(e.evaluated), e.in_scope))) for e in editions]
    names = {t.rank: t.name for t in newest(archive).tiers}
    for row, e in zip(specs["home-tiers"]["rows"], editions, strict=True):
        counts = F.tier_counts(e)
        assert row["label"] == e.id
        assert [(s["name"], s.get("series", s["name"]), s["count"], s["share"]) for s in row["segments"]] == [
            (t.name, names[t.rank], counts[t.key], str(F.share(counts[t.key], len(e.evaluated)))) for t in e.tiers]
    # One line per rank in the static drawing, even where an edition names its tier differently.
    assert len(page.select("figure#home-tiers svg polyline")) == len(names)


def test_built_table_and_list_of_editions(built):
    site, archive = built
    page = soup_of(os.path.join(site, "index.html"))
    if len(archive.editions) == 1:
        assert page.select("table.home-table") == [] and page.select("ul.editions") == []
        return
    newest_first = sorted(archive.editions, key=lambda e: e.id, reverse=True)
    rows = page.select("table.home-table tbody tr")
    assert [r["data-edition"] for r in rows] == [e.id for e in newest_first]
    for row, e in zip(rows, newest_first):
        counts = F.tier_counts(e)
        cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
        assert cells[0] == f"{len(e.evaluated)} 家"
        for t, cell in zip(e.tiers, cells[2:]):
            assert cell == f"{t.name} {counts[t.key]} 家（{F.share(counts[t.key], len(e.evaluated))}%）"
        assert ("示例数据" in row.get_text()) == e.demo
    items = page.select("ul.editions > li")
    for item, e in zip(items, newest_first, strict=True):
        text = item.get_text(" ", strip=True)
        assert f"第 {e.version} 版" in text
        assert item.select_one(f'a[href="{e.id}/search.html"]')


def targets(page: BeautifulSoup) -> list[str]:
    """Every address the page names: links, stylesheets, scripts, images, the search form."""
    out = [a["href"] for a in page.select("a[href]")] + [link["href"] for link in page.select("link[href]")]
    out += [s["src"] for s in page.select("[src]")] + [f["action"] for f in page.select("form[action]")]
    return [t for t in out if not t.startswith("data:")]


def test_every_link_of_the_home_resolves(built):
    site, _ = built
    page = soup_of(os.path.join(site, "index.html"))
    ids = {el["id"] for el in page.select("[id]")}
    found = targets(page)
    assert len(found) > 20
    for target in found:
        parts = urlsplit(target)
        assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), target
        if not parts.path:
            assert parts.fragment in ids, target
            continue
        path = os.path.join(site, unquote(parts.path))
        assert os.path.isfile(path), target
        if parts.fragment and path.endswith(".html"):
            assert soup_of(path).find(id=parts.fragment), target


def test_home_uses_the_newest_editions_look(built):
    site, archive = built
    page = soup_of(os.path.join(site, "index.html"))
    nid = newest(archive).id
    sheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any(s.startswith(f"{nid}/assets/stylesheets/main.") for s in sheets)
    assert any(s.startswith(f"{nid}/assets/stylesheets/palette.") for s in sheets)
    assert page.select_one("header.md-header form.site-search")["action"] == f"{nid}/search.html"
    edition = soup_of(os.path.join(site, nid, "index.html"))
    options = [{k: v for k, v in i.attrs.items() if k.startswith("data-md-color")} for i in page.select("input.md-option")]
    assert options == [{k: v for k, v in i.attrs.items() if k.startswith("data-md-color")}
                       for i in edition.select("input.md-option")]


def test_phone_order_figures_and_links_before_the_charts(example_site):
    html = Path(example_site, "index.html").read_text(encoding="utf-8")
    assert html.index('class="home-figures"') < html.index('class="home-links"') < html.index("<figure")


# --- Hostile values ----------------------------------------------------------------------------

PAYLOAD = " ¦ ".join(PAYLOADS)


def test_hostile_values_stay_text_on_the_home(tmp_path, monkeypatch):
    """A title, a tier name and a correction note holding every payload, in an archive of two
    editions (so the charts are drawn): nothing on the home runs, each value reads back as typed,
    and the correction is listed with its edition's version and a link to it."""
    monkeypatch.chdir(tmp_path)
    project = HostileProject(tmp_path)
    title, tier = f"2020-2021 年度{PAYLOAD}报告", f"活跃度{PAYLOAD}较高"
    project.replace(EDITION_YAML, "title: 2020-2021 年度产业技术创新战略联盟活跃度评价报告", f"title: {json.dumps(title)}")
    project.replace(EDITION_YAML, "name: 活跃度较高", f"name: {json.dumps(tier)}")
    note = f"第 3 页的数字有误：{PAYLOAD}已更正。"
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "version: 2\ncorrections:\n"
                  f"  - {{date: 2022-03-01, text: {json.dumps(note)}}}\n")
    project.add_edition("2018-2019", 'evaluated:\n  - {code: "110", score: 90}\n  - {code: "104", score: 60}\n'
                        "incomplete: []\n",
                        EARLIER_EDITION.replace("entered: 5", "entered: 2").replace("2020-01-01", "2018-01-01")
                        .replace("2021-09-30", "2019-09-30"))
    result = project.build()
    no_traceback(result)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert [found for found in live_script(project.site) if found.startswith("index.html:")] == []
    page = soup_of(str(project.site / "index.html"))
    assert page.select_one("section.home-latest h2").get_text() == title
    assert f"家{tier}" in [el.get_text() for el in page.select(".home-figure__label")]
    spec = json.loads(page.select_one("figure#home-tiers")["data-spec"])
    assert tier in [s["name"] for s in spec["rows"][-1]["segments"]]
    assert tier in [el.get_text() for el in page.select("figure#home-tiers table th")]
    assert [li.get_text() for li in page.select("ul.home-corrections li")] == [f"2022-03-01 更正：{note}"]
    assert "第 2 版" in page.select_one("ul.editions > li").get_text()
    link = page.select_one('section.home-latest a[href$="#corrections"]')["href"]
    target = soup_of(str(project.site / link.split("#")[0]))
    assert target.find(id="corrections")
