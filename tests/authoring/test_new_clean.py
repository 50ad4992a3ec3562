"""`new` starts clean: the site's own notes and what only a transcription says are dropped, each
copied sentence holding a figure, a date or a name of last year's panel is marked 待核实, and
`check` warns at each mark (and at dates and names of last year) until they are dealt with; a site
built with such warnings is refused by `package` unless `--draft`."""

from __future__ import annotations

import shutil

from conftest import ROOT
from hostile import failed_with, run

from reportsite.authoring.scaffold import marked, printed_only_dropped

NEW = "2022-2023"


def test_a_sentence_with_a_figure_or_a_name_is_marked_where_it_starts():
    text = ("# 七、情况\n\n共 {{ n.not_entered }} 家联盟没有在 2021 年填报。原因很多；一是不重视。\n"
            "详见[附件 2](appendix-2.md)。专家李新男担任顾问。\n## 3. 组建\n")
    assert marked(text, ["李新男"]) == (
        "# 七、情况\n\n{# 待核实 #}共 {{ n.not_entered }} 家联盟没有在 2021 年填报。原因很多；一是不重视。\n"
        "详见[附件 2](appendix-2.md)。{# 待核实 #}专家李新男担任顾问。\n## 3. 组建\n")


def test_list_numbers_and_appendix_numbers_are_no_figures():
    text = "(1) 体现国家政策导向；\n（2）兼顾；\n1. 组织\n见附件 4。\n"
    assert marked(text, []) == text


def test_what_only_a_transcription_says_is_dropped():
    text = "甲\n{% if edition.printed %}\n乙{% if x %}丙{% endif %}\n{% endif %}\n丁\n"
    assert printed_only_dropped(text) == "甲\n丁\n"


def test_new_starts_clean_and_check_says_what_to_check(tmp_path):
    for name in ("data", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert run("new", NEW, cwd=tmp_path).returncode == 0
    folder = tmp_path / "content" / NEW
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert not any("site_note" in t or "edition.printed" in t or "本网站" in t for t in texts.values())
    preface = texts["01-preface.md"].splitlines()
    line = next(i for i, t in enumerate(preface, 1) if "{# 待核实 #}全国产业技术创新战略联盟试点工作自 2007 年" in t)
    col = preface[line - 1].index("{# 待核实 #}全国") + 1
    checked = run("check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    assert f"content/{NEW}/01-preface.md:{line}:{col}: warning [unverified-text] 待核实：这句话是新建本届时从上一届复制来的，" \
        "含有数字、日期或上一届专家的姓名；核对并改写后，删去这里的 {# 待核实 #}" in lines
    assert any(f"content/{NEW}/01-preface.md:" in x and "warning [stale-date] 正文中的日期“2021 年 7 月 30 日”" in x
               for x in lines)
    assert any("warning [stale-expert] “李新男”是上一届（2020-2021）评价专家组的成员" in x for x in lines)
    assert " 0 个错误" not in checked.stdout and checked.stdout.splitlines()[-1].startswith("0 个错误，")
    built = run("build", "--jobs", "1", "--no-pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    marker = (tmp_path / "site" / ".reportsite").read_text(encoding="utf-8")
    assert f"warning content/{NEW}/01-preface.md:{line}:{col} [unverified-text]" in marker
    refused = run("package", cwd=tmp_path)
    said = failed_with(refused, "package-unchecked", "site")
    assert "正文还有" in said and "--draft" in said
    assert run("package", "--draft", cwd=tmp_path).returncode == 0
