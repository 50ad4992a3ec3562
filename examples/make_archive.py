#!/usr/bin/env python3
"""(Re)write the demo archive under `examples/archive/`: three editions, two of them synthetic.

    python examples/make_archive.py                  # rewrite examples/archive/
    python examples/make_archive.py --out /tmp/demo  # write the same files elsewhere

What it writes (paths under the output folder):

    data/alliances.yaml         data/alliances.yaml as shipped, plus four synthetic alliances (示例甲-丁)
    data/2016-2017/*.yaml       synthetic (demo: true), the older bands 86 / 75-85 / 65-74 / 0-64
    data/2018-2019/*.yaml       synthetic (demo: true), the bands of 2020-2021
                                (each with indicators.yaml in the additive form and synthetic
                                indicator-scores.yaml adding up to its totals; 2018-2019 publishes
                                each alliance's, 2016-2017 averages only)
    data/2020-2021/*            copied byte for byte from data/2020-2021/
    content/2016-2017/, content/2018-2019/   a short overview (01) and a 四 from the scores (02)
    content/2020-2021/*.md      copied byte for byte from content/2020-2021/

The synthetic editions are 示例数据, not real results. They use mostly real registry codes so that
alliance histories connect across editions, and they are shaped to exercise the multi-edition
features: alliances that are new or departed between editions, tier moves up and down, large score
changes, tier-only rows, a change of tier bands between 2016-2017 and 2018-2019, and the A-level
rule of 2020-2021 (its 24 codes are in the top tier of both synthetic editions; no other alliance is
in the top tier of all three). The output is deterministic (`random.Random(2016)`, no clock), so a
run reproduces the committed files byte for byte.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data"
REAL_CONTENT = ROOT / "content"
REAL_EDITION = "2020-2021"
DEFAULT_OUT = Path(__file__).resolve().parent / "archive"
SEED = 2016

GENERATED = "# 示例数据 (synthetic demo data, not real results): written by examples/make_archive.py; do not edit by hand.\n"

# Alliances that exist only in the synthetic editions; their codes are unused by the real registry.
SYNTHETIC_ALLIANCES = {
    "155": "示例甲产业技术创新战略联盟",
    "240": "示例乙产业技术创新战略联盟",
    "356": "示例丙产业技术创新战略联盟",
    "D107": "示例丁产业技术创新战略联盟",
}

PUBLISHERS = ["中国产业技术创新战略联盟协同发展网", "中关村国联产业协同创新发展促进中心"]

OLD_TIERS = [  # the bands the earlier reports used (2014-2015: 高 ≥86, 较高 75-85, 一般 65-74, 较差 ≤64)
    {"key": "high", "name": "活跃度高", "min": 86},
    {"key": "higher", "name": "活跃度较高", "min": 75, "max": 85},
    {"key": "medium", "name": "活跃度一般", "min": 65, "max": 74},
    {"key": "low", "name": "活跃度较差", "min": 0, "max": 64},
]
NEW_TIERS = [  # as in 2020-2021
    {"key": "high", "name": "活跃度高", "min": 85},
    {"key": "higher", "name": "活跃度较高", "min": 70},
    {"key": "medium", "name": "活跃度一般", "min": 50},
    {"key": "inactive", "name": "不活跃", "min": 0},
]


def groups(d_size: int) -> list[dict]:
    return [
        {"prefix": "1", "name": "第一批试点联盟", "size": 52},
        {"prefix": "2", "name": "第二批试点联盟", "size": 39},
        {"prefix": "3", "name": "第三批试点联盟", "size": 55},
        {"prefix": "D", "name": "协发网网员联盟", "size": d_size, "pilot": False},
    ]


# The evaluated alliances of each synthetic edition besides the A-level ones (which every synthetic
# edition rates in its top tier, near their 2020-2021 score). A value is a fixed score (int), a tier
# key (a random score inside that band) or ("tier-only", key) (published without a score).
EDITIONS = {
    "2016-2017": {
        "period": ("2016-01-01", "2017-12-31"),
        "published": "2018-03",
        "tiers": OLD_TIERS,
        "groups": groups(6),
        "bands_note": "the older bands: 86 / 75-85 / 65-74 / 0-64 (as printed in 2014-2015)",
        "publish": "aggregate",
        "evaluated": {
            "312": "high",             # high, high, then 较高 in 2020-2021
            "322": "high",             # high, 较高, high
            "128": 92,                 # 92 -> 60 -> 64: the largest fall
            "240": 88,                 # synthetic; departs after this edition
            "152": 80,                 # 较高, then high
            "207": 85,                 # 85 is 较高 under these bands, high under the later ones
            "117": "higher",           # absent from 2018-2019, back in 2020-2021
            "144": "higher",           # absent from 2018-2019, back in 2020-2021
            "155": "higher",           # synthetic; in both synthetic editions
            "353": 70,                 # 一般 -> 较高 -> high
            "325": "medium",           # 一般 -> 较高 -> 一般
            "145": 60,                 # 较差 here; 58 is 一般 under the later bands (up although it fell)
            "D107": 52,                # synthetic; 较差 here, 不活跃 next (the same place in tier order)
            "236": ("tier-only", "low"),
            "116": ("tier-only", "low"),
        },
        "incomplete": ["109", "131", "203", "329", "D101"],
    },
    "2018-2019": {
        "period": ("2018-01-01", "2019-12-31"),
        "published": "2020-02",
        "tiers": NEW_TIERS,
        "groups": groups(9),
        "bands_note": "the bands of 2020-2021: 85 / 70 / 50 / 0",
        "publish": "alliance",
        "evaluated": {
            "312": "high",
            "152": 91,
            "D105": "high",            # new in this edition
            "356": 87,                 # synthetic; only in this edition
            "322": 82,
            "207": 84,
            "353": 80,
            "325": 78,
            "155": 76,
            "D202": "higher",          # new in this edition
            "128": 60,
            "145": 58,
            "203": "medium",           # incomplete in 2016-2017, evaluated here
            "D107": 38,
            "236": ("tier-only", "inactive"),
            "116": ("tier-only", "inactive"),
        },
        "incomplete": ["131", "142", "151", "223", "329"],
    },
}

OVERVIEW = {
    "2016-2017": """\
