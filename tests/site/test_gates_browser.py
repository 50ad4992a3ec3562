"""Quality gates in Chromium: no request leaves the machine and the console stays clean on every page
crawled (served under /kjbgz/ and from file://); navigation, charts, the ranking filter and search
work from file://; axe-core finds no WCAG 2.1 A/AA violation in the light and the dark scheme.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import axe_playwright_python
import pytest
from test_gates import EDITION, sample_pages, serve

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_RUN = """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
LOCAL_SCHEMES = ("data", "blob", "about")


@pytest.fixture(scope="module")
def served(built_site, demo_site, tmp_path_factory):
    """{"default": base URL, "demo": base URL}: both sites on loopback under /kjbgz/."""
    root = tmp_path_factory.mktemp("gates-www")
    with serve(built_site, root / "default") as default, serve(demo_site, root / "demo") as demo:
        yield {"default": default, "demo": demo}


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module's pages (each test opens and closes its own page)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    yield ctx
    ctx.close()


class Recorder:
    """A page that records, per address visited, the requests made, failed responses and console errors."""

    def __init__(self, page):
        self.requests, self.failed, self.errors = [], [], []
        page.on("request", lambda r: self.requests.append((page.url, r.url)))
        page.on("response", lambda r: r.status >= 400 and self.failed.append((page.url, f"{r.status} {r.url}")))
        # net::ERR_ABORTED is a request cut short by the next navigation (the icon, often), not a fault.
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                and self.failed.append((page.url, f"{r.failure} {r.url}")))
        page.on("console", lambda m: m.type == "error" and self.errors.append((page.url, m.text)))
        page.on("pageerror", lambda e: self.errors.append((page.url, str(e))))

    def outside(self, local: str) -> list[tuple[str, str]]:
        """Requests to anything but `local` (a URL prefix) and data:, blob:, about: addresses."""
        return [(at, url) for at, url in self.requests
                if not url.startswith(local) and urlsplit(url).scheme not in LOCAL_SCHEMES]


def engage(page) -> None:
    """What a reader does that loads more: click the first chart's toggle (plotly), open the edition switcher
    (editions.js), type in the search box (the indexes of every edition)."""
    if page.locator("figure.chart .chart-plot").count():
        page.locator("figure.chart .chart-toggle").first.click()
        page.wait_for_selector("figure.chart .js-plotly-plot")
    if page.locator(".edition-switch summary").count():
        page.click(".edition-switch summary")
        page.wait_for_function("document.querySelectorAll('[data-edition-list] li').length > 1")
    if page.locator("#site-search-q").count():
        page.fill("#site-search-q", "联盟")
        page.wait_for_selector(".site-search__panel .search-result")


# --- Gates 1 and 5: every request stays on the machine; no console error ----------------------------

@pytest.mark.parametrize("which", ["default", "demo"])
def test_crawl_served_under_a_sub_path(context, served, built_site, demo_site, which):
    site_dir = built_site if which == "default" else demo_site
    base = served[which]
    page = context.new_page()
    rec = Recorder(page)
    pages = sample_pages(site_dir)
    engaged = {f"{EDITION}/{name}" for name in ("index.html", "overall.html", "preface.html")}
    for rel in pages:
        page.goto(base + rel, wait_until="load")
        if rel in engaged:
            engage(page)
        assert page.url.startswith(base), f"{rel} went to {page.url}"
    page.close()
    host = base.split("/kjbgz/")[0] + "/"
    assert len(pages) > 25 and len(rec.requests) > 10 * len(pages)
    assert rec.outside(host) == []
    assert rec.failed == []
    assert rec.errors == []


def test_crawl_from_file(context, built_site):
    root = Path(built_site).as_uri() + "/"
    page = context.new_page()
    rec = Recorder(page)
    pages = ["index.html", "404.html", "latest/index.html", *(f"{EDITION}/{n}" for n in (
        "index.html", "preface.html", "overall.html", "tiers.html", "ranking.html", "search.html",
        "appendix-3.html", "errata.html", "alliances/110.html", "alliances/D106.html"))]
    for rel in pages:
        page.goto(root + quote(rel), wait_until="load")
        if rel.startswith(EDITION) and rel.endswith(("index.html", "overall.html")):
            engage(page)
    page.close()
    assert rec.outside("file://") == []
    assert rec.failed == []
    assert rec.errors == []


# --- Gate 2: navigation, charts, ranking and search from file:// ----------------------------------

@pytest.fixture
def from_disk(context, built_site):
    """A fresh page and the edition's file:// root; at the end, nothing left the disk and no error."""
    page = context.new_page()
    rec = Recorder(page)
    yield page, Path(built_site, EDITION).as_uri() + "/"
    page.close()
    assert rec.outside("file://") == [] and rec.failed == [] and rec.errors == []


