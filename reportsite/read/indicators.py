"""An edition's indicators and its indicator scores: `indicators.yaml` (the list form, or the
additive form with each indicator's points) and the optional `indicator-scores.yaml` (each
alliance's second-level scores), checked against each other and against the totals of
`results.yaml`.

Only second-level scores are entered; a first-level score is the sum of its items'. An alliance's
scores must add up to its total in `results.yaml` at the precision the total is written (85 is
the sum rounded half-up to a whole number, 85.5 to one place), plus its 加减分 where the file
declares `adjustments: true`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportsite.model.findings import exact
from reportsite.model.records import Indicator, Loc, Result, Scores, quote
from reportsite.read.load import MAP, SEQ, Node, load_yaml
from reportsite.read.schema import Reader
from reportsite.read.source import DISK, Source

INDICATORS_FILE = "indicators.yaml"
SCORES_FILE = "indicator-scores.yaml"
FIRST_LEVEL_TOTAL = Decimal(100)
"""What the first-level maxima of the additive form add up to."""
PUBLISH = ("none", "aggregate", "alliance")
"""The values of `indicators_publish`: publish nothing, averages of groups of 3 or more (the
default), or each alliance's scores too."""


def places(text: str) -> int:
    """How many decimal places a number is written with: `85` 0, `85.5` 1, `85.50` 2."""
    return len(text.partition(".")[2])


@dataclass(frozen=True)
class IndicatorsRead:
    """`indicators.yaml` as read."""

    indicators: tuple[Indicator, ...]
    additive: bool
    """Every indicator gives its points (`max`) and every item its own."""
    sure: bool
    """Read without a mistake, so scores can be checked against it."""


def read_indicators(folder: str, read: Reader, source: Source = DISK) -> IndicatorsRead:
    """`indicators.yaml` (optional): first-level indicators and their items, each item a name
    (the list form) or `{name, max}` (the additive form, where each indicator gives its `max`)."""
    path = os.path.join(folder, "indicators.yaml")
    if not source.exists(path):
        return IndicatorsRead((), False, True)
    before = len(read.problems)
    node = load_yaml(path, read.problems, source)
    entries = read.seq(node, "indicators")
    additive = any(item.get("max") is not None for item in entries)
    out = []
    for item in entries:
        f = read.mapping(item, "an-indicator", ("name", "items"), ("max",))
        if not f or not (name := read.text(f.get("name"), "indicator-name")):
            continue
        top = _points(f.get("max"), "indicator-max", read)
        if additive and "max" not in f:
            read.problem("indicator-form", item.loc, "indicator-form/no-max", name=quote(name))
        names, maxima = _items(f.get("items"), additive, read)
        if top is not None and len(maxima) == len(names) and sum(maxima, Decimal(0)) != top:
            read.problem("indicator-item-sum", f["max"].loc, name=quote(name), max=_shown(top),
                         sum=_shown(sum(maxima, Decimal(0))))
        out.append(Indicator(name, names, float(top) if top is not None else None,
                             tuple(float(m) for m in maxima)))
    sure = len(read.problems) == before
    if additive and sure and node is not None:
        total = sum((exact(i.max) for i in out if i.max is not None), Decimal(0))
        if total != FIRST_LEVEL_TOTAL:
            read.problem("indicator-max-sum", node.loc, sum=_shown(total))
            sure = False
    return IndicatorsRead(tuple(out), additive, sure)


def _shown(value: Decimal) -> str:
    """A sum as a message shows it: 20, 20.5 (never 20.0 or 2E+1)."""
    return format(value.normalize(), "f")


def _points(node: Node | None, what: str, read: Reader) -> Decimal | None:
    """A maximum: a number above 0 and at most 100."""
    value = read.number(node, what)
    if value is None or node is None:
        return None
    if not 0 < value <= 100:
        read.problem("indicator-form", node.loc, "indicator-form/max", value=quote(node.raw))
        return None
    return exact(value)


def _items(node: Node | None, additive: bool, read: Reader) -> tuple[tuple[str, ...], list[Decimal]]:
    """An indicator's items: names, and each one's maximum in the additive form."""
    names, maxima = [], []
    for item in read.seq(node, "items"):
        if item.kind == MAP:
            before = len(read.problems)
            f = read.mapping(item, "an-item", ("name", "max"))
            name = read.text(f.get("name"), "item-name") if f else None
            top = _points(f.get("max"), "item-max", read) if f else None
            if name and not additive and len(read.problems) == before:
                read.problem("indicator-form", item.loc, "indicator-form/item-max", name=quote(name))
            if name:
                names.append(name)
                maxima += [top] if top is not None else []
            continue
        name = read.text(item, "item-name")
        if name and additive:
            read.problem("indicator-form", item.loc, "indicator-form/item-no-max", name=quote(name))
        names += [name] if name else []
    return tuple(names), maxima


