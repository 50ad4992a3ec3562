"""The workbook's sheets of the indicator scores: 指标体系 (the indicators and their points) and
指标得分 (one column per second-level indicator; no formula column: first-level scores are
computed), written by `template` and read back by `import`, each value with the cell it came from.

What is wrong in one cell is reported here at that cell (`FILE:指标得分!F12`); whether the scores
add up to the totals is the checker's, whose findings in the files written here `importer.py`
moves back to the rows they came from.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reportsite.authoring import workbook as W
from reportsite.authoring.datafiles import q, score_text
from reportsite.authoring.sheetdata import cell_number
from reportsite.authoring.sheets import Book, Cell, Sheet
from reportsite.model import figures as F
from reportsite.model.messages import message
from reportsite.model.records import ERROR, Archive, Edition, Indicator, Loc, Problem

SCHEME = "指标体系"
SCORES = "指标得分"
ADJUSTMENT = "加减分"
SCHEME_COLUMNS = (
    W.Column("一级指标", "name", 26, "每个一级指标从它的第一行写起，同一指标的其余行留空（同上）；请勿合并单元格"),
    W.Column("一级指标分值", "max", 12, "写在一级指标的第一行；各一级指标的分值之和为 100"),
    W.Column("二级指标", "item", 30, "每行一个二级指标"),
    W.Column("二级指标分值", "item_max", 12, "同一一级指标下各二级指标的分值之和等于该一级指标的分值"),
)
"""指标体系: one second-level indicator a row, under its first-level one."""
SCORE_FIXED = (
    W.Column("联盟编号", "code", 11, "每家有总分的参评联盟一行；只公布档次的联盟不填"),
    W.Column("联盟名称", "name", 36, "仅供核对，不导入"),
)
"""指标得分: these columns, then one per second-level indicator (headed by its name, in the order of
指标体系), then 加减分 only where the totals include points outside the indicators."""
SCORE_HELP = "每个二级指标一列，填写专家评分（0 到该指标的分值）；一级指标得分由二级指标相加，不必填写，也不要加公式列"
HEADER = (Font(bold=True), PatternFill("solid", fgColor="DDEBF7"))
TEXT = "@"


def _problem(problems: list[Problem], slug: str, loc: Loc, said: str | None = None, **params) -> None:
    problems.append(Problem(slug, loc, message(said or slug, **params), ERROR))


def _points(value) -> float | int:
    return F.plain_number(float(value)) or 0


def _heading(sheet, columns: list[W.Column]) -> None:
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "C2" if columns[0].key == "code" else "A2"
    # Printed as the other sheets are: fitted to the page's width, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def write_indicator_sheets(book: Workbook, archive: Archive, edition: Edition, filled: bool) -> None:
    """指标体系 from the edition's indicators (their points where it gives them) and 指标得分 with
    a column per second-level indicator: its scores when `filled`, else a row for each alliance
    with a total."""
    scheme = book.create_sheet(SCHEME)
    _heading(scheme, list(SCHEME_COLUMNS))
    row = 2
    for indicator in edition.indicators:
        maxima = indicator.item_max or (None,) * len(indicator.items)
        for i, (item, top) in enumerate(zip(indicator.items, maxima)):
            cells = (indicator.name if i == 0 else None,
                     _points(indicator.max) if i == 0 and indicator.max is not None else None,
                     item, _points(top) if top is not None else None)
            for col, value in enumerate(cells, start=1):
                scheme.cell(row=row, column=col, value=value)
            row += 1
    items = [(item, top) for i in edition.indicators for item, top in zip(i.items, i.item_max or (None,) * len(i.items))]
    adjusted = any(s.adjustment for s in edition.scores)
    columns = [*SCORE_FIXED, *(W.Column(item, "score", 10, SCORE_HELP) for item, _ in items),
               *([W.Column(ADJUSTMENT, "adjustment", 9, "")] if adjusted else [])]
    sheet = book.create_sheet(SCORES)
    _heading(sheet, columns)
    by_code = {s.code: s for s in edition.scores}
    rows = [r.result for r in F.ranking(edition) if r.result.score is not None]
    for index, result in enumerate(rows, start=2):
        s = by_code.get(result.code) if filled else None
        values: list[object] = [result.code, archive.alliance(result.code).name_in(edition.id)]
        values += [_points(v) for group in s.items for v in group] if s else [None] * len(items)
        values += ([_points(s.adjustment) if s else None] if adjusted else [])
        for col, written in enumerate(values, start=1):
            sheet.cell(row=index, column=col, value=written)
        sheet.cell(row=index, column=1).number_format = TEXT
    last = max(len(rows), 1) + 1
    for col, (_, top) in enumerate(items, start=len(SCORE_FIXED) + 1):
        if top is None:
            continue
        check = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(_points(top)),
                               allow_blank=True, showErrorMessage=True, errorTitle="得分有误",
                               error=f"得分应为 0 到 {_points(top)} 之间的数字")
        check.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{last}")
        sheet.add_data_validation(check)


@dataclass
class _Entry:
    """A first-level indicator as 指标体系 lists it, its items gathered row by row."""

    name: str
    cell: Cell
    points: float | None
    items: list[tuple[str, float, Cell]] = field(default_factory=list)


def _number(cell: Cell, what: str, problems: list[Problem]) -> float | None:
    """A number typed in `cell`; a formula or what is no number is reported at the cell, as the
    other sheets' are (`sheetdata.cell_number`: full-width digits named as such)."""
    value = cell.value
    if cell.formula:
        _problem(problems, "formula-cell", cell.loc, formula=str(value)[:40])
        return None
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value.strip()):
        return float(value)
    return cell_number(cell, problems, what)


