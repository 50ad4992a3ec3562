"""The workbook the secretariat fills in (`build.py template EDITION FILE.xlsx`).

Blank for a new edition, filled with the edition's data when it has any, so a correction is
edit-and-reimport. `workbook()` is pure (model -> openpyxl Workbook); `to_bytes()` saves it with
fixed document properties so the same edition gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportsite.authoring import workbook as W
from reportsite.authoring.indicatorsheets import (
    ADJUSTMENT,
    SCHEME,
    SCHEME_COLUMNS,
    SCORE_HELP,
    SCORES,
    write_indicator_sheets,
)
from reportsite.model import figures as F
from reportsite.model.escape import data_cells
from reportsite.model.records import Archive, Edition

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT = "@"
"""Excel's text number format: a code typed as 110 stays the text "110"."""
BLANK_ROWS = 300
"""Rows offered with validation in a blank sheet."""


def _header(sheet, columns: tuple[W.Column, ...]) -> None:
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    # Printed, a sheet fits the page's width, its header row repeated on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def _list_range(column: str, count: int) -> str:
    """An absolute reference to `count` values in a column of the hidden lists sheet."""
    return f"{quote_sheetname(W.LISTS)}!${column}$2:${column}${max(count, 1) + 1}"


NEW_CODE_PROMPT = "从列表中选择登记过的联盟编号；新参评的联盟可直接输入编号"
NEW_CODE_WARNING = ("这个编号尚未登记。如是新参评的联盟，请选“是”继续，导入时加 --update-registry 登记；"
                    "否则请选“否”重新选择")


def _choose(sheet, column: int, source: str, rows: int, prompt: str, warn: str = "") -> None:
    """A drop-down list (from the hidden sheet) on a column's data rows. With `warn`, a value not
    in the list is let through after a warning saying `warn` (Excel and WPS ask 是否继续), so a
    new alliance's code or another role can be typed; without, it is refused."""
    check = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                           errorTitle="不在列表中" if warn else "请从列表中选择", error=warn or prompt,
                           errorStyle="warning" if warn else "stop", promptTitle="提示", prompt=prompt,
                           showInputMessage=True)
    letter = get_column_letter(column)
    check.add(f"{letter}2:{letter}{rows + 1}")
    sheet.add_data_validation(check)


def _yes_no(sheet, column: int, rows: int, first: int = 2) -> None:
    """A 是/否 drop-down on `rows` rows of a column from row `first`."""
    check = DataValidation(type="list", formula1=f'"{W.YES},{W.NO}"', allow_blank=True, showErrorMessage=True,
                           errorTitle="请选择", error="请选择“是”或“否”，或留空")
    letter = get_column_letter(column)
    check.add(f"{letter}{first}:{letter}{first + rows - 1}")
    sheet.add_data_validation(check)


def _publish(sheet, row: int) -> None:
    """A drop-down of the three 公开方式 on the cell of column B in `row` (blank: 只公开汇总)."""
    words = ",".join(W.PUBLISH_NAMES.values())
    check = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True, showErrorMessage=True,
                           errorTitle="请选择", error=f"请选择{'、'.join(W.PUBLISH_NAMES.values())}之一，或留空（只公开汇总）")
    check.add(f"B{row}")
    sheet.add_data_validation(check)


def _lists(book: Workbook, archive: Archive, edition: Edition) -> dict[str, int]:
    """The hidden sheet of drop-down values; how many values each list has."""
    sheet = book.create_sheet(W.LISTS)
    columns = {
        "A": ("联盟编号", [a.code for a in archive.alliances]),
        "B": ("档次", [t.name for t in edition.tiers]),
        "C": ("专家组职务", list(W.ROLES)),
        "D": ("批次", [g.name for g in edition.groups]),
    }
    counts = {}
    for letter, (header, values) in columns.items():
        sheet[f"{letter}1"] = header
        for row, value in enumerate(values, start=2):
            cell = sheet[f"{letter}{row}"]
            cell.value, cell.number_format = value, TEXT
        counts[letter] = len(values)
    sheet.sheet_state = "hidden"
    return counts


def _results(book: Workbook, archive: Archive, edition: Edition, counts: dict[str, int], filled: bool) -> None:
    sheet = book.create_sheet(W.RESULTS)
    _header(sheet, W.RESULT_COLUMNS)
    rows = F.ranking(edition) if filled else []
    for i, r in enumerate(rows, start=2):
        result = r.result
        score = result.score
        if score is not None and float(score).is_integer():
            score = int(score)
        values = (i - 1, result.code, archive.alliance(result.code).name_in(edition.id), score,
                  edition.tier(result.tier).name, None)
        for col, value in enumerate(values, start=1):
            sheet.cell(row=i, column=col, value=value)
        sheet.cell(row=i, column=2).number_format = TEXT
    span = max(len(rows), BLANK_ROWS)
    _choose(sheet, 2, _list_range("A", counts["A"]), span, NEW_CODE_PROMPT, NEW_CODE_WARNING)
    _choose(sheet, 5, _list_range("B", counts["B"]), span, "请选择本届的档次名称")
    _yes_no(sheet, 6, span)
    scores = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                            allow_blank=True, showErrorMessage=True, errorTitle="得分有误",
                            error="得分应为 0 到 100 之间的数字")
    scores.add(f"D2:D{span + 1}")
    sheet.add_data_validation(scores)