# 2016-2017 年度概览（示例数据）

本页及本年度的全部数据均为**虚构的示例数据**，仅用于演示多年度归档、联盟历年变化等功能，不是真实的评价结果，不得引用。

在这份示例数据中，共有 {{ n.evaluated }} 家联盟参评，其中{{ tiers.high.name }}（{{ tiers.high.min }} 分及以上）的联盟 {{ count(tier="high") }} 家，另有 {{ n.incomplete }} 家联盟录入的信息不完整。本年度沿用较早的分档：{% for t in edition.tiers %}{{ t.name }} {{ t.min }}~{{ t.max }} 分{{ "；" if not loop.last else "" }}{% endfor %}，与 2018-2019 年度以后的分档不同，跨年度比较按档次顺序进行。
""",
    "2018-2019": """\
# 2018-2019 年度概览（示例数据）

本页及本年度的全部数据均为**虚构的示例数据**，仅用于演示多年度归档、联盟历年变化等功能，不是真实的评价结果，不得引用。

在这份示例数据中，共有 {{ n.evaluated }} 家联盟参评，其中{{ tiers.high.name }}的联盟 {{ count(tier="high") }} 家、{{ tiers.higher.name }}的联盟 {{ count(tier="higher") }} 家，另有 {{ n.incomplete }} 家联盟录入的信息不完整。本年度起采用与 2020-2021 年度相同的分档（{{ tiers.high.name }} {{ tiers.high.min }} 分及以上）。
""",
}


INDICATORS = (  # the real edition's 3 + 20 indicators, with points (the additive form)
    ("联盟组织机构建设与运行", 20, (("理事会会议", 4), ("专家委员会会议", 3), ("成员大会", 3), ("秘书处工作会议", 3),
                                   ("网站网页建设与更新", 4), ("秘书处对外联络", 3))),
    ("联盟协同创新活动", 50, (("自设协同创新项目", 6), ("承担各级政府项目", 6), ("外部委托（非政府委托）项目", 6),
                              ("知识产权共享活动", 5), ("制定技术标准", 6), ("共建研发平台", 6), ("学术交流", 5),
                              ("研究产业发展趋势", 5), ("联盟间跨领域合作", 5))),
    ("联盟带动产业发展成效", 30, (("形成产业技术创新链", 6), ("掌握产业核心技术", 6), ("行业技术推广及服务", 6),
                                  ("促进人才交流培养", 6), ("媒体报道及社会评价", 6))),
)
# How each tier's 得分率 on an item leans from its total (as chapter 四 of the real report describes
# them): the second and third tiers fall short on self-funded and commissioned projects and
# standards; the third on the innovation chain and the press too; the lowest on the innovation
# activities throughout, and often on its website.
BIAS = {
    1: {"自设协同创新项目": -0.25, "外部委托（非政府委托）项目": -0.25, "制定技术标准": -0.2},
    2: {"自设协同创新项目": -0.3, "外部委托（非政府委托）项目": -0.3, "制定技术标准": -0.25,
        "形成产业技术创新链": -0.2, "媒体报道及社会评价": -0.2},
    3: {name: -0.15 for name, _ in INDICATORS[1][2]},
}

INDICATORS_TEXT = """\
# 示例数据 (synthetic demo data, not real results): written by examples/make_archive.py; do not edit by hand.
# The indicators of 2020-2021 (3 first-level, 20 second-level) in the additive form, with made-up points.
""" + "".join(f"- name: {name}\n  max: {points}\n  items:\n" + "".join(f"    - {{name: {item}, max: {top}}}\n"
                                                                   for item, top in items)
              for name, points, items in INDICATORS)


def item_scores(total: int, tier_rank: int, rng: random.Random) -> list[list[float]]:
    """Second-level scores adding up to `total` exactly: each item near the total's 得分率, leaning
    as `BIAS` says for the tier, in half points; the lowest tier sometimes scores 0 on its website."""
    items = [(name, top) for _, _, group in INDICATORS for name, top in group]
    rate = total / 100
    scores, fixed = [], set()
    for i, (name, top) in enumerate(items):
        p = min(1.0, max(0.0, rate + BIAS.get(tier_rank, {}).get(name, 0) + rng.gauss(0, 0.08)))
        if tier_rank == 3 and name == "网站网页建设与更新" and rng.random() < 0.5:
            p = 0.0
            fixed.add(i)
        scores.append(round(p * top * 2) / 2)
    order = [i for i in range(len(items)) if i not in fixed]
    while sum(scores) != total:
        step = 0.5 if sum(scores) < total else -0.5
        rng.shuffle(order)
        i = next(i for i in order if 0 <= scores[i] + step <= items[i][1])
        scores[i] += step
    out, at = [], 0
    for _, _, group in INDICATORS:
        out.append(scores[at:at + len(group)])
        at += len(group)
    return out


def scores_yaml(edition_id: str, rows: list, rng: random.Random) -> str:
    """Each scored alliance's synthetic indicator scores, in the results' order: a line each, the
    first-level indicators' groups separated by /."""
    ranks = {t["key"]: i for i, t in enumerate(EDITIONS[edition_id]["tiers"])}
    lines = [GENERATED.rstrip("\n"), "# Second-level scores, a group per first-level indicator; they add up to the totals.",
             "scores:"]
    for code, score, key in rows:
        if score is None:
            continue
        groups = item_scores(score, ranks[key], rng)
        lines.append(f"  {q(code)}: " + " / ".join(" ".join(f"{v:g}" for v in g) for g in groups))
    return "\n".join(lines) + "\n"


