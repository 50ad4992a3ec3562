"""Hostile content: templates that reach for Python's internals, run without end, fail in every
way Python can, front matter that is broken or names a script from elsewhere, and symbolic links
out of the project.

Every case asserts the exact outcome: the error's slug and its location (`file:line` of the
template where it happened), no traceback, nothing else of the project changed, and the site
built before the case intact. The project is built once and shared; each case adds its files and
takes them away again.
"""

from __future__ import annotations

import re
import os
import shutil

import pytest
from hostile import HostileProject, digest, failed_with, live_script, no_traceback

from reportsite.model.errors import ContentError
from reportsite.render import sandbox

PAGE = "content/2020-2021/02-hostile.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> HostileProject:
    project = HostileProject(tmp_path_factory.mktemp("project"))
    result = project.build()
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture
def hostile(built, tmp_path_factory):
    """The shared project, its site and its other files compared before and after the case, and
    the content folder restored afterwards."""
    content = built.root / "content"
    kept = tmp_path_factory.mktemp("kept") / "content"
    shutil.copytree(content, kept, symlinks=True)
    site, others = digest(built.site), built.digest(skip=("site", ".reportsite", "content"))
    yield built
    assert digest(built.site) == site, "the previous site changed"
    assert built.digest(skip=("site", ".reportsite", "content")) == others, "a file outside the site changed"
    shutil.rmtree(content) if not content.is_symlink() else content.unlink()
    shutil.copytree(kept, content, symlinks=True)


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> HostileProject:
    """A project of its own, for a case that builds a site."""
    monkeypatch.chdir(tmp_path)
    return HostileProject(tmp_path)


def fails(project: HostileProject, text: str, slug: str, line: int) -> str:
    """Write the content file `02-hostile.md`, build, and check that the build stopped with `slug`
    at `line` of that file; the error line."""
    project.content_file("02-hostile.md", text)
    return failed_with(project.build(), slug, f"{PAGE}:{line}")


# --- The sandbox: nothing of Python is reachable --------------------------------------------

@pytest.mark.parametrize("expression", [
    "cycler.__init__.__globals__.os.system('touch PWNED')",
    "''.__class__.__mro__[1].__subclasses__()",
    "lipsum.__globals__['os'].system('touch PWNED')",
    "self._TemplateReference__context",
    "edition.__class__.__init__.__globals__",
    "count.__globals__",
])
def test_python_internals_are_out_of_reach(hostile, expression):
    fails(hostile, f"# 标题\n\n{{{{ {expression} }}}}\n", "template-unsafe", 3)
    assert not (hostile.root / "PWNED").exists()


def test_the_data_cannot_be_changed_from_a_template(hostile):
    fails(hostile, "# 标题\n\n{% do tiers.clear() %}\n", "template-unsafe", 3)


# --- Limits ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, slug, line", [
    ("{% for i in range(10**10) %}x{% endfor %}", "template-loop-limit", 3),
    ("{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}\n{% endfor %}",
     "template-loop-limit", 4),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}", "template-recursion", 3),
    ("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}", "template-recursion", 3),
    ("{{ lipsum(10**7) }}", "template-value-limit", 3),
    ('{{ "x" * 10**9 }}', "template-value-limit", 3),
    ("{{ [0] * 10**9 }}", "template-value-limit", 3),
    ("{{ 2 ** 100000000 }}", "template-value-limit", 3),
    ('{% set ns = namespace(s="x") %}\n{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
     "template-value-limit", 4),
    ('{{ "{:>999999999}".format(1) }}', "template-value-limit", 3),
    ('{{ "{:>{w}}".format(1, w=999999999) }}', "template-value-limit", 3),
    ("{{ [1] | slice(10**9) | list }}", "template-value-limit", 3),
    ('{{ "%0999999999d" % 1 }}', "template-value-limit", 3),
    ('{{ "x" | center(10**9) }}', "template-value-limit", 3),
    ('{{ range(10) | join("x" * 10**7) }}', "template-value-limit", 3),
    ('{{ ("x" * 1000000).replace("", "y" * 100) }}', "template-value-limit", 3),
    ('{% for i in range(100000) %}{{ "x" * 1000 }}{% endfor %}', "template-output-limit", 3),
], ids=["range", "nested-loops", "recursive-macro", "recursive-loop", "lipsum", "string-times",
        "list-times", "power", "doubling", "format-width", "format-argument-width", "slice", "percent-width",
        "center", "join", "replace", "page-size"])
def test_limits(hostile, text, slug, line):
    fails(hostile, f"# 标题\n\n{text}\n", slug, line)


def test_a_slow_page_stops_at_its_time_limit(monkeypatch, tmp_path):
    """Rendering time is checked as loops run (here with no time at all to spend)."""
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0)
    env = sandbox.PageSandbox([str(tmp_path)], (str(tmp_path),))
    with pytest.raises(ContentError) as caught:
        env.render(env.from_string("{% for i in range(5000) %}{% endfor %}"), {})
    assert caught.value.slug == "template-time-limit"


def test_a_page_that_includes_itself(hostile):
    fails(hostile, '# 标题\n\n{% include "02-hostile.md" %}\n', "template-recursion", 3)


# --- Every failure is located, never a traceback ---------------------------------------------

