"""Renames only on purpose, names compared as they look (issue 22): a names column sorted on its own,
two names swapped, a homoglyph, full-width or zero-width twin of a registered name, each imported
with `--update-registry`, stops with the cause named at the cell (or the sheet, for a mass), and
nothing is written or renamed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from hostile import digest, failed_with, run

from reportsite.authoring import importer
from reportsite.authoring import workbook as W

EDITION = "2020-2021"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    result = run("template", EDITION, "book.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path


def edited(project: Path, change) -> Path:
    path = project / "book.xlsx"
    book = openpyxl.load_workbook(path)
    change(book[W.RESULTS])
    book.save(path)
    return path


def plan(project: Path) -> list[tuple[str, str]]:
    found = importer.plan_import(str(project / "data"), EDITION, str(project / "book.xlsx"), update_registry=True)
    return [(str(p.loc).replace(str(project) + "/", ""), p.slug) for p in found.problems if p.severity == "error"]


def sort_names(sheet) -> None:
    names = sorted(sheet.cell(row=r, column=3).value for r in range(2, sheet.max_row + 1))
    for r, name in enumerate(names, start=2):
        sheet.cell(row=r, column=3).value = name


def test_a_names_column_sorted_on_its_own_is_one_error_naming_the_cause(project):
    edited(project, sort_names)
    before = digest(project / "data")
    result = run("import", EDITION, "book.xlsx", "--update-registry", "--lang", "en", cwd=project)
    line = failed_with(result, "name-mismatch-mass", "book.xlsx:评价结果")
    assert "one column was sorted on its own" in line and "of 86 rows" in line and " ≠ " in line
    assert len([x for x in (result.stdout + result.stderr).splitlines() if "error [" in x]) == 1
    assert "renamed" not in result.stdout
    assert digest(project / "data") == before


def test_five_mismatches_are_a_mass_whatever_they_are(project):
    def five(sheet):
        for r in range(2, 7):
            sheet.cell(row=r, column=3).value = f"新名称{r}产业技术创新战略联盟"
    edited(project, five)
    assert plan(project) == [("book.xlsx:评价结果", "name-mismatch-mass")]


def test_two_names_swapped_are_each_refused_at_their_cell(project):
    def swap(sheet):
        a, b = sheet["C2"].value, sheet["C3"].value
        sheet["C2"], sheet["C3"] = b, a
    edited(project, swap)
    assert plan(project) == [("book.xlsx:评价结果!C2", "name-taken"), ("book.xlsx:评价结果!C3", "name-taken")]


@pytest.mark.parametrize("change, slug, says", [
    (lambda n: n.replace("产业", "产业\u200b", 1), "name-character", "看不见的字符（U+200B"),
    (lambda n: n + "\u202e", "name-character", "看不见的字符（U+202E"),
    (lambda n: n[:2] + "А" + n[2:], "name-character", "西里尔字母“А”（U+0410，形似拉丁字母 A）"),
    (lambda n: n[:2] + "α" + n[2:], "name-character", "希腊字母“α”（U+03B1"),
], ids=["zero-width", "bidi", "cyrillic", "greek"])
def test_a_character_no_name_needs_is_named_in_chinese(project, change, slug, says):
    edited(project, lambda sheet: sheet.cell(row=2, column=3, value=change(sheet["C2"].value)))
    before = digest(project / "data")
    result = run("import", EDITION, "book.xlsx", "--update-registry", cwd=project)
    line = failed_with(result, slug, "book.xlsx:评价结果!C2")
    assert says in line
    assert digest(project / "data") == before


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_a_full_width_twin_is_not_a_rename(project):
    found = {}

    def twin(sheet):
        for r in range(2, sheet.max_row + 1):
            name = str(sheet.cell(row=r, column=3).value)
            if any(c.isascii() and c.isalpha() for c in name):
                sheet.cell(row=r, column=3).value = full_width(name)
                found.update(row=r, name=name)
                return
    edited(project, twin)
    assert found, "the shipped edition has a name with Latin letters (TD, WAPI)"
    result = importer.plan_import(str(project / "data"), EDITION, str(project / "book.xlsx"), update_registry=True)
    errors = [(str(p.loc).replace(str(project) + "/", ""), p.slug, p.message.text("en")) for p in result.problems
              if p.severity == "error"]
    assert [(loc, slug) for loc, slug, _ in errors] == [(f"book.xlsx:评价结果!C{found['row']}", "name-twin")]
    assert "(U+FF" in errors[0][2] and "looks the same as the registered" in errors[0][2]
    assert result.changes == []


def new_alliance(name: str):
    def add(sheet):
        last = sheet.max_row + 1
        for col, value in enumerate((last - 1, "D199", name, 60), start=1):
            sheet.cell(row=last, column=col, value=value)
    return add


def test_a_new_alliance_may_not_register_a_twin_or_a_registered_name(project):
    registered = importer.read_registry(str(project / "data" / "alliances.yaml"), []).alliances[0]
    edited(project, new_alliance(registered.name + "\u200b"))
    assert [slug for _, slug in plan(project)] == ["name-character"]
    edited(project, lambda sheet: sheet.cell(row=sheet.max_row, column=3, value=registered.name))
    found = importer.plan_import(str(project / "data"), EDITION, str(project / "book.xlsx"), update_registry=True)
    errors = [p for p in found.problems if p.severity == "error"]
    assert [p.slug for p in errors] == ["name-twin"] and registered.code in errors[0].message.text("en")
    assert found.changes == []


def test_one_rename_on_purpose_still_records_it(project):
    edited(project, lambda sheet: sheet.cell(row=2, column=3, value="新名称产业技术创新战略联盟"))
    code = str(openpyxl.load_workbook(project / "book.xlsx")[W.RESULTS]["B2"].value)
    result = run("import", EDITION, "book.xlsx", "--update-registry", "--rename", code, "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "新名称产业技术创新战略联盟" in (project / "data" / "alliances.yaml").read_text(encoding="utf-8")


def test_renames_marked_on_purpose_are_no_mass_but_a_sorted_column_still_is(project):
    def five(sheet):
        for r in range(2, 7):
            sheet.cell(row=r, column=3).value = f"新名称{r}产业技术创新战略联盟"
    edited(project, five)
    sheet = openpyxl.load_workbook(project / "book.xlsx")[W.RESULTS]
    codes = frozenset(str(sheet.cell(row=r, column=2).value) for r in range(2, 7))
    found = importer.plan_import(str(project / "data"), EDITION, str(project / "book.xlsx"), renames=codes)
    assert [p.slug for p in found.problems if p.severity == "error"] == []
    assert [m.slug for m in found.changes].count("registry-renamed") == 5
    # Marking a few rows does not hide a names column sorted on its own.
    edited(project, sort_names)
    found = importer.plan_import(str(project / "data"), EDITION, str(project / "book.xlsx"), renames=codes)
    assert [(str(p.loc).replace(str(project) + "/", ""), p.slug) for p in found.problems if p.severity == "error"] \
        == [("book.xlsx:评价结果", "name-mismatch-mass")]
    assert "registry-renamed" not in [m.slug for m in found.changes]
