"""Hostile data values: every field of `data/` that reaches a page holds every payload of
`hostile.PAYLOADS` (in a real-looking value), and the built site runs none of it.

Each case writes the payloads into one field, builds, and checks that nothing injected is live
(`live_script`), that no traceback was printed, and that the value reads back exactly, as text,
where the field appears: pulled out of the HTML with BeautifulSoup, out of the chart specs and
out of the root scripts, and compared with the string written.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import EARLIER_EDITION, EDITION, EDITION_YAML, EXPERTS, INDICATORS, REGISTRY
from hostile import PAYLOADS, HostileProject, live_script, no_traceback

PAYLOAD = " ¦ ".join(PAYLOADS) + " {{ 7*7 }} &amp; &#60;b&#62; \\*"
"""Every payload in one value, with text that looks escaped already (it must show as typed, not as
what it would decode to)."""


def value(before: str = "", after: str = "") -> str:
    """The payload inside a real-looking value."""
    return before + PAYLOAD + after


def scalar(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def page(site, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / EDITION / name).read_text(encoding="utf-8"), "html.parser")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [el.get_text() for el in soup.select(selector)]


def specs(soup: BeautifulSoup) -> list[dict]:
    """The chart specs of a page, as the chart loader reads them."""
    return [json.loads(f["data-spec"]) for f in soup.select("figure.chart")]


def root_script(path, prefix: str):
    """The JSON value a root script assigns, after checking that nothing in it could end a script
    element or a string literal early."""
    text = path.read_text(encoding="utf-8")
    assert not set("<>&\u2028\u2029") & set(text), path
    return json.loads(re.match(rf"{re.escape(prefix)}(.*);\n\Z", text, re.DOTALL).group(1))


def search_index(site) -> dict:
    return root_script(site / EDITION / "search-index.js", "window.reportSearchIndex=")


def definition(soup: BeautifulSoup, term: str) -> str:
    """The text of the `<dd>` after the `<dt>` reading `term`."""
    dt = next(dt for dt in soup.find_all("dt") if dt.get_text() == term)
    return dt.find_next_sibling("dd").get_text()


# --- The fields: how the payload is written, and where it must read back --------------------

def put(project: HostileProject, rel: str, typed: str, before: str, after: str) -> str:
    """Write the payload (between `before` and `after`) in place of the value of `typed`, a
    `key: value` line of data file `rel`; the value written."""
    text = value(before, after)
    project.replace(rel, typed, typed.split(": ")[0] + ": " + scalar(text))
    return text


def alliance_name(project: HostileProject) -> str:
    return put(project, REGISTRY, "name: 农业装备产业技术创新战略联盟", "农业", "产业技术创新战略联盟")


def see_alliance_name(site, name: str) -> None:
    own = page(site, "alliances/104.html")
    assert own.find("h1", id="title").get_text() == name
    assert own.title.get_text().startswith(name + " - ")
    for listing in ("ranking.html", "appendix-3.html"):
        assert name in texts(page(site, listing), "a.alliance"), listing
    titles = {entry[0]: entry[1] for entry in search_index(site)["pages"]}
    assert titles["alliances/104.html"] == name


def alias(project: HostileProject) -> str:
    name = value("国家", "联盟")
    project.replace(REGISTRY, "aliases: [国家半导体照明工程研发及产业联盟]", f"aliases: [{scalar(name)}]")
    return name


def see_alias(site, name: str) -> None:
    assert definition(page(site, "alliances/110.html"), "又称") == name
    rows = page(site, "ranking.html").select("tr[data-search]")
    assert any(name.lower() in row["data-search"] for row in rows)


def title(project: HostileProject) -> str:
    return put(project, EDITION_YAML, "title: 2020-2021 年度产业技术创新战略联盟活跃度评价报告", "2020-2021 年度",
               "活跃度评价报告")


def see_title(site, text: str) -> None:
    home = page(site, "index.html")
    assert home.find("h1").get_text() == text
    assert home.title.get_text() == text
    assert texts(home, ".md-header .column-title__site")[0].strip() == text
    assert texts(home, "label.md-nav__title")[0].strip() == text
    assert page(site, "ranking.html").title.get_text() == f"排名表 - {text}"
    archive_home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert texts(archive_home, ".home-latest h2 a") == [text], "a one-edition home names its edition once"
    editions = root_script(site / "editions.js", "window.REPORT_ARCHIVE = ")
    assert [e["title"] for e in editions["editions"]] == [text]


def publishers(project: HostileProject) -> str:
    project.replace(EDITION_YAML, "publishers: [中国产业技术创新战略联盟协同发展网, 中关村国联产业协同创新发展促进中心]",
                    "publishers: [" + ", ".join(scalar(p) for p in PAYLOADS) + "]")
    return "、".join(PAYLOADS)


def see_publishers(site, joined: str) -> None:
    for name in ("index.html", "ranking.html", "alliances/104.html"):
        soup = page(site, name)
        assert soup.find("meta", attrs={"name": "ContentSource"})["content"] == joined
        assert texts(soup, ".gov-footer p")[0] == f"发布单位：{joined}"
    assert definition(page(site, "index.html"), "发布单位") == joined


def tier_name(project: HostileProject) -> str:
    return put(project, EDITION_YAML, "name: 活跃度较高", "活跃度", "较高")


def see_tier_name(site, name: str) -> None:
    home = page(site, "index.html")
    assert name in texts(home, "table.tier-summary tbody th")
    chart = next(s for s in specs(home) if s["id"] == "batch-tier")
    assert name in [entry["name"] for entry in chart["legend"]]
    assert name in texts(home, "figure#batch-tier svg text")
    assert page(site, "alliances/104.html").select_one("td.tier-1").get_text() == name
    assert texts(page(site, "appendix-3.html"), "tr.tier-head th")[1].startswith(name + "的联盟")
    assert name in texts(page(site, "ranking.html"), "select[name=tier] option")


def group_name(project: HostileProject) -> str:
    return put(project, EDITION_YAML, "name: 第一批试点联盟", "第一批", "试点联盟")


def see_group_name(site, name: str) -> None:
    assert definition(page(site, "alliances/104.html"), "所属").startswith(name + "（")
    ranking = page(site, "ranking.html")
    assert name in texts(ranking, "select[name=group] option")
    assert name in texts(ranking, "table.ranking td")
    chart = next(s for s in specs(page(site, "index.html")) if s["id"] == "batch-tier")
    assert any(row["label"].startswith(name + "（") for row in chart["rows"])


def a_level_rule(project: HostileProject) -> str:
    return put(project, EDITION_YAML, "rule: 2018-2021 连续三个评价期活跃度高", "2018-2021 ", "连续三个评价期活跃度高")


def see_a_level_rule(site, rule: str) -> None:
    assert f"（{rule}）" in texts(page(site, "appendix-4.html"), "article p")
    assert f"是（{rule}）" in texts(page(site, "alliances/110.html"), "table.standing td")


def acknowledgement(project: HostileProject) -> str:
    reason = value("原报告称 6 家联盟录入信息：", "按原报告保留。")
    project.replace(EDITION_YAML, "entered: 5", "entered: 6")
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "acknowledged:\n"
                  f"  - {{slug: count-shortfall, subject: \"6\", reason: {scalar(reason)}}}\n")
    return reason


def see_acknowledgement(site, reason: str) -> None:
    assert reason in texts(page(site, "errata.html"), "article li")


METHODS = """\
# 评价方法

