"""A narrative's mistakes in its author's words: each at its file, line and column, in Chinese,
with the fix, and never a word of Python's (a type, a module, an exception's name)."""

from __future__ import annotations

import re

import pytest

from reportsite.render.pages import edition_pages

PYTHON = re.compile(r"Error|Exception|object|reportsite|Undefined|NoneType|\bint\b|\bstr\b|dict|"
                    r"unexpected|expected|attribute|codec|decode")


def problems_of(project, files: dict[str, str | bytes]) -> list[tuple[str, str, str]]:
    """(slug, location, Chinese message) of each problem of the edition with these content files."""
    content = project.root / "content" / "2020-2021"
    content.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (content / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    archive, _ = project.check()
    pages = edition_pages(archive, archive.editions[0], "content/2020-2021")
    return [(p.slug, str(p.loc), p.message.text("zh")) for p in pages.problems]


@pytest.mark.parametrize("text, slug, where, said", [
    ("# 甲\n\n共 {{ n.evaluated } 家\n", "content", "3:3", "“{{”之后没有配对的“}}”：请在表达式后补上“}}”"),
    ("# 甲\n\n{% if n.evaluated %}\n多\n", "content", "4:1", "“{% if %}”没有结束：请在它的内容之后加上 {% endif %}"),
    ("# 甲\n\n{% iff n.evaluated %}\n", "content", "3:1", "未知的标签“{% iff %}”"),
    ("# 甲\n\n{{ count（tier=\"high\"） }}\n", "content", "3:1",
     "表达式中不能有全角括号“（”（U+FF08，半角为 (）：表达式里的括号、引号和逗号要用半角"),
    ("# 甲\n\n{{ tiers.hgh.name }}\n", "content-undefined", "3:10",
     "tiers 中没有“hgh”，是否应为“high、higher”？可用的有：high、higher、medium、inactive"),
    ("# 甲\n\n共 {{ n.evaluatd }} 家\n", "content-undefined", "3:8",
     "n 中没有“evaluatd”，是否应为“evaluated”？可用的有：evaluated、incomplete、entered、in_scope"),
    ("# 甲\n\n{{ activity.standards }}\n", "content-undefined", "3:13", "activity 是空的（本届没有这项数据），其中没有“standards”"),
    ("# 甲\n\n{{ share(n.evaluated, n.whole) }}\n", "content-undefined", "3:25", "n 中没有“whole”"),
    ("# 甲\n\n{{ standrd }} 与 {{ tierz }}\n", "content-undefined", "3:4", "“standrd”未定义：正文可用的名称见 docs/content.md"),
    ("# 甲\n\n共 {{ n.evaluated + \"家\" }}\n", "template-failed", "3:3",
     "{{ n.evaluated + \"家\" }}：不能对整数和文字做“+”运算；要把数字和文字连起来，请用 ~"),
    ("# 甲\n\n{% for t in n.evaluated %}{{ t }}{% endfor %}\n", "template-failed", "3:1", "整数不能逐项循环"),
    ("# 甲\n\n{{ n.evaluated() }}\n", "template-failed", "3:1", "{{ n.evaluated() }}：整数不能调用（请去掉后面的括号）"),
    ("# 甲\n\n中文\n".encode("gbk"), "content-encoding", "1:3",
     "文件不是 UTF-8 编码（这里的字节是 0xBC）：请把它另存为 UTF-8。记事本：“文件”→“另存为”，“编码”选“UTF-8”；WPS 文字"),
], ids=["unclosed-print", "unclosed-if", "unknown-tag", "full-width-bracket", "key", "attribute",
        "empty", "argument", "name", "operand", "loop", "call", "gbk"])
def test_a_mistake_is_said_in_chinese_at_its_place(project, text, slug, where, said):
    found = problems_of(project, {"02-a.md": text})
    assert [(s, w) for s, w, _ in found][:1] == [(slug, f"content/2020-2021/02-a.md:{where}")], found
    assert said in found[0][2], found[0][2]
    assert not PYTHON.search(found[0][2]), found[0][2]


def test_every_file_s_mistakes_at_once(project):
    found = problems_of(project, {
        "02-a.md": "# 甲\n\n{{ tierz }} {{ groupz }}\n",
        "03-b.md": "# 乙\n\n{{ n.evaluated }\n",
        "04-c.md": "# 丙\n\n{{ 1/0 }}\n",
        "05-d.md": "# 丁\n\n中文\n".encode("gbk"),
    })
    assert [(s, w) for s, w, _ in found] == [
        ("content-undefined", "content/2020-2021/02-a.md:3:4"), ("content-undefined", "content/2020-2021/02-a.md:3:16"),
        ("content", "content/2020-2021/03-b.md:3:1"), ("template-failed", "content/2020-2021/04-c.md:3:1"),
        ("content-encoding", "content/2020-2021/05-d.md:1:3")]
