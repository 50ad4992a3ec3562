"""`build.py new EDITION [--from PREVIOUS]`: a new, authored edition's folders from the previous one.

`data/EDITION/` gets the previous edition's tiers, groups, indicators and publishers, the A-level
rule without its list, empty results and an empty panel, and no `printed:` (the new edition is
authored with this tool, not transcribed from print). `content/EDITION/` gets the previous
narrative's section files with every printed value taken out of `vs(...)`, so each figure is an
expression the build computes from the new data; the words are the previous year's, to be
rewritten. `plan_edition()` is pure apart from reading; `write_edition()` creates the files, never replacing one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from reportsite.authoring.datafiles import q, score_text
from reportsite.model.records import Edition

VS_FILTER = re.compile(r"\s*\|\s*vs\(\s*(?:\"[^\"]*\"|'[^']*')\s*\)")
"""A `| vs("86")` filter: the value printed in the report the narrative was transcribed from."""


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


def edition_text(previous: Edition, edition_id: str, history: int) -> str:
    """edition.yaml of the new edition, from the previous one; `history` is how many editions the
    archive holds up to the previous one (the A-level list is left to be computed when enough)."""
    years = int(edition_id[:4]) - int(previous.id[:4])
    start, end = (_moved(day, years) for day in (previous.start, previous.end))
    lines = [
        f"# {edition_id}：由 python build.py new 从 {previous.id} 创建。请核对标题、评价期、发布年月和录入数，",
        "# 或在数据填写表（python build.py template）的“基本信息”中填写后导入。",
        f"title: {q(shift_years(previous.title, years))}",
        f"period: {{start: {start.isoformat()}, end: {end.isoformat()}}}",
        f"published: {int(previous.published[:4]) + years:04d}-{previous.published[5:]}",
        "publishers: [" + ", ".join(q(p) for p in previous.publishers) + "]",
        "tiers:                                # best first; `min` inclusive; the top tier ends at 100",
        *(f"  - {{key: {t.key}, name: {q(t.name)}, min: {t.min:g}}}" for t in previous.tiers),
        "groups:                               # a code belongs to the group of its prefix",
        *(f"  - {{prefix: \"{g.prefix}\", name: {q(g.name)}, size: {g.size}, pilot: {'true' if g.pilot else 'false'}}}"
          for g in previous.groups),
        "entered: 0                            # alliances that entered data in the dynamic database",
        "activity:                             # the preface's figures (amounts in 亿元), 0 until filled in",
        *(f"  {kind}: {{count: 0, amount: 0}}" for kind in ("self_funded", "government", "commissioned")),
        *(f"  {kind}: 0" for kind in ("ip_sharing", "standards", "platforms", "exchanges", "reports")),
    ]
    if previous.a_level:
        a = previous.a_level
        lines += [
            "a_level:",
            f"  name: {q(a.name)}",
            f"  rule: {q(a.rule)}                # {previous.id} 的写法：请按本届改写",
            f"  consecutive: {a.consecutive}",
        ]
        if history < a.consecutive - 1:
            # Too few earlier editions in the archive to compute it: the list must be typed.
            lines.append("  codes: []                           # 档案中往届不足，无法自动计算：请按公布的名单填写")
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


def content_text(text: str, previous_id: str) -> str:
    """A narrative file carried over: printed values dropped, a note for the author on top."""
    body = VS_FILTER.sub("", text)
    note = (f"{{# 由 python build.py new 从 {previous_id} 复制：文字是上一届的，请逐段改写；"
            "{{ }} 中的数字由数据计算，不要改成手写数字。此注释不会出现在网站上。 #}\n")
    return note + body


def plan_edition(data_dir: str, content_root: str, edition_id: str, previous: Edition, history: int = 1) -> Scaffold:
    """The files of the new edition `edition_id`, made from `previous`; `history` as for
    `edition_text()`."""
    out = Scaffold()
    folder = os.path.join(data_dir, edition_id)
    out.files[os.path.join(folder, "edition.yaml")] = edition_text(previous, edition_id, history)
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
                    out.files[os.path.join(content_root, edition_id, name)] = content_text(f.read(), previous.id)
    return out


def write_edition(scaffold: Scaffold) -> list[str]:
    """Create every file; a file that exists already is never replaced (exclusive create)."""
    written = []
    for path, text in scaffold.files.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        written.append(path)
    return written
