"""Pure: heading anchors in ASCII, from the heading's number.

Python-Markdown's `toc` makes an anchor from the ASCII letters of a heading, so Chinese headings
get `_1`, `_2` and `1. 总体情况` gets `1`: an address like `overall.html#_2` says nothing and
changes when a heading is added above. The pages' anchors come from the numbers the report gives
its headings instead: chapter 三's `1. 总体情况` is `#s3-1`, its `(1) 评价范围` under `4.` is
`#s3-4-1`, 附件 2 is `#a2`; a heading without a number is `h` and its place on the page
(`#s3-h5`). The old anchors stay on the page as aliases (write/finish.py), so a link cited before
still lands; the frozen fingerprint keeps naming parts by the old ones (docs/data.md).
"""

from __future__ import annotations

import re

CN_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
CHAPTER = re.compile(r"^\s*([一二三四五六七八九十]{1,3})、")
APPENDIX = re.compile(r"^\s*附件\s*(\d+)")
NUMBER = re.compile(r"^\s*(?:(\d+)\s*[.．、]|[（(]\s*(\d+)\s*[)）])")


def cn_number(text: str) -> int:
    """一 .. 九十九 as a number (十 = 10, 十二 = 12, 二十 = 20, 二十三 = 23)."""
    if "十" not in text:
        return CN_NUMERALS[text]
    tens, _, ones = text.partition("十")
    return (CN_NUMERALS[tens] if tens else 1) * 10 + (CN_NUMERALS[ones] if ones else 0)


def page_prefix(title: str) -> str:
    """`s3` for chapter 三, `a2` for 附件 2, empty for a page whose title has no number."""
    m = CHAPTER.match(title)
    if m:
        return f"s{cn_number(m.group(1))}"
    m = APPENDIX.match(title)
    return f"a{m.group(1)}" if m else ""


def heading_ids(headings: list[tuple[int, str]]) -> list[str]:
    """The anchors of a page's headings, given as (level, plain text) in page order, the title
    (the first level-1 heading) first; unique on the page."""
    prefix = page_prefix(headings[0][1]) if headings and headings[0][0] == 1 else ""
    numbers: dict[int, int] = {}
    used: set[str] = set()
    out = []
    for k, (level, text) in enumerate(headings, start=1):
        m = NUMBER.match(text)
        if level == 1:
            anchor = prefix or "top"
        elif m:
            numbers = {lv: n for lv, n in numbers.items() if lv < level}
            numbers[level] = int(m.group(1) or m.group(2))
            anchor = "-".join([prefix or "s", *(str(numbers[lv]) for lv in sorted(numbers))])
        else:
            anchor = f"{prefix}-h{k}" if prefix else f"h{k}"
        base, n = anchor, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        out.append(anchor)
    return out
