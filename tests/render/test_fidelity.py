"""Fidelity of the 2020-2021 edition to its printed report, read from the built pages: what the site
adds is marked as the site's, what it quotes is as printed, and no reason is guessed."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from reportsite.read.check import check_archive

EDITION = "2020-2021"


def html_of(site: str, page: str) -> BeautifulSoup:
    with open(os.path.join(site, EDITION, page), encoding="utf-8") as f:
        return BeautifulSoup(f.read(), "html.parser")


def article(site: str, page: str) -> str:
    """The text of a page's article, without the charts' drawings."""
    soup = html_of(site, page)
    for svg in soup.select("article svg"):
        svg.decompose()
    return soup.select_one("article").get_text()


def test_seven_s_fifty_is_marked_and_the_charts_count_is_explained(built_site):
    text = article(built_site, "not-evaluated.html")
    assert "共 50 家联盟没有按照" in text
    note = html_of(built_site, "not-evaluated.html").select_one("span.site-note").get_text()
    assert note == "［本网站注：图表按附件名单计为 51 家，见本页末的说明］"
    block = html_of(built_site, "not-evaluated.html").select_one("div.admonition.site-note")
    assert block.select_one(".admonition-title").get_text() == "本网站说明：50 家与图表中的“未填报”"
    admonition = block.get_text()
    assert "157 − 107" in admonition and "157 − 86 − 20" in admonition and "合计 51 家" in admonition
    notes = [li.get_text() for li in html_of(built_site, "errata.html").select("article li")]
    shortfall = next(n for n in notes if n.startswith("原报告称 107 家联盟录入信息"))
    assert "未填报”按附件名单计算，合计 51 家" in shortfall


def test_no_erratum_gives_a_reason_the_numbers_do_not_show(built_site):
    rows = {tr.select("td")[2].get_text(): tr.select("td")[4].get_text()
            for tr in html_of(built_site, "errata.html").select("table.errata tbody tr")}
    assert rows["11.47%"] == "按数据计算 18 ÷ 157 = 11.46%（四舍五入保留两位小数）；原报告印作 11.47%，系进位取值。"
    assert not any("可能" in reason or "合计 100%" in reason for reason in rows.values())


def test_the_errata_page_says_which_numbers_are_computed_and_which_quoted(built_site):
    text = article(built_site, "errata.html")
    assert "每一个数字都由评价数据计算得出" not in text
    computed, quoted = text.split("引自原报告的")[:2]
    assert "由数据计算得出的" in computed and "名次" in computed
    for figure in ("录入信息的联盟数（107 家）", "第一批试点联盟 52 家", "合计 1804 项、1545 亿元由引用的分项相加得出",
                   "按原报告照录"):
        assert figure in quoted


def test_appendix_4_closes_with_the_printed_note_on_codes(built_site):
    """As printed, with a lower-case d (as in appendix 3's note)."""
    paragraphs = [p.get_text() for p in html_of(built_site, "appendix-4.html").select("article p")]
    assert paragraphs[-1] == ("备注： 三位数字中的第一位数字代表该联盟被批准成为科技部试点联盟的批次；第二、三位数字代表"
                              "该联盟在被批准文件中排列的顺序；d 字母开头的是协发网网员联盟。")


def test_appendix_3_quotes_its_note_as_printed_and_marks_its_headings_as_the_site_s(built_site):
    soup = html_of(built_site, "appendix-3.html")
    note = next(p.get_text() for p in soup.select("article p") if p.get_text().startswith("备注"))
    assert note.endswith("；d 字母开头的是协发网网员联盟。")
    marked = soup.select_one("article .admonition").get_text()
    assert "各档次的标题（档次名称与联盟数）由本网站按统一格式写出，不是原报告的原文" in marked


@pytest.fixture(scope="module")
def unscored() -> list[str]:
    archive, _ = check_archive(str(ROOT / "data"))
    codes = [r.code for r in archive.edition(EDITION).evaluated if r.score is None]
    assert len(codes) == 11
    return codes


def test_an_alliance_without_a_score_has_no_placing(built_site, unscored):
    for code in unscored:
        table = html_of(built_site, f"alliances/{code}.html").select_one("table.standing")
        rows = {tr.th.get_text(): tr.td.get_text() for tr in table.select("tr")}
        assert rows["名次"] == "原报告未公布分数，无名次", code
        assert "位次" not in rows and "0.00%" not in table.get_text(), code
    scored = html_of(built_site, "alliances/110.html").select_one("table.standing").get_text()
    assert "高于 " in scored


def test_the_indicator_list_of_two_two_is_labelled_the_site_s(built_site):
    """The list stands inside one site note, which says it is the site's before it begins."""
    text = article(built_site, "methodology.html")
    assert "本次评价的指标体系如下" not in text
    note = html_of(built_site, "methodology.html").select_one("article .site-note")
    assert note.select_one(".admonition-title").get_text() == "本网站说明：本网站整理的二级指标"
    assert "不是原报告的原文" in note.select("p")[1].get_text()
    assert len(note.select("ol > li > ul > li")) == 20


@pytest.mark.parametrize("code, says", [
    ("110", "（编号第一位 1 代表被批准成为试点联盟的批次，第二、三位 10 代表在批准文件中排列的顺序，见附件 3 备注）"),
    ("D106", "（编号以 D 开头的是协发网网员联盟，见附件 3 备注）"),
])
def test_an_alliance_page_reads_its_code_as_appendix_3_s_note_does(built_site, code, says):
    facts = html_of(built_site, f"alliances/{code}.html").select_one("dl.alliance-facts")
    assert says in facts.get_text()
    assert "顺序号" not in facts.get_text()
    assert facts.select_one("a")["href"] == "../appendix-3.html"


def test_score_ranges_one_way_in_the_site_s_text_and_as_printed_in_the_report_s(built_site):
    ranges = [td.get_text() for td in html_of(built_site, "index.html").select("table.tier-summary tbody td:nth-of-type(1)")]
    assert ranges == ["85–100 分", "70–84 分", "50–69 分", "0–49 分"]
    assert "（85分~100分）" in article(built_site, "methodology.html")
    # The report's paragraphs keep its wording; the charts' captions are the site's own.
    prose = " ".join(p.get_text() for p in html_of(built_site, "tiers.html").select("article > p"))
    assert "（85 分——100 分）" in prose and "85–100" not in prose
    caption = html_of(built_site, "tiers.html").select_one("article figure").get_text()
    assert "（85–100 分）" in caption
