"""The site-search index: what it holds, that it is inert in a page, stable, and small enough."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import markdown
import pytest

from conftest import ROOT
from reportsite.read.check import check_archive
from reportsite.render import search
from reportsite.render.pages import Page, Pages, edition_pages

EVIL = "<script>alert(1)</script>"


def alliance_page(code: str, name: str, extra: str = "", alias: str = "") -> Page:
    """An alliance page shaped like `templates/pages/alliance.html.j2` renders it (data escaped)."""
    esc = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    other = f"<dt>又称</dt><dd>{alias}</dd>\n" if alias else ""
    return Page(f"alliances/{code}.md", esc, "", in_nav=False, html=f"""\
<h1 id="title">{esc}</h1>
<dl class="alliance-facts">
<dt>联盟编号</dt><dd>{code}</dd>
<dt>所属</dt><dd>第一批试点联盟</dd>
{other}</dl>
<h2 id="result">2020-2021 年度评价结果</h2>
<table class="data standing">
<tbody>
<tr><th scope="row">活跃度档次</th><td class="tier-0">活跃度高</td></tr>
<tr><th scope="row">评分</th><td>98</td></tr>
</tbody>
</table>
<p><a href="../ranking.html?q={code}">在排名表中查看</a></p>
<h2 id="history">历年情况</h2>
<div class="alliance-history" data-history="{code}" data-edition="2020-2021">
<p class="history-static">2020-2021 年度：活跃度高，98 分。其他年度的情况见<a href="../../index.html">历年报告</a>。</p>
</div>
{extra}""")


PAGES = Pages((
    Page("index.md", "2020-2021 年度产业技术创新战略联盟活跃度评价报告", """\
# 2020-2021 年度产业技术创新战略联盟活跃度评价报告

## 报告目录

- [一、前言](preface.md)
- [附件 3：评分表](appendix-3.md)
"""),
    Page("appendix-3.md", "附件 3：评分表", """\
# 附件 3：评分表

<table class="data scores">
<tr><td>1</td><td><a class="alliance" href="alliances/110.html">半导体照明产业技术创新战略联盟</a></td><td>110</td></tr>
<tr><td>6</td><td><a class="alliance" href="alliances/125.html">太阳能光热产业技术创新战略联盟</a></td><td>125</td></tr>
<tr><td>8</td><td><a class="alliance" href="alliances/D106.html">第三代半导体产业技术创新战略联盟</a></td><td>D106</td></tr>
</table>
"""),
    alliance_page("110", "半导体照明产业技术创新战略联盟", alias="国家半导体照明工程研发及产业联盟"),
    alliance_page("125", "太阳能光热产业技术创新战略联盟",
                  '<h2 id="experts">评价专家组中来自该联盟的专家</h2>\n'
                  "<ul>\n<li>杜凤丽（专家组成员）：太阳能光热产业技术创新战略联盟秘书长</li>\n</ul>\n"),
    alliance_page("D106", "第三代半导体产业技术创新战略联盟"),
    alliance_page("999", EVIL),
    Page("search.md", "搜索", "# 搜索\n\n<form role=\"search\"></form>\n"),
), ())


def parse(script: str) -> dict:
    """The data a `search-index.js` assigns."""
    prefix = f"window.{search.GLOBAL}="
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])


def found(index: dict, query: str) -> list[str]:
    """Urls of the pages containing `query`, as the browser's first pass finds them: a substring of
    the title, a heading or the text (case-folded), every word of the query."""
    terms = query.lower().split()
    out = []
    for url, title, key, sections in index["pages"]:
        text = " ".join([title, key, *(h + " " + x for _, h, x in sections)]).lower()
        if all(t in text for t in terms):
            out.append(url)
    return out


def test_any_part_of_a_chinese_name_and_any_code_is_found():
    # An alliance is found on its own page (its name, code and other names); the tables that list
    # it are left out of the index, so a snippet is never a run of table cells.
    index = search.index_data(PAGES)
    assert found(index, "半导体") == ["alliances/110.html", "alliances/D106.html"]
    assert found(index, "光热") == ["alliances/125.html"]
    assert found(index, "工程研发") == ["alliances/110.html"], "by another name"
    assert found(index, "创新战略联盟")[:2] == ["index.html", "alliances/110.html"]
    assert found(index, "d106") == ["alliances/D106.html"]


def test_each_page_gives_its_url_title_code_and_sections():
    pages = {p[0]: p for p in search.index_data(PAGES)["pages"]}
    url, title, key, sections = pages["alliances/125.html"]
    assert (title, key) == ("太阳能光热产业技术创新战略联盟", "125")
    # An alliance page is one sentence: its standing in the edition, then any other names.
    assert sections == [["", "", "2020-2021 年度：活跃度高，98 分。"]]
    assert pages["alliances/110.html"][3] == [["", "", "2020-2021 年度：活跃度高，98 分。又称：国家半导体照明工程研发及产业联盟。"]]
    # A section is named by the anchor the built page gives its heading (anchors.py): h2, the second.
    assert pages["index.html"][2] == "" and pages["index.html"][3][0][:2] == ["h2", "报告目录"]
    assert pages["appendix-3.html"][3] == [], "a table only: nothing indexed"


def test_the_search_page_is_not_indexed():
    assert "search.html" not in [p[0] for p in search.index_data(PAGES)["pages"]]


@pytest.mark.parametrize("source, expected", [
    ("**粗体**与*斜体*、`代码`", "粗体与斜体、代码"),
    ("[附件 1](appendix-1.md)与![图](a.png)", "附件 1与图"),
    ('<a class="alliance" href="x.html">半导体</a>照明', "半导体照明"),
    ("<tr><td>1</td><td>化纤</td></tr>", "1 化纤"),
    ("1. 第一条\n2. 第二条\n- 一项", "第一条 第二条 一项"),
    ("| 名称 | 编号 |\n|---|---|\n| 化纤 | 118 |", "名称 编号 化纤 118"),
    ("段落 {: .lead }\n\n> 引文", "段落 引文"),
    ('!!! note "注意"\n    正文', "注意 正文"),
    ("&lt;script&gt; &amp; 40.70%", "<script> & 40.70%"),
    ("前<svg><text>坐标轴</text></svg>后<!-- 注释 -->", "前 后"),
])
def test_plain_text_is_what_a_reader_sees(source, expected):
    assert search.plain_text(source) == expected


def test_anchors_are_the_ids_mkdocs_gives_the_headings():
    text = """\
