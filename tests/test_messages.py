"""The message catalogue (`reportsite/model/messages.yaml`): every sentence a user reads, in Chinese and
English, used by slug; no stage writes a sentence of its own; the hints for YAML typed by hand.

The scans read the package's source (never import it), so they hold for code that is not run by
any other test.
"""

from __future__ import annotations

import ast
import re
import string

import pytest
from conftest import EDITION_YAML, RESULTS, ROOT, rendered, run_build

from reportsite.model.messages import catalogue, message, say
from reportsite.read.load import _TYPE_NAMES, FULL_WIDTH
from reportsite.read.schema import _KIND_NAMES

PACKAGE = ROOT / "reportsite"
SOURCES = sorted(PACKAGE.rglob("*.py"))
READERS = {"mapping", "seq", "text", "texts", "integer", "number", "boolean", "date", "month",
           "key_text", "code", "choice"}
"""schema.Reader's methods whose second argument names the value read (a `field/` slug)."""


def fields(sentence: str) -> set[str]:
    """The `{name}` fields of a catalogue sentence."""
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def trees():
    """Each module of the package, parsed."""
    for path in SOURCES:
        yield path.name, ast.parse(path.read_text(encoding="utf-8"))


def calls(tree):
    """Every call in `tree`, with the name it calls (`message`, `of`, `problem`, ...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            yield (f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""), node


def text_literal(node) -> bool:
    """A sentence written in the code: a string constant, an f-string, or one joined to another."""
    if isinstance(node, ast.BinOp):
        return text_literal(node.left) or text_literal(node.right)
    return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str)


def error_classes() -> set[str]:
    """`ReportError` and every class of the package derived from it."""
    found = {"ReportError"}
    classes = [(n.name, {b.id for b in n.bases if isinstance(b, ast.Name)})
               for _, tree in trees() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    while True:
        more = {name for name, bases in classes if bases & found} - found
        if not more:
            return found
        found |= more


def used_slugs() -> set[tuple[str, str, int]]:
    """(slug, module, line) of every catalogue slug the package names as a literal."""
    out = set()
    for module, tree in trees():
        for name, call in calls(tree):
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in call.args]
            if name in ("message", "say", "of") and args and args[0]:
                out.add((args[0], module, call.lineno))
            elif name == "problem" and len(args) >= 2 and args[0]:
                out.add((args[2] if len(args) > 2 and args[2] else args[0], module, call.lineno))
            elif name in READERS and len(args) > 1 and args[1]:
                out.add(("field/" + args[1], module, call.lineno))
            elif name in ("_wrong", "_decimal") and len(args) > 2 and args[2]:
                out.add(("expected/" + args[2], module, call.lineno))
    return out


def test_every_message_has_both_languages_with_the_same_fields():
    assert len(catalogue()) > 250
    for slug, (zh, en) in catalogue().items():
        assert zh.strip() and en.strip(), slug
        assert fields(zh) == fields(en), slug
        assert re.fullmatch(r"[a-z0-9_.-]+(?:/[a-z0-9_.-]+)?", slug), slug


def test_every_slug_the_package_names_is_in_the_catalogue():
    missing = sorted(f"{module}:{line}: {slug}" for slug, module, line in used_slugs() if slug not in catalogue())
    assert not missing, "\n".join(missing)


def test_the_words_named_through_tables_are_in_the_catalogue():
    named = [*_TYPE_NAMES.values(), *_KIND_NAMES.values(),
             *("punct/" + name for name, _ in FULL_WIDTH.values())]
    assert [slug for slug in named if slug not in catalogue()] == []


def test_no_stage_writes_a_sentence_of_its_own():
    errors = error_classes()
    inline = []
    for module, tree in trees():
        for name, call in calls(tree):
            said = None
            if name == "Problem" and len(call.args) >= 3:
                said = call.args[2]
            elif name in errors and call.args:
                said = call.args[0]
            elif name == "problem" and len(call.args) >= 3 and isinstance(call.args[2], ast.JoinedStr):
                said = call.args[2]
            elif name in ("progress", "tell") and call.args:
                said = call.args[0]
            if said is not None and text_literal(said):
                inline.append(f"{module}:{call.lineno}: {name}(... {ast.unparse(said)[:60]} ...)")
    assert not inline, "sentences outside the catalogue:\n" + "\n".join(inline)


def test_a_message_speaks_either_language_and_nests():
    said = message("wrong-type", what=message("field/score"), expected=message("expected/number"), value="x")
    assert said.text("en") == "score must be a number, not 'x'" == str(said)
    assert said.text("zh") == "得分应为数，而不是“x”"
    # What an acknowledgement's subject is matched against: the values quoted, in no language.
    assert said.values() == ["x"]
    assert say("summary-problems", "en", errors=1, warnings=0, notes=0) == "1 errors, 0 warnings, 0 acknowledged"
    assert say("summary-problems", "zh", errors=1, warnings=0, notes=0) == "1 个错误，0 个警告，0 个已确认"
    with pytest.raises(KeyError):
        message("no-such-slug")


# --- Hints for YAML typed by hand -------------------------------------------------------------

@pytest.mark.parametrize("old, new, where, char", [
    ("entered: 5", "entered：5", f"data/{EDITION_YAML}:14:8", "："),
    ("period: {start", "period：\n  {start", f"data/{EDITION_YAML}:2:7", "："),
    ("title: 2020", "title：2020", f"data/{EDITION_YAML}:1:6", "："),
    ('published: 2022-02', 'published: "2022-02”', f"data/{EDITION_YAML}:3:20", "”"),
    ('tiers:\n  - {key: high, name: 活跃度高, min: 85}', 'tiers:\n  - {key: high， name: 活跃度高, min: 85}',
     f"data/{EDITION_YAML}:6:15", "，"),
], ids=["colon-alone", "colon-before-block", "colon-before-text", "closing-quote", "flow-comma"])
def test_a_full_width_character_typed_for_yaml_syntax_is_named_with_its_column(project, old, new, where, char):
    project.replace(EDITION_YAML, old, new)
    _, problems = project.check()
    english = [line for line in rendered(problems) if line.startswith(f"{where}: error [yaml-syntax] ")]
    assert len(english) == 1, "\n".join(rendered(problems))
    column = where.rsplit(":", 1)[1]
    assert "full-width" in english[0] and char in english[0] and f"column {column}" in english[0], english[0]
    chinese = [line for line in rendered(problems, "zh") if line.startswith(f"{where}: error [yaml-syntax] ")]
    assert f"第 {column} 列是全角" in chinese[0] and char in chinese[0], chinese[0]


def test_a_full_width_colon_in_a_key_of_a_flow_mapping_is_named(project):
    project.replace(RESULTS, '{code: "110"', '{code："110"')
    _, problems = project.check()
    lines = rendered(problems)
    assert f"data/{RESULTS}:2:10: error [yaml-syntax] the full-width colon ： at column 10" in "\n".join(lines), lines


def test_full_width_text_in_a_value_is_left_alone(project):
    project.replace(EDITION_YAML, "title: 2020-2021 年度", "title: “双一流”：2020-2021 年度")
    archive, problems = project.check()
    assert archive is not None, rendered(problems)


@pytest.mark.parametrize("written", ['"2020-01-01"', "'2020-01-01'"])
def test_a_quoted_date_is_a_date(project, written):
    project.replace(EDITION_YAML, "start: 2020-01-01", f"start: {written}")
    archive, problems = project.check()
    assert archive is not None, rendered(problems)
    assert str(archive.editions[0].start) == "2020-01-01"


def test_a_quoted_day_the_calendar_lacks_is_still_refused(project):
    project.replace(EDITION_YAML, "start: 2020-01-01", 'start: "2020-02-30"')
    _, problems = project.check()
    assert rendered(problems) == [f"data/{EDITION_YAML}:2:17: error [wrong-type] period start must be a date "
                                  "written YYYY-MM-DD, not '2020-02-30'"]


# --- The commands' own lines -------------------------------------------------------------------

def test_build_speaks_chinese_by_default_and_english_when_asked(project):
    args = ("--data", "data", "--out", "site", "--jobs", "1", "--config", str(ROOT / "mkdocs.yml"))
    chinese = run_build(*args, cwd=project.root)
    assert chinese.returncode == 0, chinese.stdout + chinese.stderr
    lines = chinese.stdout.splitlines()
    assert lines[0] == "正在检查数据 ..." and "正在生成页面 ..." in lines
    assert re.fullmatch(r"已构建 1 个版次，\d+ 个页面，\d+ 处勘误，输出到 site/，用时 \d+\.\d 秒", lines[-1]), lines[-1]
    english = run_build(*args, "--lang", "en", cwd=project.root)
    lines = english.stdout.splitlines()
    assert lines[0] == "checking data ..." and "rendering pages ..." in lines
    assert re.fullmatch(r"built 1 edition, \d+ pages, \d+ errata into site/ in \d+\.\ds", lines[-1]), lines[-1]


def test_a_number_in_full_width_quotes_is_named_with_the_number_meant(project):
    project.replace(RESULTS, "score: 72}", "score: “72”}")
    _, problems = project.check()
    assert rendered(problems) == [f"data/{RESULTS}:3:26: error [number-form] \"“72”\" has "
                                  "the Chinese quote mark “ (U+201C) at position 1; write numbers in ASCII "
                                  "digits: 72"]


def test_a_name_with_a_full_width_colon_in_a_list_is_text(project):
    project.replace(EDITION_YAML, "publishers: [中国产业技术创新战略联盟协同发展网,",
                    "publishers: [CSA：中国产业技术创新战略联盟协同发展网,")
    archive, problems = project.check()
    assert archive is not None and archive.editions[0].publishers[0].startswith("CSA："), rendered(problems)


def test_pyyamls_commonest_words_are_translated_and_its_english_kept(project):
    project.replace(RESULTS, '  - {code: "104"', '\t- {code: "104"')
    _, problems = project.check()
    where = f"data/{RESULTS}:3:1: error [yaml-syntax] "
    assert rendered(problems) == [where + "YAML syntax: while scanning for the next token: found character "
                                  "'\\t' that cannot start any token"]
    assert rendered(problems, "zh") == [where + "YAML 语法错误：在读取下一项时：字符 '\\t' 不能出现在这里"
                                        "（缩进只能用空格，不能用 Tab）"]
