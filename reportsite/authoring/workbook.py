"""The secretariat's workbook: its sheets, their columns and the data key each column fills.

`template.py` writes this layout and `importer.py` reads it back; both take every sheet and
column name from here, so the two cannot drift apart. docs/data.md prints the same mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESULTS = "评价结果"
INCOMPLETE = "数据不完整"
EXPERTS = "专家组"
INFO = "基本信息"
A_LEVEL = "A级联盟"
BANDS = "档次与批次"
HELP = "说明"
LISTS = "选项"
"""The hidden sheet holding the drop-down lists (codes, tiers, roles)."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    header: str
    """The header cell's text, row 1."""
    key: str
    """The data key it fills (`code`, `score`, ...); `index` and `note` fill none."""
    width: float
    """Width in Excel's character units, wide enough for Chinese text."""
    help: str
    """What to type, shown on the 说明 sheet."""


RESULT_COLUMNS = (
    Column("序号", "index", 7, "1, 2, 3 …：行号，仅供核对，导入时不读取"),
    Column("联盟编号", "code", 11, "三位数字（如 110）或 D 加三位数字（如 D106），可从下拉列表选择；新参评的联盟直接输入编号（提示“不在列表中”时选“是”），导入时加 --update-registry"),
    Column("联盟名称", "name", 44, "与登记的名称一致；与登记的名称不同时导入会报错，并标出不同的字"),
    Column("得分", "score", 9, "0–100 的数字；只公布档次、不公布得分时留空"),
    Column("档次", "tier", 14, "从下拉列表选择；填写得分时可留空（由得分确定），填写时须与得分一致"),
    Column("更名", "rename", 8, "联盟已正式更名、本届起使用新名称时填“是”，旧名称会作为曾用名保留；否则留空"),
    Column("备注", "note", 30, "不导入"),
)
"""评价结果: one evaluated alliance a row, in the published order."""

INCOMPLETE_COLUMNS = (
    Column("序号", "index", 7, "行号，仅供核对"),
    Column("联盟编号", "code", 11, "录入了信息但数据不完整、未纳入评价的联盟编号"),
    Column("联盟名称", "name", 44, "与登记的名称一致"),
    Column("更名", "rename", 8, "联盟已正式更名时填“是”，否则留空"),
    Column("备注", "note", 30, "不导入"),
)
"""数据不完整: one alliance a row, in the published order (appendix 2)."""

EXPERT_COLUMNS = (
    Column("姓名", "name", 12, "姓名中不加空格"),
    Column("职务", "titles", 60, "一人多个职务时，每个职务占一行（单元格内按 Alt+Enter 换行）或用“；”分隔"),
    Column("专家组职务", "role", 12, "顾问、组长、副组长、成员等，可从下拉列表选择"),
)
"""专家组: one expert a row, in the published order (appendix 1)."""


@dataclass(frozen=True)
class Field:
    """One row of the 基本信息 sheet: a label and the data key its value fills."""

    label: str
    key: str
    """Dotted path in edition.yaml (`period.start`, `activity.self_funded.count`)."""
    kind: str
    """`text`, `date` (YYYY-MM-DD), `month` (YYYY-MM), `list` (several values), `int`, `number`,
    `yesno` (是 or 否) or `publish` (a word of `PUBLISH_WORDS`)."""
    help: str


