"""The archive's life without git commands: `freeze` stores and checks an edition's pages and says
what to commit; `correct` bumps the version, adds a dated correction and re-publishes. A failed
build changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess

import openpyxl
import pytest
import yaml
from hostile import digest, failed_with, no_traceback, run

EDITION = "2020-2021"


@pytest.fixture
def project(tmp_path):
    """A small valid project (conftest's) with content and settings: the hostile fixture's."""
    from hostile import HostileProject

    return HostileProject(tmp_path)


def edition(project) -> dict:
    return yaml.safe_load((project.data / EDITION / "edition.yaml").read_text(encoding="utf-8"))


def test_freeze_stores_checks_and_says_what_to_commit(project):
    result = run("freeze", EDITION, "--jobs", "1", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert edition(project)["frozen"] is True
    manifest = json.loads((project.root / "frozen" / EDITION / "MANIFEST.json").read_text(encoding="utf-8"))
    assert "index.html" in json.dumps(manifest)
    # No git here: every file and folder the edition's build reads, to copy.
    last = result.stdout.strip().splitlines()[-1]
    assert last == (f"已冻结 {EDITION}：{len(manifest['files']) + 1} 个页面文件已存入并核对（frozen/{EDITION}）。"
                    "本项目不在 git 版本库中：请把本届构建所读取的以下文件和文件夹复制到保存项目的地方："
                    f"data/{EDITION} content/{EDITION} data/alliances.yaml mkdocs.yml frozen/{EDITION}")
    again = run("freeze", EDITION, "--jobs", "1", "--lang", "en", cwd=project.root)
    assert again.returncode == 0
    assert again.stdout.strip().splitlines()[-1].startswith(
        f"{EDITION} is frozen already: its stored pages were checked. this project is not in a git repository")


def test_correct_publishes_a_new_version_with_its_dated_note(project):
    assert run("freeze", EDITION, "--jobs", "1", cwd=project.root).returncode == 0
    result = run("correct", EDITION, "--note", "附件 3 中一家联盟的得分更正", "--date", "2022-03-01",
                 "--jobs", "1", cwd=project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = edition(project)
    assert data["version"] == 2
    assert [(str(c["date"]), c["text"]) for c in data["corrections"]] == [("2022-03-01", "附件 3 中一家联盟的得分更正")]
    home = (project.site / EDITION / "index.html").read_text(encoding="utf-8")
    assert "第 2 版" in home and "附件 3 中一家联盟的得分更正" in home
    stored = (project.root / "frozen" / EDITION / "index.html").read_text(encoding="utf-8")
    assert "第 2 版" in stored


def test_correct_refuses_an_edition_that_is_not_frozen(project):
    before = digest(project.root, (".reportsite",))
    failed_with(run("correct", EDITION, "--note", "x", cwd=project.root), "correct-not-frozen",
                f"data/{EDITION}/edition.yaml")
    failed_with(run("freeze", "2030-2031", cwd=project.root), "freeze-unknown", "data")
    failed_with(run("correct", EDITION, "--note", "x", "--date", "2022-02-30", cwd=project.root), "usage",
                status=2)
    assert digest(project.root, (".reportsite",)) == before


def test_a_failed_build_leaves_edition_yaml_as_it_was(project):
    project.content_file("02-broken.md", "# 坏\n\n{{ 1/0 }}\n")
    before = digest(project.root, (".reportsite",))
    result = run("freeze", EDITION, "--jobs", "1", cwd=project.root)
    failed_with(result, "template-failed", f"content/{EDITION}/02-broken.md:3")
    assert digest(project.root, (".reportsite",)) == before
    assert not (project.root / "frozen").exists()


NEW = "2022-2023"
GIT_ENV = {"GIT_AUTHOR_NAME": "秘书处", "GIT_AUTHOR_EMAIL": "office@example.org",
           "GIT_COMMITTER_NAME": "秘书处", "GIT_COMMITTER_EMAIL": "office@example.org"}


def git(*args: str, cwd) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit_as_told(result, project_root) -> str:
    """Run the `git add … && git commit …` the command's last line names, exactly; the line."""
    no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    hint = re.search(r"git add .*", result.stdout.strip().splitlines()[-1])
    assert hint, result.stdout
    done = subprocess.run(hint.group(), shell=True, cwd=project_root, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stdout + done.stderr
    return hint.group()


def clone_builds_from_stored_pages(project_root, into) -> None:
    """A fresh clone builds, copying the stored pages of the frozen edition (no rebuild, no stop)."""
    git("clone", "-q", str(project_root), str(into), cwd=project_root.parent)
    built = run("build", "--jobs", "1", "--no-pdf", cwd=into)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "[frozen]" not in built.stdout + built.stderr
    assert f"{NEW}（已冻结，未改变）：复制了" in built.stdout, built.stdout


def test_what_freeze_and_correct_say_to_commit_is_what_a_clone_needs(project):
    git("init", "-q", cwd=project.root)
    (project.root / ".gitignore").write_text("/site/\n.reportsite/\n", encoding="utf-8")
    git("add", "-A", cwd=project.root)
    git("commit", "-q", "-m", "项目", cwd=project.root)
    # A new edition from the commands alone: new, the workbook (a new alliance), import.
    assert run("new", NEW, cwd=project.root).returncode == 0
    assert run("template", NEW, "数据.xlsx", cwd=project.root).returncode == 0
    book = openpyxl.load_workbook(project.root / "数据.xlsx")
    for i, (code, name, score) in enumerate([("110", None, 96), ("104", None, 88), ("105", "新增示例产业技术创新战略联盟", 75),
                                             ("233", None, 71)], start=2):
        book["评价结果"].append([i - 1, code, name, score, None, None])
    book["基本信息"]["B7"] = 4
    book["A级联盟"]["B2"] = "否"
    book.save(project.root / "数据.xlsx")
    imported = run("import", NEW, "数据.xlsx", "--update-registry", cwd=project.root)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    # The web editors' setting, changed in the same working copy.
    settings = project.root / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("keywords: [", "keywords: [联盟, "),
                        encoding="utf-8")
    line = commit_as_told(run("freeze", NEW, "--jobs", "1", "--no-pdf", cwd=project.root), project.root)
    assert line == (f'git add data/{NEW} content/{NEW} data/alliances.yaml mkdocs.yml frozen/{NEW} '
                    f'&& git commit -m "冻结 {NEW}"')
    clone_builds_from_stored_pages(project.root, project.root.parent / "clone-1")
    line = commit_as_told(run("correct", NEW, "--note", "附件 3 中一家联盟的得分更正", "--date", "2024-03-01",
                              "--jobs", "1", "--no-pdf", cwd=project.root), project.root)
    assert line == f'git add data/{NEW}/edition.yaml frozen/{NEW} && git commit -m "更正 {NEW}"'
    clone_builds_from_stored_pages(project.root, project.root.parent / "clone-2")
    again = run("freeze", NEW, "--jobs", "1", "--no-pdf", cwd=project.root)
    assert again.stdout.strip().splitlines()[-1] == \
        f"{NEW} 已经冻结：存储的页面已核对。本届构建所读取的文件都已提交，没有需要提交的改动"


def test_import_into_a_frozen_edition_stops_and_correct_takes_the_workbook(project):
    assert run("freeze", EDITION, "--jobs", "1", "--no-pdf", cwd=project.root).returncode == 0
    assert run("template", EDITION, "结果.xlsx", cwd=project.root).returncode == 0
    book = openpyxl.load_workbook(project.root / "结果.xlsx")
    assert book["评价结果"]["B3"].value == "104" and book["评价结果"]["D3"].value == 72
    book["评价结果"]["D3"] = 73
    book.save(project.root / "结果.xlsx")
    before = digest(project.root, (".reportsite",))
    stopped = run("import", EDITION, "结果.xlsx", cwd=project.root)
    line = failed_with(stopped, "import-frozen", f"data/{EDITION}/edition.yaml")
    assert f"python build.py correct {EDITION} --note" in line and "--workbook 结果.xlsx" in line
    assert digest(project.root, (".reportsite",)) == before
    done = run("correct", EDITION, "--note", "联盟 104 的得分由 72 更正为 73", "--date", "2022-03-01",
               "--workbook", "结果.xlsx", "--jobs", "1", "--no-pdf", cwd=project.root)
    assert done.returncode == 0, done.stdout + done.stderr
    results = yaml.safe_load((project.data / EDITION / "results.yaml").read_text(encoding="utf-8"))
    assert {"code": "104", "score": 73} in results["evaluated"]
    assert edition(project)["version"] == 2
    ranking = (project.root / "frozen" / EDITION / "ranking.html").read_text(encoding="utf-8")
    assert ">73<" in ranking


def test_frozen_tells_a_changed_report_from_a_changed_tool(project):
    assert run("freeze", EDITION, "--jobs", "1", "--no-pdf", cwd=project.root).returncode == 0
    stored = project.root / "frozen" / EDITION
    # The tool's output changed (as if a new version made other pages) while the inputs did not.
    manifest_path = stored / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    page = stored / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<!-- older tool --></body>"),
                    encoding="utf-8")
    manifest["files"]["index.html"] = hashlib.sha256(page.read_bytes()).hexdigest()
    manifest["inputs"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    # What the people wrote is unchanged (the manifest's sources): the stored pages are copied as
    # they are, never a [frozen] stop (the check no longer tells a tool's change from a report's).
    tool = run("build", "--jobs", "1", "--no-pdf", cwd=project.root)
    assert tool.returncode == 0, tool.stdout + tool.stderr
    assert "<!-- older tool -->" in (project.root / "site" / EDITION / "index.html").read_text(encoding="utf-8")
    # The narrative changed: a correction, to be published with `correct`.
    project.content_file("01-preface.md", "# 前言\n\n参评联盟共 {{ n.evaluated }} 家。\n")
    data = run("build", "--jobs", "1", "--no-pdf", "--lang", "en", cwd=project.root)
    line = failed_with(data, "frozen", f"data/{EDITION}/edition.yaml")
    assert "its data or narrative changed" in line and f"python build.py correct {EDITION} --note" in line


def test_the_year_s_work_never_stops_at_the_frozen_edition(tmp_path):
    """The repository's own archive with its published edition frozen: the next year's work from
    the commands alone (new, template, the workbook, import with a new alliance and a rename,
    build) copies the stored pages of the frozen edition and never stops at it."""
    from conftest import ROOT

    for name in ("data", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert run("freeze", EDITION, "--jobs", "1", "--no-pdf", cwd=tmp_path).returncode == 0
    stored = digest(tmp_path / "frozen")
    assert run("new", NEW, cwd=tmp_path).returncode == 0
    assert run("template", NEW, "数据.xlsx", cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "数据.xlsx")
    results = yaml.safe_load((tmp_path / "data" / EDITION / "results.yaml").read_text(encoding="utf-8"))
    rows = [(r["code"], None, r.get("score", 40)) for r in results["evaluated"] if r["code"] != "354"]
    rows += [("D112", "示例戊产业技术创新战略联盟", 77), ("119", "先进存储产业技术创新战略联盟", 90)]
    for i, (code, name, score) in enumerate(rows, start=1):
        if code == "119" and name is None:
            continue
        book["评价结果"].append([i, code, name, score, None, "是" if code == "119" else None])
    book["基本信息"]["B7"] = len(rows) - 1
    book["A级联盟"]["B2"] = "否"
    book.save(tmp_path / "数据.xlsx")
    imported = run("import", NEW, "数据.xlsx", "--update-registry", cwd=tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    built = run("build", "--jobs", "1", "--no-pdf", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "[frozen]" not in built.stdout + built.stderr
    assert f"{EDITION}（已冻结，未改变）：复制了" in built.stdout, built.stdout
    assert digest(tmp_path / "frozen") == stored