——**{{ edition.indicators[0].name }}**。主要评价联盟工作。

- {{ edition.indicators[0].name }}
{% for item in edition.indicators[0]["items"] %}
- {{ item }}
{% endfor %}

| 指标 | 说明 |
|---|---|
| {{ edition.indicators[0].name }} | 一级指标 |

## {{ edition.indicators[0].name }}

{{ edition.indicators[0].name }}
"""
"""A content page quoting an indicator in every Markdown context: strong text, list items, a table
cell, a heading and a paragraph of its own."""


def indicator(project: HostileProject) -> str:
    name = value("联盟", "组织机构建设与运行")
    project.replace(INDICATORS, "name: 联盟组织机构建设与运行", f"name: {scalar(name)}")
    project.replace(INDICATORS, "items: [理事会会议, 专家委员会会议, 成员大会]", f"items: [{scalar(name)}]")
    project.content_file("02-methods.md", METHODS)
    return name


def see_indicator(site, name: str) -> None:
    soup = page(site, "methods.html")
    article = soup.select_one("article")
    assert [s.get_text() for s in article.find_all("strong")] == [name]
    assert [li.get_text() for li in article.find_all("li") if not li.find_parent(class_="column-breadcrumb")] == [name, name]
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in article.select("tbody tr")]
    assert cells == [[name, "一级指标"]]
    assert [h.get_text() for h in article.find_all("h2")] == [name]
    assert texts(article, "p")[-1] == name
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == f"——{name}"[:119] + "…"
    sections = next(e[3] for e in search_index(site)["pages"] if e[0] == "methods.html")
    assert [s[1] for s in sections if s[1]] == [name]


MIXED = """\
# 组合
{% set a = archive.alliance("104") %}
{% macro wrap() %}<em>{}</em>{% endmacro %}

