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
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field

from . import parse
from . import workbook as W
from .alliances import read_registry
from .check import REGISTRY, check_archive
from .messages import message
from .model import ERROR, WARNING, Edition, Loc, Problem
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
    changes: list[str] = field(default_factory=list)
    """Registry changes made with --update-registry, one line each."""
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
                     derived=edition.tier_for(score).name, why=f"得分 {W_score(score)}")
        if score is None and tier is None and score_cell is None:
            _problem(plan, "cell-missing", code_cell.loc, column="得分或档次")
        if heading:
            heading = (*heading[:3], heading[3] + 1)
        rows.append(Row(_code(code_cell), code_cell, at("name"), score, tier if score is None else None))
    close_heading()
    return rows


def W_score(score: float) -> str:
    """A score as typed back to a person: 85, 85.5."""
    return str(int(score)) if float(score).is_integer() else str(score)


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


def q(text: str) -> str:
    """A string as a YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def results_yaml(edition: Edition, rows: list[Row], incomplete: list[tuple[str, Cell, Cell | None]],
                 source: str) -> tuple[str, dict[int, Loc]]:
    """results.yaml for the rows, and the cell each line came from."""
    lines = [f"# {edition.id} 评价结果：由 {os.path.basename(source)} 导入（python build.py import）。",
             "# evaluated: 参评联盟，按公布顺序；incomplete: 数据不完整、未纳入评价的联盟。",
             "evaluated:" if rows else "evaluated: []"]
    where: dict[int, Loc] = {}
    for row in rows:
        value = f"score: {W_score(row.score)}" if row.score is not None else f"tier: {row.tier}"
        lines.append(f"  - {{code: {q(row.code)}, {value}}}")
        where[len(lines)] = row.code_cell.loc
    lines.append("incomplete:" if incomplete else "incomplete: []")
    for code, cell, _ in incomplete:
        lines.append(f"  - {q(code)}")
        where[len(lines)] = cell.loc
    return "\n".join(lines) + "\n", where


def experts_yaml(edition: Edition, experts: list[tuple[dict, Cell, Cell | None]],
                 source: str) -> tuple[str, dict[int, Loc]]:
    """experts.yaml for the panel, and the cell each line came from."""
    lines = [f"# {edition.id} 评价专家组：由 {os.path.basename(source)} 导入（python build.py import）。"]
    where: dict[int, Loc] = {}
    for expert, name, titles in experts:
        titles_text = ", ".join(q(t) for t in expert["titles"])
        lines.append(f"- {{role: {q(expert['role'])}, name: {q(expert['name'])}, titles: [{titles_text}]}}")
        where[len(lines)] = (titles or name).loc
    if not experts:
        lines.append("[]")
    return "\n".join(lines) + "\n", where


def _yaml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    if isinstance(value, str):
        return q(value)
    return str(value)


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return _yaml_value(value)


def _flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def edition_yaml(text: str, info: dict[str, tuple[object, Cell]]) -> tuple[str, dict[int, Loc]]:
    """edition.yaml with the 基本信息 fields replaced; other keys and comments stay as written.

    A nested block (`period`, `activity`) is written whole, the sheet's values over the file's.
    """
    if not info:
        return text, {}
    import yaml

    try:
        current = yaml.safe_load(text)
    except yaml.YAMLError:
        current = None
    current = current if isinstance(current, dict) else {}
    blocks: dict[str, list[tuple[str, Loc | None]]] = {}
    for top in dict.fromkeys(key.split(".")[0] for key in info):
        if top == "period":
            period = dict(current.get("period") or {}) if isinstance(current.get("period"), dict) else {}
            cells = []
            for sub in ("start", "end"):
                if f"period.{sub}" in info:
                    period[sub], cell = info[f"period.{sub}"]
                    cells.append(cell.loc)
            blocks[top] = [(f"period: {_flow(period)}", cells[0])]
        elif top == "activity":
            activity = current.get("activity") if isinstance(current.get("activity"), dict) else {}
            lines: list[tuple[str, Loc | None]] = [("activity:", None)]
            subs = dict.fromkeys([*activity, *(k.split(".")[1] for k in info if k.startswith("activity."))])
            for sub in subs:
                given = {k.split(".")[2] if k.count(".") == 2 else "": v for k, v in info.items()
                         if k.split(".")[:2] == ["activity", sub]}
                loc = next((cell.loc for _, cell in given.values()), None)
                if "" in given:
                    lines.append((f"  {sub}: {_scalar(given[''][0])}", loc))
                elif given or isinstance(activity.get(sub), dict):
                    merged = dict(activity.get(sub) or {})
                    merged.update({k: v for k, (v, _) in given.items()})
                    lines.append((f"  {sub}: {_flow(merged)}", loc))
                else:
                    lines.append((f"  {sub}: {_scalar(activity[sub])}", None))
            blocks[top] = lines
        else:
            value, cell = info[top]
            # A month (2022-02) is not a date to YAML: it reads back as the same text unquoted.
            shown = value if top == "published" else _scalar(value)
            blocks[top] = [(f"{top}: {shown}", cell.loc)]
    lines = text.splitlines()
    for top, new in blocks.items():
        start, end = _block(lines, top)
        if start is None:
            lines.extend(line for line, _ in new)
            continue
        comment = re.search(r"\s+#.*$", lines[start]) if end - start == 1 else None
        replaced = [line for line, _ in new]
        if comment and len(replaced) == 1:
            replaced[0] = (replaced[0] + comment.group(0)) if "#" not in replaced[0] else replaced[0]
            blocks[top] = [(replaced[0], new[0][1])]
        lines[start:end] = replaced
    out = "\n".join(lines) + "\n"
    where: dict[int, Loc] = {}
    locs = {line: loc for new in blocks.values() for line, loc in new if loc is not None}
    for number, line in enumerate(out.splitlines(), start=1):
        if line in locs:
            where[number] = locs[line]
    return out, where


def _block(lines: list[str], key: str) -> tuple[int | None, int]:
    """The lines of a top-level key's block: from `key:` up to the next top-level line."""
    for i, line in enumerate(lines):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            return i, end
    return None, 0


