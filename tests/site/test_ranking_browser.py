"""The ranking page in Chromium: sort, filter, search, the URL as the view, JavaScript off, file://.

Expected rows come from the model (`figures`), never from the page itself; the page is served
under a sub-path on loopback, and every test ends by checking that no request left 127.0.0.1 and
that the console stayed clean.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT

from reportsite.model import figures as F
from reportsite.read.check import check_archive

EDITION = "2020-2021"
TABLE = "table[data-ranking]"
ROWS = f"{TABLE} tbody tr"
SEARCH = '[data-filter="q"]'
TIER = '[data-filter="tier"]'
GROUP = '[data-filter="group"]'
COUNT = "[data-ranking-count]"
# Columns of the table, 0-based: 名次, 联盟名称, 编号, 批次, 评分, 档次, A 级.
RANK, NAME, CODE, GROUP_COL, SCORE, TIER_COL = range(6)


@pytest.fixture(scope="module")
def edition():
    """The 2020-2021 edition of the project's own data."""
    archive, problems = check_archive(str(ROOT / "data"))
    assert archive is not None, [p.render() for p in problems]
    return archive.edition(EDITION)


def ranking_url(base: str, query: str = "") -> str:
    return f"{base}{EDITION}/ranking.html{query}"


def open_ranking(page, url: str) -> None:
    """Load the page and wait until ranking.js has applied the URL's view."""
    page.goto(url)
    page.wait_for_selector(f"{TABLE}[data-ranking-ready]", state="attached")


def shown(page) -> list[list[str]]:
    """The cells' text of the rows shown, top to bottom."""
    return page.eval_on_selector_all(
        ROWS, "trs => trs.filter(tr => !tr.hidden && tr.offsetParent !== null)"
              ".map(tr => [...tr.cells].map(td => td.textContent.trim()))")


def codes(page) -> list[str]:
    return [row[CODE] for row in shown(page)]


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def score(text: str) -> float | None:
    """A score cell as a number; None for 未公布 or —."""
    try:
        return float(text)
    except ValueError:
        return None


def published(edition, **filters) -> list[str]:
    """Codes of the evaluated alliances matching `figures.select()` filters, in published order."""
    chosen = {r.code for r in F.select(edition, **filters)}
    return [r.result.code for r in F.ranking(edition) if r.result.code in chosen]


def expected_by_score(edition, descending: bool) -> list[str]:
    """Codes sorted by score, empty scores last either way, ties in published order."""
    ranked = [(r.result.score, r.position, r.result.code) for r in F.ranking(edition)]
    known = sorted((r for r in ranked if r[0] is not None),
                   key=lambda r: (-r[0] if descending else r[0], r[1]))
    unknown = sorted((r for r in ranked if r[0] is None), key=lambda r: r[1])
    incomplete = list(edition.incomplete)
    return [r[2] for r in known] + [r[2] for r in unknown] + incomplete


def assert_clean(page) -> None:
    """Nothing requested off loopback (or off the file system), nothing logged as an error."""
    outside = [u for u in page.requests
               if not (urlsplit(u).scheme == "file" or urlsplit(u).hostname == "127.0.0.1")]
    assert outside == []
    assert page.console_errors == []


def test_without_a_query_every_row_shows_in_published_order(page, site_server, edition):
    open_ranking(page, ranking_url(site_server))
    total = len(edition.evaluated) + len(edition.incomplete)
    assert codes(page) == [r.result.code for r in F.ranking(edition)] + list(edition.incomplete)
    assert page.locator("[data-ranking-tools]").is_visible()
    assert page.text_content(COUNT) == f"显示 {total} / {total} 家"
    assert_clean(page)


def test_sort_by_score_descending_then_ascending(page, site_server, edition):
    open_ranking(page, ranking_url(site_server))
    header = page.locator(f'{TABLE} th[data-sort="score"]')
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    rows = shown(page)
    scores = [score(r[SCORE]) for r in rows]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True)
    assert scores[:len(known)] == known, "rows without a score come last"
    assert [r[CODE] for r in rows] == expected_by_score(edition, descending=True)
    assert query(page) == {"sort": ["score"], "dir": ["desc"]}

    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    rows = shown(page)
    scores = [score(r[SCORE]) for r in rows]
    known = [s for s in scores if s is not None]
    assert known == sorted(known)
    assert scores[:len(known)] == known, "rows without a score come last, ascending too"
    assert [r[CODE] for r in rows] == expected_by_score(edition, descending=False)
    assert query(page) == {"sort": ["score"], "dir": ["asc"]}
    assert page.locator(f"{TABLE} th[aria-sort]").count() == 1
    assert_clean(page)


