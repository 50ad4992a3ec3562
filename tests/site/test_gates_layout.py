"""Quality gates on layout, in Chromium: readable on a 375 px phone (WeChat's size), at 200% zoom and at
200% text size (适老化), and printed.

How each size is made, as the browser itself makes it:
- phone: a 375x667 mobile viewport at device scale 2, with touch;
- 200% zoom: browser zoom divides the CSS viewport by the zoom and multiplies the device scale, so a
  1280x800 window at 200% is a 640x400 CSS viewport at device scale 2;
- 200% text: Chromium's own font-size setting (default 16 px, fixed 13 px) doubled through the
  DevTools protocol (Page.setFontSizes) on a 1280x800 window. Unlike setting the root element's
  font size, this also scales `em` media queries, as the real setting does, so Material switches to
  the layout it would choose for such a reader.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from test_gates import EDITION

MODES = {
    "phone 375": dict(viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True,
                      has_touch=True),
    "zoom 200%": dict(viewport={"width": 640, "height": 400}, device_scale_factor=2),
    "text 200%": dict(viewport={"width": 1280, "height": 800}),
}
DOUBLE_TEXT = {"fontSizes": {"standard": 32, "fixed": 26}}

LAYOUT_PAGES = [("default", p) for p in (
    "index.html", "404.html", f"{EDITION}/index.html", f"{EDITION}/preface.html", f"{EDITION}/overall.html",
    f"{EDITION}/tiers.html", f"{EDITION}/ranking.html", f"{EDITION}/search.html?q=" + quote("光热"),
    f"{EDITION}/appendix-1.html", f"{EDITION}/appendix-3.html", f"{EDITION}/errata.html",
    f"{EDITION}/alliances/110.html")] + [("demo", p) for p in (
    f"{EDITION}/alliances/110.html", f"{EDITION}/changes.html")]

# Problems a reader would meet, measured in the page: a page wider than the screen; text cut off by a
# box that does not scroll (or running off the screen); a data table that is neither its own
# scroller nor shown as cards (one card per row, below 600 px).
# Text cut short on purpose with an ellipsis (Material's header title, repeated as the page's h1)
# and text hidden for screen readers only (a 1 px clipped box) are not problems.
MEASURE = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const scroller = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth + 1) out.push(`the page scrolls sideways: ${se.scrollWidth} > ${se.clientWidth}`);
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    let box = null;
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') { box = p; break; }
    }
    if (box && (box.getBoundingClientRect().width <= 1 || getComputedStyle(box).textOverflow === 'ellipsis')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = Math.max(...[...range.getClientRects()].map(r => r.width ? r.right : -Infinity));
    if (right === -Infinity) continue;
    const text = node.textContent.trim().slice(0, 30);
    if (box && scroller(box)) {
      if (box.getBoundingClientRect().right > vw + 1) out.push(`${name(box)} runs off the screen (${text})`);
    } else if (right > (box ? box.getBoundingClientRect().right : vw) + 1) {
      out.push(`text cut off at ${box ? name(box) : 'the screen edge'}: ${text}`);
    }
  }
  for (const table of document.querySelectorAll('table.data')) {
    const row = table.tBodies.length && table.tBodies[0].rows[0];
    const cards = table.classList.contains('cards') && row && getComputedStyle(row).display === 'block';
    const own = cards || scroller(table) || (scroller(table.parentElement) && table.parentElement.children.length === 1);
    if (table.checkVisibility() && !own) {
      out.push(`${name(table)} is not in a box of its own that scrolls sideways`);
    }
  }
  return [...new Set(out)];
}"""


@pytest.fixture(scope="module", params=list(MODES))
def mode(browser, request):
    """(mode name, a page in a context of that size) for each of the three sizes."""
    ctx = browser.new_context(**MODES[request.param], bypass_csp=True)
    page = ctx.new_page()
    if request.param == "text 200%":
        ctx.new_cdp_session(page).send("Page.setFontSizes", DOUBLE_TEXT)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield request.param, page
    ctx.close()


def open_page(page, site_dir: str, rel: str) -> None:
    """Load the page and unfold its charts' data tables, so that they are measured too."""
    page.goto(Path(site_dir).as_uri() + "/" + rel)
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details.chart-data').forEach(d => { d.open = true; })")
    if "search.html?q=" in rel:
        page.locator("[data-search-results] a").first.wait_for()
    if page.locator("[data-history]").count():
        page.wait_for_selector("svg.history-chart", state="attached")  # drawn by archive.js


# --- Gate 6: 375 px, 200% zoom, 200% text ---------------------------------------------------------

@pytest.mark.parametrize("which, rel", LAYOUT_PAGES)
def test_readable_without_sideways_scrolling_or_cut_off_text(mode, built_site, demo_site, which, rel):
    name, page = mode
    open_page(page, built_site if which == "default" else demo_site, rel)
    if name == "text 200%" and rel.startswith(EDITION):
        # Material's root size is 125% of the reader's default: 20 px normally, 40 px here.
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "40px"
    problems = page.evaluate(MEASURE)
    assert problems == [], f"{name}, {rel}:\n" + "\n".join(problems)