{{ alliance("110") ~ a.name }}

{{ [a.name, alliance("110")] | join("、") }}

{{ ("<b>B</b>" | safe) | replace("B", a.name) }}

{{ wrap().format(a.name) }}

{{ wrap() | replace("{}", "%s") % a.name }}

{{ "【%s】" | format(a.name) }}

{{ ("<i>、</i>" | safe).join([a.name, a.name]) }}

<span title="{{ a.name }}">{{ a.name | e }}</span>
"""
"""A content page combining a name from the data with markup in every way a template can."""


def mixed(project: HostileProject) -> str:
    project.content_file("02-mixed.md", MIXED)
    return alliance_name(project)


def see_mixed(site, name: str) -> None:
    paragraphs = page(site, "mixed.html").select("article p")[-8:]
    assert [p.get_text().replace("半导体照明产业技术创新战略联盟", "") for p in paragraphs] == [
        name, name + "、", name, name, name, f"【{name}】", f"{name}、{name}", name]
    assert paragraphs[-1].span["title"] == name


def expert_name(project: HostileProject) -> str:
    return put(project, EXPERTS, "name: 李新男", "李", "新男")


def see_expert_name(site, name: str) -> None:
    assert name in texts(page(site, "appendix-1.html"), "table.experts td")


def expert_role(project: HostileProject) -> str:
    return put(project, EXPERTS, "role: 组长", "", "组长")


def see_expert_role(site, role: str) -> None:
    soup = page(site, "appendix-1.html")
    assert texts(soup, "article h2")[1] == f"二、专家组{role}"
    assert f"仲继寿（专家组{role}）：住宅科技产业技术创新战略联盟秘书长" in texts(page(site, "alliances/233.html"), "li")


def expert_title(project: HostileProject) -> str:
    text = value("住宅科技产业技术创新战略联盟", "秘书长")
    project.replace(EXPERTS, "住宅科技产业技术创新战略联盟秘书长", scalar(text))
    return text


def see_expert_title(site, text: str) -> None:
    cells = page(site, "appendix-1.html").select("table.experts td")
    assert any(td.get_text().endswith(text) for td in cells)
    assert f"仲继寿（专家组组长）：{text}" in texts(page(site, "alliances/233.html"), "li")


def correction(project: HostileProject) -> str:
    note = value("第 3 页的数字有误：", "已更正。")
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "version: 2\ncorrections:\n"
                  f"  - {{date: 2022-03-01, text: {scalar(note)}}}\n")
    return note


def see_correction(site, note: str) -> None:
    notes = page(site, "index.html").select("div.admonition")
    assert [n.find_all("p")[1].get_text() for n in notes] == [note]


def changes(project: HostileProject) -> str:
    """A previous edition: 104 moves up into the hostile tier; alliance 116, named only there,
    departed with a hostile name."""
    departed = value("光纤", "产业技术创新战略联盟")
    project.write(REGISTRY, project.text(REGISTRY) + f"- code: \"116\"\n  name: {scalar(departed)}\n")
    project.add_edition("2018-2019", 'evaluated:\n  - {code: "110", score: 90}\n  - {code: "104", score: 60}\n'
                        '  - {code: "116", score: 55}\nincomplete: []\n',
                        EARLIER_EDITION.replace("entered: 5", "entered: 3").replace("2020-01-01", "2018-01-01")
                        .replace("2021-09-30", "2019-09-30"))
    return tier_name(project)


def see_changes(site, name: str) -> None:
    soup = page(site, "changes.html")
    assert name in texts(soup, "table.moves td")
    assert name in soup.select_one("div.admonition").get_text()
    departed = value("光纤", "产业技术创新战略联盟")
    assert any(li.get_text().endswith(f"{departed}（116）。") for li in soup.select("article li"))
    history = root_script(site / "history" / "104.js",
                          '(window.REPORT_HISTORY = window.REPORT_HISTORY || {})["104"] = ')
    assert [row["tier"] for row in history] == ["活跃度一般", name]
    assert name in history[-1]["bands"]


FIELDS = {
    "alliance name": (alliance_name, see_alliance_name),
    "alliance alias": (alias, see_alias),
    "edition title": (title, see_title),
    "publishers": (publishers, see_publishers),
    "tier name": (tier_name, see_tier_name),
    "group name": (group_name, see_group_name),
    "a_level rule": (a_level_rule, see_a_level_rule),
    "acknowledgement reason": (acknowledgement, see_acknowledgement),
    "indicator name and items": (indicator, see_indicator),
    "expert name": (expert_name, see_expert_name),
    "expert role": (expert_role, see_expert_role),
    "expert title": (expert_title, see_expert_title),
    "correction note": (correction, see_correction),
    "changes and history": (changes, see_changes),
    "a name combined with markup in content": (mixed, see_mixed),
}


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> HostileProject:
    """The hostile suite's small project, not built yet (each case builds once)."""
    monkeypatch.chdir(tmp_path)
    return HostileProject(tmp_path)