INFO_FIELDS = (
    Field("报告标题", "title", "text", "如：2022-2023 年度产业技术创新战略联盟活跃度评价报告"),
    Field("评价期开始", "period.start", "date", "日期，如 2022-01-01"),
    Field("评价期结束", "period.end", "date", "日期，如 2023-09-30"),
    Field("发布年月", "published", "month", "年-月，如 2024-02"),
    Field("发布单位", "publishers", "list", "多个单位每个占一行（Alt+Enter）或用“；”分隔"),
    Field("录入信息的联盟数", "entered", "int", "在动态数据库中录入信息的联盟数（参评的与数据不完整的合计，或更多）"),
    Field("示例数据", "demo", "yesno", "本届为演示用的虚构数据时填“是”（每页都会注明“示例数据”）；正式数据填“否”"),
    Field("自设项目数", "activity.self_funded.count", "int", "联盟自设的自主创新项目（项）"),
    Field("自设项目经费（亿元）", "activity.self_funded.amount", "number", "亿元"),
    Field("政府委托项目数", "activity.government.count", "int", "承担各级政府委托项目（项）"),
    Field("政府委托项目经费（亿元）", "activity.government.amount", "number", "亿元"),
    Field("企业委托项目数", "activity.commissioned.count", "int", "承担相关领域企业委托项目（项）"),
    Field("企业委托项目收入（亿元）", "activity.commissioned.amount", "number", "亿元"),
    Field("知识产权共享活动（项）", "activity.ip_sharing", "int", ""),
    Field("制定技术标准（项）", "activity.standards", "int", "技术标准（规范）"),
    Field("共建研发平台（个）", "activity.platforms", "int", ""),
    Field("合作与展览论坛会议（次）", "activity.exchanges", "int", "跨联盟间合作和展览论坛学术会议"),
    Field("产业创新规划与报告（份）", "activity.reports", "int", ""),
    Field("公开方式", "indicators_publish", "publish",
          "指标得分的公开方式：不公开、只公开汇总（默认，只公布 3 家及以上联盟的平均得分率）或公开各联盟"),
)
"""基本信息: label in column A, value in column B, one field a row from row 2."""

A_LEVEL_FIELDS = (
    Field("是否评定A级", "a_level", "yesno", "本届评定 A 级联盟时填“是”；本届不评定时填“否”（网站上写明“本届未评定 A 级联盟”），其余各项留空"),
    Field("名称", "a_level.name", "text", "如：A级活跃度产业技术创新战略联盟"),
    Field("评定规则", "a_level.rule", "text", "如：2020-2023 连续三个评价期活跃度高（写到本届评价期的最后一年）"),
    Field("连续届数", "a_level.consecutive", "int", "连续几个评价期在最高档次才评为 A 级，如 3"),
)
"""A级联盟: the rule, label in column A and value in column B from row 2; then the list."""

A_LEVEL_COLUMNS = (
    Column("序号", "index", 7, "行号，仅供核对"),
    Column("联盟编号", "code", 11, "按公布顺序，每行一家；留空时由往届结果计算（档案中有规则所需的往届时）"),
    Column("联盟名称", "name", 44, "与登记的名称一致，仅供核对"),
)
"""A级联盟: the published list, below the rule (its header row is found by its 联盟编号 cell)."""

TIER_COLUMNS = (
    Column("档次名称", "name", 16, "从高到低，每行一个档次"),
    Column("最低分", "min", 9, "该档次的最低分（含），最高档次到 100 分"),
    Column("代码", "key", 12, "正文引用档次用的代码（如 high），沿用上一届的即可"),
)
"""档次与批次: the tiers, best first, from row 2."""

GROUP_COLUMNS = (
    Column("批次名称", "name", 16, "每行一个批次（如 第一批试点联盟）"),
    Column("编号首位", "prefix", 9, "联盟编号的第一位数字，或 D"),
    Column("联盟总数", "size", 9, "该批次的联盟总数（评价范围），不只是参评的"),
    Column("试点", "pilot", 9, "科技部试点联盟填“是”，否则填“否”"),
)
"""档次与批次: the groups, below the tiers after one blank row (their header row found by its text)."""

PUBLISH_WORDS = {"不公开": "none", "只公开汇总": "aggregate", "汇总": "aggregate", "公开各联盟": "alliance",
                 "各联盟": "alliance", "none": "none", "aggregate": "aggregate", "alliance": "alliance"}
"""What 公开方式 may say, and the `indicators_publish` of edition.yaml each means."""
PUBLISH_NAMES = {"none": "不公开", "aggregate": "只公开汇总", "alliance": "公开各联盟"}
"""The word the template writes for each `indicators_publish`."""

LIST_SPLIT = re.compile(r"\s*(?:\r?\n|；|;)\s*")
"""Several values in one cell (publishers, an expert's titles): one a line, or separated by `；`."""

YES, NO = "是", "否"
"""What a yes-or-no column (更名, 示例数据) holds; blank is no."""

ROLES = ("顾问", "组长", "副组长", "成员")
"""The panel roles offered in the drop-down list (others may be typed)."""


def split_list(text: str) -> list[str]:
    """The values of a list cell, blanks dropped."""
    return [part for part in LIST_SPLIT.split(text.strip()) if part]
