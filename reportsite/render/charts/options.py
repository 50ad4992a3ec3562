"""A chart as content declares it: `chart(kind="bar", by="tier", filter={"group": "1"}, ...)`.

`declare()` checks every option against the edition (its tier keys and group prefixes) and returns
a `Declaration`, or raises a `ContentError` naming the option, the value given and the values
allowed; `content.render_file` adds the content file and line of the call. `charts.py` turns a
declaration into numbers. docs/content.md describes every option.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from reportsite.model.errors import ContentError
from reportsite.model.findings import LEVELS
from reportsite.model.records import Edition
from reportsite.render.charts import count
from reportsite.render.charts.spec import Declaration
from reportsite.render.indicators import ALLIANCE, usable

KINDS = tuple(count.KINDS)
"""The kinds of chart (`count.KINDS`, the one table of them)."""
BY = {k.name: k.by for k in count.KINDS.values()}
"""What the bars (or, in a stacked bar, the segments) of each kind may be, the default first."""
BASES = ("evaluated", "in_scope", "entered", "group")
"""What a share may be of: the evaluated alliances, all in scope (the groups' sizes), the number
that entered data, and (bars by group only) each bar's own group."""
STATUSES = ("evaluated", "incomplete", "not_reported")
SHOW = ("share", "count")
FILTER_KEYS = ("tier", "group", "pilot", "status")
OPTIONS = ("kind", "by", "per", "filter", "share_of", "show", "band", "title", "caption", "note",
           "numbered", "level", "alliance")
RATE_KINDS = tuple(name for name, k in count.KINDS.items() if k.rates is not None)
"""The kinds of the indicator scores: a table of 得分率 and a profile (each takes `level`, one of
`LEVELS`; a profile takes `alliance`)."""
BANDS = range(1, 51)


NAMED = {
    "funnel": Declaration(kind="funnel", by="stage", share_of=("in_scope",), show="count"),
    "batch-tier": Declaration(kind="stacked", by="tier", per="group", show="count"),
    "score-distribution": Declaration(kind="histogram", by="score", show="count"),
}
"""Charts content may place by name, `chart("funnel")`; the other options change them."""
CHART_NAMES = tuple(NAMED)
"""The charts content may place by name."""


def _shown(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _bad(option: str, value, allowed) -> ContentError:
    return ContentError.of("chart-value", option=option, value=_shown(value), allowed=", ".join(allowed))


def _conflict(option: str, value, other: str, allowed) -> ContentError:
    return ContentError.of("chart-conflict", option=option, value=_shown(value), other=other,
                           allowed=", ".join(allowed))


def _not_here(option: str, other: str) -> ContentError:
    return ContentError.of("chart-not-here", option=option, other=other)


def _choice(option: str, value, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _bad(option, value, allowed)
    return value


def _keys(option: str, value, allowed) -> tuple[str, ...]:
    """One value or a list of them, each one of `allowed` (numbers read as text: group 1 is "1")."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    out = []
    for v in values:
        text = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if not isinstance(text, str) or text not in allowed:
            raise _bad(option, v, allowed)
        out.append(text)
    if not out:
        raise _bad(option, value, allowed)
    return tuple(dict.fromkeys(out))


def _text(option: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(option, value, ["文字 / text"])
    return value


def _flag(option: str, value) -> bool:
    if not isinstance(value, bool):
        raise _bad(option, value, ["true", "false"])
    return value


def _filter(edition: Edition, value) -> dict[str, tuple[str, ...] | bool]:
    if not isinstance(value, dict):
        raise _bad("filter", value, ['{"tier": ...}', '{"group": ...}', '{"pilot": ...}', '{"status": ...}'])
    out: dict[str, tuple[str, ...] | bool] = {}
    for key, v in value.items():
        if key not in FILTER_KEYS:
            raise ContentError.of("chart-option", option=f"filter.{_shown(key)}", allowed=", ".join(FILTER_KEYS))
        if key == "tier":
            out["tiers"] = _keys("filter.tier", v, [t.key for t in edition.tiers])
        elif key == "group":
            out["groups"] = _keys("filter.group", v, [g.prefix for g in edition.groups])
        elif key == "pilot":
            out["pilot"] = _flag("filter.pilot", v)
        else:
            out["statuses"] = _keys("filter.status", v, STATUSES)
    if "tiers" in out and out.get("statuses", ("evaluated",)) != ("evaluated",):
        raise _conflict("filter.status", value["status"], "filter.tier", ["evaluated"])
    return out


def declare(edition: Edition, *names, **options) -> Declaration:
    """The declaration `chart(*names, **options)` makes, checked against `edition`."""
    if len(names) > 1:
        raise _bad("name", list(names), NAMED)
    for option in options:
        if option not in OPTIONS:
            raise ContentError.of("chart-option", option=option, allowed=", ".join(OPTIONS))
    base = NAMED[_choice("name", names[0], NAMED)] if names else Declaration()
    if names:
        base = replace(base, name=names[0])
    kind = _choice("kind", options["kind"], KINDS) if "kind" in options else base.kind
    if "kind" in options and options["kind"] != base.kind:
        base = Declaration(kind=kind, by=BY[kind][0], name=base.name, show=count.KINDS[kind].show,
                           share_of=count.KINDS[kind].share_of)
    by = _choice("by", options["by"], BY[kind]) if "by" in options else base.by
    # The declaration's fields as checked so far, of its several types.
    fields: dict[str, Any] = dict(kind=kind, by=by, per=base.per, show=base.show, share_of=base.share_of)
    if "by" in options and by == "status" and "share_of" not in options:
        fields["share_of"] = ("in_scope",)
    _rate_options(edition, kind, options, fields)
    if "per" in options:
        if kind != "stacked":
            raise _not_here("per", f"kind={kind}")
        fields["per"] = _choice("per", options["per"], ["group"])
    fields.update(_filter(edition, options.get("filter", {})))
    if kind == "funnel" and options.get("filter"):
        raise _not_here("filter", "kind=funnel")
    if "share_of" in options:
        fields["share_of"] = _share_of(options["share_of"], fields)
    if "entered" in fields["share_of"] and (fields.get("groups") is not None or fields.get("pilot") is not None):
        raise _conflict("share_of", "entered", "filter.group / filter.pilot", ["evaluated", "in_scope"])
    if "show" in options:
        fields["show"] = _choice("show", options["show"], SHOW)
    if "band" in options:
        if kind != "histogram":
            raise _not_here("band", f"kind={kind}")
        if not isinstance(options["band"], int) or isinstance(options["band"], bool) or options["band"] not in BANDS:
            raise _bad("band", options["band"], ["1 … 50"])
        fields["band"] = options["band"]
    for option in ("title", "caption", "note"):
        if option in options:
            fields[option] = _text(option, options[option])
    if "numbered" in options:
        fields["numbered"] = _flag("numbered", options["numbered"])
    return replace(base, **fields)


def _rate_options(edition: Edition, kind: str, options: dict, fields: dict) -> None:
    """The options of the charts of the indicator scores (`level`, and a profile's `alliance`),
    checked into `fields`; the options of charts of counts are refused there, as these are
    elsewhere."""
    if kind not in RATE_KINDS:
        for option in ("level", "alliance"):
            if option in options:
                raise _not_here(option, f"kind={kind}")
        return
    usable(edition)
    for option in ("per", "share_of", "show", "band", *(("filter",) if kind == "profile" else ())):
        if option in options:
            raise _not_here(option, f"kind={kind}")
    if isinstance(options.get("filter"), dict) and "status" in options["filter"]:
        raise _not_here("filter.status", f"kind={kind}")
    if kind == "profile" and edition.indicators_publish != ALLIANCE:
        raise ContentError.of("indicator-findings/alliance", policy=edition.indicators_publish)
    if "level" in options:
        fields["level"] = _choice("level", options["level"], LEVELS)
    if "alliance" in options and kind != "profile":
        raise _not_here("alliance", f"kind={kind}")
    if kind == "profile":
        codes = [s.code for s in edition.scores]
        given = options.get("alliance")
        fields["alliance"] = _choice("alliance", str(given) if isinstance(given, int) else given, codes)


def _share_of(value, fields: dict) -> tuple[str, ...]:
    """`share_of` checked against the kind and the bars: several bases only for a stacked chart
    without `per`; `group` only for bars by group; a funnel's base is everyone in scope."""
    kind, by = fields["kind"], fields["by"]
    if kind == "pie":
        raise _not_here("share_of", "kind=pie")
    several = kind == "stacked" and not fields["per"]
    if isinstance(value, (list, tuple)):
        if not several:
            raise _conflict("share_of", value, f"kind={kind}" + (" per=group" if fields["per"] else ""),
                            ["one of " + ", ".join(BASES)])
        bases = _keys("share_of", value, [b for b in BASES if b != "group"])
    else:
        bases = (_choice("share_of", value, BASES),)
    allowed = {"funnel": ["in_scope"]}.get(kind) or [b for b in BASES if b != "group" or by == "group"]
    for b in bases:
        if b not in allowed:
            raise _conflict("share_of", b, f"kind={kind} by={by}", allowed)
    return bases
