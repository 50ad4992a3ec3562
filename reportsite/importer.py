"""`build.py import EDITION FILE`: the secretariat's workbook -> the edition's YAML files.

The results sheet is read in either of two layouts: the workbook `template.py` writes (a header
row 序号/联盟编号/联盟名称/得分/档次/备注), or one laid out like the printed appendix 3 (title rows,
then 序号/联盟名称/联盟编号/得分, with tier heading rows such as "活跃度高联盟（共 35 家）" between the
blocks: the heading gives the tier of the rows below it and its count is checked). Columns are
found by their headers, in any order.

Every row is checked before anything is written: against the registry and the workbook's own
sense here (names, tiers against scores, heading counts, repeated codes, formulas, merged cells),
then by the whole checker on the data as it would be after the import, its findings in the files
to be written moved back to the cells they came from. With any error nothing is written.
`plan()` is pure apart from reading; `write()` writes the files it planned.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field

from . import parse
from .datafiles import (edition_yaml, experts_yaml, registry_entry, registry_renamed, registry_with,
                        results_yaml, score_text)
from . import workbook as W
from .alliances import read_registry
from .check import REGISTRY, check_archive
from .messages import message
from .load import list_editions
from .model import ERROR, WARNING, Alliance, Edition, Loc, Problem, edition_order, is_edition_id
from .sheets import Book, Cell, Sheet, as_date, read

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


@dataclass
class Plan:
    """What an import would write, and what it found."""

    files: dict[str, str] = field(default_factory=dict)
    """Path -> new text, for every file the import writes."""
    problems: list[Problem] = field(default_factory=list)
    changes: list = field(default_factory=list)
    """Registry changes made with --update-registry, one `Message` each."""
    rows: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing stops the import."""
        return not any(p.severity == ERROR for p in self.problems)


def _problem(plan: Plan, slug: str, loc: Loc, severity: str = ERROR, **params) -> None:
    plan.problems.append(Problem(slug, loc, message(slug, **params), severity))


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


def _number(cell: Cell, plan: Plan, what: str) -> float | None:
    """A numeric cell's value, or a problem naming the cell and quoting what it holds."""
    value = cell.value
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        _problem(plan, "cell-number", cell.loc, what=what, value=str(value))
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return float(text)
    _problem(plan, "cell-number", cell.loc, what=what, value=text[:40])
    return None


def _tier_by_name(edition: Edition, text: str) -> str | None:
    name = re.sub(r"\s+", "", text)
    for tier in edition.tiers:
        if name in (tier.name, f"{tier.name}联盟", f"{tier.name}的联盟"):
            return tier.key
    return None