# 标题

## 1. 总体情况

## 评价结果

## 评价结果

## 2020-2021 年度评价结果

## 自定 {#custom}

### 第三层
"""
    html = markdown.markdown(text, extensions=["toc", "attr_list", "md_in_html", "tables", "admonition"])
    ids = re.findall(r'<h[1-6] id="([^"]+)"', html)
    assert [a for a, _, _ in search.sections(text)] == ids[1:]


def test_data_is_inert_in_the_index_script():
    script = search.index_script(PAGES)
    assert not re.search(r"[<>&\u2028\u2029]", script), "no character can end the script or open a tag"
    index = parse(script)
    page = next(p for p in index["pages"] if p[2] == "999")
    assert page[1] == EVIL
    literal = search.script_literal({"x": "a\u2028b</script><!--&"})
    assert literal == '{"x":"a\\u2028b\\u003c/script\\u003e\\u003c!--\\u0026"}'
    assert json.loads(literal) == {"x": "a\u2028b</script><!--&"}


def test_the_index_is_the_same_bytes_every_time():
    first = search.index_script(PAGES)
    assert search.index_script(Pages(tuple(PAGES.pages), ())) == first
    assert first == search.index_script(PAGES)


@pytest.fixture(scope="module")
def default_edition() -> Pages:
    """The 2020-2021 edition of the project's own data and content, rendered in memory."""
    archive, problems = check_archive(str(ROOT / "data"))
    edition = next(e for e in archive.editions if e.id == "2020-2021")
    return edition_pages(archive, edition, str(ROOT / "content" / "2020-2021"))


def test_the_2020_2021_index_is_small(default_edition):
    data = search.index_script(default_edition).encode("utf-8")
    size, packed = len(data), len(gzip.compress(data, 9, mtime=0))
    print(f"2020-2021 search-index.js: {size} bytes, {packed} bytes gzip")
    assert size < 250_000 and packed < 40_000
    index = parse(data.decode("utf-8"))
    assert len(index["pages"]) == len(default_edition.pages) - 1
    assert "alliances/D106.html" in found(index, "D106")
    assert "alliances/125.html" in found(index, "光热")


def test_the_built_index_is_the_rendered_one(built_site, default_edition):
    """Byte-identical across processes (hash seeds differ), and every anchor exists in its page."""
    built = Path(built_site, "2020-2021", search.INDEX_FILE).read_text(encoding="utf-8")
    assert built == search.index_script(default_edition)
    for url, _, _, sections in parse(built)["pages"]:
        html = Path(built_site, "2020-2021", url).read_text(encoding="utf-8")
        for anchor, heading, _ in sections:
            if anchor:
                assert f'id="{anchor}"' in html, f"{url}#{anchor} ({heading}) is not in the page"


def test_search_weighs_little_on_a_text_page(built_site):
    """What every page pays for search on first load: our script and stylesheet, not the index."""
    assets = Path(built_site, "2020-2021", "assets")
    added = [(assets / "js" / "search.js").read_bytes(), (assets / "css" / "search.css").read_bytes()]
    packed = sum(len(gzip.compress(b, 9, mtime=0)) for b in added)
    print(f"search on every page: {sum(map(len, added))} bytes, {packed} bytes gzip")
    assert packed < 8_000
