"""Printed versus authored editions, and stale figures.

A narrative copied from a printed edition into an authored one (no `printed:`): the build stops
with one error per differing `vs`, each at its file and line; no erratum is published. Numbers
and periods of last year typed as text are found by `stale.py`, a pure function over the
rendered pages of both editions."""

from __future__ import annotations

import os
import re

import pytest
from conftest import EDITION, EDITION_YAML, ROOT, run_build

from reportsite.render import stale
from reportsite.render.pages import edition_pages

LATER = "2022-2023"
PRINTED = "printed: {title: 2020-2021 年度产业技术创新战略联盟活跃度评价报告, date: 2022-02}\n"

# The printed edition's narrative; next year, line 3 holds three `vs` that differ, line 5 one.
NARRATIVE = """\
# 一、概况

评价范围内的联盟共 {{ n.in_scope | vs("102") }} 家，参评 {{ n.evaluated | vs("3") }} 家，活跃度高的占 {{ share(count(tier="high"), n.evaluated) | vs("33.33%") }}。

活跃度较高的联盟占联盟总数的 {{ share(count(tier="higher"), n.in_scope) | vs("0.98%") }}，评分最高为 {{ 100 | vs("100") }} 分。
"""
# Next year, the author dropped the `vs` but typed last year's figures and period as text.
TYPED = """\
# 一、概况

评价范围内的联盟共 {{ n.in_scope }} 家（去年为 102 家），活跃度高的占 33.33%，满分 {{ tiers.high.max }} 分，最高为 100 分，共 5 家录入。

评价期为 2020 年 1 月 1 日至 2021 年 9 月 30 日，即 2020-2021 年度；另见 2018-2019 年度。
"""
EXPECTED_VS = [(3, "102"), (3, "3"), (3, "33.33%"), (5, "0.98%")]
"""(line, printed value) of each `vs` of NARRATIVE that differs in the authored 2022-2023."""
LATER_RESULTS = """\
evaluated:
  - {code: "110", score: 100}
  - {code: "104", score: 72}
  - {code: "201", score: 66}
  - {code: "233", tier: inactive}
incomplete: [D106]
"""


def later_edition(project) -> None:
    """An authored 2022-2023: another group size (in scope 103) and four evaluated."""
    text = project.text(EDITION_YAML).split("a_level:")[0]
    text = (text.replace("2020-2021 年度", f"{LATER} 年度").replace("published: 2022-02", "published: 2024-02")
            .replace("start: 2020-01-01, end: 2021-09-30", "start: 2022-01-01, end: 2023-09-30")
            .replace("size: 52", "size: 53"))
    project.write(f"{LATER}/edition.yaml", text)
    project.write(f"{LATER}/results.yaml", LATER_RESULTS)


@pytest.fixture
def two_editions(project):
    """2020-2021 printed with its narrative; 2022-2023 authored, its narrative a copy."""
    project.write(EDITION_YAML, project.text(EDITION_YAML) + PRINTED)
    later_edition(project)
    for edition in (EDITION, LATER):
        folder = project.root / "content" / edition
        folder.mkdir(parents=True)
        (folder / "01-overview.md").write_text(NARRATIVE, encoding="utf-8")
    return project


def column(text: str, line: int, part: str) -> int:
    """The 1-based column of `part` on line `line` of `text`."""
    return text.splitlines()[line - 1].index(part) + 1


def test_a_printed_edition_publishes_its_differing_vs_as_errata(two_editions):
    archive, _ = two_editions.check()
    narrative = two_editions.root / "content" / EDITION / "01-overview.md"
    narrative.write_text(NARRATIVE.replace('vs("102")', 'vs("101")'), encoding="utf-8")
    pages = edition_pages(archive, archive.edition(EDITION), f"content/{EDITION}")
    assert [(e.printed, e.computed) for e in pages.errata] == [("101", "102")]
    assert "［勘误：原报告印作 101；" in pages.pages[1].markdown


def test_a_copied_narrative_stops_an_authored_edition_with_every_differing_vs(two_editions):
    archive, _ = two_editions.check()
    problems = edition_pages(archive, archive.edition(LATER), f"content/{LATER}").problems
    where = [(p.slug, p.loc.path, p.loc.line, p.loc.col) for p in problems]
    path = f"content/{LATER}/01-overview.md"
    assert where == [("vs-differs", path, line, column(NARRATIVE, line, f'vs("{value}")'))
                     for line, value in EXPECTED_VS]
    lines = [p.render(lang="en") for p in problems]
    assert lines[0] == (f"{path}:3:{column(NARRATIVE, 3, 'vs(')}: error [vs-differs] this edition is "
                        "authored here (its edition.yaml has no printed:), and vs gives 102 where the "
                        "data computes 103: correct the figure or drop the vs")
    assert "vs gives 33.33% where the data computes 25.00%" in lines[2]
    assert "vs gives 0.98% where the data computes 0.97%" in lines[3]


