"""Turn an edition folder's located YAML into typed records, reporting what is wrong file by file.

The registry, `data/alliances.yaml`, is read by `alliances.py`. The rules that span files (codes
against the registry, A-level against tiers, counts) live in `check.py`; this module knows one
file at a time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from reportsite.model.records import (
    Acknowledgement,
    Activity,
    ALevel,
    Correction,
    Edition,
    Expert,
    Funding,
    Group,
    Loc,
    Printed,
    Problem,
    Result,
    Tier,
    quote,
)
from reportsite.read import indicators
from reportsite.read.load import SCALAR, SEQ, Node, load_yaml
from reportsite.read.schema import Reader
from reportsite.read.source import DISK, Source

EDITION_KEYS = ("title", "period", "published", "publishers", "tiers", "groups", "entered")
EDITION_OPTIONAL = ("activity", "a_level", "acknowledged", "frozen", "version", "corrections", "demo",
                    "printed", "indicators_publish")
ACTIVITY_FUNDING = ("self_funded", "government", "commissioned")
ACTIVITY_COUNTS = ("ip_sharing", "standards", "platforms", "exchanges", "reports")
GROUP_RULES = frozenset({"code-prefix", "group-size"})
"""The rules that rely on the edition's groups."""
TIER_RULES = frozenset({"a-level-tier", "a-level-unlisted"})
"""The rules that rely on every alliance listed in the edition having its tier."""


@dataclass(frozen=True)
class EditionRead:
    """One edition folder as read, with what its mistakes leave unknown, so the rules that span
    files judge only what they can."""

    edition: Edition | None
    """None when a required part could not be read."""
    listed: tuple[tuple[str, Loc], ...] = ()
    """Every code listed as evaluated, in file order, with its place; unlike `edition.evaluated`
    this keeps the alliances whose score or tier is wrong: they are listed all the same."""
    unsure: frozenset[str] = frozenset()
    """Slugs of the rules that this edition's mistakes leave without a sound basis."""

    @property
    def fully_rated(self) -> bool:
        """Every listed alliance has its tier: the edition can stand in a later A-level history."""
        return (self.edition is not None and not self.unsure & TIER_RULES
                and len(self.edition.evaluated) == len(self.listed))


@dataclass
class _Results:
    """`results.yaml` as read, before the edition's tiers rate it."""

    rows: list[tuple[str, float | None, str | None, Loc, Node | None]] = field(default_factory=list)
    """Entries whose code, score and tier could be read: (code, score, tier key, code's place,
    tier node)."""
    listed: list[tuple[str, Loc]] = field(default_factory=list)
    """Every code listed as evaluated, with its place."""
    incomplete: list[tuple[str, Loc]] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)
    """Each score as written (`85`, `85.50`), by code: its precision is what indicator scores
    must add up to."""
    codes_unread: bool = False
    """Some entry's code could not be read, so the listing may be short."""