@dataclass(frozen=True)
class ScoresRead:
    """`indicator-scores.yaml` as read: each alliance's scores, and what the checks across files
    may rely on."""

    scores: tuple[Scores, ...] = ()
    """The rows read without a mistake, in file order."""
    declared: bool = False
    """The file declares `adjustments: true`: each row may carry its 加减分."""
    named: frozenset[str] = frozenset()
    """Every code the file gives scores for, its rows with mistakes too."""
    checkable: bool = False
    """The file exists and could be read against a sound `indicators.yaml`."""


def read_scores(folder: str, scheme: IndicatorsRead, read: Reader, source: Source = DISK) -> ScoresRead:
    """`indicator-scores.yaml` (optional): per alliance, its second-level scores as one list per
    first-level indicator, each within 0 and the item's maximum."""
    path = os.path.join(folder, "indicator-scores.yaml")
    if not source.exists(path):
        return ScoresRead()
    fields = read.mapping(load_yaml(path, read.problems, source), SCORES_FILE, ("scores",), ("adjustments",))
    if fields is None:
        return ScoresRead()
    if not scheme.additive or not scheme.indicators:
        read.problem("indicator-no-maxima", Loc(path), scores=SCORES_FILE, indicators=INDICATORS_FILE)
        return ScoresRead()
    declared = read.boolean(fields.get("adjustments"), "adjustments")
    seen: dict[str, Loc] = {}
    out = []
    for item in read.seq(fields.get("scores"), "scores"):
        f = read.mapping(item, "an-alliance-scores", ("code", "items"), ("adjustment",))
        if not f or (code := read.code(f.get("code"))) is None:
            continue
        if code in seen:
            read.problem("duplicate-entry", f["code"].loc, "duplicate-entry/indicator-scores", code=quote(code),
                         line=seen[code].line)
            continue
        seen[code] = f["code"].loc
        adjustment: float | int | None = 0
        if "adjustment" in f:
            adjustment = read.number(f["adjustment"], "adjustment")
            if not declared:
                read.problem("indicator-adjustment", f["adjustment"].loc, code=quote(code))
                adjustment = None
        items = _row(code, f.get("items"), scheme.indicators, read) if scheme.sure else None
        if items is not None and adjustment is not None:
            out.append(Scores(code, items, float(adjustment), item.loc))
    return ScoresRead(tuple(out), declared, frozenset(seen), scheme.sure)


def _row(code: str, node: Node | None, indicators: tuple[Indicator, ...],
         read: Reader) -> tuple[tuple[float, ...], ...] | None:
    """One alliance's scores, a list per indicator; None after reporting what is wrong with it."""
    groups = read.seq(node, "items")
    if node is None or node.kind != SEQ:
        return None
    if len(groups) != len(indicators) or any(g.kind != SEQ for g in groups):
        read.problem("indicator-shape", node.loc, code=quote(code), expected=len(indicators),
                     counts="/".join(str(len(i.items)) for i in indicators))
        return None
    out, fine = [], True
    for group, indicator in zip(groups, indicators):
        if len(group.value) != len(indicator.items):
            read.problem("indicator-shape", group.loc, "indicator-shape/items", code=quote(code),
                         name=quote(indicator.name), expected=len(indicator.items), given=len(group.value))
            fine = False
            continue
        values = []
        for cell, name, top in zip(group.value, indicator.items, indicator.item_max):
            value = read.number(cell, "indicator-score")
            if value is None:
                fine = False
            elif not 0 <= value <= top:
                read.problem("indicator-score-range", cell.loc, code=quote(code), item=quote(name),
                             score=quote(cell.raw), max=_shown(exact(top)))
                fine = False
            else:
                values.append(float(value))
        out.append(tuple(values))
    return tuple(out) if fine else None


def check_totals(found: ScoresRead, evaluated: tuple[Result, ...], written: dict[str, str],
                 listed: tuple[tuple[str, Loc], ...], read: Reader) -> tuple[Scores, ...]:
    """The scores checked against the results: every alliance with a total has scores and every
    one with scores has a total (where the edition has scores at all), and the scores add up to
    the total at the precision it is written (plus the 加减分 where declared). An alliance whose
    result or scores have a mistake, reported already, is not judged. Returns the scores in file
    order."""
    if not found.checkable:
        return found.scores
    rated = {r.code: r for r in evaluated}
    unread = {code for code, _ in listed} - set(rated)
    for result in evaluated:
        if result.score is not None and result.code not in found.named:
            read.problem("indicator-no-scores", result.loc, code=quote(result.code), scores=SCORES_FILE)
    for s in found.scores:
        r = rated.get(s.code)
        if s.code in unread:
            continue
        if r is None or r.score is None:
            read.problem("indicator-no-total", s.loc, code=quote(s.code))
            continue
        text = written[s.code]
        total = sum((exact(v) for group in s.items for v in group), Decimal(0)) + exact(s.adjustment)
        rounded = total.quantize(Decimal(1).scaleb(-places(text)), rounding=ROUND_HALF_UP)
        if rounded != Decimal(text):
            read.problem("indicator-sum", s.loc, "indicator-sum/adjusted" if s.adjustment else "indicator-sum",
                         code=quote(s.code), sum=_shown(total), total=text, line=r.loc.line,
                         adjustment=_shown(exact(s.adjustment)))
    return found.scores
