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
from dataclasses import dataclass

from reportsite.authoring import workbook as W
from reportsite.authoring.datafiles import score_text
from reportsite.authoring.sheets import Cell, Sheet, as_date
from reportsite.model.messages import message
from reportsite.model.records import ERROR, WARNING, Edition, Loc, Problem


def _problem(problems: list[Problem], slug: str, loc: Loc, severity: str = ERROR, **params) -> None:
    problems.append(Problem(slug, loc, message(slug, **params), severity))


HEADING = re.compile(r"^(?P<name>.+?)(?:的)?联盟\s*[（(]\s*(?:共\s*)?(?P<count>\d+)\s*家\s*[)）]$")
"""A tier heading row of the appendix-3 layout: `活跃度高的联盟（共 35 家）`, `不活跃联盟（11家）`."""
HEADER_ALIASES = {"编号": "联盟编号", "名称": "联盟名称", "评分": "得分", "分数": "得分"}


@dataclass
class Row:
    """One row of the results sheet, read."""

    code: str
    code_cell: Cell
    name: Cell | None
    score: float | None
    tier: str | None
    """Tier key, from the 档次 cell or the heading above the row."""


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


def _code(cell: Cell) -> str:
    """A code cell as text: a number typed as 110 (Excel stores 110.0) reads as "110"."""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(cell: Cell, problems: list[Problem], what: str) -> float | None:
    """A numeric cell's value, or a problem naming the cell and quoting what it holds."""
    value = cell.value
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        _problem(problems, "cell-number", cell.loc, what=what, value=str(value))
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return float(text)
    _problem(problems, "cell-number", cell.loc, what=what, value=text[:40])
    return None


def _tier_by_name(edition: Edition, text: str) -> str | None:
    name = re.sub(r"\s+", "", text)
    for tier in edition.tiers:
        if name in (tier.name, f"{tier.name}联盟", f"{tier.name}的联盟"):
            return tier.key
    return None


def sheet_results(sheet: Sheet, edition: Edition, problems: list[Problem]) -> list[Row] | None:
    """The evaluated rows of the results sheet in order, headings checked; None without a header."""
    found = _header_row(sheet)
    if found is None:
        return None
    start, headers = found
    columns = {key: headers.get(header) for header, key in
               (("联盟编号", "code"), ("联盟名称", "name"), ("得分", "score"), ("档次", "tier"))}
    rows: list[Row] = []
    heading: tuple[str, int, Cell, int] | None = None  # tier key, count, cell, rows so far

    def close_heading() -> None:
        if heading and heading[3] != heading[1]:
            _problem(problems, "heading-count", heading[2].loc, heading=str(heading[2].value),
                     count=heading[1], rows=heading[3])

    for row in sheet.rows[start + 1:]:
        filled = [c for c in row if c is not None]
        if not filled:
            continue
        for cell in filled:
            if cell.formula:
                _problem(problems, "formula-cell", cell.loc, formula=str(cell.value)[:40])
        if len(filled) == 1 and isinstance(filled[0].value, str) and HEADING.match(filled[0].value):
            m = HEADING.match(re.sub(r"\s+", "", filled[0].value))
            assert m is not None  # a cell's text starts with no space: a heading without spaces is one
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

        code_cell = at("code")
        if code_cell is None:
            _problem(problems, "cell-missing", filled[0].loc, column="联盟编号")
            continue
        score_cell, tier_cell = at("score"), at("tier")
        score = _number(score_cell, problems, "得分") if score_cell is not None else None
        if score is not None and score_cell is not None and not 0 <= score <= 100:
            _problem(problems, "cell-range", score_cell.loc, value=score_cell.value)
            score = None
        tier = heading[0] if heading else None
        if tier_cell is not None:
            typed = _tier_by_name(edition, str(tier_cell.value))
            if typed is None:
                _problem(problems, "cell-tier", tier_cell.loc, value=str(tier_cell.value)[:40],
                         tiers="、".join(t.name for t in edition.tiers))
            elif tier is not None and typed != tier:
                _problem(problems, "heading-tier-mismatch", tier_cell.loc, value=str(tier_cell.value),
                         derived=edition.tier(tier).name)
            tier = typed or tier
        if score is not None and tier is not None and edition.tier_for(score).key != tier:
            where = tier_cell.loc if tier_cell is not None else code_cell.loc
            _problem(problems, "tier-mismatch", where, value=edition.tier(tier).name,
                     derived=edition.tier_for(score).name, score=score_text(score))
        if score is None and tier is None and score_cell is None:
            _problem(problems, "cell-missing", code_cell.loc, column="得分或档次")
        if heading:
            heading = (*heading[:3], heading[3] + 1)
        rows.append(Row(_code(code_cell), code_cell, at("name"), score, tier if score is None else None))
    close_heading()
    return rows


def read_codes(sheet: Sheet, problems: list[Problem]) -> list[tuple[str, Cell, Cell | None]]:
    """(code, its cell, its name cell) of a list sheet such as 数据不完整."""
    found = _header_row(sheet)
    if found is None:
        return []
    start, headers = found
    code_col, name_col = headers["联盟编号"], headers.get("联盟名称")
    out = []
    for row in sheet.rows[start + 1:]:
        for cell in row:
            if cell is not None and cell.formula:
                _problem(problems, "formula-cell", cell.loc, formula=str(cell.value)[:40])
        cell = row[code_col] if code_col < len(row) else None
        if cell is not None:
            name = row[name_col] if name_col is not None and name_col < len(row) else None
            out.append((_code(cell), cell, name))
    return out


def sheet_experts(sheet: Sheet, problems: list[Problem]) -> list[tuple[dict, Cell, Cell | None]]:
    """(expert, name cell, titles cell) of the 专家组 sheet, in order."""
    found = _header_row_named(sheet, "姓名")
    if found is None:
        return []
    start, headers = found
    out = []
    for row in sheet.rows[start + 1:]:
        def at(header: str) -> Cell | None:
            col = headers.get(header)
            return row[col] if col is not None and col < len(row) else None

        for cell in row:
            if cell is not None and cell.formula:
                _problem(problems, "formula-cell", cell.loc, formula=str(cell.value)[:40])
        name, titles, role = at("姓名"), at("职务"), at("专家组职务")
        if name is None:
            given = titles or role
            if given is not None:
                _problem(problems, "cell-missing", given.loc, column="姓名")
            continue
        if role is None:
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


def read_info(sheet: Sheet, problems: list[Problem]) -> dict[str, tuple[object, Cell]]:
    """The 基本信息 values by data key (only the fields filled in), each with its cell."""
    labels = {f.label: f for f in W.INFO_FIELDS}
    out: dict[str, tuple[object, Cell]] = {}
    for row in sheet.rows[1:]:
        label = row[0] if row else None
        value = row[1] if len(row) > 1 else None
        if label is None or value is None:
            continue
        f = labels.get(re.sub(r"\s+", "", str(label.value)))
        if f is None:
            _problem(problems, "info-label", label.loc, WARNING, label=str(label.value)[:40])
            continue
        if value.formula:
            _problem(problems, "formula-cell", value.loc, formula=str(value.value)[:40])
            continue
        parsed = _info_value(f, value, problems)
        if parsed is not None:
            out[f.key] = (parsed, value)
    return out


def _info_value(f: W.Field, cell: Cell, problems: list[Problem]):
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
    number = _number(cell, problems, f.label)
    if number is None:
        return None
    if f.kind == "int":
        if not number.is_integer():
            _problem(problems, "cell-number", cell.loc, what=f.label, value=str(cell.value))
            return None
        return int(number)
    return int(number) if number.is_integer() else number
