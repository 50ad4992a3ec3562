"""Build the typed model from `data/`, checking everything and collecting every problem.

`check_archive()` reads the registry and every edition folder, turns them into records (`parse.py`
does the per-file work), runs the rules that span files, applies the editions' acknowledgements
and returns the archive together with every problem found. Nothing here writes anything.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from dataclasses import replace

from . import parse
from .load import list_editions
from .schema import suggest_code
from .model import (ERROR, NOTE, WARNING, Alliance, Archive, Edition, Loc, Problem,
                    alliance_named_in, is_edition_id)

REGISTRY = "alliances.yaml"


def check_archive(data_dir: str, strict: bool = False) -> tuple[Archive | None, list[Problem]]:
    """Load and check everything under `data_dir`.

    Returns the archive (None when there is any error) and every problem, sorted by location.
    With `strict`, warnings count as errors.
    """
    problems: list[Problem] = []
    alliances = parse.registry(os.path.join(data_dir, REGISTRY), problems)
    editions: list[Edition] = []
    edition_problems: dict[str, list[Problem]] = {}
    for name in list_editions(data_dir):
        folder = os.path.join(data_dir, name)
        if not is_edition_id(name):
            problems.append(Problem("edition-id", Loc(folder), f'folder "{name}" is not an edition id '
                                    "(YYYY or YYYY-YYYY, e.g. 2020-2021)"))
            continue
        found: list[Problem] = []
        edition = parse.edition(folder, name, found)
        edition_problems[name] = found
        if edition is not None:
            editions.append(edition)
    if not editions and not any(p.slug == "edition-id" for p in problems):
        problems.append(Problem("no-edition", Loc(data_dir), "no edition folder (such as 2020-2021) "
                                "was found"))
    registry = {a.code: a for a in alliances}
    names = {n: a for a in alliances for n in (a.name, *a.aliases)}
    for index, edition in enumerate(editions):
        found = edition_problems[edition.id]
        check_edition(edition, registry, names, found)
        check_a_level_history(edition, editions[:index], found)
        problems.extend(acknowledge(edition, found))
    for name, found in edition_problems.items():
        if not any(e.id == name for e in editions):
            problems.extend(found)
    if strict:
        problems = [replace(p, severity=ERROR) if p.severity == WARNING else p for p in problems]
    problems.sort(key=lambda p: (p.loc.path, p.loc.line, p.loc.col))
    if any(p.severity == ERROR for p in problems):
        return None, problems
    notes = tuple(p for p in problems if p.severity == NOTE)
    return Archive(tuple(alliances), tuple(editions), notes), problems


def check_edition(edition: Edition, registry: dict[str, Alliance], names: dict[str, Alliance],
                  problems: list[Problem]) -> None:
    """The rules that tie one edition to the registry and to itself."""
    entries = [(r.code, r.loc) for r in edition.evaluated]
    entries += list(zip(edition.incomplete, edition.incomplete_locs))
    seen: dict[str, Loc] = {}
    per_group: Counter[str] = Counter()
    prefixes = {g.prefix for g in edition.groups}
    for code, loc in entries:
        if code in seen:
            problems.append(Problem("duplicate-entry", loc, f'alliance "{code}" is listed twice in '
                                    f"edition {edition.id} (first at line {seen[code].line})"))
            continue
        seen[code] = loc
        if code not in registry:
            problems.append(unknown_code(code, loc, registry))
        elif code[0] not in prefixes:
            problems.append(Problem("code-prefix", loc, f'code "{code}" starts with "{code[0]}", '
                                    f"which is no group's prefix in edition {edition.id}"))
        per_group[code[0]] += 1
    for group in edition.groups:
        if per_group[group.prefix] > group.size:
            problems.append(Problem("group-size", group.loc, f"{group.name} has size {group.size} "
                                    f"but edition {edition.id} names {per_group[group.prefix]} of its "
                                    "alliances"))
    named = len(edition.evaluated) + len(edition.incomplete)
    entered_loc = edition.entered_loc
    if named > edition.entered:
        problems.append(Problem("count-exceeds", entered_loc, f"entered is {edition.entered} but "
                                f"{len(edition.evaluated)} evaluated + {len(edition.incomplete)} "
                                f"incomplete = {named} alliances are listed"))
    elif named < edition.entered:
        problems.append(Problem("count-shortfall", entered_loc, f"entered is {edition.entered} but "
                                f"{len(edition.evaluated)} evaluated + {len(edition.incomplete)} "
                                f"incomplete = {named}, {edition.entered - named} short",
                                severity=WARNING))
    check_a_level(edition, registry, problems)
    check_experts(edition, names, problems)


def unknown_code(code: str, loc: Loc, registry: dict[str, Alliance]) -> Problem:
    """A code the registry lacks, with the closest registry code when one is near."""
    hint = suggest_code(code)
    tail = f'; did you mean "{hint}"?' if hint in registry else ""
    return Problem("unknown-code", loc, f'alliance code "{code}" is not in data/{REGISTRY}{tail}')


def check_a_level(edition: Edition, registry: dict[str, Alliance], problems: list[Problem]) -> None:
    """Each published A-level code must be in the registry and in this edition's top tier."""
    if edition.a_level is None:
        return
    top = edition.tiers[0]
    tiers = {r.code: r.tier for r in edition.evaluated}
    for code, loc in zip(edition.a_level.codes, edition.a_level.locs):
        if code not in registry:
            problems.append(unknown_code(code, loc, registry))
        elif tiers.get(code) != top.key:
            where = "is not evaluated" if code not in tiers else f"is in tier {tiers[code]}"
            problems.append(Problem("a-level-tier", loc, f'A-level alliance "{code}" {where} in '
                                    f"edition {edition.id}, not in the top tier {top.name}"))