@pytest.mark.parametrize("text", [
    '# 概况\n\n高 {{ count(tier="high") | vs("1") }} 家，参评 {{ n.evaluated | vs("1") }} 家。\n',
    '# 概况\n\n高 {{ vs(count(tier="high"), "1") }} 家，参评 {{ vs(n.evaluated, "1") }} 家。\n',
], ids=["filter", "function"])
def test_a_differing_vs_is_placed_among_equal_ones_on_its_line(two_editions, text):
    archive, _ = two_editions.check()
    (two_editions.root / "content" / LATER / "01-overview.md").write_text(text, encoding="utf-8")
    problems = edition_pages(archive, archive.edition(LATER), f"content/{LATER}").problems
    assert [(p.loc.line, p.loc.col) for p in problems] == [(3, text.splitlines()[2].rindex("vs(") + 1)]


@pytest.mark.parametrize("printed", [True, False], ids=["printed", "authored"])
def test_a_vs_of_constants_runs_each_time_its_page_renders(two_editions, printed):
    archive, _ = two_editions.check()
    edition = archive.edition(EDITION if printed else LATER)
    (two_editions.root / "content" / edition.id / "01-overview.md").write_text(
        '# 概况\n\n最高 {{ 100 | vs("99") }} 分。\n', encoding="utf-8")
    for _ in range(2):
        if printed:
            assert [e.printed for e in edition_pages(archive, edition, f"content/{edition.id}").errata] == ["99"]
        else:
            problems = edition_pages(archive, edition, f"content/{edition.id}").problems
            assert [(p.loc.line, p.loc.col) for p in problems] == [(3, 13)]


def test_the_build_stops_with_one_line_per_differing_vs_and_writes_nothing(two_editions):
    out = two_editions.root / "site"
    result = run_build("--data", "data", "--out", str(out), "--config", str(ROOT / "mkdocs.yml"),
                       "--lang", "en", cwd=two_editions.root)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if "error [" in line]
    path = os.path.join("content", LATER, "01-overview.md")
    calls = [(line, column(NARRATIVE, line, 'vs("' + value + '")')) for line, value in EXPECTED_VS]
    assert [line.split(": error")[0] for line in errors] == [f"{path}:{line}:{col}" for line, col in calls]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_authored_edition_has_no_errata_page_and_no_word_of_a_printed_report(two_editions):
    archive, _ = two_editions.check()
    (two_editions.root / "content" / LATER / "01-overview.md").write_text(TYPED, encoding="utf-8")
    pages = {p.name: p for p in edition_pages(archive, archive.edition(LATER), f"content/{LATER}").pages}
    assert pages["errata.md"].title == "数据说明"
    for name in ("errata.md", "ranking.md", "appendix-3.md", "index.md"):
        # The charts' own words are the charts' (reportsite/charts.py).
        text = re.sub(r"<figure\b.*?</figure>", "", pages[name].markdown, flags=re.S)
        assert "原报告" not in text, name
    assert "原报告" not in pages["alliances/233.md"].html


def rendered(project, later_text: str) -> dict:
    """Both editions' pages, the later one's narrative being `later_text`."""
    archive, _ = project.check()
    (project.root / "content" / LATER / "01-overview.md").write_text(later_text, encoding="utf-8")
    return archive, {e.id: edition_pages(archive, e, f"content/{e.id}") for e in archive.editions}


def test_last_year_s_figures_and_period_typed_as_text_are_warnings(two_editions):
    archive, pages = rendered(two_editions, TYPED)
    found = [(p.slug, p.severity, p.loc.path, p.loc.line, p.loc.col, p.message.text("en"))
             for p in stale.stale_problems(archive, pages)]
    path = f"content/{LATER}/01-overview.md"
    assert [f[:5] for f in found] == [
        ("stale-figure", "warning", path, 3, column(TYPED, 3, "102")),     # in scope: 103 now
        ("stale-figure", "warning", path, 3, column(TYPED, 3, "33.33")),   # the share: 25.00% now
        ("stale-period", "warning", path, 5, column(TYPED, 5, "2020 年")),  # last year's first day,
        ("stale-period", "warning", path, 5, column(TYPED, 5, "2021 年")),  # last day
        ("stale-period", "warning", path, 5, column(TYPED, 5, "2020-")),    # and years
    ]
    assert "the typed number 102 is a figure the previous edition (2020-2021) computed" in found[0][5]
    # Each names the expression that computed it last year (without last year's printed value).
    said = [p.message.text("zh") for p in stale.stale_problems(archive, pages)][:2]
    assert said[0].endswith("请改用表达式 {{ n.in_scope }}")
    assert said[1].endswith('请改用表达式 {{ share(count(tier="high"), n.evaluated) }}')
    assert '"2020 年 1 月 1 日"' in found[2][5]


