"""The data checks: one broken input per mistake, each pinned to its slug, file, line and column.

Every case starts from the valid project in `conftest.py`, changes it (a file's text, bytes or
presence), runs `check_archive` in process and looks for the line the command line would print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from conftest import (
    ACKNOWLEDGE_SHORTFALL,
    EARLIER_EDITION,
    EDITION,
    EDITION_YAML,
    EXPERTS,
    REGISTRY,
    RESULTS,
    ROOT,
    VALID,
    rendered,
)

from reportsite.read.check import check_archive


@dataclass(frozen=True)
class Case:
    """One broken input and the problem it must produce."""

    id: str
    where: str
    """`FILE:LINE:COL` under `data/`, or `FILE` for a problem about a whole file or folder."""
    slug: str
    edits: tuple
    """Each `(file, old, new)` replaces text once; `(file, content)` writes a file (None deletes it).
    Files are named relative to `data/`."""
    severity: str = "error"
    says: str | tuple[str, ...] = ""
    """Text the message must contain (a suggestion, a count), or each of several."""
    alone: bool = True
    """The only problem reported. False where the mistake has follow-on findings: legitimate
    ones, or the cascades that `test_no_follow_on_findings` pins as checker bugs."""

    def said(self, line: str) -> bool:
        """The printed line contains what the message must say."""
        return all(words in line for words in ((self.says,) if isinstance(self.says, str) else self.says))

    def prefix(self, severity: str | None = None) -> str:
        """How the printed line must start."""
        where = f"data/{self.where}" if self.where else "data"
        return f"{where}: {severity or self.severity} [{self.slug}] "


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


def edition_of(edition_id: str) -> str:
    """An earlier edition's `edition.yaml` (same bands and groups, no A-level list), its period
    moved to the years its id names."""
    first, last = edition_id.split("-")
    return EARLIER_EDITION.replace("start: 2020-", f"start: {first}-").replace("end: 2021-", f"end: {last}-")


def earlier(edition_id: str, results: str) -> tuple:
    """Edits adding an earlier edition (same bands and groups, no A-level list) with these results."""
    return (f"{edition_id}/edition.yaml", edition_of(edition_id)), (f"{edition_id}/results.yaml", results)


R, E, A, X = RESULTS, EDITION_YAML, REGISTRY, EXPERTS
ACKNOWLEDGED = (E, VALID[E] + ACKNOWLEDGE_SHORTFALL)
TOP_104 = VALID[R].replace("score: 72}", "score: 90}")
"""Results in which "104" is in the top tier too."""
TD = ('- code: "105"\n  name: TD 产业技术创新战略联盟\n  aliases:\n'
      "    - TD-SCDMA 产业技术创新战略联盟\n    - 农业装备产业技术创新战略联盟\n")
"""An alliance whose second alias (line 16, column 7 once appended) is another alliance's name."""

