"""Hostile data: numbers, codes, edition ids and text as a tired or hostile person types them.

Each case changes the valid project of `conftest.py` (line numbers documented there) and asserts
the exact outcome: the slug at `data/FILE:LINE:COL` (or a folder), the words that say what was
typed and how to write it, that nothing raised, and that every printed line is one line with no
raw control character. A few cases also run `python build.py check` as a user does.

The YAML 1.1 number forms are the danger: PyYAML reads `070` as 56, `1:30` as 90, `0x5A` as 90 and
`1_00` as 100, so a score must be read from what was typed, or refused, never reinterpreted.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import EDITION_YAML, EXPERTS, REGISTRY, RESULTS, VALID, rendered
from hostile import failed_with, run
from test_check import Case, apply

from reportsite.model.chars import first_uncarried
from reportsite.model.records import UNCARRIED

R, E, A, X = RESULTS, EDITION_YAML, REGISTRY, EXPERTS
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What a printed problem line must never hold raw (a terminal would act on it)."""


NUMBER_FIELDS = {
    "score": (R, "score: 72}", "score: {}}}", "3:26"),
    "size": (E, "size: 52}", "size: {}}}", "11:40"),
    "entered": (E, "entered: 5\n", "entered: {}\n", "14:10"),
    "min": (E, "min: 70}", "min: {}}}", "7:37"),
}
"""A score, a count, the edition's total and a tier's band: where each is and how to retype it."""

NUMBER_FORMS = [
    ("octal", "070", "without the leading zero: 70"),
    ("leading-zero", "085", "without the leading zero: 85"),
    ("double-zero", "00", "without the leading zero: 0"),
    ("quoted-octal", '"070"', "without the leading zero: 70"),
    ("sexagesimal", "1:30", "base-60 number (90)"),
    ("hex", "0x5A", "base 16; write it in decimal digits: 90"),
    ("octal-prefix", "0o5", "base 8; write it in decimal digits: 5"),
    ("binary", "0b101", "base 2; write it in decimal digits: 5"),
    ("underscore", "1_00", "digits only: 100"),
    ("plus", "+85", "without: 85"),
    ("infinity", ".inf", "not a finite number"),
    ("minus-infinity", "-.inf", "not a finite number"),
    ("not-a-number", ".nan", "not a finite number"),
    ("exponent", "1e2", "plain digits: 100"),
    ("signed-exponent", "1e+2", "plain digits: 100"),
    ("trailing-point", "85.", "each side of the decimal point: 85"),
    ("leading-point", ".5", "each side of the decimal point: 0.5"),
    ("full-width", "８５", "the full-width digit ８ (U+FF18; in ASCII 8) at position 1; write numbers in ASCII digits: 85"),
    ("mixed-width", '"7２"', "the full-width digit ２ (U+FF12; in ASCII 2) at position 2"),
]
"""Every number form YAML 1.1 (or a keyboard) offers beside plain decimal, and the hint it gets."""

NUMBER_CASES = [
    Case(f"{field}-{form}", f"{file}:{where}", "number-form", ((file, old, new.format(value)),),
         says=(f'"{value.strip(chr(34))}"', says))
    for field, (file, old, new, where) in NUMBER_FIELDS.items()
    for form, value, says in NUMBER_FORMS
]
"""Each form in each kind of number: the message quotes what was typed and says how to write it."""

def misnamed(name: str) -> tuple:
    """Edits copying the edition into a folder named `name`, as a person saving a new edition would."""
    return (f"{name}/edition.yaml", VALID[E]), (f"{name}/results.yaml", VALID[R])


ACTIVITY = """\
activity:
  self_funded: {count: 585, amount: 1268}
  government: {count: 833, amount: 206}
  commissioned: {count: 386, amount: 71}
  ip_sharing: 316
  standards: 573
  platforms: 387
  exchanges: 435
  reports: 242
"""
"""To append to `edition.yaml`: its lines start at 20 (`ip_sharing` value at 24:15)."""

