"""The secretariat's guide (`docs/编写指南.md`) is enough on its own: every slug a line can print is
in its table of messages, in Chinese; what it promises a command prints is what the command prints;
the settings lines it shows are the lines of `mkdocs.yml`; its example messages are the tool's."""

from __future__ import annotations

import re

from conftest import ROOT
from test_docs import printed_slugs

from reportsite.model.chars import char_name
from reportsite.model.messages import say

GUIDE = (ROOT / "docs" / "编写指南.md").read_text(encoding="utf-8")


def table_slugs() -> dict[str, str]:
    """Each slug of the guide's tables of messages (first column), with the row's Chinese."""
    out = {}
    for line in GUIDE[GUIDE.index("## 提示一览"):].splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))] if line.startswith("|") else []
        if len(cells) == 3 and cells[0] not in ("代号", "---"):
            out.update((slug, cells[1] + cells[2]) for slug in re.findall(r"`([a-z0-9-]+)`", cells[0]))
    return out


def test_every_slug_a_line_can_print_is_in_the_guide_in_chinese():
    listed = table_slugs()
    lacking = sorted(set(printed_slugs()) - set(listed))
    assert not lacking, "slugs the guide's 提示一览 does not explain: " + ", ".join(lacking)
    assert all(re.search(r"[\u4e00-\u9fff]", said) for said in listed.values())
    assert set(listed) <= set(printed_slugs()), sorted(set(listed) - set(printed_slugs()))


def test_the_last_line_the_guide_promises_is_the_build_s():
    promised = re.search(r"最后一行是 `([^`]+)`", GUIDE).group(1)
    pattern = re.escape(promised).replace("…", ".+?")
    summary = say("summary-build/one", "zh", editions=1, pages=153, errata=7)
    said = say("build-done", "zh", summary=summary, path="site", seconds="41.5")
    assert re.fullmatch(pattern, said), (promised, said)


def test_the_settings_lines_the_guide_shows_are_mkdocs_yml_s():
    settings = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    step = GUIDE[GUIDE.index("### 第五步"):GUIDE.index("## 报告发布以后")]
    shown = [line for block in re.findall(r"```\n(.*?)```", step, re.S) for line in block.splitlines()
             if "待填写" in line or "site_url" in line]
    assert len(shown) == 4
    assert all(line in settings for line in shown), shown


def test_the_example_messages_are_the_tool_s():
    typo = say("name-mismatch/typo", "zh", code="119", typed="存储产业技术创新战略【连】盟",
               registered="存储产业技术创新战略【联】盟", count=1, chars="")
    wide = say("cell-number/full-width", "zh", what="得分", value="９８", char=char_name("９").text("zh"), number="98")
    assert f"评价结果!C37: error [name-mismatch] {typo}\n" in GUIDE
    assert f"评价结果!D40: error [cell-number] {wide}\n" in GUIDE
