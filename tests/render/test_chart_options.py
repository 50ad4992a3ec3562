"""Charts content declares: every option of `chart(...)`, every mistake as one located error with its
catalogue slug, and the numbering 图 1, 2, ... in the order the pages place the charts.

Content files are written into `tmp_path` and rendered by the page stage's `Renderer`, as the build
renders them, so an error's location is the content file and the line of the call."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from reportsite.model import figures as F
from reportsite.model.errors import ContentError
from reportsite.model.messages import catalogue
from reportsite.read.check import check_archive
from reportsite.render.charts import count, figure, options, svg
from reportsite.render.charts.spec import ChartSpec
from reportsite.render.pages import NARRATIVE, Renderer

HOSTILE = '<script>alert("x")</script>*_[a](javascript:x)&'


@pytest.fixture(scope="module")
def archive():
    archive, _ = check_archive(str(ROOT / "data"))
    return archive


@pytest.fixture(scope="module")
def edition(archive):
    return archive.edition("2020-2021")


def declared(edition, *names, **given) -> ChartSpec:
    return count.spec(edition, options.declare(edition, *names, **given), "fig-1", 1)


def counts(spec) -> list[list[int]]:
    return [[s.count for s in r.segments] for r in spec.rows]


class Content:
    """An edition's content folder in `tmp_path`, rendered page by page by one `Renderer`."""

    def __init__(self, tmp_path: Path, archive, edition):
        self.folder = tmp_path / "content" / edition.id
        self.folder.mkdir(parents=True)
        self.renderer = Renderer(archive, edition, str(self.folder))

    def render(self, name: str, text: str, section: str = NARRATIVE):
        (self.folder / name).write_text(text, encoding="utf-8")
        return self.renderer.render(name, str(self.folder / name), name.split("-", 1)[1], section)


@pytest.fixture
def content(tmp_path, archive, edition) -> Content:
    return Content(tmp_path, archive, edition)


# -- every option ---------------------------------------------------------------------------------

def test_bar_by_tier_counts_the_evaluated_of_each_tier(edition):
    spec = declared(edition, kind="bar", by="tier")
    assert [r.label for r in spec.rows] == [t.name for t in edition.tiers]
    assert counts(spec) == [[n] for n in F.tier_counts(edition).values()]
    assert all(r.base == len(edition.evaluated) for r in spec.rows) and spec.measure == "share"
    assert spec.headline == "参评的 86 家中活跃度高的最多，有 35 家，占 40.70%"


def test_bar_is_the_default_kind_and_tier_its_default_bars(edition):
    assert declared(edition) == declared(edition, kind="bar", by="tier", share_of="evaluated", show="share")


def test_by_status_counts_everyone_in_scope(edition):
    spec = declared(edition, by="status")
    status = F.group_status_counts(edition)
    assert [r.label for r in spec.rows][-2:] == [count.INCOMPLETE, count.NOT_REPORTED]
    assert counts(spec)[-2:] == [[sum(s[F.INCOMPLETE] for s in status.values())],
                                 [sum(s["not_reported"] for s in status.values())]]
    assert all(r.base == edition.in_scope for r in spec.rows)


def test_by_group_with_share_of_group_is_each_bar_over_its_own_group(edition):
    spec = declared(edition, by="group", filter={"tier": "high"}, share_of="group")
    assert [(r.label, r.base) for r in spec.rows] == [(g.name, g.size) for g in edition.groups]
    assert [s.count for r in spec.rows for s in r.segments] == [
        F.count(edition, tier="high", group=g.prefix) for g in edition.groups]
    assert str(spec.rows[0].segments[0].share) == "34.62"  # 18 of the first batch's 52, as printed


def test_stacked_per_group_splits_each_group_by_tier(edition):
    spec = declared(edition, kind="stacked", by="tier", per="group", share_of="in_scope")
    tiers = F.group_tier_counts(edition)
    assert counts(spec) == [[tiers[g.prefix][t.key] for t in edition.tiers] for g in edition.groups]
    assert [r.base for r in spec.rows] == [g.size for g in edition.groups]
    assert spec.rows[0].label == "第一批试点联盟（52 家）" and spec.legend[0] == ("活跃度高", "tier-0")