def test_a_typed_number_this_edition_also_computes_is_not_stale(two_editions):
    # 100 (the top score, printed by an expression this year too) and 5 (too small) are not stale.
    archive, pages = rendered(two_editions, TYPED)
    numbers = [p.message.text("en") for p in stale.stale_problems(archive, pages)]
    assert not any("number 100 " in m or "number 5 " in m for m in numbers)


def test_figures_are_what_expressions_printed_and_typed_text_is_what_was_written(two_editions):
    archive, pages = rendered(two_editions, TYPED)
    page = next(p for p in pages[LATER].pages if p.source)
    assert page.figures[0] == "103"
    assert page.typed[0] == (1, 1, "# 一、概况\n\n评价范围内的联盟共 ")
    assert page.typed[1][:2] == (3, column(TYPED, 3, " 家（"))
    assert all("{{" not in text for _, _, text in page.typed)


def test_an_archive_of_one_edition_has_nothing_stale(project):
    archive, _ = project.check()
    assert stale.stale_problems(archive, {EDITION: edition_pages(archive, archive.editions[0], None)}) == []


# Three more files of the authored edition, each wrong in its own way.
MISTAKES = {
    "02-names.md": "# 二\n\n共 {{ n.evaluatedd }} 家，{{ tierz }} 与 {{ groupz }}。\n\n{{ tierz }} 又一次。\n",
    "03-syntax.md": "# 三\n\n正文。\n\n{{ count(tier=\"high\" }}\n\n{{ later_name }}\n",
    "04-runtime.md": "# 四\n\n正文 {{ tiers.high.mx }} 与 {{ tiers.nope.max }}。\n",
}


def test_every_file_s_mistakes_are_reported_in_one_run(two_editions):
    """One run names every file's unknown names and differing `vs`, and the first syntax or runtime
    error of each file (Jinja cannot go past either), each at its file, line and column, in file
    order; `check` and `build` print the same lines, and the build writes nothing."""
    folder = two_editions.root / "content" / LATER
    for name, text in MISTAKES.items():
        (folder / name).write_text(text, encoding="utf-8")
    overview, names, syntax, runtime = (f"content/{LATER}/{n}" for n in ("01-overview.md", *MISTAKES))
    vs_calls = [(line, column(NARRATIVE, line, 'vs("' + value + '")')) for line, value in EXPECTED_VS]
    expected = [
        *(f"{overview}:{line}:{col}: error [vs-differs] " for line, col in vs_calls),
        f"{names}:3:{column(MISTAKES['02-names.md'], 3, 'tierz')}: error [content-undefined] 'tierz' is undefined",
        f"{names}:3:{column(MISTAKES['02-names.md'], 3, 'groupz')}: error [content-undefined] 'groupz' is undefined",
        f"{names}:5:4: error [content-undefined] 'tierz' is undefined",
        f"{syntax}:5:1: error [content] the expression goes wrong at '}}': ')' belongs here",
        f"{runtime}:3:{column(MISTAKES['04-runtime.md'], 3, 'mx')}: error [content-undefined] tiers.high has no \"mx\"; "
        "did you mean max? It has: max、key、name、min、rank",
    ]
    for command in (["check"], []):
        out = [] if command else ["--out", "site", "--config", str(ROOT / "mkdocs.yml")]
        result = run_build(*command, "--data", "data", "--lang", "en", *out, cwd=two_editions.root)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        errors = [line for line in result.stdout.splitlines() if ": error [" in line]
        assert len(errors) == len(expected), errors
        for line, start in zip(errors, expected):
            assert line.startswith(start), (line, start)
    assert not (two_editions.root / "site").exists()
    # In Chinese, the default, with no word of Python's or of the template engine's.
    said = run_build("check", "--data", "data", cwd=two_editions.root).stdout
    assert "tiers.high 中没有“mx”，是否应为“max”？可用的有：max、key、name、min、rank" in said
    assert "表达式在“}”处有误：这里应为“)”" in said and "“tierz”未定义；是否应为“tiers”？" in said
    assert re.search(r"^9 个错误，0 个警告，0 个已确认 — 2020-2021：.*；2022-2023：", said, re.M), said
    assert not re.search(r"Error|object|reportsite|Undefined|unexpected|expected|attribute", said), said
