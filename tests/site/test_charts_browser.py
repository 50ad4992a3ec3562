"""Charts in headless Chromium: static on load, drawn by plotly only when the reader clicks 交互图表
(at the static figure's height), with the model's numbers in the drawn SVG and in the table, and
no request leaving the machine; a pointer passing over a chart or a finger scrolling on it loads
nothing."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT
from reportsite.read.check import check_archive
from reportsite.render.charts import count, figure, options
from reportsite.render.charts.svg import PALETTE

FIGURE = re.compile(r'<figure class="chart" id="([^"]+)" data-chart=')
DRAWN = """n => document.querySelectorAll('figure.chart .chart-interactive .main-svg').length > 0
  && [...document.querySelectorAll('figure.chart')].filter(
       f => f.querySelector('.chart-interactive .bars path')).length >= n"""


@pytest.fixture(scope="module")
def chart_pages(built_site) -> dict[str, list[str]]:
    """{page path under the site root: ids of its charts} for every built page with a chart."""
    pages = {}
    for path in sorted(Path(built_site).rglob("*.html")):
        ids = FIGURE.findall(path.read_text(encoding="utf-8"))
        if ids:
            pages[path.relative_to(built_site).as_posix()] = ids
    return pages


@pytest.fixture(scope="module")
def edition():
    archive, _ = check_archive(str(ROOT / "data"))
    return archive, archive.edition("2020-2021")


def page_with(chart_pages, chart_id: str) -> str:
    return next(path for path, ids in chart_pages.items() if chart_id in ids)


def engage(page, selector: str = "figure.chart") -> None:
    """Click each chart's 交互图表, as a reader asking for the interactive charts would."""
    for toggle in page.locator(f"{selector} .chart-toggle").all():
        toggle.scroll_into_view_if_needed()
        toggle.click()


def off_machine(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(("data:", "blob:", "file:"))
            and urlparse(u).hostname != "127.0.0.1"]


def test_the_report_figures_are_all_on_pages(chart_pages):
    ids = [i for page_ids in chart_pages.values() for i in page_ids]
    assert {f"fig-{n}" for n in range(1, 12)} <= set(ids)
    assert len(ids) == len(set(ids))


def test_chart_scripts_load_only_on_chart_pages(built_site, chart_pages):
    for path in Path(built_site).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        has_loader = "assets/js/charts.js" in html
        assert has_loader == (path.relative_to(built_site).as_posix() in chart_pages), path
        assert "plotly" not in re.sub(r'<script type="application/json".*?</script>', "", html, flags=re.S)


