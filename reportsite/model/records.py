"""Typed records of the report: the registry, each edition, and the problems found in them.

This module is the bottom of the staircase: it imports nothing of ours. Records are frozen
dataclasses built by `check.py` from the located YAML that `load.py` reads; every record keeps
the location of the value it came from so later stages can point a person at the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

EDITION_ID = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?")
"""An edition id, matched whole: `YYYY` or `YYYY-YYYY` in ASCII digits."""
EDITION_YEARS = (1990, 2100)
"""The first and last year an edition id may name."""

QUOTE_LIMIT = 60
"""The most characters of a value a message quotes; a longer one is cut and ends with `…`."""
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them on screen (Trojan Source)."""
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                         for plane in range(17))
"""Unicode's noncharacters (U+FDD0-U+FDEF, U+FFFE, U+FFFF, U+1FFFE...) as a regex class body."""
UNCARRIED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + NONCHARACTERS + "]")
"""Characters that XML, JSON read by a browser or a terminal cannot carry as text: C0 controls but
tab and line ends, DEL, C1 controls, lone surrogates (which no UTF-8 file can hold) and
noncharacters. A data value, a content file or a setting holding one is refused at `check`."""
_SHOWN_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + NONCHARACTERS
                            + "".join(sorted(BIDI_CONTROLS)) + "]")
"""Characters a terminal would act on or a line would break at: C0 and C1 controls (ESC, CR, BEL
...), DEL, line and paragraph separators, bidi controls, noncharacters, and the lone surrogates
that stand for undecodable bytes in a file name."""


def terminal_safe(text: str) -> str:
    """`text` safe to print on one line of a terminal: each control character (see
    `_SHOWN_ESCAPED`) is shown as its escape, `\\x1b` or `\\u202e`, never written raw."""
    def shown(m: re.Match) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return _SHOWN_ESCAPED.sub(shown, text)


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: at most `limit` characters (a longer one cut, ending with
    `…`), control characters escaped. Every message that quotes what a person typed passes the
    value through here, so a 5 MB value or an escape sequence never reaches the terminal."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return terminal_safe(text)


def edition_years(text: str) -> tuple[int, int] | None:
    """The first and last year an edition id is written with (`2014` -> 2014, 2014), or None when
    `text` is not of the form `YYYY` or `YYYY-YYYY`; the years are not checked."""
    m = EDITION_ID.fullmatch(text)
    if not m:
        return None
    first = int(m.group(1))
    return first, int(m.group(2)) if m.group(2) else first


def is_edition_id(text: str) -> bool:
    """True when `text` names an edition (`2020-2021`, `2014`): years within `EDITION_YEARS`, the
    second after the first."""
    years = edition_years(text)
    if years is None:
        return False
    low, high = EDITION_YEARS
    first, last = years
    return low <= first <= high and low <= last <= high and (last > first or "-" not in text)


@dataclass(frozen=True, order=True)
class Loc:
    """Where a value was written."""

    path: str
    """File path as given to the loader (printed relative to the working directory)."""
    line: int = 0
    """1-based line, 0 when the problem concerns the whole file."""
    col: int = 0
    """1-based column, 0 when unknown."""

    def __str__(self) -> str:
        # A folder's name is data too: one ending in a newline must not break the line.
        if self.line:
            return f"{terminal_safe(self.path)}:{self.line}:{self.col or 1}"
        return terminal_safe(self.path)


ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass(frozen=True)
class Problem:
    """One finding of the checks: a slug, a location and one sentence."""

    slug: str
    """Stable machine name of the kind of problem, e.g. `unknown-code`."""
    loc: Loc
    """Where it is."""
    message: object
    """One sentence for the person who edits the file."""
    severity: str = ERROR
    """`error`, `warning`, or `note` for an acknowledged finding."""
    reason: str = ""
    """For a note: the acknowledgement's reason, shown on the site."""

    def render(self, path: str | None = None, lang: str = "zh") -> str:
        """The one-line form `path:line:col: severity [slug] message`, the message in `lang`
        (a catalogue message has a `text(lang)`; an older one is an English string)."""
        loc = Loc(path, self.loc.line, self.loc.col) if path is not None else self.loc
        words = self.message.text(lang) if hasattr(self.message, "text") else str(self.message)
        return f"{loc}: {self.severity} [{self.slug}] {terminal_safe(words)}"


def edition_order(edition_id: str) -> tuple[int, int]:
    """A key that sorts edition ids in time: (first year, last year)."""
    m = EDITION_ID.fullmatch(edition_id)
    if not m:
        return (0, 0)
    return int(m.group(1)), int(m.group(2) or m.group(1))


