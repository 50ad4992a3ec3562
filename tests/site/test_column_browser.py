"""What a reader of the column sees, in Chromium: the 404 page at a deep address leads home; the
text is set in the Chinese font stack the charts use; every focusable control shows a 2 px focus
ring of 3:1; the reading aids are among the first five Tab stops and nothing is disabled; on a
375 px phone the data tables are cards with every field on screen, and no chart text is under
12 px or outside its drawing; Back finds Material's drawer closed."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from reportsite.render.charts.svg import FONTS

EDITION = "2020-2021"
PHONE = {"width": 375, "height": 740}
PAGE_KINDS = ["index.html", f"{EDITION}/overall.html", f"{EDITION}/ranking.html", f"{EDITION}/alliances/110.html",
              "accessibility.html"]
"""Five kinds of page: the archive home, a chapter with charts, the ranking, an alliance page, a
root page."""


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder, and the site's own `404.html` (status 404) at any missing address, as a
    web server configured with `error_page 404` does."""

    site = ""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        with open(os.path.join(self.site, "404.html"), "rb") as f:
            body = f.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def with_404(built_site, tmp_path_factory):
    """The default site at `/kjbgz/` of a loopback server that answers a missing address with the
    site's 404 page."""
    www = tmp_path_factory.mktemp("www404")
    shutil.copytree(built_site, www / "kjbgz")
    handler = type("Handler", (_NotFoundHandler,), {"site": str(www / "kjbgz")})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/kjbgz/"
    server.shutdown()


def test_the_404_page_at_a_deep_address_leads_home(page, with_404):
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    response = page.goto(with_404 + f"{EDITION}/alliances/999.html")
    assert response.status == 404 and "页面未找到" in page.title()
    links = page.eval_on_selector_all("main a, footer a", "els => els.map(a => a.href)")
    assert with_404 + "index.html" in links and with_404 + "latest/index.html" in links
    assert with_404 + "accessibility.html" in links
    assert all(link.startswith(with_404) for link in links if "127.0.0.1" in link), links
    assert page.get_attribute("link[rel=icon]", "href").startswith("data:image/svg+xml,")
    page.click("main a[href$='/index.html']")
    assert page.url == with_404 + "index.html" and "页面未找到" not in page.title()
    assert failed == [with_404 + f"{EDITION}/alliances/999.html"], "the page itself, nothing it loads"


def test_the_404_page_outside_the_site_leads_to_the_server_root(page, with_404):
    page.goto(with_404.replace("/kjbgz/", "/elsewhere/page.html"))
    assert page.eval_on_selector("main a", "a => new URL(a.href).pathname") == "/index.html"


def test_text_and_charts_share_the_chinese_font_stack(page, site_server):
    page.goto(site_server + f"{EDITION}/overall.html")
    family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).fontFamily")
    assert family.replace(" ", "").startswith(FONTS.replace(" ", "")), family
    chart = page.evaluate("getComputedStyle(document.querySelector('.chart-svg text')).fontFamily")
    assert chart == family