def test_the_measure_sees_a_wide_table_and_cut_off_text(mode, tmp_path):
    _, page = mode
    (tmp_path / "p.html").write_text(
        '<meta name="viewport" content="width=device-width"><body style="margin:0">'
        '<table class="data"><tr><td style="white-space:nowrap">' + "宽" * 300 + '</td></tr></table>'
        '<div style="width:100px;overflow:hidden;white-space:nowrap">' + "字" * 40 + "</div>", encoding="utf-8")
    page.goto((tmp_path / "p.html").as_uri())
    problems = page.evaluate(MEASURE)
    assert any(p.startswith("the page scrolls sideways") for p in problems)
    assert "text cut off at div: 字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字" in problems
    assert "table.data is not in a box of its own that scrolls sideways" in problems


def inside_screen(page, selector: str) -> bool:
    """The element is shown, within the screen's width, and the topmost element at its centre."""
    return page.evaluate("""sel => { const el = document.querySelector(sel), r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return el.checkVisibility() && r.left >= 0 && r.right <= document.documentElement.clientWidth + 1
        && r.width > 0 && (top === el || el.contains(top)); }""", selector)


def test_header_search_is_usable(mode, built_site):
    name, page = mode
    open_page(page, built_site, f"{EDITION}/preface.html")
    assert inside_screen(page, "#site-search-q"), name
    page.click("#site-search-q")
    page.keyboard.type("光热")
    page.locator(".site-search__panel .search-result").first.wait_for()
    assert inside_screen(page, ".site-search__panel"), name
    assert inside_screen(page, ".site-search__panel .search-result a"), name
    assert page.evaluate(MEASURE) == []
    page.keyboard.press("Escape")


def test_edition_switcher_is_usable(mode, demo_site):
    name, page = mode
    open_page(page, demo_site, f"{EDITION}/preface.html")
    assert inside_screen(page, ".edition-switch summary"), name
    page.click(".edition-switch summary")
    page.wait_for_function("document.querySelectorAll('[data-edition-list] li').length === 4")
    for link in page.locator("[data-edition-list] a").all():
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1, name
    assert page.evaluate(MEASURE) == []
    assert page.console_errors == []


# --- Gate 7: print --------------------------------------------------------------------------------

SCREEN_ONLY = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-top",
               ".site-search", ".edition-switch"]


@pytest.fixture
def printed(browser, built_site):
    """A page of the 2020-2021 edition as printed (media emulated as print), desktop-sized."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = ctx.new_page()

    def open_printed(rel: str, before_print=None):
        page.goto(Path(built_site, EDITION, rel).as_uri())
        if before_print:
            before_print(page)
        page.emulate_media(media="print")
        return page
    yield open_printed
    ctx.close()


def shown(page, selector: str) -> list[bool]:
    return page.eval_on_selector_all(selector, "els => els.map(el => el.checkVisibility())")


def test_print_leaves_out_navigation_and_keeps_tables_whole(printed):
    page = printed("appendix-3.html")
    for selector in SCREEN_ONLY:
        assert page.locator(selector).count(), selector
        assert shown(page, selector) == [False] * page.locator(selector).count(), selector
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".edition-switch"):
        assert page.eval_on_selector(selector, "el => getComputedStyle(el).display") == "none", selector
    assert shown(page, "article h1") == [True] and shown(page, ".column-byline") == [True]
    assert set(shown(page, ".column-byline button, .column-breadcrumb, .column-aids")) == {False}, "no controls"
    style = page.eval_on_selector("table.data", """t => ({table: getComputedStyle(t).display,
      thead: getComputedStyle(t.tHead).display, row: getComputedStyle(t.rows[1]).breakInside})""")
    assert style == {"table": "table", "thead": "table-header-group", "row": "avoid"}


def test_print_shows_charts_as_their_static_figure_without_buttons(printed):
    def draw_first_chart(page):
        page.locator("figure.chart .chart-toggle").first.click()
        page.wait_for_selector("figure.chart .js-plotly-plot .main-svg")
    page = printed("overall.html", draw_first_chart)
    figures = page.locator("figure.chart").count()
    assert figures >= 2
    assert shown(page, "figure.chart .chart-static") == [True] * figures
    assert set(shown(page, "figure.chart .chart-interactive")) == {False}
    assert set(shown(page, "figure.chart button, figure.chart .chart-button")) == {False}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing: `make test` installs it")
def test_a_printed_section_has_the_text_and_nothing_of_the_navigation(printed, tmp_path):
    page = printed("preface.html")
    body = page.inner_text("article h1")
    nav = [t.strip() for t in page.eval_on_selector_all(".md-sidebar--primary .md-nav__link",
                                                        "els => els.map(e => e.textContent)") if t.strip()]
    article = page.inner_text("article")
    last = page.evaluate("[...document.querySelectorAll('article p')].pop().textContent")
    page.pdf(path=str(tmp_path / "preface.pdf"), format="A4")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "preface.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "".join(body.split()) in compact
    assert "".join(last.split())[:20] in compact, "the last paragraph is printed"
    leaked = [t for t in nav if t not in article and "".join(t.split()) in compact]
    assert len(nav) > 10 and leaked == []
    for screen_only in ("切换年度", "搜索本年度报告"):
        assert screen_only not in compact