CASES = [
    # YAML itself
    Case("yaml-unclosed-bracket", f"{R}:3:29", "yaml-syntax", ((R, "score: 72}", "score: [72}"),),
         alone=False),
    # PyYAML notices this one past the last line; the opening quote is the place to show.
    Case("yaml-unclosed-quote", f"{R}:5:21", "yaml-syntax", ((R, "D106]", '"D106]'),), alone=False),
    Case("yaml-bad-indentation", f"{R}:3:4", "yaml-syntax", ((R, '  - {code: "104"', '   - {code: "104"'),),
         alone=False),
    Case("yaml-tab-indentation", f"{R}:3:1", "yaml-syntax", ((R, '  - {code: "104"', '\t- {code: "104"'),),
         alone=False),
    Case("yaml-stray-colon", f"{A}:7:13", "yaml-syntax", ((A, "  name: 激光加工产业", "  name: 激光加工: 产业"),),
         alone=False),
    Case("yaml-second-document", f"{R}:6:1", "yaml-syntax", ((R, VALID[R] + "---\nevaluated: []\n"),),
         alone=False),
    Case("yaml-control-character", f"{R}:3:27", "yaml-syntax", ((R, "score: 72}", "score: 7\x072}"),),
         alone=False),
    Case("yaml-unknown-tag", f"{R}:3:26", "yaml-syntax", ((R, "score: 72}", "score: !local 72}"),)),
    Case("yaml-alias-inside-itself", f"{R}:5:17", "yaml-syntax", ((R, "incomplete: [", "incomplete: &s [*s, "),)),
    # Files
    Case("file-missing-edition", E, "file-missing", ((E, None),), alone=False),
    Case("file-missing-results", R, "file-missing", ((R, None),), alone=False),
    Case("file-missing-registry", A, "file-missing", ((A, None),), alone=False),
    Case("file-unreadable", R, "file-unreadable", ((R, None), (f"{R}/notes.txt", "")), says="directory",
         alone=False),
    Case("file-encoding-gbk", f"{R}:5:30", "file-encoding",
         ((R, VALID[R].encode().replace(b"D106]", b"D106]  # " + "名称".encode("gbk"))),),
         says="0xc3", alone=False),
    # The column counts characters, as YAML's columns do, not the UTF-8 bytes before the bad one.
    Case("file-encoding-gbk-after-chinese", f"{A}:7:13", "file-encoding",
         ((A, VALID[A].encode().replace("激光加工产业".encode(), "激光加工".encode() + "产业".encode("gbk"))),),
         says="0xb2", alone=False),
    Case("file-encoding-utf16", f"{R}:1:1", "file-encoding", ((R, VALID[R].encode("utf-16")),), says="0xff",
         alone=False),
    # After a UTF-8 byte-order mark, the bad byte and its place are still those of the file.
    Case("file-encoding-after-bom", f"{R}:5:30", "file-encoding",
         ((R, b"\xef\xbb\xbf" + VALID[R].encode().replace(b"D106]", b"D106]  # " + "名称".encode("gbk"))),),
         says="0xc3", alone=False),
    Case("file-empty", R, "file-empty", ((R, ""),), alone=False),
    Case("file-empty-whitespace", R, "file-empty", ((R, "  \n\n\t\n"),), alone=False),
    Case("file-empty-comment-only", A, "file-empty", ((A, "# to be filled in\n"),), alone=False),
    Case("file-empty-document-start", R, "file-empty", ((R, "---\n"),)),
    # Keys
    Case("unknown-key-registry", f"{A}:5:3", "unknown-key", ((A, "  aliases:", "  alias:"),), says='"alias"'),
    Case("unknown-key-results", f"{R}:3:30", "unknown-key", ((R, "score: 72}", "score: 72, note: 补报}"),)),
    Case("unknown-key-edition", f"{E}:15:1", "unknown-key", ((E, "entered: 5\n", "entered: 5\nsubtitle: 报告\n"),)),
    Case("duplicate-key-results", f"{R}:3:30", "duplicate-key", ((R, "score: 72}", "score: 72, score: 73}"),),
         says="first at line 3"),
    Case("duplicate-key-edition", f"{E}:15:1", "duplicate-key", ((E, "entered: 5\n", "entered: 5\nentered: 6\n"),),
         says="first at line 14"),
    Case("duplicate-key-tier", f"{E}:7:5", "duplicate-key", ((E, "{key: higher,", "{key: high,"),), says='"high"'),
    Case("missing-key-registry-name", f"{A}:6:3", "missing-key", ((A, "  name: 激光加工产业技术创新战略联盟\n", ""),),
         says='"name"', alone=False),
    Case("missing-key-score-and-tier", f"{R}:3:5", "missing-key", ((R, "score: 72}", "}"),),
         says="score or a tier", alone=False),
    Case("missing-key-entered", f"{E}:1:1", "missing-key", ((E, "entered: 5\n", ""),), says='"entered"',
         alone=False),
    # Types
    Case("wrong-type-size-fifty", f"{E}:11:40", "wrong-type", ((E, "size: 52}", "size: fifty}"),),
         says="'fifty'", alone=False),
    Case("wrong-type-score-high", f"{R}:3:26", "wrong-type", ((R, "score: 72}", 'score: "high"}'),),
         says="'high'", alone=False),
    Case("wrong-type-entered-decimal", f"{E}:14:10", "wrong-type", ((E, "entered: 5", "entered: 10.5"),),
         says="whole number", alone=False),
    Case("wrong-type-period-list", f"{E}:2:9", "wrong-type",
         ((E, "{start: 2020-01-01, end: 2021-09-30}", "[2020-01-01, 2021-09-30]"),), says="not a list",
         alone=False),
    Case("wrong-type-result-list", f"{R}:3:5", "wrong-type", ((R, '{code: "104", score: 72}', '["104", 72]'),),
         says="a mapping", alone=False),
    Case("wrong-type-published", f"{E}:3:12", "wrong-type", ((E, "published: 2022-02", "published: 2022-13"),),
         says="YYYY-MM", alone=False),
    Case("wrong-type-pilot", f"{E}:13:51", "wrong-type", ((E, "pilot: false", "pilot: 否"),),
         says="true or false"),
    Case("wrong-type-titles", f"{X}:1:33", "wrong-type",
         ((X, "titles: [产业技术创新战略联盟试点工作联络组秘书长]", "titles: 秘书长"),), says="a list"),
    Case("wrong-type-impossible-date", f"{E}:2:34", "wrong-type", ((E, "end: 2021-09-30", "end: 2021-09-31"),),
         says="day is out of range"),
    Case("wrong-type-tag-on-text", f"{R}:3:26", "wrong-type", ((R, "score: 72}", "score: !!int x}"),),
         says="not a whole number"),
    Case("wrong-type-empty-code", f"{R}:3:12", "wrong-type", ((R, '{code: "104"', '{code: ""'),)),
    # Registry codes, checked on the raw text of the scalar
    Case("code-shape-letter-o", f"{A}:12:9", "code-shape", (new_alliance("11O"),), says='did you mean "110"?'),
    Case("code-shape-octal", f"{A}:12:9", "code-shape", (new_alliance("0110"),), says='did you mean "110"?'),
    Case("code-shape-four-digits", f"{A}:12:9", "code-shape", (new_alliance("1100"),), says='"1100" is not'),
    Case("code-shape-letter-e", f"{A}:12:9", "code-shape", (new_alliance("E101"),), says='"E101" is not'),
    Case("code-shape-float", f"{A}:12:9", "code-shape", (new_alliance("110.0"),), says='did you mean "110"?'),
    Case("code-shape-exponent", f"{A}:12:9", "code-shape", (new_alliance("1e2"),), says='"1e2" is not'),
    Case("code-shape-lowercase-d", f"{A}:12:9", "code-shape", (new_alliance("d101"),),
         says='did you mean "D101"?'),
    Case("code-shape-hex", f"{A}:12:9", "code-shape", (new_alliance("0x6E"),), says='did you mean "110"?'),
    Case("code-shape-underscore", f"{A}:12:9", "code-shape", (new_alliance("1_10"),), says='did you mean "110"?'),
    Case("duplicate-code", f"{A}:12:9", "duplicate-code", (new_alliance('"104"'),), says="first at line 1"),
    Case("duplicate-code-unquoted", f"{A}:12:9", "duplicate-code", (new_alliance("104"),)),
    Case("duplicate-name", f"{A}:13:9", "duplicate-name", (new_alliance('"127"', "农业装备产业技术创新战略联盟"),),
         says="first at line 2"),
    # The alias itself is the place, not the start of the list that holds it.
    Case("duplicate-name-alias", f"{A}:16:7", "duplicate-name", ((A, VALID[A] + TD),), says="first at line 2"),
    # The edition's codes against the registry and each other
    Case("unknown-code-evaluated", f"{R}:4:12", "unknown-code", ((R, '"233"', '"234"'),),
         says="is not in data/alliances.yaml"),
    Case("unknown-code-near-miss", f"{R}:3:12", "unknown-code", ((R, '"104"', '"1O4"'),),
         says='did you mean "104"?'),
    Case("unknown-code-incomplete", f"{R}:5:21", "unknown-code", ((R, "D106]", "D107]"),)),
    Case("unknown-code-a-level", f"{E}:19:18", "unknown-code", ((E, 'codes: ["110"]', 'codes: ["110", "109"]'),)),
    Case("duplicate-entry-evaluated", f"{R}:4:12", "duplicate-entry",
         ((R, '{code: "233", tier: inactive}', '{code: "104", tier: inactive}'),), says="first at line 3"),
    Case("duplicate-entry-incomplete", f"{R}:5:14", "duplicate-entry", ((R, '["201", D106]', '["104", D106]'),),
         says="first at line 3"),
    # An alias repeating an entry is located where the alias is written.
    Case("duplicate-entry-alias", f"{R}:4:5", "duplicate-entry",
         ((R, '{code: "104", score: 72}', '&x {code: "104", score: 72}\n  - *x'), (E, "entered: 5", "entered: 6")),
         says="first at line 3"),
    Case("duplicate-entry-a-level", f"{E}:19:18", "duplicate-entry", ((E, 'codes: ["110"]', 'codes: ["110", "110"]'),),
         says="A-level list"),
    Case("code-prefix", f"{R}:5:27", "code-prefix",
         (new_alliance('"410"'), (R, "D106]", 'D106, "410"]'), (E, "entered: 5", "entered: 6")), says='"4"'),
    Case("group-size", f"{E}:11:5", "group-size", ((E, "第一批试点联盟, size: 52", "第一批试点联盟, size: 1"),),
         says="names 2"),
    # Scores and tiers
    Case("score-range-above", f"{R}:3:26", "score-range", ((R, "score: 72}", "score: 101}"),), alone=False),
    Case("score-range-negative", f"{R}:3:26", "score-range", ((R, "score: 72}", "score: -1}"),), alone=False),
    Case("score-tier", f"{R}:3:36", "score-tier", ((R, "score: 72}", "score: 72, tier: medium}"),),
         says="tier higher", alone=False),
    Case("score-tier-90-medium", f"{R}:3:36", "score-tier", ((R, "score: 72}", "score: 90, tier: medium}"),),
         says="scores 90, which is tier high", alone=False),
    Case("unknown-tier", f"{R}:4:25", "unknown-tier", ((R, "tier: inactive", "tier: dormant"),),
         says='"dormant"', alone=False),
    Case("tier-bands-overlap", f"{E}:7:5", "tier-bands", ((E, "min: 70}", "min: 90}"),), says="overlaps"),
    Case("tier-bands-lowest-gap", f"{E}:9:5", "tier-bands", ((E, "min: 0}", "min: 10}"),), says="starts at 10"),
    # Only the band itself: not "the lowest tier medium starts at 50", not "inactive" unknown.
    Case("tier-bands-negative-min", f"{E}:9:5", "tier-bands", ((E, "min: 0}", "min: -5}"),), says="within 0-100"),
    Case("tier-bands-max-gap", f"{E}:8:5", "tier-bands", ((E, "min: 50}", "min: 50, max: 60}"),),
         says="leaving a gap"),
    Case("tier-bands-top-below-100", f"{E}:6:5", "tier-bands", ((E, "min: 85}", "min: 85, max: 99}"),),
         says="up to 100"),
    # A-level
    Case("a-level-tier", f"{E}:19:11", "a-level-tier", ((R, "score: 100}", "score: 60}"),), says="tier medium"),
    Case("a-level-history", f"{E}:19:11", "a-level-history",
         earlier("2019-2020", VALID[R].replace("score: 100", "score: 80")), says="edition 2019-2020"),
    # The place to add the missing code: the published list.
    Case("a-level-unlisted", f"{E}:19:10", "a-level-unlisted",
         ((R, TOP_104), *earlier("2018-2019", TOP_104), *earlier("2019-2020", TOP_104)),
         severity="warning", says='"104"'),
    # Counts and acknowledgements
    Case("count-exceeds", f"{E}:14:10", "count-exceeds", ((E, "entered: 5", "entered: 4"),), says="= 5"),
    Case("count-shortfall", f"{E}:14:10", "count-shortfall", ((E, "entered: 5", "entered: 6"),),
         severity="warning", says="1 short"),
    Case("count-shortfall-acknowledged", f"{E}:14:10", "count-shortfall",
         (ACKNOWLEDGED, (E, "entered: 5", "entered: 6")), severity="note"),
    Case("unused-acknowledgement", f"{E}:21:5", "unused-acknowledgement", (ACKNOWLEDGED,), severity="warning",
         says='"6"'),
    # Experts
    Case("unknown-alliance", f"{X}:2:50", "unknown-alliance", ((X, "住宅科技产业", "住宅产业"),),
         severity="warning", says='did you mean "住宅科技产业技术创新战略联盟"?'),
    # Folders
    Case("edition-id-short-year", "2020-21", "edition-id",
         (("2020-21/edition.yaml", VALID[E]), ("2020-21/results.yaml", VALID[R]))),
    Case("edition-id-latest", "latest", "edition-id", (("latest/edition.yaml", VALID[E]),)),
    Case("no-edition", "", "no-edition", ((EDITION, None),)),
]


