"""The archive home in Chromium (issue 17), for the default site and the three-edition example
archive: axe-core finds no WCAG 2.1 A/AA violation (light and dark, desktop and 375 px, charts
drawn, search open); served under a sub-path nothing fails and nothing leaves the machine; from
file:// the colour toggle, the search of the newest edition and the interactive chart work; at
375 px the headline figures and links come before the chart and the page does not scroll sideways.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_gates import serve
from test_gates_browser import AXE_JS, AXE_RUN, Recorder

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def sites(built_site, example_site) -> dict[str, str]:
    return {"default": built_site, "example": example_site}


@pytest.fixture(scope="module")
def served(sites, tmp_path_factory):
    """Both sites on loopback under /kjbgz/."""
    root = tmp_path_factory.mktemp("home-www")
    with serve(sites["default"], root / "default") as default, serve(sites["example"], root / "example") as example:
        yield {"default": default, "example": example}


def open_home(browser, url: str, viewport: dict, scheme: str = "light", axe: bool = False):
    """A new context and page at `url`. With `axe`, the page's Content-Security-Policy is bypassed
    so that axe can be injected; every other check runs under the policy the page declares."""
    ctx = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=axe)
    page = ctx.new_page()
    rec = Recorder(page)
    page.goto(url, wait_until="load")
    return ctx, page, rec


@pytest.mark.parametrize("which", ["default", "example"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "375"])
@pytest.mark.parametrize("state", ["plain", "engaged"])
def test_axe_finds_nothing_on_the_home(browser, served, which, scheme, viewport, state):
    ctx, page, rec = open_home(browser, served[which] + "index.html", viewport, scheme, axe=True)
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    if state == "engaged":
        if page.locator("figure.chart").count():
            page.locator("figure.chart .chart-toggle").first.click()
            page.wait_for_selector("figure.chart .js-plotly-plot .main-svg")
        page.click("#site-search-q")
        page.keyboard.type("联盟")
        page.locator(".site-search__panel .search-result").first.wait_for()
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(AXE_RUN)
    ctx.close()
    found = [f"{v['id']} ({v['impact']}): {v['help']} " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
             for v in result["violations"]]
    assert found == [], "\n".join(found)
    assert len(result["passes"]) > 5
    assert rec.errors == []


@pytest.mark.parametrize("which", ["default", "example"])
def test_served_under_a_sub_path_everything_loads_locally(browser, served, which):
    base = served[which]
    ctx, page, rec = open_home(browser, base + "index.html", DESKTOP)
    if page.locator("figure.chart").count():
        page.locator("figure.chart .chart-toggle").first.click()
        page.wait_for_selector("figure.chart .js-plotly-plot")
    page.fill("#site-search-q", "联盟")
    page.wait_for_selector(".site-search__panel .search-result")
    ctx.close()
    assert rec.failed == [] and rec.errors == []
    assert [url for _, url in rec.requests if not url.startswith(base) and urlsplit(url).scheme != "data"] == []


def file_url(site: str) -> str:
    return Path(site, "index.html").as_uri()


@pytest.mark.parametrize("which", ["default", "example"])
def test_from_file_the_toggle_and_the_search_work(browser, sites, which):
    ctx, page, rec = open_home(browser, file_url(sites[which]), DESKTOP)
    page.click("label[for=__palette_1]")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.click("#site-search-q")
    page.keyboard.type("联盟")
    first = page.locator(".site-search__panel .search-result a").first
    first.wait_for()
    newest = max(p.name for p in Path(sites[which]).iterdir() if p.is_dir() and p.name[:4].isdigit())
    assert f"/{newest}/" in first.get_attribute("href")
    ctx.close()
    assert rec.errors == []


def test_from_file_the_chart_turns_interactive_with_a_line_per_rank(browser, sites):
    ctx, page, rec = open_home(browser, file_url(sites["example"]), DESKTOP)
    page.locator("figure#home-tiers .chart-toggle").click()
    page.wait_for_selector("figure#home-tiers .js-plotly-plot .scatterlayer .trace")
    traces = page.locator("figure#home-tiers .js-plotly-plot .scatterlayer .trace").count()
    legend = page.evaluate("[...document.querySelectorAll('#home-tiers .legend .legendtext')].map(t => t.textContent)")
    ctx.close()
    assert traces == 4 and legend == ["活跃度高", "活跃度较高", "活跃度一般", "不活跃"]
    assert rec.errors == []


@pytest.mark.parametrize("which", ["default", "example"])
def test_at_375_px_figures_and_links_come_first(browser, sites, which):
    ctx, page, _ = open_home(browser, file_url(sites[which]), PHONE)
    top = {sel: page.locator(sel).first.bounding_box()["y"]
           for sel in (".home-figures", ".home-links", "#trends") if page.locator(sel).count()}
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    ctx.close()
    assert top[".home-figures"] < top[".home-links"] < top.get("#trends", float("inf"))
    assert ("#trends" in top) == (which != "default"), "one edition has nothing to compare"
    assert wide <= PHONE["width"]