FINDINGS = """\
# 四、从各项指标来看试点联盟活跃度情况（示例数据）

本页的指标得分均为**虚构的示例数据**，仅用于演示由专家对各项指标的评分计算得出的结论，不是真实的评价结果，不得引用。

参评联盟的总分由 {{ edition.indicators | length }} 个一级指标、{{ edition.indicators | map(attribute="items") | map("length") | sum }} 个二级指标的得分相加而成（{% for i in edition.indicators %}{{ i.name }} {{ i.max | fmt }} 分{{ "、" if not loop.last else "" }}{% endfor %}）。下文的得分率是得分除以该指标的分值；一个档次或批次的得分率是其中联盟得分率的平均。不足 3 家联盟的分组不公布平均得分率，记为“—”。{% if edition.indicators_publish == "alliance" %}本年度还公布各联盟的指标得分，见各联盟页面和排名表的下载。{% endif %}

{{ chart(kind="indicators") }}

## 1. 各档次联盟的强项与弱项

{% for t in edition.tiers %}
{% if weakest(tier=t.key) == ["—"] %}
- {{ t.name }}的联盟不足 3 家，不公布其平均得分率。
{% else %}
- {{ t.name }}的联盟在{{ strongest(tier=t.key, n=2) | join("、") }}方面得分率最高，在{{ weakest(tier=t.key, n=3) | join("、") }}方面得分率最低。
{% endif %}
{% endfor %}
{% if weakest(tier="medium") != ["—"] %}

{{ tiers.medium.name }}的联盟在{{ weakest(tier="medium", n=3) | join("、") }}方面得分率最低，平均分别为 {% for name in weakest(tier="medium", n=3) %}{{ rate(name, tier="medium") }}{{ "、" if not loop.last else "" }}{% endfor %}；{{ tiers.high.name }}的联盟在这几项上的平均得分率分别为 {% for name in weakest(tier="medium", n=3) %}{{ rate(name, tier="high") }}{{ "、" if not loop.last else "" }}{% endfor %}。
{% endif %}

## 2. 一级指标

{% for i in edition.indicators %}
- {{ i.name }}：全部参评联盟的平均得分率为 {{ rate(i.name) }}，{{ tiers.high.name }}的联盟为 {{ rate(i.name, tier="high") }}。
{% endfor %}

{{ chart(kind="indicators", by="group", level="first") }}

## 3. 得分为零的指标

{% set lowest = edition.tiers[-1] %}
{{ zero_count("网站网页建设与更新") }} 家参评联盟的“网站网页建设与更新”得分为 0{% if zero_count("网站网页建设与更新", tier=lowest.key) != "—" %}，其中{{ lowest.name }}的联盟 {{ zero_count("网站网页建设与更新", tier=lowest.key) }} 家{% endif %}；“自设协同创新项目”得分为 0 的有 {{ zero_count("自设协同创新项目") }} 家。
"""
"""The synthetic editions' chapter 四, every finding computed from the indicator scores."""


