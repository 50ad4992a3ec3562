"""The A-level list computed from the archive's history when edition.yaml leaves it out."""

from __future__ import annotations

from conftest import EDITION_YAML, RESULTS, ROOT, VALID, rendered
from test_check import edition_of

WITHOUT_CODES = 'codes: ["110"]\n'


def test_the_list_is_computed_from_consecutive_top_tiers(project):
    project.replace(EDITION_YAML, "  " + WITHOUT_CODES, "")
    # 110 is on top in all three editions; 104 (72 now) was on top before but is not now.
    project.add_edition("2016-2017", VALID[RESULTS].replace("score: 72", "score: 90"), edition_of("2016-2017"))
    project.add_edition("2018-2019", VALID[RESULTS].replace("score: 72", "score: 95"), edition_of("2018-2019"))
    archive, problems = project.check()
    assert archive is not None, rendered(problems)
    a_level = archive.edition("2020-2021").a_level
    assert a_level.computed and a_level.codes == ("110",)


def test_without_enough_history_the_list_must_be_typed(project):
    project.replace(EDITION_YAML, "  " + WITHOUT_CODES, "")
    project.add_edition("2018-2019", VALID[RESULTS], edition_of("2018-2019"))
    archive, problems = project.check()
    assert archive is None
    assert [(p.slug, str(p.loc)) for p in problems if p.severity == "error"] == [
        ("a-level-no-history", "data/2020-2021/edition.yaml:16:3")]
    assert "2018-2019" in problems[0].render(lang="en")


def test_a_typed_list_is_still_checked_against_the_history(project):
    project.add_edition("2016-2017", VALID[RESULTS].replace('"110", score: 100', '"110", score: 60'),
                        edition_of("2016-2017"))
    project.add_edition("2018-2019", VALID[RESULTS], edition_of("2018-2019"))
    _, problems = project.check()
    assert [(p.slug, str(p.loc)) for p in problems if p.severity == "error"] == [
        ("a-level-history", "data/2020-2021/edition.yaml:19:11")]


def test_a_rule_whose_years_do_not_end_in_the_period_is_an_error(project):
    project.replace(EDITION_YAML, "rule: 2018-2021", "rule: 2016-2019")
    _, problems = project.check()
    assert [(p.slug, str(p.loc)) for p in problems] == [("a-level-rule", "data/2020-2021/edition.yaml:17:9")]
    assert problems[0].render(lang="zh").endswith(
        "error [a-level-rule] A 级评定规则“2016-2019 连续三个评价期活跃度高”写到 2019 年，而本届评价期止于 2021 年："
        "请按本届改写规则，例如“2018-2021 连续三个评价期活跃度高”")


def test_an_authored_edition_may_not_give_a_rule_with_an_empty_list(project):
    project.replace(EDITION_YAML, 'codes: ["110"]', "codes: []")
    _, problems = project.check()
    assert [(p.slug, str(p.loc)) for p in problems] == [("a-level-empty", "data/2020-2021/edition.yaml:19:10")]
    assert "“A级联盟”工作表" in problems[0].render(lang="zh")
    # A transcribed edition prints what the report printed, an empty list included.
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "printed: {title: 报告, date: 2022-02}\n")
    archive, problems = project.check()
    assert archive is not None and archive.editions[0].a_level.codes == (), rendered(problems)


def test_an_edition_without_results_is_not_asked_for_its_rule_or_list(project):
    project.replace(EDITION_YAML, "rule: 2018-2021", "rule: 2016-2019")
    project.replace(EDITION_YAML, "  " + WITHOUT_CODES, "")
    project.write(RESULTS, "evaluated: []\nincomplete: []\n")
    project.replace(EDITION_YAML, "entered: 5", "entered: 0")
    archive, problems = project.check()
    assert archive is not None and [p.slug for p in problems] == [], rendered(problems)


def test_a_level_false_is_an_edition_that_does_not_evaluate_it(project):
    from reportsite.render.pages import edition_pages

    text = project.text(EDITION_YAML)
    project.write(EDITION_YAML, text[:text.index("a_level:")] + "a_level: false\n")
    archive, problems = project.check()
    assert archive is not None and archive.editions[0].a_level is None, rendered(problems)
    # The chapter as `new` copies it from the shipped narrative.
    content = project.root / "content" / "2020-2021"
    content.mkdir(parents=True)
    (content / "06-a-level.md").write_bytes((ROOT / "content" / "2020-2021" / "06-a-level.md").read_bytes())
    pages = edition_pages(archive, archive.editions[0], str(content))
    assert pages.problems == ()
    by_name = {p.name: p.markdown for p in pages.pages}
    assert "本届未评定 A 级联盟。" in by_name["appendix-4.md"] and "0 家" not in by_name["appendix-4.md"]
    assert by_name["a-level.md"] == "# 五、A级活跃度联盟评价的情况\n\n本届未评定 A 级联盟。\n"
