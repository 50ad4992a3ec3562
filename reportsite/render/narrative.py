"""The context the narrative's Jinja expressions see, and the errata found by comparing printed
figures with computed ones.

Content writes every figure as an expression over the model. Where the printed report gave a
figure, the content passes it along (`{{ share(count(tier="high"), n.evaluated) | vs("40.69%") }}`);
`vs` shows the computed figure and, when the printed one differs, a visible note and an erratum.
Nothing is found by eye: a difference exists exactly when the two strings differ.

Only an edition transcribed from print (`printed:` in its edition.yaml) has errata. In an edition
authored with this tool there is no printed report to correct: a `vs` whose value differs is the
author's mistake (often a narrative copied from the year before), recorded as a `Mismatch` with
the template line it was written on, and the page stage stops the build with all of them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from types import FrameType

from jinja2 import pass_context
from markupsafe import Markup

from reportsite.model import figures as F
from reportsite.model.escape import PageMarkup, page_text
from reportsite.model.messages import message
from reportsite.model.records import ERROR, Archive, Edition, Loc, Problem


@dataclass(frozen=True)
class Share:
    """A percentage with the counts it was computed from."""

    part: int
    whole: int

    @property
    def value(self) -> Decimal:
        """Rounded half-up to two places."""
        return F.share(self.part, self.whole)

    def rounded(self, mode: str) -> Decimal:
        """The same share rounded another way (for explaining a printed figure)."""
        if self.whole == 0:
            return Decimal("0.00")
        return (Decimal(self.part) * 100 / Decimal(self.whole)).quantize(Decimal("0.01"), rounding=mode)

    def __str__(self) -> str:
        return f"{self.value}%"


@dataclass(frozen=True)
class Erratum:
    """A figure the printed report gives differently from the data."""

    number: int
    """1-based, in page order; the anchor is `erratum-N` on the errata page."""
    page: str
    """The page (output file name) the figure is on."""
    printed: str
    computed: str
    reason: str


@dataclass(frozen=True)
class Mismatch:
    """A `vs` of an authored edition whose value differs from the computed figure."""

    path: str
    """The template file the `vs` is written in."""
    line: int
    """Its line in that file (0 when unknown)."""
    printed: str
    computed: str
    nth: int = 0
    """How many `vs` with the same printed value came before it on that line (0 for the first)."""


@dataclass
class ErrataLog:
    """Errata collected while one edition's pages render, in order, and the mismatches of an
    authored edition's `vs` (which are not errata but the author's mistakes)."""

    page: str = ""
    """The page being rendered now."""
    items: list[Erratum] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    calls: dict[tuple[str, int, str], int] = field(default_factory=dict)
    """How many `vs` of an authored edition ran at each (file, line, printed value)."""

    def add(self, printed: str, computed: str, reason: str) -> Erratum:
        """Record an erratum on the current page."""
        item = Erratum(len(self.items) + 1, self.page, printed, computed, reason)
        self.items.append(item)
        return item

    def authored(self, printed: str, computed: str) -> None:
        """Note a `vs` of an authored edition where the template calling it stands, and record it
        as a mismatch when the two values differ."""
        path, line = template_line()
        nth = self.calls.get((path, line, printed), 0)
        self.calls[(path, line, printed)] = nth + 1
        if printed != computed:
            self.mismatches.append(Mismatch(path, line, printed, computed, nth))


def template_line() -> tuple[str, int]:
    """(file, line) of the innermost template being rendered up the call stack, as Jinja's own
    tracebacks name it: a compiled template's module keeps `debug_info`, pairs of template line
    and line of generated code ("3=12&4=15")."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        info = frame.f_globals.get("debug_info")
        if isinstance(info, str) and frame.f_globals.get("environment") is not None:
            pairs = [tuple(map(int, pair.split("="))) for pair in info.split("&") if pair]
            line = next((t for t, code in reversed(pairs) if code <= frame.f_lineno), 1)
            return frame.f_code.co_filename, line
        frame = frame.f_back
    return "", 0


def mismatch_problems(items: list[Mismatch]) -> tuple[Problem, ...]:
    """Every differing `vs` of an authored edition as one error each, at its file, line and the
    column of that `vs` (0 when a loop ran it more often than the line holds it), for the page
    stage to raise."""
    problems = []
    for m in items:
        col = 0
        if m.path and m.line:
            with open(m.path, encoding="utf-8") as f:
                lines = f.read().splitlines()
            text = lines[m.line - 1] if m.line <= len(lines) else ""
            # `| vs("86")`, or `vs(value, "86")` called as a function.
            calls = [c.start() for c in re.finditer(
                r"""\bvs\((?:(?!\bvs\().)*?["']""" + re.escape(m.printed) + r"""["']\s*\)""", text)]
            col = calls[m.nth] + 1 if m.nth < len(calls) else 0
        problems.append(Problem("vs-differs", Loc(m.path, m.line, col),
                                message("vs-differs", printed=m.printed, computed=m.computed), ERROR))
    return tuple(problems)


def denominators(edition: Edition) -> dict[int, list[str]]:
    """Named totals a printed share may have been divided by, for explaining a difference."""
    named: list[tuple[str, int]] = [
        ("参评联盟总数", len(edition.evaluated)),
        ("联盟总数", edition.in_scope),
        ("试点联盟总数", F.pilot_scope(edition)),
        ("录入信息的联盟数", edition.entered),
    ]
    for t in edition.tiers:
        named.append((f"{t.name}联盟总数", F.count(edition, tier=t.key)))
        named.append((f"{t.name}试点联盟数", F.count(edition, tier=t.key, pilot=True)))
    for g in edition.groups:
        named.append((f"{g.name}总数", g.size))
        named.append((f"{g.name}参评数", F.count(edition, group=g.prefix)))
    out: dict[int, list[str]] = {}
    for name, number in named:
        out.setdefault(number, []).append(name)
    return out


