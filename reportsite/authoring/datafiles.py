"""The data files' YAML text written by a command (`import`, `new`), keeping what people wrote.

Each writer returns the text and, where the values came from a spreadsheet, the cell each line
came from, so a finding on the written file can be shown on the cell. Strings are written as
JSON strings (valid YAML double-quoted scalars), so no value is read back as something else.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass

from reportsite.model.escape import plain_decimal
from reportsite.model.records import Loc, terminal_safe


def score_text(score: float) -> str:
    """A score as a person types it: 85, 85.5, 0.00001 (never in exponent form, which the checker
    refuses as typed)."""
    return plain_decimal(score)


def q(text: str) -> str:
    """A string as a YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Lines:
    """A top-level key of edition.yaml written as these lines, each with the cell it came from."""

    lines: tuple[tuple[str, Loc | None], ...]


TIERS_HEAD = "tiers:                                # 档次：从高到低，min 为该档次的最低分（含）"
GROUPS_HEAD = "groups:                               # 批次：联盟编号的首位（或 D）决定所属批次，size 为该批次的联盟总数"
A_LEVEL_HEAD = "a_level:                              # A 级联盟：名单由往届结果算出，或在数据填写表的“A级联盟”中填写"
NO_A_LEVEL = "a_level: false                        # 本届不评定 A 级联盟"


def tier_line(key: str, name: str, low: float) -> str:
    """One tier of `tiers:`."""
    return f"  - {{key: {q(key)}, name: {q(name)}, min: {low:g}}}"


def group_line(prefix: str, name: str, size: int, pilot: bool) -> str:
    """One group of `groups:`."""
    return f"  - {{prefix: {q(prefix)}, name: {q(name)}, size: {size}, pilot: {'true' if pilot else 'false'}}}"


def a_level_lines(name: str, rule: str, consecutive: int, codes: list[str] | None) -> list[str]:
    """The `a_level:` block; `codes` None leaves the list to be computed from the history."""
    lines = [A_LEVEL_HEAD, f"  name: {q(name)}", f"  rule: {q(rule)}", f"  consecutive: {consecutive}"]
    if codes is not None:
        lines += ["  codes:", *(f"    - {q(code)}" for code in codes)] if codes else ["  codes: []"]
    return lines


def results_yaml(edition_id: str, rows: list[tuple[str, float | None, str | None, Loc]],
                 incomplete: list[tuple[str, Loc]], source: str) -> tuple[str, dict[int, Loc]]:
    """results.yaml for (code, score, tier key, cell) rows and (code, cell) incomplete ones, and
    the cell each line came from."""
    lines = [f"# {edition_id} 评价结果：由 {terminal_safe(os.path.basename(source))} 导入（python build.py import）。",
             "# evaluated: 参评联盟，按公布顺序；incomplete: 数据不完整、未纳入评价的联盟。",
             "evaluated:" if rows else "evaluated: []"]
    where: dict[int, Loc] = {}
    for code, score, tier, loc in rows:
        value = f"score: {score_text(score)}" if score is not None else f"tier: {tier}"
        lines.append(f"  - {{code: {q(code)}, {value}}}")
        where[len(lines)] = loc
    lines.append("incomplete:" if incomplete else "incomplete: []")
    for code, loc in incomplete:
        lines.append(f"  - {q(code)}")
        where[len(lines)] = loc
    return "\n".join(lines) + "\n", where


def experts_yaml(edition_id: str, experts: list[tuple[dict, Loc]], source: str) -> tuple[str, dict[int, Loc]]:
    """experts.yaml for (expert, cell) rows, and the cell each line came from."""
    lines = [f"# {edition_id} 评价专家组：由 {terminal_safe(os.path.basename(source))} 导入（python build.py import）。"]
    where: dict[int, Loc] = {}
    for expert, loc in experts:
        titles_text = ", ".join(q(t) for t in expert["titles"])
        lines.append(f"- {{role: {q(expert['role'])}, name: {q(expert['name'])}, titles: [{titles_text}]}}")
        where[len(lines)] = loc
    if not experts:
        lines.append("[]")
    return "\n".join(lines) + "\n", where


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(q(v) for v in value) + "]"
    if isinstance(value, str):
        return q(value)
    if isinstance(value, float):
        return plain_decimal(value)
    return str(value)


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return _yaml_value(value)