LONG = "长" * 300_000
"""A 300,000-character value (900 KB, within the 1 MB a data file may hold; a larger file is
refused unread, `file-too-large`): a problem must quote 60 characters of it, not all."""

CASES = NUMBER_CASES + [
    # The other numbers of the contract
    Case("max-octal", f"{E}:8:46", "number-form", ((E, "min: 50}", "min: 50, max: 069}"),), says="69"),
    Case("consecutive-octal", f"{E}:18:16", "number-form", ((E, "consecutive: 3", "consecutive: 03"),)),
    Case("version-hex", f"{E}:20:10", "number-form", ((E, VALID[E] + "version: 0x2\n"),), says="2"),
    Case("activity-count-octal", f"{E}:24:15", "number-form", ((E, VALID[E] + ACTIVITY.replace(
        "ip_sharing: 316", "ip_sharing: 0316")),), says="316"),
    Case("activity-count-sexagesimal", f"{E}:21:24", "number-form", ((E, VALID[E] + ACTIVITY.replace(
        "count: 585", "count: 9:45")),), says="(585)"),
    Case("activity-amount-underscore", f"{E}:21:37", "number-form", ((E, VALID[E] + ACTIVITY.replace(
        "amount: 1268", "amount: 1_268")),), says="1268"),
    # A number that must be whole stays so; a decimal count is the wrong type, not a form.
    Case("entered-decimal", f"{E}:14:10", "wrong-type", ((E, "entered: 5", "entered: 5.0"),),
         says="whole number"),
    # Codes: ASCII digits with an optional leading D
    Case("code-full-width-registry", f"{A}:3:9", "code-form", ((A, 'code: "110"', 'code: "1１０"'),),
         says='the full-width digit １ (U+FF11; in ASCII 1) at position 2; a code is ASCII digits with an optional '
              'leading D; did you mean "110"?'),
    Case("code-full-width-evaluated", f"{R}:3:12", "code-form", ((R, '"104"', '"1０4"'),),
         says="the full-width digit ０ (U+FF10; in ASCII 0) at position 2"),
    Case("code-full-width-d", f"{R}:5:21", "code-form", ((R, "D106]", "Ｄ106]"),),
         says='the full-width letter Ｄ (U+FF24; in ASCII D) at position 1; a code is ASCII digits with an '
              'optional leading D; did you mean "D106"?'),
    Case("code-cyrillic-o", f"{R}:5:14", "code-form", ((R, '"201"', '"2О1"'),),
         says="the Cyrillic letter О (U+041E, drawn like the Latin O) at position 2"),
    Case("code-full-width-a-level", f"{E}:19:11", "code-form", ((E, 'codes: ["110"]', 'codes: ["１10"]'),),
         says="position 1"),
    Case("code-zero-width-space", f"{R}:3:12", "code-form", ((R, '"104"', '"10\u200b4"'),),
         says="a zero-width space (U+200B, an invisible character) at position 3"),
    Case("code-arabic-indic", f"{R}:4:12", "code-form", ((R, '"233"', '"٢33"'),),
         says="the digit ٢ of another script (U+0662, meaning 2) at position 1"),
    Case("code-control", f"{R}:3:12", "control-character", ((R, '"104"', '"10\\x014"'),),
         says="U+0001"),
    # Edition ids: YYYY or YYYY-YYYY, years 1990-2100, the second after the first
    Case("edition-id-9999", "9999", "edition-id", misnamed("9999"), says="the year 9999 is outside 1990-2100"),
    Case("edition-id-1989", "1989-1990", "edition-id", misnamed("1989-1990"), says="year 1989"),
    Case("edition-id-2101", "2100-2101", "edition-id", misnamed("2100-2101"), says="year 2101"),
    Case("edition-id-full-width", "２０２０", "edition-id", misnamed("２０２０"),
         says="the full-width digit ２ (U+FF12; in ASCII 2) at position 1"),
    Case("edition-id-backwards", "2021-2020", "edition-id", misnamed("2021-2020"), says="second year"),
    Case("edition-id-same-year", "2020-2020", "edition-id", misnamed("2020-2020"), says="second year"),
    Case("edition-id-newline", "2020\\x0a", "edition-id", misnamed("2020\n"),
         says='"2020\\x0a" has a control character (U+000A) at position 5'),
    Case("edition-id-leading-space", " 2020", "edition-id", misnamed(" 2020"), says="a space (U+0020) at position 1"),
    Case("edition-id-escape-sequence", "2020\\x1b[2J", "edition-id", misnamed("2020\x1b[2J"),
         says='"2020\\x1b[2J" is not an edition id'),
    Case("edition-id-en-dash", "2020–2021", "edition-id", misnamed("2020–2021"), says="the en dash – (U+2013, not the ASCII hyphen -) at position 5"),
    Case("edition-id-file", "2022-2023", "edition-id", (("2022-2023", "not a folder\n"),), says="is a file"),
    Case("edition-period", f"{E}:2:9", "edition-period",
         ((E, "start: 2020-01-01", "start: 2019-01-01"),), says="must start in 2020 and end in 2021"),
    Case("edition-period-single-year", "2021/edition.yaml:2:9", "edition-period",
         (("2021/edition.yaml", VALID[E].split("a_level:")[0]), ("2021/results.yaml", VALID[R])),
         says="must start in 2021 and end in 2021"),
    # Control characters in text (a double-quoted escape puts them there)
    Case("control-in-name", f"{A}:2:9", "control-character",
         ((A, "name: 农业装备", 'name: "农业\\x01装备'), (A, "战略联盟\n- code: \"110\"", '战略联盟"\n- code: "110"')),
         says="(U+0001) at position 3"),
    Case("control-escape-in-alias", f"{A}:5:13", "control-character",
         ((A, "[国家半导体照明工程研发及产业联盟]", '["\\e[31m国家半导体照明工程研发及产业联盟"]'),),
         says="(U+001B) at position 1"),
    Case("control-bidi-override", f"{X}:1:20", "control-character", ((X, "name: 李新男", 'name: "李\\u202e新男"'),),
         says="a control character that reorders text on screen (U+202E) at position 2"),
    Case("control-bell-in-title", f"{X}:1:34", "control-character",
         ((X, "[产业技术创新战略联盟试点工作联络组秘书长]", '["秘书长\\a"]'),), says="(U+0007) at position 4"),
    Case("control-in-tier-name", f"{E}:7:25", "control-character", ((E, "name: 活跃度较高", 'name: "活跃度\\r较高"'),),
         says="U+000D"),
    Case("control-next-line-in-group", f"{E}:11:25", "control-character",
         ((E, "name: 第一批试点联盟", 'name: "第一批\\N试点联盟"'),), says="U+0085"),
    Case("control-line-separator-publisher", f"{E}:4:14", "control-character",
         ((E, "[中国产业", '["中国\\L产业'), (E, "协同发展网,", '协同发展网",')), says="U+2028"),
    Case("control-in-tier-key", f"{R}:4:25", "control-character", ((R, "tier: inactive", 'tier: "in\\eactive"'),),
         says="U+001B"),
    # What XML, JSON and a terminal cannot carry: noncharacters and lone surrogates (issue 22)
    Case("uncarried-noncharacter-in-name", f"{A}:2:9", "control-character",
         ((A, "name: 农业装备", 'name: "农业\\uFFFE装备'), (A, "战略联盟\n- code: \"110\"", '战略联盟"\n- code: "110"')),
         says=("U+FFFE at position 3", "pages, XML and JSON cannot carry it")),
    Case("uncarried-surrogate-in-expert", f"{X}:1:20", "control-character", ((X, "name: 李新男", 'name: "李\\ud800新男"'),),
         says=('"李\\ud800新男"', "U+D800 at position 2")),
    Case("uncarried-fdd0-in-tier", f"{E}:7:25", "control-character", ((E, "name: 活跃度较高", 'name: "活跃度\\uFDD0较高"'),),
         says="U+FDD0"),
    Case("uncarried-plane-16-in-title", f"{E}:1:8", "control-character",
         ((E, "title: 2020-2021 年度", 'title: "\\U0010FFFF 2020-2021 年度'), (E, "活跃度评价报告\n", '活跃度评价报告"\n')),
         says="U+10FFFF"),
    Case("uncarried-ffff-in-alias", f"{A}:5:13", "control-character",
         ((A, "[国家半导体照明工程研发及产业联盟]", '["国家半导体照明工程\\uFFFF研发及产业联盟"]'),), says="U+FFFF"),
    # A correction dated before its edition was published (issue 22); the check reads no clock
    Case("correction-before-publication", f"{E}:22:12", "correction-date",
         ((E, VALID[E] + "version: 2\ncorrections:\n  - {date: 1990-01-01, text: 更正附件 3}\n"),),
         says=("1990-01-01", "2022-02-01")),
    Case("correction-a-day-early", f"{E}:22:12", "correction-date",
         ((E, VALID[E] + "version: 2\ncorrections:\n  - {date: 2022-01-31, text: 更正附件 3}\n"),),
         says="2022-01-31"),
    # Names that look the same are the same name (issue 22): twins by confusable skeleton, and the
    # characters an alliance's name never needs, named
    Case("registry-zero-width-twin", f"{A}:5:13", "duplicate-name",
         ((A, "[国家半导体照明工程研发及产业联盟]", '["农业装备产业技术创新战略联盟\\u200b"]'),),
         says=("looks the same as", "on line 2", "an invisible character (U+200B"), alone=False),
    Case("registry-zero-width-character", f"{A}:5:13", "name-character",
         ((A, "[国家半导体照明工程研发及产业联盟]", '["农业装备产业技术创新战略联盟\\u200b"]'),),
         says="an invisible character (U+200B", alone=False),
    Case("registry-cyrillic-letter", f"{A}:7:9", "name-character",
         ((A, "name: 激光加工产业", "name: 激光加工А产业"),),
         says=('the Cyrillic letter "А" (U+0410, drawn like the Latin A) at position 5',)),
    Case("registry-greek-letter", f"{A}:9:9", "name-character",
         ((A, "name: 住宅科技产业", "name: 住宅科技Ο产业"),), says='the Greek letter "Ο" (U+039F, drawn like the Latin O)',
         alone=False),
    Case("registry-full-width-twin", f"{A}:11:9", "duplicate-name",
         ((A, "name: 住宅科技产业", "name: CSA住宅科技产业"), (A, "name: 第三代半导体产业技术创新战略联盟",
                                                        "name: ＣＳＡ住宅科技产业技术创新战略联盟")),
         says=("looks the same as", "on line 9", '"Ｃ" (U+FF23)'), alone=False),
    # Long values and escape sequences are quoted short and escaped
    Case("long-tier-key", f"{R}:4:25", "unknown-tier", ((R, "tier: inactive", f"tier: {LONG}"),),
         says="长" * 59 + "…"),
    Case("long-score", f"{R}:3:26", "wrong-type", ((R, "score: 72}", f"score: {LONG}}}"),),
         says="长" * 59 + "…"),
    # YAML allows a plain key of up to 1024 characters.
    Case("long-unknown-key", f"{R}:3:30", "unknown-key", ((R, "score: 72}", f"score: 72, {LONG[:1000]}: 1}}"),),
         says="长" * 59 + "…"),
    Case("score-5000-digits", f"{R}:3:26", "wrong-type", ((R, "score: 72}", f"score: {'9' * 5000}}}"),),
         says=("'" + "9" * 59 + "…'", "too many digits")),
    Case("quoted-score-5000-digits", f"{R}:3:26", "number-form", ((R, "score: 72}", f'score: "{"9" * 5000}"}}'),),
         says="more than 15 digits"),
    Case("score-long-hex", f"{R}:3:26", "number-form", ((R, "score: 72}", f"score: 0x{'F' * 5000}}}"),),
         says="is not a plain decimal number"),
    # Composing YAML recurses: nesting thousands deep must be a located error, not a crash.
    Case("nested-5000-deep", f"{R}:5:42", "yaml-syntax", ((R, '["201", D106]', "[" * 5000 + "]" * 5000),),
         says="nested more than 30 deep"),
    Case("escape-in-score", f"{R}:3:26", "wrong-type", ((R, "score: 72}", 'score: "\\e[2J\\e[H"}'),),
         says="'\\x1b[2J\\x1b[H'"),
    Case("escape-in-unknown-key", f"{R}:3:30", "unknown-key", ((R, "score: 72}", 'score: 72, "\\e]0;x\\a": 1}'),),
         says='"\\x1b]0;x\\x07"'),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_data_is_reported_where_it_is(project, case):
    apply(project, case.edits)
    archive, problems = project.check()
    english = [p.render(lang="en") for p in problems]
    lines = [line for line in english if line.startswith(case.prefix())]
    assert len(lines) == 1, "\n".join(english)
    assert case.said(lines[0]), lines[0]
    assert archive is None
    if case.alone:
        assert english == lines
    for line in english + rendered(problems):
        assert not RAW_CONTROL.search(line), repr(line)
        assert len(line) < 400, line[:400]


@pytest.mark.parametrize("field, value, read", [
    ("score", '"85"', 85), ("score", "85.50", 85.5), ("score", "0.5", 0.5), ("score", "'72'", 72),
    ("score", "-0", 0), ("entered", '"5"', 5),
], ids=["quoted-score", "trailing-zero", "below-one", "single-quoted", "minus-zero", "quoted-count"])
def test_plain_decimal_is_read_as_typed_quoted_or_not(project, field, value, read):
    file, old, new, _ = NUMBER_FIELDS[field]
    project.replace(file, old, new.format(value))
    archive, problems = project.check()
    assert [p for p in problems if p.severity == "error"] == [], rendered(problems)
    edition = archive.edition("2020-2021")
    got = edition.entered if field == "entered" else edition.evaluated[1].score
    assert got == read and type(got) is type(read)


def test_an_alias_bomb_is_read_once_per_alias(project):
    # Ten levels of ten aliases each would be 10^10 values if every alias were expanded.
    lines = ['- &l0 {name: 联盟, items: ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]}']
    lines += [f"- &l{i} {{name: 联盟{i}, items: [{', '.join([f'*l{i - 1}'] * 10)}]}}" for i in range(1, 10)]
    project.write("2020-2021/indicators.yaml", "\n".join(lines) + "\n")
    _, problems = project.check()
    # Each alias is an item written as a mapping: read once, its keys reported once.
    assert {(p.slug, p.loc.path) for p in problems} == {("unknown-key", "data/2020-2021/indicators.yaml"),
                                                         ("missing-key", "data/2020-2021/indicators.yaml")}
    assert len(problems) == 180


@pytest.mark.parametrize("day", ["2022-02-01", "2999-12-31"], ids=["first-day", "far-future"])
def test_a_correction_from_publication_on_passes_the_check_which_reads_no_clock(project, day):
    project.write(EDITION_YAML, VALID[EDITION_YAML] + f"version: 2\ncorrections:\n  - {{date: {day}, text: 更正}}\n")
    archive, problems = project.check()
    assert archive is not None and [p.slug for p in problems if p.severity == "error"] == []


def test_hidden_folders_and_other_files_under_data_are_left_alone(project):
    (project.data / ".git").mkdir()
    project.write("README.md", "# 数据\n")
    archive, problems = project.check(strict=True)
    assert problems == [] and archive is not None


def test_a_full_width_registry_code_is_reported_once(project):
    # The registry's 110 is refused for its character; the edition naming 110 gets no second finding.
    project.replace(REGISTRY, 'code: "110"', 'code: "1１０"')
    _, problems = project.check()
    assert [p.slug for p in problems] == ["code-form"], rendered(problems)


def test_every_mistake_is_reported_in_one_run(project):
    project.replace(RESULTS, "score: 72}", "score: 070}")
    project.replace(RESULTS, '"233"', '"2３3"')
    project.replace(EDITION_YAML, "size: 52}", "size: 0x34}")
    (project.data / "9999").mkdir()
    _, problems = project.check()
    assert sorted((str(p.loc), p.slug) for p in problems if p.severity == "error") == [
        ("data/2020-2021/edition.yaml:11:40", "number-form"),
        ("data/2020-2021/results.yaml:3:26", "number-form"),
        ("data/2020-2021/results.yaml:4:12", "code-form"),
        ("data/9999", "edition-id"),
    ]


# The command line prints the same lines, one each, in Chinese by default, and exits 1.


@pytest.mark.parametrize("edit, slug, where", [
    ((RESULTS, "score: 72}", "score: 070}"), "number-form", "data/2020-2021/results.yaml:3:26"),
    ((RESULTS, '"104"', '"1０4"'), "code-form", "data/2020-2021/results.yaml:3:12"),
    ((REGISTRY, "name: 农业装备", 'name: "\\e[31m农业装备'), "control-character", "data/alliances.yaml:2:9"),
    ((REGISTRY, "name: 农业装备", 'name: "\\uFFFE农业装备'), "control-character", "data/alliances.yaml:2:9"),
    ((REGISTRY, "name: 农业装备", 'name: "\\ud800农业装备'), "control-character", "data/alliances.yaml:2:9"),
], ids=["octal-score", "full-width-code", "escape-in-name", "noncharacter-in-name", "surrogate-in-name"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_the_command_line_prints_one_located_line(project, edit, slug, where, command):
    if edit[0] == REGISTRY:
        project.replace(REGISTRY, "战略联盟\n- code: \"110\"", '战略联盟"\n- code: "110"')
    project.replace(*edit)
    result = run(command, *(["--no-pdf", "--jobs", "1"] if command == "build" else []), cwd=project.root)
    line = failed_with(result, slug, where)
    assert not any(RAW_CONTROL.search(out) for out in (result.stdout + result.stderr).splitlines())
    assert "\\x1b" in line or "\\u" in line or slug != "control-character"
    assert not (project.root / "site").exists()


def test_the_command_line_escapes_a_folder_name(project):
    (project.data / "2020\x1b]0;pwned\x07").mkdir()
    result = run("check", cwd=project.root)
    failed_with(result, "edition-id", "data/2020\\x1b]0;pwned\\x07")
    assert "\x1b" not in result.stdout + result.stderr


def test_the_quick_search_for_uncarried_characters_finds_what_the_class_finds():
    """`first_uncarried` (every value a page prints) finds the first character `UNCARRIED` finds,
    astral noncharacters among astral characters that are fine (emoji, CJK extension B)."""
    pool = ["a", "中", "\n", "\t", "\x01", "\x85", "\ud800", "\ufdd0", "\ufffe", "😀", "𠮷", "\U0001fffe",
            "\U0010ffff", "\U0010fffd", "\U000efffe", "\U0001fffd", "\U00020000"]
    chooser = random.Random(20261207)
    for _ in range(5000):
        text = "".join(chooser.choice(pool) for _ in range(chooser.randint(0, 12)))
        want, got = UNCARRIED.search(text), first_uncarried(text)
        assert (want and (want.start(), want.group())) == (got and (got.start(), got.group())), repr(text)
