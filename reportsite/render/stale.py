"""Stale figures: what a narrative copied from the previous edition still says about that year.

A pure function over the rendered pages of two consecutive editions. A narrative page knows what
its author typed (`Page.typed`, from the template's source) apart from what its expressions
printed (`Page.figures`, and which expression printed each). Each finding is a warning at the
file, line and column of the text:

- `stale-figure`: a number typed as text that equals a figure the previous edition's narrative
  printed through an expression, and that no expression of this edition prints (so it is last
  year's figure, not this year's). Numbers under 10 and years are left out: they are too common
  to mean anything.
- `stale-period`: the previous edition's years (its id, `2020-2021` or `2020 年度`) or its period
  (`2020 年 1 月 1 日`, `2020-01-01`) typed in this edition's narrative.
- `stale-date`: any other date typed that falls in the previous edition's period or its month of
  publication (a meeting of last year's evaluation).
- `stale-expert`: the name of a member of the previous edition's panel who is not on this one's.
- `unverified-text`: a `{# 待核实 #}` mark `new` put before a copied sentence, until it is removed.

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


VS = re.compile(r"\s*\|\s*vs\(\s*(?:\"[^\"]*\"|'[^']*')\s*\)")
"""A `| vs("86")` filter: last year's printed value, which this year's expression does without."""


def printed_figures(pages: Pages) -> dict[Decimal, str]:
    """Every number the narrative's expressions printed (charts' drawings left out), with the
    expression that printed it first ("" when not known)."""
    out: dict[Decimal, str] = {}
    for page in narrative(pages):
        sources = page.sources or ("",) * len(page.figures)
        for figure, source in zip(page.figures, sources):
            for _, _, v in numbers(html.unescape(TAG.sub(" ", HIDDEN.sub(" ", figure)))):
                if not out.get(v):
                    out[v] = VS.sub("", source)
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


def findings(before: Pages, now: Pages, previous: Edition, edition: Edition,
             figures: dict[str, dict[Decimal, str]] | None = None) -> list[Problem]:
    """The stale figures and periods of `edition`'s narrative (`now`), against the previous
    edition's (`before`), in page and text order. `figures` keeps each edition's printed figures
    (by edition id) across calls, so they are found once an edition."""
    figures = {} if figures is None else figures
    for pages, which in ((before, previous), (now, edition)):
        if which.id not in figures:
            figures[which.id] = printed_figures(pages)
    printing = figures[edition.id]
    stale = {v: e for v, e in figures[previous.id].items() if v not in printing}
    period = period_pattern(previous)
    panel = {e.name for e in previous.experts} - {e.name for e in edition.experts}
    out = []
    for page in narrative(now):
        for piece, text in typed_pieces(page):
            found = [(o, "stale-figure", {"number": n, "expression": stale[v]}) for o, n, v in numbers(text)
                     if v in stale]
            spans = [m.span() for m in period.finditer(text)]
            found += [(m.start(), "stale-period", {"text": m.group()}) for m in period.finditer(text)]
            found += [(at, "stale-date", {"text": said}) for at, said, day in dates(text)
                      if previous_time(day, previous) and not any(a <= at < b for a, b in spans)]
            found += [(m.start(), "stale-expert", {"name": m.group()}) for name in sorted(panel)
                      for m in re.finditer(re.escape(name), text)]
            for offset, slug, params in sorted(found, key=lambda f: f[0]):
                line, col = piece_place(piece, offset)
                said = slug + "/expression" if params.get("expression") else slug
                out.append(Problem(slug, Loc(page.source, line, col),
                                   message(said, previous=previous.id, **params), WARNING))
    return out


DATE = re.compile(r"(?<![0-9])([0-9]{4})\s*(?:年\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*日)?|"
                  r"[-./]([0-9]{1,2})(?:[-./]([0-9]{1,2}))?)(?![0-9])")
"""A date as typed: 2021 年 9 月 30 日, 2021 年 9 月, 2021-09-30, 2021.9."""


def dates(text: str) -> list[tuple[int, str, tuple[int, int, int | None]]]:
    """(offset, text, (year, month, day or None)) of each date typed in `text`."""
    out = []
    for m in DATE.finditer(text):
        month, day = m.group(2) or m.group(4), m.group(3) or m.group(5)
        if month and 1 <= int(month) <= 12:
            out.append((m.start(), m.group(), (int(m.group(1)), int(month), int(day) if day else None)))
    return out


def previous_time(day: tuple[int, int, int | None], previous: Edition) -> bool:
    """Whether a typed date falls in the previous edition's period or its publication month."""
    year, month, date = day
    if f"{year:04d}-{month:02d}" == previous.published:
        return True
    first, last = (previous.start.year, previous.start.month), (previous.end.year, previous.end.month)
    if date is None:
        return first <= (year, month) <= last
    return (*first, previous.start.day) <= (year, month, date) <= (*last, previous.end.day)


def unverified(pages: Pages) -> list[Problem]:
    """A warning at each `{# 待核实 #}` mark of a narrative page, until its author removes it."""
    return [Problem("unverified-text", Loc(page.source, line, col), message("unverified-text"), WARNING)
            for page in narrative(pages) for line, col in page.unverified]


def stale_problems(archive: Archive, rendered: dict[str, Pages]) -> list[Problem]:
    """`findings()` for every edition of the archive against the one before it."""
    out = [p for e in archive.editions if e.id in rendered for p in unverified(rendered[e.id])]
    figures: dict[str, dict[Decimal, str]] = {}
    for earlier, later in zip(archive.editions, archive.editions[1:]):
        if earlier.id in rendered and later.id in rendered:
            out += findings(rendered[earlier.id], rendered[later.id], earlier, later, figures)
    return sorted(out, key=lambda p: (p.loc.path, p.loc.line, p.loc.col))
