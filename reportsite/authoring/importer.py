"""`build.py import EDITION FILE`: the secretariat's workbook -> the edition's YAML files.

Every row is checked before anything is written: cell by cell as `sheetdata.py` reads it, against
the registry (names in force for the edition, new codes, repeated codes, merged cells), then by
the whole checker on the data as it would be after the import, its findings in the files to be
written moved back to the cells they came from. With any error nothing is written. `plan_import()` is
pure apart from reading; `write_import()` writes the files it planned.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field

from reportsite.authoring import workbook as W
from reportsite.authoring.datafiles import (
    edition_yaml,
    experts_yaml,
    registry_entry,
    registry_renamed,
    registry_with,
    results_yaml,
)
from reportsite.authoring.indicatorsheets import plan_indicators
from reportsite.authoring.sheetdata import Row, read_codes, read_info, sheet_experts, sheet_results
from reportsite.authoring.sheets import Book, read_book
from reportsite.model import files
from reportsite.model.messages import message
from reportsite.model.records import ERROR, Alliance, Loc, Problem, edition_order, is_edition_id
from reportsite.read import parse
from reportsite.read.check import REGISTRY, check_archive
from reportsite.read.load import list_editions
from reportsite.read.registry import read_registry
from reportsite.read.source import Source


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


def _problem(plan_import: Plan, slug: str, loc: Loc, severity: str = ERROR, **params) -> None:
    plan_import.problems.append(Problem(slug, loc, message(slug, **params), severity))


def check_rows(plan_import: Plan, book: Book, rows: list[Row], incomplete, registry, edition_id: str,
               update: bool) -> tuple[list[tuple[str, str]], list[tuple[Alliance, str]]]:
    """Names against the registry (the name in force for the edition), repeated codes, merged
    cells. With `update`, the new alliances to register and the renames to record."""
    names = {a.code: a for a in registry.alliances}
    seen: dict[str, Loc] = {}
    added: list[tuple[str, str]] = []
    renamed: list[tuple[Alliance, str]] = []
    for code, cell, name in [(r.code, r.code_cell, r.name) for r in rows] + list(incomplete):
        if code in seen:
            _problem(plan_import, "duplicate-row", cell.loc, code=code, first=str(seen[code]))
            continue
        seen[code] = cell.loc
        alliance = names.get(code)
        typed = re.sub(r"\s+", " ", str(name.value)).strip() if name is not None else None
        if alliance is None:
            if not registry.readable or code in registry.dropped or not re.fullmatch(r"D?[0-9]{3}", code):
                continue
            if update and typed:
                added.append((code, typed))
                plan_import.changes.append(message("registry-added", code=code, name=typed))
            else:
                _problem(plan_import, "new-code", cell.loc, code=code, name=typed or "")
            continue
        printed = alliance.name_in(edition_id)
        if typed and typed != printed and typed not in alliance.aliases:
            if update:
                renamed.append((alliance, typed))
            else:
                _problem(plan_import, "name-mismatch", name.loc, code=code, typed=typed, registered=printed)
    for sheet in book.sheets:
        for rng, loc in sheet.merged:
            _problem(plan_import, "merged-cells", loc, range=rng)
    return added, renamed


def record_renames(plan_import: Plan, text: str, registry, renamed, edition_id: str, editions: list[str],
                   where: dict[str, Loc]) -> str:
    """alliances.yaml with each rename recorded: the new name, the old one kept as a former name
    until the last edition before this one. Only the newest edition can rename."""
    if not renamed:
        return text
    later = [e for e in editions if edition_order(e) > edition_order(edition_id)]
    earlier = [e for e in editions if edition_order(e) < edition_order(edition_id)]
    if later:
        for alliance, typed in renamed:
            _problem(plan_import, "rename-not-newest", where[alliance.code], code=alliance.code, later=later[-1])
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
        plan_import.changes.append(message("registry-renamed", code=alliance.code, old=alliance.name, new=typed,
                                    until=earlier[-1] if earlier else "-"))
    return registry_renamed(text, entries)


def _overlay(data_dir: str, edition_id: str, planned: dict[str, str],
             maps: dict[str, dict[int, Loc]]) -> list[Problem]:
    """The checker's findings on the data as it would be after the import (the planned files
    in front of the disk) that concern it (the edition and the registry), located in the cells
    the written lines came from."""
    _, problems = check_archive(data_dir, source=Source(planned))
    out = []
    for p in problems:
        rel = os.path.relpath(p.loc.path, data_dir)
        if rel.split(os.sep)[0] not in (edition_id, REGISTRY):
            # Another edition's finding is not this import's to report.
            continue
        cell = maps.get(p.loc.path, {}).get(p.loc.line)
        out.append(Problem(p.slug, cell if cell is not None else p.loc, p.message, p.severity, p.reason))
    return out


def plan_import(data_dir: str, edition_id: str, source: str, update_registry: bool = False) -> Plan:
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
    book = read_book(source)
    results_sheet = book.sheet(W.RESULTS) or book.sheets[0]
    if results_sheet.hidden:
        _problem(out, "hidden-sheet", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
    rows = sheet_results(results_sheet, read_edition, out.problems)
    if rows is None:
        _problem(out, "no-header", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
        return out
    out.rows = len(rows)
    incomplete_sheet = book.sheet(W.INCOMPLETE)
    incomplete = read_codes(incomplete_sheet, out.problems) if incomplete_sheet else \
        [(c, None, None) for c in read_edition.incomplete]
    experts_sheet, info_sheet = book.sheet(W.EXPERTS), book.sheet(W.INFO)
    experts = sheet_experts(experts_sheet, out.problems) if experts_sheet else None
    info = read_info(info_sheet, out.problems) if info_sheet else {}
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
    plan_indicators(book, read_edition, folder, source, out.files, maps, out.problems)
    if added or renamed:
        with open(registry_path, encoding="utf-8") as f:
            text = f.read()
        name_cells = {r.code: (r.name or r.code_cell).loc for r in rows}
        name_cells.update((c, (n or cell).loc) for c, cell, n in incomplete if cell is not None)
        text = record_renames(out, text, registry, renamed, edition_id,
                              [e for e in list_editions(data_dir)[0] if is_edition_id(e)], name_cells)
        out.files[registry_path] = registry_with(text, added)
    if out.ok:
        out.problems.extend(_overlay(data_dir, edition_id, out.files, maps))
    out.problems.sort(key=lambda p: (p.loc.path, p.loc.line, p.loc.col))
    return out


def write_import(done: Plan, backup_dir: str) -> list[str]:
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
        files.write(path, text)
        written.append(path)
    return written