def edition(folder: str, edition_id: str, problems: list[Problem], source: Source = DISK) -> EditionRead:
    """Read one edition folder; its edition is None when a required part could not be read."""
    read = Reader(problems)
    path = os.path.join(folder, "edition.yaml")
    fields = read.mapping(load_yaml(path, problems, source), "edition.yaml", EDITION_KEYS, EDITION_OPTIONAL)
    results = read_results(os.path.join(folder, "results.yaml"), read, source)
    experts = read_experts(os.path.join(folder, "experts.yaml"), read, source)
    scheme = indicators.read_indicators(folder, read, source)
    scores = indicators.read_scores(folder, scheme, read, source)
    if fields is None or any(k not in fields for k in EDITION_KEYS):
        return EditionRead(None)
    title = read.text(fields["title"], "title")
    period = read.mapping(fields["period"], "period", ("start", "end"))
    start = read.date(period.get("start"), "period-start") if period else None
    end = read.date(period.get("end"), "period-end") if period else None
    if start and end and start > end:
        read.problem("wrong-type", fields["period"].loc, "wrong-type/period-order", start=str(start),
                     end=str(end))
    published = read.month(fields["published"], "published")
    publishers = read.texts(fields["publishers"], "publishers")
    before = len(problems)
    tiers = read_tiers(fields["tiers"], read)
    tiers_sure = len(problems) == before
    before = len(problems)
    groups = read_groups(fields["groups"], read)
    groups_sure = len(problems) == before
    entered = read.integer(fields["entered"], "entered")
    activity = read_activity(fields.get("activity"), read)
    # A new edition's rule is checked once it has results: until then it is the previous one's.
    authored = fields.get("printed") is None
    a_level = read_a_level(fields.get("a_level"), read, end if results and results.rows else None,
                           authored and bool(results and results.rows))
    acknowledged = read_acknowledged(fields.get("acknowledged"), read)
    frozen = read.boolean(fields.get("frozen"), "frozen")
    version = read.integer(fields.get("version"), "version", 1) or 1
    corrections = read_corrections(fields.get("corrections"), read, published)
    demo = read.boolean(fields.get("demo"), "demo")
    printed = read_printed(fields.get("printed"), read)
    publish = read.choice(fields.get("indicators_publish"), "indicators_publish", indicators.PUBLISH, "aggregate")
    if (title is None or start is None or end is None or published is None or entered is None
            or results is None or not tiers or not groups):
        return EditionRead(None)
    unsure: set[str] = set()
    if not groups_sure:
        unsure |= GROUP_RULES
    if not tiers_sure or results.codes_unread:
        unsure |= TIER_RULES
    if results.codes_unread:
        unsure.add("count-shortfall")
    evaluated = rate(results.rows, tiers, read) if tiers_sure else ()
    return EditionRead(Edition(
        id=edition_id, title=title, start=start, end=end, published=published,
        publishers=publishers, tiers=tiers, groups=groups, entered=entered, evaluated=evaluated,
        incomplete=tuple(c for c, _ in results.incomplete),
        incomplete_locs=tuple(loc for _, loc in results.incomplete),
        experts=experts, indicators=scheme.indicators, activity=activity, a_level=a_level,
        scores=indicators.check_totals(scores, evaluated, results.written, tuple(results.listed), read)
        if tiers_sure else (), indicators_publish=publish,
        acknowledged=acknowledged, frozen=frozen, version=version, corrections=corrections, demo=demo,
        printed=printed,
        loc=Loc(path), entered_loc=fields["entered"].loc, period_loc=fields["period"].loc,
    ), tuple(results.listed), frozenset(unsure))


def read_tiers(node: Node, read: Reader) -> tuple[Tier, ...]:
    """Tiers best first; bands must neither overlap nor leave a gap between 0 and 100."""
    before = len(read.problems)
    raw: list[tuple[str, str, float, float | None, Loc]] = []
    for item in read.seq(node, "tiers"):
        f = read.mapping(item, "a-tier", ("key", "name", "min"), ("max",))
        if f is None:
            continue
        key, name = read.key_text(f.get("key"), "tier-key"), read.text(f.get("name"), "tier-name")
        low = read.number(f.get("min"), "tier-min")
        high = read.number(f.get("max"), "tier-max") if "max" in f else None
        if key is None or name is None or low is None:
            continue
        raw.append((key, name, low, high, item.loc))
    tiers: list[Tier] = []
    for rank, (key, name, low, high, loc) in enumerate(raw):
        if not 0 <= low <= 100 or (high is not None and not low <= high <= 100):
            read.problem("tier-bands", loc, "tier-bands/range", name=quote(name))
            continue
        if any(t.key == key for t in tiers):
            read.problem("duplicate-key", loc, "duplicate-key/tier", key=quote(key))
            continue
        above = raw[rank - 1][2] if rank else None
        if above is not None and low >= above:
            read.problem("tier-bands", loc, "tier-bands/order", name=quote(name), low=low, above=above)
            continue
        top: float
        if above is None:
            top = 100
            if high is not None and high != 100:
                read.problem("tier-bands", loc, "tier-bands/top", name=quote(name), high=high)
        else:
            top = high if high is not None else above - 1 if float(above).is_integer() else above
            if high is not None and high >= above:
                read.problem("tier-bands", loc, "tier-bands/overlap", name=quote(name), high=high,
                             above=above)
            elif high is not None and high < above - 1:
                read.problem("tier-bands", loc, "tier-bands/gap", name=quote(name), high=high, above=above)
        tiers.append(Tier(key, name, low, top, rank, loc))
    # Which tier is the lowest is only known when every tier could be read.
    if tiers and tiers[-1].min != 0 and len(read.problems) == before:
        read.problem("tier-bands", tiers[-1].loc, "tier-bands/bottom", name=quote(tiers[-1].name),
                     low=tiers[-1].min)
    if node.kind == SEQ and not node.value:
        read.problem("missing-key", node.loc, "missing-key/no-tier")
    return tuple(tiers)


