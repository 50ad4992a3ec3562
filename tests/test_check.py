"""The data checks: one broken input per mistake, each pinned to its slug, file, line and column.

Every case starts from the valid project in `conftest.py`, changes one thing (a file's text, bytes
or presence), runs `check_archive` in process and looks for the one line the command line would print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from conftest import (EARLIER_EDITION, EDITION, EDITION_YAML, EXPERTS, REGISTRY, RESULTS, ROOT,
                      VALID, rendered)
from reportsite.check import check_archive


@dataclass(frozen=True)
class Case:
    """One broken input and the problem it must produce."""

    id: str
    edits: tuple
    """Each `(file, old, new)` replaces text once; `(file, content)` writes a file (None deletes it).
    Files are named relative to `data/`."""
    where: str
    """`data/FILE:LINE:COL`, or `data/FILE` for a problem about the whole file."""
    slug: str
    severity: str = "error"
    says: str = ""
    """Text the message must contain (a suggestion, a count)."""
    alone: bool = True
    """The only problem reported. False where the mistake has follow-on findings: legitimate
    ones, or the cascades that `test_no_follow_on_findings` pins as checker bugs."""


def apply(project, edits) -> None:
    """Make a case's edits to the valid project."""
    for edit in edits:
        if len(edit) == 3:
            project.replace(*edit)
        else:
            project.write(*edit)


def new_alliance(code: str, name: str = "茶产业技术创新战略联盟") -> tuple:
    """An edit appending an alliance to the registry: its code at line 12, column 9."""
    return (REGISTRY, VALID[REGISTRY] + f"- code: {code}\n  name: {name}\n")


def earlier(edition_id: str, results: str) -> tuple:
    """Edits adding an earlier edition (same bands and groups, no A-level list) with these results."""
    return (f"{edition_id}/edition.yaml", EARLIER_EDITION), (f"{edition_id}/results.yaml", results)


R, E, A, X = RESULTS, EDITION_YAML, REGISTRY, EXPERTS
GBK = "名称".encode("gbk")
TOP_104 = VALID[R].replace("score: 72}", "score: 90}")
"""Results in which "104" is in the top tier too."""
ACK = '\nacknowledged:\n  - {slug: count-shortfall, subject: "6", reason: 原报告称 6 家；按原报告保留。}\n'