def _incomplete(book: Workbook, archive: Archive, edition: Edition, counts: dict[str, int], filled: bool) -> None:
    sheet = book.create_sheet(W.INCOMPLETE)
    _header(sheet, W.INCOMPLETE_COLUMNS)
    codes = edition.incomplete if filled else ()
    for i, code in enumerate(codes, start=2):
        for col, value in enumerate((i - 1, code, archive.alliance(code).name_in(edition.id)), start=1):
            sheet.cell(row=i, column=col, value=value)
        sheet.cell(row=i, column=2).number_format = TEXT
    _choose(sheet, 2, _list_range("A", counts["A"]), max(len(codes), BLANK_ROWS), NEW_CODE_PROMPT, NEW_CODE_WARNING)
    _yes_no(sheet, 4, max(len(codes), BLANK_ROWS))


def _experts(book: Workbook, edition: Edition, counts: dict[str, int], filled: bool) -> None:
    sheet = book.create_sheet(W.EXPERTS)
    _header(sheet, W.EXPERT_COLUMNS)
    experts = edition.experts if filled else ()
    for i, expert in enumerate(experts, start=2):
        sheet.cell(row=i, column=1, value=expert.name)
        titles = sheet.cell(row=i, column=2, value="\n".join(expert.titles))
        titles.alignment = WRAP
        sheet.cell(row=i, column=3, value=expert.role)
    _choose(sheet, 3, _list_range("C", counts["C"]), max(len(experts), 100),
            "顾问、组长、副组长、成员", "不是列表中的专家组职务：如确是本届的职务，请选“是”继续")


def info_values(edition: Edition) -> dict[str, object]:
    """The 基本信息 values of an edition, by data key."""
    values: dict[str, object] = {
        "title": edition.title,
        "period.start": edition.start.isoformat(),
        "period.end": edition.end.isoformat(),
        "published": edition.published,
        "publishers": "\n".join(edition.publishers),
        "demo": W.YES if edition.demo else W.NO,
        "entered": edition.entered,
    }
    if edition.indicators_publish != "aggregate":  # blank is the default, 只公开汇总
        values["indicators_publish"] = W.PUBLISH_NAMES[edition.indicators_publish]
    if edition.activity:
        a = edition.activity
        for kind in ("self_funded", "government", "commissioned"):
            funding = getattr(a, kind)
            values[f"activity.{kind}.count"] = funding.count
            amount = funding.amount
            values[f"activity.{kind}.amount"] = int(amount) if float(amount).is_integer() else amount
        for key in ("ip_sharing", "standards", "platforms", "exchanges", "reports"):
            values[f"activity.{key}"] = getattr(a, key)
    return values


FIELD_COLUMNS = (W.Column("项目", "", 28, ""), W.Column("内容", "", 60, ""), W.Column("说明", "", 40, ""))
"""A sheet of labelled values: label, value, what to type."""


def _fields(sheet, fields: tuple[W.Field, ...], values: dict[str, object]) -> None:
    """One labelled value a row from row 2, a 是/否 drop-down where the value is yes or no."""
    _header(sheet, FIELD_COLUMNS)
    for row, field in enumerate(fields, start=2):
        sheet.cell(row=row, column=1, value=field.label).font = HEADER_FONT
        cell = sheet.cell(row=row, column=2, value=values.get(field.key))
        cell.alignment = WRAP
        if field.kind in ("text", "date", "month", "list"):
            cell.number_format = TEXT
        if field.kind == "yesno":
            _yes_no(sheet, 2, 1, first=row)
        if field.kind == "publish":
            _publish(sheet, row)
        sheet.cell(row=row, column=3, value=field.help)


def _info(book: Workbook, edition: Edition, filled: bool) -> None:
    _fields(book.create_sheet(W.INFO), W.INFO_FIELDS, info_values(edition) if filled else {})


