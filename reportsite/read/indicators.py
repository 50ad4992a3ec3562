"""An edition's indicators and its indicator scores: `indicators.yaml` (the list form, or the
additive form with each indicator's points) and the optional `indicator-scores.yaml` (each
alliance's second-level scores), checked against each other and against the totals of
`results.yaml`.

Only second-level scores are entered; a first-level score is the sum of its items'. An alliance's
scores must add up to its total in `results.yaml` at the precision the total is written (85 is
the sum rounded half-up to a whole number, 85.5 to one place), plus its 加减分 where the file
gives them (`adjustments`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportsite.model.findings import exact
from reportsite.model.messages import elsewhere, message
from reportsite.model.records import Indicator, Loc, Problem, Result, Scores, quote
from reportsite.read.load import MAP, SCALAR, Node, load_yaml
from reportsite.read.schema import DECIMAL, Reader, number_form
from reportsite.read.source import DISK, Source

INDICATORS_FILE = "indicators.yaml"
SCORES_FILE = "indicator-scores.yaml"
RESULTS_FILE = "results.yaml"
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
    """The file has `adjustments`: a total may include 加减分 outside the indicators."""
    named: frozenset[str] = frozenset()
    """Every code the file gives scores for, its rows with mistakes too."""
    checkable: bool = False
    """The file exists and could be read against a sound `indicators.yaml`."""


ROW_TOKEN = re.compile(r"/|[^\s/]+")
"""A row of scores: numbers separated by spaces, the first-level indicators' groups by `/`."""


def read_scores(folder: str, scheme: IndicatorsRead, read: Reader, source: Source = DISK) -> ScoresRead:
    """`indicator-scores.yaml` (optional): per alliance (by code), its second-level scores as one
    line, a group of numbers per first-level indicator, each within 0 and the item's points; and,
    where the totals include them, each alliance's 加减分 (`adjustments`).

    A row is one value rather than a list of lists: an archive holds tens of thousands of scores,
    and reading each as a value of its own took most of the time a build spends reading data."""
    path = os.path.join(folder, "indicator-scores.yaml")
    if not source.exists(path):
        return ScoresRead()
    fields = read.mapping(load_yaml(path, read.problems, source), SCORES_FILE, ("scores",), ("adjustments",))
    if fields is None:
        return ScoresRead()
    if not scheme.additive or not scheme.indicators:
        read.problem("indicator-no-maxima", Loc(path), scores=elsewhere(path),
                     indicators=elsewhere(os.path.join(folder, INDICATORS_FILE)))
        return ScoresRead()
    rows = _codes(fields.get("scores"), "scores", read)
    adjustments = {}
    for code, (node, loc) in _codes(fields.get("adjustments"), "adjustments", read).items():
        adjustments[code] = read.number(node, "adjustment")
        if code not in rows:
            read.problem("indicator-adjustment", loc, code=quote(code))
    out = []
    for code, (node, loc) in rows.items():
        items = _row(code, node, scheme.indicators, read) if scheme.sure else None
        adjustment = adjustments.get(code, 0)
        if items is not None and adjustment is not None:
            out.append(Scores(code, items, float(adjustment), loc))
    return ScoresRead(tuple(out), "adjustments" in fields, frozenset(rows), scheme.sure)


def _codes(node: Node | None, what: str, read: Reader) -> dict[str, tuple[Node, Loc]]:
    """A mapping by alliance code: each value with the place of its code (a key that is not a
    code's shape is reported and left out)."""
    if node is None or node.broken:
        return {}
    if node.kind != MAP:
        read.mapping(node, what, ())  # reports what it is instead
        return {}
    out = {}
    for key, value in node.value.items():
        loc = node.key_locs[key]
        if read.check_code_shape(key, loc):
            out[key] = (value, loc)
    return out


def _row(code: str, node: Node, indicators: tuple[Indicator, ...], read: Reader) -> tuple[tuple[float, ...], ...] | None:
    """One alliance's scores, a tuple per indicator; None after reporting what is wrong with it
    (each number at its own column)."""
    if node.kind != SCALAR or node.broken:
        if node.kind != SCALAR:
            read.problem("indicator-shape", node.loc, code=quote(code), expected=len(indicators),
                         counts="/".join(str(len(i.items)) for i in indicators))
        return None
    start = node.loc.col + (1 if node.quoted else 0)
    groups: list[list[tuple[str, Loc]]] = [[]]
    for m in ROW_TOKEN.finditer(node.raw):
        if m.group() == "/":
            groups.append([])
        else:
            groups[-1].append((m.group(), Loc(node.loc.path, node.loc.line, start + m.start())))
    if len(groups) != len(indicators):
        read.problem("indicator-shape", node.loc, code=quote(code), expected=len(indicators),
                     counts="/".join(str(len(i.items)) for i in indicators))
        return None
    out, fine = [], True
    for group, indicator in zip(groups, indicators):
        if len(group) != len(indicator.items):
            read.problem("indicator-shape", node.loc, "indicator-shape/items", code=quote(code),
                         name=quote(indicator.name), expected=len(indicator.items), given=len(group))
            fine = False
            continue
        values = []
        for (text, loc), name, top in zip(group, indicator.items, indicator.item_max):
            if not DECIMAL.fullmatch(text):
                form = number_form(text)
                read.problems.append(Problem("number-form", loc, form) if form is not None else Problem(
                    "wrong-type", loc, message("wrong-type", what=message("field/indicator-score"),
                                               expected=message("expected/number"), value=quote(text))))
                fine = False
            elif not 0 <= float(text) <= top:
                read.problem("indicator-score-range", loc, code=quote(code), item=quote(name), score=quote(text),
                             max=_shown(exact(top)))
                fine = False
            else:
                values.append(float(text))
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
            read.problem("indicator-no-scores", result.loc, code=quote(result.code),
                         scores=elsewhere(os.path.join(os.path.dirname(result.loc.path), SCORES_FILE)))
    for s in found.scores:
        r = rated.get(s.code)
        if s.code in unread:
            continue
        if r is None or r.score is None:
            read.problem("indicator-no-total", s.loc, code=quote(s.code),
                         results=elsewhere(os.path.join(os.path.dirname(s.loc.path), RESULTS_FILE)))
            continue
        text = written[s.code]
        total = sum((exact(v) for group in s.items for v in group), Decimal(0)) + exact(s.adjustment)
        rounded = total.quantize(Decimal(1).scaleb(-places(text)), rounding=ROUND_HALF_UP)
        if rounded != Decimal(text):
            read.problem("indicator-sum", s.loc, "indicator-sum/adjusted" if s.adjustment else "indicator-sum",
                         code=quote(s.code), sum=_shown(total), total=text, total_at=elsewhere(r.loc.path, r.loc.line),
                         adjustment=_shown(exact(s.adjustment)))
    return found.scores