def printed(problems, prefix: str) -> list[str]:
    """The printed lines that start with `prefix`."""
    return [line for line in rendered(problems) if line.startswith(prefix)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_broken_input_is_reported_where_it_is(project, case):
    apply(project, case.edits)
    archive, problems = project.check()
    lines = printed(problems, case.prefix())
    assert len(lines) == 1, "\n".join(rendered(problems))
    assert case.said(lines[0]), lines[0]
    assert (archive is None) == (case.severity == "error")
    if case.alone:
        assert rendered(problems) == lines
    # In Chinese (the default) the line keeps its location, severity and slug; only the words differ.
    chinese = [line for line in rendered(problems, "zh") if line.startswith(case.prefix())]
    assert len(chinese) == 1 and chinese[0] != lines[0], chinese


@pytest.mark.parametrize("case", [c for c in CASES if c.severity == "warning"], ids=lambda c: c.id)
def test_strict_turns_a_warning_into_an_error(project, case):
    apply(project, case.edits)
    archive, problems = project.check(strict=True)
    assert archive is None
    assert len(printed(problems, case.prefix("error"))) == 1, "\n".join(rendered(problems))


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


def test_an_earlier_edition_with_the_a_level_code_on_top_passes(project):
    project.add_edition("2019-2020", VALID[RESULTS], edition_of("2019-2020"))
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


# Checker behaviour beyond one slug at one place: crashes, repeats and follow-on findings.


@pytest.mark.parametrize("tagged", ['!!bool "x"', '!!int ""', '!!float ""', '!!timestamp "x"'],
                         ids=["bool", "empty-int", "empty-float", "timestamp"])
def test_an_explicit_tag_that_cannot_be_read_is_a_problem_not_a_crash(project, tagged):
    project.replace(RESULTS, "score: 72}", f"score: {tagged}}}")
    archive, problems = project.check()
    assert archive is None
    assert "data/2020-2021/results.yaml:3:26" in [str(p.loc) for p in problems], rendered(problems)


@pytest.mark.parametrize("edit, where", [
    ((EDITION_YAML, "end: 2021-09-30", "end: 2021-09-31"), "data/2020-2021/edition.yaml:2:34"),
    ((RESULTS, "score: 72}", "score: !!int x}"), "data/2020-2021/results.yaml:3:26"),
    ((EDITION_YAML, re.sub(r"(?<=tiers:\n)(  - .*\n)+", "", VALID[EDITION_YAML])),
     "data/2020-2021/edition.yaml:5:7"),
], ids=["impossible-date", "int-tag-on-text", "empty-tiers"])
def test_one_mistake_is_reported_once(project, edit, where):
    apply(project, (edit,))
    _, problems = project.check()
    assert [str(p.loc) for p in problems].count(where) == 1, rendered(problems)


@pytest.mark.parametrize("old, new", [
    ('  - {code: "104"', '\t- {code: "104"'),
    ("score: 72}", "score: 7\x072}"),
    ("score: 72}", "score: !local 72}"),
], ids=["tab", "control-character", "unknown-tag"])
def test_each_problem_is_one_line(project, old, new):
    project.replace(RESULTS, old, new)
    _, problems = project.check()
    assert problems
    assert all("\n" not in line for lang in ("zh", "en") for line in rendered(problems, lang)), rendered(problems)


@pytest.mark.parametrize("edit, absent", [
    # An edition that cannot be read is still a folder that was found.
    ((RESULTS, None), "no-edition"),
    ((EDITION_YAML, "entered: 5\n", ""), "no-edition"),
    # An unreadable registry says nothing about whether the edition's codes are in it.
    ((REGISTRY, ""), "unknown-code"),
    # A result with a bad score or tier is still listed: not "not evaluated", not missing from the count.
    ((RESULTS, "score: 100}", "score: 100, tier: medium}"), "a-level-tier"),
    ((RESULTS, "score: 72}", "score: 101}"), "count-shortfall"),
    # A group whose size is mistyped is still a group: its codes have a prefix.
    ((EDITION_YAML, "size: 52}", "size: fifty}"), "code-prefix"),
    # A registry entry dropped for its own mistake still names its code; one that cannot be read
    # at all (a mapping, not a list) says nothing about any code.
    ((REGISTRY, "- code: D106", "- code: d106"), "unknown-code"),
    ((REGISTRY, "  name: 第三代半导体产业技术创新战略联盟\n", ""), "unknown-code"),
    ((REGISTRY, "foo: bar\n"), "unknown-code"),
    # A tier that is itself wrong: the results that use it are not "unknown".
    ((EDITION_YAML, "min: 0}", "min: -5}"), "unknown-tier"),
    # An entry whose code cannot be read may be the missing one.
    ((RESULTS, '{code: "104", score: 72}', '{code: [104], score: 72}'), "count-shortfall"),
], ids=["missing-results", "edition-lacks-entered", "empty-registry", "score-tier", "score-range",
        "group-size-type", "registry-code-shape", "registry-lacks-name", "registry-mapping", "negative-min",
        "unreadable-code"])
def test_no_follow_on_findings(project, edit, absent):
    apply(project, (edit,))
    _, problems = project.check()
    assert absent not in {p.slug for p in problems}, "\n".join(rendered(problems))


def test_an_a_level_code_listed_twice_is_an_error(project):
    project.replace(EDITION_YAML, 'codes: ["110"]', 'codes: ["110", "110"]')
    archive, problems = project.check()
    assert archive is None
    assert "data/2020-2021/edition.yaml:19:18" in [str(p.loc) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("results", [VALID[RESULTS].replace("score: 100}", "score: 100, tier: medium}"),
                                     None], ids=["score-tier", "missing-results"])
def test_an_earlier_edition_with_mistakes_is_left_out_of_the_a_level_history(project, results):
    # With two consecutive editions, 2019-2020 is the one to compare with, never 2018-2019.
    project.replace(EDITION_YAML, "consecutive: 3", "consecutive: 2")
    project.add_edition("2018-2019", VALID[RESULTS].replace("score: 100", "score: 80"),
                        edition_of("2018-2019"))
    project.add_edition("2019-2020", VALID[RESULTS], edition_of("2019-2020"))
    project.write("2019-2020/results.yaml", results)
    _, problems = project.check()
    assert "a-level-history" not in {p.slug for p in problems}, "\n".join(rendered(problems))


def test_an_acknowledgement_subject_matches_a_whole_word(project):
    project.replace(EDITION_YAML, "entered: 5", "entered: 15")
    project.write(EDITION_YAML, project.text(EDITION_YAML) + ACKNOWLEDGE_SHORTFALL.replace('"6"', '"1"'))
    _, problems = project.check()
    # "1" is in "15" and "10 short", but not as a word of its own.
    assert sorted((p.slug, p.severity) for p in problems) == [
        ("count-shortfall", "warning"), ("unused-acknowledgement", "warning")], "\n".join(rendered(problems))


def test_an_unknown_alliance_is_not_matched_on_the_shared_suffix_alone(project):
    project.replace(EXPERTS, "住宅科技产业", "茶叶产业")
    _, problems = project.check()
    assert [str(p.message) for p in problems] == ['"茶叶产业技术创新战略联盟" is not in the registry']
    assert [p.message.text("zh") for p in problems] == ["“茶叶产业技术创新战略联盟”不在联盟名录中"]
