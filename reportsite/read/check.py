"""Build the typed model from `data/`, checking everything and collecting every problem.

`check_archive()` reads the registry and every edition folder, turns them into records
(`alliances.py` and `parse.py` do the per-file work), runs the rules that span files, applies the
editions' acknowledgements and returns the archive together with every problem found. Nothing here
writes anything.

A value already reported as wrong causes no further finding: a rule whose basis a mistake has
removed (an unreadable registry, a group or tier with an error, an entry without a readable code)
is skipped, and the person sees it once the first mistake is fixed.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from reportsite.model.messages import Message, message
from reportsite.model.chars import char_name
from reportsite.model.records import (
    EDITION_YEARS,
    ERROR,
    NOTE,
    WARNING,
    Archive,
    Edition,
    Loc,
    Problem,
    edition_years,
    quote,
)
from reportsite.model.titles import ALLIANCE_SUFFIX, alliance_named_in
from reportsite.read import parse
from reportsite.read.load import list_editions
from reportsite.read.registry import Registry, read_registry
from reportsite.read.schema import first_odd, suggest_code
from reportsite.read.source import DISK, Source

REGISTRY = "alliances.yaml"


def check_archive(data_dir: str, strict: bool = False, source: Source = DISK) -> tuple[Archive | None, list[Problem]]:
    """Load and check everything under `data_dir`, as `source` has it (the disk, or the disk with
    the files an import plans to write).

    Returns the archive (None when there is any error) and every problem, sorted by location.
    With `strict`, warnings count as errors.
    """
    problems: list[Problem] = []
    registry = read_registry(os.path.join(data_dir, REGISTRY), problems, source)
    reads: list[tuple[parse.EditionRead, list[Problem]]] = []
    folders, files = list_editions(data_dir, source)
    for name in files:
        if edition_years(_undone(name)):
            problems.append(Problem("edition-id", Loc(os.path.join(data_dir, name)),
                                    message("edition-id/file", name=quote(name))))
    for name in folders:
        folder = os.path.join(data_dir, name)
        wrong = edition_id_problem(name, Loc(folder))
        if wrong is not None:
            problems.append(wrong)
            continue
        found: list[Problem] = []
        reads.append((parse.edition(folder, name, found, source), found))
    if not reads and not any(p.slug == "edition-id" for p in problems):
        problems.append(Problem("no-edition", Loc(data_dir), message("no-edition")))
    for index, (read, found) in enumerate(reads):
        edition = read.edition
        if edition is not None:
            check_period(edition, found)
            check_edition(read, registry, found)
            reads[index] = (check_a_level_history(read, [r for r, _ in reads[:index]], found), found)
            found = acknowledge(edition, found)
        problems.extend(found)
    if strict:
        problems = [replace(p, severity=ERROR) if p.severity == WARNING else p for p in problems]
    problems.sort(key=lambda p: (p.loc.path, p.loc.line, p.loc.col))
    if any(p.severity == ERROR for p in problems):
        return None, problems
    notes = tuple(p for p in problems if p.severity == NOTE)
    editions = tuple(r.edition for r, _ in reads if r.edition is not None)
    assert len(editions) == len(reads), "an edition that could not be read left an error"
    return Archive(registry.alliances, editions, notes), problems


def _undone(name: str) -> str:
    """`name` with full-width digits, other dashes and surrounding spaces made plain ASCII."""
    return "".join("-" if unicodedata.category(c) == "Pd" else c
                   for c in unicodedata.normalize("NFKC", name).strip())


def edition_id_problem(name: str, loc: Loc) -> Problem | None:
    """Why the folder `name` is not an edition id (`YYYY` or `YYYY-YYYY` in ASCII digits, years
    within `EDITION_YEARS`, the second after the first), or None when it is one."""
    # A name that reads as an id once its look-alike characters are undone is an attempt at one:
    # its odd character is the thing to name.
    attempt = edition_years(_undone(name)) is not None
    odd = first_odd(name, lambda c: not (c.isascii() and (c.isdigit() or c == "-")))
    if attempt and odd is not None:
        return Problem("edition-id", loc, message("edition-id/character", name=quote(name),
                                                  char=char_name(odd[0]), position=odd[1]))
    years = edition_years(name)
    if years is None:
        return Problem("edition-id", loc, message("edition-id", name=quote(name)))
    low, high = EDITION_YEARS
    outside = [year for year in years if not low <= year <= high]
    if outside:
        return Problem("edition-id", loc, message("edition-id/years", name=quote(name), year=outside[0],
                                                  low=low, high=high))
    if "-" in name and years[1] <= years[0]:
        return Problem("edition-id", loc, message("edition-id/order", name=quote(name)))
    return None


def check_period(edition: Edition, problems: list[Problem]) -> None:
    """The period must run from the edition id's first year to its last (`2020-2021`: from a day
    of 2020 to a day of 2021; `2014`: within 2014)."""
    years = edition_years(edition.id)
    assert years is not None  # the folder's name was checked before it was read
    first, last = years
    if (edition.start.year, edition.end.year) != (first, last):
        problems.append(Problem("edition-period", edition.period_loc, message(
            "edition-period", start=str(edition.start), end=str(edition.end), edition=edition.id,
            first=first, last=last)))


def check_edition(read: parse.EditionRead, registry: Registry, problems: list[Problem]) -> None:
    """The rules that tie one edition to the registry and to itself."""
    edition = read.edition
    assert edition is not None  # only an edition that could be read is checked
    entries = [*read.listed, *zip(edition.incomplete, edition.incomplete_locs)]
    seen: dict[str, Loc] = {}
    per_group: Counter[str] = Counter()
    prefixes = {g.prefix for g in edition.groups}
    for code, loc in entries:
        if code in seen:
            problems.append(Problem("duplicate-entry", loc, message(
                "duplicate-entry", code=quote(code), edition=edition.id, line=seen[code].line)))
            continue
        seen[code] = loc
        per_group[code[0]] += 1
        if registry.lacks(code):
            problems.append(unknown_code(code, loc, registry))
        elif code[0] not in prefixes and "code-prefix" not in read.unsure:
            problems.append(Problem("code-prefix", loc, message(
                "code-prefix", code=quote(code), prefix=quote(code[0]), edition=edition.id)))
    for group in edition.groups:
        if per_group[group.prefix] > group.size and "group-size" not in read.unsure:
            problems.append(Problem("group-size", group.loc, message(
                "group-size", name=quote(group.name), size=group.size, edition=edition.id,
                named=per_group[group.prefix])))
    check_counts(read, problems)
    check_a_level(read, registry, problems)
    check_experts(edition, registry, problems)


def check_counts(read: parse.EditionRead, problems: list[Problem]) -> None:
    """Evaluated and incomplete together against the `entered` count the edition states."""
    edition = read.edition
    assert edition is not None  # only an edition that could be read is checked
    evaluated, incomplete = len(read.listed), len(edition.incomplete)
    named = evaluated + incomplete
    if named > edition.entered:
        problems.append(Problem("count-exceeds", edition.entered_loc, message(
            "count-exceeds", entered=edition.entered, evaluated=evaluated, incomplete=incomplete,
            named=named)))
    elif named < edition.entered and "count-shortfall" not in read.unsure:
        problems.append(Problem("count-shortfall", edition.entered_loc, message(
            "count-shortfall", entered=edition.entered, evaluated=evaluated, incomplete=incomplete,
            named=named, short=edition.entered - named), severity=WARNING))


def unknown_code(code: str, loc: Loc, registry: Registry) -> Problem:
    """A code the registry lacks, with the closest registry code when one is near."""
    hint = suggest_code(code)
    if hint in registry.codes:
        return Problem("unknown-code", loc, message("unknown-code/hint", code=quote(code), registry=REGISTRY,
                                                    hint=hint))
    return Problem("unknown-code", loc, message("unknown-code", code=quote(code), registry=REGISTRY))


def check_a_level(read: parse.EditionRead, registry: Registry, problems: list[Problem]) -> None:
    """Each published A-level code must be in the registry and in this edition's top tier."""
    edition = read.edition
    assert edition is not None  # only an edition that could be read is checked
    if edition.a_level is None:
        return
    top = edition.tiers[0]
    tiers = {r.code: r.tier for r in edition.evaluated}
    listed = {code for code, _ in read.listed}
    for code, loc in zip(edition.a_level.codes, edition.a_level.locs):
        if registry.lacks(code):
            problems.append(unknown_code(code, loc, registry))
            continue
        # A listed code without a tier had its score or tier reported already.
        if tiers.get(code) == top.key or code in listed - tiers.keys() or "a-level-tier" in read.unsure:
            continue
        said = "a-level-tier/unevaluated" if code not in tiers else "a-level-tier"
        problems.append(Problem("a-level-tier", loc, message(
            said, code=quote(code), tier=quote(tiers.get(code, "")), edition=edition.id, top=quote(top.name))))