def read_groups(node: Node, read: Reader) -> tuple[Group, ...]:
    """Groups of alliances; prefixes unique."""
    groups: list[Group] = []
    for item in read.seq(node, "groups"):
        f = read.mapping(item, "a-group", ("prefix", "name", "size"), ("pilot",))
        if f is None:
            continue
        prefix = read.key_text(f.get("prefix"), "group-prefix")
        name = read.text(f.get("name"), "group-name")
        size = read.integer(f.get("size"), "group-size")
        pilot = read.boolean(f.get("pilot"), "pilot", True)
        if prefix is None or name is None or size is None:
            continue
        if any(g.prefix == prefix for g in groups):
            read.problem("duplicate-key", f["prefix"].loc, "duplicate-key/group", prefix=quote(prefix))
            continue
        groups.append(Group(prefix, name, size, pilot, item.loc))
    if node.kind == SEQ and not node.value:
        read.problem("missing-key", node.loc, "missing-key/no-group")
    return tuple(groups)


def read_results(path: str, read: Reader, source: Source = DISK) -> _Results | None:
    """`results.yaml`: who was listed, and the scores and tiers that could be read."""
    fields = read.mapping(load_yaml(path, read.problems, source), "results.yaml", ("evaluated",), ("incomplete",))
    if fields is None:
        return None
    out = _Results()
    for key in ("evaluated", "incomplete"):
        node = fields.get(key)
        if node is not None and node.kind != SEQ:
            out.codes_unread = True
    for item in read.seq(fields.get("evaluated"), "evaluated"):
        f = read.mapping(item, "an-evaluated-alliance", ("code",), ("score", "tier"))
        score = read.number(f.get("score"), "score") if f else None
        tier = read.key_text(f.get("tier"), "tier") if f else None
        if f is None or (code := read.code(f.get("code"))) is None:
            out.codes_unread = True
            continue
        out.listed.append((code, f["code"].loc))
        if "score" not in f and "tier" not in f:
            read.problem("missing-key", item.loc, "missing-key/score-or-tier", code=quote(code))
            continue
        if score is not None and not 0 <= score <= 100:
            read.problem("score-range", f["score"].loc, score=score, code=quote(code))
            continue
        if "score" in f and score is None or "tier" in f and tier is None:
            continue
        if score is not None:
            out.written[code] = f["score"].raw.strip()
        out.rows.append((code, score, tier, f["code"].loc, f.get("tier")))
    for item in read.seq(fields.get("incomplete"), "incomplete"):
        if (code := read.code(item)) is None:
            out.codes_unread = True
        else:
            out.incomplete.append((code, item.loc))
    return out


def rate(rows: list, tiers: tuple[Tier, ...], read: Reader) -> tuple[Result, ...]:
    """Results with their tier: derived from the score, and checked against a given tier."""
    keys = {t.key: t for t in tiers}
    out = []
    for code, score, tier, loc, tier_node in rows:
        if tier is not None and tier not in keys:
            read.problem("unknown-tier", tier_node.loc, tier=quote(tier), tiers=", ".join(quote(k) for k in keys))
            continue
        if score is not None:
            derived = next((t for t in tiers if score >= t.min), tiers[-1])
            if tier is not None and tier != derived.key:
                read.problem("score-tier", tier_node.loc, code=quote(code), score=score,
                             derived=quote(derived.key), derived_name=quote(derived.name), tier=quote(tier),
                             tier_name=quote(keys[tier].name))
                continue
            tier = derived.key
        out.append(Result(code, score, tier, loc))
    return tuple(out)


def read_experts(path: str, read: Reader, source: Source = DISK) -> tuple[Expert, ...]:
    """`experts.yaml` (optional): the panel in file order."""
    if not source.exists(path):
        return ()
    experts = []
    for item in read.seq(load_yaml(path, read.problems, source), "experts"):
        f = read.mapping(item, "an-expert", ("role", "name"), ("titles",))
        if f is None:
            continue
        role, name = read.text(f.get("role"), "role"), read.text(f.get("name"), "name")
        found = [(read.text(t, "title"), t.loc) for t in read.seq(f.get("titles"), "titles")]
        titles = [(t, loc) for t, loc in found if t]
        if role and name:
            experts.append(Expert(role, name, tuple(t for t, _ in titles), item.loc,
                                  tuple(loc for _, loc in titles)))
    return tuple(experts)