@pytest.mark.parametrize("field", FIELDS)
def test_payloads_in_a_field_stay_text(fresh, field):
    write, see = FIELDS[field]
    written = write(fresh)
    result = fresh.build()
    no_traceback(result)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert live_script(fresh.site) == []
    see(fresh.site, written)


def test_plotly_draws_names_as_text(fresh, page):
    """Plotly reads the text of a trace, a legend or an axis as HTML of its own (`<a href>`,
    `<span style>`): drawn in Chromium, hostile tier and group names stay text."""
    tier, group = tier_name(fresh), group_name(fresh)
    assert fresh.build().returncode == 0
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((fresh.site / EDITION / "index.html").as_uri())
    for toggle in page.locator("figure.chart .chart-toggle").all():
        toggle.scroll_into_view_if_needed()
        toggle.click()
    page.wait_for_function("document.querySelectorAll('#batch-tier .chart-interactive .legend text').length > 0")
    drawn = page.evaluate("[...document.querySelectorAll('#batch-tier .chart-interactive text')]"
                          ".map(t => t.textContent)")
    assert tier in drawn and any(t.startswith(group) for t in drawn)
    assert page.evaluate("document.querySelectorAll('.chart-interactive a, .chart-interactive [style*=url]')"
                         ".length") == 0
    assert dialogs == []


def test_script_json_keeps_what_could_end_a_script_as_text():
    """The root scripts, the search index and the chart specs are written by one function; the
    data check refuses line separators in names, and the writer escapes them all the same."""
    from reportsite.model.escape import PLAIN_IN_SCRIPT, script_json

    data = {"title": PAYLOAD + "\u2028\u2029", "rows": [{"n": 1.5, "ok": True, "none": None}]}
    for escape in (None, PLAIN_IN_SCRIPT):
        text = script_json(data) if escape is None else script_json(data, escape)
        assert json.loads(text) == data
        assert not set("<>&\u2028\u2029") & set(text)
    assert not set("'*_[]{}|!#`") & set(script_json(PAYLOAD, PLAIN_IN_SCRIPT).strip('"'))