def check_a_level_history(read: parse.EditionRead, earlier: list[parse.EditionRead],
                          problems: list[Problem]) -> parse.EditionRead:
    """Against the earlier editions the archive holds: each A-level code must be in the top tier
    of each of the `consecutive` editions; where all of them are present, a code that qualifies
    but is not published is reported too. An earlier edition with mistakes in its results or
    tiers cannot say who was on top, so it is left out of the comparison.

    A list left out of edition.yaml is computed here when the archive holds the editions the
    rule needs (in this edition's published order); the edition read is returned with it."""
    edition = read.edition
    assert edition is not None  # only an edition that could be read is checked
    a_level = edition.a_level
    if a_level is None:
        return read
    window = earlier[-(a_level.consecutive - 1):] if a_level.consecutive > 1 else []
    rated = [r.edition for r in window if r.fully_rated and r.edition is not None]
    top_codes = {e.id: {r.code for r in e.evaluated if r.tier == e.tiers[0].key} for e in rated}
    complete = len(rated) == a_level.consecutive - 1 and "a-level-unlisted" not in read.unsure
    qualified = {r.code for r in edition.evaluated if r.tier == edition.tiers[0].key}
    for codes in top_codes.values():
        qualified &= codes
    if a_level.computed:
        if not complete and edition.evaluated:
            have = ", ".join(e.id for e in rated) or "-"
            problems.append(Problem("a-level-no-history", a_level.loc, message(
                "a-level-no-history", consecutive=a_level.consecutive, have=have)))
            return read
        ranked = tuple(r.code for r in edition.evaluated if r.code in qualified)
        computed = replace(a_level, codes=ranked, locs=tuple(a_level.loc for _ in ranked))
        return replace(read, edition=replace(edition, a_level=computed))
    if a_level.consecutive <= 1 or not earlier:
        return read
    for code, loc in zip(a_level.codes, a_level.locs):
        missed = [edition_id for edition_id, codes in top_codes.items() if code not in codes]
        if missed:
            problems.append(Problem("a-level-history", loc, message(
                "a-level-history", code=quote(code), editions=", ".join(missed))))
    if complete:
        for code in sorted(qualified - set(a_level.codes)):
            problems.append(Problem("a-level-unlisted", a_level.loc, message(
                "a-level-unlisted", code=quote(code), consecutive=a_level.consecutive), severity=WARNING))
    return read


