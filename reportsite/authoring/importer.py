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
from reportsite.authoring.names import name_problems
from reportsite.authoring.indicatorsheets import SCHEME, SCORES, plan_indicators
from reportsite.authoring.rulesheets import ALevelSheet, a_level_info, bands_info, read_a_level_sheet, read_bands
from reportsite.authoring.sheetdata import Row, read_codes, read_info, sheet_experts, sheet_results, title_merge
from reportsite.authoring.sheets import Book, cell_place, read_book
from reportsite.build.journal import Transaction
from reportsite.model import files
from reportsite.model.chars import char_name, differing
from reportsite.model.messages import Message, message
from reportsite.model.records import (
    ERROR,
    WARNING,
    Alliance,
    Archive,
    Edition,
    Loc,
    Problem,
    edition_order,
    is_edition_id,
    quote,
)
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
    a_level: ALevelSheet | None = None
    """The A级联盟 sheet, when the workbook has one."""

    @property
    def ok(self) -> bool:
        """True when nothing stops the import."""
        return not any(p.severity == ERROR for p in self.problems)


def _problem(plan_import: Plan, slug: str, loc: Loc, severity: str = ERROR, **params) -> None:
    plan_import.problems.append(Problem(slug, loc, message(slug, **params), severity))


def check_rows(plan_import: Plan, book: Book, rows: list[Row], registry, edition_id: str, update: bool,
               renames: frozenset[str] = frozenset(), previous: str | None = None
               ) -> tuple[list[tuple[str, str]], list[tuple[Alliance, str]]]:
    """Names against the registry (the name in force for the edition), repeated codes, merged
    cells. With `update`, the new alliances to register; the renames to record are the rows whose
    code is in `renames` (`--rename`) or whose 更名 cell says 是 (`previous`: the edition before,
    whose renames are this edition's)."""
    names = {a.code: a for a in registry.alliances}
    seen: dict[str, Loc] = {}
    added: list[tuple[str, str]] = []
    renamed: list[tuple[Alliance, str]] = []
    asked = set(renames)
    results = book.sheet(W.RESULTS) or book.sheets[0]
    accidents, settled = name_problems([(r.code, r.name) for r in rows], registry, edition_id,
                                       Loc(f"{book.path}:{results.name}"), plan_import.rows, update,
                                       asked | {r.code for r in rows if r.rename})
    plan_import.problems.extend(accidents)
    for row in rows:
        code, cell, name = row.code, row.code_cell, row.name
        if code in seen:
            _problem(plan_import, "duplicate-row", cell.loc, code=code, first=str(seen[code]))
            continue
        seen[code] = cell.loc
        if code in settled:
            asked.discard(code)
            continue
        alliance = names.get(code)
        typed = re.sub(r"\s+", " ", str(name.value)).strip() if name is not None else None
        if alliance is None:
            if not registry.readable or code in registry.dropped or not re.fullmatch(r"D?[0-9]{3}", code):
                continue
            if update and typed:
                added.append((code, typed))
                plan_import.changes.append(message("registry-added", code=code, name=quote(typed)))
            else:
                _problem(plan_import, "new-code", cell.loc, code=code, name=quote(typed or ""))
            continue
        printed = alliance.name_in(edition_id)
        wanted = row.rename or code in asked
        asked.discard(code)
        if typed and typed != printed and typed not in alliance.aliases:
            if wanted:
                renamed.append((alliance, typed))
            else:
                assert name is not None  # a name was typed
                plan_import.problems.append(name_mismatch(code, typed, printed, name.loc))
        elif wanted and not renamed_here(alliance, previous):
            where = name.loc if name is not None else cell.loc
            _problem(plan_import, "rename-unused", where, WARNING, code=code, name=quote(printed))
    for code in sorted(asked):
        _problem(plan_import, "rename-unknown", Loc(book.path), code=quote(code))
    for sheet in book.sheets:
        for rng, loc in sheet.merged:
            if not title_merge(sheet, rng):
                _problem(plan_import, "merged-cells", loc, range=rng)
    return added, renamed


def renamed_here(alliance: Alliance, previous: str | None) -> bool:
    """Whether the alliance's rename took effect in this edition (its newest former name was last
    printed by `previous`, the edition before): a 更名 mark on a workbook imported again, or given
    to `correct`, is then the rename already recorded, not a mistake."""
    return previous is not None and bool(alliance.former_names) and alliance.former_names[-1].until == previous


def name_mismatch(code: str, typed: str, registered: str, loc: Loc) -> Problem:
    """A name that differs from the registered one: a likely typo, its differing characters
    marked, when one or two characters differ; else a possible rename. Unusual characters among
    the differing ones (full-width, Cyrillic, invisible) are named."""
    count, marked, against, odd = differing(typed, registered)
    chars = message("name-mismatch/chars", char=char_name(odd[0])) if odd else ""
    if count <= TYPO:
        said = message("name-mismatch/typo", code=code, typed=quote(marked, 120), registered=quote(against, 120),
                       count=count, chars=chars)
    else:
        said = message("name-mismatch", code=code, typed=quote(typed), registered=quote(registered), chars=chars)
    return Problem("name-mismatch", loc, said)


