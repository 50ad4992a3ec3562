"""What the secretariat's sheets say: the results rows (in either layout), lists of codes, the
panel and the 基本信息 fields, each value with the cell it came from.

The results sheet is read in either of two layouts: the workbook `template.py` writes (a header
row 序号/联盟编号/联盟名称/得分/档次/备注), or one laid out like the printed appendix 3 (title rows,
then 序号/联盟名称/联盟编号/得分, with tier heading rows such as "活跃度高联盟（共 35 家）" between the
blocks: the heading gives the tier of the rows below it and its count is checked). Columns are
found by their headers, in any order. Problems found in a single cell are collected here; checks
against the registry and the edition are `importer.py`'s.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from openpyxl.utils import range_boundaries

from reportsite.authoring import workbook as W
from reportsite.authoring.datafiles import score_text
from reportsite.authoring.sheets import Cell, Sheet, as_date
from reportsite.model.chars import char_name
from reportsite.model.messages import message
from reportsite.model.records import ERROR, WARNING, Edition, Loc, Problem


def _problem(problems: list[Problem], slug: str, loc: Loc, severity: str = ERROR, said: str = "", **params) -> None:
    """A problem `[slug]`, worded by the catalogue's `said` when given (`cell-number/full-width`)."""
    problems.append(Problem(slug, loc, message(said or slug, **params), severity))


HEADING = re.compile(r"^(?P<name>.+?)(?:的)?联盟\s*[（(]\s*(?:共\s*)?(?P<count>\d+)\s*家\s*[)）]$")
"""A tier heading row of the appendix-3 layout: `活跃度高的联盟（共 35 家）`, `不活跃联盟（11家）`."""
HEADER_ALIASES = {"编号": "联盟编号", "名称": "联盟名称", "评分": "得分", "分数": "得分"}
TOTAL = re.compile(r"^(?:合计|总计|共计)")
"""A total row of the printed layout: `合计`, `合计：86 家`, its count in the same cell or another."""
NOTE = re.compile(r"^(?:备注|注|说明)\s*[:：]")
"""A note row below the table (`备注：三位数字中的第一位……`): read by people, not imported."""
CODE = re.compile(r"D?[0-9]{3}")
"""An alliance code as written: three digits, or D and three digits."""
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


@dataclass
class Row:
    """One row of the results sheet, read."""

    code: str
    code_cell: Cell
    name: Cell | None
    score: float | None
    tier: str | None
    """Tier key, from the 档次 cell or the heading above the row."""
    rename: bool = False
    """True when the row's 更名 cell says 是: its name is the alliance's new name."""


def _header_row(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The first row holding 联盟编号 with a name column: (its index, header -> column index)."""
    for index, row in enumerate(sheet.rows[:30]):
        headers = {}
        for col, cell in enumerate(row):
            if cell is not None and isinstance(cell.value, str):
                text = re.sub(r"\s+", "", cell.value)
                headers[HEADER_ALIASES.get(text, text)] = col
        if "联盟编号" in headers:
            return index, headers
    return None


def code_text(cell: Cell) -> str:
    """A code cell as text: a number typed as 110 (Excel stores 110.0) reads as "110"."""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def checked_code(cell: Cell, problems: list[Problem]) -> str | None:
    """The code a cell holds, or None after a problem at the cell: a code typed in full-width
    characters is named as such, with the code meant."""
    code = code_text(cell)
    if CODE.fullmatch(code):
        return code
    meant = unicodedata.normalize("NFKC", code).upper().replace(" ", "")
    odd = next((c for c in code if not c.isascii()), None)
    if CODE.fullmatch(meant) and odd is not None:
        _problem(problems, "cell-code", cell.loc, said="cell-code/full-width", value=code[:20], char=char_name(odd), code=meant)
    else:
        _problem(problems, "cell-code", cell.loc, value=code[:20])
    return None


def cell_number(cell: Cell, problems: list[Problem], what: str) -> float | None:
    """A numeric cell's value, or a problem naming the cell and quoting what it holds (a number
    typed in full-width digits is named as such, with the number meant). A formula has been
    reported already: its value is None and no more is said."""
    value = cell.value
    if cell.formula:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        _problem(problems, "cell-number", cell.loc, what=what, value=str(value))
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if NUMBER.fullmatch(text):
        return float(text)
    meant = unicodedata.normalize("NFKC", text).replace(" ", "")
    odd = next((c for c in text if not c.isascii()), None)
    if NUMBER.fullmatch(meant) and odd is not None:
        _problem(problems, "cell-number", cell.loc, said="cell-number/full-width", what=what, value=text[:40], char=char_name(odd),
                 number=meant)
    else:
        _problem(problems, "cell-number", cell.loc, what=what, value=text[:40])
    return None


def _tier_by_name(edition: Edition, text: str) -> str | None:
    name = re.sub(r"\s+", "", text)
    for tier in edition.tiers:
        if name in (tier.name, f"{tier.name}联盟", f"{tier.name}的联盟"):
            return tier.key
    return None


def title_merge(sheet: Sheet, rng: str) -> bool:
    """Whether a merged range is a title or tier-heading row of the printed layout: the merge's
    first cell, holding text, is the only cell filled in the rows it spans. A merge across data
    cells is not."""
    min_col, min_row, _, max_row = range_boundaries(rng)
    if min_col is None or min_row is None or max_row is None or max_row > len(sheet.rows):
        return False
    filled = [(r, col, c) for r in range(min_row, max_row + 1)
              for col, c in enumerate(sheet.rows[r - 1], start=1) if c is not None]
    return len(filled) == 1 and filled[0][:2] == (min_row, min_col) and isinstance(filled[0][2].value, str) \
        and not filled[0][2].formula


def _header_loc(sheet: Sheet, start: int) -> Loc:
    """Where a problem with a whole column is shown: the header row's first cell."""
    return next(c.loc for c in sheet.rows[start] if c is not None)


