"""The workbook's sheets of the indicator scores: `template` writes 指标体系 and 指标得分 (one column
per second-level indicator, no formula column) and 基本信息's 公开方式; `import` reads them back,
every mistake at its cell (`FILE:SHEET!CELL`), the sums checked against the results at the row."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from test_import import edit

from reportsite.authoring import importer, template
from reportsite.authoring import workbook as W
from reportsite.authoring.scaffold import indicators_text
from reportsite.read.check import check_archive
from reportsite.read.indicators import read_indicators
from reportsite.read.schema import Reader

EDITION = "2018-2019"
"""The demo's synthetic edition that publishes each alliance's indicator scores."""
PUBLISH = "B" + str(2 + [f.key for f in W.INFO_FIELDS].index("indicators_publish"))
"""The cell of 公开方式 in 基本信息."""


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(ROOT / "examples" / "archive" / "data", tmp_path / "data")
    return tmp_path / "data"


def filled(data: Path, path: Path, full: bool = True) -> Path:
    archive, _ = check_archive(str(data))
    edition = archive.edition(EDITION)
    path.write_bytes(template.to_bytes(template.workbook(archive, edition, filled=full), edition.published))
    return path


def found(plan) -> list[tuple[str, str]]:
    return [(str(p.loc).rsplit("/", 1)[-1], p.slug) for p in plan.problems if p.severity != "note"]


def test_the_sheets_the_template_writes(data, tmp_path):
    book = openpyxl.load_workbook(filled(data, tmp_path / "t.xlsx"))
    scheme, scores = book["指标体系"], book["指标得分"]
    assert [c.value for c in scheme[1]] == ["一级指标", "一级指标分值", "二级指标", "二级指标分值"]
    assert [c.value for c in scheme[2]] == ["联盟组织机构建设与运行", 20, "理事会会议", 4]
    assert [c.value for c in scheme[3]] == [None, None, "专家委员会会议", 3]
    assert scheme.max_row == 21
    heads = [c.value for c in scores[1]]
    assert heads[:3] == ["联盟编号", "联盟名称", "理事会会议"] and len(heads) == 22 and "加减分" not in heads
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in scores.iter_rows() for c in row)
    assert scores["A2"].value == "320" and scores["C2"].value == 4
    limits = sorted(str(v.formula2) for v in scores.data_validations.dataValidation)
    assert limits[0] == "3" and len(limits) == 20
    for sheet in (scheme, scores):  # printed as the other sheets are
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
    assert book["基本信息"][PUBLISH].value == "公开各联盟"
    offered = [v for v in book["基本信息"].data_validations.dataValidation if PUBLISH in str(v.sqref)]
    assert [v.formula1 for v in offered] == ['"不公开,只公开汇总,公开各联盟"']
    assert book["基本信息"]["A" + PUBLISH[1:]].value == "公开方式"


def test_the_filled_template_imports_back_to_the_same_scores(data, tmp_path):
    before, _ = check_archive(str(data))
    plan = importer.plan_import(str(data), EDITION, str(filled(data, tmp_path / "t.xlsx")))
    assert plan.ok, found(plan)
    assert {Path(p).name for p in plan.files} >= {"indicators.yaml", "indicator-scores.yaml", "edition.yaml"}
    importer.write_import(plan, str(tmp_path / "backup"))
    after, problems = check_archive(str(data))
    assert after is not None, [p.render() for p in problems]
    old, new = before.edition(EDITION), after.edition(EDITION)
    assert [(i.name, i.max, i.items, i.item_max) for i in new.indicators] == \
        [(i.name, i.max, i.items, i.item_max) for i in old.indicators]
    assert [(s.code, s.items) for s in new.scores] == [(s.code, s.items) for s in old.scores]
    assert new.indicators_publish == "alliance"


@pytest.mark.parametrize("sheet, changes, where, slug", [
    ("指标得分", {"C2": 9}, "指标得分!C2", "cell-range"),
    ("指标得分", {"D3": "三"}, "指标得分!D3", "cell-number"),
    ("指标得分", {"E4": None}, "指标得分!A4", "cell-missing"),
    ("指标得分", {"C1": "理事会"}, "指标得分!C1", "indicator-column"),
    ("指标得分", {"C2": 3}, "指标得分!A2", "indicator-sum"),
    ("基本信息", {PUBLISH: "全部公开"}, f"基本信息!{PUBLISH}", "cell-choice"),
    ("指标体系", {"D2": 5}, "指标体系!A2", "indicator-item-sum"),
    ("指标体系", {"D3": None}, "指标体系!C3", "cell-missing"),
], ids=["above-points", "not-a-number", "blank", "unknown-column", "sum", "publish-word", "points-sum",
        "no-points"])
def test_each_mistake_is_shown_at_its_cell(data, tmp_path, sheet, changes, where, slug):
    book = edit(filled(data, tmp_path / "t.xlsx"), sheet, changes)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert not plan.ok
    assert (f"t.xlsx:{where}", slug) in found(plan), found(plan)


def test_a_score_typed_in_full_width_digits_is_named_as_such(data, tmp_path):
    book = edit(filled(data, tmp_path / "t.xlsx"), "指标得分", {"D3": "２"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert found(plan) == [("t.xlsx:指标得分!D3", "cell-number")]
    said = plan.problems[0].render(lang="en")
    assert said.endswith('"专家委员会会议" holds "２" with the full-width digit ２ (U+FF12; in ASCII 2): '
                         "type it in ASCII digits, as 2"), said


def test_the_message_of_a_score_outside_its_points(data, tmp_path):
    book = edit(filled(data, tmp_path / "t.xlsx"), "指标得分", {"C2": 9})
    plan = importer.plan_import(str(data), EDITION, str(book))
    said = [p.render(lang="zh") for p in plan.problems if p.slug == "cell-range"]
    assert said == [f"{tmp_path}/t.xlsx:指标得分!C2: error [cell-range] “理事会会议”的得分 9 不在 0 到 4 之间"]


def with_row(book, code: str) -> int:
    """A row added to 指标得分 for `code`, with the scores of the first row; its number."""
    sheet = book["指标得分"]
    row = sheet.max_row + 1
    for col in range(1, sheet.max_column + 1):
        sheet.cell(row=row, column=col, value=sheet.cell(row=2, column=col).value)
    sheet.cell(row=row, column=1, value=code)
    return row


def plan_of(data: Path, tmp_path: Path, change) -> importer.Plan:
    """The import of the filled template after `change(book)`."""
    path = filled(data, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return importer.plan_import(str(data), EDITION, str(path))


@pytest.mark.parametrize("code", ["236", "131"], ids=["tier-only", "incomplete"])
def test_scores_without_a_total_are_shown_at_their_row(data, tmp_path, code):
    rows: list[int] = []
    plan = plan_of(data, tmp_path, lambda book: rows.append(with_row(book, code)))
    assert found(plan) == [(f"t.xlsx:指标得分!A{rows[0]}", "indicator-no-total")]
    said = plan.problems[0].render(lang="zh")
    assert f"“{code}”有指标得分，但在工作簿的“评价结果”表中没有总分" in said and ".yaml" not in said


def test_a_total_without_scores_is_shown_at_its_result(data, tmp_path):
    plan = plan_of(data, tmp_path, lambda book: book["指标得分"].delete_rows(3))  # 104's scores
    assert found(plan) == [("t.xlsx:评价结果!B3", "indicator-no-scores")]
    said = plan.problems[0].render(lang="zh")
    assert "“104”有总分，但工作簿的“指标得分”表中没有它的指标得分" in said and ".yaml" not in said
    assert book_value(data, tmp_path, "评价结果", "B3") == "104"


def book_value(data: Path, tmp_path: Path, sheet: str, ref: str):
    return openpyxl.load_workbook(filled(data, tmp_path / "v.xlsx"))[sheet][ref].value


@pytest.mark.parametrize("first, ok", [(3.46, True), (3.45, True), (3.44, False)])
def test_the_sum_is_compared_at_the_precision_the_total_is_typed(data, tmp_path, first, ok):
    """104 scores 99 on the demo; typed as 98.5 its sum must round to 98.5 at one place: its
    first score 4 made 3.46 or 3.45 leaves the sum at 98.46 or 98.45 (98.5 half-up), 3.44 at
    98.44 (98.4)."""
    def change(book):
        book["评价结果"]["D3"] = 98.5
        book["指标得分"]["C3"] = first
    plan = plan_of(data, tmp_path, change)
    assert plan.ok == ok, found(plan)
    if not ok:
        assert found(plan) == [("t.xlsx:指标得分!A3", "indicator-sum")]
        said = next(p for p in plan.problems if p.slug == "indicator-sum").render(lang="en")
        assert "add up to 98.44, not its total 98.5" in said


def test_an_adjustment_column_declares_the_adjustments(data, tmp_path):
    def moved(adjustment):
        def change(book):
            scores = book["指标得分"]
            scores.cell(row=1, column=23, value="加减分")
            scores["C2"] = 3  # one point less on an item, one point more outside the indicators
            scores.cell(row=2, column=23, value=adjustment)
        return change

    without = plan_of(data, tmp_path, lambda book: book["指标得分"].__setitem__("C2", 3))
    assert found(without) == [("t.xlsx:指标得分!A2", "indicator-sum")]
    plan = plan_of(data, tmp_path, moved(1))
    assert plan.ok, found(plan)
    text = next(t for p, t in plan.files.items() if p.endswith("indicator-scores.yaml"))
    assert '  "320": 3 3 3 3 4 3 / 6 6 6 5 6 6 5 5 5 / 6 6 6 6 6\n' in text
    assert text.split("adjustments:\n")[1].startswith('  "320": 1\n  "104": 0\n')  # a blank cell is 0
    wrong = plan_of(data, tmp_path, moved(2))
    assert found(wrong) == [("t.xlsx:指标得分!A2", "indicator-sum")]
    said = next(p for p in wrong.problems if p.slug == "indicator-sum").render(lang="zh")
    # The total is named where the secretariat typed it, not in the file written from it.
    assert "“320”的二级指标得分与加减分（2）之和为 101，与“评价结果”表第 2 行的总分 100 不符" in said
    typed = plan_of(data, tmp_path, moved("一分"))
    assert found(typed) == [("t.xlsx:指标得分!W2", "cell-number")]
    importer.write_import(plan, str(tmp_path / "backup"))
    archive, problems = check_archive(str(data))
    assert archive is not None, [p.render() for p in problems]
    scores = {s.code: s for s in archive.edition(EDITION).scores}
    assert scores["320"].adjustment == 1 and scores["104"].adjustment == 0


def test_a_sheet_without_scores_changes_nothing(data, tmp_path):
    plan = importer.plan_import(str(data), EDITION, str(filled(data, tmp_path / "t.xlsx", full=False)))
    assert not any(p.endswith("indicator-scores.yaml") for p in plan.files)


def test_a_new_edition_carries_the_points_over(data, tmp_path):
    archive, _ = check_archive(str(data))
    previous = archive.edition(EDITION)
    (tmp_path / "indicators.yaml").write_text(indicators_text(previous), encoding="utf-8")
    problems: list = []
    read = read_indicators(str(tmp_path), Reader(problems))
    assert problems == [] and read.additive and read.indicators == previous.indicators