def _stem(name: str) -> str:
    """A name without the suffix most alliance names share, so names are compared by what differs."""
    return name.removesuffix(ALLIANCE_SUFFIX) or name


def check_experts(edition: Edition, registry: Registry, problems: list[Problem]) -> None:
    """A title that names an alliance must name one the registry knows."""
    if not registry.readable:
        return
    stems = {_stem(name): name for name in sorted(registry.names)}
    for expert in edition.experts:
        for title, loc in zip(expert.titles, expert.title_locs):
            named = alliance_named_in(title)
            if named is None or named in registry.names:
                continue
            close = difflib.get_close_matches(_stem(named), list(stems), n=1, cutoff=0.6)
            said = message("unknown-alliance/hint", name=quote(named), hint=quote(stems[close[0]])) if close \
                else message("unknown-alliance", name=quote(named))
            problems.append(Problem("unknown-alliance", loc, said, severity=WARNING))


def acknowledge(edition: Edition, problems: list[Problem]) -> list[Problem]:
    """Turn the warnings the edition acknowledges into notes; an unused acknowledgement warns.

    The subject must appear as a whole word in one of the message's parameters, the values it
    quotes, which are the same in every language: "5" matches a count of 5 or "5 short", not 15.
    """
    subjects = [re.compile(rf"(?<!\w){re.escape(ack.subject)}(?!\w)") for ack in edition.acknowledged]
    used = [False] * len(edition.acknowledged)
    out = []
    for p in problems:
        for i, ack in enumerate(edition.acknowledged):
            if p.severity == WARNING and p.slug == ack.slug and any(
                    subjects[i].search(value) for value in _values(p.message)):
                p = replace(p, severity=NOTE, reason=ack.reason)
                used[i] = True
                break
        out.append(p)
    for ack, was_used in zip(edition.acknowledged, used):
        if not was_used:
            out.append(Problem("unused-acknowledgement", ack.loc, message(
                "unused-acknowledgement", slug=quote(ack.slug), subject=quote(ack.subject)), severity=WARNING))
    return out


def _values(said) -> list[str]:
    """What a problem's message quotes: a catalogue message's parameters, else its text."""
    return said.values() if isinstance(said, Message) else [str(said)]