def check_a_level_history(edition: Edition, earlier: list[Edition], problems: list[Problem]) -> None:
    """Against the earlier editions the archive holds: each A-level code must be in the top tier
    of each of the `consecutive` editions; where all of them are present, a code that qualifies
    but is not published is reported too."""
    if edition.a_level is None or edition.a_level.consecutive <= 1 or not earlier:
        return
    window = earlier[-(edition.a_level.consecutive - 1):]
    top_codes = {e.id: {r.code for r in e.evaluated if r.tier == e.tiers[0].key} for e in window}
    for code, loc in zip(edition.a_level.codes, edition.a_level.locs):
        missed = [e.id for e in window if code not in top_codes[e.id]]
        if missed:
            problems.append(Problem("a-level-history", loc, f'A-level alliance "{code}" is not in the '
                                    f"top tier of edition {', '.join(missed)}"))
    if len(window) == edition.a_level.consecutive - 1:
        qualified = {r.code for r in edition.evaluated if r.tier == edition.tiers[0].key}
        for e in window:
            qualified &= top_codes[e.id]
        for code in sorted(qualified - set(edition.a_level.codes)):
            problems.append(Problem("a-level-unlisted", edition.loc, f'alliance "{code}" is in the top '
                                    f"tier of {edition.a_level.consecutive} consecutive editions but "
                                    "not in the published A-level list", severity=WARNING))


def check_experts(edition: Edition, names: dict[str, Alliance], problems: list[Problem]) -> None:
    """A title that names an alliance must name one the registry knows."""
    for expert in edition.experts:
        for title, loc in zip(expert.titles, expert.title_locs):
            named = alliance_named_in(title)
            if named is None or named in names:
                continue
            close = difflib.get_close_matches(named, list(names), n=1, cutoff=0.6)
            tail = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(Problem("unknown-alliance", loc, f'"{named}" is not in the registry{tail}',
                                    severity=WARNING))


def acknowledge(edition: Edition, problems: list[Problem]) -> list[Problem]:
    """Turn the warnings the edition acknowledges into notes; an unused acknowledgement warns."""
    used = [False] * len(edition.acknowledged)
    out = []
    for p in problems:
        for i, ack in enumerate(edition.acknowledged):
            if p.severity == WARNING and p.slug == ack.slug and ack.subject in p.message:
                p = replace(p, severity=NOTE, reason=ack.reason)
                used[i] = True
                break
        out.append(p)
    for ack, was_used in zip(edition.acknowledged, used):
        if not was_used:
            out.append(Problem("unused-acknowledgement", ack.loc, f'no warning [{ack.slug}] mentions '
                               f'"{ack.subject}"; remove this acknowledgement', severity=WARNING))
    return out
