"""What the indicator scores say (model/findings.py) and the names the narrative uses for it
(render/indicators.py), against figures worked out by hand: averages of 得分率 by tier and by
batch, half-up; the weakest and strongest indicators with ties in the indicators' order; zero
counts; and "—" for a group of fewer than three alliances."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from reportsite.model import findings as X
from reportsite.model.errors import ContentError
from reportsite.model.records import Indicator, Result, Scores
from reportsite.render.indicators import findings_context, published

INDICATORS = (Indicator("组织", ("会议", "网站"), 10, (4, 6)), Indicator("创新", ("项目",), 90, (90,)))
"""Two first-level indicators worth 10 and 90 points; three items (4, 6 and 90 points)."""

ROWS = [
    # code, tier, items ((会议, 网站), (项目,))
    ("110", "high", ((4, 6), (80,))),
    ("104", "high", ((2, 6), (80,))),
    ("233", "high", ((3, 0), (84,))),
    ("201", "higher", ((2, 3), (70,))),
    ("D106", "higher", ((4, 0), (68,))),
]
"""Three alliances in the top tier, two in the next (too few to publish)."""


@pytest.fixture
def edition(project):
    archive, _ = project.check()
    base = archive.editions[0]
    results = tuple(Result(code, float(sum(sum(g) for g in items)), tier) for code, tier, items in ROWS)
    return dataclasses.replace(base, indicators=INDICATORS, evaluated=results, incomplete=(),
                               scores=tuple(Scores(code, items) for code, _, items in ROWS))


def shown(rates) -> dict[str, str]:
    return {r.measure.name: str(r) for r in rates}


def test_average_rates_by_tier_worked_out_by_hand(edition):
    # 会议 (4 points): 4 + 2 + 3 = 9 of 12 -> 75.00%; 网站 (6): 12 of 18 -> 66.67%; 项目 (90): 244 of 270 -> 90.37%.
    assert shown(X.rates(edition, tier="high")) == {"会议": "75.00%", "网站": "66.67%", "项目": "90.37%"}
    # First level: 组织 (10) 10 + 8 + 3 = 21 of 30 -> 70.00%.
    assert shown(X.rates(edition, X.FIRST, tier="high")) == {"组织": "70.00%", "创新": "90.37%"}
    # Everyone: 会议 15 of 20 -> 75.00%; 网站 15 of 30 -> 50.00%; 项目 382 of 450 -> 84.89%.
    assert shown(X.rates(edition)) == {"会议": "75.00%", "网站": "50.00%", "项目": "84.89%"}


def test_a_group_of_fewer_than_three_shows_a_dash(edition):
    assert shown(X.rates(edition, tier="higher")) == {"会议": "—", "网站": "—", "项目": "—"}
    assert X.ordered(edition, 1, False, tier="higher") == ("—",)
    assert X.zero_count(edition, "网站", tier="higher") is None
    # By batch: the group "2" has one alliance, "1" has two, "D" one.
    assert {str(r) for r in X.rates(edition, group="1")} == {"—"}


def test_by_batch(edition):
    # The pilot batches 1 and 2: 110, 104, 233, 201 -> 会议 4 + 2 + 3 + 2 = 11 of 16 -> 68.75%.
    assert str(X.rates(edition, pilot=True)[0]) == "68.75%"


def test_shares_round_half_up():
    assert X.percent(Decimal(1), Decimal(160)) == Decimal("0.63")  # 0.625 -> 0.63, not 0.62
    assert X.percent(Decimal(2), Decimal(3)) == Decimal("66.67")


def test_weakest_and_strongest_break_ties_by_the_indicators_order(edition):
    assert X.ordered(edition, 1, False, tier="high") == ("网站",)
    assert X.ordered(edition, 1, True, tier="high") == ("项目",)
    assert X.ordered(edition, 9, False, tier="high") == ("网站", "会议", "项目")  # n beyond the count: all
    # Both items of 组织 at 60.00%: the first of them comes first.
    equal = dataclasses.replace(edition, indicators=(Indicator("组织", ("会议", "网站"), 10, (5, 5)), INDICATORS[1]),
                                scores=tuple(dataclasses.replace(s, items=((3, 3), s.items[1])) for s in edition.scores))
    assert X.ordered(equal, 2, False, tier="high") == ("会议", "网站")
    assert X.ordered(equal, 2, True, tier="high") == ("项目", "会议")


def test_zero_counts(edition):
    assert X.zero_count(edition, "网站", tier="high") == 1
    assert X.zero_count(edition, "网站") == 2
    assert X.zero_count(edition, "项目") == 0


def test_the_narrative_names(edition):
    names = findings_context(edition)
    assert names["weakest"](tier="high", n=2) == ["网站", "会议"]
    assert names["strongest"](level="first") == ["创新"]
    assert str(names["rate"]("网站", tier="high")) == "66.67%"
    assert str(names["rate"]("组织")) == "60.00%"  # 30 of 50
    assert names["zero_count"]("网站", tier="higher") == "—"


@pytest.mark.parametrize("call, slug", [
    (lambda n: n["weakest"](tier="top"), "indicator-findings"),
    (lambda n: n["weakest"](n=0), "indicator-findings"),
    (lambda n: n["rate"]("没有这项"), "indicator-findings"),
    (lambda n: n["strongest"](level="third"), "indicator-findings"),
])
def test_a_wrong_argument_is_a_content_error(edition, call, slug):
    with pytest.raises(ContentError) as caught:
        call(findings_context(edition))
    assert caught.value.slug == slug


def test_without_scores_or_published_nothing_the_names_say_so(edition):
    for changed, said in ((dict(scores=()), "indicator-findings/no-scores"),
                          (dict(indicators_publish="none"), "indicator-findings/none")):
        with pytest.raises(ContentError) as caught:
            findings_context(dataclasses.replace(edition, **changed))["weakest"]()
        assert caught.value.message.slug == said


def test_the_pages_see_no_alliance_scores_unless_the_edition_publishes_them(edition, project):
    archive, _ = project.check()
    archive = dataclasses.replace(archive, editions=(edition,))
    assert published(archive).editions[0].scores == ()
    alliance = dataclasses.replace(archive, editions=(dataclasses.replace(edition, indicators_publish="alliance"),))
    assert published(alliance).editions[0].scores == edition.scores
