"""The A-level list computed from the archive's history when edition.yaml leaves it out."""

from __future__ import annotations

from conftest import EDITION_YAML, RESULTS, VALID, rendered
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
