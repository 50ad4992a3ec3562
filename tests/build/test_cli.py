"""`python build.py check` as a person runs it: printed lines, summary, exit status, relative paths."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import ACKNOWLEDGE_SHORTFALL, EDITION_YAML, REGISTRY, RESULTS, VALID, run_build

SHIPPED_SUMMARY = ("0 errors, 0 warnings, 2 acknowledged (2 of them in frozen or transcribed editions, not listed; "
                   "--verbose lists them) — 2020-2021: 86 evaluated (35/22/18/11), 20 incomplete, 24 A-level")
SHIPPED_SUMMARY_ZH = ("0 个错误，0 个警告，2 个已确认（其中 2 个属于已冻结或照录印刷本的版次，未列出；加 --verbose 列出） — "
                      "2020-2021：参评 86 家（35/22/18/11），数据不完整 20 家，A 级 24 家")


def assert_no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr


@pytest.mark.parametrize("lang, summary", [("en", SHIPPED_SUMMARY), ("zh", SHIPPED_SUMMARY_ZH)])
def test_the_shipped_data_passes_strict(lang, summary):
    run = run_build("check", "--strict", "--lang", lang)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stdout
    # The notes of the transcribed edition are counted, not listed: nobody is working on it.
    assert run.stdout.splitlines() == [summary]
    listed = run_build("check", "--strict", "--lang", lang, "--verbose").stdout.splitlines()
    # The acknowledgements match in either language: the lines keep their shape and tokens.
    assert [line.split("] ")[0] for line in listed[:-1]] == [
        "data/2020-2021/edition.yaml:16:10: note [count-shortfall",
        "data/2020-2021/experts.yaml:14:34: note [unknown-alliance",
    ]
    assert listed[-1] == re.sub(r" ?[（(][^（(]*--verbose[^)）]*[)）]", "", summary)


def test_chinese_is_the_default():
    run = run_build("check", "--verbose")
    assert run.stdout.splitlines()[-1].startswith("0 个错误，0 个警告，2 个已确认 — 2020-2021：参评 86 家")
    assert "data/2020-2021/edition.yaml:16:10: note [count-shortfall] 录入信息的联盟数为 107，" in run.stdout


@pytest.mark.parametrize("file, old, new, line", [
    (REGISTRY, VALID[REGISTRY], VALID[REGISTRY] + "- code: d101\n  name: 茶产业技术创新战略联盟\n",
     'data/alliances.yaml:12:9: error [code-shape] alliance code "d101" is not three digits or D and '
     'three digits; did you mean "D101"?'),
    (RESULTS, '"104"', '"1O4"',
     'data/2020-2021/results.yaml:3:12: error [unknown-code] alliance code "1O4" is not in '
     'data/alliances.yaml; did you mean "104"?'),
    (EDITION_YAML, "entered: 5", "entered: 4",
     "data/2020-2021/edition.yaml:14:10: error [count-exceeds] entered is 4 but 3 evaluated + "
     "2 incomplete = 5 alliances are listed"),
], ids=["code-shape", "unknown-code", "count-exceeds"])
def test_an_error_prints_one_line_and_exits_1(project, file, old, new, line):
    project.replace(file, old, new)
    run = project.run("--data", "data", "--lang", "en")
    assert_no_traceback(run)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [line, "1 errors, 0 warnings, 0 acknowledged"]


def test_a_problem_line_in_chinese_keeps_its_shape(project):
    project.replace(EDITION_YAML, "entered: 5", "entered: 4")
    run = project.run("--data", "data")
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "data/2020-2021/edition.yaml:14:10: error [count-exceeds] 录入信息的联盟数为 4，而列出的联盟有 参评 3 + "
        "数据不完整 2 = 5 家",
        "1 个错误，0 个警告，0 个已确认"]


def test_a_yaml_error_exits_1_without_a_traceback(project):
    project.replace(RESULTS, '  - {code: "104"', '\t- {code: "104"')
    run = project.run("--data", "data")
    assert_no_traceback(run)
    assert run.returncode == 1
    assert "data/2020-2021/results.yaml:3:1: error [yaml-syntax] " in run.stdout


def test_a_warning_exits_0_and_strict_makes_it_an_error(project):
    project.replace(EDITION_YAML, "entered: 5", "entered: 6")
    run = project.run("--data", "data", "--lang", "en")
    assert run.returncode == 0
    assert run.stdout.splitlines() == [
        "data/2020-2021/edition.yaml:14:10: warning [count-shortfall] entered is 6 but 3 evaluated + "
        "2 incomplete = 5, 1 short",
        "0 errors, 1 warnings, 0 acknowledged — 2020-2021: 3 evaluated (1/1/0/1), 2 incomplete, 1 A-level",
    ]
    strict = project.run("--data", "data", "--strict", "--lang", "en")
    assert strict.returncode == 1
    assert strict.stdout.startswith("data/2020-2021/edition.yaml:14:10: error [count-shortfall] ")
    assert strict.stdout.splitlines()[-1] == "1 errors, 0 warnings, 0 acknowledged"


def test_an_acknowledged_warning_is_a_note_even_when_strict(project):
    project.replace(EDITION_YAML, "entered: 5", "entered: 6")
    project.write(EDITION_YAML, project.text(EDITION_YAML) + ACKNOWLEDGE_SHORTFALL)
    for lang, summary in [("en", "0 errors, 0 warnings, 1 acknowledged — 2020-2021: "),
                          ("zh", "0 个错误，0 个警告，1 个已确认 — 2020-2021：")]:
        run = project.run("--data", "data", "--strict", "--lang", lang)
        assert run.returncode == 0
        assert run.stdout.startswith("data/2020-2021/edition.yaml:14:10: note [count-shortfall] ")
        assert run.stdout.splitlines()[-1].startswith(summary)


def test_paths_are_printed_relative_to_the_working_directory(project):
    project.replace(RESULTS, "score: 72}", "score: 72, tier: medium}")
    (project.root / "elsewhere").mkdir()
    for cwd, data, shown in [(project.root, str(project.data), "data"),
                             (project.root / "elsewhere", "../data", "../data"),
                             (project.root / "elsewhere", str(project.data), "../data")]:
        run = project.run("--data", data, cwd=cwd)
        assert run.returncode == 1
        assert f"{shown}/2020-2021/results.yaml:3:36: error [score-tier] " in run.stdout, run.stdout


# --- The command line's own words ------------------------------------------------------------

COMMANDS = ("check", "build", "serve", "freeze", "correct", "package", "new", "template", "import")
ARGPARSE_ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|invalid choice|"
                              r"unrecognized arguments|arguments are required|expected one argument|"
                              r"not allowed with|ignored explicit|ambiguous option|choose from")
NAMES = {"N", "YYYY", "MM", "DD", "zh", "en", "zip", "PDF", "CSV", "HTML", "UTF", "GBK", "sha256", "rw",
         "http", "https", "SOURCE_DATE_EPOCH", "data", "content", "site", "frozen", "templates", "dist", *COMMANDS}
"""What a Chinese help may hold in Latin letters: placeholders, languages, formats and the names
of commands and folders a person types."""


def english_words(text: str) -> set[str]:
    """The words in Latin letters of a help text, once options, paths and file names are left out."""
    text = re.sub(r"rw-r--r--|(?<![\w/])--?[A-Za-z][A-Za-z-]*|\{zh,en\}|[\w.-]*[./][\w./:-]*", " ", text)
    return set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", text)) - NAMES


@pytest.mark.parametrize("command", ("", *COMMANDS))
def test_help_is_chinese_by_default_and_english_anywhere_asked(command):
    args = [command] if command else []
    chinese = run_build(*args, "--help")
    assert chinese.returncode == 0 and chinese.stderr == ""
    assert chinese.stdout.startswith("用法：build.py") and "显示此帮助信息并退出" in chinese.stdout
    assert not ARGPARSE_ENGLISH.search(chinese.stdout), chinese.stdout
    assert english_words(chinese.stdout) == set(), chinese.stdout
    for where in ([*args, "--help", "--lang", "en"], ["--lang", "en", *args, "--help"]):
        english = run_build(*where)
        assert english.stdout.startswith("usage: build.py") and "show this help message and exit" in english.stdout
        assert not re.search(r"[\u4e00-\u9fff]", english.stdout.split("\n\n")[0]), english.stdout


@pytest.mark.parametrize("args, said", [
    (["buidl"], "error [usage] 命令行有误：参数 命令：无效的选择：'buidl'（可选：'check', 'build', 'serve', 'freeze', "
                "'correct', 'package', 'new', 'template', 'import'）（见 python build.py --help）"),
    (["import"], "error [usage] 命令行有误：缺少以下参数：版次, 文件（见 python build.py import --help）"),
    (["check", "--lang", "fr"], "error [usage] 命令行有误：参数 --lang：无效的选择：'fr'（可选：'zh', 'en'）"
                                "（见 python build.py check --help）"),
    (["check", "--strict=1"], "error [usage] 命令行有误：参数 --strict：这个选项不带值，而写了 '1'"
                              "（见 python build.py check --help）"),
    (["build", "--pdf", "--no-pdf"], "error [usage] 命令行有误：参数 --no-pdf：不能与参数 --pdf 同时使用"
                                     "（见 python build.py build --help）"),
    (["check", "extra"], "error [usage] 命令行有误：无法识别的参数：extra（见 python build.py --help）"),
    (["package", "--zip"], "error [usage] 命令行有误：参数 --zip：后面须跟一个值（见 python build.py package --help）"),
], ids=["command", "required", "choice", "value", "exclusive", "unrecognized", "expected"])
def test_argparse_s_own_phrases_are_chinese(args, said):
    result = run_build(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == said