FOCUS_CHECK = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let node = el.parentElement, back = [255, 255, 255];
  for (; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) { back = c.slice(0, 3); break; }
  }
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [hi, lo] = [lum(ring), lum(back)].sort((a, b) => b - a);
  const box = el.getBoundingClientRect();
  return { what: el.outerHTML.slice(0, 120), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
           ratio: (hi + 0.05) / (lo + 0.05), visible: box.width > 0 && box.height > 0 };
}"""


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_every_focusable_control_shows_a_2px_focus_ring_of_3_to_1(page, site_server, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server + path)
    seen, bad = 0, []
    for _ in range(400):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_CHECK)
        if found is None:
            break
        seen += 1
        if found["visible"] and (found["style"] == "none" or found["width"] < 2 or found["ratio"] < 3):
            bad.append(found)
    assert seen > 5
    assert bad == [], "\n".join(f"{b['what']}: {b['style']} {b['width']}px {b['ratio']:.2f}:1" for b in bad[:10])


@pytest.mark.parametrize("path", PAGE_KINDS + [f"{EDITION}/errata.html", "404.html"])
def test_the_reading_aids_are_within_the_first_five_tab_stops(page, site_server, path):
    page.goto(site_server + path)
    for stop in range(1, 6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-ra-toggle]')"):
            break
    else:
        pytest.fail("the reading aids are not among the first five Tab stops")
    page.keyboard.press("Enter")
    assert page.get_attribute("[data-ra-toggle]", "aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#reading-aids-panel') !== null")
    assert page.locator("button:disabled").count() == 0, "no control leaves the Tab order"


def test_every_reading_aid_is_applied_remembered_and_announced(page, site_server):
    page.goto(site_server + f"{EDITION}/overall.html")
    page.click("[data-ra-toggle]")
    for selector, cls in (("[data-ra=size][data-ra-step='2']", "ra-text-2"),
                          ("[data-ra=spacing][data-ra-step='1']", "ra-spacing-1"),
                          ("[data-ra=contrast]", "ra-contrast"), ("[data-ra=cursor]", "ra-cursor")):
        page.click(f"#reading-aids-panel {selector}")
        assert cls in page.get_attribute("html", "class")
        assert page.get_attribute(f"#reading-aids-panel {selector}", "aria-pressed") == "true"
    assert "字号：特大；行距：加大；高对比度：开；大鼠标：开" == page.text_content("[data-ra-status]")
    page.goto(site_server + f"{EDITION}/ranking.html")
    assert {"ra-text-2", "ra-spacing-1", "ra-contrast", "ra-cursor"} <= set(page.get_attribute("html", "class").split())
    assert page.get_attribute(".column-byline [data-ra=size][data-ra-step='2']", "aria-pressed") == "true"


@pytest.mark.parametrize("path", [f"{EDITION}/overall.html", "404.html"])
def test_high_contrast_keeps_the_dark_scheme_dark(browser, site_server, path):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.add_init_script("localStorage.setItem('reportsite.reading-aids', JSON.stringify({contrast: true}))")
    page.goto(site_server + path)
    if path != "404.html":
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    link = "main a" if path == "404.html" else ".column-breadcrumb a"
    assert page.evaluate(f"getComputedStyle(document.querySelector('{link}')).color") == "rgb(255, 225, 77)"
    context.close()


CARD_PAGES = [(f"{EDITION}/ranking.html", "table.ranking"), (f"{EDITION}/errata.html", "table.errata")]


@pytest.mark.parametrize("path, table", CARD_PAGES)
def test_on_a_phone_tables_are_cards_with_every_field_on_screen(browser, site_server, path, table):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cells = page.evaluate(f"""[...document.querySelectorAll('{table} tbody tr:not([hidden]) td')].slice(0, 60)
        .filter(td => td.textContent.trim()).map(td => {{ const r = td.getBoundingClientRect();
          return [td.dataset.label || '', r.left, r.right, r.width]; }})""")
    assert cells and all(0 <= left and right <= PHONE["width"] and width > 0 for _, left, right, width in cells), cells[:5]
    labels = {label for label, *_ in cells}
    if "ranking" in table:
        assert {"名次", "评分", "档次"} <= labels
        assert page.evaluate("[...document.querySelectorAll('table.ranking tbody td[data-label=名次]')]"
                             ".slice(0, 3).map(td => getComputedStyle(td, '::before').content)") == ['"名次"'] * 3
        names = page.locator("table.ranking tbody td.card-title").first.bounding_box()
        assert names["width"] > 250, "the name has the card's width"
    context.close()


def test_the_ranking_uses_the_full_width_with_its_downloads_above(page, site_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server + f"{EDITION}/ranking.html")
    assert page.locator(".md-sidebar--secondary").is_hidden()
    assert page.evaluate("""document.querySelector('.ranking-downloads').compareDocumentPosition(
        document.querySelector('table.ranking')) & Node.DOCUMENT_POSITION_FOLLOWING""")


CHART_TEXT = """[...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
    const view = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / view.width;
    const texts = [...svg.querySelectorAll('text')].map(t => {
      const b = t.getBBox();
      return { text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, box: [b.x, b.y, b.width, b.height],
               heading: b.y + b.height <= 0,
               inside: b.x >= -0.5 && b.x + b.width <= view.width + 0.5 && b.y + b.height <= view.height + 0.5 };
    });
    // Two texts touch when their boxes overlap by more than the room a line box leaves above and
    // below the glyphs (a fifth of the font size).
    texts.forEach((a, i) => { a.touches = texts.slice(i + 1).filter(b => !a.heading && !b.heading
      && Math.min(a.box[0] + a.box[2], b.box[0] + b.box[2]) - Math.max(a.box[0], b.box[0]) > 0.5
      && Math.min(a.box[1] + a.box[3], b.box[1] + b.box[3]) - Math.max(a.box[1], b.box[1]) > a.box[3] / 5)
      .map(b => b.text); });
    return texts;
})"""


@pytest.mark.parametrize("which, path", [("default", f"{EDITION}/overall.html"), ("default", f"{EDITION}/index.html"),
                                         ("default", f"{EDITION}/tiers.html"), ("demo", "index.html"),
                                         ("demo", "2018-2019/index.html")])
def test_no_chart_text_is_under_12px_outside_its_drawing_or_touching_another_on_a_phone(browser, built_site, demo_site,
                                                                                        which, path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(Path(built_site if which == "default" else demo_site, path).as_uri())
    found = page.evaluate(CHART_TEXT)
    context.close()
    drawn = [t for t in found if not t["heading"]]
    assert drawn
    assert [t for t in drawn if t["px"] < 12] == []
    assert [t for t in drawn if not t["inside"]] == []
    assert [(t["text"], t["touches"]) for t in drawn if t["touches"]] == []


def test_back_finds_the_drawer_closed(page, site_server):
    page.set_viewport_size(PHONE)
    page.goto(site_server + f"{EDITION}/overall.html")
    page.click(".md-header label[for=__drawer]")
    assert page.evaluate("document.getElementById('__drawer').checked")
    page.click(".md-nav--primary a[href='ranking.html']")
    page.wait_for_url("**/ranking.html")
    page.go_back()
    page.wait_for_url("**/overall.html")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.parametrize("path", [f"{EDITION}/overall.html", f"{EDITION}/alliances/110.html", "index.html"])
def test_the_skip_link_says_where_it_leads_and_lands_there(page, site_server, path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳转到正文"
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    assert page.evaluate(f"document.querySelector('{target}').contains(document.querySelector('h1'))"
                         f" || document.querySelector('{target}') === document.querySelector('h1')")


@pytest.mark.parametrize("old, new", [("2", "s3-2"), ("_1", "s3")])
def test_an_anchor_cited_before_the_ascii_ones_still_lands_on_its_heading(page, site_server, old, new):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server + f"{EDITION}/overall.html#{old}")
    page.wait_for_timeout(200)
    heading = page.evaluate(f"""(() => {{ const h = document.getElementById('{old}').closest('h1, h2, h3, h4');
        const r = h.getBoundingClientRect(), header = document.querySelector('.md-header').getBoundingClientRect();
        return {{ id: h.id, top: r.top, below: r.top >= header.bottom - 1, seen: r.bottom <= innerHeight }}; }})()""")
    assert heading["id"] == new and heading["below"] and heading["seen"], heading


@pytest.mark.parametrize("aids", [None, '{"size": 2}'], ids=["plain", "largest-text"])
@pytest.mark.parametrize("which, path", [("default", f"{EDITION}/overall.html"), ("demo", f"{EDITION}/ranking.html"),
                                         ("demo", "index.html")])
def test_the_header_title_is_whole_on_a_phone(browser, built_site, demo_site, which, path, aids):
    context = browser.new_context(viewport=PHONE)
    if aids:
        context.add_init_script(f"localStorage.setItem('reportsite.reading-aids', '{aids}')")
    page = context.new_page()
    page.goto(Path(built_site if which == "default" else demo_site, path).as_uri())
    found = page.evaluate("""[...document.querySelectorAll('.md-header .column-title span')].map(s => {
        const style = getComputedStyle(s), box = s.getBoundingClientRect(), bar = s.closest('.md-header').getBoundingClientRect();
        return { text: s.textContent, cut: s.scrollWidth > s.clientWidth + 1 || style.textOverflow === 'ellipsis',
                 inside: box.left >= 0 && box.right <= innerWidth && box.top >= bar.top && box.bottom <= bar.bottom,
                 visible: s.checkVisibility() }; })""")
    context.close()
    assert [t["text"] for t in found][-1].endswith("产业技术创新战略联盟活跃度评价报告")
    assert len(found) == (2 if which == "demo" else 1), "the sponsor's name above the title when it is set"
    assert all(t["visible"] and t["inside"] and not t["cut"] for t in found), found


@pytest.mark.parametrize("path", [f"{EDITION}/overall.html", "index.html"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_header_keeps_its_size_when_materials_script_runs(browser, site_server, path, width):
    """Material's script shows the colour scheme's button after the first paint: the header is laid
    out the same before (its script held back) and after, so nothing under it shifts."""
    boxes = []
    for hold_back in (True, False):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        if hold_back:
            page.route("**/bundle.*.min.js", lambda route: route.abort())
        page.goto(site_server + path)
        boxes.append(page.evaluate("""['.md-header', '.site-search', '.md-header .column-aids', 'h1']
            .map(s => { const r = document.querySelector(s).getBoundingClientRect(); return [s, r.x, r.y, r.width, r.height]; })"""))
        context.close()
    assert boxes[0] == boxes[1]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_table_that_scrolls_sideways_shows_a_shadow_at_its_edge_and_takes_a_tab_stop(browser, site_server, scheme):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    context.add_init_script("localStorage.setItem('reportsite.reading-aids', '{\"size\": 2}')")
    page = context.new_page()
    page.goto(site_server + f"{EDITION}/overall.html")
    page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    found = page.evaluate("""(() => {
        const t = [...document.querySelectorAll('table.data')].find(t => t.checkVisibility() && t.scrollWidth > t.clientWidth + 1);
        if (!t) return null;
        const edge = getComputedStyle(t).backgroundImage.match(/radial-gradient\\([^,]*,\\s*(rgba?\\([^)]*\\))/)[1];
        const fits = [...document.querySelectorAll('table.data')].filter(t => t.checkVisibility() && t.scrollWidth <= t.clientWidth);
        return { label: t.caption && t.caption.textContent, edge: edge.match(/[\\d.]+/g).map(Number),
                 focusable: t.getAttribute('tabindex') === '0', others: fits.map(t => t.getAttribute('tabindex')),
                 page: getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number).slice(0, 3) };
    })()""")
    context.close()
    assert found, "at the largest text a chart's data table is wider than a phone"
    assert found["label"], "the scroll area is named by its caption"
    assert found["focusable"], "a keyboard reaches it to scroll it"
    assert set(found["others"]) <= {None}, "a table that fits takes no Tab stop"
    *rgb, alpha = found["edge"]
    seen = tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, found["page"]))
    hi, lo = sorted([_luminance(seen), _luminance(tuple(found["page"]))], reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 1.5, (scheme, found)


def test_at_the_larger_text_steps_the_charts_give_way_to_their_data_tables(browser, site_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_server + f"{EDITION}/overall.html")
    opened = "[...document.querySelectorAll('details.chart-data')].map(d => d.open)"
    assert set(page.evaluate(opened)) == {False}
    page.click("[data-ra-toggle]")
    page.click("#reading-aids-panel [data-ra=size][data-ra-step='1']")
    assert set(page.evaluate(opened)) == {True}
    page.goto(site_server + f"{EDITION}/tiers.html")
    assert set(page.evaluate(opened)) == {True}, "on every page while the step is chosen"
    context.close()
