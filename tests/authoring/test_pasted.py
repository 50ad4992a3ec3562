"""Workbooks as people paste them: the printed appendix-3 layout with its merged title and
tier-heading rows and a 合计 row; full-width digits named with the value meant; a code drop-down
that lets a new code through; a missing column said once; a formula said once; every problem of a
workbook in one run, in the order a person reads the sheets (B8 before B18)."""

from __future__ import annotations

import re

import openpyxl
import pytest
from hostile import digest
from test_import import EDITION, appendix_3, data, edit, filled_workbook, printed_rows, problems  # noqa: F401

from reportsite.authoring import importer
from reportsite.authoring import workbook as W


def said(plan, slug: str) -> list[str]:
    """The Chinese lines of `slug` an import plan reports."""
    return [p.render(lang="zh") for p in plan.problems if p.slug == slug]


def no_python(line: str) -> None:
    """A line a secretariat reads: no Python type, module or Unicode name in it."""
    assert not re.search(r"Error\b|Exception|reportsite|None\b|FULLWIDTH|DIGIT|\bU\+[0-9A-F]{4} [A-Z]", line), line


def printed_book(data, path, total: str | None = "合计 86 家", merge: bool = True):  # noqa: F811
    """The printed appendix 3 as pasted from the PDF: a merged title over two rows, the header,
    each tier's heading merged across the table, and a 合计 row and a note at the end."""
    rows = printed_rows(data)
    if total is not None:
        rows.append([total])
    rows.append(["备注：三位数字中的第一位数字代表该联盟被批准成为科技部试点联盟的批次。"])
    book_path = appendix_3(path, rows)
    if merge:
        book = openpyxl.load_workbook(book_path)
        sheet = book.active
        sheet.merge_cells("A1:D1")
        sheet.merge_cells("A2:D2")
        for row in sheet.iter_rows(min_row=4):
            cells = [c for c in row if c.value is not None]
            if len(cells) == 1:
                sheet.merge_cells(f"A{row[0].row}:D{row[0].row}")
        book.save(book_path)
    return book_path


def test_the_printed_layout_with_merged_titles_and_a_total_row_imports(data, tmp_path):  # noqa: F811
    book = printed_book(data, tmp_path / "附件3.xlsx")
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [] and plan.rows == 86


def test_a_total_that_disagrees_with_the_rows_is_named_at_its_cell(data, tmp_path):  # noqa: F811
    book = printed_book(data, tmp_path / "附件3.xlsx", total=None, merge=False)
    sheet_book = openpyxl.load_workbook(book)
    sheet = sheet_book.active
    total_row = 3 + len(printed_rows(data)) + 1
    sheet.insert_rows(total_row)
    sheet[f"A{total_row}"], sheet[f"D{total_row}"] = "合计", "85 家"
    sheet_book.save(book)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:附件3!D{total_row}", "total-count")]
    assert said(plan, "total-count") == [
        f"{book}:附件3!D{total_row}: error [total-count] 合计行写明“85 家”，上面实有 86 行联盟"]


def test_a_merge_across_data_cells_is_still_an_error(data, tmp_path):  # noqa: F811
    book = printed_book(data, tmp_path / "附件3.xlsx")
    sheet_book = openpyxl.load_workbook(book)
    sheet_book.active.merge_cells("D5:D6")
    sheet_book.save(book)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:附件3!D5", "merged-cells")]


def test_full_width_digits_are_named_with_the_value_meant_all_in_one_run(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS,
                {"D18": "９８", "B8": "１１５", "D8": "九十"})
    before = digest(data)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果!B8", "cell-code"), (f"{book}:评价结果!D8", "cell-number"),
                              (f"{book}:评价结果!D18", "cell-number")]
    assert [x for x in said(plan, "cell-number") if "D18" in x] == [
        f"{book}:评价结果!D18: error [cell-number] “得分”中的“９８”含有全角数字“９”（U+FF19，半角为 9）："
        "请改用半角数字，写成 98"]
    assert said(plan, "cell-code") == [
        f"{book}:评价结果!B8: error [cell-code] 联盟编号“１１５”含有全角数字“１”（U+FF11，半角为 1）："
        "请改用半角字符，写成 115"]
    for p in plan.problems:
        no_python(p.render(lang="zh"))
    assert digest(data) == before


