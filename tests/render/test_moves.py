"""How each alliance moved (render/moves.py) against an example worked out by hand, with ties, an
alliance evaluated for the first time, one that returns, and rows with a tier only."""

from __future__ import annotations

from conftest import EARLIER_EDITION, RESULTS, rendered


def edition_of(edition_id: str) -> str:
    """An earlier edition's `edition.yaml`: the same bands and groups, its period in its years."""
    first, last = edition_id.split("-")
    return EARLIER_EDITION.replace("start: 2020-", f"start: {first}-").replace("end: 2021-", f"end: {last}-")

BEFORE = """\
evaluated:
  - {code: "104", score: 90}
  - {code: "110", score: 90}
  - {code: "233", score: 60}
  - {code: "201", tier: medium}
incomplete: [D106]
"""
"""2018-2019: 104 and 110 share rank 1, 233 is 3rd, 201 has a tier only; D106 entered incomplete data."""

NOW = """\
evaluated:
  - {code: "110", score: 100}
  - {code: "201", score: 80}
  - {code: "104", score: 72}
  - {code: D106, score: 72}
  - {code: "233", tier: inactive}
"""
"""2020-2021 (5 evaluated): 110 1st, 201 2nd, 104 and D106 share rank 3, 233 a tier only."""


def archive_of(project, *earlier: tuple[str, str]):
    project.write(RESULTS, NOW)
    for edition_id, results in earlier:
        project.add_edition(edition_id, results, edition_of(edition_id))
    archive, problems = project.check()
    assert archive is not None, rendered(problems)
    return archive


def test_movements_worked_out_by_hand(project):
    from reportsite.render.moves import movements

    archive = archive_of(project, ("2018-2019", BEFORE))
    moved = movements(archive, archive.edition("2020-2021"))
    assert moved.previous.id == "2018-2019" and not moved.demo
    table = {code: (m.rank_text, m.score_text, m.tier_move, m.tags) for code, m in moved.by_code.items()}
    assert table == {
        "110": ("持平，1/5", "+10", 0, ()),                        # 1 -> 1, 90 -> 100, high -> high
        "201": ("—", "—", 1, ("档次上升",)),                      # a tier only before: no rank, no score
        "104": ("↓2，3/5", "-18", -1, ("名次下降", "档次下降")),  # 1 (tied) -> 3 (tied), high -> higher
        "D106": ("新", "新", None, ("新参评",)),                  # incomplete before, evaluated now
        "233": ("—", "—", -1, ("档次下降",)),                     # a tier only now; medium -> inactive
    }
    assert [m.code for m in moved.largest()] == ["104"]
    assert moved.count("档次下降") == 2 and moved.count("新参评") == 1


def test_an_alliance_evaluated_before_the_previous_edition_is_not_new(project):
    from reportsite.render.moves import movements

    archive = archive_of(project, ("2016-2017", 'evaluated:\n  - {code: "110", score: 95}\n  - {code: D106, score: 88}\n'), ("2018-2019", BEFORE))
    moved = movements(archive, archive.edition("2020-2021"))
    assert moved.by_code["D106"].rank_text == "—" and moved.by_code["D106"].tags == ()
    assert movements(archive, archive.edition("2016-2017")) is None  # the archive's first edition


def test_the_history_of_an_alliance_goes_up_to_its_edition(project):
    from reportsite.render.moves import rank_histories

    archive = archive_of(project, ("2018-2019", BEFORE))
    steps = rank_histories(archive, archive.edition("2020-2021"))["104"]
    assert [(s.edition.id, s.tier, s.score, s.rank, s.pool, s.move and s.move.rank_text) for s in steps] == [
        ("2018-2019", "活跃度高", 90, 1, 4, None), ("2020-2021", "活跃度较高", 72, 3, 5, "↓2，3/5")]
    assert [s.tier for s in rank_histories(archive, archive.edition("2018-2019"))["D106"]] == ["数据不完整"]
    assert "2020-2021" not in [s.edition.id for s in rank_histories(archive, archive.edition("2018-2019"))["104"]]


