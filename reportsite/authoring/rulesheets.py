"""What the sheets that set an edition's rules say: 档次与批次 (the tiers and the groups) and
A级联盟 (the A-level rule and its list), each value with the cell it came from.

Problems found in a single cell are collected here; whether the rules hold (bands without gaps, a
list that agrees with the history) is the checker's, run by `importer.py` on the data as it would
be after the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportsite.authoring import workbook as W
from reportsite.authoring.datafiles import GROUPS_HEAD, NO_A_LEVEL, TIERS_HEAD, Lines, a_level_lines, group_line, tier_line
from reportsite.authoring.sheetdata import Row, cell_number, code_text, read_codes, read_info, yes_no
from reportsite.authoring.sheets import Cell, Sheet
from reportsite.model.messages import message
from reportsite.model.records import ERROR, Edition, Loc, Problem


def _problem(problems: list[Problem], slug: str, loc: Loc, **params) -> None:
    problems.append(Problem(slug, loc, message(slug, **params), ERROR))


@dataclass(frozen=True)
class TierRow:
    """One tier as typed: its name, lowest score and key."""

    key: str
    name: str
    min: float
    loc: Loc


@dataclass(frozen=True)
class GroupRow:
    """One group as typed."""

    prefix: str
    name: str
    size: int
    pilot: bool
    loc: Loc


@dataclass(frozen=True)
class ALevelSheet:
    """The A级联盟 sheet: whether the edition evaluates A-level, the rule, and the list typed."""

    evaluated: bool | None
    """是否评定A级 says 是 (a blank is read as 是 when a rule is given); None when the sheet says
    nothing at all (the edition's A-level stays as it is)."""
    fields: dict[str, tuple[object, Cell]]
    """`a_level.name`, `a_level.rule`, `a_level.consecutive` as typed, each with its cell."""
    codes: list[Row]
    """The list, in published order (empty: to be computed from the history)."""
    loc: Loc
    """The sheet's first cell, where a problem with the whole sheet is shown."""


def _block(sheet: Sheet, first: str) -> tuple[int, dict[str, int]] | None:
    """The row whose first cell reads `first` (spaces ignored) and its headers' columns."""
    for index, row in enumerate(sheet.rows):
        cells = {re.sub(r"\s+", "", str(c.value)): col for col, c in enumerate(row) if c is not None}
        if row and row[0] is not None and re.sub(r"\s+", "", str(row[0].value)) == first:
            return index, cells
    return None


def _rows_below(sheet: Sheet, start: int) -> list[tuple[Cell | None, ...]]:
    """The rows after `start` up to the first blank one."""
    out = []
    for row in sheet.rows[start + 1:]:
        if not any(c is not None for c in row):
            break
        out.append(row)
    return out


def _cell(row: tuple[Cell | None, ...], col: int | None) -> Cell | None:
    return row[col] if col is not None and col < len(row) else None


def read_bands(sheet: Sheet, problems: list[Problem]) -> tuple[list[TierRow], list[GroupRow]]:
    """The tiers and groups of the 档次与批次 sheet, in order (a row with a missing or wrong value
    is reported and left out)."""
    tiers: list[TierRow] = []
    groups: list[GroupRow] = []
    found = _block(sheet, W.TIER_COLUMNS[0].header)
    if found is not None:
        start, cols = found
        for row in _rows_below(sheet, start):
            name, low, key = (_cell(row, cols.get(c.header)) for c in W.TIER_COLUMNS)
            first = next(c for c in row if c is not None)
            missing = [c.header for c, v in zip(W.TIER_COLUMNS, (name, low, key)) if v is None]
            if missing:
                _problem(problems, "cell-missing", first.loc, column="、".join(missing))
                continue
            assert name is not None and low is not None and key is not None
            value = cell_number(low, problems, W.TIER_COLUMNS[1].header)
            if value is not None:
                tiers.append(TierRow(str(key.value), str(name.value), value, name.loc))
    found = _block(sheet, W.GROUP_COLUMNS[0].header)
    if found is not None:
        start, cols = found
        for row in _rows_below(sheet, start):
            name, prefix, size, pilot = (_cell(row, cols.get(c.header)) for c in W.GROUP_COLUMNS)
            first = next(c for c in row if c is not None)
            missing = [c.header for c, v in zip(W.GROUP_COLUMNS[:3], (name, prefix, size)) if v is None]
            if missing:
                _problem(problems, "cell-missing", first.loc, column="、".join(missing))
                continue
            assert name is not None and prefix is not None and size is not None
            count = cell_number(size, problems, W.GROUP_COLUMNS[2].header)
            if count is not None and not count.is_integer():
                _problem(problems, "cell-number", size.loc, what=W.GROUP_COLUMNS[2].header, value=str(size.value))
                count = None
            if count is not None:
                groups.append(GroupRow(code_text(prefix), str(name.value), int(count),
                                       yes_no(pilot, problems, W.GROUP_COLUMNS[3].header) if pilot else True,
                                       name.loc))
    return tiers, groups


def read_a_level_sheet(sheet: Sheet, problems: list[Problem]) -> ALevelSheet:
    """The A级联盟 sheet: the rule above, the list below its 联盟编号 header."""
    codes_at = next((i for i, row in enumerate(sheet.rows)
                     if any(c is not None and re.sub(r"\s+", "", str(c.value)) == "联盟编号" for c in row)),
                    len(sheet.rows))
    fields = read_info(sheet, problems, W.A_LEVEL_FIELDS, stop=codes_at)
    said = fields.pop("a_level", None)
    codes = read_codes(sheet, problems) if codes_at < len(sheet.rows) else []
    evaluated = bool(said[0]) if said is not None else True if fields or codes else None
    first = next((c for row in sheet.rows for c in row if c is not None), None)
    return ALevelSheet(evaluated, fields, codes, first.loc if first else Loc(sheet.name))


def bands_info(tiers: list[TierRow], groups: list[GroupRow], edition: Edition, loc: Loc) -> dict[str, tuple[object, Loc]]:
    """edition.yaml's `tiers` and `groups` blocks as the sheet gives them, each only when it
    differs from the edition's (so comments and layout stay when nothing changed)."""
    out: dict[str, tuple[object, Loc]] = {}
    if tiers and [(t.key, t.name, t.min) for t in tiers] != [(t.key, t.name, t.min) for t in edition.tiers]:
        out["tiers"] = (Lines(((TIERS_HEAD, tiers[0].loc), *((tier_line(t.key, t.name, t.min), t.loc) for t in tiers))),
                        loc)
    if groups and [(g.prefix, g.name, g.size, g.pilot) for g in groups] != \
            [(g.prefix, g.name, g.size, g.pilot) for g in edition.groups]:
        out["groups"] = (Lines(((GROUPS_HEAD, groups[0].loc),
                                *((group_line(g.prefix, g.name, g.size, g.pilot), g.loc) for g in groups))), loc)
    return out


def a_level_info(sheet: ALevelSheet, edition: Edition, problems: list[Problem]) -> dict[str, tuple[object, Loc]]:
    """edition.yaml's `a_level` block as the sheet gives it (`a_level: false` when the edition does
    not evaluate A-level; the list left out, to be computed, when none is typed), only when it
    differs from the edition's."""
    current = edition.a_level
    if sheet.evaluated is None or (not sheet.evaluated and current is None):
        return {}
    if not sheet.evaluated:
        return {"a_level": (Lines(((NO_A_LEVEL, sheet.loc),)), sheet.loc)}
    given: dict[str, tuple[object, Loc]] = {k: (v, c.loc) for k, (v, c) in sheet.fields.items()}
    if current is not None:
        for key, value in (("name", current.name), ("rule", current.rule), ("consecutive", current.consecutive)):
            given.setdefault(f"a_level.{key}", (value, current.loc))
    missing = [f.label for f in W.A_LEVEL_FIELDS[1:] if f.key not in given]
    if missing:
        _problem(problems, "cell-missing", sheet.loc, column="、".join(missing))
        return {}
    name, rule, consecutive = (given[f"a_level.{k}"] for k in ("name", "rule", "consecutive"))
    codes = [r.code for r in sheet.codes] or None
    if current is not None and (current.name, current.rule, current.consecutive) == (name[0], rule[0], consecutive[0]) \
            and (codes is None if current.computed else codes == list(current.codes)):
        return {}
    text = a_level_lines(str(name[0]), str(rule[0]), int(str(consecutive[0])), codes)
    locs = [sheet.loc, name[1], rule[1], consecutive[1], *([sheet.codes[0].code_cell.loc] if codes else []),
            *(r.code_cell.loc for r in sheet.codes)]
    return {"a_level": (Lines(tuple(zip(text, locs))), sheet.loc)}
