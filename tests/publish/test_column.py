"""A column the ministry could put its name on: the settings of `extra.gov` that give the column its
look (the sponsor's name, emblem, home link, icon, 联系我们, 找错, the 党政机关网站标识) each
appear on every kind of page once set, escaped, and are left out while unset; a file a setting
names must exist; every page has its 当前位置 breadcrumb, every report page its line under the
title; the site map lists every page of each edition's outline."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

EDITION = "2020-2021"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
"""A 1x1 PNG image."""
NAME = '国家<b>示例</b>部 & "引号"'
"""The sponsor's name in the header: markup in it must stay text."""
COLUMN = {"header_name": NAME, "home_url": "https://www.example.gov.cn/?a=1&b=2", "emblem": "art/emblem.png",
          "favicon": "art/favicon.png", "contact_url": "https://www.example.gov.cn/contact.html",
          "error_url": "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?a=1&b=2",
          "dzjg_logo": "art/dzjg.png", "dzjg_url": "https://bszs.conac.cn/sitename?method=show&id=1"}
"""Every setting of the column's look, filled in."""
PAGES = ("index.html", "accessibility.html", "site-map.html", f"{EDITION}/index.html", f"{EDITION}/overall.html",
         f"{EDITION}/ranking.html", f"{EDITION}/alliances/110.html", f"{EDITION}/search.html")
"""Every kind of page that carries the column's header and footer (the 404 page is checked apart)."""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def column_site(tmp_path_factory) -> Path:
    """The default site built with every setting of the column's look filled in."""
    root = tmp_path_factory.mktemp("column")
    (root / "art").mkdir()
    for name in ("emblem", "favicon", "dzjg"):
        (root / "art" / f"{name}.png").write_bytes(PNG)
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["extra"]["gov"].update(COLUMN)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    run = run_build("--config", str(root / "mkdocs.yml"), "--out", str(root / "site"))
    assert run.returncode == 0, run.stdout + run.stderr
    return root / "site"


def up(rel: str) -> str:
    """The way from the page `rel` to the archive root."""
    return "../" * rel.count("/")


@pytest.mark.parametrize("rel", PAGES)
def test_each_setting_of_the_column_appears_on_every_kind_of_page(column_site, rel):
    page = soup(column_site / rel)
    emblem = page.select_one("header a.column-emblem")
    assert emblem["href"] == COLUMN["home_url"]
    assert emblem.img["src"] == up(rel) + "assets/images/emblem.png" and emblem.img["alt"] == NAME
    assert page.select_one("header .column-title__sponsor").get_text() == NAME, "the name stays text"
    assert not page.select("header b")
    assert page.select_one("link[rel=icon]")["href"] == up(rel) + "assets/images/favicon.png"
    crumbs = page.select(".column-breadcrumb li")
    assert crumbs[0].a["href"] == COLUMN["home_url"] and crumbs[0].get_text() == NAME
    footer = page.select_one(".gov-footer")
    links = {a.get_text(): a["href"] for a in footer.select("a")}
    assert links["联系我们"] == COLUMN["contact_url"] and links["找错"] == COLUMN["error_url"]
    assert links["网站地图"] == up(rel) + "site-map.html"
    logo = footer.select_one("img[alt=党政机关网站标识]")
    assert logo["src"] == up(rel) + "assets/images/dzjg.png"
    assert logo.find_parent("a")["href"] == COLUMN["dzjg_url"], "a plain link, no remote script"
    assert not page.select("script[src^=http]")


def test_the_files_the_settings_name_are_published_at_the_root(column_site):
    for name in ("emblem", "favicon", "dzjg"):
        assert (column_site / "assets" / "images" / f"{name}.png").read_bytes() == PNG
    assert (column_site / "assets" / "images" / "emblem.svg").is_file(), "kept for pages stored before"


def test_the_404_page_carries_the_settings_inline(column_site):
    page = soup(column_site / "404.html")
    inline = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert page.select_one("header img")["src"] == inline
    assert page.select_one("link[rel=icon]")["href"] == inline
    footer = page.select_one("footer")
    links = {a.get_text(): a["href"] for a in footer.select("a")}
    assert links["联系我们"] == COLUMN["contact_url"] and links["找错"] == COLUMN["error_url"]
    assert "网站地图" in links and "无障碍与适老化说明" in links
    logo = footer.select_one("img[alt=党政机关网站标识]")
    assert logo["src"] == inline and logo.find_parent("a")["href"] == COLUMN["dzjg_url"]
    assert page.select_one(".nf-sponsor").get_text() == NAME


