#!/usr/bin/env python3
"""Write a synthetic archive in the project's data format: N editions x M alliances.

    python bench/synth.py --editions 20 --alliances 300 --out bench/out/archives/e20

Writes `OUT/data/` (the registry, and per edition `edition.yaml`, `results.yaml`, `experts.yaml`,
`indicators.yaml`) and `OUT/content/EDITION/NN-name.md` (eight narrative sections of realistic
length: the real report's sentences as filler, with the Jinja expressions and charts a report
uses). Every edition is `demo: true` (示例数据) and has no A-level list, so no history rule applies.
The output depends only on the arguments (a seeded `random.Random`, no clock) and passes
`python build.py check --data OUT/data`.

With `--indicator-scores` each edition also has its indicators in the additive form (the points of
examples/make_archive.py), `indicator-scores.yaml` adding up to every score (drawn as the demo
draws them, from a generator of their own, so everything else is the same as without them) and a
chapter 四 that states findings from them with the table of 得分率; published as averages (the
default, `aggregate`) or, with `--indicator-scores alliance`, each alliance's too (a profile on
every alliance page, the `indicator-scores.*` downloads).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import shutil
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples"))
from make_archive import INDICATORS as DEMO_INDICATORS  # noqa: E402  (the demo's points and draws)
from make_archive import item_scores  # noqa: E402
SEED_TEXT = os.path.join(ROOT, "content", "2020-2021")
"""The shipped narrative, whose plain sentences fill the synthetic sections."""
"""The published 2020-2021 report as plain text: the filler sentences come from it."""

INDUSTRIES = (
    "半导体照明", "农业装备", "数控机床", "汽车轻量化", "抗生素", "维生素", "大豆加工", "化纤", "存储",
    "多晶硅", "染料", "纺织设备", "太阳能光热", "茶", "杂交水稻", "木竹", "油菜加工", "畜禽良种", "饲料",
    "肉类加工", "乳业", "科学仪器", "集成电路封测", "地理信息系统", "生物资源", "医疗器械", "煤层气",
    "再生资源", "激光加工", "抗肿瘤药物", "滚动轴承", "电动汽车", "光纤材料", "生物医用材料", "非晶节能材料",
    "数字家电", "玉米", "食品装备", "海水种苗", "健身器材", "住宅科技", "干细胞与再生医学", "烟气污染治理",
    "水处理装备", "软硬件", "航天制造装备", "科研用试剂", "稀土材料", "高速列车", "物流装备", "石墨",
    "广播电视网", "粉末冶金", "碳纤维及其复合材料", "电网终端设备", "燃料电池汽车", "轮胎", "贵金属材料",
    "机器人", "分离膜", "空间信息服务", "设施蔬菜", "马铃薯", "牧草", "生物农药", "兽用药品", "稻米加工",
    "花卉", "高粱", "生猪", "钢结构建筑", "应急救援装备", "污泥处理处置", "工业酶", "地质矿产勘查",
    "钒钛资源", "建筑信息模型", "食醋", "水环境治理", "农业航空", "海洋材料", "第三代半导体", "制鞋", "果酒",
    "煤化工", "船舶", "钢铁", "石化", "有色金属", "节能环保", "工业软件", "储能", "氢能", "卫星导航",
)
"""The industry an alliance works in; with a qualifier, it makes a unique, real-looking name."""

QUALIFIERS = ("", "新一代", "先进", "智能", "绿色", "高端", "新型", "现代", "国产", "长三角", "京津冀",
              "粤港澳", "西部", "东北", "中部")

PREFIX_SHARES = (("1", 0.30, "第一批试点联盟", True), ("2", 0.23, "第二批试点联盟", True),
                 ("3", 0.32, "第三批试点联盟", True), ("D", 0.15, "协发网网员联盟", False))
"""Group prefix, share of the registry, group name, pilot; the shares follow the real groups."""

TIERS = [
    {"key": "high", "name": "活跃度高", "min": 85},
    {"key": "higher", "name": "活跃度较高", "min": 70},
    {"key": "medium", "name": "活跃度一般", "min": 50},
    {"key": "inactive", "name": "不活跃", "min": 0},
]

INDICATORS = [
    {"name": "联盟组织机构建设与运行",
     "items": ["理事会会议", "专家委员会会议", "成员大会", "秘书处工作会议", "网站网页建设与更新", "秘书处对外联络"]},
    {"name": "联盟协同创新活动",
     "items": ["自设协同创新项目", "承担各级政府项目", "外部委托（非政府委托）项目", "知识产权共享活动", "制定技术标准",
               "共建研发平台", "学术交流", "研究产业发展趋势", "联盟间跨领域合作"]},
    {"name": "联盟带动产业发展成效",
     "items": ["形成产业技术创新链", "掌握产业核心技术", "行业技术推广及服务", "促进人才交流培养", "媒体报道及社会评价"]},
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红新海波宁晓文辉力云峰鹏飞雪梅兰荣昌德永"

PUBLISHERS = ["中国产业技术创新战略联盟协同发展网", "中关村国联产业协同创新发展促进中心"]

ALWAYS = "110"
"""Evaluated in every edition, so `alliances/110.html` exists in each (the bench weighs it)."""

SECTIONS = (
    ("01-preface.md", "前言", ()),
    ("02-methodology.md", "活跃度评价工作的组织", ()),
    ("03-overall.md", "联盟活跃度情况分析", (
        'kind="stacked", by="status", share_of=["evaluated", "in_scope"]',
        *(f'kind="bar", by="{by}", filter={{"group": "{g}"}}, share_of="{of}"'
          for g in "123" for by, of in (("status", "in_scope"), ("tier", "evaluated"))))),
    ("04-tiers.md", "各活跃度档次的联盟情况", tuple(
        f'kind="bar", by="group", filter={{"tier": "{t}", "pilot": true}}, share_of="evaluated"'
        for t in ("high", "higher", "medium", "inactive"))),
    ("05-indicators.md", "从各项指标来看试点联盟活跃度情况", ()),
    ("06-summary.md", "总结", ()),
    ("07-not-evaluated.md", "未参与活跃度评价的联盟情况", ()),
    ("08-recommendations.md", "对联盟主管和业务部门的政策建议", ()),
)
"""Content file, section title and the charts it places (the options of each `chart(...)`: the
report's figures as the shipped narrative declares them)."""

FIGURES = (
    '本次评价共有 {{ n.entered }} 家联盟录入了动态数据库信息，评价专家组对信息较为完整的 {{ n.evaluated }} 家联盟进行了评价。',
    '活跃度高的联盟共 {{ count(tier="high") }} 家，占参评联盟的 {{ share(count(tier="high"), n.evaluated) }}、占联盟总数的 {{ share(count(tier="high"), n.in_scope) }}。',
    '活跃度较高的联盟共 {{ count(tier="higher") }} 家，占参评联盟的 {{ share(count(tier="higher"), n.evaluated) }}。',
    '活跃度一般的联盟共 {{ count(tier="medium") }} 家，不活跃的联盟共 {{ count(tier="inactive") }} 家。',
    '{{ groups["1"].name }}共 {{ groups["1"].size }} 家，其中参评 {{ count(group="1") }} 家，活跃度高的 {{ count(tier="high", group="1") }} 家。',
    '{{ groups["2"].name }}参评 {{ count(group="2") }} 家，活跃度高和较高的共 {{ count(tier=["high", "higher"], group="2") }} 家。',
    '{{ groups["3"].name }}参评 {{ count(group="3") }} 家，占该批联盟总数的 {{ share(count(group="3"), groups["3"].size) }}。',
    '协发网网员联盟参评 {{ count(group="D") }} 家，其中活跃度高的有 {{ count(tier="high", group="D") }} 家。',
    '得分为 95 分以上的联盟有 {{ count(min_score=95) }} 家，占参评联盟的 {{ share(count(min_score=95), n.evaluated) }}。',
    '另有 {{ n.incomplete }} 家联盟因填报信息不完整未纳入评价，{{ n.not_entered }} 家联盟未录入信息。',
    '其中{{ alliance("110") }}连续多年保持较高的活跃度。',
    '本年度联盟自设项目 {{ activity.self_funded.count }} 项，投入经费 {{ activity.self_funded.amount }} 亿元；开展项目共 {{ activity_totals.projects }} 项。',
)
"""Sentences with the figures a report section quotes, as expressions over the model."""

NAMES_LINE = '活跃度高的协发网网员联盟有：{{ names(tier="high", group="D") | join("、") }}。'


def filler_sentences(folder: str) -> list[str]:
    """Plain sentences of the shipped narrative (`content/2020-2021/*.md`): no Jinja, no Markdown
    markup, so they are safe as text in any section."""
    try:
        texts = [open(os.path.join(folder, name), encoding="utf-8").read()
                 for name in sorted(os.listdir(folder)) if name.endswith(".md")]
    except OSError as exc:
        sys.exit(f"synth.py: cannot read the narrative in {folder}: {exc}")
    out = []
    for line in "\n".join(texts).splitlines():
        line = line.strip()
        if len(line) < 40 or "\t" in line or "..." in line:
            continue
        for sentence in re.findall(r"[^。]+。", line):
            sentence = sentence.strip()
            if 15 <= len(sentence) <= 160 and not re.search(r"[{}#<>|*_\[\]`$~\\]", sentence) \
                    and not re.match(r"^[\d（(]", sentence):
                out.append(sentence)
    if len(out) < 30:
        sys.exit(f"synth.py: the narrative in {folder} gave only {len(out)} usable sentences")
    return out


def alliance_names(count: int, rng: random.Random) -> list[str]:
    """`count` unique names `XX产业技术创新战略联盟`."""
    pool = [f"{q}{w}产业技术创新战略联盟" for q in QUALIFIERS for w in INDUSTRIES]
    if count > len(pool):
        sys.exit(f"synth.py: at most {len(pool)} alliances (asked for {count})")
    rng.shuffle(pool)
    return pool[:count]


def registry(count: int, rng: random.Random) -> list[dict]:
    """The registry: codes spread over the four groups (always including `110`), unique names."""
    sizes = {p: int(count * share) for p, share, _, _ in PREFIX_SHARES}
    sizes["3"] += count - sum(sizes.values())
    codes = []
    for prefix, size in sizes.items():
        if prefix == "D":
            if size > 900:
                sys.exit("synth.py: too many alliances for group D")
            codes += [f"D{100 + i}" for i in range(size)]
        else:
            if size > 99:
                sys.exit(f"synth.py: group {prefix} would need {size} codes; at most 99 (use fewer alliances)")
            codes += [f"{prefix}{i:02d}" for i in range(1, size + 1)]
    if ALWAYS not in codes:
        sys.exit(f"synth.py: too few alliances to include code {ALWAYS}")
    names = alliance_names(len(codes), rng)
    out = []
    for i, (code, name) in enumerate(zip(codes, names)):
        entry = {"code": code, "name": name}
        if i % 23 == 5:
            entry["aliases"] = [f"国家{name.removesuffix('产业技术创新战略联盟')}研发及产业联盟"]
        out.append(entry)
    return out


def edition_ids(count: int) -> list[str]:
    """Editions ending with 2024-2025, oldest first: two years apart while that stays within the
    years an edition id allows (from 1990), one year apart for longer archives."""
    last = 2024
    step = 2 if last - 2 * (count - 1) >= 1990 else 1
    return [f"{y}-{y + 1}" for y in range(last - step * (count - 1), last + 1, step)]


def tier_of(score: float) -> str:
    return next(t["key"] for t in TIERS if score >= t["min"])


def results(codes: list[str], quality: dict[str, float], rng: random.Random) -> tuple[list[dict], list[str]]:
    """One edition's evaluated list (published order) and incomplete list."""
    scored, tier_only, incomplete = [], [], []
    for code in codes:
        roll = rng.random()
        if code != ALWAYS and roll < 0.07:
            continue                                   # did not enter data this time
        if code != ALWAYS and roll < 0.15:
            incomplete.append(code)
            continue
        score = max(20, min(100, round(quality[code] + rng.gauss(0, 6))))
        if code == ALWAYS:
            score = max(score, 90)
        if tier_of(score) == "inactive" and rng.random() < 0.6:
            tier_only.append({"code": code, "tier": "inactive"})   # published without a score
        else:
            scored.append({"code": code, "score": score})
    scored.sort(key=lambda r: -r["score"])
    return scored + tier_only, incomplete


def experts(names: list[str], rng: random.Random) -> list[dict]:
    """An evaluation panel of about 30 people; some titles name a registry alliance."""
    roles = ["顾问"] * 2 + ["组长"] + ["副组长"] * 2 + ["成员"] * rng.randint(22, 28)
    out = []
    for role in roles:
        person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        titles = [rng.choice(["产业技术创新战略联盟协发网副秘书长", "联盟协发网自律机制建设部部长",
                              "科技部成果转化与区域创新司调研员", "联盟协发网网员联络部部长"])]
        if rng.random() < 0.6:
            titles.append(f"{rng.choice(names)}{rng.choice(['秘书长', '副秘书长', '理事长', '专家委员会主任'])}")
        out.append({"role": role, "name": person, "titles": titles})
    return out


def edition_yaml(eid: str, groups: list[dict], entered: int, rng: random.Random) -> dict:
    start = int(eid[:4])
    amounts = [rng.randint(400, 1500), rng.randint(100, 300), rng.randint(30, 120)]
    return {
        "title": f"{eid} 年度产业技术创新战略联盟活跃度评价报告（示例数据）",
        "period": {"start": datetime.date(start, 1, 1), "end": datetime.date(start + 1, 9, 30)},
        "published": f"{start + 2}-02",
        "publishers": PUBLISHERS,
        "demo": True,
        "tiers": TIERS,
        "groups": groups,
        "entered": entered,
        "activity": {
            "self_funded": {"count": rng.randint(400, 700), "amount": amounts[0]},
            "government": {"count": rng.randint(600, 900), "amount": amounts[1]},
            "commissioned": {"count": rng.randint(200, 450), "amount": amounts[2]},
            "ip_sharing": rng.randint(200, 400), "standards": rng.randint(400, 700),
            "platforms": rng.randint(250, 450), "exchanges": rng.randint(300, 500),
            "reports": rng.randint(150, 300),
        },
    }


def paragraph(sentences: list[str], rng: random.Random, figure: str | None) -> str:
    """A paragraph of 2-4 filler sentences, one sentence with figures mixed in."""
    picked = [rng.choice(sentences) for _ in range(rng.randint(2, 4))]
    if figure:
        picked.insert(rng.randint(0, len(picked)), figure)
    return "".join(picked)


def section(number: int, title: str, chart_ids: tuple[str, ...], sentences: list[str], rng: random.Random) -> str:
    """One content file: a heading, two or three subsections of a few paragraphs, its charts."""
    numeral = "一二三四五六七八九十"[number - 1]
    lines = [f"# {numeral}、{title}", ""]
    subsections = rng.randint(2, 3)
    charts = list(chart_ids)
    for k in range(1, subsections + 1):
        lines += [f"## {k}. {rng.choice(sentences)[:14].rstrip('，、；：')}", ""]
        for _ in range(rng.randint(2, 3)):
            lines += [paragraph(sentences, rng, rng.choice(FIGURES) if rng.random() < 0.7 else None), ""]
        share = len(charts) if k == subsections else (len(chart_ids) + subsections - 1) // subsections
        for chart_id in charts[:share]:
            lines += [f"{{{{ chart({chart_id}) }}}}", ""]
        charts = charts[share:]
    if number == 3:
        lines += [NAMES_LINE, ""]
    return "\n".join(lines)


def additive() -> list[dict]:
    """The indicators in the additive form: each with its points, each item `{name, max}`."""
    return [{"name": name, "max": points, "items": [{"name": item, "max": top} for item, top in items]}
            for name, points, items in DEMO_INDICATORS]


FINDINGS = """
## 从指标得分看

{{ tiers.medium.name }}的联盟在{{ weakest(tier="medium", n=3) | join("、") }}方面得分率最低，{{ tiers.high.name }}的联盟在{{ strongest(tier="high", n=3) | join("、") }}方面得分率最高；{{ zero_count("网站网页建设与更新") }} 家联盟的网站网页建设与更新得分为 0。

{{ chart(kind="indicators") }}
"""
"""What chapter 四 adds when the archive has indicator scores."""


def scores(evaluated: list[dict], rng: random.Random) -> dict:
    """`indicator-scores.yaml`: second-level scores adding up to each alliance's score, a line each."""
    ranks = {t["key"]: i for i, t in enumerate(TIERS)}
    return {"scores": {r["code"]: " / ".join(" ".join(f"{v:g}" for v in g)
                                             for g in item_scores(r["score"], ranks[tier_of(r["score"])], rng))
                       for r in evaluated if "score" in r}}


def dump(path: str, value, header: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        yaml.safe_dump(value, f, allow_unicode=True, sort_keys=False, width=1000)


def write_archive(out: str, editions: int, alliances: int, seed: int = 2024, seed_text: str = SEED_TEXT,
                  indicator_scores: str = "") -> list[str]:
    """Write the archive under `out/data` and `out/content`; the edition ids, oldest first (with
    `indicator_scores`, each edition's indicator scores too, published as it says: `aggregate` or
    `alliance`).

    The registry depends on `seed` and `alliances` only, and each edition on those and its id, so
    an edition is the same in every archive that holds it (2024-2025 of a 1-edition archive is
    2024-2025 of a 20-edition one): page weights compare like with like.
    """
    rng = random.Random(f"{seed}-{alliances}")
    sentences = filler_sentences(seed_text)
    for sub in ("data", "content"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    header = "# 示例数据: synthetic benchmark archive written by bench/synth.py; do not edit.\n"
    reg = registry(alliances, rng)
    dump(os.path.join(out, "data", "alliances.yaml"), reg, header)
    codes = [a["code"] for a in reg]
    names = [a["name"] for a in reg]
    base = {c: rng.uniform(45, 100) for c in codes}
    trend = {c: rng.gauss(0, 1.5) for c in codes}      # points gained per edition: some improve, some decline
    groups = []
    for prefix, _, name, pilot in PREFIX_SHARES:
        group = {"prefix": prefix, "name": name, "size": sum(1 for c in codes if c.startswith(prefix))}
        if not pilot:
            group["pilot"] = False
        groups.append(group)
    ids = edition_ids(editions)
    for eid in ids:
        erng = random.Random(f"{seed}-{alliances}-{eid}")
        age = (2024 - int(eid[:4])) // 2
        quality = {c: max(30.0, min(100.0, base[c] - age * trend[c])) for c in codes}
        evaluated, incomplete = results(codes, quality, erng)
        folder = os.path.join(out, "data", eid)
        edition = edition_yaml(eid, groups, len(evaluated) + len(incomplete), erng)
        if indicator_scores:
            edition["indicators_publish"] = indicator_scores
            dump(os.path.join(folder, "indicator-scores.yaml"),
                 scores(evaluated, random.Random(f"{seed}-{alliances}-{eid}-scores")), header)
        dump(os.path.join(folder, "edition.yaml"), edition, header)
        dump(os.path.join(folder, "results.yaml"), {"evaluated": evaluated, "incomplete": incomplete}, header)
        dump(os.path.join(folder, "experts.yaml"), experts(names, erng), header)
        dump(os.path.join(folder, "indicators.yaml"), additive() if indicator_scores else INDICATORS, header)
        for number, (file, title, chart_ids) in enumerate(SECTIONS, start=1):
            path = os.path.join(out, "content", eid, file)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(section(number, title, chart_ids, sentences, erng)
                        + (FINDINGS if indicator_scores and file == "05-indicators.md" else ""))
    return ids


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--editions", type=int, default=5, help="number of editions (default 5)")
    ap.add_argument("--alliances", type=int, default=300, help="alliances in the registry (default 300)")
    ap.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    ap.add_argument("--seed-text", default=SEED_TEXT, help="a narrative folder whose plain sentences fill the sections (default: content/2020-2021)")
    ap.add_argument("--out", required=True, help="folder to write data/ and content/ into")
    ap.add_argument("--indicator-scores", nargs="?", const="aggregate", default="", choices=("aggregate", "alliance"),
                    help="give every edition indicator scores and a 四 computed from them, published as averages "
                         "(aggregate, the default) or per alliance too (alliance)")
    args = ap.parse_args(argv)
    ids = write_archive(args.out, args.editions, args.alliances, args.seed, args.seed_text, args.indicator_scores)
    print(f"wrote {len(ids)} editions ({ids[0]} ... {ids[-1]}) x {args.alliances} alliances into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