TYPO = 2
"""Names differing in at most this many characters are called a likely typo."""


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
             maps: dict[str, dict[int, Loc]]) -> tuple[Archive | None, list[Problem]]:
    """The checker's findings on the data as it would be after the import (the planned files
    in front of the disk) that concern it (the edition and the registry), located in the cells
    the written lines came from; and the archive, when it has no error."""
    archive, problems = check_archive(data_dir, source=Source(planned))
    out = []
    for p in problems:
        rel = os.path.relpath(p.loc.path, data_dir)
        if rel.split(os.sep)[0] not in (edition_id, REGISTRY):
            # Another edition's finding is not this import's to report.
            continue
        cell = maps.get(p.loc.path, {}).get(p.loc.line)
        out.append(Problem(p.slug, cell if cell is not None else p.loc, in_workbook(p.message, maps),
                           p.severity, p.reason))
    return archive, out


SHEET_OF = {"results.yaml": W.RESULTS, "indicator-scores.yaml": SCORES, "indicators.yaml": SCHEME}
"""The sheet each file an import writes is made from, for a finding naming the file (as a whole)."""


def in_workbook(said: object, maps: dict[str, dict[int, Loc]]) -> object:
    """A checker's sentence in the workbook's words: another place it names (`model.messages.elsewhere`)
    in a file the import writes becomes the sheet, or the row the line came from (`results.yaml
    第 4 行` is `“评价结果”表第 4 行`); a place the import did not write stays as it is."""
    if not isinstance(said, Message):
        return said
    params = []
    for key, value in said.params:
        if isinstance(value, Message) and value.slug in ("place/file", "place/line"):
            given = {k: str(v) for k, v in value.params}
            lines = maps.get(given["path"])
            cell = lines.get(int(given.get("line", "0"))) if lines is not None else None
            where = cell_place(cell) if cell is not None else None
            if where is not None:
                value = message("place/row", sheet=where[1], row=where[2])
            elif lines is not None and given["file"] in SHEET_OF:
                value = message("place/sheet", sheet=SHEET_OF[given["file"]])
        params.append((key, value))
    return Message(said.slug, tuple(params))


def _edition_info(book: Book, edition: Edition, out: Plan, entered: int | None,
                  listed: int) -> dict[str, tuple[object, Loc]]:
    """What the workbook sets in edition.yaml, by data key, each with its cell: 基本信息 (and
    `--entered`), 档次与批次 and A级联盟; a value the edition has already is left out."""
    info_sheet, bands_sheet, a_sheet = book.sheet(W.INFO), book.sheet(W.BANDS), book.sheet(W.A_LEVEL)
    for sheet in (info_sheet, bands_sheet, a_sheet):
        if sheet is not None and sheet.hidden:
            _problem(out, "hidden-sheet", Loc(f"{book.path}:{sheet.name}"), sheet=sheet.name)
    info = {k: (v, c.loc) for k, (v, c) in (read_info(info_sheet, out.problems) if info_sheet else {}).items()}
    if info.get("demo", (None,))[0] == edition.demo:
        del info["demo"]
    if entered is not None:
        typed = info.get("entered")
        if typed is not None and typed[0] != entered:
            _problem(out, "entered-conflict", typed[1], given=entered, typed=typed[0])
        info["entered"] = (entered, Loc("--entered"))
    if info.get("entered", (edition.entered,))[0] == 0 and listed:
        where = info["entered"][1] if "entered" in info else Loc(book.path)
        _problem(out, "entered-missing", where, listed=listed)
    if bands_sheet is not None:
        tiers, groups = read_bands(bands_sheet, out.problems)
        info.update(bands_info(tiers, groups, edition, Loc(f"{book.path}:{bands_sheet.name}")))
    if a_sheet is not None:
        out.a_level = read_a_level_sheet(a_sheet, out.problems)
        info.update(a_level_info(out.a_level, edition, out.problems))
    return info


