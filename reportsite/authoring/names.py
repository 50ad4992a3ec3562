"""The alliance names a workbook types, against the registry, before any is taken as a rename or a
new alliance: accidents are stopped here with the cause named.

- A mass of mismatches is an accident, not a year of renames: five or more rows (or two or more
  and a tenth of them) naming an alliance otherwise than the registry, without being marked as a
  rename (`--rename`, the 更名 column), is one error that names the likely cause, a column sorted
  on its own, and lists the first pairs; nothing is renamed, not even the rows marked.
- A name typed with a character no alliance's name needs (a Cyrillic or Greek letter, a zero-width
  or bidi character) is an error naming it, in the user's language.
- A name that looks like the registered one but is another string (compared by their confusable
  skeleton, `model/lookalike.py`) is a twin, not a rename; a name another code holds (two rows'
  names swapped) is not a rename either; a new alliance may not take a registered name's twin.

Pure: cells and the registry in, problems out.
"""

from __future__ import annotations

import re

from reportsite.authoring.sheets import Cell
from reportsite.model.lookalike import differing_character, odd_characters, odd_name, skeleton
from reportsite.model.messages import message
from reportsite.model.records import Loc, Problem, quote

MASS = 5
"""Mismatched names that make a mass, whatever the number of rows."""
SHARE = 0.1
"""Or this share of the rows, from two mismatches on."""
SHOWN = 3
"""Pairs a mass error lists."""


def typed_name(cell: Cell | None) -> str | None:
    """A name cell's text with its runs of spaces made one, or None for an empty cell."""
    return re.sub(r"\s+", " ", str(cell.value)).strip() if cell is not None else None


def name_problems(rows: list[tuple[str, Cell | None]], registry, edition_id: str, sheet: Loc,
                  counted: int, update: bool, wanted: frozenset[str] | set[str] = frozenset()
                  ) -> tuple[list[Problem], set[str]]:
    """The problems of the names typed in `rows` ((code, name cell) pairs, `counted` of them in the
    results sheet), and the codes whose names are settled by them (no rename or registration is to
    be made of them). A new code's name is compared only when it is to be registered (`update`).
    The codes in `wanted` are marked as renames (`--rename`, the 更名 column): they are renames on
    purpose and do not count towards a mass, but a twin or a name another code holds is still no
    rename."""
    known = {a.code: a for a in registry.alliances}
    owners: dict[str, tuple[str, str]] = {}
    for a in registry.alliances:
        for name in (a.name_in(edition_id), a.name, *a.aliases):
            owners.setdefault(skeleton(name), (a.code, name))
    out: list[Problem] = []
    settled: set[str] = set()
    mismatched: list[tuple[str, Cell, str, str]] = []
    for code, cell in rows:
        typed = typed_name(cell)
        if not typed or cell is None:
            continue
        odd = odd_characters(typed)
        if odd:
            out.append(Problem("name-character", cell.loc, message(
                "name-character", name=quote(typed), char=odd_name(odd[0]), position=typed.index(odd[0]) + 1)))
            settled.add(code)
            continue
        alliance = known.get(code)
        if alliance is None:
            owner = owners.get(skeleton(typed)) if update else None
            if owner is not None:
                out.append(Problem("name-twin", cell.loc, message(
                    "name-twin/new", code=code, typed=quote(typed), other=owner[0], registered=quote(owner[1]))))
                settled.add(code)
            continue
        printed = alliance.name_in(edition_id)
        if typed != printed and typed not in alliance.aliases:
            mismatched.append((code, cell, typed, printed))
    unasked = [m for m in mismatched if m[0] not in wanted]
    if len(unasked) >= MASS or len(unasked) >= 2 and len(unasked) >= SHARE * max(counted, 1):
        pairs = "；".join(f"{code}：“{quote(typed, 30)}” ≠ “{quote(printed, 30)}”"
                         for code, _, typed, printed in unasked[:SHOWN])
        out.append(Problem("name-mismatch-mass", sheet, message(
            "name-mismatch-mass", count=len(unasked), rows=counted, pairs=pairs)))
        return out, settled | {code for code, *_ in mismatched}
    for code, cell, typed, printed in mismatched:
        owner = owners.get(skeleton(typed))
        if owner is not None and owner[0] == code:
            odd_one = differing_character(typed, printed) or differing_character(printed, typed) or typed[0]
            out.append(Problem("name-twin", cell.loc, message(
                "name-twin", code=code, typed=quote(typed), registered=quote(printed), char=odd_name(odd_one))))
        elif owner is not None:
            out.append(Problem("name-taken", cell.loc, message(
                "name-taken", code=code, typed=quote(typed), other=owner[0])))
        else:
            continue
        settled.add(code)
    return out, settled