def code_key(code: str) -> tuple[int, str]:
    """Registry order: the pilot batches 1-3, then the network's D codes."""
    return (1 if code.startswith("D") else 0, code)


def band(tiers: list[dict], key: str) -> tuple[int, int]:
    for i, t in enumerate(tiers):
        if t["key"] == key:
            top = t.get("max", 100 if i == 0 else tiers[i - 1]["min"] - 1)
            return t["min"], top
    raise KeyError(key)


def tier_of(tiers: list[dict], score: int) -> str:
    for t in tiers:
        low, high = band(tiers, t["key"])
        if low <= score <= high:
            return t["key"]
    raise ValueError(score)


def synthesize(real_results: dict, a_level: list[str], rng: random.Random) -> dict[str, dict]:
    """Each synthetic edition's rows: {code: score or None, tier}, plus its incomplete list."""
    real_scores = {r["code"]: r.get("score") for r in real_results["evaluated"]}
    out = {}
    for edition_id, spec in EDITIONS.items():
        tiers = spec["tiers"]
        top_min, _ = band(tiers, "high")
        rows = []
        for code in a_level:  # near their 2020-2021 score, always in the top tier
            score = max(top_min, min(100, real_scores[code] + rng.randint(-7, 3)))
            rows.append((code, score, tier_of(tiers, score)))
        for code, value in spec["evaluated"].items():
            if isinstance(value, int):
                rows.append((code, value, tier_of(tiers, value)))
            elif isinstance(value, str):
                low, high = band(tiers, value)
                if value == "high":  # keep clear of the border in both directions
                    low, high = low + 1, high - 3
                score = rng.randint(low, high)
                rows.append((code, score, value))
            else:
                rows.append((code, None, value[1]))
        order = {code: i for i, code in enumerate(sorted((r[0] for r in rows), key=code_key))}
        scored = sorted((r for r in rows if r[1] is not None), key=lambda r: (-r[1], order[r[0]]))
        unscored = [r for r in rows if r[1] is None]
        out[edition_id] = {"rows": scored + unscored, "incomplete": sorted(spec["incomplete"], key=code_key)}
    return out


