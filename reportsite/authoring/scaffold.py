"""`build.py new EDITION [--from PREVIOUS]`: a new, authored edition's folders from the previous one.

`data/EDITION/` gets the previous edition's tiers, groups, indicators and publishers, the A-level
rule without its list (computed from the history, or given in the workbook), empty results and an empty panel, and no `printed:` (the new edition is
authored with this tool, not transcribed from print). `content/EDITION/` gets the previous
narrative's section files with every printed value taken out of `vs(...)`, so each figure is an
expression the build computes from the new data; the words are the previous year's, to be
rewritten. `plan_edition()` is pure apart from reading; `write_edition()` creates the files, never replacing one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from reportsite.authoring.datafiles import GROUPS_HEAD, TIERS_HEAD, a_level_lines, group_line, q, score_text, tier_line
from reportsite.model import files
from reportsite.model.records import Edition
from reportsite.render.stale import VS as VS_FILTER



@dataclass
class Scaffold:
    """The files `new` would create (path -> text)."""

    files: dict[str, str] = field(default_factory=dict)


def shift_years(text: str, years: int) -> str:
    """Every four-digit year in `text` moved on by `years` (2020-2021 -> 2022-2023)."""
    return re.sub(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])", lambda m: str(int(m.group(1)) + years), text)


def _moved(day, years: int):
    """`day` in a year `years` later (29 February becomes the 28th where there is none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def edition_text(previous: Edition, edition_id: str) -> str:
    """edition.yaml of the new edition, from the previous one."""
    years = int(edition_id[:4]) - int(previous.id[:4])
    start, end = (_moved(day, years) for day in (previous.start, previous.end))
    lines = [
        f"# {edition_id}：由 python build.py new 从 {previous.id} 创建。本文件不必手工修改：标题、评价期、发布年月、",
        "# 录入信息的联盟数、档次与批次和 A 级名单都在数据填写表（python build.py template）中填写后导入。",
        f"title: {q(shift_years(previous.title, years))}",
        f"period: {{start: {start.isoformat()}, end: {end.isoformat()}}}",
        f"published: {int(previous.published[:4]) + years:04d}-{previous.published[5:]}",
        "publishers: [" + ", ".join(q(p) for p in previous.publishers) + "]",
        TIERS_HEAD, *(tier_line(t.key, t.name, t.min) for t in previous.tiers),
        GROUPS_HEAD, *(group_line(g.prefix, g.name, g.size, g.pilot) for g in previous.groups),
        "entered: 0                            # 录入信息的联盟数",
        "activity:                             # 前言引用的活动数字（金额单位：亿元），填写前为 0",
        *(f"  {kind}: {{count: 0, amount: 0}}" for kind in ("self_funded", "government", "commissioned")),
        *(f"  {kind}: 0" for kind in ("ip_sharing", "standards", "platforms", "exchanges", "reports")),
    ]
    if previous.a_level:
        # The list is left out: computed from the archive's history when it holds the editions the
        # rule needs, else asked for (`a-level-no-history`) until the workbook's A级联盟 sheet gives it.
        a = previous.a_level
        lines += a_level_lines(a.name, a.rule, a.consecutive, None)
    return "\n".join(lines) + "\n"


def indicators_text(previous: Edition) -> str:
    """indicators.yaml carried over."""
    lines = []
    for indicator in previous.indicators:
        lines.append(f"- name: {q(indicator.name)}")
        if indicator.max is not None:  # the additive form: the points too
            lines += [f"  max: {score_text(indicator.max)}", "  items:"]
            lines += [f"    - {{name: {q(item)}, max: {score_text(top)}}}"
                      for item, top in zip(indicator.items, indicator.item_max)]
            continue
        lines.append("  items: [" + ", ".join(q(item) for item in indicator.items) + "]")
    return "\n".join(lines) + "\n" if lines else "[]\n"


SITE_NOTE = re.compile(r"\{%-?\s*call\s+site_note\b.*?%\}.*?\{%-?\s*endcall\s*-?%\}\n?", re.DOTALL)
"""A note of the site's own (`narrative.site_note`): about the report it was written for."""
TAG = re.compile(r"\{%-?\s*(if|endif)\b[^%]*%\}\n?")
PRINTED_ONLY = re.compile(r"\{%-?\s*if\s+edition\.printed\s*-?%\}")
PIECES = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
SENTENCE = re.compile(r"[^。！？；\n]+")
FIGURE = re.compile(r"[0-9０-９]")
NOT_FIGURES = re.compile(r"\]\([^)]*\)|<[^>]*>|附件\s*[0-9]+|^\s*#+\s.*|^\s*[0-9]+\.\s|^\s*[(（][0-9]{1,2}[)）]",
                         re.MULTILINE)
"""Digits that are no figure of a year: link targets, tags, 附件 N, heading and list numbers
(`1. `, `(1)`, `（1）`)."""
MARK = "{# 待核实 #}"


def printed_only_dropped(text: str) -> str:
    """`text` without its `{% if edition.printed %} … {% endif %}` blocks (nested ifs kept whole)."""
    while (start := PRINTED_ONLY.search(text)) is not None:
        depth, end = 0, len(text)
        for m in TAG.finditer(text, start.start()):
            depth += 1 if m.group(1) == "if" else -1
            if depth == 0:
                end = m.end()
                break
        text = text[:start.start()] + text[end:]
    return text


def marked(text: str, names: list[str]) -> str:
    """`text` with `{# 待核实 #}` at the start of each sentence whose typed text (outside
    expressions, tags and comments) holds a digit or one of `names`. A sentence may run across
    expressions: it starts after the last 。！？； or line end typed before it."""
    typed = [" "] * len(text)
    start = 0
    for i, piece in enumerate(PIECES.split(text)):
        if i % 2 == 0:
            typed[start:start + len(piece)] = NOT_FIGURES.sub(lambda m: " " * len(m.group()), piece)
        else:
            # Inside an expression: no sentence ends there, and nothing there is typed.
            typed[start:start + len(piece)] = "\x01" * len(piece)
        start += len(piece)
    view = "".join(typed)
    cuts = []
    for m in SENTENCE.finditer(view):
        said = view[m.start():m.end()].replace("\x01", " ")
        if FIGURE.search(said) or any(name in said for name in names):
            cuts.append(m.start() + len(said) - len(said.lstrip()))
    for at in reversed(cuts):
        text = text[:at] + MARK + text[at:]
    return text


def content_text(text: str, previous: Edition) -> str:
    """A narrative file carried over: printed values dropped, the site's notes and what only a
    transcription says dropped, each sentence with a figure, a date or a previous panel member's
    name typed in it marked `{# 待核实 #}`, and a note for the author on top."""
    body = VS_FILTER.sub("", printed_only_dropped(SITE_NOTE.sub("", text)))
    body = marked(body, [e.name for e in previous.experts])
    note = (f"{{# 由 python build.py new 从 {previous.id} 复制：文字是上一届的，请逐段改写；"
            "{{ }} 中的数字由数据计算，不要改成手写数字。标有“待核实”的句子含有手写的数字、日期或"
            "上一届专家的姓名，核对改写后删去标记（check 会逐一提示）。此注释不会出现在网站上。 #}\n")
    return note + body


def plan_edition(data_dir: str, content_root: str, edition_id: str, previous: Edition) -> Scaffold:
    """The files of the new edition `edition_id`, made from `previous`."""
    out = Scaffold()
    folder = os.path.join(data_dir, edition_id)
    out.files[os.path.join(folder, "edition.yaml")] = edition_text(previous, edition_id)
    out.files[os.path.join(folder, "results.yaml")] = (
        f"# {edition_id} 评价结果：用 python build.py import 从数据填写表导入，或按公布顺序手工填写。\n"
        "evaluated: []\nincomplete: []\n")
    out.files[os.path.join(folder, "experts.yaml")] = f"# {edition_id} 评价专家组（附件 1）。\n[]\n"
    out.files[os.path.join(folder, "indicators.yaml")] = indicators_text(previous)
    source = os.path.join(content_root, previous.id)
    if os.path.isdir(source):
        for name in sorted(os.listdir(source)):
            path = os.path.join(source, name)
            if name.endswith(".md") and os.path.isfile(path) and not os.path.islink(path):
                with open(path, encoding="utf-8") as f:
                    out.files[os.path.join(content_root, edition_id, name)] = content_text(f.read(), previous)
    return out


def write_edition(scaffold: Scaffold) -> list[str]:
    """Create every file; a file that exists already is never replaced (exclusive create)."""
    written = []
    for path, text in scaffold.files.items():
        files.create(path, text)
        written.append(path)
    return written
