"""Spreadsheets in within fixed budgets (issue 22): every sheet is counted before it is parsed, and
a workbook past a budget is `workbook-too-large` at the sheet or cell where it passed it, in
seconds and in little memory. Each case runs the import as a user does, in a subprocess whose
address space is limited to 400 MB (`RLIMIT_AS`): a reader building the declared grid would die
of it, so the slug and location asserted prove the refusal came first. Timings go to the bench
(`python bench/budgets.py`), not here.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from hostile import digest, failed_with

from reportsite.authoring import budget

sys.path.insert(0, str(ROOT / "bench"))
from budgets import CASES  # noqa: E402 - the hostile workbooks, made where the bench times them

EDITION = "2020-2021"
MEMORY = 400 * 2**20
"""The address space an import may use in these tests."""


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def import_limited(project: Path, name: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python build.py import 2020-2021 NAME --lang en` in `project`, within 400 MB."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "import", EDITION, name, "--lang", "en"],
                          cwd=project, capture_output=True, text=True, timeout=timeout, preexec_fn=limited)


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_workbook_past_a_budget_is_refused_before_it_is_parsed(project, case):
    make, location, words = CASES[case]
    (project / "book.xlsx").write_bytes(make())
    before = digest(project / "data")
    slug = "workbook-unreadable" if case == "billion-laughs" else "workbook-too-large"
    line = failed_with(import_limited(project, "book.xlsx"), slug)
    assert line.startswith(location), line
    assert words in line, line
    assert digest(project / "data") == before


def test_the_empty_cells_file_is_small():
    assert len(CASES["empty-cells"][0]()) < 60_000
    assert len(CASES["104511-rows"][0]()) < 600_000


@pytest.fixture(scope="module")
def xls_files(tmp_path_factory) -> dict[str, Path]:
    """Legacy .xls files made by LibreOffice: one cell at IV65536 on four sheets, and the shipped
    edition's filled template."""
    out = tmp_path_factory.mktemp("xls")
    book = openpyxl.Workbook()
    for i in range(4):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = "评价结果" if i == 0 else f"表{i + 1}"
        ws["A1"], ws["IV65536"] = "x", 1
    book.save(out / "huge.xlsx")
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is not installed: run `make system-deps`"
    project = out / "project"
    shutil.copytree(ROOT / "data", project / "data")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "template", EDITION, "filled.xlsx"],
                            cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    shutil.copy(project / "filled.xlsx", out / "filled.xlsx")
    profile = (out / "lo-profile").as_uri()
    for name in ("huge.xlsx", "filled.xlsx"):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", "xls", "--outdir", str(out), str(out / name)],
                       capture_output=True, text=True, timeout=240, check=True)
    return {"huge": out / "huge.xls", "filled": out / "filled.xls"}


def test_an_xls_with_a_cell_at_iv65536_is_refused_within_the_same_budgets(project, xls_files):
    assert xls_files["huge"].stat().st_size < 100_000
    shutil.copy(xls_files["huge"], project / "book.xls")
    line = failed_with(import_limited(project, "book.xls"), "workbook-too-large", "book.xls:评价结果!A65536")
    assert "row 65536, past the limit of 20000" in line


def test_an_xls_within_the_budgets_still_imports(project, xls_files):
    shutil.copy(xls_files["filled"], project / "book.xls")
    result = import_limited(project, "book.xls")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_template_is_well_within_the_budgets(project):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "template", EDITION, "filled.xlsx"],
                            cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count = budget.scan_xlsx(str(project / "filled.xlsx"))
    assert count.cells < budget.MAX_CELLS // 50 and count.merges == 0
    assert import_limited(project, "filled.xlsx").returncode == 0


@pytest.mark.parametrize("text, location, words", [
    ("a\n" * 20_001, "rows.csv", "20001 rows or more"),
    ("," * 150 + "x\n", "rows.csv:1:151", "column 151, past the limit of 100"),
    ('"' + "x" * 200_000 + '"\n', "rows.csv:1", "field larger than field limit"),
], ids=["rows", "columns", "huge-field"])
def test_a_csv_file_keeps_the_same_budgets(project, text, location, words):
    (project / "rows.csv").write_text(text, encoding="utf-8")
    slug = "workbook-unreadable" if "field" in words else "workbook-too-large"
    line = failed_with(import_limited(project, "rows.csv"), slug, location)
    assert words in line