def test_navigation_from_file(from_disk):
    page, root = from_disk
    page.goto(root + "index.html")
    page.click(".md-sidebar--primary a.md-nav__link[href='preface.html']")
    page.wait_for_url(root + "preface.html")
    assert page.locator("article h1").inner_text().startswith("一、前言")
    page.click(".md-footer__link--next")
    page.wait_for_url(root + "methodology.html")
    page.click(".column-breadcrumb a[href='../index.html']")
    page.wait_for_url(root.rsplit(EDITION, 1)[0] + "index.html")
    page.click(f"a[href='{EDITION}/ranking.html']")
    page.wait_for_url(root + "ranking.html")


def test_chart_from_file(from_disk):
    page, root = from_disk
    page.goto(root + "overall.html")
    figure = page.locator("figure.chart").first
    figure.locator(".chart-toggle").click()
    figure.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert figure.locator(".chart-static").is_hidden()


def test_ranking_filter_from_file(from_disk):
    page, root = from_disk
    page.goto(root + "ranking.html")
    page.wait_for_selector("table[data-ranking][data-ranking-ready]", state="attached")
    rows = "table[data-ranking] tbody tr:not([hidden])"
    everyone = page.locator(rows).count()
    page.select_option('[data-filter="tier"]', "high")
    page.wait_for_function(f"document.querySelectorAll('{rows}').length < {everyone}")
    high = page.locator(rows).count()
    assert 0 < high < everyone and f"{high}" in page.inner_text("[data-ranking-count]")
    page.fill('[data-filter="q"]', "光热")
    page.wait_for_function(f"document.querySelectorAll('{rows}').length === 1")
    assert "光热" in page.locator(rows).inner_text()


def test_header_search_from_file(from_disk):
    page, root = from_disk
    page.goto(root + "preface.html")
    page.click("#site-search-q")
    page.keyboard.type("光热")
    first = page.locator(".site-search__panel .search-result a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("alliances/125.html")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.locator("[data-search-results] a").first.wait_for()
    assert page.locator("[data-search-results] a").first.get_attribute("href").endswith("alliances/125.html")


# --- Gate 4: axe-core, WCAG 2.1 A and AA, light and dark ------------------------------------------
# Served over loopback, not file://: there axe.run() re-reads the page's stylesheets with XHR,
# which Chromium refuses from file://, and the console errors would be axe's, not the site's.

AXE_PAGES = {
    "archive home": ("default", "index.html", None),
    "section": ("default", f"{EDITION}/preface.html", None),
    "chart page": ("default", f"{EDITION}/overall.html", None),
    "chart page, chart drawn": ("default", f"{EDITION}/overall.html", "chart"),
    "ranking": ("default", f"{EDITION}/ranking.html", None),
    "ranking, filtered": ("default", f"{EDITION}/ranking.html", "filter"),
    "alliance": ("default", f"{EDITION}/alliances/110.html", None),
    "alliance with history": ("demo", f"{EDITION}/alliances/110.html", None),
    "search page with results": ("default", f"{EDITION}/search.html?q=" + quote("光热"), None),
    "header search open": ("default", f"{EDITION}/preface.html", "search"),
    "edition switcher open": ("demo", f"{EDITION}/index.html", "switcher"),
}


def prepare(page, action: str | None) -> None:
    """Bring the page into the state to check."""
    if action == "chart":
        page.locator("figure.chart .chart-toggle").first.click()
        page.wait_for_selector("figure.chart .js-plotly-plot .main-svg")
    elif action == "filter":
        page.wait_for_selector("table[data-ranking][data-ranking-ready]", state="attached")
        page.select_option('[data-filter="tier"]', "higher")
    elif action == "search":
        page.click("#site-search-q")
        page.keyboard.type("光热")
        page.locator(".site-search__panel .search-result").first.wait_for()
    elif action == "switcher":
        page.click(".edition-switch summary")
        page.wait_for_function("document.querySelectorAll('[data-edition-list] li').length > 1")
    if "search.html?q=" in page.url:
        page.locator("[data-search-results] a").first.wait_for()


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_context(browser, request):
    """A context whose system colour scheme is light or dark; Material's palette follows it."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=request.param,
                              bypass_csp=True)
    yield request.param, ctx
    ctx.close()


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_wcag_violation(scheme_context, served, name):
    scheme, ctx = scheme_context
    which, rel, action = AXE_PAGES[name]
    page = ctx.new_page()
    rec = Recorder(page)
    page.goto(served[which] + rel, wait_until="load")
    prepare(page, action)
    if rel != "index.html":
        assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    # Evaluated, not added as a script element, which the pages' Content-Security-Policy refuses.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(AXE_RUN)
    page.close()
    found = [f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(
        f"{n['target']}: {n['failureSummary'].splitlines()[-1].strip()}" for n in v["nodes"][:5])
        for v in result["violations"]]
    assert found == [], f"{scheme} {name}:\n" + "\n".join(found)
    assert len(result["passes"]) > 5
    assert rec.errors == []