def read_results(sheet: Sheet, edition: Edition, plan: Plan) -> list[Row] | None:
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
            _problem(plan, "heading-count", heading[2].loc, heading=str(heading[2].value),
                     count=heading[1], rows=heading[3])

    for row in sheet.rows[start + 1:]:
        filled = [c for c in row if c is not None]
        if not filled:
            continue
        for cell in filled:
            if cell.formula:
                _problem(plan, "formula-cell", cell.loc, formula=cell.value[:40])
        if len(filled) == 1 and isinstance(filled[0].value, str) and HEADING.match(filled[0].value):
            m = HEADING.match(re.sub(r"\s+", "", filled[0].value))
            key = _tier_by_name(edition, m.group("name"))
            if key is None:
                _problem(plan, "heading-tier", filled[0].loc, heading=filled[0].value,
                         tiers="、".join(t.name for t in edition.tiers))
            close_heading()
            heading = (key, int(m.group("count")), filled[0], 0) if key else None
            continue

        def at(key: str) -> Cell | None:
            col = columns[key]
            return row[col] if col is not None and col < len(row) else None

        code_cell = at("code")
        if code_cell is None:
            _problem(plan, "cell-missing", filled[0].loc, column="联盟编号")
            continue
        score_cell, tier_cell = at("score"), at("tier")
        score = _number(score_cell, plan, "得分") if score_cell is not None else None
        if score is not None and not 0 <= score <= 100:
            _problem(plan, "cell-range", score_cell.loc, value=score_cell.value)
            score = None
        tier = heading[0] if heading else None
        if tier_cell is not None:
            typed = _tier_by_name(edition, str(tier_cell.value))
            if typed is None:
                _problem(plan, "cell-tier", tier_cell.loc, value=str(tier_cell.value)[:40],
                         tiers="、".join(t.name for t in edition.tiers))
            elif tier is not None and typed != tier:
                _problem(plan, "tier-mismatch", tier_cell.loc, value=str(tier_cell.value),
                         derived=edition.tier(tier).name, why="所在标题")
            tier = typed or tier
        if score is not None and tier is not None and edition.tier_for(score).key != tier:
            where = tier_cell.loc if tier_cell is not None else code_cell.loc
            _problem(plan, "tier-mismatch", where, value=edition.tier(tier).name,
                     derived=edition.tier_for(score).name, why=f"得分 {score_text(score)}")
        if score is None and tier is None and score_cell is None:
            _problem(plan, "cell-missing", code_cell.loc, column="得分或档次")
        if heading:
            heading = (*heading[:3], heading[3] + 1)
        rows.append(Row(_code(code_cell), code_cell, at("name"), score, tier if score is None else None))
    close_heading()
    return rows


def read_codes(sheet: Sheet, plan: Plan) -> list[tuple[str, Cell, Cell | None]]:
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
                _problem(plan, "formula-cell", cell.loc, formula=cell.value[:40])
        cell = row[code_col] if code_col < len(row) else None
        if cell is not None:
            name = row[name_col] if name_col is not None and name_col < len(row) else None
            out.append((_code(cell), cell, name))
    return out


def read_experts(sheet: Sheet, plan: Plan) -> list[tuple[dict, Cell, Cell | None]]:
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
                _problem(plan, "formula-cell", cell.loc, formula=cell.value[:40])
        name, titles, role = at("姓名"), at("职务"), at("专家组职务")
        if name is None:
            if titles is not None or role is not None:
                _problem(plan, "cell-missing", (titles or role).loc, column="姓名")
            continue
        if role is None:
            _problem(plan, "cell-missing", name.loc, column="专家组职务")
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


def read_info(sheet: Sheet, plan: Plan) -> dict[str, tuple[object, Cell]]:
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
            _problem(plan, "info-label", label.loc, WARNING, label=str(label.value)[:40])
            continue
        if value.formula:
            _problem(plan, "formula-cell", value.loc, formula=value.value[:40])
            continue
        parsed = _info_value(f, value, plan)
        if parsed is not None:
            out[f.key] = (parsed, value)
    return out


def _info_value(f: W.Field, cell: Cell, plan: Plan):
    if f.kind == "text":
        return str(cell.value)
    if f.kind == "list":
        return W.split_list(str(cell.value))
    if f.kind == "date":
        day = as_date(cell.value)
        if day is None:
            _problem(plan, "cell-date", cell.loc, value=str(cell.value)[:40], example="2022-01-01")
        return day
    if f.kind == "month":
        value = cell.value
        if isinstance(value, (dt.date, dt.datetime)):
            return f"{value.year:04d}-{value.month:02d}"
        m = re.fullmatch(r"([0-9]{4})[-/.年]([0-9]{1,2})月?", str(value))
        if not m or not 1 <= int(m.group(2)) <= 12:
            _problem(plan, "cell-date", cell.loc, value=str(value)[:40], example="2024-02")
            return None
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    number = _number(cell, plan, f.label)
    if number is None:
        return None
    if f.kind == "int":
        if not number.is_integer():
            _problem(plan, "cell-number", cell.loc, what=f.label, value=str(cell.value))
            return None
        return int(number)
    return int(number) if number.is_integer() else number


