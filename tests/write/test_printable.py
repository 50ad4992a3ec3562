"""The PDF's source, without the engine: built pages rewritten as parts of one document."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from bs4 import BeautifulSoup
from conftest import EDITION, ROOT

from reportsite.model.records import Correction
from reportsite.write import printable, record
from reportsite.write.tree import parse, serialize

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
    assert soup.select_one('meta[name="dcterms.created"]')["content"] == "2022-02-01T00:00:00+08:00"
    corrections = soup.select(".colophon li")
    assert [li.get_text() for li in corrections] == ["2022 年 3 月 5 日：更正附件 3 中一家联盟的名称 <i>"]
    assert "第 2 版" in soup.select_one(".colophon").get_text()
    assert "以下内容由本网站所加，不属于原报告" in soup.select_one(".colophon").get_text()


# --- The text of record (write/record.py) -------------------------------------------------------


def test_the_printed_figure_stands_and_the_note_gives_the_computed_one():
    root = parse('<p>占参评联盟的 40.70%<span class="erratum" id="overall--erratum-1" data-computed="40.70%" '
                 'data-printed="40.69%">［勘误：原报告印作 40.69%；<a href="#errata--erratum-1">说明</a>］</span>、</p>')
    record.errata_as_printed(root)
    assert root.text() == "占参评联盟的 40.69%［按数据计算为 40.70%，见勘误与说明］、"
    assert 'href="#errata--erratum-1"' in serialize(root)


def test_web_only_text_goes_or_gives_its_print_wording():
    root = parse('<p>甲，<span class="web-only">名次与位次，</span>乙<span class="web-only" data-print="丙">丁</span>。</p>')
    record.web_only(root)
    assert root.text() == "甲，乙丙。"


@pytest.mark.parametrize("markup", [
    '<span class="site-note">［本网站注：…］</span>',
    '<div class="admonition note site-note"><p class="admonition-title">本网站说明：关于二级指标</p></div>',
    '<div class="admonition note"><p class="admonition-title">本网站说明：50 家</p></div>',
    '<span>［本网站注：图表按附件名单计为 51 家］</span>',
])
def test_every_form_of_the_site_s_note_is_one(markup):
    assert record.is_site_note(parse(markup).element_children()[0])


def test_a_note_of_the_report_is_not_the_site_s():
    root = parse('<div class="admonition note"><p class="admonition-title">关于二级指标</p></div><p>正文</p>')
    assert not any(record.is_site_note(n) for n in root.elements())


def test_a_figure_s_caption_goes_below_and_its_table_to_the_site_s_appendix():
    root = parse('<figure class="chart" id="x--fig-1"><figcaption><p class="chart-caption"><span class="chart-number">'
                 '图 1</span>标题</p><p class="chart-headline">网站的话</p></figcaption><div class="chart-plot"><svg>'
                 '</svg></div><details class="chart-data"><summary>数据表</summary><table><caption>图 1　标题：数据表'
                 '</caption><tr><td>35</td></tr></table></details></figure>')
    supplement = record.Supplement()
    record.figures_of_record(root, supplement)
    figure = root.element_children()[0]
    assert [c.tag for c in figure.element_children()] == ["div", "figcaption"]
    assert figure.element_children()[1].text() == "图 1标题（本网站制图，数据见附表 1）"
    assert "网站的话" not in root.text() and "数据表" not in root.text()
    (table,) = supplement.tables
    assert table.find(lambda n: n.tag == "caption").text() == "附表 1　图 1　标题的数据"
    assert "网站的话" in table.text()


def test_a_site_note_holding_a_list_moves_and_leaves_a_pointer():
    root = parse('<p>前</p><div class="admonition note site-note"><p class="admonition-title">本网站说明：本网站整理的'
                 '二级指标</p><p>说明</p><ol><li>甲</li></ol></div><div class="admonition note site-note">'
                 '<p class="admonition-title">本网站说明：别的</p><p>留在原处</p></div>')
    supplement = record.Supplement()
    record.site_material(root, supplement)
    assert "［本网站注：本网站整理的二级指标见文末“附：本网站补充材料”］" in root.text()
    assert "留在原处" in root.text() and "甲" not in root.text()
    part = serialize(record.supplement_part(supplement))
    assert "一、本网站整理的二级指标" in part and "<li>甲</li>" in part and "不属于原报告" in part


def test_an_appendix_heading_is_set_as_printed_and_numbers_are_right_aligned():
    root = parse('<h1 id="a--_1">附件 3：2020-2021 年度评分表</h1><table><tr><td>甲联盟</td><td>98</td>'
                 '<td>40.70%</td><td>D106</td></tr></table><p>情况如下：</p>')
    assert record.annex_heading(root) == "附件3　2020-2021 年度评分表"
    record.numeric_cells(root)
    record.lead_ins(root)
    cells = [n for n in root.elements() if n.tag == "td"]
    assert ["num" in c.classes for c in cells] == [False, True, True, False]
    column = parse("<table><tr><td>102</td></tr><tr><td>104</td></tr><tr><td>D106</td></tr></table>")
    record.numeric_cells(column)
    assert all("num" in n.classes for n in column.elements() if n.tag == "td"), "a code among numbers too"
    assert root.find(lambda n: n.tag == "p").classes == {"lead-in"}
    assert serialize(root).startswith('<h1 id="a--_1" class="annex" data-label="附件3　2020-2021 年度评分表">'
                                      '<span class="annex-number">附件3</span>')


def test_a_page_continuing_a_chapter_joins_it(tmp_path):
    first = PAGE
    second = PAGE.replace("三、分析", "三、分析：各档次").replace('id="1"', 'id="6"').replace("1. 总体", "6. 高")
    sections, _ = printable.parts_of_record(None, [("overall", 2, first), ("tiers", 2, second)], str(tmp_path))
    assert [h[2] for h in sections[0].headings] == ["三、分析", "1. 总体"]
    assert [h[2] for h in sections[1].headings] == ["6. 高"], "no second chapter 三"
    assert "<h1" not in sections[1].body


def test_the_cover_title_breaks_after_the_alliances():
    assert printable.cover_lines("2020-2021 年度产业技术创新战略联盟活跃度评价报告") == [
        "2020-2021 年度产业技术创新战略联盟", "活跃度评价报告"]
    assert printable.cover_lines("年度报告") == ["年度报告"]


def test_a_list_between_an_inline_note_and_a_titled_one_moves_as_one():
    """The form `site_note` writes (issue "The secretariat's year"): the inline note that
    introduces the list, the list, the titled note that explains it."""
    root = parse('<p>前文</p><p><span class="site-note">［本网站注：以下指标体系是依据原报告的文字整理的］</span></p>'
                 '<ol><li>联盟组织机构建设与运行<ul><li>理事会会议</li></ul></li></ol>'
                 '<div class="admonition note site-note"><p class="admonition-title">本网站说明：关于二级指标</p>'
                 '<p>原报告只列出 3 个一级指标。</p></div><h2>3. 下一节</h2>')
    supplement = record.Supplement()
    record.site_material(root, supplement)
    assert root.text() == "前文［本网站注：关于二级指标见文末“附：本网站补充材料”］3. 下一节"
    part = record.supplement_part(supplement).text()
    assert "一、关于二级指标" in part and "以下指标体系是依据原报告的文字整理的" in part
    assert "理事会会议" in part and "原报告只列出 3 个一级指标。" in part
