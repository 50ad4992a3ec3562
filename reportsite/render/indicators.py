"""The indicator findings as the narrative sees them, and what of the indicator scores an edition
publishes.

Under an edition's `indicators_publish` (docs/data.md): `aggregate` (the default) publishes only
averages of groups of three or more alliances (`findings.py`), `alliance` each alliance's scores
too, `none` nothing. The pages are rendered from `published(archive)`, in which an edition that
does not publish each alliance's scores has none: no template, content file, search index or
download can reach them. The findings are computed from the full edition first.
"""

from __future__ import annotations

from dataclasses import replace

from reportsite.model import findings as X
from reportsite.model.errors import ContentError
from reportsite.model.records import Archive, Edition

NONE, AGGREGATE, ALLIANCE = "none", "aggregate", "alliance"


def published(archive: Archive) -> Archive:
    """`archive` with the indicator scores of each edition that does not publish them per
    alliance taken out."""
    if all(not e.scores or e.indicators_publish == ALLIANCE for e in archive.editions):
        return archive
    return replace(archive, editions=tuple(e if e.indicators_publish == ALLIANCE else replace(e, scores=())
                                           for e in archive.editions))


def usable(edition: Edition) -> None:
    """Raise the content error that says why the edition has no indicator findings, if it has none."""
    if edition.indicators_publish == NONE:
        raise ContentError.of("indicator-findings/none")
    if not edition.scores:
        raise ContentError.of("indicator-findings/no-scores")


def _filters(edition: Edition, tier, group, pilot, level) -> dict:
    """The filters of a finding, checked against the edition."""
    for option, value, allowed in (("tier", tier, [t.key for t in edition.tiers]),
                                   ("group", group, [g.prefix for g in edition.groups]),
                                   ("level", level, list(X.LEVELS))):
        if value is not None and (not isinstance(value, str) or value not in allowed):
            raise ContentError.of("indicator-findings/value", option=option, value=str(value)[:60],
                                  allowed=", ".join(allowed))
    if pilot is not None and not isinstance(pilot, bool):
        raise ContentError.of("indicator-findings/value", option="pilot", value=str(pilot)[:60],
                              allowed="true, false")
    return {"tier": tier, "group": group, "pilot": pilot}


def _measure(edition: Edition, name) -> X.Measure:
    """The indicator (first- or second-level) called `name`."""
    for level in (X.SECOND, X.FIRST):
        for m in X.measures(edition, level):
            if m.name == name:
                return m
    raise ContentError.of("indicator-findings/name", name=str(name)[:60],
                          allowed="、".join(m.name for m in X.measures(edition, X.FIRST)) + " …")


def findings_context(edition: Edition) -> dict:
    """The names content uses for the indicator findings (docs/content.md, *Context names*),
    computed from the full edition; each raises a content error where the edition has no
    findings to publish."""

    def rate(name, tier=None, group=None, pilot=None) -> X.Rate | str:
        usable(edition)
        if name == X.HIDDEN:  # a name of `weakest()` for a group too small to publish
            return X.HIDDEN
        m = _measure(edition, name)
        found = X.rates(edition, m.level, **_filters(edition, tier, group, pilot, None))
        return found[m.index]

    def weakest(tier=None, group=None, pilot=None, n=1, level=X.SECOND) -> list[str]:
        usable(edition)
        return list(X.ordered(edition, _count(n), False, level, **_filters(edition, tier, group, pilot, level)))

    def strongest(tier=None, group=None, pilot=None, n=1, level=X.SECOND) -> list[str]:
        usable(edition)
        return list(X.ordered(edition, _count(n), True, level, **_filters(edition, tier, group, pilot, level)))

    def zero_count(name, tier=None, group=None, pilot=None) -> int | str:
        usable(edition)
        if name == X.HIDDEN:
            return X.HIDDEN
        m = _measure(edition, name)
        found = X.zero_count(edition, name, m.level, **_filters(edition, tier, group, pilot, None))
        return X.HIDDEN if found is None else found

    return {"rate": rate, "weakest": weakest, "strongest": strongest, "zero_count": zero_count}


def _count(n) -> int:
    """`n` of `weakest(n=...)`: a whole number from 1."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ContentError.of("indicator-findings/value", option="n", value=str(n)[:60], allowed="1, 2, 3 …")
    return n
