"""Indicator scores as optional data (docs/data.md, *indicators.yaml* and *indicator-scores.yaml*):
the additive form of the indicators, each alliance's second-level scores, and every mistake at its
file, line and column with its slug."""

from __future__ import annotations

import pytest
from conftest import EDITION_YAML, INDICATORS, RESULTS, rendered
from scored import ADDITIVE, SCORES, VALID_SCORES

@pytest.fixture
def scored(project):
    """The small project with indicators in the additive form and valid scores."""
    project.write(INDICATORS, ADDITIVE)
    project.write(SCORES, VALID_SCORES)
    return project


def errors(project) -> list[str]:
    archive, problems = project.check()
    assert archive is None
    return rendered(problems)


def test_valid_scores_are_read_with_the_indicators_maxima(scored):
    archive, problems = scored.check()
    assert archive is not None, rendered(problems)
    edition = archive.editions[0]
    assert [(i.name, i.max, i.item_max) for i in edition.indicators][1] == ("联盟协同创新活动", 50.0, (25.0, 25.0))
    assert [(s.code, s.items) for s in edition.scores] == [
        ("110", ((10, 10), (25, 25), (30,))), ("104", ((8, 6), (20, 18), (20,)))]
    assert edition.indicators_publish == "aggregate"


def test_an_edition_without_scores_reads_as_before(project):
    archive, problems = project.check()
    assert archive is not None and archive.editions[0].scores == ()
    assert archive.editions[0].indicators[0].max is None


@pytest.mark.parametrize("old, new, where, slug", [
    ('"110": 10 10', '"110": 11 10', "indicator-scores.yaml:2:10", "indicator-score-range"),
    ("8 6 / 20 18", "8 6 / 20 -1", "indicator-scores.yaml:3:19", "indicator-score-range"),
    ("8 6 / 20 18", "8 6 / 20 17", "indicator-scores.yaml:3:3", "indicator-sum"),
    ("8 6 / 20 18 / 20", "8 6 / 20 18 / 20 / 1", "indicator-scores.yaml:3:10", "indicator-shape"),
    ("8 6 / 20 18", "8 / 20 18", "indicator-scores.yaml:3:10", "indicator-shape"),
    ("8 6 / 20 18", "8 x / 20 18", "indicator-scores.yaml:3:12", "wrong-type"),
    ("8 6 / 20 18", "8 06 / 20 18", "indicator-scores.yaml:3:12", "number-form"),
    ('  "104": 8 6', '  "110": 8 6', "indicator-scores.yaml:3:3", "duplicate-key"),
    ("/ 20\n", '/ 20\n  "233": 8 6 / 20 18 / 20\n', "indicator-scores.yaml:4:3", "indicator-no-total"),
    ("/ 20\n", '/ 20\n  "201": 8 6 / 20 18 / 20\n', "indicator-scores.yaml:4:3", "indicator-no-total"),
    ("/ 20\n", '/ 20\n  "1O4": 8 6 / 20 18 / 20\n', "indicator-scores.yaml:4:3", "code-shape"),
], ids=["above-max", "negative", "sum", "groups", "items", "not-a-number", "leading-zero", "twice", "tier-only",
        "incomplete", "code-shape"])
def test_each_mistake_in_the_scores_is_located(scored, old, new, where, slug):
    scored.replace(SCORES, old, new)
    found = errors(scored)
    assert [line.split(": error ")[0] for line in found
            if "indicator-no-scores" not in line] == [f"data/2020-2021/{where}"], found
    assert f"error [{slug}]" in found[0], found


def test_an_alliance_with_a_total_and_no_scores_is_an_error_at_its_result(scored):
    scored.replace(SCORES, '  "104": 8 6 / 20 18 / 20\n', "")
    assert errors(scored) == [f'data/{RESULTS}:3:12: error [indicator-no-scores] "104" has a total, but no '
                              "indicator scores in indicator-scores.yaml"]


def test_the_sum_is_compared_at_the_precision_the_total_is_written(scored):
    scored.replace(SCORES, "8 6 / 20 18 / 20", "8 6 / 20 17.6 / 20")
    archive, problems = scored.check()
    assert archive is not None, rendered(problems)  # 71.6 is 72 written as a whole number
    scored.replace(RESULTS, "score: 72}", "score: 72.0}")
    assert "add up to 71.6, not its total 72.0 (results.yaml line 3, compared" in errors(scored)[0]
    archive, problems = scored.check()
    assert "二级指标得分之和为 71.6，与 results.yaml 第 3 行的总分 72.0 不符" in problems[0].render(lang="zh")
    scored.replace(SCORES, "17.6", "17.96")
    archive, problems = scored.check()
    assert archive is not None, rendered(problems)  # 71.96 is 72.0 at one place