def read_scheme(sheet: Sheet, problems: list[Problem]) -> list[tuple[Indicator, Cell]]:
    """The indicators 指标体系 lists, in the additive form, each with the cell of its name; a row
    without a value it needs is reported at the row. A sheet that gives no points at all (names
    only, as the template writes the list form) says nothing to import."""
    entries: list[_Entry] = []
    if not any(len(row) > col and row[col] is not None for row in sheet.rows[1:] for col in (1, 3)):
        return []  # names without points: the list form, which indicators.yaml keeps as it is
    for row in sheet.rows[1:]:
        name, top, item, item_top = (row[i] if i < len(row) else None for i in range(len(SCHEME_COLUMNS)))
        first = next((c for c in (name, top, item, item_top) if c is not None), None)
        if first is None:
            continue
        if name is not None:
            if top is None:
                _problem(problems, "cell-missing", name.loc, column=SCHEME_COLUMNS[1].header)
            entries.append(_Entry(str(name.value), name, _number(top, SCHEME_COLUMNS[1].header, problems)
                                  if top is not None else None))
        missing = [c.header for c, v in zip(SCHEME_COLUMNS, (entries or None, True, item, item_top)) if v is None]
        if missing:
            _problem(problems, "cell-missing", first.loc, column="、".join(missing))
            continue
        assert item is not None and item_top is not None
        value = _number(item_top, SCHEME_COLUMNS[3].header, problems)
        if value is not None:
            entries[-1].items.append((str(item.value), value, item))
    return [(Indicator(e.name, tuple(n for n, _, _ in e.items), e.points, tuple(m for _, m, _ in e.items)), e.cell)
            for e in entries if e.points is not None]


@dataclass(frozen=True)
class ScoreRow:
    """One row of 指标得分."""

    code: str
    cell: Cell
    """The code's cell: where a finding about the row is shown."""
    items: tuple[tuple[float, ...], ...]
    """Per first-level indicator, its items' scores."""
    adjustment: float | None
    """Its 加减分; None without that column."""


def _code(cell: Cell) -> str:
    value = cell.value
    return str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()


def read_score_sheet(sheet: Sheet, indicators: tuple[Indicator, ...], problems: list[Problem]) -> list[ScoreRow] | None:
    """The rows of 指标得分 that hold scores, columns found by their headers; None when the sheet
    holds none (nothing to import). A score missing, not a number or outside 0 and its item's
    points is reported at its cell; a column that is no indicator, or an indicator without a
    column, at the header."""
    if not sheet.rows:
        return None
    header = {re.sub(r"\s+", "", str(c.value)): (i, c) for i, c in enumerate(sheet.rows[0]) if c is not None}
    known = {SCORE_FIXED[0].header, SCORE_FIXED[1].header, ADJUSTMENT, "序号", "备注"}
    items = [(name, top) for i in indicators for name, top in zip(i.items, i.item_max)]
    for text, (_, cell) in header.items():
        if text not in known and text not in {re.sub(r"\s+", "", n) for n, _ in items}:
            _problem(problems, "indicator-column", cell.loc, header=text[:40], sheet=SCHEME)
    columns = [header.get(re.sub(r"\s+", "", name)) for name, _ in items]
    first = sheet.rows[0][0] if sheet.rows[0] and sheet.rows[0][0] is not None else None
    for (name, _), found in zip(items, columns):
        if found is None:
            _problem(problems, "cell-missing", first.loc if first else Loc(sheet.name), column=name)
    code_at, adjustment_at = header.get(SCORE_FIXED[0].header), header.get(ADJUSTMENT)
    places = [found[0] for found in columns if found is not None]
    if code_at is None or len(places) < len(items):
        return None
    out, any_score = [], False
    for row in sheet.rows[1:]:
        def at(col: int) -> Cell | None:
            return row[col] if col < len(row) else None

        code_cell = at(code_at[0])
        cells = [at(col) for col in places]
        if code_cell is None or not any(cells):
            continue
        any_score = True
        values: list[float] = []
        for given, (name, top) in zip(cells, items):
            if given is None:
                _problem(problems, "cell-missing", code_cell.loc, column=name)
                continue
            value = _number(given, name, problems)
            if value is not None and not 0 <= value <= top:
                _problem(problems, "cell-range", given.loc, "cell-range/indicator", value=str(given.value)[:20],
                         item=name, max=str(_points(top)))
            elif value is not None:
                values.append(value)
        adjustment = None
        if adjustment_at is not None:
            typed = at(adjustment_at[0])
            adjustment = 0.0 if typed is None else _number(typed, ADJUSTMENT, problems)
        if len(values) == len(items) and (adjustment_at is None or adjustment is not None):
            grouped, at_item = [], 0
            for indicator in indicators:
                grouped.append(tuple(values[at_item:at_item + len(indicator.items)]))
                at_item += len(indicator.items)
            out.append(ScoreRow(_code(code_cell), code_cell, tuple(grouped), adjustment))
    return out if any_score else None


