"""The archive never rewrites the past: a rename recorded after an edition changes no byte of that
edition (frozen or not), while the later edition, the alliance's history and the changes page
show the rename, and searching the former name finds the alliance.

The archive: the small project of conftest (2020-2021) and a later 2022-2023 in which 110 is
renamed, 105 is new and D106 has left."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import EDITION_YAML, REGISTRY, ROOT, run_build
from hostile import digest as hashes

from reportsite.render import search

OLD = "半导体照明产业技术创新战略联盟"
NEW = "半导体照明与显示产业技术创新战略联盟"
LATER = "2022-2023"

LATER_RESULTS = """\
evaluated:
  - {code: "110", score: 98}
  - {code: "104", score: 86}
  - {code: "105", score: 75}
  - {code: "233", tier: inactive}
incomplete: ["201"]
"""
# The later report still prints the old name in an expert's title: it stays as printed.
LATER_EXPERTS = f"""\
- {{role: 组长, name: 仲继寿, titles: [{OLD}秘书长]}}
"""
NEW_ALLIANCE = '- code: "105"\n  name: 新增示例产业技术创新战略联盟\n'
RENAME = f'- code: "110"\n  name: {NEW}\n  former_names:\n    - {{name: {OLD}, until: 2020-2021}}\n'


def later_edition(project) -> None:
    """2022-2023 beside 2020-2021, and 105 in the registry."""
    text = project.text(EDITION_YAML).split("a_level:")[0]
    text = (text.replace("2020-2021 年度", f"{LATER} 年度").replace("published: 2022-02", "published: 2024-02")
            .replace("start: 2020-01-01, end: 2021-09-30", "start: 2022-01-01, end: 2023-09-30"))
    project.write(f"{LATER}/edition.yaml", text)
    project.write(f"{LATER}/results.yaml", LATER_RESULTS)
    project.write(f"{LATER}/experts.yaml", LATER_EXPERTS)
    project.write(REGISTRY, project.text(REGISTRY) + NEW_ALLIANCE)


def rename(project) -> None:
    """Record the rename of 110 in the registry, as `import` does."""
    project.replace(REGISTRY, f'- code: "110"\n  name: {OLD}\n', RENAME)


def build(project) -> str:
    out = project.root / "site"
    result = run_build("--data", str(project.data), "--out", str(out), "--config", str(ROOT / "mkdocs.yml"),
                       "--lang", "en", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def read(project, rel: str) -> str:
    return (project.root / "site" / rel).read_text(encoding="utf-8")


@pytest.fixture
def archive(project):
    """The two-edition archive, before the rename."""
    later_edition(project)
    return project


@pytest.mark.parametrize("frozen", [False, True], ids=["not-frozen", "frozen"])
def test_a_later_rename_changes_no_byte_of_the_earlier_edition(archive, frozen):
    if frozen:
        archive.write(EDITION_YAML, archive.text(EDITION_YAML) + "frozen: true\n")
    first = build(archive)
    assert ("stored frozen edition 2020-2021" in first) == frozen
    before = hashes(archive.root / "site" / "2020-2021")
    rename(archive)
    second = build(archive)
    assert ("2020-2021 (frozen, unchanged): copied" in second) == frozen
    assert hashes(archive.root / "site" / "2020-2021") == before
    assert OLD in read(archive, "2020-2021/alliances/110.html")
    assert NEW not in read(archive, "2020-2021/search-index.js")
    assert NEW not in read(archive, "2020-2021/data/results.csv")


def test_the_later_edition_history_and_changes_page_show_the_rename(archive):
    rename(archive)
    build(archive)
    page = BeautifulSoup(read(archive, f"{LATER}/alliances/110.html"), "html.parser")
    assert page.h1.get_text() == NEW
    facts = dict(zip((dt.get_text() for dt in page.select("dl.alliance-facts dt")),
                     (dd.get_text() for dd in page.select("dl.alliance-facts dd"))))
    assert facts["曾用名"] == f"{OLD}（用至 2020-2021 年度）"
    assert NEW in read(archive, f"{LATER}/data/results.csv")

    history = read(archive, "history/110.js")
    rows = json.loads(re.search(r"= (\[.*\]);", history).group(1))
    assert [(r["edition"], r["name"]) for r in rows] == [("2020-2021", OLD), (LATER, NEW)]

    changes = BeautifulSoup(read(archive, f"{LATER}/changes.html"), "html.parser")
    # The heading holds its old anchor as an empty alias before its text (anchors.py).
    assert [h.get_text() for h in changes.find_all("h2") if h.get_text() == "更名"] == ["更名"]
    cells = [[td.get_text() for td in tr.select("td")] for tr in changes.select("table.renames tbody tr")]
    assert cells == [["110", OLD, NEW]]
    items = [li.get_text() for li in changes.select("article li")]
    assert any("新增示例产业技术创新战略联盟" in li and li.startswith("本年度新出现的联盟 1 家") for li in items)
    assert any(li.endswith("第三代半导体产业技术创新战略联盟（D106）。") for li in items)


def test_searching_the_former_name_finds_the_alliance_in_the_later_edition(archive):
    rename(archive)
    build(archive)
    script = read(archive, f"{LATER}/search-index.js")
    index = json.loads(script[len(f"window.{search.GLOBAL}="):-2])
    pages = {url: " ".join([title, *(h + " " + x for _, h, x in sections)])
             for url, title, _, sections in index["pages"]}
    assert OLD in pages["alliances/110.html"]
    ranking = BeautifulSoup(read(archive, f"{LATER}/ranking.html"), "html.parser")
    row = next(tr for tr in ranking.select("tr[data-search]") if tr.select_one("td:nth-of-type(3)").get_text() == "110")
    assert OLD in row["data-search"] and NEW in row["data-search"]


def test_an_expert_title_stays_as_printed_and_links_the_alliance(archive):
    rename(archive)
    build(archive)
    appendix = BeautifulSoup(read(archive, f"{LATER}/appendix-1.html"), "html.parser")
    cell = next(td for td in appendix.select("table.experts td") if "秘书长" in td.get_text())
    assert cell.get_text() == f"{OLD}秘书长"
    assert cell.a["href"] == "alliances/110.html" and cell.a.get_text() == OLD
    earlier = BeautifulSoup(read(archive, "2020-2021/appendix-1.html"), "html.parser")
    assert NEW not in earlier.get_text()
    panel = BeautifulSoup(read(archive, f"{LATER}/alliances/110.html"), "html.parser").select_one("#experts + ul")
    assert panel.get_text().strip() == f"仲继寿（专家组组长）：{OLD}秘书长"

