"""In Chromium: the Content-Security-Policy blocks nothing the pages need (charts drawn by plotly,
search, the ranking table, the edition switcher), from file:// and served; the reading aids change
the text size and contrast, are announced, work by keyboard, persist across pages from file://,
keep pages usable at the largest step on a phone and at 200% zoom, and leave axe clean in every
mode; the reference and chart-link copy buttons work from file://.

Waits poll from Python (`until`): Playwright's `wait_for_function` compiles its predicate with
`new Function` inside the page, which the policy rightly refuses.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_gates_browser import AXE_JS, AXE_RUN
from test_gates_layout import MEASURE, MODES

EDITION = "2020-2021"
WATCH = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''))); }"""
"""Installed before any page script runs, so every violation of the page's life is recorded."""
PAGES = [f"{EDITION}/index.html", f"{EDITION}/overall.html", f"{EDITION}/ranking.html",
         f"{EDITION}/search.html?q=半导体", f"{EDITION}/alliances/110.html", "index.html",
         "accessibility.html", "404.html", "latest/index.html"]


def until(page, expression: str, timeout: float = 10) -> None:
    """Wait until `expression` is true in the page, polling from Python."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if page.evaluate(f"() => !!({expression})"):
            return
        time.sleep(0.1)
    raise AssertionError(f"still false after {timeout}s: {expression}")


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(script=f"({WATCH})()")
    yield ctx
    ctx.close()


def file_url(site: str, rel: str) -> str:
    return Path(site, rel).as_uri().replace("%3F", "?") if "?" not in rel else \
        Path(site, rel.split("?")[0]).as_uri() + "?" + rel.split("?", 1)[1]


def engage(page) -> list[str]:
    """Use what loads more or draws: a chart (plotly), the edition switcher, the search box, the
    ranking table's filter; what worked."""
    done = []
    if page.locator("figure.chart .chart-toggle").count():
        page.locator("figure.chart .chart-toggle").first.click()
        until(page, "document.querySelector('figure.chart .js-plotly-plot')")
        done.append("plotly")
    if page.locator(".edition-switch summary").count():
        page.click(".edition-switch summary")
        until(page, "document.querySelectorAll('[data-edition-list] li').length > 1")
        done.append("switcher")
    if page.locator("#site-search-q").count():
        page.fill("#site-search-q", "半导体")
        until(page, "document.querySelector('.site-search__panel .search-result')")
        done.append("search")
    if page.locator("[data-ranking-tools]").count():
        rows = page.evaluate("() => document.querySelectorAll('table tbody tr').length")
        page.locator("[data-ranking-tools] input[type=search], [data-ranking-tools] input").first.fill("半导体")
        until(page, f"[...document.querySelectorAll('table tbody tr')].filter(r => !r.hidden && "
                    f"r.offsetParent !== null).length < {rows}")
        done.append("ranking")
    return done


@pytest.mark.parametrize("where", ["file", "served"])
def test_the_policy_blocks_nothing_the_pages_use(context, built_site, site_server, where):
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    used = set()
    for rel in PAGES:
        url = file_url(built_site, rel) if where == "file" else site_server + rel
        page.goto(url, wait_until="load")
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
        used.update(engage(page))
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__violations") == [], rel
    assert used == {"plotly", "switcher", "search", "ranking"}
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
    page.close()


# --- Reading aids ---------------------------------------------------------------------------------

def root_state(page) -> dict:
    return page.evaluate("""() => ({size: parseFloat(getComputedStyle(document.documentElement).fontSize),
        cls: document.documentElement.className, status: (document.querySelector('[data-ra-status]') || {}).textContent,
        bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color})""")


def aid(page, name: str, step: int | None = None) -> None:
    """Press a reading aid in the header's panel (opened first when closed)."""
    if page.get_attribute("[data-ra-toggle]", "aria-expanded") != "true":
        page.click("[data-ra-toggle]")
    selector = f"#reading-aids-panel [data-ra={name}]" + (f"[data-ra-step='{step}']" if step is not None else "")
    page.click(selector)


