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


MOVE_LABELS = ("名次变化", "得分变化")


def test_on_a_phone_the_ranking_cards_carry_the_movements(demo_site, browser):
    """At 375 px the ranking is a card per alliance (issue 24): each card shows its 名次变化 and
    得分变化 under their labels, on screen, as the table gives them; their sort buttons are in the
    row of buttons above the cards and sort by the movement."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(url(demo_site, "2020-2021/ranking.html"))
    page.wait_for_selector("table[data-ranking-ready]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    cards = page.evaluate("""[...document.querySelectorAll('table.ranking tbody tr')].slice(0, 40).map(tr =>
        Object.fromEntries([...tr.querySelectorAll('td[data-label]')].map(td => {
          const r = td.getBoundingClientRect();
          return [td.dataset.label, [td.textContent.trim(), getComputedStyle(td, '::before').content,
                                     r.left, r.right, r.height]]; })))""")
    assert len(cards) == 40
    for card in cards:
        for label in MOVE_LABELS:
            text, before, left, right, height = card[label]
            assert before == f'"{label}"' and text and height > 0, (label, card[label])
            assert 0 <= left and right <= 375, (label, card[label])
        assert re.fullmatch(r"↑\d+，\d+/86|↓\d+，\d+/86|持平，\d+/86|新|—", card["名次变化"][0]), card["名次变化"]
        assert re.fullmatch(r"[+-]\d+(\.\d+)?|0|新|—", card["得分变化"][0]), card["得分变化"]
    assert any(c["名次变化"][0].startswith("↑") for c in cards) and any(c["名次变化"][0] == "新" for c in cards)
    buttons = page.locator("table.ranking thead button.ranking-sort")
    for label in MOVE_LABELS:
        button = buttons.filter(has_text=label)
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, label
    buttons.filter(has_text="名次变化").click()
    first = page.locator("table[data-ranking] tbody tr").first
    changes = [int(v) for v in page.eval_on_selector_all(
        "table[data-ranking] tbody tr", "rows => rows.map(r => r.dataset.rankChange).filter(v => v)")]
    assert int(first.get_attribute("data-rank-change")) == max(changes)
    assert "名次变化" in first.locator("td[data-label=名次变化]").evaluate("td => getComputedStyle(td, '::before').content")
    context.close()