def test_filter_to_one_tier(page, site_server, edition):
    expected = F.count(edition, tier="high")
    assert expected == 35, "the published figure: 35 alliances 活跃度高 in 2020-2021"
    total = len(edition.evaluated) + len(edition.incomplete)
    open_ranking(page, ranking_url(site_server))
    page.select_option(TIER, "high")
    rows = shown(page)
    assert len(rows) == expected
    assert {r[TIER_COL] for r in rows} == {"活跃度高"}
    assert [r[CODE] for r in rows] == published(edition, tier="high")
    assert page.text_content(COUNT) == f"显示 {expected} / {total} 家"
    assert query(page) == {"tier": ["high"]}

    page.select_option(TIER, "incomplete")
    assert codes(page) == list(edition.incomplete)
    assert page.text_content(COUNT) == f"显示 {len(edition.incomplete)} / {total} 家"
    assert_clean(page)


def test_filter_by_group_and_tier_together(page, site_server, edition):
    open_ranking(page, ranking_url(site_server))
    page.select_option(GROUP, "D")
    network = published(edition, group="D") + [c for c in edition.incomplete if c.startswith("D")]
    assert codes(page) == network
    page.select_option(TIER, "high")
    assert codes(page) == published(edition, group="D", tier="high")
    assert query(page) == {"tier": ["high"], "group": ["D"]}
    assert_clean(page)


@pytest.mark.parametrize("typed", ["光热", "  光热 "])
def test_search_by_part_of_a_name(page, site_server, typed):
    open_ranking(page, ranking_url(site_server))
    page.fill(SEARCH, typed)
    rows = shown(page)
    assert [r[NAME] for r in rows] == ["太阳能光热产业技术创新战略联盟"]
    assert page.text_content(COUNT).startswith("显示 1 / ")
    page.wait_for_function("location.search.indexOf('q=') !== -1")
    assert query(page) == {"q": ["光热"]}
    assert_clean(page)


@pytest.mark.parametrize("typed", ["D106", "d106", "ｄ106"])
def test_search_by_code_ignores_case_and_width(page, site_server, typed):
    open_ranking(page, ranking_url(site_server))
    page.fill(SEARCH, typed)
    rows = shown(page)
    assert [(r[CODE], r[NAME]) for r in rows] == [("D106", "第三代半导体产业技术创新战略联盟")]
    assert_clean(page)


def test_a_whole_code_finds_that_alliance_only(page, site_server):
    """The link from an alliance page (`ranking.html?q=104`) shows 104, not D104 as well; part of a
    code still finds every code containing it."""
    open_ranking(page, ranking_url(site_server) + "?q=104")
    assert codes(page) == ["104"]
    page.fill(SEARCH, "10")
    assert {"104", "D104", "110"} <= set(codes(page))
    assert_clean(page)


def test_search_by_alias(page, site_server):
    open_ranking(page, ranking_url(site_server))
    page.fill(SEARCH, "工程研发及产业联盟")
    assert codes(page) == ["110"]
    page.fill(SEARCH, "没有这个联盟")
    assert codes(page) == []
    assert "没有符合条件的联盟" in page.text_content(COUNT)
    assert_clean(page)


