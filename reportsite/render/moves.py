"""Pure: how each alliance moved since the previous edition of the archive (docs/data.md, *How an
alliance moved*).

Ranks are the contract's competition ranks, each within its own edition: the movement is the
previous rank less the current one (3 up is +3), shown with the current pool of evaluated
alliances (`↑3，20/86`). An alliance evaluated for the first time in the archive is 新; where
either edition gives it no rank (a tier only, incomplete, absent) there is no movement (—). Tiers
compare by position, best first, as the archive home does; scores as numbers. A movement computed
against a synthetic (示例数据) edition says so. The first edition of an archive has no movements.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportsite.model import figures as F
from reportsite.model.records import Archive, Edition
from reportsite.render.compare import previous

NEW, NONE = "新", "—"


@dataclass(frozen=True)
class Movement:
    """One alliance of an edition against the previous edition of the archive."""

    code: str
    rank: int | None
    """Its competition rank now; None without a score (or not evaluated)."""
    pool: int
    """How many alliances the edition evaluated."""
    new: bool
    """Evaluated now and in no earlier edition of the archive."""
    rank_move: int | None
    """Previous rank less the current one (positive: up); None when new or either has no rank."""
    score_move: float | None
    """Current score less the previous one; None when new or either has no score."""
    tier_move: int | None
    """Previous tier's position less the current one's (positive: a better tier); None when new
    or either edition did not evaluate it."""

    @property
    def rank_text(self) -> str:
        """`↑3，20/86`, `↓2，22/86`, `持平，20/86`, `新` or `—`."""
        if self.new:
            return NEW
        if self.rank_move is None:
            return NONE
        step = "持平" if self.rank_move == 0 else ("↑" if self.rank_move > 0 else "↓") + str(abs(self.rank_move))
        return f"{step}，{self.rank}/{self.pool}"

    @property
    def score_text(self) -> str:
        """`+3`, `-2.5`, `0`, `新` or `—`."""
        if self.new:
            return NEW
        if self.score_move is None:
            return NONE
        return ("+" if self.score_move > 0 else "") + F.plain(round(self.score_move, 6))

    @property
    def tags(self) -> tuple[str, ...]:
        """The words the ranking's search finds it by: 名次上升, 名次下降, 档次上升, 档次下降, 新参评."""
        out = []
        if self.new:
            out.append("新参评")
        if self.rank_move:
            out.append("名次上升" if self.rank_move > 0 else "名次下降")
        if self.tier_move:
            out.append("档次上升" if self.tier_move > 0 else "档次下降")
        return tuple(out)


@dataclass(frozen=True)
class Movements:
    """An edition's movements against the previous edition of the archive."""

    previous: Edition
    by_code: dict[str, Movement]
    """Every alliance the edition evaluated, by code."""
    demo: bool
    """Either edition is synthetic (示例数据): the movements are too."""

    def largest(self, n: int = 10) -> tuple[Movement, ...]:
        """The `n` largest rank movements either way, largest first (ties by code)."""
        moved = [m for m in self.by_code.values() if m.rank_move]
        return tuple(sorted(moved, key=lambda m: (-abs(m.rank_move or 0), m.code))[:n])

    def count(self, tag: str) -> int:
        """How many alliances carry `tag` (`档次上升`)."""
        return sum(tag in m.tags for m in self.by_code.values())


def ever_evaluated(archive: Archive, edition: Edition) -> set[str]:
    """The codes evaluated in an edition of the archive before `edition`."""
    return {r.code for e in archive.editions if e.id < edition.id for r in e.evaluated}


def movements(archive: Archive, edition: Edition) -> Movements | None:
    """Each evaluated alliance's movement since the previous edition; None for the archive's first."""
    before = previous(archive, edition)
    if before is None:
        return None
    was = {row.result.code: row for row in F.ranking(before)}
    seen = ever_evaluated(archive, edition)
    out = {}
    for row in F.ranking(edition):
        code, then = row.result.code, was.get(row.result.code)
        new = code not in seen
        rank_move = then.rank - row.rank if then and then.rank is not None and row.rank is not None else None
        score_move = (row.result.score - then.result.score
                      if then and then.result.score is not None and row.result.score is not None else None)
        tier_move = (before.tier(then.result.tier).rank - edition.tier(row.result.tier).rank) if then else None
        out[code] = Movement(code, row.rank, len(edition.evaluated), new, None if new else rank_move,
                             None if new else score_move, None if new else tier_move)
    return Movements(before, out, before.demo or edition.demo)


@dataclass(frozen=True)
class Step:
    """An alliance in one edition, for its history up to the edition its page belongs to."""

    edition: Edition
    tier: str
    """The tier's name in that edition; 数据不完整 for incomplete data."""
    score: float | None
    rank: int | None
    pool: int
    move: Movement | None
    """Against the edition before it; None for the archive's first edition or incomplete data."""


def rank_histories(archive: Archive, edition: Edition) -> dict[str, tuple[Step, ...]]:
    """Each alliance in each edition of the archive up to `edition` that names it, oldest first,
    by code (a later edition never changes an earlier one's pages)."""
    out: dict[str, list[Step]] = {}
    for e in archive.editions:
        if e.id > edition.id:
            break
        moved = movements(archive, e)
        for row in F.ranking(e):
            code = row.result.code
            out.setdefault(code, []).append(Step(e, e.tier(row.result.tier).name, row.result.score, row.rank,
                                                 len(e.evaluated), moved.by_code.get(code) if moved else None))
        for code in e.incomplete:
            out.setdefault(code, []).append(Step(e, "数据不完整", None, None, len(e.evaluated), None))
    return {code: tuple(steps) for code, steps in out.items()}