def _without_formulas(row: tuple[Cell | None, ...], problems: list[Problem]) -> tuple[Cell | None, ...]:
    """The row with each formula reported once and read as an empty cell."""
    for cell in row:
        if cell is not None and cell.formula:
            _problem(problems, "formula-cell", cell.loc, formula=str(cell.value)[:40])
    return tuple(None if c is None or c.formula else c for c in row)


def _label(cells: list[Cell]) -> str:
    """A row's only text, spaces removed ("" when the row holds more than one cell or a number)."""
    if len(cells) != 1 or not isinstance(cells[0].value, str):
        return ""
    return re.sub(r"\s+", "", cells[0].value)


def _total(cells: list[Cell], rows: int, problems: list[Problem]) -> None:
    """A 合计 row: its count, when it gives one, checked against the rows read above it."""
    for cell in cells:
        found = re.search(r"[0-9]+", str(code_text(cell)))
        if found is not None:
            if int(found.group()) != rows:
                _problem(problems, "total-count", cell.loc, value=str(cell.value)[:20], rows=rows)
            return


def _columns_present(sheet: Sheet, start: int, headers: dict[str, int], problems: list[Problem]) -> bool:
    """Whether the results sheet has what a row needs (得分 or 档次); a missing 联盟名称 column is a
    warning that the names go unchecked."""
    if "联盟名称" not in headers:
        _problem(problems, "column-no-names", _header_loc(sheet, start), WARNING, sheet=sheet.name)
    if "得分" not in headers and "档次" not in headers:
        _problem(problems, "column-missing", _header_loc(sheet, start), sheet=sheet.name, column="得分")
        return False
    return True


