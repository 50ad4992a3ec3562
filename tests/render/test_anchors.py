"""Heading anchors in ASCII from the heading's number (`render/anchors.py`): `#s3-1` for chapter
三's `1.`, `#s3-4-1` for a `(1)` under `4.`, `#a2` for 附件 2, `h` and the heading's place for one
without a number; unique on the page. The built pages keep the old ids as aliases
(`write/finish.py`, tested in tests/write/test_finish.py and in Chromium)."""

from __future__ import annotations

import pytest

from reportsite.render.anchors import cn_number, heading_ids, page_prefix


@pytest.mark.parametrize("text, number", [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)])
def test_chinese_numerals(text, number):
    assert cn_number(text) == number


@pytest.mark.parametrize("title, prefix", [("三、联盟活跃度情况分析", "s3"), ("十一、附录", "s11"),
                                           ("附件 2：未纳入评价联盟名单", "a2"), ("附件12 名单", "a12"),
                                           ("排名表", ""), ("2020-2021 年度报告", "")])
def test_a_page_is_named_by_its_chapter_or_appendix(title, prefix):
    assert page_prefix(title) == prefix


def test_a_chapters_headings_are_named_by_their_numbers():
    headings = [(1, "三、联盟活跃度情况分析"), (2, "1. 总体情况"), (2, "4. 各项指标"), (3, "（1）评价范围"),
                (3, "(2) 评价方法"), (2, "5、其他"), (3, "说明"), (2, "说明")]
    assert heading_ids(headings) == ["s3", "s3-1", "s3-4", "s3-4-1", "s3-4-2", "s3-5", "s3-h7", "s3-h8"]


def test_a_page_without_a_number_and_repeated_numbers_stay_unique():
    headings = [(1, "排名表"), (2, "1. 说明"), (2, "1. 说明"), (2, "数据下载"), (2, "数据下载")]
    ids = heading_ids(headings)
    assert ids == ["top", "s-1", "s-1-2", "h4", "h5"]
    assert len(set(ids)) == len(ids) and all(i.isascii() for i in ids)


def test_an_appendix_and_an_empty_page():
    assert heading_ids([(1, "附件 3：评分表"), (2, "1. 说明")]) == ["a3", "a3-1"]
    assert heading_ids([]) == []