CASES = [
    # YAML itself
    Case("yaml-unclosed-bracket", ((R, "score: 72}", "score: [72}"),), "data/2020-2021/results.yaml:3:29",
         "yaml-syntax", alone=False),
    # At the end of the file PyYAML notices the problem past the last line; the opening quote is the place.
    Case("yaml-unclosed-quote", ((R, "D106]", '"D106]'),), "data/2020-2021/results.yaml:5:21",
         "yaml-syntax", alone=False),
    Case("yaml-bad-indentation", ((R, '  - {code: "104"', '   - {code: "104"'),),
         "data/2020-2021/results.yaml:3:4", "yaml-syntax", alone=False),
    Case("yaml-tab-indentation", ((R, '  - {code: "104"', '\t- {code: "104"'),),
         "data/2020-2021/results.yaml:3:1", "yaml-syntax", alone=False),
    Case("yaml-stray-colon", ((A, "  name: 激光加工产业", "  name: 激光加工: 产业"),), "data/alliances.yaml:7:13",
         "yaml-syntax", alone=False),
    Case("yaml-second-document", ((R, VALID[R] + "---\nevaluated: []\n"),), "data/2020-2021/results.yaml:6:1",
         "yaml-syntax", alone=False),
    Case("yaml-control-character", ((R, "score: 72}", "score: 7\x072}"),), "data/2020-2021/results.yaml:3:27",
         "yaml-syntax", alone=False),
    # Files
    Case("file-missing-edition", ((E, None),), "data/2020-2021/edition.yaml", "file-missing", alone=False),
    Case("file-missing-results", ((R, None),), "data/2020-2021/results.yaml", "file-missing", alone=False),
    Case("file-missing-registry", ((A, None),), "data/alliances.yaml", "file-missing", alone=False),
    Case("file-encoding-gbk", ((R, VALID[R].encode().replace(b"D106]", b"D106]  # " + GBK)),),
         "data/2020-2021/results.yaml:5:30", "file-encoding", says="0xc3", alone=False),
    # The column counts characters, as YAML's do, not the bytes of the UTF-8 text before it.
    Case("file-encoding-gbk-after-chinese", ((A, VALID[A].encode().replace(
        "激光加工产业".encode(), "激光加工".encode() + "产业".encode("gbk"))),),
         "data/alliances.yaml:7:13", "file-encoding", alone=False),
    Case("file-encoding-utf16", ((R, VALID[R].encode("utf-16")),), "data/2020-2021/results.yaml:1:1",
         "file-encoding", says="0xff", alone=False),
    Case("file-empty", ((R, ""),), "data/2020-2021/results.yaml", "file-empty", alone=False),
    Case("file-empty-whitespace", ((R, "  \n\n\t\n"),), "data/2020-2021/results.yaml", "file-empty",
         alone=False),
    Case("file-empty-comment-only", ((A, "# to be filled in\n"),), "data/alliances.yaml", "file-empty",
         alone=False),
    # Keys
    Case("unknown-key-registry", ((A, "  aliases:", "  alias:"),), "data/alliances.yaml:5:3", "unknown-key",
         says='"alias"'),
    Case("unknown-key-results", ((R, "score: 72}", "score: 72, note: 补报}"),),
         "data/2020-2021/results.yaml:3:30", "unknown-key"),
    Case("unknown-key-edition", ((E, "entered: 5\n", "entered: 5\nsubtitle: 评价报告\n"),),
         "data/2020-2021/edition.yaml:15:1", "unknown-key"),
    Case("duplicate-key-results", ((R, "score: 72}", "score: 72, score: 73}"),),
         "data/2020-2021/results.yaml:3:30", "duplicate-key", says="first at line 3"),
    Case("duplicate-key-edition", ((E, "entered: 5\n", "entered: 5\nentered: 6\n"),),
         "data/2020-2021/edition.yaml:15:1", "duplicate-key", says="first at line 14"),
    Case("duplicate-key-tier", ((E, "{key: higher,", "{key: high,"),), "data/2020-2021/edition.yaml:7:5",
         "duplicate-key", says='"high"'),
    Case("missing-key-registry-name", ((A, "  name: 激光加工产业技术创新战略联盟\n", ""),),
         "data/alliances.yaml:6:3", "missing-key", says='"name"', alone=False),
    Case("missing-key-score-and-tier", ((R, "score: 72}", "}"),), "data/2020-2021/results.yaml:3:5",
         "missing-key", says="score or a tier", alone=False),
    Case("missing-key-entered", ((E, "entered: 5\n", ""),), "data/2020-2021/edition.yaml:1:1", "missing-key",
         says='"entered"', alone=False),
    # Types
    Case("wrong-type-size-fifty", ((E, "size: 52}", "size: fifty}"),), "data/2020-2021/edition.yaml:11:40",
         "wrong-type", says="'fifty'", alone=False),
    Case("wrong-type-score-high", ((R, "score: 72}", 'score: "high"}'),), "data/2020-2021/results.yaml:3:26",
         "wrong-type", says="'high'", alone=False),
    Case("wrong-type-entered-decimal", ((E, "entered: 5", "entered: 10.5"),),
         "data/2020-2021/edition.yaml:14:10", "wrong-type", says="whole number", alone=False),
    Case("wrong-type-period-list", ((E, "{start: 2020-01-01, end: 2021-09-30}", "[2020-01-01, 2021-09-30]"),),
         "data/2020-2021/edition.yaml:2:9", "wrong-type", says="not a list", alone=False),
    Case("wrong-type-result-list", ((R, '{code: "104", score: 72}', '["104", 72]'),),
         "data/2020-2021/results.yaml:3:5", "wrong-type", says="mapping", alone=False),
    Case("wrong-type-published", ((E, "published: 2022-02", "published: 2022-13"),),
         "data/2020-2021/edition.yaml:3:12", "wrong-type", says="YYYY-MM", alone=False),
    Case("wrong-type-pilot", ((E, "pilot: false", "pilot: 否"),), "data/2020-2021/edition.yaml:13:51",
         "wrong-type", says="true or false"),
    Case("wrong-type-titles", ((X, "titles: [产业技术创新战略联盟试点工作联络组秘书长]", "titles: 秘书长"),),
         "data/2020-2021/experts.yaml:1:33", "wrong-type", says="a list"),
    # Codes in the registry, checked on the raw text
    Case("code-shape-letter-o", (new_alliance("11O"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "110"?'),
    Case("code-shape-octal", (new_alliance("0110"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "110"?'),
    Case("code-shape-four-digits", (new_alliance("1100"),), "data/alliances.yaml:12:9", "code-shape",
         says='"1100" is not three digits'),
    Case("code-shape-letter-e", (new_alliance("E101"),), "data/alliances.yaml:12:9", "code-shape"),
    Case("code-shape-float", (new_alliance("110.0"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "110"?'),
    Case("code-shape-exponent", (new_alliance("1e2"),), "data/alliances.yaml:12:9", "code-shape"),
    Case("code-shape-lowercase-d", (new_alliance("d101"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "D101"?'),
    Case("code-shape-hex", (new_alliance("0x6E"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "110"?'),
    Case("code-shape-underscore", (new_alliance("1_10"),), "data/alliances.yaml:12:9", "code-shape",
         says='did you mean "110"?'),
    Case("duplicate-code", (new_alliance('"104"'),), "data/alliances.yaml:12:9", "duplicate-code",
         says="first at line 1"),
    Case("duplicate-code-unquoted", (new_alliance("104"),), "data/alliances.yaml:12:9", "duplicate-code"),
    Case("duplicate-name", (new_alliance('"127"', "农业装备产业技术创新战略联盟"),), "data/alliances.yaml:13:9",
         "duplicate-name", says="first at line 2"),
    # The alias itself is the place, not the start of the list that holds it.
    Case("duplicate-name-alias", ((A, VALID[A] + '- code: "105"\n  name: TD 产业技术创新战略联盟\n  aliases:\n'
                                   "    - TD-SCDMA 产业技术创新战略联盟\n    - 农业装备产业技术创新战略联盟\n"),),
         "data/alliances.yaml:16:7", "duplicate-name", says="first at line 2"),
    # Codes of the edition against the registry
    Case("unknown-code-evaluated", ((R, '"233"', '"234"'),), "data/2020-2021/results.yaml:4:12", "unknown-code",
         says="data/alliances.yaml"),
    Case("unknown-code-near-miss", ((R, '"104"', '"1O4"'),), "data/2020-2021/results.yaml:3:12", "unknown-code",
         says='did you mean "104"?'),
    Case("unknown-code-incomplete", ((R, "D106]", "D107]"),), "data/2020-2021/results.yaml:5:21",
         "unknown-code"),
    Case("unknown-code-a-level", ((E, 'codes: ["110"]', 'codes: ["110", "109"]'),),
         "data/2020-2021/edition.yaml:19:18", "unknown-code"),
    Case("duplicate-entry-evaluated", ((R, '{code: "233", tier: inactive}', '{code: "104", tier: inactive}'),),
         "data/2020-2021/results.yaml:4:12", "duplicate-entry", says="first at line 3"),
    Case("duplicate-entry-incomplete", ((R, '["201", D106]', '["104", D106]'),),
         "data/2020-2021/results.yaml:5:14", "duplicate-entry", says="first at line 3"),
    Case("code-prefix", (new_alliance('"410"'), (R, "D106]", 'D106, "410"]'), (E, "entered: 5", "entered: 6")),
         "data/2020-2021/results.yaml:5:27", "code-prefix", says='"4"'),
    Case("group-size", ((E, "第一批试点联盟, size: 52", "第一批试点联盟, size: 1"),),
         "data/2020-2021/edition.yaml:11:5", "group-size", says="names 2"),
    # Scores and tiers
    Case("score-range-above", ((R, "score: 72}", "score: 101}"),), "data/2020-2021/results.yaml:3:26",
         "score-range", alone=False),
    Case("score-range-negative", ((R, "score: 72}", "score: -1}"),), "data/2020-2021/results.yaml:3:26",
         "score-range", alone=False),
    Case("score-tier", ((R, "score: 72}", "score: 72, tier: medium}"),), "data/2020-2021/results.yaml:3:36",
         "score-tier", says="higher", alone=False),
    Case("score-tier-high-at-90", ((R, "score: 72}", "score: 90, tier: medium}"),),
         "data/2020-2021/results.yaml:3:36", "score-tier", says="scores 90, which is tier high", alone=False),
    Case("unknown-tier", ((R, "tier: inactive", "tier: dormant"),), "data/2020-2021/results.yaml:4:25",
         "unknown-tier", says='"dormant"', alone=False),
    Case("tier-bands-overlap", ((E, "min: 70}", "min: 90}"),), "data/2020-2021/edition.yaml:7:5", "tier-bands",
         says="overlaps"),
    Case("tier-bands-lowest-gap", ((E, "min: 0}", "min: 10}"),), "data/2020-2021/edition.yaml:9:5",
         "tier-bands", says="starts at 10"),
    Case("tier-bands-max-gap", ((E, "min: 50}", "min: 50, max: 60}"),), "data/2020-2021/edition.yaml:8:5",
         "tier-bands", says="gap"),
    Case("tier-bands-top-below-100", ((E, "min: 85}", "min: 85, max: 99}"),),
         "data/2020-2021/edition.yaml:6:5", "tier-bands", says="up to 100"),
    # A-level
    Case("a-level-tier", ((R, "score: 100}", "score: 60}"),), "data/2020-2021/edition.yaml:19:11",
         "a-level-tier", says="tier medium"),
    Case("a-level-history", earlier("2019-2020", VALID[R].replace("score: 100", "score: 80")),
         "data/2020-2021/edition.yaml:19:11", "a-level-history", says="edition 2019-2020"),
    # Where to add the missing code: the published list.
    Case("a-level-unlisted", ((R, "score: 72}", "score: 90}"), *earlier("2018-2019", TOP_104),
                              *earlier("2019-2020", TOP_104)),
         "data/2020-2021/edition.yaml:19:10", "a-level-unlisted", severity="warning", says='"104"'),
    # Counts
    Case("count-exceeds", ((E, "entered: 5", "entered: 4"),), "data/2020-2021/edition.yaml:14:10",
         "count-exceeds", says="= 5"),
    Case("count-shortfall", ((E, "entered: 5", "entered: 6"),), "data/2020-2021/edition.yaml:14:10",
         "count-shortfall", severity="warning", says="1 short"),
    Case("count-shortfall-acknowledged", ((E, "entered: 5", "entered: 6"), (E, '["110"]\n', '["110"]' + ACK)),
         "data/2020-2021/edition.yaml:14:10", "count-shortfall", severity="note"),
    Case("unused-acknowledgement", ((E, '["110"]\n', '["110"]' + ACK),), "data/2020-2021/edition.yaml:21:5",
         "unused-acknowledgement", severity="warning", says='"6"'),
    # Experts
    Case("unknown-alliance", ((X, "住宅科技产业", "住宅产业"),), "data/2020-2021/experts.yaml:2:50",
         "unknown-alliance", severity="warning", says='did you mean "住宅科技产业技术创新战略联盟"?'),
    # Folders
    Case("edition-id-short-year", (("2020-21/edition.yaml", VALID[E]), ("2020-21/results.yaml", VALID[R])),
         "data/2020-21", "edition-id"),
    Case("edition-id-latest", (("latest/edition.yaml", VALID[E]),), "data/latest", "edition-id"),
    Case("no-edition", ((EDITION, None),), "data", "no-edition"),
]


def find(problems, case: Case) -> list[str]:
    """The printed lines that start as the case expects."""
    prefix = f"{case.where}: {case.severity} [{case.slug}] "
    return [line for line in rendered(problems) if line.startswith(prefix)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_broken_input_is_reported_where_it_is(project, case):
    apply(project, case.edits)
    archive, problems = project.check()
    lines = find(problems, case)
    assert len(lines) == 1, "\n".join(rendered(problems))
    assert case.says in lines[0]
    assert (archive is None) == (case.severity == "error")
    if case.alone:
        assert rendered(problems) == lines


@pytest.mark.parametrize("case", [c for c in CASES if c.severity == "warning"], ids=lambda c: c.id)
def test_strict_turns_a_warning_into_an_error(project, case):
    apply(project, case.edits)
    archive, problems = project.check(strict=True)
    assert archive is None
    assert len(find(problems, replace(case, severity="error"))) == 1


def test_the_valid_project_has_no_problems(project):
    archive, problems = project.check(strict=True)
    assert problems == []
    assert [e.id for e in archive.editions] == ["2020-2021"]
    assert [a.code for a in archive.alliances] == ["104", "110", "201", "233", "D106"]


def test_the_shipped_data_passes_strict_with_two_acknowledged():
    archive, problems = check_archive(str(ROOT / "data"), strict=True)
    assert archive is not None
    assert sorted(p.slug for p in problems) == ["count-shortfall", "unknown-alliance"]
    assert {p.severity for p in problems} == {"note"}
    edition = archive.edition("2020-2021")
    assert (len(edition.evaluated), len(edition.incomplete), len(edition.a_level.codes)) == (86, 20, 24)


@pytest.mark.parametrize("file", [REGISTRY, RESULTS, EDITION_YAML])
def test_a_utf8_bom_is_fine(project, file):
    project.write(file, b"\xef\xbb\xbf" + VALID[file].encode())
    archive, problems = project.check(strict=True)
    assert problems == [] and archive is not None


def test_an_earlier_edition_where_the_code_was_top_passes(project):
    project.add_edition("2019-2020", VALID[RESULTS])
    archive, problems = project.check(strict=True)
    assert problems == []
    assert [e.id for e in archive.editions] == ["2019-2020", "2020-2021"]


def test_every_mistake_is_reported_in_one_run_sorted_by_file_then_line(project):
    project.replace(REGISTRY, "  name: 激光加工产业技术创新战略联盟", "  name: 农业装备产业技术创新战略联盟")
    project.replace(REGISTRY, "  aliases:", "  alias:")
    project.replace(RESULTS, '"233"', '"234"')
    archive, problems = project.check()
    assert archive is None
    assert [(p.loc.path, p.loc.line, p.loc.col, p.slug) for p in problems] == [
        ("data/2020-2021/results.yaml", 4, 12, "unknown-code"),
        ("data/alliances.yaml", 5, 3, "unknown-key"),
        ("data/alliances.yaml", 7, 9, "duplicate-name"),
    ]


# --- Checker behaviour beyond one slug at one place -------------------------------------------


@pytest.mark.parametrize("tagged", ['!!bool "x"', '!!int ""', '!!float ""', '!!timestamp "x"'],
                         ids=["bool", "empty-int", "empty-float", "timestamp"])
def test_an_explicit_tag_that_cannot_be_read_is_a_problem_not_a_crash(project, tagged):
    project.replace(RESULTS, "score: 72}", f"score: {tagged}}}")
    archive, problems = project.check()
    assert archive is None
    assert any(str(p.loc) == "data/2020-2021/results.yaml:3:26" for p in problems), rendered(problems)


@pytest.mark.parametrize("file, old, new, where", [
    (EDITION_YAML, "end: 2021-09-30", "end: 2021-09-31", "data/2020-2021/edition.yaml:2:34"),
    (RESULTS, "score: 72}", "score: !!int x}", "data/2020-2021/results.yaml:3:26"),
    (EDITION_YAML, "tiers:\n  - {key: high, name: 活跃度高, min: 85}\n  - {key: higher, name: 活跃度较高, min: 70}\n"
     "  - {key: medium, name: 活跃度一般, min: 50}\n  - {key: inactive, name: 不活跃, min: 0}\n",
     "tiers:\n", "data/2020-2021/edition.yaml:5:7"),
], ids=["impossible-date", "int-tag-on-text", "empty-tiers"])
def test_one_mistake_is_reported_once(project, file, old, new, where):
    project.replace(file, old, new)
    _, problems = project.check()
    assert [str(p.loc) for p in problems].count(where) == 1, rendered(problems)


@pytest.mark.parametrize("file, old, new", [
    (RESULTS, '  - {code: "104"', '\t- {code: "104"'),
    (RESULTS, "score: 72}", "score: 7\x072}"),
    (RESULTS, "score: 72}", "score: !local 72}"),
], ids=["tab", "control-character", "unknown-tag"])
def test_each_problem_is_one_line(project, file, old, new):
    project.replace(file, old, new)
    _, problems = project.check()
    assert problems
    assert all("\n" not in p.message for p in problems), rendered(problems)


@pytest.mark.parametrize("file, old, new, absent", [
    # An edition that cannot be read is still a folder that was found.
    (RESULTS, None, None, "no-edition"),
    (EDITION_YAML, "entered: 5\n", "", "no-edition"),
    # An unreadable registry says nothing about whether the edition's codes are in it.
    (REGISTRY, None, "", "unknown-code"),
    # A result with a bad score or tier is still listed: not "not evaluated", not missing from the count.
    (RESULTS, "score: 100}", "score: 100, tier: medium}", "a-level-tier"),
    (RESULTS, "score: 72}", "score: 101}", "count-shortfall"),
    # A group whose size is mistyped is still a group: its codes have a prefix.
    (EDITION_YAML, "size: 52}", "size: fifty}", "code-prefix"),
], ids=["missing-results", "edition-lacks-entered", "empty-registry", "score-tier", "score-range",
        "group-size-type"])
def test_no_follow_on_findings(project, file, old, new, absent):
    if old is None:
        project.write(file, new)
    else:
        project.replace(file, old, new)
    _, problems = project.check()
    assert absent not in {p.slug for p in problems}, "\n".join(rendered(problems))


def test_an_a_level_code_listed_twice_is_an_error(project):
    project.replace(EDITION_YAML, 'codes: ["110"]', 'codes: ["110", "110"]')
    archive, problems = project.check()
    assert archive is None
    assert "data/2020-2021/edition.yaml:19:18" in [str(p.loc) for p in problems if p.severity == "error"]
