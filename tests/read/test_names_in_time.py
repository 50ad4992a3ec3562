"""Names in time: the registry's former names, and the name each edition printed."""

from __future__ import annotations

import pytest
from conftest import REGISTRY, rendered

from reportsite.model.records import Alliance, FormerName

RENAMED = """\
- code: "110"
  name: 半导体照明产业技术创新战略联盟
  former_names:
    - {name: 半导体照明旧名产业技术创新战略联盟, until: "2016"}
    - {name: 国家半导体照明产业技术创新战略联盟, until: 2018-2019}
"""


def test_the_name_in_force_for_each_edition():
    a = Alliance("110", "新名", former_names=(FormerName("最早", "2016"), FormerName("后来", "2018-2019")))
    assert [a.name_in(e) for e in ("2014", "2016", "2016-2017", "2018-2019", "2020-2021")] == \
        ["最早", "最早", "后来", "后来", "新名"]


def test_former_names_are_read_and_found_by_name(project):
    project.replace(REGISTRY, '- code: "110"\n  name: 半导体照明产业技术创新战略联盟\n', RENAMED)
    archive, problems = project.check()
    assert archive is not None, rendered(problems)
    a = archive.alliance("110")
    assert [f.name for f in a.former_names] == ["半导体照明旧名产业技术创新战略联盟", "国家半导体照明产业技术创新战略联盟"]
    assert archive.by_name["国家半导体照明产业技术创新战略联盟"] is a
    assert a.name_in("2020-2021") == "半导体照明产业技术创新战略联盟"


@pytest.mark.parametrize("until, slug, col", [
    ("2019-2018", "former-name-until", 78),
    ("二〇一八", "former-name-until", 78),
    ("2012", "former-name-order", 78),
])
def test_a_former_name_s_until_must_be_a_later_edition_id(project, until, slug, col):
    text = RENAMED.replace("until: 2018-2019", f"until: {until}")
    project.replace(REGISTRY, '- code: "110"\n  name: 半导体照明产业技术创新战略联盟\n', text)
    _, problems = project.check()
    found = [(p.slug, p.loc.line) for p in problems if p.slug.startswith("former")]
    assert found == [(slug, 7)]


def test_a_former_name_may_not_repeat_another_name(project):
    text = RENAMED.replace("国家半导体照明产业技术创新战略联盟", "农业装备产业技术创新战略联盟")
    project.replace(REGISTRY, '- code: "110"\n  name: 半导体照明产业技术创新战略联盟\n', text)
    _, problems = project.check()
    assert [(p.slug, p.loc.line) for p in problems if p.severity == "error"] == [("duplicate-name", 7)]