def plan_import(data_dir: str, edition_id: str, source: str, update_registry: bool = False,
                correcting: bool = False, renames: frozenset[str] = frozenset(), entered: int | None = None) -> Plan:
    """Read `source` and work out every file the import would write; nothing is written. A frozen
    edition is refused unless `correcting` (the `correct` command's workbook); `entered` sets
    录入信息的联盟数 (`--entered`, for a workbook without 基本信息)."""
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
    if read_edition.frozen and not correcting:
        _problem(out, "import-frozen", Loc(os.path.join(folder, "edition.yaml")), edition=edition_id,
                 file=os.path.relpath(source))
        return out
    book = read_book(source)
    results_sheet = book.sheet(W.RESULTS) or book.sheets[0]
    if results_sheet.hidden:
        _problem(out, "hidden-sheet", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
    read_rows = sheet_results(results_sheet, read_edition, out.problems)
    if read_rows is None:
        _problem(out, "no-header", Loc(f"{source}:{results_sheet.name}"), sheet=results_sheet.name)
    rows = read_rows or []
    out.rows = len(rows)
    incomplete_sheet = book.sheet(W.INCOMPLETE)
    incomplete = read_codes(incomplete_sheet, out.problems) if incomplete_sheet else []
    experts_sheet = book.sheet(W.EXPERTS)
    experts = sheet_experts(experts_sheet, out.problems) if experts_sheet else None
    info = _edition_info(book, read_edition, out, entered, len(rows) + len(incomplete))
    for sheet in (incomplete_sheet, experts_sheet):
        if sheet is not None and sheet.hidden:
            _problem(out, "hidden-sheet", Loc(f"{source}:{sheet.name}"), sheet=sheet.name)
    editions = [e for e in list_editions(data_dir)[0] if is_edition_id(e)]
    earlier = [e for e in editions if edition_order(e) < edition_order(edition_id)]
    added, renamed = check_rows(out, book, rows + incomplete, registry, edition_id, update_registry, renames,
                                max(earlier, key=edition_order) if earlier else None)
    maps: dict[str, dict[int, Loc]] = {}
    results_path = os.path.join(folder, "results.yaml")
    out.files[results_path], maps[results_path] = results_yaml(
        edition_id, [(r.code, r.score, r.tier, r.code_cell.loc) for r in rows],
        [(r.code, r.code_cell.loc) for r in incomplete] if incomplete_sheet else
        [(c, Loc(results_path)) for c in read_edition.incomplete], source)
    if experts is not None:
        path = os.path.join(folder, "experts.yaml")
        out.files[path], maps[path] = experts_yaml(
            edition_id, [(e, (titles or name).loc) for e, name, titles in experts], source)
    if info:
        path = os.path.join(folder, "edition.yaml")
        with open(path, encoding="utf-8") as f:
            out.files[path], maps[path] = edition_yaml(f.read(), info)
    plan_indicators(book, read_edition, folder, source, out.files, maps, out.problems)
    if added or renamed:
        with open(registry_path, encoding="utf-8") as f:
            text = f.read()
        name_cells = {r.code: (r.name or r.code_cell).loc for r in rows + incomplete}
        text = record_renames(out, text, registry, renamed, edition_id, editions, name_cells)
        out.files[registry_path] = registry_with(text, added)
    if out.ok and read_rows is not None:
        # Every cell's problem is said above, in one run. The whole checker runs on cells that
        # are right: on others it would repeat what they caused (a group left out of 档次与批次
        # makes each of its alliances a code of no group).
        archive, found = _overlay(data_dir, edition_id, out.files, maps)
        out.problems.extend(found)
        if archive is not None and out.a_level is not None and out.a_level.evaluated:
            out.changes.append(a_level_said(archive, archive.edition(edition_id)))
    out.problems.sort(key=problem_order(book))
    return out


def problem_order(book: Book):
    """The sort key of an import's problems: the workbook's first, by sheet in the workbook's
    order, then row, then column, as numbers (B8 before B18); then those of other files."""
    order = {s.name: i for i, s in enumerate(book.sheets)}

    def key(p: Problem):
        place = cell_place(p.loc)
        if place is not None:
            path, sheet, row, col = place
            return (0, path, order.get(sheet, len(order)), sheet, row, col)
        if p.loc.path.startswith(book.path + ":"):
            sheet = p.loc.path[len(book.path) + 1:]
            return (0, book.path, order.get(sheet, len(order)), sheet, 0, 0)
        return (0 if p.loc.path == book.path else 1, p.loc.path, -1, "", p.loc.line, p.loc.col)

    return key


def a_level_said(archive: Archive, edition: Edition) -> Message:
    """What became of the A-level list: computed from the history, or accepted as typed (checked
    against the editions the archive holds, which may be fewer than the rule needs)."""
    a = edition.a_level
    assert a is not None  # the sheet said the edition evaluates A-level, and the checker found no error
    earlier = [e.id for e in archive.editions if edition_order(e.id) < edition_order(edition.id)]
    need = a.consecutive - 1
    if a.computed:
        return message("a-level-computed", count=len(a.codes), editions=", ".join(earlier[-need:]) if need else "-")
    if len(earlier) < need:
        return message("a-level-unverified", count=len(a.codes), need=need, have=", ".join(earlier) or "-")
    return message("a-level-checked", count=len(a.codes), editions=", ".join(earlier[-need:]) if need else "-")


def write_import(done: Plan, backup_dir: str, state: str | None = None) -> list[str]:
    """Write the planned files that change, each replaced whole, all as one transaction journaled
    in `state` (the project's `.reportsite/`, held under its lock): a kill leaves every file as it
    was or every file as planned (`build/journal.py`). A file that changes is first copied into
    `backup_dir`. The paths written."""
    changed = {}
    for path, text in done.files.items():
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    continue
            files.copy(path, os.path.join(backup_dir, os.path.basename(path)))
        changed[path] = text
    if state is None:
        for path, text in changed.items():
            files.write(path, text)
        return list(changed)
    transaction = Transaction(state, "import")
    for path, text in changed.items():
        transaction.write(path, text)
    transaction.begin()
    transaction.apply()
    transaction.complete()
    return list(changed)
