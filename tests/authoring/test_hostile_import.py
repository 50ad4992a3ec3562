"""Hostile workbooks and import commands (issue 22): file names no terminal should print raw, and
more below.

Each case asserts the exact outcome: the error's slug and location, no traceback, and that
nothing under `data/` changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from hostile import digest, failed_with, run

EDITION = "2020-2021"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the shipped data folder and settings, and a filled template of its edition."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = run("template", EDITION, "filled.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path


def unchanged(project: Path, before: dict) -> None:
    assert digest(project / "data") == before, "data/ changed"


@pytest.mark.parametrize("name, shown", [
    ("x\x1b[31m.xlsx", "x\\x1b[31m.xlsx"),
    ("x\x1b]0;pwned\x07.xlsx", "x\\x1b]0;pwned\\x07.xlsx"),
    ("x\u202e.xlsx", "x\\u202e.xlsx"),
], ids=["colour", "title", "bidi"])
@pytest.mark.parametrize("exists", [True, False], ids=["present", "missing"])
def test_a_file_name_with_terminal_escapes_is_printed_escaped(project, name, shown, exists):
    if exists:
        shutil.copy(project / "filled.xlsx", project / name)
    before = digest(project / "data")
    result = run("import", EDITION, name, cwd=project)
    output = result.stdout + result.stderr
    assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output
    if exists:
        assert result.returncode == 0, output
        # The data files name the workbook they came from, escaped as printed: YAML holds no ESC.
        written = (project / "data" / EDITION / "results.yaml").read_text(encoding="utf-8")
        assert f"由 {shown} 导入" in written
        assert run("check", cwd=project).returncode == 0
    else:
        failed_with(result, "import-missing", shown)
        unchanged(project, before)


def test_a_file_name_that_is_not_utf8_is_a_located_error(project):
    name = os.fsdecode(b"\xb5\xbc\xc8\xeb.xlsx")  # 导入.xlsx as a GBK terminal names it
    shutil.copy(project / "filled.xlsx", project / name)
    before = digest(project / "data")
    line = failed_with(run("import", EDITION, name, cwd=project), "import-name", "\\udcb5\\udcbc\\udcc8\\udceb.xlsx")
    assert "UTF-8" in line
    unchanged(project, before)