def explain_erratum(value: Share | int | Decimal, printed: str, edition: Edition) -> str:
    """Why a printed figure differs from the computed one, worked out from the numbers: a reason
    is given only when the numbers show it (truncated, rounded up, another named denominator);
    otherwise the two figures are stated and nothing is guessed."""
    if not isinstance(value, Share):
        return f"原报告印作 {printed}，按数据计算为 {fmt(value)}。"
    exact = f"{value.part} ÷ {value.whole}"
    number = printed.rstrip("%").strip()
    head = f"按数据计算 {exact} = {value}（四舍五入保留两位小数）"
    if number == str(value.rounded(ROUND_FLOOR)):
        return f"{head}；原报告印作 {printed}，系截尾取值。"
    if number == str(value.rounded(ROUND_CEILING)):
        return f"{head}；原报告印作 {printed}，系进位取值。"
    for whole, names in sorted(denominators(edition).items()):
        if whole != value.whole and str(F.share(value.part, whole)) == number:
            return (f"{head}；原报告印作 {printed}，相当于以{'/'.join(names)}（{whole}）为分母，"
                    "与句中所称分母不符。")
    return f"{head}；原报告印作 {printed}。"


def fmt(value) -> str:
    """A figure as the report prints it: shares with a percent sign, whole numbers without `.0`."""
    if isinstance(value, Share):
        return str(value)
    return F.plain(value) if isinstance(value, (int, float)) else str(value)


def make_vs(edition: Edition, log: ErrataLog):
    """The `vs` filter: the computed figure, plus a visible note when the printed one differs (in
    an edition transcribed from print; in an authored edition the difference is recorded as the
    author's mistake, and the computed figure shown)."""

    # Taking the context keeps Jinja from running a `vs` of constants once, at compile time: each
    # runs, and is counted, every time its page renders.
    @pass_context
    def vs(_context, value, printed) -> Markup:
        computed = fmt(value)
        printed = str(printed)
        if edition.printed is None:
            log.authored(printed, computed)
            return page_text(computed)
        if computed == printed:
            return page_text(computed)
        item = log.add(printed, computed, explain_erratum(value, printed, edition))
        # Both figures ride on the note, so the PDF of record can print the printed one
        # (`write/record.py`) where the site prints the computed one.
        return PageMarkup(
            '{computed}<span class="erratum" id="erratum-{n}" data-computed="{computed}" data-printed="{printed}">'
            '［勘误：原报告印作 {printed}；<a href="errata.html#erratum-{n}">说明</a>］</span>'
        ).format(computed=computed, n=item.number, printed=printed)

    return vs


@dataclass(frozen=True)
class Counts:
    """Totals the narrative quotes, each computed from the data."""

    evaluated: int
    """参评联盟数 (86)."""
    incomplete: int
    """数据不完整未纳入评价的联盟数 (20)."""
    entered: int
    """录入信息的联盟数, as published (107)."""
    in_scope: int
    """评价范围内的联盟总数: the sum of the group sizes (157)."""
    pilot_scope: int
    """三批试点联盟总数 (146)."""
    not_entered: int
    """未录入信息的联盟数: in scope less entered (50)."""
    a_level: int
    """A 级联盟数 (24)."""


def counts(edition: Edition) -> Counts:
    """The totals of one edition."""
    return Counts(
        evaluated=len(edition.evaluated), incomplete=len(edition.incomplete),
        entered=edition.entered, in_scope=edition.in_scope, pilot_scope=F.pilot_scope(edition),
        not_entered=edition.in_scope - edition.entered,
        a_level=len(edition.a_level.codes) if edition.a_level else 0,
    )


SITE_NOTE_LABEL = "本网站注"
SITE_NOTE_TITLE = "本网站说明"


def site_note(title: str = "", caller=None) -> Markup:
    """The site's own note, about the report or its data rather than part of it: the one markup
    for it (`new` drops every one; the PDF and the page styles find it by its class `site-note`).

    `{% call site_note() %}…{% endcall %}` is inline, `<span class="site-note">［本网站注：…］</span>`;
    `{% call site_note("关于二级指标") %}…{% endcall %}` is a block of its own, the admonition
    `!!! note site-note "本网站说明：关于二级指标"` with the body indented under it."""
    body = caller() if caller is not None else ""
    if not title:
        return PageMarkup('<span class="site-note">［' + SITE_NOTE_LABEL + '：{}］</span>').format(body)
    lines = str(body).strip("\n").split("\n")
    indented = "\n".join("    " + line if line.strip() else "" for line in lines)
    return Markup(f'!!! note site-note "{SITE_NOTE_TITLE}：{page_text(title)}"\n{indented}\n')


def narrative_context(archive: Archive, edition: Edition, log: ErrataLog, alliance, chart) -> dict:
    """What content templates may use. Every name is documented in docs/content.md.

    `alliance(code)` and `chart(id)` come from the page stage: they know where pages live.
    """

    def count(**filters) -> int:
        return F.count(edition, **filters)

    def names(**filters) -> list[str]:
        return [archive.alliance(r.code).name for r in F.select(edition, **filters)]

    return {
        "edition": edition,
        "n": counts(edition),
        "tiers": {t.key: t for t in edition.tiers},
        "groups": {g.prefix: g for g in edition.groups},
        "count": count,
        "names": names,
        "share": Share,
        "a_level_by_group": F.a_level_by_group(edition),
        "activity": edition.activity,
        "activity_totals": F.activity_totals(edition.activity) if edition.activity else None,
        "vs": make_vs(edition, log),
        "fmt": fmt,
        "site_note": site_note,
        "alliance": alliance,
        "chart": chart,
    }