@pytest.mark.parametrize("expression, said", [
    ("1/0", "{{ 1/0 }}：除数是 0"),
    ("cn_numeral(999)", "{{ cn_numeral(999) }}：序号超出了范围"),
    ("10.0 ** 400", "{{ 10.0 ** 400 }}：数太大，无法计算"),
    ('1 + "a"', '{{ 1 + "a" }}：不能对整数和文字做“+”运算；要把数字和文字连起来，请用 ~'),
    ("count(bogus=1)", "{{ count(bogus=1) }}：函数没有“bogus”这个参数"),
    ('"%d" % "a"', '{{ "%d" % "a" }}：值的类型不对，无法计算'),
    ('"x".index("y")', '{{ "x".index("y") }}：值不合适，无法计算'),
], ids=["zero-division", "cn-numeral", "overflow", "type", "bad-argument", "format-type", "value"])
def test_a_failing_expression_names_its_line(hostile, expression, said):
    line = fails(hostile, f"# 标题\n\n正文\n\n{{{{ {expression} }}}}\n", "template-failed", 5)
    assert f"02-hostile.md:5:1: error [template-failed] {said}" in line
    assert not re.search(r"Error|Exception|reportsite|object", line), line


def test_a_failure_in_an_included_file_names_that_file(hostile):
    hostile.content_file("part.j2", "一行\n{{ 1/0 }}\n")
    hostile.content_file("02-hostile.md", '# 标题\n\n{% include "part.j2" %}\n')
    failed_with(hostile.build(), "template-failed", "content/2020-2021/part.j2:2")


def test_syntax_and_names_keep_their_messages(hostile):
    fails(hostile, "# 标题\n\n{{ 1 + }}\n", "content", 3)
    fails(hostile, "# 标题\n\n正文\n{{ tierz }}\n", "content-undefined", 4)


def test_a_name_out_of_the_folder_is_not_found(hostile):
    fails(hostile, '# 标题\n\n{% include "../../data/alliances.yaml" %}\n', "content", 3)


# --- Front matter ------------------------------------------------------------------------------

@pytest.mark.parametrize("front, slug, line", [
    ("description: [unclosed\n", "front-matter-yaml", 2),
    ("description: 工具\nscripts: a: b\n", "front-matter-yaml", 3),
    ("- a\n- b\n", "front-matter-shape", 2),
    ("just words\n", "front-matter-shape", 2),
    ("title: 另一个标题\n", "front-matter-key", 2),
    ("description: {a: 1}\n", "front-matter-description", 2),
    ('scripts: ["https://evil.example/x.js"]\n', "front-matter-script", 2),
    ('scripts: ["//evil.example/x.js"]\n', "front-matter-script", 2),
    ('scripts: ["assets/js/../../../x.js"]\n', "front-matter-script", 2),
    ("scripts: assets/js/ranking.js\n", "front-matter-script", 2),
    ('scripts: ["assets/vendor/plotly/plotly-basic.min.js"]\n', "front-matter-script", 2),
], ids=["yaml", "yaml-line-3", "list", "scalar", "unknown-key", "description-mapping", "external-script",
        "protocol-relative", "dot-dot", "not-a-list", "vendored"])
def test_front_matter(hostile, front, slug, line):
    fails(hostile, f"---\n{front}---\n# 标题\n", slug, line)


def built_clean(project: HostileProject) -> None:
    result = project.build()
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert live_script(project.site) == []


def test_front_matter_may_name_our_scripts(fresh):
    fresh.content_file("02-tools.md", '---\nscripts: ["assets/js/ranking.js"]\ndescription: 工具\n---\n# 工具\n')
    built_clean(fresh)
    page = (fresh.site / "2020-2021" / "tools.html").read_text(encoding="utf-8")
    assert '<script src="assets/js/ranking.js" defer></script>' in page


# --- Symbolic links out of the project ---------------------------------------------------------

@pytest.fixture
def outside(tmp_path_factory):
    """A folder outside the project, with a file that must never be published."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.md").write_text("# 机密\n\nSECRET-TEXT\n", encoding="utf-8")
    return folder


def not_published(project: HostileProject) -> None:
    for path in project.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js"):
            assert "SECRET-TEXT" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_content_file_linked_out_of_the_project(hostile, outside):
    (hostile.content / "02-leak.md").symlink_to(outside / "secret.md")
    failed_with(hostile.build(), "content-outside", "content/2020-2021/02-leak.md")
    not_published(hostile)


def test_an_edition_folder_linked_out_of_the_project(hostile, outside):
    shutil.copy(hostile.content / "01-preface.md", outside / "01-preface.md")
    shutil.rmtree(hostile.content)
    hostile.content.symlink_to(outside, target_is_directory=True)
    failed_with(hostile.build(), "content-outside", "content/2020-2021")
    not_published(hostile)


def test_the_content_folder_linked_out_of_the_project(hostile, outside):
    (outside / "2020-2021").mkdir()
    shutil.copy(hostile.content / "01-preface.md", outside / "2020-2021" / "01-preface.md")
    shutil.rmtree(hostile.root / "content")
    (hostile.root / "content").symlink_to(outside, target_is_directory=True)
    failed_with(hostile.build(), "content-outside", "content")


def test_an_include_linked_out_of_the_project(hostile, outside):
    (hostile.content / "leak.txt").symlink_to(outside / "secret.md")
    fails(hostile, '# 标题\n\n正文\n{% include "leak.txt" %}\n', "template-outside", 4)
    not_published(hostile)


def test_links_inside_the_content_folder_are_followed(fresh):
    (fresh.content / "02-again.md").symlink_to(os.path.join("..", "2020-2021", "01-preface.md"))
    built_clean(fresh)
    assert (fresh.site / "2020-2021" / "again.html").exists()