def _registry_with(text: str, added: list[tuple[str, str]]) -> str:
    """alliances.yaml with new entries, each inserted before the first entry with a higher code."""
    lines = text.splitlines()
    for code, name in sorted(added):
        entry = f"- {{code: {q(code)}, name: {q(name)}}}"
        at = len(lines)
        for i, line in enumerate(lines):
            m = re.match(r'^- \{code: "?([0-9D]+)"?', line)
            if m and m.group(1) > code:
                at = i
                break
        lines.insert(at, entry)
    return "\n".join(lines) + "\n"


def check_rows(plan: Plan, book: Book, rows: list[Row], incomplete, registry, update: bool) -> list[tuple[str, str]]:
    """Names against the registry, repeated codes, merged and hidden sheets; new alliances to add."""
    names = {a.code: a for a in registry.alliances}
    seen: dict[str, Loc] = {}
    added: list[tuple[str, str]] = []
    for code, cell, name in [(r.code, r.code_cell, r.name) for r in rows] + list(incomplete):
        if code in seen:
            _problem(plan, "duplicate-row", cell.loc, code=code, first=str(seen[code]))
            continue
        seen[code] = cell.loc
        alliance = names.get(code)
        typed = re.sub(r"\s+", " ", str(name.value)).strip() if name is not None else None
        if alliance is None:
            if not registry.readable or code in registry.dropped:
                continue
            if update and typed and re.fullmatch(r"D?[0-9]{3}", code):
                added.append((code, typed))
                plan.changes.append(message("registry-added", code=code, name=typed).text("zh"))
            elif re.fullmatch(r"D?[0-9]{3}", code):
                _problem(plan, "new-code", cell.loc, code=code, name=typed or "")
            continue
        if typed and typed != alliance.name and typed not in alliance.aliases:
            _problem(plan, "name-mismatch", name.loc, code=code, typed=typed, registered=alliance.name)
    for sheet in book.sheets:
        for rng, loc in sheet.merged:
            _problem(plan, "merged-cells", loc, range=rng)
    return added


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
    added = check_rows(out, book, rows, [i for i in incomplete if i[1] is not None], registry, update_registry)
    maps: dict[str, dict[int, Loc]] = {}
    results_path = os.path.join(folder, "results.yaml")
    kept = [(c, cell or Cell(c, Loc(results_path)), n) for c, cell, n in incomplete]
    out.files[results_path], maps[results_path] = results_yaml(read_edition, rows, kept, source)
    if experts is not None:
        path = os.path.join(folder, "experts.yaml")
        out.files[path], maps[path] = experts_yaml(read_edition, experts, source)
    if info:
        path = os.path.join(folder, "edition.yaml")
        with open(path, encoding="utf-8") as f:
            out.files[path], maps[path] = edition_yaml(f.read(), info)
    if added:
        with open(registry_path, encoding="utf-8") as f:
            out.files[registry_path] = _registry_with(f.read(), added)
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