def _a_level(book: Workbook, archive: Archive, edition: Edition) -> None:
    """The A-level rule (carried over by `new`) and the list, when the edition has one (typed, or
    computed from the archive's history)."""
    sheet = book.create_sheet(W.A_LEVEL)
    a = edition.a_level
    values: dict[str, object] = {"a_level": W.YES if a else W.NO}
    if a:
        values.update({"a_level.name": a.name, "a_level.rule": a.rule, "a_level.consecutive": a.consecutive})
    _fields(sheet, W.A_LEVEL_FIELDS, values)
    top = len(W.A_LEVEL_FIELDS) + 3
    for col, column in enumerate(W.A_LEVEL_COLUMNS, start=1):
        cell = sheet.cell(row=top, column=col, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for i, code in enumerate(a.codes if a else (), start=1):
        for col, value in enumerate((i, code, archive.alliance(code).name_in(edition.id)), start=1):
            sheet.cell(row=top + i, column=col, value=value)
        sheet.cell(row=top + i, column=2).number_format = TEXT


def _bands(book: Workbook, edition: Edition) -> None:
    """The tiers and the groups, as the edition has them (carried over by `new`)."""
    sheet = book.create_sheet(W.BANDS)
    _header(sheet, W.TIER_COLUMNS)
    for row, tier in enumerate(edition.tiers, start=2):
        for col, value in enumerate((tier.name, int(tier.min) if float(tier.min).is_integer() else tier.min,
                                     tier.key), start=1):
            sheet.cell(row=row, column=col, value=value)
    top = len(edition.tiers) + 3
    for col, column in enumerate(W.GROUP_COLUMNS, start=1):
        cell = sheet.cell(row=top, column=col, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        width = sheet.column_dimensions[get_column_letter(col)].width or 0
        sheet.column_dimensions[get_column_letter(col)].width = max(width, column.width)
    for row, group in enumerate(edition.groups, start=top + 1):
        for col, shown in enumerate((group.name, group.prefix, group.size, W.YES if group.pilot else W.NO), start=1):
            sheet.cell(row=row, column=col, value=shown)
        sheet.cell(row=row, column=2).number_format = TEXT
    _yes_no(sheet, 4, len(edition.groups) + 20, first=top + 1)


def _help(sheet, edition: Edition) -> None:
    lines = [
        f"{edition.title or edition.id} — 数据填写表",
        "",
        "填写后在项目文件夹中运行：",
        f"    python build.py import {edition.id} 本文件.xlsx",
        "导入会先检查每一行，有错误时指出工作表和单元格（如 评价结果!C37），不写入任何文件。",
        "",
        "各工作表：",
    ]
    for name, columns in ((W.RESULTS, W.RESULT_COLUMNS), (W.INCOMPLETE, W.INCOMPLETE_COLUMNS),
                          (W.EXPERTS, W.EXPERT_COLUMNS)):
        lines.append(f"【{name}】第 1 行为表头，从第 2 行起每行一家（一人），按公布顺序填写。")
        lines.extend(f"    {c.header}：{c.help}" for c in columns)
    lines.append(f"【{W.INFO}】B 列填写内容，A 列的项目名称不要修改。")
    lines.extend(f"    {f.label}：{f.help}" for f in W.INFO_FIELDS if f.help)
    lines.append(f"【{W.A_LEVEL}】上方 B 列是评定规则（沿用上一届，请按本届改写），下方按公布顺序列出 A 级联盟。")
    lines.extend(f"    {f.label}：{f.help}" for f in W.A_LEVEL_FIELDS)
    lines.extend(f"    {c.header}：{c.help}" for c in W.A_LEVEL_COLUMNS[1:])
    lines.append(f"【{W.BANDS}】上方是档次（从高到低），空一行后是批次；沿用上一届，有变化时修改。")
    lines.extend(f"    {c.header}：{c.help}" for c in (*W.TIER_COLUMNS, *W.GROUP_COLUMNS))
    if edition.indicators:
        lines.append(f"【{SCHEME}】每行一个二级指标，写明分值（可选：本届公布指标得分时填写）。")
        lines.extend(f"    {c.header}：{c.help}" for c in SCHEME_COLUMNS)
        lines.append(f"【{SCORES}】{SCORE_HELP}；二级指标得分之和须等于“{W.RESULTS}”中的得分。"
                     f"总分含指标以外的加减分时，另加一列“{ADJUSTMENT}”。")
    lines += ["", "请勿在单元格中使用公式，请勿合并单元格；隐藏的“选项”工作表保存下拉列表，请勿修改。"]
    sheet.column_dimensions["A"].width = 100
    for row, text in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text)
    sheet["A1"].font = Font(bold=True, size=14)


def workbook(archive: Archive, edition: Edition, filled: bool) -> Workbook:
    """The workbook for `edition`: its data when `filled`, else blank rows with the same lists."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one sheet, a worksheet
    _help(sheet, edition)
    sheet.title = W.HELP
    counts = _lists(book, archive, edition)
    _results(book, archive, edition, counts, filled)
    _incomplete(book, archive, edition, counts, filled)
    _experts(book, edition, counts, filled)
    _info(book, edition, filled)
    _a_level(book, archive, edition)
    _bands(book, edition)
    if edition.indicators:
        write_indicator_sheets(book, archive, edition, filled)
    for each in book.worksheets:
        data_cells(each)  # a name starting with `=` is shown, never run
    book.move_sheet(W.LISTS, offset=len(book.sheetnames))
    book.active = book.sheetnames.index(W.RESULTS)
    return book


def to_bytes(book: Workbook, published: str) -> bytes:
    """The workbook as .xlsx bytes, its document dates set to the edition's publication month."""
    year, month = (int(part) for part in published.split("-"))
    stamp = dt.datetime(year, month, 1)
    book.properties.creator = "reportsite"
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