def q(code: str) -> str:
    return f'"{code}"'


def edition_yaml(edition_id: str, rows: list, incomplete: list[str]) -> str:
    spec = EDITIONS[edition_id]
    lines = [GENERATED.rstrip("\n"),
             f"title: {edition_id} 年度产业技术创新战略联盟活跃度评价报告（示例数据）",
             "demo: true                            # every page says 示例数据",
             f"period: {{start: {spec['period'][0]}, end: {spec['period'][1]}}}",
             f"published: {spec['published']}",
             f"publishers: [{', '.join(PUBLISHERS)}]",
             f"tiers:                                # {spec['bands_note']}"]
    for t in spec["tiers"]:
        tail = f", max: {t['max']}" if "max" in t else ""
        lines.append(f"  - {{key: {t['key']}, name: {t['name']}, min: {t['min']}{tail}}}")
    lines.append("groups:")
    for g in spec["groups"]:
        tail = ", pilot: false" if g.get("pilot") is False else ""
        lines.append(f"  - {{prefix: {q(g['prefix'])}, name: {g['name']}, size: {g['size']}{tail}}}")
    lines.append(f"entered: {len(rows) + len(incomplete)}                           # evaluated + incomplete")
    lines.append(f"indicators_publish: {spec['publish']}" + ("                 # each alliance's indicator scores too"
                                                            if spec["publish"] == "alliance" else
                                                            "                # averages of 3 or more only"))
    return "\n".join(lines) + "\n"


def results_yaml(edition_id: str, rows: list, incomplete: list[str]) -> str:
    tiers = EDITIONS[edition_id]["tiers"]
    lines = [GENERATED.rstrip("\n"), "evaluated:"]
    for t in tiers:
        mine = [r for r in rows if r[2] == t["key"]]
        if not mine:
            continue
        lines.append(f"  # {t['name']}（共 {len(mine)} 家）")
        for code, score, key in mine:
            lines.append(f"  - {{code: {q(code)}, score: {score}}}" if score is not None
                         else f"  - {{code: {q(code)}, tier: {key}}}")
    lines.append(f"incomplete: [{', '.join(q(c) for c in incomplete)}]")
    return "\n".join(lines) + "\n"


def registry_yaml(real_text: str) -> str:
    """The real registry's lines unchanged, the synthetic alliances inserted in code order."""
    header = ("# The demo archive's registry: data/alliances.yaml as shipped, plus four synthetic alliances\n"
              "# (示例数据, marked below) that appear only in the synthetic editions 2016-2017 and 2018-2019.\n"
              "# Written by examples/make_archive.py; do not edit by hand.\n")
    pending = sorted(SYNTHETIC_ALLIANCES, key=code_key)
    out = []
    for line in real_text.splitlines(keepends=True):
        m = re.match(r'- \{code: "?([0-9D]+)"?', line)
        while m and pending and code_key(pending[0]) < code_key(m.group(1)):
            code = pending.pop(0)
            out.append(f"- {{code: {q(code)}, name: {SYNTHETIC_ALLIANCES[code]}}}   # 示例数据：虚构联盟\n")
        out.append(line)
    for code in pending:
        out.append(f"- {{code: {q(code)}, name: {SYNTHETIC_ALLIANCES[code]}}}   # 示例数据：虚构联盟\n")
    return header + "".join(out)