def test_stacked_by_status_per_group_adds_incomplete_and_not_reported(edition):
    spec = declared(edition, kind="stacked", by="status", per="group", share_of="in_scope")
    assert all(sum(s.count for s in r.segments) == r.base for r in spec.rows)
    assert [n for n, _ in spec.legend][-2:] == [count.INCOMPLETE, count.NOT_REPORTED]


def test_stacked_with_several_bases_draws_one_bar_each(edition):
    spec = declared(edition, kind="stacked", by="tier", share_of=["evaluated", "in_scope", "entered"])
    assert [r.label for r in spec.rows] == ["参评联盟（86 家）", "联盟总数（157 家）", "录入信息的联盟（107 家）"]
    assert counts(spec) == [list(F.tier_counts(edition).values())] * 3


def test_pie_is_a_donut_whose_whole_is_its_slices(edition):
    spec = declared(edition, kind="pie", by="status")
    assert sum(r.segments[0].count for r in spec.rows) == edition.in_scope
    assert all(r.base == edition.in_scope for r in spec.rows) and spec.shape == "donut"
    assert spec.headline == "图中 157 家联盟中未填报的最多，有 51 家，占 32.48%"
    html = BeautifulSoup(str(figure.figure_html(spec)), "html.parser")
    assert len(html.find("svg").find_all("path", class_="seg")) == len(spec.rows)
    assert [t.get_text() for t in html.find("svg").find_all("text") if "157 家" == t.get_text()]
    assert json.loads(html.find("figure")["data-spec"])["shape"] == "donut"
    assert "环形图" in spec.description


def test_pie_by_group_tells_the_groups_apart_by_colour(edition):
    spec = declared(edition, kind="pie", by="group", filter={"tier": "high"})
    assert [r.segments[0].key for r in spec.rows] == [f"series-{i}" for i in range(len(edition.groups))]
    assert spec.caption == "活跃度高的联盟按批次的构成"
    whole = declared(edition, kind="pie", filter={"tier": "high"})
    assert [(r.label, str(r.segments[0].share)) for r in whole.rows] == [("活跃度高", "100.00")]
    assert len(BeautifulSoup(str(figure.figure_html(whole)), "html.parser").find_all("path")) == 1


@pytest.fixture(scope="module")
def demo():
    archive, _ = check_archive(str(ROOT / "examples" / "archive" / "data"))
    return archive


def test_line_draws_the_editions_up_to_this_one(demo):
    middle = demo.editions[1]
    spec = count.spec(middle, options.declare(middle, kind="line"), "fig-1", 1, demo)
    assert [r.label for r in spec.rows] == [e.id for e in demo.editions[:2]]  # never a later edition
    for row, e in zip(spec.rows, demo.editions):
        assert row.base == len(e.evaluated)
        assert [s.count for s in row.segments] == list(F.tier_counts(e).values())
        assert [s.name for s in row.segments] == [t.name for t in middle.tiers]  # by rank, this edition's names
    assert spec.shape == "line" and spec.legend == tuple((t.name, f"tier-{t.rank}") for t in middle.tiers)
    html = BeautifulSoup(str(figure.figure_html(spec)), "html.parser")
    assert len(html.find_all("polyline")) == len(spec.legend)
    assert len(html.find_all("circle")) == sum(len(r.segments) for r in spec.rows)
    assert json.loads(html.find("figure")["data-spec"])["shape"] == "line" and "折线图" in spec.description


def test_line_with_a_tier_filter_keeps_the_rank_and_the_whole(demo):
    last = demo.editions[-1]
    spec = count.spec(last, options.declare(last, kind="line", filter={"tier": "high", "group": "1"}), "x", None, demo)
    assert [[s.name for s in r.segments] for r in spec.rows] == [["活跃度高"]] * len(demo.editions)
    assert [r.base for r in spec.rows] == [F.count(e, group="1") for e in demo.editions]
    assert [r.segments[0].count for r in spec.rows] == [F.count(e, group="1", tier=e.tiers[0].key)
                                                        for e in demo.editions]