@dataclass(frozen=True)
class FormerName:
    """A name an alliance had before it was renamed."""

    name: str
    until: str
    """The last edition that printed it (an edition id)."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Printed:
    """The printed report an edition was transcribed from."""

    title: str
    date: str
    """Month of printing, `YYYY-MM`."""


@dataclass(frozen=True)
class Alliance:
    """One alliance of the registry, the same across editions."""

    code: str
    """Pilot code: three digits whose first is the batch (`110`), or `D` and three digits."""
    name: str
    """Name as printed."""
    aliases: tuple[str, ...] = ()
    """Other names it is known by."""
    loc: Loc = Loc("")
    former_names: tuple["FormerName", ...] = ()
    """Names it had before, oldest first: each printed by every edition up to its `until`."""

    def name_in(self, edition_id: str) -> str:
        """The name edition `edition_id` printed: the first former name still in force then,
        else the current name."""
        for former in self.former_names:
            if edition_order(edition_id) <= edition_order(former.until):
                return former.name
        return self.name

    @property
    def prefix(self) -> str:
        """The group prefix of the code: its first character (`1`, `2`, `3`, `D`)."""
        return self.code[0]

    @property
    def order(self) -> int:
        """The position in the approval document: the code's last two digits."""
        return int(self.code[-2:])


@dataclass(frozen=True)
class Tier:
    """An activity tier of an edition, a band of scores."""

    key: str
    """Stable key used in data files (`high`)."""
    name: str
    """Printed name (`活跃度高`)."""
    min: float
    """Lowest score of the band, inclusive."""
    max: float
    """Highest score of the band, inclusive (100 for the top tier; the next band's min less one for
    integer scores, as the report prints them)."""
    rank: int
    """0 for the best tier, 1 for the next, ...; comparisons across editions go by this."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Group:
    """Who could take part: a pilot batch or the network members."""

    prefix: str
    """Codes starting with this character belong to the group."""
    name: str
    """Printed name (`第一批试点联盟`)."""
    size: int
    """How many alliances the group has in all."""
    pilot: bool
    """True for the three pilot batches, false for the network members."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Funding:
    """A kind of project the preface counts: how many and the money involved (亿元)."""

    count: int
    amount: float


@dataclass(frozen=True)
class Activity:
    """The activity figures the preface quotes; totals are computed, never stored."""

    self_funded: Funding
    """联盟自设的自主创新项目."""
    government: Funding
    """承担各级政府委托项目."""
    commissioned: Funding
    """承担相关领域企业委托项目 (amount is income)."""
    ip_sharing: int
    """知识产权共享活动 (项)."""
    standards: int
    """制定技术标准（规范） (项)."""
    platforms: int
    """联盟共建研发平台 (个)."""
    exchanges: int
    """跨联盟间合作和展览论坛学术会议 (次)."""
    reports: int
    """产业创新规划与报告 (份)."""


@dataclass(frozen=True)
class ALevel:
    """The A-level distinction: alliances in the top tier for several consecutive editions."""

    name: str
    rule: str
    """The rule as printed."""
    consecutive: int
    """How many consecutive editions in the top tier it takes."""
    codes: tuple[str, ...]
    """As published, in published order."""
    locs: tuple[Loc, ...] = ()
    """Where each code was written."""
    loc: Loc = Loc("")
    """Where the list of codes is written: the place to add a missing one."""
    computed: bool = False
    """True when `codes` was left out of edition.yaml and computed from the archive's history."""


@dataclass(frozen=True)
class Acknowledgement:
    """A published inconsistency the data keeps on purpose."""

    slug: str
    subject: str
    """Text the finding's message contains as a whole word: "5" matches "= 5," but not "15"."""
    reason: str
    """Why it is kept, in Chinese, shown on the site."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Correction:
    """A dated 更正 notice added when a frozen edition is re-published."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Result:
    """One evaluated alliance of an edition."""

    code: str
    score: float | None
    """None when only the tier was published."""
    tier: str
    """The tier key, derived from the score where there is one."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Expert:
    """A member of the evaluation panel (appendix 1)."""

    role: str
    """顾问, 组长, 副组长, 成员 ..."""
    name: str
    titles: tuple[str, ...]
    loc: Loc = Loc("")
    title_locs: tuple[Loc, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """A first-level indicator and its second-level items."""

    name: str
    items: tuple[str, ...]
    max: float | None = None
    """Its points in the additive form (the first-level maxima sum to 100); None in the list form."""
    item_max: tuple[float, ...] = ()
    """Each item's points, in item order (summing to `max`); empty in the list form."""