def test_reading_aids_change_size_and_contrast_and_persist_from_file(context, built_site):
    page = context.new_page()
    page.goto(file_url(built_site, f"{EDITION}/overall.html"))
    toggle = page.locator("[data-ra-toggle]")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    sizes = [root_state(page)["size"]]
    for step in (1, 2):
        aid(page, "size", step)
        sizes.append(root_state(page)["size"])
    assert sizes[0] < sizes[1] < sizes[2], sizes
    assert page.get_attribute("#reading-aids-panel [data-ra=size][data-ra-step='2']", "aria-pressed") == "true"
    assert not page.locator("#reading-aids-panel button:disabled").count(), "pressed, never disabled"
    assert "特大" in root_state(page)["status"], "announced in the live region"
    assert page.get_attribute("[data-ra-status]", "aria-live") == "polite"
    aid(page, "contrast")
    state = root_state(page)
    assert "ra-contrast" in state["cls"] and state["bg"] == "rgb(255, 255, 255)" and state["fg"] == "rgb(0, 0, 0)"
    assert page.get_attribute("#reading-aids-panel [data-ra=contrast]", "aria-pressed") == "true"
    # Another page, and the archive's root, opened from file://: the choice holds before any click.
    for rel in (f"{EDITION}/alliances/110.html", "index.html", "accessibility.html"):
        page.goto(file_url(built_site, rel))
        state = root_state(page)
        assert "ra-text-2" in state["cls"] and "ra-contrast" in state["cls"], rel
        assert state["size"] == pytest.approx(sizes[2], rel=0.2)
    aid(page, "reset")
    assert "ra-" not in root_state(page)["cls"]
    page.goto(file_url(built_site, f"{EDITION}/index.html"))
    assert root_state(page)["size"] == pytest.approx(sizes[0])
    page.close()


def test_reading_aids_work_by_keyboard(context, built_site):
    page = context.new_page()
    page.goto(file_url(built_site, f"{EDITION}/index.html"))
    page.focus("[data-ra-toggle]")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.ra") == "size"
    page.keyboard.press("Enter")
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.ra") == "contrast"
    page.keyboard.press("Space")
    state = root_state(page)
    assert "ra-text-1" in state["cls"] and "ra-contrast" in state["cls"]
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.matches('[data-ra-toggle]')")
    assert page.locator("#reading-aids-panel").is_hidden()
    page.close()


AFTER_A_FRAME = "new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))"
"""Resolves once the page has drawn a frame and the tasks queued after it have run."""
MODES_OF_AIDS = {"standard": "{}", "largest": '{"size":2,"spacing":2}', "contrast": '{"contrast":true}',
                 "largest and contrast": '{"size":2,"spacing":2,"contrast":true,"cursor":true}'}
AXE_PAGES = [f"{EDITION}/index.html", f"{EDITION}/overall.html", f"{EDITION}/ranking.html",
             f"{EDITION}/search.html?q=半导体", f"{EDITION}/alliances/110.html", "index.html", "accessibility.html",
             "404.html"]


@pytest.mark.parametrize("mode", list(MODES_OF_AIDS))
def test_axe_is_clean_in_each_mode(browser, built_site, mode):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(script=f"localStorage.setItem('reportsite.reading-aids', '{MODES_OF_AIDS[mode]}')")
    page = ctx.new_page()
    found = []
    for rel in AXE_PAGES:
        page.goto(file_url(built_site, rel), wait_until="load")
        page.evaluate(AFTER_A_FRAME)  # a wide table takes its Tab stop once the page is drawn
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(AXE_RUN)
        found += [f"{rel}: {v['id']}: " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
                  for v in result["violations"]]
    ctx.close()
    assert found == [], f"{mode}:\n" + "\n".join(found)


@pytest.mark.parametrize("size", ["phone 375", "zoom 200%"])
def test_usable_at_the_largest_step(browser, built_site, size):
    ctx = browser.new_context(**MODES[size])
    ctx.add_init_script(script="localStorage.setItem('reportsite.reading-aids', '{\"size\":2}')")
    page = ctx.new_page()
    problems = []
    for rel in (f"{EDITION}/index.html", f"{EDITION}/overall.html", f"{EDITION}/appendix-1.html",
                f"{EDITION}/ranking.html", f"{EDITION}/alliances/110.html", "index.html", "accessibility.html",
                "404.html"):
        page.goto(file_url(built_site, rel), wait_until="load")
        assert "ra-text-2" in page.evaluate("() => document.documentElement.className")
        problems += [f"{rel}: {p}" for p in page.evaluate(MEASURE)]
    ctx.close()
    assert problems == [], "\n".join(problems[:20])


# --- The reading aids on the root 404 page and the archive home -------------------------------------

MISSING = "no/such/folder/page.html"
"""An address three folders deep that the site does not have: the server answers with 404.html."""


