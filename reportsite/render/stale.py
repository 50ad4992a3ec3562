"""Stale figures: what a narrative copied from the previous edition still says about that year.

A pure function over the rendered pages of two consecutive editions. A narrative page knows what
its author typed (`Page.typed`, from the template's source) apart from what its expressions
printed (`Page.figures`). Two findings, each a warning at the file, line and column of the text:

- `stale-figure`: a number typed as text that equals a figure the previous edition's narrative
  printed through an expression, and that no expression of this edition prints (so it is last
  year's figure, not this year's). Numbers under 10 and years are left out: they are too common
  to mean anything.
- `stale-period`: the previous edition's years (its id, `2020-2021` or `2020 年度`) or its period
  (`2020 年 1 月 1 日`, `2020-01-01`) typed in this edition's narrative.

`--strict` turns them into errors, as it does every warning.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from reportsite.model.messages import message
from reportsite.model.records import EDITION_YEARS, WARNING, Archive, Edition, Loc, Problem
from reportsite.render.pages import Page, Pages

NUMBER = re.compile(r"(?<![0-9A-Za-z_./\-])[0-9]+(?:\.[0-9]+)?(?![0-9A-Za-z_/]|\.[0-9])")
"""A number standing on its own: not part of a word, a file name (`appendix-1.md`) or a code."""
HIDDEN = re.compile(r"<(svg|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
LINK_TARGET = re.compile(r"\]\([^)]*\)|\{[:#.][^}\n]*\}")
SMALLEST = 10
"""Numbers below this are never reported."""


def numbers(text: str) -> list[tuple[int, str, Decimal]]:
    """(offset, text, value) of each number in `text` worth comparing: 10 or more, not a year."""
    out = []
    for m in NUMBER.finditer(text):
        value = Decimal(m.group())
        is_year = "." not in m.group() and EDITION_YEARS[0] <= value <= EDITION_YEARS[1]
        if value >= SMALLEST and not is_year:
            out.append((m.start(), m.group(), value))
    return out


def printed_figures(pages: Pages) -> set[Decimal]:
    """Every number the narrative's expressions printed (charts' drawings left out)."""
    out: set[Decimal] = set()
    for page in narrative(pages):
        for figure in page.figures:
            out.update(v for _, _, v in numbers(html.unescape(TAG.sub(" ", HIDDEN.sub(" ", figure)))))
    return out


def narrative(pages: Pages) -> list[Page]:
    """The pages rendered from content files."""
    return [p for p in pages.pages if p.source]


def period_pattern(edition: Edition) -> re.Pattern:
    """The ways an edition's years or period are typed: `2020-2021` (any dash, 至), `2020 年度`
    for a one-year edition, and its first and last day in Chinese or ISO form."""
    first, _, last = edition.id.partition("-")
    years = rf"{first}\s*(?:[-–—~～]|至)\s*{last}" if last else rf"{first}\s*年度"
    days = [rf"{d.year}\s*年\s*{d.month}\s*月\s*{d.day}\s*日|{d.isoformat()}" for d in (edition.start, edition.end)]
    return re.compile(rf"(?<![0-9])(?:{years}|{'|'.join(days)})(?![0-9])")


def piece_place(piece: tuple[int, int, str], offset: int) -> tuple[int, int]:
    """(line, column) of `offset` within a typed piece that starts at (line, column)."""
    line, col, text = piece
    before = text[:offset]
    if "\n" not in before:
        return line, col + offset
    return line + before.count("\n"), offset - before.rfind("\n")


def typed_pieces(page: Page) -> list[tuple[tuple[int, int, str], str]]:
    """Each typed piece of a page with its text as a reader sees it (link targets and tags blanked
    out, offsets kept)."""
    blank = lambda m: " " * len(m.group())  # noqa: E731 - keeps every offset in place
    return [(piece, TAG.sub(blank, LINK_TARGET.sub(blank, piece[2]))) for piece in page.typed]


def findings(before: Pages, now: Pages, previous: Edition, edition: Edition) -> list[Problem]:
    """The stale figures and periods of `edition`'s narrative (`now`), against the previous
    edition's (`before`), in page and text order."""
    stale = printed_figures(before) - printed_figures(now)
    period = period_pattern(previous)
    out = []
    for page in narrative(now):
        for piece, text in typed_pieces(page):
            found = [(o, "stale-figure", {"number": n}) for o, n, v in numbers(text) if v in stale]
            found += [(m.start(), "stale-period", {"text": m.group()}) for m in period.finditer(text)]
            for offset, slug, params in sorted(found, key=lambda f: f[0]):
                line, col = piece_place(piece, offset)
                out.append(Problem(slug, Loc(page.source, line, col),
                                   message(slug, previous=previous.id, **params), WARNING))
    return out


def stale_problems(archive: Archive, rendered: dict[str, Pages]) -> list[Problem]:
    """`findings()` for every edition of the archive against the one before it."""
    out = []
    for earlier, later in zip(archive.editions, archive.editions[1:]):
        if earlier.id in rendered and later.id in rendered:
            out += findings(rendered[earlier.id], rendered[later.id], earlier, later)
    return out
