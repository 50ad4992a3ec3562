"""The indicator findings and the movements in Chromium, on the demo archive: the ranking filtered
to 档次上升 by its link and sorted by 名次变化; the table of 得分率 readable (its colours as set,
every cell's text at 4.5:1 or more, the table within the page at 1280 px); a profile's text not
drawn under 12 px at 375 px."""

from __future__ import annotations

import os
import re


def url(site: str, rel: str) -> str:
    return "file://" + os.path.join(site, rel)


def test_the_ranking_filters_and_sorts_by_movement(demo_site, page):
    page.goto(url(demo_site, "2020-2021/ranking.html"))
    page.wait_for_selector("table[data-ranking-ready]")
    link = page.locator(".ranking-moves a", has_text="档次上升")
    count = int(re.search(r"(\d+) 家", link.inner_text()).group(1))
    link.click()
    page.wait_for_selector("table[data-ranking-ready]")
    assert page.locator("[data-ranking-count]").inner_text().startswith(f"显示 {count} / 106 家")
    shown = page.locator("table[data-ranking] tbody tr:not([hidden])")
    assert shown.count() == count
    assert all("档次上升" in shown.nth(i).get_attribute("data-search") for i in range(count))
    page.goto(url(demo_site, "2020-2021/ranking.html?sort=rank-change"))
    page.wait_for_selector("table[data-ranking-ready]")
    first = page.locator("table[data-ranking] tbody tr").first
    changes = [int(v) for v in page.eval_on_selector_all(
        "table[data-ranking] tbody tr", "rows => rows.map(r => r.dataset.rankChange).filter(v => v)")]
    assert int(first.get_attribute("data-rank-change")) == max(changes)
    assert not page.console_errors


def luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_table_of_rates_is_readable(demo_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # under the page's own policy
    page = context.new_page()
    page.goto(url(demo_site, "2018-2019/indicators.html"))
    cells = page.eval_on_selector_all("table.rate-table td", """cells => cells.map(c => {
        const s = getComputedStyle(c); return [s.backgroundColor, s.color]; })""")
    assert len(cells) > 100
    for fill, ink in cells:
        assert fill != "rgba(0, 0, 0, 0)", "a cell without its colour (the policy refused its style?)"
        high, low = sorted((luminance(fill), luminance(ink)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, (fill, ink)
    widths = page.eval_on_selector("table.rate-table", "t => [t.offsetWidth, t.parentElement.clientWidth]")
    assert widths[0] <= widths[1]
    context.close()


def test_a_profile_is_drawn_at_12_px_or_more_on_a_phone(demo_site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(url(demo_site, "2018-2019/alliances/110.html"))
    width = page.eval_on_selector("#indicators ~ figure svg", "s => s.getBoundingClientRect().width")
    assert 12 * width / 320 >= 12
    assert page.eval_on_selector("#indicators ~ figure svg", "s => s.getBoundingClientRect().right") <= 375
    context.close()