def drawn_text(spec) -> list[tuple[float, float, float, str]]:
    """Every text of the chart's drawing (not the heading above its view box) as (left, right,
    baseline, text) in view-box units, its width estimated as the drawing estimates it."""
    out = []
    for t in BeautifulSoup(str(figure.figure_html(spec)), "html.parser").find("svg").find_all("text"):
        x, y, size, text = float(t["x"]), float(t["y"]), float(t["font-size"]), t.get_text()
        width = svg.text_width(text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[t["text-anchor"]]
        if y > 0:
            out.append((left, left + width, y, text))
    return out


@pytest.mark.parametrize("editions", [3, 8, 20])
def test_a_lines_labels_stay_inside_and_apart(demo, editions):
    last = demo.editions[-1]
    spec = count.spec(last, options.declare(last, kind="line"), "fig-1", 1, demo)
    years = [f"{y}-{y + 1}" for y in range(2030 - 2 * editions, 2030, 2)]
    rows = tuple(dataclasses.replace(spec.rows[i % len(spec.rows)], label=label) for i, label in enumerate(years))
    spec = dataclasses.replace(spec, rows=rows)
    texts = drawn_text(spec)
    assert all(0 <= left and right <= svg.WIDTH for left, right, _, _ in texts), texts
    axis = sorted(t for t in texts if t[3] in years)
    assert axis[-1][3] == years[-1], "the newest edition is always labelled"
    assert len(axis) > 1
    assert all(a[1] + 4 <= b[0] for a, b in zip(axis, axis[1:])), axis
    ends = sorted((y, text) for _, _, y, text in texts if "%" in text and text[0] not in "0123456789")
    assert len(ends) == len(spec.legend)
    assert all(b[0] - a[0] >= svg.SMALL + 3 for a, b in zip(ends, ends[1:])), ends


def test_line_of_one_edition_is_one_point_each(edition, archive):
    spec = count.spec(edition, options.declare(edition, kind="line", by="status", share_of="in_scope"), "x", None,
                       archive)
    assert [r.label for r in spec.rows] == ["2020-2021"] and spec.rows[0].base == edition.in_scope
    assert spec.headline == "2020-2021 活跃度高的联盟占联盟总数的 22.29%（35 家）"


def test_bars_carry_no_shape_in_their_json(edition):
    html = BeautifulSoup(str(figure.figure_html(declared(edition))), "html.parser")
    assert "shape" not in json.loads(html.find("figure")["data-spec"])


def test_histogram_band_width(edition):
    five, ten = declared(edition, kind="histogram"), declared(edition, kind="histogram", band=10)
    assert sum(r.segments[0].count for r in ten.rows) == len(edition.evaluated)
    assert len(ten.rows) < len(five.rows) and "每段 10 分" in ten.subtitle
    bands = [tuple(int(n) for n in r.label.removesuffix(" 分").split("–")) for r in ten.rows if "–" in r.label]
    assert all(high - low < 10 or high == 100 for low, high in bands)  # 100 joins the top band


def test_funnel_is_in_scope_entered_evaluated(edition):
    spec = declared(edition, kind="funnel")
    assert counts(spec) == [[157], [107], [86]] and spec.measure == "count"


@pytest.mark.parametrize(("flt", "expected"), [
    ({"tier": "high"}, 35),
    ({"tier": ["high", "higher"]}, 57),
    ({"group": "1"}, 34),
    ({"group": 1}, 34),
    ({"group": ["2", "3"]}, 45),
    ({"pilot": True}, 79),
    ({"pilot": False}, 7),
    ({"tier": "inactive", "pilot": True}, 9),
])
def test_filter_keeps_what_it_names(edition, flt, expected):
    spec = declared(edition, by="group", filter=flt)
    assert sum(r.segments[0].count for r in spec.rows) == expected
    assert all(r.base == expected for r in spec.rows)


def test_filter_status_counts_those_alliances(edition):
    spec = declared(edition, by="group", filter={"status": "incomplete"}, share_of="group")
    status = F.group_status_counts(edition)
    assert counts(spec) == [[status[g.prefix][F.INCOMPLETE]] for g in edition.groups]
    assert spec.rows[0].segments[0].key == "incomplete"
    only = declared(edition, by="status", filter={"status": ["incomplete", "not_reported"]})
    assert [r.label for r in only.rows] == [count.INCOMPLETE, count.NOT_REPORTED]


def test_share_of_changes_the_base_and_its_words(edition):
    spec = declared(edition, by="tier", filter={"group": "1"}, share_of="in_scope")
    assert all(r.base == 52 for r in spec.rows)
    assert spec.share_header == "占该批联盟总数（52 家）的比例（%）"
    entered = declared(edition, by="tier", share_of="entered")
    assert all(r.base == edition.entered for r in entered.rows)


def test_show_count_draws_counts(edition):
    assert declared(edition, show="count").measure == "count"
    assert declared(edition, kind="histogram", show="share").measure == "share"


def test_title_caption_and_note_replace_the_written_words(edition):
    spec = declared(edition, title="标题", caption="一句话", note="说明")
    assert (spec.title, spec.headline, spec.subtitle) == ("图 1　标题", "一句话", "说明")


def test_a_named_chart_takes_other_options(edition):
    spec = count.spec(edition, options.declare(edition, "score-distribution", filter={"group": "1"}), "x")
    assert sum(r.segments[0].count for r in spec.rows) == F.count(edition, group="1") == 34
    assert spec.caption == "第一批试点联盟参评联盟的得分分布"


def test_data_in_titles_and_names_stays_text(edition):
    html = str(figure.figure_html(declared(edition, title=HOSTILE, caption=HOSTILE, note=HOSTILE)))
    assert "<script>" not in html and "](javascript" not in html
    parsed = BeautifulSoup(html, "html.parser")
    assert parsed.find(class_="chart-headline").get_text() == HOSTILE.replace("\\", "")


# -- numbering -------------------------------------------------------------------------------------

def figures_of(page) -> list[tuple[str, str]]:
    """(id, number label) of each chart on a rendered page."""
    parsed = BeautifulSoup(page.markdown, "html.parser")
    return [(f["id"], (f.find(class_="chart-number") or parsed.new_string("")).get_text())
            for f in parsed.find_all("figure")]


def test_charts_are_numbered_in_order_of_appearance_across_pages(content):
    first = content.render("01-a.md", '{{ chart(by="group") }}\n\n{{ chart("funnel", numbered=false) }}\n\n'
                                      '{{ chart(kind="histogram") }}\n')
    second = content.render("02-b.md", '{{ chart(kind="funnel") }}\n')
    overview = content.render("00-index.md", '{{ chart("funnel") }}\n\n{{ chart(by="status") }}\n\n'
                                             '{{ chart("funnel") }}\n\n{{ chart(numbered=true) }}\n', section="")
    assert figures_of(first) == [("fig-1", "图 1"), ("funnel", ""), ("fig-2", "图 2")]
    assert figures_of(second) == [("fig-3", "图 3")]
    assert figures_of(overview) == [("funnel-2", ""), ("chart-1", ""), ("funnel-3", ""), ("fig-4", "图 4")]
    assert first.charts == ("fig-1", "funnel", "fig-2")
    assert "2020-2021-fig-3.csv" in second.markdown


def test_the_default_sites_figures_follow_the_content_order(archive, edition):
    from reportsite.render.pages import edition_pages
    pages = edition_pages(archive, edition, str(ROOT / "content" / edition.id))
    placed = [(p.name, c) for p in pages.pages for c in p.charts]
    assert placed == [("index.md", "funnel"), ("index.md", "batch-tier"), ("index.md", "score-distribution"),
                      *(("overall.md", f"fig-{n}") for n in range(1, 8)),
                      *(("tiers.md", f"fig-{n}") for n in range(8, 12))]


# -- every mistake ---------------------------------------------------------------------------------

MISTAKES = [
    ('colour="red"', "chart-option", ["colour", "kind, by, per, filter"]),
    ('filter={"batch": "1"}', "chart-option", ["filter.batch", "tier, group, pilot, status"]),
    ('kind="pie3d"', "chart-value", ["kind", "pie3d", "bar, stacked, pie, line, histogram, funnel"]),
    ('kind="line", by="group"', "chart-value", ["by", "group", "tier, status"]),
    ('kind="line", per="group"', "chart-not-here", ["per", "kind=line"]),
    ('kind="pie", by="score"', "chart-value", ["by", "score", "tier, status, group"]),
    ('kind="pie", share_of="evaluated"', "chart-not-here", ["share_of", "kind=pie"]),
    ('kind="bar", by="score"', "chart-value", ["by", "score", "tier, status, group"]),
    ('kind="stacked", by="group"', "chart-value", ["by", "group", "tier, status"]),
    ('filter={"tier": "top"}', "chart-value", ["filter.tier", "top", "high, higher, medium, inactive"]),
    ('filter={"group": "9"}', "chart-value", ["filter.group", "9", "1, 2, 3, D"]),
    ('filter={"pilot": "yes"}', "chart-value", ["filter.pilot", "yes", "true, false"]),
    ('filter={"status": "late"}', "chart-value", ["filter.status", "late", "evaluated, incomplete, not_reported"]),
    ('filter="1"', "chart-value", ["filter", '{"tier": ...}']),
    ('share_of="members"', "chart-value", ["share_of", "members", "evaluated, in_scope, entered, group"]),
    ('show="percent"', "chart-value", ["show", "percent", "share, count"]),
    ('kind="histogram", band=0', "chart-value", ["band", "0", "1 … 50"]),
    ('kind="histogram", band="5"', "chart-value", ["band", "5"]),
    ('title=""', "chart-value", ["title"]),
    ('caption=3', "chart-value", ["caption", "3"]),
    ('numbered="no"', "chart-value", ["numbered", "no", "true, false"]),
    ('"fig-12"', "chart-value", ["name", "fig-12", "funnel, batch-tier, score-distribution"]),
    ('"funnel", "batch-tier"', "chart-value", ["name"]),
    ('per="group"', "chart-not-here", ["per", "kind=bar"]),
    ('kind="stacked", per="batch"', "chart-value", ["per", "batch", "group"]),
    ('share_of=["evaluated", "in_scope"]', "chart-conflict", ["share_of", "kind=bar"]),
    ('by="tier", share_of="group"', "chart-conflict", ["share_of", "group", "evaluated, in_scope, entered"]),
    ('kind="funnel", share_of="evaluated"', "chart-conflict", ["share_of", "evaluated", "in_scope"]),
    ('filter={"group": "1"}, share_of="entered"', "chart-conflict", ["share_of", "entered", "filter.group"]),
    ('kind="funnel", filter={"group": "1"}', "chart-not-here", ["filter", "kind=funnel"]),
    ('band=10', "chart-not-here", ["band", "kind=bar"]),
    ('filter={"tier": "high", "status": "incomplete"}', "chart-conflict", ["filter.status", "filter.tier"]),
    ('filter={"group": "1", "pilot": false}', "chart-empty", []),
]


@pytest.mark.parametrize(("call", "slug", "words"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_one_located_error_naming_the_option(content, call, slug, words):
    text = "# 标题\n\n正文。\n\n{{ chart(%s) }}\n" % call
    with pytest.raises(ContentError) as caught:
        content.render("03-x.md", text)
    error = caught.value
    assert error.slug == slug
    assert error.location == f"{os.path.relpath(content.folder / '03-x.md')}:5"
    for lang in ("zh", "en"):
        line = error.render(lang)
        assert line.startswith(f"{error.location}: error [{slug}] ")
        for word in words:
            assert word in line, (lang, line)


def test_a_mistake_takes_no_number(content):
    with pytest.raises(ContentError):
        content.render("01-a.md", '{{ chart(kind="nope") }}\n')
    assert figures_of(content.render("02-b.md", "{{ chart() }}\n")) == [("fig-1", "图 1")]


def test_docs_describe_every_option_value_name_and_mistake():
    from reportsite.render.charts import options as O

    docs = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Charts\n"):docs.index("## Errata\n")]
    words = [*O.OPTIONS, *O.KINDS, *O.FILTER_KEYS, *O.BASES, *O.STATUSES, *O.SHOW, *options.CHART_NAMES,
             *(b for kinds in O.BY.values() for b in kinds)]
    assert [w for w in words if f"`{w}`" not in section and f'"{w}"' not in section] == []
    slugs = [s for s in catalogue() if s.startswith("chart-")]
    assert len(slugs) == 5 and [s for s in slugs if f"`{s}`" not in section] == []