def test_adjustments_count_where_the_file_gives_them(scored):
    scored.replace(SCORES, "8 6 / 20 18 / 20", "8 6 / 20 18 / 22")
    assert "add up to 74, not its total 72" in errors(scored)[0]
    scored.write(SCORES, scored.text(SCORES) + 'adjustments:\n  "104": -2\n')
    archive, problems = scored.check()
    assert archive is not None, rendered(problems)
    assert archive.editions[0].scores[1].adjustment == -2
    scored.replace(SCORES, '"104": -2', '"104": -1')
    assert "with its adjustment (-1) add up to 73, not its total 72" in errors(scored)[0]
    scored.replace(SCORES, '  "104": -1', '  "233": -1')
    assert 'data/2020-2021/indicator-scores.yaml:5:3: error [indicator-adjustment] "233" has an adjustment ' \
           "(adjustments) but no scores (scores)" in errors(scored)


@pytest.mark.parametrize("old, new, where, slug", [
    ("  max: 30\n", "", "indicators.yaml:9:3", "indicator-form"),
    ("{name: 形成产业技术创新链, max: 30}", "形成产业技术创新链", "indicators.yaml:11:11", "indicator-form"),
    ("{name: 成员大会, max: 10}", "{name: 成员大会, max: 9}", "indicators.yaml:2:8", "indicator-item-sum"),
    ("  max: 30\n  items: [{name: 形成产业技术创新链, max: 30}]", "  max: 20\n  items: [{name: 形成产业技术创新链, max: 20}]",
     "indicators.yaml:1:1", "indicator-max-sum"),
    ("  max: 50\n", "  max: 0\n", "indicators.yaml:7:8", "indicator-form"),
], ids=["indicator-without-max", "item-without-max", "items-sum", "indicators-sum", "zero-points"])
def test_each_mistake_in_the_additive_form_is_located(scored, old, new, where, slug):
    scored.replace(INDICATORS, old, new)
    found = errors(scored)
    assert found[0].startswith(f"data/2020-2021/{where}: error [{slug}] "), found
    assert not any("indicator-scores.yaml" in line for line in found), "scores are not judged against a bad scheme"


def test_an_item_with_points_in_the_list_form_is_an_error(project):
    project.replace(INDICATORS, "items: [理事会会议, 专家委员会会议, 成员大会]",
                    "items: [理事会会议, {name: 专家委员会会议, max: 5}, 成员大会]")
    assert errors(project) == ['data/2020-2021/indicators.yaml:2:18: error [indicator-form] item "专家委员会会议" '
                               "gives its points but its indicator gives none (max): give them for every indicator "
                               "or for none"]


def test_scores_need_the_indicators_points(project):
    project.write(SCORES, VALID_SCORES)
    assert errors(project) == ["data/2020-2021/indicator-scores.yaml: error [indicator-no-maxima] with "
                               "indicator-scores.yaml, indicators.yaml must give each indicator's points (max)"]


@pytest.mark.parametrize("value, ok", [("none", True), ("aggregate", True), ("alliance", True), ("all", False)])
def test_the_publication_policy_is_one_of_three_words(scored, value, ok):
    scored.write(EDITION_YAML, scored.text(EDITION_YAML) + f"indicators_publish: {value}\n")
    archive, problems = scored.check()
    if ok:
        assert archive is not None and archive.editions[0].indicators_publish == value
    else:
        assert rendered(problems) == [f"data/{EDITION_YAML}:20:21: error [wrong-type] indicators_publish must be "
                                      "one of none, aggregate, alliance, not 'all'"]


def test_the_messages_speak_chinese(scored):
    scored.replace(SCORES, "8 6 / 20 18", "8 6 / 20 17")
    _, problems = scored.check()
    assert rendered(problems, "zh") == [
        "data/2020-2021/indicator-scores.yaml:3:3: error [indicator-sum] “104”的二级指标得分之和为 71，与 results.yaml "
        "第 3 行的总分 72 不符（按总分的小数位数四舍五入后比较）"]