def indicators_yaml(indicators: list[tuple[Indicator, Cell]], source: str) -> tuple[str, dict[int, Loc]]:
    """`indicators.yaml` in the additive form, each line's cell."""
    lines = [f"# Written by `build.py import` from {source} (sheet {SCHEME}); the indicators and their points."]
    where: dict[int, Loc] = {}
    for indicator, cell in indicators:
        lines.append(f"- name: {q(indicator.name)}")
        where[len(lines)] = cell.loc
        lines.append(f"  max: {score_text(indicator.max or 0)}")
        where[len(lines)] = cell.loc
        lines.append("  items:")
        for name, top in zip(indicator.items, indicator.item_max):
            lines.append(f"    - {{name: {q(name)}, max: {score_text(top)}}}")
            where[len(lines)] = cell.loc
    return "\n".join(lines) + "\n", where


def scores_yaml(rows: list[ScoreRow], adjustments: bool, source: str) -> tuple[str, dict[int, Loc]]:
    """`indicator-scores.yaml`, an alliance a line (its 加减分 in `adjustments` where the sheet has
    them), each line's cell (the row's code)."""
    lines = [f"# Written by `build.py import` from {source} (sheet {SCORES}): second-level scores per alliance,",
             "# a group per first-level indicator separated by /.", "scores:"]
    where: dict[int, Loc] = {}
    for r in rows:
        lines.append(f"  {q(r.code)}: " + " / ".join(" ".join(score_text(v) for v in g) for g in r.items))
        where[len(lines)] = r.cell.loc
    if adjustments:
        lines.append("adjustments:")
        for r in rows:
            lines.append(f"  {q(r.code)}: {score_text(r.adjustment or 0)}")
            where[len(lines)] = r.cell.loc
    return "\n".join(lines) + "\n", where


def plan_indicators(book: Book, edition: Edition, folder: str, source: str, files: dict[str, str],
                    maps: dict[str, dict[int, Loc]], problems: list[Problem]) -> None:
    """What the two sheets make of the edition's files (`indicators.yaml` from 指标体系 when it
    lists any, `indicator-scores.yaml` from 指标得分 when it holds any score), into `files`, each
    line's cell into `maps`; a sheet that is absent or empty changes nothing."""
    scheme_sheet, scores_sheet = book.sheet(SCHEME), book.sheet(SCORES)
    indicators = edition.indicators
    for sheet in (scheme_sheet, scores_sheet):
        if sheet is not None and sheet.hidden:
            _problem(problems, "hidden-sheet", Loc(f"{source}:{sheet.name}"), sheet=sheet.name)
    if scheme_sheet is not None:
        read = read_scheme(scheme_sheet, problems)
        if read:
            path = os.path.join(folder, "indicators.yaml")
            files[path], maps[path] = indicators_yaml(read, source)
            indicators = tuple(i for i, _ in read)
    if scores_sheet is None or not indicators or any(i.max is None for i in indicators):
        return
    rows = read_score_sheet(scores_sheet, indicators, problems)
    if rows is None:
        return
    seen: dict[str, Loc] = {}
    for r in rows:
        if r.code in seen:
            _problem(problems, "duplicate-row", r.cell.loc, code=r.code, first=str(seen[r.code]))
        seen.setdefault(r.code, r.cell.loc)
    header = {re.sub(r"\s+", "", str(c.value)) for c in scores_sheet.rows[0] if c is not None}
    path = os.path.join(folder, "indicator-scores.yaml")
    files[path], maps[path] = scores_yaml(rows, ADJUSTMENT in header, source)