@dataclass(frozen=True)
class Scores:
    """One alliance's second-level indicator scores; a first-level score is the sum of its items'."""

    code: str
    items: tuple[tuple[float, ...], ...]
    """Per first-level indicator, in the order of indicators.yaml, each of its items' scores."""
    adjustment: float = 0
    """加减分 outside the indicators, where the edition declares them: the total is the sum plus it."""
    loc: Loc = Loc("")


@dataclass(frozen=True)
class Edition:
    """One yearly report: what it is and what it found."""

    id: str
    """The folder name, `2020-2021`."""
    title: str
    start: dt.date
    end: dt.date
    published: str
    """Month of publication, `YYYY-MM`."""
    publishers: tuple[str, ...]
    tiers: tuple[Tier, ...]
    """Best first."""
    groups: tuple[Group, ...]
    entered: int
    """Alliances that entered data in the dynamic database."""
    evaluated: tuple[Result, ...]
    """In published order."""
    incomplete: tuple[str, ...]
    """Codes that entered data too incomplete to evaluate, in file order."""
    experts: tuple[Expert, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    scores: tuple[Scores, ...] = ()
    """Each alliance's indicator scores (`indicator-scores.yaml`), in file order; empty without them."""
    indicators_publish: str = "aggregate"
    """What of them the site publishes: `none`, `aggregate` (averages of 3 or more) or `alliance`."""
    activity: Activity | None = None
    a_level: ALevel | None = None
    acknowledged: tuple[Acknowledgement, ...] = ()
    frozen: bool = False
    """Published pages are kept byte for byte and never rebuilt."""
    version: int = 1
    """Bumped by each deliberate re-publication of a frozen edition."""
    corrections: tuple[Correction, ...] = ()
    demo: bool = False
    """Synthetic data: every page says 示例数据."""
    printed: Printed | None = None
    """The printed report this edition was transcribed from; None for an edition authored with
    this tool. Only a printed edition turns a differing `vs()` into a public erratum."""
    loc: Loc = Loc("")
    """The edition.yaml file."""
    entered_loc: Loc = Loc("")
    period_loc: Loc = Loc("")
    """Where the period is written."""
    incomplete_locs: tuple[Loc, ...] = ()

    @property
    def in_scope(self) -> int:
        """All alliances that could take part: the sum of the group sizes."""
        return sum(g.size for g in self.groups)

    def tier(self, key: str) -> Tier:
        """The tier with this key."""
        for t in self.tiers:
            if t.key == key:
                return t
        raise KeyError(key)

    def group(self, prefix: str) -> Group:
        """The group with this prefix."""
        for g in self.groups:
            if g.prefix == prefix:
                return g
        raise KeyError(prefix)

    def tier_for(self, score: float) -> Tier:
        """The tier whose band holds `score` (bands are checked to cover 0-100 without gaps)."""
        for t in self.tiers:
            if score >= t.min:
                return t
        return self.tiers[-1]


@dataclass(frozen=True)
class Archive:
    """Everything under `data/`: the registry and every edition, oldest first."""

    alliances: tuple[Alliance, ...]
    editions: tuple[Edition, ...]
    notes: tuple[Problem, ...] = field(default=())
    """Acknowledged findings, shown on the site with their reasons."""

    @cached_property
    def by_code(self) -> dict[str, Alliance]:
        """The registry by code."""
        return {a.code: a for a in self.alliances}

    @cached_property
    def by_name(self) -> dict[str, Alliance]:
        """The registry by name, by each alias and by each former name."""
        names = {f.name: a for a in self.alliances for f in a.former_names}
        names.update((alias, a) for a in self.alliances for alias in a.aliases)
        names.update((a.name, a) for a in self.alliances)
        return names

    def as_of(self, edition_id: str) -> "Archive":
        """The archive as edition `edition_id` printed it: every alliance under the name in force
        for that edition, knowing only the names it had before. A rename added later changes
        nothing an earlier edition shows."""
        order = edition_order(edition_id)
        alliances = tuple(
            replace(a, name=a.name_in(edition_id),
                    former_names=tuple(f for f in a.former_names if edition_order(f.until) < order))
            for a in self.alliances)
        return replace(self, alliances=alliances)

    def alliance(self, code: str) -> Alliance:
        """The registry entry with this code."""
        return self.by_code[code]

    def edition(self, edition_id: str) -> Edition:
        """The edition with this id."""
        for e in self.editions:
            if e.id == edition_id:
                return e
        raise KeyError(edition_id)