def verify(real_registry: list, real_results: dict, real_edition: dict, editions: dict) -> None:
    """The demo's own promises; a failure here is a mistake in the tables above."""
    codes = {a["code"] for a in real_registry}
    assert not codes & set(SYNTHETIC_ALLIANCES), "a synthetic code is used by the real registry"
    known = codes | set(SYNTHETIC_ALLIANCES)
    a_level = set(real_edition["a_level"]["codes"])
    top = {REAL_EDITION: {r["code"] for r in real_results["evaluated"] if r.get("tier") == "high"
                          or (r.get("score") is not None and r["score"] >= 85)}}
    for edition_id, ed in editions.items():
        named = [r[0] for r in ed["rows"]] + ed["incomplete"]
        assert len(named) == len(set(named)), f"{edition_id}: an alliance is named twice"
        assert set(named) <= known, f"{edition_id}: unknown codes {set(named) - known}"
        top[edition_id] = {r[0] for r in ed["rows"] if r[2] == "high"}
        assert a_level <= top[edition_id], f"{edition_id}: A-level codes outside the top tier"
    unlisted = set.intersection(*top.values()) - a_level
    assert not unlisted, f"in the top tier of every edition but not A-level: {sorted(unlisted)}"


def write(path: Path, data: bytes, written: set[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    written.add(path)


def prune(folder: Path, written: set[Path]) -> None:
    """Remove files left in a folder this script owns by an earlier run (e.g. a real file since deleted)."""
    for path in sorted(folder.iterdir()):
        if path.is_file() and path not in written:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder to write data/ and content/ into (default: examples/archive)")
    out = parser.parse_args(argv).out

    real_registry_text = (REAL_DATA / "alliances.yaml").read_text(encoding="utf-8")
    real_registry = yaml.safe_load(real_registry_text)
    real_results = yaml.safe_load((REAL_DATA / REAL_EDITION / "results.yaml").read_text(encoding="utf-8"))
    real_edition = yaml.safe_load((REAL_DATA / REAL_EDITION / "edition.yaml").read_text(encoding="utf-8"))
    for a in real_registry:
        a["code"] = str(a["code"])

    rng = random.Random(SEED)
    editions = synthesize(real_results, list(real_edition["a_level"]["codes"]), rng)
    verify(real_registry, real_results, real_edition, editions)

    # The scores draw from a generator of their own, so the results stay what they were before them.
    scores_rng = random.Random(SEED + 1)
    written: set[Path] = set()
    write(out / "data" / "alliances.yaml", registry_yaml(real_registry_text).encode("utf-8"), written)
    for edition_id, ed in editions.items():
        folder = out / "data" / edition_id
        write(folder / "edition.yaml", edition_yaml(edition_id, ed["rows"], ed["incomplete"]).encode("utf-8"), written)
        write(folder / "results.yaml", results_yaml(edition_id, ed["rows"], ed["incomplete"]).encode("utf-8"), written)
        write(out / "content" / edition_id / "01-overview.md", OVERVIEW[edition_id].encode("utf-8"), written)
        write(folder / "indicators.yaml", INDICATORS_TEXT.encode("utf-8"), written)
        write(folder / "indicator-scores.yaml", scores_yaml(edition_id, ed["rows"], scores_rng).encode("utf-8"), written)
        write(out / "content" / edition_id / "02-indicators.md", FINDINGS.encode("utf-8"), written)
    for kind, source in (("data", REAL_DATA / REAL_EDITION), ("content", REAL_CONTENT / REAL_EDITION)):
        for path in sorted(source.iterdir()):
            if path.is_file():
                write(out / kind / REAL_EDITION / path.name, path.read_bytes(), written)
    for kind in ("data", "content"):
        for edition_id in (*editions, REAL_EDITION):
            prune(out / kind / edition_id, written)

    for edition_id, ed in editions.items():
        counts = "/".join(str(sum(1 for r in ed["rows"] if r[2] == t["key"])) for t in EDITIONS[edition_id]["tiers"])
        print(f"{edition_id}: {len(ed['rows'])} evaluated ({counts}), {len(ed['incomplete'])} incomplete")
    print(f"wrote {len(written)} files under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
