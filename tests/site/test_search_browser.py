"""Site search in Chromium: the header box and the search page, served under /kjbgz/ and from file://."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REGISTRY, ROOT, VALID, run_build

EDITION = "2020-2021"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(params=["served", "file"])
def edition_url(request, built_site) -> str:
    """The 2020-2021 edition's root, from the loopback server or straight from disk."""
    if request.param == "served":
        return request.getfixturevalue("site_server") + f"{EDITION}/"
    return Path(built_site, EDITION).as_uri() + "/"


def outside(page) -> list[str]:
    """Requests that left the machine (anything but loopback and files)."""
    return [u for u in page.requests
            if not u.startswith(("http://127.0.0.1:", "file://", "data:", "about:"))]


def result_links(page) -> list[str]:
    """The search page's result links, from the edition root, without their anchors."""
    page.wait_for_function(
        "document.querySelector('[data-search-status]').textContent.indexOf('正在') < 0")
    hrefs = page.eval_on_selector_all("[data-search-results] a", "els => els.map(e => e.href)")
    return [h.split(f"/{EDITION}/", 1)[1].split("#")[0] for h in hrefs]


@pytest.mark.parametrize("query, expected, first", [
    ("半导体", ["alliances/110.html", "alliances/D106.html"], False),
    ("光热", ["alliances/125.html"], True),
    ("D106", ["alliances/D106.html"], True),
    ("d106", ["alliances/D106.html"], True),
    ("创新战略联盟", ["alliances/110.html", "alliances/125.html", "alliances/D106.html"], False),
])
def test_header_search_submits_to_the_search_page(page, edition_url, query, expected, first):
    page.goto(edition_url + "preface.html")
    page.fill("header form[role=search] input[name=q]", query)
    page.press("header form[role=search] input[name=q]", "Enter")
    page.wait_for_url("**/search.html?q=*")
    links = result_links(page)
    for url in expected:
        assert url in links, f"{query}: {url} not in {links}"
    if first:
        assert links[0] == expected[0]
    status = page.inner_text("[data-search-status]")
    assert f"找到 {len(links)} 个" in status and page.get_attribute("[data-search-status]", "role") == "status"
    assert page.input_value("#search-page-q") == query
    assert outside(page) == [] and page.console_errors == []