def read_activity(node: Node | None, read: Reader) -> Activity | None:
    """The preface's activity figures."""
    f = read.mapping(node, "activity", ACTIVITY_FUNDING + ACTIVITY_COUNTS)
    if not f or any(k not in f for k in ACTIVITY_FUNDING + ACTIVITY_COUNTS):
        return None
    funding: dict[str, Funding] = {}
    for key in ACTIVITY_FUNDING:
        g = read.mapping(f[key], key, ("count", "amount"))
        if not g or "count" not in g or "amount" not in g:
            return None
        count, amount = read.integer(g["count"], "count"), read.number(g["amount"], "amount")
        if count is None or amount is None:
            return None
        funding[key] = Funding(count, amount)
    read_counts = {key: read.integer(f[key], key) for key in ACTIVITY_COUNTS}
    counts = {key: count for key, count in read_counts.items() if count is not None}
    if len(counts) < len(read_counts):
        return None
    return Activity(funding["self_funded"], funding["government"], funding["commissioned"], **counts)


def read_a_level(node: Node | None, read: Reader, end: dt.date | None = None,
                 authored: bool = False) -> ALevel | None:
    """The A-level list as published (a code listed twice is reported and kept once), or the rule
    alone when `codes` is left out, to be computed from the archive's history; None when the
    edition does not evaluate A-level (`a_level` left out, or `a_level: false`).

    The rule must name the years ending in the edition's period (`end`, None: not checked); an
    edition authored here (`authored`) may not give a rule with an empty list."""
    if node is None or (node.kind == SCALAR and node.value is False):
        return None
    f = read.mapping(node, "a_level", ("name", "rule", "consecutive"), ("codes",))
    if not f or any(k not in f for k in ("name", "rule", "consecutive")):
        return None
    codes: dict[str, Loc] = {}
    items = read.seq(f.get("codes"), "codes")
    for item in items:
        code = read.code(item)
        if code in codes:
            read.problem("duplicate-entry", item.loc, "duplicate-entry/a-level", code=quote(code),
                         line=codes[code].line)
        elif code is not None:
            codes[code] = item.loc
    consecutive = read.integer(f["consecutive"], "consecutive", 1)
    name, rule = read.text(f["name"], "name"), read.text(f["rule"], "rule")
    if name is None or rule is None or consecutive is None:
        return None
    years = [int(y) for y in RULE_YEAR.findall(rule)]
    if end is not None and years and max(years) != end.year:
        shift = end.year - max(years)
        read.problem("a-level-rule", f["rule"].loc, rule=quote(rule), last=max(years), end=end.year,
                     suggestion=quote(RULE_YEAR.sub(lambda m: str(int(m.group()) + shift), rule)))
    if "codes" not in f:
        # Left out: computed from the archive's history by the checker.
        return ALevel(name, rule, consecutive, (), (), node.loc, computed=True)
    if authored and not items and f["codes"].kind == SEQ:
        read.problem("a-level-empty", f["codes"].loc)
    return ALevel(name, rule, consecutive, tuple(codes), tuple(codes.values()), f["codes"].loc)


RULE_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
"""A year named in an A-level rule (`2018-2021 连续三个评价期活跃度高`)."""


def read_acknowledged(node: Node | None, read: Reader) -> tuple[Acknowledgement, ...]:
    """Published inconsistencies the data keeps."""
    out = []
    for item in read.seq(node, "acknowledged"):
        f = read.mapping(item, "an-acknowledgement", ("slug", "subject", "reason"))
        if not f:
            continue
        slug, subject = read.text(f.get("slug"), "slug"), read.key_text(f.get("subject"), "subject")
        reason = read.text(f.get("reason"), "reason")
        if slug and subject and reason:
            out.append(Acknowledgement(slug, subject, reason, item.loc))
    return tuple(out)


def read_corrections(node: Node | None, read: Reader, published: str | None = None) -> tuple[Correction, ...]:
    """Dated 更正 notices of a re-published edition, none dated before the first day of the month
    the edition was published (`published`, `YYYY-MM`). The check never reads the clock, so a date
    after today is `correct`'s to refuse."""
    out = []
    first = dt.date(int(published[:4]), int(published[5:7]), 1) if published else None
    for item in read.seq(node, "corrections"):
        f = read.mapping(item, "a-correction", ("date", "text"))
        if f and (date := read.date(f.get("date"), "date")) and (text := read.text(f.get("text"), "text")):
            if first is not None and date < first:
                read.problem("correction-date", f["date"].loc, date=date.isoformat(), published=published,
                             first=first.isoformat())
            out.append(Correction(date, text))
    return tuple(out)


def read_printed(node: Node | None, read: Reader) -> Printed | None:
    """`printed: {title: …, date: YYYY-MM}`: the printed report the edition was transcribed from."""
    if node is None:
        return None
    fields = read.mapping(node, "printed", ("title", "date"))
    if fields is None:
        return None
    title = read.text(fields.get("title"), "printed-title")
    date = read.month(fields.get("date"), "printed-date")
    return Printed(title, date) if title and date else None

