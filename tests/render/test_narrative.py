"""The 2020-2021 narrative: every figure computed, the printed ones compared, the errata pinned.

Renders the real content over the real data in memory (no site build). The errata list is the
finding of this edition: a changed datum or a changed expression shows up here as a diff.
"""

from __future__ import annotations

import os
import re

import pytest

from conftest import ROOT
from reportsite.model.records import Loc
from reportsite.read.check import check_archive
from reportsite.render.pages import edition_pages

CONTENT = ROOT / "content" / "2020-2021"

# (page, printed, computed), each worked by hand.
ERRATA = [
    ("overall.md", "40.69%", "40.70%"),   # 35 / 86 = 40.6977: truncated instead of rounded
    ("overall.md", "11.47%", "11.46%"),   # 18 / 157 = 11.4650: rounded up
    ("tiers.md", "40.91%", "45.00%"),     # 9 / 20 pilot 较高; printed 9 / 22 (all 较高)
    ("tiers.md", "9.09%", "10.00%"),      # 2 / 20; printed 2 / 22
    ("tiers.md", "17.31%", "45.00%"),     # 9 / 20; printed 9 / 52 (batch 1's size)
    ("tiers.md", "44.45%", "44.44%"),     # 4 / 9 = 44.4444: rounded up
]


@pytest.fixture(scope="module")
def archive_edition():
    archive, problems = check_archive(str(ROOT / "data"))
    assert archive is not None, [p.render() for p in problems]
    return archive, archive.edition("2020-2021")


@pytest.fixture(scope="module")
def pages(archive_edition):
    archive, edition = archive_edition
    return edition_pages(archive, edition, str(CONTENT))


def narrative(pages) -> dict[str, str]:
    """Rendered Markdown of the content pages, by page name."""
    return {p.name: p.markdown for p in pages.pages if p.section == "报告正文"}


def test_content_files_become_pages_in_order(pages):
    assert list(narrative(pages)) == [
        "preface.md", "methodology.md", "overall.md", "tiers.md", "indicators.md",
        "a-level.md", "summary.md", "not-evaluated.md", "recommendations.md",
    ]
    titles = [p.title for p in pages.pages if p.section == "报告正文"]
    assert titles[0] == "一、前言"
    assert titles[-1] == "八、对联盟主管和业务部门的政策建议"


def test_errata_are_exactly_the_printed_figures_the_data_contradicts(pages):
    assert [(e.page, e.printed, e.computed) for e in pages.errata] == ERRATA
    assert [e.number for e in pages.errata] == list(range(1, len(ERRATA) + 1))


def test_each_erratum_is_marked_where_it_occurs(pages):
    text = narrative(pages)
    for e in pages.errata:
        marks = (f'id="erratum-{e.number}" data-computed="{e.computed}" data-printed="{e.printed}">'
                 f'［勘误：原报告印作 {e.printed}；')
        assert marks in text[e.page]
        assert f'{e.computed}<span class="erratum" id="erratum-{e.number}"' in text[e.page]


def test_wrong_denominator_is_explained(pages):
    reasons = {e.printed: e.reason for e in pages.errata}
    assert "9 ÷ 20" in reasons["40.91%"] and "（22）为分母" in reasons["40.91%"]
    assert "（52）为分母" in reasons["17.31%"]


@pytest.mark.parametrize("page, figure", [
    ("preface.md", "开展创新项目 1804 项，投入经费总额 1545 亿元"),
    ("preface.md", "三批共 146 家联盟"),
    ("methodology.md", "评价指标包括 3 个一级指标，20 个二级指标"),
    ("methodology.md", "共 34 位组成"),
    ("methodology.md", "合计 157 家"),
    ("methodology.md", "科技部三批试点联盟 146 家"),
    ("methodology.md", "活跃度划分为四个等级"),
    ("methodology.md", "活跃度高（85分~100分）、活跃度较高（70分~84分）、活跃度一般（50分~69分）、不活跃（49分以下）"),
    ("overall.md", "活跃度高和较高的联盟有 57 家，达到参评联盟总数的 66.28%，占联盟总数的 36.31%"),
    ("overall.md", "参评联盟 7 家"),
    ("tiers.md", "联盟活跃度高有 35 家联盟，占参评联盟的 40.70%"),
    ("tiers.md", "第一批试点联盟有 2 家（半导体照明产业技术创新战略联盟、化纤产业技术创新战略联盟）"),
    ("tiers.md", "占活跃度高试点联盟 15.63%"),
    ("tiers.md", "占第一批 52 个试点联盟总数的 17.31%"),
    ("tiers.md", "活跃度一般联盟中，无协发网网员联盟。"),
    ("a-level.md", "第一批试点联盟有 14 家、第二批试点联盟 4 家、第三批试点联盟 5 家、协发网联盟 1 家"),
    ("not-evaluated.md", "共 50 家联盟没有按照"),
])
def test_correct_figures_appear_as_printed(pages, page, figure):
    text = re.sub(r"<[^>]+>", "", narrative(pages)[page])  # alliance names are links
    assert figure in text


def test_charts_are_placed_in_figure_order(pages):
    placed = [c for p in pages.pages if p.section == "报告正文" for c in p.charts]
    assert placed == [f"fig-{i}" for i in range(1, 12)]


def test_no_template_syntax_survives(pages):
    for name, text in narrative(pages).items():
        assert "{{" not in text and "{%" not in text and "{#" not in text, name


def test_content_types_no_percentage():
    """Shares are always computed: a typed `12.34%` outside an expression is a slip."""
    outside = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
    for path in sorted(CONTENT.glob("*.md")):
        text = outside.sub("", path.read_text(encoding="utf-8"))
        assert not re.search(r"\d%", text), path.name


def test_unknown_name_fails_with_file_and_line(archive_edition, tmp_path):
    archive, edition = archive_edition
    bad = tmp_path / "01-bad.md"
    bad.write_text("# 标题\n\n活跃度 {{ tierz }}\n", encoding="utf-8")
    problems = edition_pages(archive, edition, str(tmp_path)).problems
    assert [(p.slug, p.loc) for p in problems] == [("content-undefined", Loc(os.path.relpath(bad), 3, 8))]
    line = problems[0].render(lang="en")
    assert "\n" not in line
    assert line == f"{os.path.relpath(bad)}:3:8: error [content-undefined] 'tierz' is undefined; did you mean tiers?"