def _flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def edition_yaml(text: str, info: dict[str, tuple[object, Loc]]) -> tuple[str, dict[int, Loc]]:
    """edition.yaml with the 基本信息 fields replaced; other keys and comments stay as written.

    A nested block (`period`, `activity`) is written whole, the sheet's values over the file's.
    """
    if not info:
        return text, {}
    import yaml

    try:
        current = yaml.safe_load(text)
    except yaml.YAMLError:
        current = None
    current = current if isinstance(current, dict) else {}
    blocks: dict[str, list[tuple[str, Loc | None]]] = {}
    for top in dict.fromkeys(key.split(".")[0] for key in info):
        if top == "period":
            period = dict(current.get("period") or {}) if isinstance(current.get("period"), dict) else {}
            cells = []
            for sub in ("start", "end"):
                if f"period.{sub}" in info:
                    period[sub], cell = info[f"period.{sub}"]
                    cells.append(cell)
            blocks[top] = [(f"period: {_flow(period)}", cells[0])]
        elif top == "activity":
            found = current.get("activity")
            activity = found if isinstance(found, dict) else {}
            block: list[tuple[str, Loc | None]] = [("activity:", None)]
            subs = dict.fromkeys([*activity, *(k.split(".")[1] for k in info if k.startswith("activity."))])
            for sub in subs:
                given = {k.split(".")[2] if k.count(".") == 2 else "": v for k, v in info.items()
                         if k.split(".")[:2] == ["activity", sub]}
                loc = next((cell for _, cell in given.values()), None)
                if "" in given:
                    block.append((f"  {sub}: {_scalar(given[''][0])}", loc))
                elif given or isinstance(activity.get(sub), dict):
                    merged = dict(activity.get(sub) or {})
                    merged.update({k: v for k, (v, _) in given.items()})
                    block.append((f"  {sub}: {_flow(merged)}", loc))
                else:
                    block.append((f"  {sub}: {_scalar(activity[sub])}", None))
            blocks[top] = block
        elif isinstance(info[top][0], Lines):
            lines_given = info[top][0]
            assert isinstance(lines_given, Lines)
            blocks[top] = list(lines_given.lines)
        else:
            value, cell = info[top]
            # A month (2022-02) is not a date to YAML: it reads back as the same text unquoted.
            shown = value if top == "published" else _scalar(value)
            blocks[top] = [(f"{top}: {shown}", cell)]
    lines = text.splitlines()
    for top, new in blocks.items():
        lines = _replace_block(lines, top, [line for line, _ in new])
    where: dict[int, Loc] = {}
    locs = {line: loc for new in blocks.values() for line, loc in new if loc is not None}
    for number, line in enumerate(lines, start=1):
        written = line if line in locs else re.sub(r"\s+#.*$", "", line)
        if written in locs:
            where[number] = locs[written]
    return "\n".join(lines) + "\n", where


def _replace_block(lines: list[str], key: str, new: list[str]) -> list[str]:
    """`lines` with the top-level `key`'s block replaced by `new` (added at the end when absent);
    a one-line block keeps its trailing comment."""
    start, end = _block(lines, key)
    if start is None:
        return [*lines, *new]
    comment = re.search(r"\s+#.*$", lines[start]) if end - start == 1 and len(new) == 1 else None
    if comment and "#" not in new[0]:
        new = [new[0] + comment.group(0)]
    return [*lines[:start], *new, *lines[end:]]


def _block(lines: list[str], key: str) -> tuple[int | None, int]:
    """The lines of a top-level key's block: from `key:` up to the next top-level line."""
    for i, line in enumerate(lines):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            return i, end
    return None, 0


def registry_with(text: str, added: list[tuple[str, str]]) -> str:
    """alliances.yaml with new entries, each inserted before the first entry with a higher code."""
    lines = text.splitlines()
    for code, name in sorted(added):
        entry = f"- {{code: {q(code)}, name: {q(name)}}}"
        at = len(lines)
        for i, line in enumerate(lines):
            m = re.match(r'^- \{code: "?([0-9D]+)"?', line)
            if m and m.group(1) > code:
                at = i
                break
        lines.insert(at, entry)
    return "\n".join(lines) + "\n"


def registry_renamed(text: str, entries: list[tuple[int, int, str]]) -> str:
    """alliances.yaml with whole entries replaced: (first line, last line, new entry text), lines
    1-based and inclusive; the rest of the file, comments included, stays as written."""
    lines = text.splitlines()
    for first, last, entry in sorted(entries, reverse=True):
        lines[first - 1:last] = entry.rstrip("\n").split("\n")
    return "\n".join(lines) + "\n"


def registry_entry(code: str, name: str, aliases: tuple[str, ...],
                   former: list[tuple[str, str]]) -> str:
    """One registry entry in block style, its former names (name, until) oldest first."""
    lines = [f"- code: {q(code)}", f"  name: {q(name)}"]
    if aliases:
        lines.append("  aliases: [" + ", ".join(q(a) for a in aliases) + "]")
    if former:
        lines.append("  former_names:")
        lines.extend(f"    - {{name: {q(n)}, until: {q(until)}}}" for n, until in former)
    return "\n".join(lines) + "\n"


def with_key(text: str, key: str, lines: list[str]) -> str:
    """edition.yaml with the top-level `key`'s block replaced by `lines` (added at the end when
    absent); everything else, comments included, stays as written."""
    return "\n".join(_replace_block(text.splitlines(), key, lines)) + "\n"


def frozen_text(text: str) -> str:
    """edition.yaml marked `frozen: true`."""
    return with_key(text, "frozen", ["frozen: true"])


def corrected_text(text: str, version: int, corrections: list[tuple[str, str]]) -> str:
    """edition.yaml at `version` with its dated corrections (date `YYYY-MM-DD`, text), oldest first."""
    text = with_key(text, "version", [f"version: {version}"])
    return with_key(text, "corrections", ["corrections:", *(f"  - {{date: {day}, text: {q(note)}}}"
                                                           for day, note in corrections)])
