"""Everything an edition needs is in the workbook: 示例数据 and 录入信息的联盟数 (or `--entered` for a
results-only file), the A级联盟 sheet (the rule, the list, or 否) and the 档次与批次 sheet, each read
back into edition.yaml only where it changes something, each mistake named by its cell."""

from __future__ import annotations

import openpyxl
import yaml
from test_import import EDITION, appendix_3, data, edit, filled_workbook, printed_rows, problems  # noqa: F401

from reportsite.authoring import importer
from reportsite.authoring import workbook as W


def edition_after(plan, data) -> dict:  # noqa: F811
    return yaml.safe_load(plan.files[str(data / EDITION / "edition.yaml")])


def test_the_rule_sheets_carry_the_edition_s_rules(data, tmp_path):  # noqa: F811
    book = openpyxl.load_workbook(filled_workbook(data, tmp_path / "结果.xlsx"))
    a_level, bands = book[W.A_LEVEL], book[W.BANDS]
    assert [a_level[f"A{r}"].value for r in range(2, 6)] == ["是否评定A级", "名称", "评定规则", "连续届数"]
    assert a_level["B2"].value == "是" and a_level["B4"].value == "2018-2021 连续三个评价期活跃度高"
    assert [a_level[f"B{r}"].value for r in (7, 8, 31)] == ["联盟编号", "102", "D106"]
    assert [[c.value for c in row] for row in bands.iter_rows(min_row=1, max_row=2)] == [
        ["档次名称", "最低分", "代码", None], ["活跃度高", 85, "high", None]]
    assert [c.value for c in bands[7]] == ["批次名称", "编号首位", "联盟总数", "试点"]
    assert [c.value for c in bands[11]] == ["协发网网员联盟", "D", 11, "否"]
    assert book[W.INFO]["A8"].value == "示例数据" and book[W.INFO]["B8"].value == "否"


def test_unchanged_rule_sheets_leave_edition_yaml_as_it_is(data, tmp_path):  # noqa: F811
    book = filled_workbook(data, tmp_path / "结果.xlsx")
    before = (data / EDITION / "edition.yaml").read_text(encoding="utf-8")
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == []
    after = plan.files[str(data / EDITION / "edition.yaml")]
    for key in ("tiers:", "groups:", "a_level:"):
        block = before[before.index(key):].split("\n")
        block = block[:next(i for i, line in enumerate(block[1:], 1) if not line.startswith(" "))]
        assert "\n".join(block) in after, key


def test_the_rule_sheets_change_the_edition(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.BANDS, {"A5": "较差"})
    edit(book, W.INFO, {"B8": "是"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == []
    after = edition_after(plan, data)
    assert [t["name"] for t in after["tiers"]] == ["活跃度高", "活跃度较高", "活跃度一般", "较差"]
    assert after["demo"] is True and len(after["groups"]) == 4
    edit(book, W.A_LEVEL, {"B2": "否"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert edition_after(plan, data)["a_level"] is False


def test_a_typed_list_contradicting_its_own_edition_is_named_by_its_cell(data, tmp_path):  # noqa: F811
    # 106 was not evaluated (its data was incomplete), so it cannot be A-level.
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.A_LEVEL, {"B8": "106"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert (f"{book}:{W.A_LEVEL}!B8", "a-level-tier") in problems(plan)


def test_mistakes_in_the_rule_sheets_are_named_by_their_cells(data, tmp_path):  # noqa: F811
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.BANDS, {"B3": "七十", "C9": None})
    edit(book, W.A_LEVEL, {"B2": "可能"})
    edit(book, W.INFO, {"B8": "对"})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert sorted(problems(plan)) == sorted([
        (f"{book}:{W.BANDS}!B3", "cell-number"), (f"{book}:{W.BANDS}!A9", "cell-missing"),
        (f"{book}:{W.A_LEVEL}!B2", "cell-yes-no"), (f"{book}:{W.INFO}!B8", "cell-yes-no")])


def test_a_results_only_file_sets_the_count_with_entered(data, tmp_path):  # noqa: F811
    from test_import import new_edition

    new_edition(data)
    book = appendix_3(tmp_path / "附件3.xlsx", printed_rows(data))
    missing = importer.plan_import(str(data), "2022-2023", str(book))
    assert problems(missing) == [(str(book), "entered-missing")]
    assert "加 --entered 家数" in missing.problems[0].render(lang="zh")
    plan = importer.plan_import(str(data), "2022-2023", str(book), entered=86)
    assert problems(plan) == []
    assert yaml.safe_load(plan.files[str(data / "2022-2023" / "edition.yaml")])["entered"] == 86
    # Fewer than the alliances listed: the checker's finding is shown at the option.
    few = importer.plan_import(str(data), "2022-2023", str(book), entered=80)
    assert problems(few) == [("--entered", "count-exceeds")]
    assert "录入信息的联盟数为 80" in few.problems[0].render(lang="zh")


def test_entered_twice_must_agree(data, tmp_path):  # noqa: F811
    book = filled_workbook(data, tmp_path / "结果.xlsx")
    plan = importer.plan_import(str(data), EDITION, str(book), entered=100)
    assert (f"{book}:{W.INFO}!B7", "entered-conflict") in problems(plan)