def test_the_indexes_load_on_the_first_keystroke_not_on_focus(page, edition_url):
    page.goto(edition_url + "preface.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if u.endswith(("search-index.js", "search.js"))], "nothing of search on load"
    page.focus("#site-search-q")
    page.wait_for_timeout(300)
    assert [u for u in page.requests if u.endswith("search.js")] == [edition_url + "assets/js/search.js"], "the script"
    assert not [u for u in page.requests if u.endswith(("search-index.js", "editions.js"))], "not on focus"
    page.keyboard.type("联")
    page.locator(".site-search__panel .search-result").first.wait_for()
    root = edition_url.rsplit(EDITION, 1)[0]
    assert [u for u in page.requests if u.endswith(("search-index.js", "editions.js"))] == [
        root + "editions.js", edition_url + "search-index.js"]
    assert outside(page) == [] and page.console_errors == []


def test_results_show_as_you_type_and_are_reached_by_keyboard(page, edition_url):
    page.goto(edition_url + "alliances/110.html")
    page.focus("#site-search-q")
    page.keyboard.type("光热")
    panel = page.locator(".site-search__panel")
    panel.locator(".search-result").first.wait_for()
    assert "找到" in panel.locator("[role=status]").inner_text()
    assert panel.locator("mark").first.inner_text() == "光热"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href").endswith("/alliances/125.html")
    page.keyboard.press("Escape")
    assert panel.is_hidden() and page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.press("ArrowDown")  # opens the results again
    panel.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/alliances/125.html")
    assert page.console_errors == []


def test_the_slash_key_focuses_the_search_box(page, edition_url):
    page.goto(edition_url + "preface.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-q"


def test_what_is_typed_before_the_script_arrives_is_searched(page, edition_url):
    held = []
    page.route("**/assets/js/search.js", lambda route: held.append(route))
    page.goto(edition_url + "preface.html")
    page.click("#site-search-q")
    page.keyboard.type("光热")
    page.wait_for_timeout(200)
    assert len(held) == 1 and page.locator(".site-search__panel").count() == 0, "the script is on its way"
    held[0].continue_()
    page.unroute("**/assets/js/search.js")
    page.locator(".site-search__panel .search-result").first.wait_for()
    assert page.locator(".site-search__panel mark").first.inner_text() == "光热"
    page.goto(edition_url + "search.html?q=" + quote("光热"))
    assert result_links(page)[0] == "alliances/125.html"
    assert page.evaluate("[...document.scripts].filter(s => s.src.endsWith('/search.js')).length") == 1, "loaded once"
    assert page.console_errors == []


def test_a_query_with_no_exact_match_lists_pages_with_most_of_it(page, edition_url):
    page.goto(edition_url + "search.html?q=" + quote("太阳能联盟"))
    links = result_links(page)
    assert links[0] == "alliances/125.html"
    assert "大部分" in page.inner_text("[data-search-status]")


def test_without_javascript_the_box_still_reaches_the_search_page(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_server + f"{EDITION}/alliances/D106.html")
        page.fill("#site-search-q", "光热")
        page.press("#site-search-q", "Enter")
        page.wait_for_url(f"**/{EDITION}/search.html?q=*")
        assert "排名表" in page.inner_text(".search-page__noscript")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_screen_and_both_schemes(browser, site_server, scheme):
    context = browser.new_context(viewport={"width": 375, "height": 700}, color_scheme=scheme,
                                  bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(site_server + f"{EDITION}/preface.html")
        box = page.locator("#site-search-q").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        page.focus("#site-search-q")
        page.keyboard.type("半导体")
        panel = page.locator(".site-search__panel")
        panel.locator(".search-result").first.wait_for()
        rect = panel.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 375
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        colors = page.evaluate("""() => {
            const p = getComputedStyle(document.querySelector('.site-search__panel'));
            const b = getComputedStyle(document.body);
            return [p.backgroundColor, p.color, b.backgroundColor, b.color];
        }""")
        assert colors[:2] == colors[2:], "the panel takes the page's colours in either scheme"
    finally:
        context.close()


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Path:
    """A small project whose alliance D106 is named `<script>alert(1)</script>`, built once."""
    root = tmp_path_factory.mktemp("evil")
    for rel, text in VALID.items():
        if rel == REGISTRY:
            text = text.replace("第三代半导体产业技术创新战略联盟", EVIL)
        (root / "data" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "data" / rel).write_text(text, encoding="utf-8")
    out = root / "site"
    (root / "content").mkdir()
    result = run_build("--data", str(root / "data"), "--content", str(root / "content"),
                       "--config", str(ROOT / "mkdocs.yml"), "--out", str(out), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_a_name_like_a_script_is_inert_in_the_index_and_the_results(evil_site, page):
    index = (evil_site / EDITION / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index and "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in index
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((evil_site / EDITION / "search.html").as_uri() + "?q=alert")
    page.locator("[data-search-results] .search-result").first.wait_for()
    titles = page.eval_on_selector_all(".search-result__title", "els => els.map(e => e.textContent)")
    assert titles[0] == EVIL
    assert page.locator("[data-search-results] script").count() == 0
    assert dialogs == [] and page.console_errors == []


def test_search_covers_every_edition_newest_first_from_file(page, demo_site):
    """From any page of the three-edition demo, opened from disk: one search over every edition,
    grouped by edition with the newest first, the alliance's own page first in each, and snippets
    that are sentences, not runs of table cells."""
    page.goto(Path(demo_site, "2016-2017", "index.html").as_uri())
    page.fill("#site-search-q", "半导体照明")
    panel = page.locator(".site-search__panel")
    panel.locator(".search-result").first.wait_for()
    groups = panel.locator(".search-results__edition-name").all_inner_texts()
    assert groups == ["2020-2021 年度", "2018-2019 年度", "2016-2017 年度"]
    for group in panel.locator("li.search-results__edition").all():
        first = group.locator(".search-result__link").first.get_attribute("href")
        assert first.endswith("/alliances/110.html"), first
    page.goto(Path(demo_site, "2016-2017", "search.html").as_uri() + "?q=" + quote("联盟"))
    page.locator("[data-search-results] .search-result").first.wait_for()
    snippets = page.locator(".search-result__snippet").all_inner_texts()
    assert snippets and all(not re.search(r"\d+(\.\d+)? \d+(\.\d+)? \d+", s) for s in snippets), snippets[:5]
    assert page.console_errors == []