def check_rows(plan: Plan, book: Book, rows: list[Row], incomplete, registry, edition_id: str,
               update: bool) -> tuple[list[tuple[str, str]], list[tuple[Alliance, str]]]:
    """Names against the registry (the name in force for the edition), repeated codes, merged
    cells. With `update`, the new alliances to register and the renames to record."""
    names = {a.code: a for a in registry.alliances}
    seen: dict[str, Loc] = {}
    added: list[tuple[str, str]] = []
    renamed: list[tuple[Alliance, str]] = []
    for code, cell, name in [(r.code, r.code_cell, r.name) for r in rows] + list(incomplete):
        if code in seen:
            _problem(plan, "duplicate-row", cell.loc, code=code, first=str(seen[code]))
            continue
        seen[code] = cell.loc
        alliance = names.get(code)
        typed = re.sub(r"\s+", " ", str(name.value)).strip() if name is not None else None
        if alliance is None:
            if not registry.readable or code in registry.dropped or not re.fullmatch(r"D?[0-9]{3}", code):
                continue
            if update and typed:
                added.append((code, typed))
                plan.changes.append(message("registry-added", code=code, name=typed))
            else:
                _problem(plan, "new-code", cell.loc, code=code, name=typed or "")
            continue
        printed = alliance.name_in(edition_id)
        if typed and typed != printed and typed not in alliance.aliases:
            if update:
                renamed.append((alliance, typed))
            else:
                _problem(plan, "name-mismatch", name.loc, code=code, typed=typed, registered=printed)
    for sheet in book.sheets:
        for rng, loc in sheet.merged:
            _problem(plan, "merged-cells", loc, range=rng)
    return added, renamed


def record_renames(plan: Plan, text: str, registry, renamed, edition_id: str, editions: list[str],
                   where: dict[str, Loc]) -> str:
    """alliances.yaml with each rename recorded: the new name, the old one kept as a former name
    until the last edition before this one. Only the newest edition can rename."""
    if not renamed:
        return text
    later = [e for e in editions if edition_order(e) > edition_order(edition_id)]
    earlier = [e for e in editions if edition_order(e) < edition_order(edition_id)]
    if later:
        for alliance, typed in renamed:
            _problem(plan, "rename-not-newest", where[alliance.code], code=alliance.code, later=later[-1])
        return text
    starts = sorted(a.loc.line for a in registry.alliances)
    total = len(text.splitlines())
    entries = []
    for alliance, typed in renamed:
        first = alliance.loc.line
        following = [line for line in starts if line > first]
        last = (following[0] - 1) if following else total
        former = [(f.name, f.until) for f in alliance.former_names]
        if earlier:
            former.append((alliance.name, earlier[-1]))
        entries.append((first, last, registry_entry(alliance.code, typed, alliance.aliases, former)))
        plan.changes.append(message("registry-renamed", code=alliance.code, old=alliance.name, new=typed,
                                    until=earlier[-1] if earlier else "-"))
    return registry_renamed(text, entries)


def _overlay(data_dir: str, files: dict[str, str], maps: dict[str, dict[int, Loc]]) -> list[Problem]:
    """The checker's findings on the data as it would be after the import, located in the cells
    the written lines came from."""
    with tempfile.TemporaryDirectory(prefix="reportsite-import-") as tmp:
        copy = os.path.join(tmp, "data")
        shutil.copytree(data_dir, copy, symlinks=True)
        for path, text in files.items():
            target = os.path.join(copy, os.path.relpath(path, data_dir))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        _, problems = check_archive(copy)
        out = []
        for p in problems:
            rel = os.path.relpath(p.loc.path, copy) if p.loc.path.startswith(copy) else None
            if rel is None:
                out.append(p)
                continue
            real = os.path.join(data_dir, rel)
            cell = maps.get(real, {}).get(p.loc.line)
            loc = cell if cell is not None else Loc(real, p.loc.line, p.loc.col)
            out.append(Problem(p.slug, loc, p.message, p.severity, p.reason))
        return out