def test_reload_with_the_url_shows_the_same_view(page, site_server, edition):
    open_ranking(page, ranking_url(site_server))
    page.select_option(TIER, "high")
    page.select_option(GROUP, "1")
    page.locator(f'{TABLE} th[data-sort="score"] button').click()
    page.locator(f'{TABLE} th[data-sort="score"] button').click()
    page.fill(SEARCH, "产业")
    page.wait_for_function("location.search.indexOf('q=') !== -1")
    view, count, url = codes(page), page.text_content(COUNT), page.url
    assert query(page) == {"q": ["产业"], "tier": ["high"], "group": ["1"], "sort": ["score"],
                           "dir": ["asc"]}
    assert view == [c for c in expected_by_score(edition, descending=False)
                    if c in published(edition, tier="high", group="1")]

    page.reload()
    page.wait_for_selector(f"{TABLE}[data-ranking-ready]", state="attached")
    assert (codes(page), page.text_content(COUNT)) == (view, count)

    other = page.context.new_page()
    open_ranking(other, url)
    assert (codes(other), other.text_content(COUNT)) == (view, count)
    assert other.input_value(SEARCH) == "产业"
    assert other.input_value(TIER) == "high"
    assert other.input_value(GROUP) == "1"
    assert other.get_attribute(f'{TABLE} th[data-sort="score"]', "aria-sort") == "ascending"
    other.close()
    assert_clean(page)


def test_a_url_with_unknown_values_still_opens(page, site_server, edition):
    open_ranking(page, ranking_url(site_server, "?tier=nope&group=9&sort=colour&dir=up&q=%E5%85%89%E7%83%AD%"))
    assert len(shown(page)) == len(edition.evaluated) + len(edition.incomplete)
    assert page.input_value(TIER) == ""
    assert page.locator(f"{TABLE} th[aria-sort]").count() == 0
    assert_clean(page)


def test_alliance_page_links_to_its_row(page, site_server):
    page.goto(f"{site_server}{EDITION}/alliances/125.html")
    page.click("a[href$='ranking.html?q=125']")
    page.wait_for_selector(f"{TABLE}[data-ranking-ready]", state="attached")
    assert codes(page) == ["125"]
    assert page.input_value(SEARCH) == "125"
    assert_clean(page)


def test_keyboard_sorts_by_name(page, site_server):
    open_ranking(page, ranking_url(site_server))
    header = page.locator(f'{TABLE} th[data-sort="name"]')
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    names = [r[NAME] for r in shown(page)]
    in_pinyin = page.evaluate("names => names.slice().sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))",
                              names)
    assert names == in_pinyin
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert [r[NAME] for r in shown(page)] == in_pinyin[::-1]
    assert query(page) == {"sort": ["name"], "dir": ["desc"]}
    assert_clean(page)


def test_sort_by_tier_keeps_published_order_within_a_tier(page, site_server, edition):
    open_ranking(page, ranking_url(site_server))
    page.locator(f'{TABLE} th[data-sort="tier"] button').click()
    published = [r.result.code for r in F.ranking(edition)] + list(edition.incomplete)
    assert codes(page) == published
    page.locator(f'{TABLE} th[data-sort="tier"] button').click()
    order = {t.key: t.rank for t in edition.tiers}
    by_tier = sorted(F.ranking(edition), key=lambda r: (-order[r.result.tier], r.position))
    assert codes(page) == list(edition.incomplete) + [r.result.code for r in by_tier]
    assert_clean(page)


def test_without_javascript_every_row_shows(browser, site_server, edition):
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(ranking_url(site_server, "?tier=high&q=光热"))
        rows = pg.locator(ROWS)
        assert rows.count() == len(edition.evaluated) + len(edition.incomplete)
        assert all(rows.nth(i).is_visible() for i in range(rows.count()))
        assert not pg.locator("[data-ranking-tools]").is_visible()
        assert pg.locator(f"{TABLE} th[data-sort] button").count() == 0
    finally:
        context.close()


def test_from_file_url(page, built_site, edition):
    url = (Path(built_site) / EDITION / "ranking.html").as_uri()
    open_ranking(page, url + "?tier=high&sort=score&dir=asc")
    rows = shown(page)
    assert len(rows) == F.count(edition, tier="high") == 35
    known = [score(r[SCORE]) for r in rows]
    assert known == sorted(known)
    page.fill(SEARCH, "光热")
    assert codes(page) == ["125"]
    page.wait_for_function("location.search.indexOf('q=') !== -1")
    assert query(page) == {"q": ["光热"], "tier": ["high"], "sort": ["score"], "dir": ["asc"]}
    page.reload()
    page.wait_for_selector(f"{TABLE}[data-ranking-ready]", state="attached")
    assert codes(page) == ["125"]
    assert_clean(page)


