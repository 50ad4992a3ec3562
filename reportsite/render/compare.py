"""Pure functions across editions: what changed since the previous edition, and an alliance's
history. Tiers are compared by their order (best first), never by name, since names and bands
differ between editions; an alliance is the same alliance under each name it had (its code)."""

from __future__ import annotations

from dataclasses import dataclass

from reportsite.model import figures as F
from reportsite.model.records import Archive, Edition


@dataclass(frozen=True)
class Move:
    """An alliance evaluated in both editions."""

    code: str
    before_tier: str
    """Tier name in the previous edition."""
    after_tier: str
    before_rank: int
    """Tier order in the previous edition (0 = top)."""
    after_rank: int
    before_score: float | None
    after_score: float | None

    @property
    def delta(self) -> float | None:
        """Score change, None when either score is unknown."""
        if self.before_score is None or self.after_score is None:
            return None
        return self.after_score - self.before_score


@dataclass(frozen=True)
class Rename:
    """An alliance named in this edition under another name than the previous edition printed."""

    code: str
    before: str
    """The name the previous edition printed."""
    after: str
    """The name this edition prints."""


@dataclass(frozen=True)
class Changes:
    """An edition against the one before it in the archive."""

    previous: Edition
    new: tuple[str, ...]
    """Named in this edition, not in the previous one."""
    departed: tuple[str, ...]
    """Named in the previous edition, not in this one."""
    up: tuple[Move, ...]
    """Evaluated in both, in a better tier now (by tier order)."""
    down: tuple[Move, ...]
    largest: tuple[Move, ...]
    """The largest score changes, largest first (ties by code)."""
    bands_changed: bool
    """Tier names or bands differ between the two editions."""
    renamed: tuple[Rename, ...] = ()
    """Alliances this edition names whose name changed since the previous edition, in this
    edition's order."""


def bands(edition: Edition) -> tuple[tuple[str, float, float], ...]:
    """(name, min, max) of each tier, best first."""
    return tuple((t.name, t.min, t.max) for t in edition.tiers)


def band_text(edition: Edition) -> str:
    """`活跃度高 85–100 分、活跃度较高 70–84 分 …`: score ranges as the site's own text writes them
    (the narrative quotes the report's own wording)."""
    return "、".join(f"{name} {F.plain(low)}–{F.plain(high)} 分" for name, low, high in bands(edition))


def previous(archive: Archive, edition: Edition) -> Edition | None:
    """The edition just before `edition` in the archive."""
    earlier = [e for e in archive.editions if e.id < edition.id]
    return earlier[-1] if earlier else None


def changes(archive: Archive, edition: Edition, largest: int = 10) -> Changes | None:
    """What changed since the previous edition; None for the first edition of the archive."""
    before = previous(archive, edition)
    if before is None:
        return None
    codes_now = [r.code for r in edition.evaluated] + list(edition.incomplete)
    codes_before = [r.code for r in before.evaluated] + list(before.incomplete)
    was = {r.code: r for r in before.evaluated}
    moves = []
    for r in edition.evaluated:
        if r.code in was:
            b = was[r.code]
            bt, at = before.tier(b.tier), edition.tier(r.tier)
            moves.append(Move(r.code, bt.name, at.name, bt.rank, at.rank, b.score, r.score))
    scored = [(m, delta) for m in moves if (delta := m.delta) is not None and delta != 0]
    scored.sort(key=lambda pair: (-abs(pair[1]), pair[0].code))
    return Changes(
        previous=before,
        new=tuple(c for c in codes_now if c not in set(codes_before)),
        departed=tuple(c for c in codes_before if c not in set(codes_now)),
        up=tuple(m for m in moves if m.after_rank < m.before_rank),
        down=tuple(m for m in moves if m.after_rank > m.before_rank),
        largest=tuple(m for m, _ in scored[:largest]),
        bands_changed=bands(before) != bands(edition),
        renamed=tuple(Rename(c, archive.alliance(c).name_in(before.id), archive.alliance(c).name_in(edition.id))
                      for c in codes_now
                      if archive.alliance(c).name_in(before.id) != archive.alliance(c).name_in(edition.id)),
    )


def histories(archive: Archive) -> dict[str, list[dict]]:
    """Every alliance's standing in every edition that names it, oldest first (plain data for the
    root history files that pages read with a script tag), by code; `name` is the name that
    edition printed."""
    out: dict[str, list[dict]] = {}

    def name(code: str, edition_id: str) -> str:
        a = archive.by_code.get(code)
        return a.name_in(edition_id) if a else ""

    for e in archive.editions:
        for r in F.ranking(e):
            tier = e.tier(r.result.tier)
            out.setdefault(r.result.code, []).append({
                "edition": e.id, "name": name(r.result.code, e.id), "status": F.EVALUATED, "score": F.plain_number(r.result.score),
                "tier": tier.name, "tier_order": tier.rank, "tiers": len(e.tiers), "rank": r.rank,
                "evaluated": len(e.evaluated), "a_level": bool(e.a_level and r.result.code in e.a_level.codes),
                "demo": e.demo})
        for code in e.incomplete:
            out.setdefault(code, []).append({
                "edition": e.id, "name": name(code, e.id), "status": F.INCOMPLETE, "score": None, "tier": None, "tier_order": None,
                "tiers": len(e.tiers), "rank": None, "evaluated": len(e.evaluated), "a_level": False,
                "demo": e.demo})
    return out


def history(archive: Archive, code: str) -> list[dict]:
    """One alliance's entry of `histories()`."""
    return histories(archive).get(code, [])