@pytest.mark.parametrize("rel", PAGES + ("404.html",))
def test_unset_settings_are_left_out(built_site, rel):
    page = soup(Path(built_site) / rel)
    text = page.get_text()
    for words in ("联系我们", "找错", "党政机关网站标识"):
        assert words not in text.replace("“找错”", ""), (rel, words)
    assert not page.select(".column-title__sponsor, .nf-sponsor, img[alt=党政机关网站标识]")
    emblem = page.select_one("header img")
    if rel == "404.html":
        assert emblem["src"].startswith("data:image/svg+xml,")
    else:
        assert emblem["src"] == up(rel) + "assets/images/emblem.svg", "the neutral emblem the tool ships"
        assert page.select_one("header a.column-emblem")["href"] == up(rel) + "index.html"
        assert page.select_one("link[rel=icon]")["href"] == up(rel) + "assets/images/emblem.svg"
        assert page.select(".gov-footer a[href$='site-map.html']")
    shipped = (ROOT / "reportsite" / "assets" / "images" / "emblem.svg").read_text(encoding="utf-8")
    assert "national" not in shipped.lower() and "<image" not in shipped, "a neutral drawing"


def test_a_missing_image_file_stops_the_build_naming_the_setting(tmp_path):
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["extra"]["gov"]["dzjg_logo"] = "art/missing.png"
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    run = run_build("--config", str(tmp_path / "mkdocs.yml"), "--out", str(tmp_path / "site"))
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "[settings-file]" in line]
    assert run.returncode != 0 and len(lines) == 1, run.stdout + run.stderr
    assert "art/missing.png" in lines[0] and "extra.gov.dzjg_logo" in lines[0]
    assert not (tmp_path / "site").exists()


# --- 当前位置, the line under a report page's title, the site map ------------------------------------

def test_every_page_has_its_breadcrumb_ending_at_itself(built_site):
    site = Path(built_site)
    pages = [p for p in sorted(site.rglob("*.html")) if p.name != "404.html" and "latest" not in p.parts]
    assert len(pages) > 100
    for path in pages:
        page = soup(path)
        trail = page.select("nav.column-breadcrumb[aria-label=当前位置] li")
        assert trail, path
        here = trail[-1].select_one("[aria-current=page]")
        assert here and here.get_text().strip(), path
        title = page.h1.get_text().strip()
        assert here.get_text().strip() in (title, f"{EDITION} 年度报告", "历年报告"), path
        for link in page.select("nav.column-breadcrumb a"):
            assert (path.parent / link["href"]).resolve().is_file(), (path, link["href"])
    home = soup(site / "index.html").select("nav.column-breadcrumb li")
    assert [li.get_text().strip() for li in home] == ["历年报告"]


def test_every_report_page_has_its_line_under_the_title(built_site):
    pages = sorted((Path(built_site) / EDITION).rglob("*.html"))
    for path in pages:
        page = soup(path)
        if path.name == "404.html":
            continue
        line = page.h1.find_next_sibling()
        assert line and "column-byline" in line["class"], path
        text = line.get_text(" ", strip=True)
        assert "发布时间：2022 年 2 月" in text and "来源：中国产业技术创新战略联盟协同发展网" in text, path
        assert [b.get_text() for b in line.select("button[data-ra=size]")] == ["大", "中", "小"], path
        assert line.select_one("button[data-print]").get_text() == "打印", path


def test_the_site_map_lists_every_page_of_the_outline(built_site):
    site = Path(built_site)
    page = soup(site / "site-map.html")
    hrefs = [a["href"] for a in page.select("article a")]
    assert all((site / h).is_file() for h in hrefs if not h.endswith(".xml")), hrefs
    outline = soup(site / EDITION / "overall.html").select(".md-nav--primary a.md-nav__link[href$='.html']")
    listed = {h.split("/", 1)[1] for h in hrefs if h.startswith(EDITION + "/")}
    assert {a["href"] for a in outline} - {"#"} <= listed | {"./", "index.html"}
    assert {"ranking.html", "errata.html", "appendix-3.html", "overall.html", "tiers.html"} <= listed
    chapter = next(li for li in page.select("article li") if li.find(string=re.compile("^三、"), recursive=False) and li.ul)
    assert [a["href"] for a in chapter.select("ul a")] == [f"{EDITION}/overall.html", f"{EDITION}/tiers.html"], \
        "a chapter the site sets over two pages is one entry holding both, as in the navigation"
    assert "search.html" not in listed and not any(h.startswith(f"{EDITION}/alliances/") for h in hrefs)