def pages_of(archive, edition_id: str) -> dict:
    from reportsite.render.pages import edition_pages

    return {p.name: p for p in edition_pages(archive, archive.edition(edition_id), None).pages}


def test_the_ranking_gains_the_movements_sortable_and_filterable(project):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(pages_of(archive_of(project, ("2018-2019", BEFORE)), "2020-2021")["ranking.md"].markdown,
                         "html.parser")
    heads = [th.get_text() for th in page.select("table.ranking thead th")]
    assert heads[-2:] == ["名次变化", "得分变化"]
    assert [th["data-sort"] for th in page.select("table.ranking thead th")][-2:] == ["rank-change", "score-change"]
    rows = {tr.select("td")[2].get_text(): tr for tr in page.select("table.ranking tbody tr")}
    assert [td.get_text() for td in rows["104"].select("td")[-2:]] == ["↓2，3/5", "-18"]
    assert rows["104"]["data-rank-change"] == "-2" and rows["104"]["data-score-change"] == "-18"
    assert rows["104"]["data-search"].endswith(" 名次下降 档次下降")
    assert rows["D106"]["data-rank-change"] == "" and rows["D106"].select("td")[-1].get_text() == "新"
    links = {a.get_text(): a["href"] for a in page.select(".ranking-moves a")}
    assert links["档次上升 1 家"] == "?q=%E6%A1%A3%E6%AC%A1%E4%B8%8A%E5%8D%87"  # ?q=档次上升


def test_the_changes_page_gains_the_largest_rank_movements(project):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(pages_of(archive_of(project, ("2018-2019", BEFORE)), "2020-2021")["changes.md"].markdown,
                         "html.parser")
    rows = [[td.get_text() for td in tr.select("td")] for tr in page.select("table.rank-moves tbody tr")]
    assert rows == [["农业装备产业技术创新战略联盟", "1/4", "3/5", "↓2"]]


def test_the_alliance_page_shows_its_movement_and_rank_history(project):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(pages_of(archive_of(project, ("2018-2019", BEFORE)), "2020-2021")["alliances/104.md"].html,
                         "html.parser")
    standing = {tr.th.get_text(): tr.td.get_text() for tr in page.select("table.standing tr")}
    assert standing["名次变化"] == "↓2，3/5（与 2018-2019 年度相比）" and standing["得分变化"] == "-18"
    figure = page.select_one(".rank-history figure")
    assert figure.svg["role"] == "img" and len(figure.svg.select("polyline")) == 2
    assert [[td.get_text() for td in tr.select("td")] for tr in figure.select("tbody tr")] == [
        ["2018-2019", "活跃度高", "90", "1/4", "—", "—"], ["2020-2021", "活跃度较高", "72", "3/5", "↓2，3/5", "-18"]]


def test_the_movements_are_no_part_of_what_a_frozen_edition_is_compared_by(project, monkeypatch):
    """An edition frozen before the movements existed keeps its stored pages: its fingerprint is
    the same with them and without them."""
    from reportsite.render import pages, profiles
    from reportsite.render.pages import edition_pages
    from reportsite.render.search import reader_text

    archive = archive_of(project, ("2018-2019", BEFORE))
    edition = archive.edition("2020-2021")
    shown = reader_text(edition_pages(archive, edition, None))
    for module in (pages, profiles):
        monkeypatch.setattr(module, "movements", lambda archive, edition: None)
    monkeypatch.setattr(profiles, "rank_histories", lambda archive, edition: {})
    plain = edition_pages(archive, edition, None)
    assert "名次变化" not in plain.pages[-1].html
    assert reader_text(plain) == shown


def test_one_edition_shows_no_movement(project):
    found = pages_of(archive_of(project), "2020-2021")
    assert "名次变化" not in found["ranking.md"].markdown and "rank-history" not in found["alliances/104.md"].html