def synthetic_page(rows: int) -> str:
    """A ranking page of `rows` made-up alliances, with the markup ranking.md.j2 writes."""
    tiers = ["high", "higher", "medium", "inactive"]
    body = "\n".join(
        f'<tr data-tier="{tiers[i % 4]}" data-group="{1 + i % 3}" data-search="第{i}号测试产业技术创新战略联盟 {i:03d}"'
        f' data-rank="{i + 1}" data-score="{100 - i % 50}" data-tier-order="{i % 4}" data-position="{i + 1}">'
        f"<td>{i + 1}</td><td>第{i}号测试产业技术创新战略联盟</td><td>{i:03d}</td><td>第{1 + i % 3}批</td>"
        f"<td>{100 - i % 50}</td><td>{tiers[i % 4]}</td><td></td></tr>"
        for i in range(rows))
    options = "".join(f'<option value="{t}">{t}</option>' for t in tiers)
    return f"""<!doctype html><meta charset="utf-8"><title>排名表</title>
<div data-ranking-tools hidden>
<input type="search" data-filter="q">
<select data-filter="tier"><option value="">全部</option>{options}</select>
<select data-filter="group"><option value="">全部</option><option>1</option><option>2</option><option>3</option></select>
<p role="status" data-ranking-count></p>
</div>
<table data-ranking><thead><tr><th data-sort="rank" data-type="number">名次</th><th data-sort="name" data-type="text">名称</th>
<th data-sort="code" data-type="text">编号</th><th data-sort="group" data-type="text">批次</th>
<th data-sort="score" data-type="number" data-sort-first="desc">评分</th>
<th data-sort="tier" data-type="number" data-sort-by="tier-order">档次</th><th data-sort="a_level" data-type="text">A 级</th></tr></thead>
<tbody>{body}</tbody></table>
<script src="ranking.js" defer></script>"""


def test_300_rows_a_keystroke_only_shows_or_hides_rows(page, tmp_path):
    """Per keystroke the script touches only the rows whose visibility changes: it never moves,
    rebuilds or rewrites rows (sorting does that, once per click). And with the CPU slowed six
    times, as on a low-end phone, its work per keystroke stays well inside a frame budget's
    reach; layout, the browser's part, is not measured."""
    (tmp_path / "ranking.html").write_text(synthetic_page(300), encoding="utf-8")
    (tmp_path / "ranking.js").write_bytes((ROOT / "reportsite/assets/js/ranking.js").read_bytes())
    open_ranking(page, (tmp_path / "ranking.html").as_uri())
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    steps = page.evaluate("""() => {
        const input = document.querySelector('[data-filter="q"]');
        const observer = new MutationObserver(() => {});
        observer.observe(document.querySelector('tbody'), {childList: true, attributes: true, subtree: true});
        return ['测', '测试', '第2', '第29', '第2', '', '产业'].map(text => {
            const start = performance.now();
            input.value = text;
            input.dispatchEvent(new Event('input'));
            const ms = performance.now() - start;
            const changes = observer.takeRecords().map(r => r.type === 'attributes' ? r.attributeName : r.type);
            const shown = [...document.querySelectorAll('tbody tr')].filter(tr => !tr.hidden).length;
            return {text, ms, changes, shown};
        });
    }""")
    assert [(s["text"], s["shown"]) for s in steps] == [
        ("测", 300), ("测试", 300), ("第2", 111), ("第29", 11), ("第2", 111), ("", 300), ("产业", 300)]
    changed = [sorted(set(s["changes"])) for s in steps]
    assert changed == [[], [], ["hidden"], ["hidden"], ["hidden"], ["hidden"], []], "no row moved or rewritten"
    assert [len(s["changes"]) for s in steps] == [0, 0, 189, 100, 100, 189, 0]
    assert page.text_content(COUNT) == "显示 300 / 300 家"
    slowest = max(s["ms"] for s in steps)
    assert slowest < 100, f"the slowest keystroke took {slowest:.0f} ms of script"
    assert page.console_errors == []