def sheet_results(sheet: Sheet, edition: Edition, problems: list[Problem]) -> list[Row] | None:
    """The evaluated rows of the results sheet in order, headings and a 合计 row checked; None
    without a header. A sheet without a 得分 (or 档次) column is one problem, and no rows."""
    found = _header_row(sheet)
    if found is None:
        return None
    start, headers = found
    if not _columns_present(sheet, start, headers, problems):
        return []
    columns = {key: headers.get(header) for header, key in
               (("联盟编号", "code"), ("联盟名称", "name"), ("得分", "score"), ("档次", "tier"), ("更名", "rename"))}
    rows: list[Row] = []
    data_rows = 0
    heading: tuple[str, int, Cell, int] | None = None  # tier key, count, cell, rows so far

    def close_heading() -> None:
        if heading and heading[3] != heading[1]:
            _problem(problems, "heading-count", heading[2].loc, heading=str(heading[2].value),
                     count=heading[1], rows=heading[3])

    for typed in sheet.rows[start + 1:]:
        row = _without_formulas(typed, problems)
        filled = [c for c in row if c is not None]
        if not filled or NOTE.match(_label(filled)):
            continue
        if TOTAL.match(re.sub(r"\s+", "", str(filled[0].value))):
            _total(filled[1:] or [filled[0]], data_rows, problems)
            continue
        if HEADING.match(_label(filled)):
            m = HEADING.match(_label(filled))
            assert m is not None
            key = _tier_by_name(edition, m.group("name"))
            if key is None:
                _problem(problems, "heading-tier", filled[0].loc, heading=filled[0].value,
                         tiers="、".join(t.name for t in edition.tiers))
            close_heading()
            heading = (key, int(m.group("count")), filled[0], 0) if key else None
            continue

        def at(key: str) -> Cell | None:
            col = columns[key]
            return row[col] if col is not None and col < len(row) else None

        def typed_at(key: str) -> Cell | None:
            col = columns[key]
            return typed[col] if col is not None and col < len(typed) else None

        data_rows += 1
        if heading:
            heading = (*heading[:3], heading[3] + 1)
        code_cell = at("code")
        if code_cell is None:
            if typed_at("code") is None:
                _problem(problems, "cell-missing", filled[0].loc, column="联盟编号")
            continue
        code = checked_code(code_cell, problems)
        score_cell, tier_cell = at("score"), at("tier")
        score = cell_number(score_cell, problems, "得分") if score_cell is not None else None
        if score is not None and score_cell is not None and not 0 <= score <= 100:
            _problem(problems, "cell-range", score_cell.loc, value=score_cell.value)
            score = None
        tier = heading[0] if heading else None
        if tier_cell is not None:
            named = _tier_by_name(edition, str(tier_cell.value))
            if named is None:
                _problem(problems, "cell-tier", tier_cell.loc, value=str(tier_cell.value)[:40],
                         tiers="、".join(t.name for t in edition.tiers))
            elif tier is not None and named != tier:
                _problem(problems, "heading-tier-mismatch", tier_cell.loc, value=str(tier_cell.value),
                         derived=edition.tier(tier).name)
            tier = named or tier
        if score is not None and tier is not None and edition.tier_for(score).key != tier:
            where = tier_cell.loc if tier_cell is not None else code_cell.loc
            _problem(problems, "tier-mismatch", where, value=edition.tier(tier).name,
                     derived=edition.tier_for(score).name, score=score_text(score))
        if score is None and tier is None and typed_at("score") is None and typed_at("tier") is None:
            _problem(problems, "cell-missing", code_cell.loc, column="得分或档次")
        if code is not None:
            rows.append(Row(code, code_cell, at("name"), score, tier if score is None else None,
                            yes_no(at("rename"), problems, "更名")))
    close_heading()
    return rows


def read_codes(sheet: Sheet, problems: list[Problem]) -> list[Row]:
    """The rows of a list sheet such as 数据不完整 (code, its cell, its name cell, 更名), without
    scores or tiers."""
    found = _header_row(sheet)
    if found is None:
        return []
    start, headers = found
    code_col, name_col, rename_col = headers["联盟编号"], headers.get("联盟名称"), headers.get("更名")
    if name_col is None:
        _problem(problems, "column-no-names", _header_loc(sheet, start), WARNING, sheet=sheet.name)

    def at(row, col: int | None) -> Cell | None:
        return row[col] if col is not None and col < len(row) else None

    out = []
    for row in sheet.rows[start + 1:]:
        row = _without_formulas(row, problems)
        filled = [c for c in row if c is not None]
        if not filled or NOTE.match(_label(filled)) or TOTAL.match(re.sub(r"\s+", "", str(filled[0].value))):
            continue
        cell = at(row, code_col)
        code = checked_code(cell, problems) if cell is not None else None
        if cell is not None and code is not None:
            out.append(Row(code, cell, at(row, name_col), None, None,
                           yes_no(at(row, rename_col), problems, "更名")))
    return out


def yes_no(cell: Cell | None, problems: list[Problem], column: str) -> bool:
    """A yes-or-no cell: 是 is yes, 否 or blank no; anything else a problem (and no)."""
    if cell is None:
        return False
    text = re.sub(r"\s+", "", str(cell.value))
    if text not in (W.YES, W.NO):
        _problem(problems, "cell-yes-no", cell.loc, column=column, value=str(cell.value)[:40])
    return text == W.YES


