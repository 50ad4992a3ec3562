"""The small things a reader meets on the built pages: a tie reads 并列第 1; the search page is
outside the previous/next order; the changes page lays out its lists of alliances as a compact
list, not a run-on sentence; the edition switcher is a header control, never a box above the title."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

EDITION = "2020-2021"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_tie_reads_bingliedi_and_a_rank_of_its_own_its_number(built_site):
    rows = soup(Path(built_site, EDITION, "ranking.html")).select("table.ranking tbody tr")
    ranks = [r.select_one("td[data-label=名次]").get_text() for r in rows]
    numbers = [t.removeprefix("并列第 ") for t in ranks]
    assert ranks[0] == "并列第 1"
    for text, number in zip(ranks, numbers):
        if number != "—":
            assert text.startswith("并列第 ") == (numbers.count(number) > 1), text
    assert any(not t.startswith("并列") and t != "—" for t in ranks), "a rank of its own is a plain number"


def test_the_search_page_is_outside_the_previous_next_order(built_site):
    for path in sorted(Path(built_site, EDITION).glob("*.html")):
        page = soup(path)
        order = [link["href"] for link in page.select("link[rel=prev], link[rel=next], a.md-footer__link")]
        assert "search.html" not in order, path.name
    search = soup(Path(built_site, EDITION, "search.html"))
    assert not search.select("link[rel=prev], link[rel=next], a.md-footer__link")


def test_the_changes_page_lists_alliances_one_by_one(demo_site):
    page = soup(Path(demo_site, EDITION, "changes.html"))
    lists = page.select(".alliance-list")
    assert lists, "the new and departed alliances"
    new = lists[0].select(".alliance-list__item")
    assert len(new) == 64 and all(item.get_text().strip() for item in new)
    assert len(lists[0].select(".alliance-list__sep")) == len(new) - 1, "the sentence's 、 kept for copying"


def test_the_edition_switcher_is_a_header_control(built_site):
    for rel in ("index.html", "overall.html", "alliances/110.html"):
        page = soup(Path(built_site, EDITION, rel))
        switch = page.select("[data-edition-switch]")
        assert len(switch) == 1 and switch[0].find_parent("header"), rel
        assert switch[0].summary.get_text(strip=True) == f"年度：{EDITION}"
        assert not page.select("article [data-edition-switch], .edition-bar, .admonition.edition"), rel