def test_every_chart_draws_on_its_toggle_without_leaving_the_machine(page, site_server, chart_pages):
    for path, ids in chart_pages.items():
        page.requests.clear()
        page.goto(site_server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.Plotly") == "undefined", "plotly must wait for the reader"
        assert not [u for u in page.requests if "plotly" in u]
        assert page.locator("figure.chart .chart-static svg").count() == len(ids)
        engage(page)
        page.wait_for_function(DRAWN, arg=len(ids), timeout=30000)
        assert page.locator("figure.chart .chart-static[hidden]").count() == len(ids)
        assert sum(1 for u in page.requests if u.endswith("/plotly-basic.min.js")) == 1, path
        assert sum(1 for u in page.requests if u.endswith("/plotly-locale-zh-cn.js")) == 1, path
        assert all(u.startswith(site_server) for u in page.requests if "assets/" in u)
        assert off_machine(page.requests) == [], path
    assert page.console_errors == []


def test_one_chart_reads_back_as_the_models_numbers(page, site_server, chart_pages, edition):
    spec = count.spec(edition[1], options.declare(edition[1], kind="bar", by="status", filter={"group": "1"},
                                                  share_of="in_scope"), "fig-2", 2)
    page.goto(site_server + page_with(chart_pages, "fig-2"))
    engage(page, "#fig-2")
    page.wait_for_function(DRAWN, arg=1, timeout=30000)
    drawn = page.locator("#fig-2 .chart-interactive")
    expected = [(str(r.segments[0].share), r.segments[0].count) for r in spec.rows]
    labels = [re.fullmatch(r"([\d.]+)%（(\d+) 家）", t) for t in drawn.locator("text.bartext").all_text_contents()]
    assert [(m.group(1), int(m.group(2))) for m in labels] == expected
    assert drawn.locator(".bars path").count() == len(spec.rows)
    assert drawn.evaluate("el => el.data[0].x") == [float(share) for share, _ in expected]
    assert drawn.evaluate("el => el.data[0].y") == [r.label for r in spec.rows]
    rows = page.locator("#fig-2 table.chart-table tbody tr")
    table = [(rows.nth(i).locator("th").text_content(),
              rows.nth(i).locator("td").nth(1).text_content(), int(rows.nth(i).locator("td").nth(0).text_content()))
             for i in range(rows.count())]
    assert table == [(r.label, share, n) for r, (share, n) in zip(spec.rows, expected)]
    assert [n for _, _, n in table] == [18, 9, 4, 3, 6, 12]  # as the first batch was published
    assert page.console_errors == []


def test_theme_switch_and_resize_redraw_the_chart(page, site_server, chart_pages):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(site_server + page_with(chart_pages, "fig-3"))
    engage(page, "#fig-3")
    page.wait_for_function(DRAWN, arg=1, timeout=30000)
    colour = "document.querySelector('#fig-3 .chart-interactive').data[0].marker.color[0]"
    assert page.evaluate(colour) == PALETTE["tier-0"][0]
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(f"{colour} === '{PALETTE['tier-0'][1]}'", timeout=5000)
    wide = page.locator("#fig-3 .main-svg").first.bounding_box()["width"]
    page.set_viewport_size({"width": 420, "height": 900})
    page.wait_for_function("w => document.querySelector('#fig-3 .main-svg').getBoundingClientRect().width < w",
                           arg=wide, timeout=5000)
    assert page.console_errors == []


def test_keyboard_reaches_the_toggle_and_downloads(page, site_server, chart_pages, tmp_path):
    page.goto(site_server + page_with(chart_pages, "fig-1"))
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#fig-1 .chart-toggle')"):
            break
    else:
        pytest.fail("Tab never reached the chart's toggle")
    page.keyboard.press("Enter")
    page.wait_for_function(DRAWN, arg=1, timeout=30000)
    assert page.locator("#fig-1 .chart-toggle").get_attribute("aria-pressed") == "true"
    for name, magic in (("png", b"\x89PNG"), ("svg", b"<svg"), ("csv", "\ufeff".encode())):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").endswith(name.upper())
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.name == f"2020-2021-fig-1.{name}"
        assert target.read_bytes().startswith(magic)
        if name == "svg":  # widened to show the caption and headline drawn above the chart
            assert re.search(r'viewBox="0 -\d+ ', target.read_text(encoding="utf-8"))
    assert off_machine(page.requests) == [] and page.console_errors == []


def test_a_chart_loads_from_file(page, built_site, chart_pages):
    path = page_with(chart_pages, "fig-8")
    page.goto((Path(built_site) / path).as_uri())
    page.locator("#fig-8 .chart-toggle").click()
    page.wait_for_function(DRAWN, arg=1, timeout=30000)
    assert any(u.startswith("file:") and u.endswith("/plotly-basic.min.js") for u in page.requests)
    assert [u for u in page.requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert page.console_errors == []


HOSTILE = '<img src=x onerror="window.hacked=1">&<b>'


def figure_page(built_site, tmp_path, spec) -> str:
    """The URI of a page holding only `spec`'s figure, with the built site's chart assets."""
    shutil.copytree(Path(built_site) / "2020-2021" / "assets", tmp_path / "assets")
    (tmp_path / "figure.html").write_text(
        '<html><head><link rel="stylesheet" href="assets/css/charts.css"></head><body><div class="md-typeset">'
        f'{figure.figure_html(spec)}</div><script src="assets/js/charts.js"></script></body></html>',
        encoding="utf-8")
    return (tmp_path / "figure.html").as_uri()


def test_a_donut_draws_as_a_plotly_pie_with_names_as_text(page, built_site, edition, tmp_path):
    """A page of the built site's assets with a donut whose slices are named from hostile data."""
    spec = count.spec(edition[1], options.declare(edition[1], kind="pie", by="tier"), "fig-1", 1)
    spec = dataclasses.replace(spec, rows=tuple(dataclasses.replace(r, label=HOSTILE + r.label) for r in spec.rows))
    page.goto(figure_page(built_site, tmp_path, spec))
    page.locator("#fig-1 .chart-toggle").click()
    page.wait_for_function("document.querySelectorAll('#fig-1 .chart-interactive .slice').length > 0", timeout=30000)
    drawn = page.locator("#fig-1 .chart-interactive")
    assert drawn.locator(".slice").count() == len(spec.rows)
    assert drawn.evaluate("el => el.data[0].values") == [r.segments[0].count for r in spec.rows]
    assert drawn.locator(".legendtext").all_text_contents() == [r.label for r in spec.rows]
    assert page.evaluate("window.hacked") is None and drawn.locator("img, b").count() == 0
    assert page.console_errors == []


def test_a_line_across_editions_draws_one_trace_per_tier(page, built_site, tmp_path):
    demo, _ = check_archive(str(ROOT / "examples" / "archive" / "data"))
    last = demo.editions[-1]
    spec = count.spec(last, options.declare(last, kind="line"), "fig-1", 1, demo)
    page.goto(figure_page(built_site, tmp_path, spec))
    page.locator("#fig-1 .chart-toggle").click()
    page.wait_for_function("document.querySelectorAll('#fig-1 .chart-interactive .scatterlayer .trace').length > 0",
                           timeout=30000)
    drawn = page.locator("#fig-1 .chart-interactive")
    assert drawn.locator(".scatterlayer .trace").count() == len(last.tiers)
    assert drawn.evaluate("el => el.data[0].x") == [e.id for e in demo.editions]
    assert drawn.evaluate("el => el.data[0].y") == [float(r.segments[0].share) for r in spec.rows]
    assert page.console_errors == []


def test_a_pointer_over_a_chart_a_touch_scroll_or_focus_loads_no_plotly(browser, site_server, chart_pages):
    context = browser.new_context(viewport={"width": 375, "height": 700}, has_touch=True, is_mobile=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_server + page_with(chart_pages, "fig-2"))
    plot = page.locator("#fig-2 .chart-plot")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.touchscreen.tap(x, y)
    cdp = context.new_cdp_session(page)
    for kind, dy in (("touchStart", 0), ("touchMove", -120), ("touchEnd", -120)):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y + dy}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    page.locator("#fig-2 .chart-toggle").focus()
    page.wait_for_timeout(500)
    assert not [u for u in requests if "plotly" in u]
    assert page.evaluate("typeof window.Plotly") == "undefined"
    context.close()


def test_the_interactive_figure_keeps_the_static_figures_height(page, site_server, chart_pages):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site_server + page_with(chart_pages, "fig-1"))
        before = page.locator("#fig-1 .chart-plot").bounding_box()["height"]
        engage(page, "#fig-1")
        page.wait_for_function(DRAWN, arg=1, timeout=30000)
        after = page.locator("#fig-1 .chart-plot").bounding_box()["height"]
        assert abs(after - before) <= 2, (width, before, after)