def test_a_code_that_is_no_code_is_named_at_its_cell(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.INCOMPLETE, {"B3": "11O"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert said(plan, "cell-code") == [f"{book}:数据不完整!B3: error [cell-code] 联盟编号“11O”应为三位数字（如 110）"
                                       "或 D 加三位数字（如 D106）"]


def test_the_code_drop_down_warns_and_lets_a_new_code_through(data, tmp_path):  # noqa: F811
    book = openpyxl.load_workbook(filled_workbook(data, tmp_path / "结果.xlsx"))
    for name, column in ((W.RESULTS, "B"), (W.INCOMPLETE, "B"), (W.EXPERTS, "C")):
        check = next(v for v in book[name].data_validations.dataValidation
                     if v.type == "list" and str(v.sqref).startswith(column))
        assert check.errorStyle == "warning" and check.showErrorMessage, name
    tiers = next(v for v in book[W.RESULTS].data_validations.dataValidation if str(v.sqref).startswith("E"))
    assert tiers.errorStyle in (None, "stop")
    assert "--update-registry" in next(v for v in book[W.RESULTS].data_validations.dataValidation
                                        if str(v.sqref).startswith("B")).error


def drop_column(path, sheet: str, letter: str):
    book = openpyxl.load_workbook(path)
    book[sheet].delete_cols(openpyxl.utils.column_index_from_string(letter))
    book.save(path)
    return path


def test_a_missing_score_column_is_one_error_naming_it(data, tmp_path):  # noqa: F811
    book = filled_workbook(data, tmp_path / "结果.xlsx")
    drop_column(book, W.RESULTS, "E")  # 档次
    drop_column(book, W.RESULTS, "D")  # 得分
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果!A1", "column-missing")]
    assert said(plan, "column-missing") == [
        f"{book}:评价结果!A1: error [column-missing] 工作表“评价结果”的表头中没有“得分”一列：请在表头行加上这一列"
        "（列名须为“得分”）后重新导入"]


def test_a_missing_role_column_of_the_panel_is_one_error(data, tmp_path):  # noqa: F811
    book = drop_column(filled_workbook(data, tmp_path / "结果.xlsx"), W.EXPERTS, "C")
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:专家组!A1", "column-missing")]


def test_a_missing_name_column_is_a_warning_that_names_go_unchecked(data, tmp_path):  # noqa: F811
    book = drop_column(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS, "C")
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果!A1", "column-no-names")]
    assert plan.ok
    assert said(plan, "column-no-names") == [
        f"{book}:评价结果!A1: warning [column-no-names] 工作表“评价结果”的表头中没有“联盟名称”一列："
        "联盟名称不会与登记的名称核对"]


@pytest.mark.parametrize("cell", ["D5", "B5"])
def test_a_formula_is_one_error_for_its_cell(data, tmp_path, cell):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS, {cell: "=90+9"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果!{cell}", "formula-cell")]


def test_problems_come_in_sheet_then_row_then_column_order(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS,
                {"D18": "九十", "E8": "很活跃", "D8": "八十", "D80": "七十"})
    edit(book, W.INFO, {"B7": "很多"})
    edit(book, W.INCOMPLETE, {"B3": "1O1"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert [loc.split(":", 1)[1] for loc, _ in problems(plan)] == [
        "评价结果!D8", "评价结果!E8", "评价结果!D18", "评价结果!D80", "数据不完整!B3", "基本信息!B7"]


def test_a_sheet_without_a_header_does_not_hide_the_other_sheets_problems(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS, {"B1": "编码"})
    edit(book, W.INFO, {"B7": "很多"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果", "no-header"), (f"{book}:基本信息!B7", "cell-number")]
