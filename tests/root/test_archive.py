"""The archive of yearly editions, on the three-edition demo under examples/archive: the home,
latest/, the switcher, an alliance's history, the changes page, and frozen editions."""

from __future__ import annotations

import hashlib
import os
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

from reportsite.model import figures as F
from reportsite.read.check import check_archive
from reportsite.render import compare
from reportsite.render.chrome import without_chrome

DEMO = ROOT / "examples" / "archive"


@pytest.fixture(scope="module")
def demo():
    """The demo archive's model."""
    archive, problems = check_archive(str(DEMO / "data"))
    assert archive is not None, [p.render() for p in problems]
    return archive


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> str:
    """The demo archive built once."""
    out = str(tmp_path_factory.mktemp("demo") / "site")
    result = run_build("--data", "examples/archive/data", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def soup(path: str) -> BeautifulSoup:
    with open(path, encoding="utf-8") as f:
        return BeautifulSoup(f.read(), "html.parser")


def hashes(folder: str) -> dict[str, str]:
    out = {}
    for parent, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(parent, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def test_three_editions_each_in_its_own_folder(demo, demo_site):
    assert [e.id for e in demo.editions] == ["2016-2017", "2018-2019", "2020-2021"]
    for e in demo.editions:
        assert os.path.isfile(os.path.join(demo_site, e.id, "index.html"))


def test_home_lists_every_edition_newest_first_with_its_figures(demo, demo_site):
    items = soup(os.path.join(demo_site, "index.html")).select("ul.editions > li")
    newest_first = sorted(demo.editions, key=lambda e: e.id, reverse=True)
    assert len(items) == len(newest_first)
    for item, e in zip(items, newest_first):
        text = item.get_text(" ", strip=True)
        assert item.find("a")["href"] == f"{e.id}/index.html"
        assert f"{e.published[:4]} 年 {int(e.published[5:])} 月发布" in text
        assert f"参评联盟 {len(e.evaluated)} 家" in text
        for t in e.tiers:
            assert f"{t.name} {F.tier_counts(e)[t.key]} 家" in text
        assert ("示例数据" in text) == e.demo


def test_latest_redirects_to_the_newest_edition(demo_site):
    page = open(os.path.join(demo_site, "latest", "index.html"), encoding="utf-8").read()
    assert 'content="0; url=../2020-2021/index.html"' in page
    nested = open(os.path.join(demo_site, "latest", "alliances", "110.html"), encoding="utf-8").read()
    assert 'url=../../2020-2021/alliances/110.html' in nested
    assert os.path.isfile(os.path.join(demo_site, "latest", "data", "results.csv"))
    assert not os.path.islink(os.path.join(demo_site, "latest"))


def test_editions_js_lists_editions_and_their_pages(demo, demo_site):
    text = open(os.path.join(demo_site, "editions.js"), encoding="utf-8").read()
    assert text.startswith("window.REPORT_ARCHIVE = ")
    ids = re.findall(r'"id":"([0-9-]+)"', text)
    assert ids == sorted((e.id for e in demo.editions), reverse=True)
    assert '"latest":"2020-2021"' in text


def test_changes_page_matches_the_data(demo, demo_site):
    e = demo.edition("2020-2021")
    change = compare.changes(demo, e)
    page = soup(os.path.join(demo_site, "2020-2021", "changes.html"))
    text = page.get_text(" ", strip=True)
    assert f"本年度新出现的联盟 {len(change.new)} 家" in text
    # The new alliances are named with their codes, as those that left are.
    new = next(li.get_text() for li in page.select("article li") if li.get_text().startswith("本年度新出现的联盟"))
    assert change.new and all(f"{demo.alliance(c).name_in(e.id)}（{c}）" in new for c in change.new), new
    assert f"本年度未出现的联盟 {len(change.departed)} 家" in text
    assert f"档次上升 {len(change.up)} 家，下降 {len(change.down)} 家" in text
    rows = page.select("table.score-changes tbody tr")
    assert len(rows) == len(change.largest)
    first = change.largest[0]
    cells = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert cells[0] == demo.alliance(first.code).name
    assert cells[3] == ("+" if first.delta > 0 else "") + F.plain(first.delta)


def test_changes_page_says_when_bands_changed(demo, demo_site):
    assert compare.changes(demo, demo.edition("2018-2019")).bands_changed
    assert "两个年度的档次划分不同" in soup(os.path.join(demo_site, "2018-2019", "changes.html")).get_text()
    assert not os.path.exists(os.path.join(demo_site, "2016-2017", "changes.html"))


def test_synthetic_editions_say_so_on_every_page(demo, demo_site):
    """A real edition says 示例数据 only where it compares itself with a synthetic one (its
    movements, words the tool adds around the report's text)."""
    for e in demo.editions:
        for parent, _, files in os.walk(os.path.join(demo_site, e.id)):
            for name in files:
                if name.endswith(".html"):
                    text = open(os.path.join(parent, name), encoding="utf-8").read()
                    assert ("示例数据" in without_chrome(text)) == e.demo, (e.id, name)
    ranking = open(os.path.join(demo_site, "2020-2021", "ranking.html"), encoding="utf-8").read()
    assert "名次变化和得分变化为与 2018-2019 年度相比（示例数据）" in ranking


def test_alliance_history_file_matches_the_model(demo, demo_site):
    text = open(os.path.join(demo_site, "history", "110.js"), encoding="utf-8").read()
    rows = compare.history(demo, "110")
    assert re.findall(r'"edition":"([0-9-]+)"', text) == [r["edition"] for r in rows]
    assert len(rows) == 3


def test_switcher_and_history_in_the_browser(demo, demo_site, page):
    page.goto("file://" + os.path.join(demo_site, "2020-2021", "alliances", "110.html"))
    page.wait_for_selector(".alliance-history table.history")
    cells = page.eval_on_selector_all(".alliance-history tbody tr",
                                      "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    expected = compare.history(demo, "110")
    assert [c[0].replace("（示例）", "") for c in cells] == [r["edition"] for r in expected]
    assert [c[1] for c in cells] == [r["name"] for r in expected]
    assert [c[4] for c in cells] == [("—" if r["score"] is None else str(r["score"])) for r in expected]
    page.click(".edition-switch summary")
    page.wait_for_selector("[data-edition-list] a[href*='2016-2017']")
    links = page.eval_on_selector_all("[data-edition-list] a", "as => as.map(a => a.getAttribute('href'))")
    assert "../../2016-2017/alliances/110.html" in links
    items = page.eval_on_selector_all("[data-edition-list] li", "lis => lis.map(li => li.textContent)")
    assert items == ["2020-2021 年度（最新）", "2018-2019 年度（示例数据）", "2016-2017 年度（示例数据）", "历年报告（全部年度）"]
    assert page.text_content("[data-edition-list] [aria-current=page]") == "2020-2021 年度（最新）", "marked, not (当前)"
    assert not page.console_errors


def frozen_project(tmp_path):
    """A copy of the demo archive whose 2016-2017 edition is marked frozen."""
    project = tmp_path / "project"
    shutil.copytree(DEMO, project)
    path = project / "data" / "2016-2017" / "edition.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "frozen: true\n", encoding="utf-8")
    return project


def test_adding_an_edition_does_not_change_a_frozen_one(tmp_path):
    project = frozen_project(tmp_path)
    out = str(tmp_path / "site")
    first = run_build("--lang", "en", "--data", str(project / "data"), "--out", out)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "stored frozen edition 2016-2017" in first.stdout
    before = hashes(os.path.join(out, "2016-2017"))
    stored = hashes(str(project / "frozen" / "2016-2017"))

    new = project / "data" / "2022-2023"
    shutil.copytree(project / "data" / "2020-2021", new)
    edition = (new / "edition.yaml").read_text(encoding="utf-8")
    edition = (edition.replace("2020-2021 年度", "2022-2023 年度").replace("published: 2022-02", "published: 2024-02")
               .replace("start: 2020-01-01, end: 2021-09-30", "start: 2022-01-01, end: 2023-09-30"))
    edition = re.sub(r"a_level:.*?(?=^acknowledged:)", "", edition, flags=re.S | re.M)
    (new / "edition.yaml").write_text(edition, encoding="utf-8")
    second = run_build("--lang", "en", "--data", str(project / "data"), "--out", out)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "2016-2017 (frozen, unchanged): copied" in second.stdout

    assert hashes(os.path.join(out, "2016-2017")) == before
    assert hashes(str(project / "frozen" / "2016-2017")) == stored
    assert 'url=../2022-2023/index.html' in open(os.path.join(out, "latest", "index.html")).read()


def test_changing_a_frozen_edition_stops_unless_republished(tmp_path):
    project = frozen_project(tmp_path)
    out = str(tmp_path / "site")
    assert run_build("--lang", "en", "--data", str(project / "data"), "--out", out).returncode == 0
    before = hashes(out)
    results = project / "data" / "2016-2017" / "results.yaml"
    text = results.read_text(encoding="utf-8")
    code, score = re.search(r'code: "?(\w+)"?, score: (\d+)', text).groups()
    results.write_text(text.replace(f"score: {score}", f"score: {int(score) - 1}", 1), encoding="utf-8")
    # Its indicator scores, which add up to its total, lose the point too (on its first item).
    scores = project / "data" / "2016-2017" / "indicator-scores.yaml"
    line = next(line for line in scores.read_text(encoding="utf-8").splitlines() if line.startswith(f'  "{code}": '))
    first = line.split(": ")[1].split()[0]
    scores.write_text(scores.read_text(encoding="utf-8").replace(
        line, line.replace(f": {first} ", f": {float(first) - 1:g} ", 1)), encoding="utf-8")

    stopped = run_build("--lang", "en", "--data", str(project / "data"), "--out", out)
    assert stopped.returncode == 1
    assert "error [frozen] edition 2016-2017 is frozen, and its data or narrative changed so that this build would change" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert hashes(out) == before

    no_bump = run_build("--lang", "en", "--data", str(project / "data"), "--out", out, "--republish", "2016-2017")
    assert no_bump.returncode == 1 and "needs a higher version than the published 1: use python build.py correct 2016-2017" in no_bump.stderr

    edition = project / "data" / "2016-2017" / "edition.yaml"
    edition.write_text(edition.read_text(encoding="utf-8") + "version: 2\ncorrections:\n"
                       "  - {date: 2024-05-01, text: 更正某联盟的评分。}\n", encoding="utf-8")
    done = run_build("--lang", "en", "--data", str(project / "data"), "--out", out, "--republish", "2016-2017")
    assert done.returncode == 0, done.stdout + done.stderr
    index = soup(os.path.join(out, "2016-2017", "index.html")).get_text(" ", strip=True)
    assert "第 2 版" in index and "更正（2024-05-01）" in index and "更正某联盟的评分。" in index
    assert '"version": 2' in (project / "frozen" / "2016-2017" / "MANIFEST.json").read_text()