def test_the_404_page_reading_aids_work_at_any_address_and_persist(context, built_site, site_server):
    """The 404 page as a server shows it at a missing address deep in the site: the control works
    (larger steps, high contrast, announced, by keyboard) with no violation of its policy and
    nothing failing to load, and the choice holds on the site's other pages and back."""
    body = Path(built_site, "404.html").read_bytes()
    context.route(site_server + MISSING, lambda route: route.fulfill(
        status=404, body=body, headers={"Content-Type": "text/html; charset=utf-8"}))
    page = context.new_page()
    failed = []
    # A load the page's own next navigation cancels (its icon, say) is not a failure to load.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and r.url != site_server + MISSING
                                          and not r.url.endswith("/favicon.ico") and failed.append(r.url))
    page.goto(site_server + MISSING, wait_until="load")
    assert page.locator("[data-ra-toggle]").is_visible()
    sizes = [root_state(page)["size"]]
    page.focus("[data-ra-toggle]")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    for _ in range(2):
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        sizes.append(root_state(page)["size"])
    assert sizes[0] < sizes[1] < sizes[2], sizes
    assert page.evaluate("() => document.activeElement.dataset.raStep") == "2", "focus stays on the pressed step"
    assert "特大" in root_state(page)["status"] and page.get_attribute("[data-ra-status]", "aria-live") == "polite"
    page.focus("[data-ra=contrast]")
    page.keyboard.press("Space")
    state = root_state(page)
    assert "ra-contrast" in state["cls"] and state["bg"] == "rgb(255, 255, 255)" and state["fg"] == "rgb(0, 0, 0)"
    assert page.get_attribute("[data-ra=contrast]", "aria-pressed") == "true"
    assert page.evaluate("() => JSON.parse(localStorage.getItem('reportsite.reading-aids'))") == {
        "size": 2, "spacing": 0, "contrast": True, "cursor": False}
    assert page.evaluate("() => window.__violations") == []
    # The site's other pages (same origin) take the choice up, and the 404 page keeps it.
    for url in (site_server + f"{EDITION}/overall.html", site_server + "index.html", site_server + MISSING):
        page.goto(url, wait_until="load")
        state = root_state(page)
        assert "ra-text-2" in state["cls"] and "ra-contrast" in state["cls"], url
        assert page.evaluate("() => window.__violations") == [], url
    aid(page, "reset")
    assert "ra-" not in root_state(page)["cls"] and root_state(page)["size"] == pytest.approx(sizes[0])
    assert failed == []
    page.close()


def test_the_404_page_reading_aids_persist_from_file(context, built_site):
    page = context.new_page()
    page.goto(file_url(built_site, "404.html"))
    aid(page, "size", 1)
    aid(page, "contrast")
    assert page.evaluate("() => window.__violations") == []
    for rel in (f"{EDITION}/index.html", "404.html"):
        page.goto(file_url(built_site, rel))
        state = root_state(page)
        assert "ra-text-1" in state["cls"] and "ra-contrast" in state["cls"], rel
        assert page.evaluate("() => window.__violations") == [], rel
    page.close()


def test_the_reading_aids_come_before_the_headline_on_a_phone(browser, built_site):
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = ctx.new_page()
    page.goto(file_url(built_site, "index.html"), wait_until="load")
    aids = page.locator("[data-ra-toggle]").bounding_box()
    figures = page.locator("ul.home-figures").bounding_box()
    h1 = page.locator("h1").bounding_box()
    assert aids and page.locator("[data-ra-toggle]").is_visible()
    assert aids["y"] + aids["height"] <= h1["y"] < figures["y"], (aids, h1, figures)
    assert h1["y"] < 370, "the title on the first half of the first screen, not under controls"
    ctx.close()


# --- Copying a reference and a chart's link from file:// --------------------------------------------

def test_copy_buttons_work_from_file(context, built_site):
    page = context.new_page()
    page.goto(file_url(built_site, f"{EDITION}/index.html"))
    text = page.text_content("[data-cite-text]")
    assert text.startswith("中国产业技术创新战略联盟协同发展网, 中关村国联产业协同创新发展促进中心. ")
    assert "[R/OL]" in text and "2022[20" in text, "the access date added"
    page.click("[data-cite-copy]")
    until(page, "document.querySelector('[data-cite-status]').textContent")
    assert page.text_content("[data-cite-status]") == "已复制引用文本"
    page.goto(file_url(built_site, f"{EDITION}/overall.html"))
    link = page.locator("a.chart-permalink").first
    target = link.get_attribute("href")
    link.click()
    until(page, f"location.hash === {target!r}")
    assert link.text_content() == "已复制本图链接"
    page.close()
