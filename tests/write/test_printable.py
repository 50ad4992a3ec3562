"""The PDF's source, without the engine: built pages rewritten as parts of one document."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bs4 import BeautifulSoup
from conftest import EDITION, ROOT

from reportsite.model.records import Correction
from reportsite.write import printable

PAGE = """<html><body><div class="md-content">
<article class="md-content__inner md-typeset">
<nav class="column-breadcrumb" aria-label="当前位置"><ol><li><a href="../index.html">历年报告</a></li></ol></nav>
<h1 id="_1">三、分析</h1>
<div class="column-byline"><span>发布时间：2022 年 2 月</span><span>第 1 版 · <a class="pdf-link" href="x.pdf">PDF</a></span>
<details class="edition-switch"><summary>切换年度</summary><ul><li>2019</li></ul></details></div>
<h2 id="1">1. 总体</h2>
<p>见<a href="#fig-1">图 1</a>、<a href="errata.html#erratum-1">勘误</a>、<a href="appendix-3.html">附件 3</a>、
<a class="alliance" href="alliances/110.html">半导体照明</a>与<a href="https://example.org/">外站</a>。&lt;b&gt;</p>
<script>alert(1)</script><button type="button">交互图表</button>
<figure class="chart" id="fig-1"><figcaption><p class="chart-caption">图 1 标题</p></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" aria-describedby="fig-1-desc" font-family="sans-serif">
<title>图 1 标题</title><desc>图 1 的描述。</desc>
<text x="0" y="-20">图 1 标题</text><text x="0" y="8">活跃度高</text><rect x="0" y="0" width="5" height="5"/></svg>
<p class="chart-sr" id="fig-1-desc">图 1 的描述。</p>
<div class="chart-actions"><button>下载 PNG</button></div></figure>
</article></div></body></html>
"""


def test_a_page_becomes_a_part_of_the_document():
    part = printable.section(PAGE, "overall", {"overall", "errata", "appendix-3"}, depth=2)
    assert part.headings == ((1, "overall--_1", "三、分析"), (2, "overall--1", "1. 总体"))
    soup = BeautifulSoup(part.body, "html.parser")
    assert [a.get("href") for a in soup.find_all("a")] == [
        "#overall--fig-1", "#errata--erratum-1", "#appendix-3", None, None]
    assert soup.find("figure")["id"] == "overall--fig-1"
    for gone in ("script", "button", "details", ".column-breadcrumb", ".column-byline", ".chart-sr", ".chart-actions",
                 ".pdf-link"):
        assert not soup.select(gone), gone
    svg = soup.find("svg")
    assert svg["font-family"] == printable.FAMILY
    assert svg.find("title").get_text() == "图 1 的描述。", "the description is the figure's alternative text"
    assert [t.get_text() for t in svg.find_all("text")] == ["活跃度高"], "the heading drawn above the frame is left out"
    assert "&lt;b&gt;" in part.body and "<b>" not in part.body
    assert printable.section(PAGE, "overall", {"overall"}, depth=1).headings == (
        (1, "overall--_1", "三、分析"),)


def test_the_document_has_cover_contents_and_corrections_escaped():
    from reportsite.read.check import check_archive

    edition = check_archive(str(ROOT / "data"))[0].edition(EDITION)
    edition = dataclasses.replace(edition, title="报告<script>alert(1)</script>", version=2, corrections=(
        Correction(dt.date(2022, 3, 5), "更正附件 3 中一家联盟的名称 <i>"),))
    part = printable.Section("preface", "<h1 id=\"preface--_1\">一、前言</h1>", ((1, "preface--_1", "一、前言"),))
    soup = BeautifulSoup(printable.document(edition, [part]), "html.parser")
    assert soup.html["lang"] == "zh-CN"
    assert soup.title.get_text() == "报告<script>alert(1)</script>" and not soup.select("body script")
    assert soup.select_one(".cover-month").get_text() == "2022 年 2 月"
    assert [a["href"] for a in soup.select(".contents a")] == ["#preface--_1", "#colophon-title"]
    assert soup.select_one('meta[name="dcterms.created"]')["content"] == "2022-02-01T00:00:00Z"
    corrections = soup.select(".colophon li")
    assert [li.get_text() for li in corrections] == ["2022 年 3 月 5 日：更正附件 3 中一家联盟的名称 <i>"]
    assert "第 2 版" in soup.select_one(".colophon p").get_text()