def plan(data_dir: str, edition_id: str, source: str, update_registry: bool = False) -> Plan:
    """Read `source` and work out every file the import would write; nothing is written."""
    out = Plan()
    folder = os.path.join(data_dir, edition_id)
    if not os.path.isfile(os.path.join(folder, "edition.yaml")):
        _problem(out, "import-no-edition", Loc(folder), edition=edition_id)
        return out
    found: list[Problem] = []
    registry_path = os.path.join(data_dir, REGISTRY)
    registry = read_registry(registry_path, found)
    read_edition = parse.edition(folder, edition_id, found).edition
    if read_edition is None or not read_edition.tiers:
        out.problems.extend(p for p in found if p.severity == ERROR)
        if not out.problems:
            _problem(out, "import-no-edition", Loc(folder), edition=edition_id)
        return out
    book = read(source)
    results_sheet = book.sheet(W.RESULTS) or book.sheets[0]
    if results_sheet.hidden:
        _problem(out, "hidden-sheet", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
    rows = read_results(results_sheet, read_edition, out)
    if rows is None:
        _problem(out, "no-header", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
        return out
    out.rows = len(rows)
    incomplete_sheet = book.sheet(W.INCOMPLETE)
    incomplete = read_codes(incomplete_sheet, out) if incomplete_sheet else \
        [(c, None, None) for c in read_edition.incomplete]
    experts_sheet, info_sheet = book.sheet(W.EXPERTS), book.sheet(W.INFO)
    experts = read_experts(experts_sheet, out) if experts_sheet else None
    info = read_info(info_sheet, out) if info_sheet else {}
    for sheet in (incomplete_sheet, experts_sheet, info_sheet):
        if sheet is not None and sheet.hidden:
            _problem(out, "hidden-sheet", Loc(f"{source}:{sheet.name}"), sheet=sheet.name)
    added, renamed = check_rows(out, book, rows, [i for i in incomplete if i[1] is not None], registry,
                                edition_id, update_registry)
    maps: dict[str, dict[int, Loc]] = {}
    results_path = os.path.join(folder, "results.yaml")
    out.files[results_path], maps[results_path] = results_yaml(
        edition_id, [(r.code, r.score, r.tier, r.code_cell.loc) for r in rows],
        [(c, cell.loc if cell else Loc(results_path)) for c, cell, _ in incomplete], source)
    if experts is not None:
        path = os.path.join(folder, "experts.yaml")
        out.files[path], maps[path] = experts_yaml(
            edition_id, [(e, (titles or name).loc) for e, name, titles in experts], source)
    if info:
        path = os.path.join(folder, "edition.yaml")
        with open(path, encoding="utf-8") as f:
            out.files[path], maps[path] = edition_yaml(f.read(), {k: (v, c.loc) for k, (v, c) in info.items()})
    if added or renamed:
        with open(registry_path, encoding="utf-8") as f:
            text = f.read()
        name_cells = {r.code: (r.name or r.code_cell).loc for r in rows}
        name_cells.update((c, (n or cell).loc) for c, cell, n in incomplete if cell is not None)
        text = record_renames(out, text, registry, renamed, edition_id,
                              [e for e in list_editions(data_dir)[0] if is_edition_id(e)], name_cells)
        out.files[registry_path] = registry_with(text, added)
    if out.ok:
        out.problems.extend(_overlay(data_dir, out.files, maps))
    out.problems.sort(key=lambda p: (p.loc.path, p.loc.line, p.loc.col))
    return out


def write(done: Plan, backup_dir: str) -> list[str]:
    """Write the planned files, each replaced whole; a file that changes is first copied into
    `backup_dir`. The paths written."""
    written = []
    for path, text in done.files.items():
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    continue
            os.makedirs(backup_dir, exist_ok=True)
            shutil.copy2(path, os.path.join(backup_dir, os.path.basename(path)))
        tmp = f"{path}.import-tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
        written.append(path)
    return written