def sheet_experts(sheet: Sheet, problems: list[Problem]) -> list[tuple[dict, Cell, Cell | None]]:
    """(expert, name cell, titles cell) of the 专家组 sheet, in order; a missing 姓名 or 专家组职务
    column is one problem."""
    found = _header_row_named(sheet, "姓名")
    if found is None:
        found = _header_row_named(sheet, "专家组职务")
        if found is not None:
            _problem(problems, "column-missing", _header_loc(sheet, found[0]), sheet=sheet.name, column="姓名")
        return []
    start, headers = found
    if "专家组职务" not in headers:
        _problem(problems, "column-missing", _header_loc(sheet, start), sheet=sheet.name, column="专家组职务")
        return []
    out = []
    for typed in sheet.rows[start + 1:]:
        row = _without_formulas(typed, problems)

        def at(header: str, cells=row) -> Cell | None:
            col = headers.get(header)
            return cells[col] if col is not None and col < len(cells) else None

        name, titles, role = at("姓名"), at("职务"), at("专家组职务")
        if name is None:
            given = titles or role
            if given is not None and at("姓名", typed) is None:
                _problem(problems, "cell-missing", given.loc, column="姓名")
            continue
        if role is None:
            if at("专家组职务", typed) is None:
                _problem(problems, "cell-missing", name.loc, column="专家组职务")
            continue
        expert = {"role": str(role.value), "name": re.sub(r"\s+", "", str(name.value)),
                  "titles": W.split_list(str(titles.value)) if titles is not None else []}
        out.append((expert, name, titles))
    return out


def _header_row_named(sheet: Sheet, first: str) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(sheet.rows[:30]):
        headers = {re.sub(r"\s+", "", c.value): col for col, c in enumerate(row)
                   if c is not None and isinstance(c.value, str)}
        if first in headers:
            return index, headers
    return None


def read_info(sheet: Sheet, problems: list[Problem], fields: tuple[W.Field, ...] = W.INFO_FIELDS,
              stop: int | None = None) -> dict[str, tuple[object, Cell]]:
    """The values of a sheet of labelled values (基本信息 by default) by data key, only the fields
    filled in, each with its cell; rows from the second up to `stop` (0-based, exclusive)."""
    labels = {f.label: f for f in fields}
    out: dict[str, tuple[object, Cell]] = {}
    for row in sheet.rows[1:stop]:
        label = row[0] if row else None
        value = row[1] if len(row) > 1 else None
        if label is None or value is None:
            continue
        f = labels.get(re.sub(r"\s+", "", str(label.value)))
        if f is None:
            _problem(problems, "info-label", label.loc, WARNING, label=str(label.value)[:40], sheet=sheet.name)
            continue
        if value.formula:
            _problem(problems, "formula-cell", value.loc, formula=str(value.value)[:40])
            continue
        parsed = _info_value(f, value, problems)
        if parsed is not None:
            out[f.key] = (parsed, value)
    return out


def _info_value(f: W.Field, cell: Cell, problems: list[Problem]):
    if f.kind == "yesno":
        return yes_no(cell, problems, f.label)
    if f.kind == "publish":
        word = W.PUBLISH_WORDS.get(re.sub(r"\s+", "", str(cell.value)))
        if word is None:
            _problem(problems, "cell-choice", cell.loc, what=f.label, value=str(cell.value)[:40],
                     allowed="、".join(W.PUBLISH_NAMES.values()))
        return word
    if f.kind == "text":
        return str(cell.value)
    if f.kind == "list":
        return W.split_list(str(cell.value))
    if f.kind == "date":
        day = as_date(cell.value)
        if day is None:
            _problem(problems, "cell-date", cell.loc, value=str(cell.value)[:40], example="2022-01-01")
        return day
    if f.kind == "month":
        value = cell.value
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        m = re.fullmatch(r"([0-9]{4})[-/.年]([0-9]{1,2})月?", str(value))
        if not m or not 1 <= int(m.group(2)) <= 12:
            _problem(problems, "cell-date", cell.loc, value=str(value)[:40], example="2024-02")
            return None
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    number = cell_number(cell, problems, f.label)
    if number is None:
        return None
    if f.kind == "int":
        if not number.is_integer():
            _problem(problems, "cell-number", cell.loc, what=f.label, value=str(cell.value))
            return None
        return int(number)
    return int(number) if number.is_integer() else number
