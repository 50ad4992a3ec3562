"""The secretariat's workbook: template -> filled -> import, in both layouts, and every located
problem an import reports (`FILE:SHEET!CELL: error [slug]`), with nothing written on an error."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import ROOT
from hostile import digest

from reportsite.authoring import importer, template
from reportsite.authoring import workbook as W
from reportsite.authoring.sheets import SheetError
from reportsite.read.check import check_archive

EDITION = "2020-2021"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def filled_workbook(data: Path, path: Path) -> Path:
    """The template of the shipped edition, filled with its data, saved at `path`."""
    archive, _ = check_archive(str(data))
    edition = archive.edition(EDITION)
    path.write_bytes(template.to_bytes(template.workbook(archive, edition, filled=True), edition.published))
    return path


def problems(plan) -> list[tuple[str, str]]:
    """(location, slug) of every error and warning of an import plan."""
    return [(str(p.loc), p.slug) for p in plan.problems if p.severity != "note"]


def edit(path: Path, sheet: str, changes: dict[str, object]) -> Path:
    """Set cells of a saved workbook (`{"C5": "x"}`) and save it again."""
    book = openpyxl.load_workbook(path)
    for ref, value in changes.items():
        book[sheet][ref] = value
    book.save(path)
    return path


def test_the_filled_template_imports_back_to_the_same_data(data, tmp_path):
    book = filled_workbook(data, tmp_path / "结果.xlsx")
    before = {p: yaml.safe_load((data / EDITION / p).read_text(encoding="utf-8"))
              for p in ("results.yaml", "experts.yaml", "edition.yaml")}
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert plan.ok and problems(plan) == [] and plan.rows == 86
    importer.write_import(plan, str(tmp_path / "backup"))
    after = {p: yaml.safe_load((data / EDITION / p).read_text(encoding="utf-8")) for p in before}
    assert after == before
    # The written edition.yaml keeps the keys the workbook does not carry, and their comments.
    text = (data / EDITION / "edition.yaml").read_text(encoding="utf-8")
    assert "acknowledged:" in text and "a_level:" in text and "# month of publication" in text


def test_the_template_has_its_sheets_lists_and_checks(data, tmp_path):
    book = openpyxl.load_workbook(filled_workbook(data, tmp_path / "t.xlsx"))
    assert book.sheetnames == [W.HELP, W.RESULTS, W.INCOMPLETE, W.EXPERTS, W.INFO, W.A_LEVEL, W.BANDS,
                               "指标体系", "指标得分", W.LISTS]
    assert book[W.LISTS].sheet_state == "hidden"
    results = book[W.RESULTS]
    assert [c.value for c in results[1]] == [c.header for c in W.RESULT_COLUMNS]
    assert results.freeze_panes == "A2"
    assert results.column_dimensions["C"].width >= 40
    kinds = sorted((v.type, str(v.sqref)[0]) for v in results.data_validations.dataValidation)
    assert kinds == [("decimal", "D"), ("list", "B"), ("list", "E"), ("list", "F")]
    score = next(v for v in results.data_validations.dataValidation if v.type == "decimal")
    assert (score.formula1, score.formula2) == ("0", "100")
    assert results["B2"].value == "110" and results["D2"].value == 100 and results["E2"].value == "活跃度高"
    assert results.max_row == 87


def test_a_blank_template_for_a_new_edition(data, tmp_path):
    archive, _ = check_archive(str(data))
    book = template.workbook(archive, archive.edition(EDITION), filled=False)
    assert book[W.RESULTS].max_row == 1 and book[W.INFO]["B2"].value is None
    assert book[W.INFO]["A2"].value == "报告标题"


def appendix_3(path: Path, rows: list[list], title_rows: int = 2) -> Path:
    """A sheet laid out like the printed appendix 3."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件3"
    sheet.append(["附件 3"])
    if title_rows > 1:
        sheet.append(["2020-2021 年度产业技术创新战略联盟活跃度评价结果"])
    sheet.append(["序号", "联盟名称", "联盟编号", "得分"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def printed_rows(data: Path) -> list[list]:
    """The shipped results as the printed appendix 3: tier headings between the blocks."""
    archive, _ = check_archive(str(data))
    edition = archive.edition(EDITION)
    out, tier, n = [], None, 0
    counts = {t.key: sum(1 for r in edition.evaluated if r.tier == t.key) for t in edition.tiers}
    for r in edition.evaluated:
        if r.tier != tier:
            tier = r.tier
            out.append([f"{edition.tier(tier).name}的联盟（共 {counts[tier]} 家）"])
        n += 1
        score = int(r.score) if r.score is not None else None
        out.append([n, archive.alliance(r.code).name, r.code, score])
    return out


def test_the_printed_appendix_layout_imports_with_tiers_from_its_headings(data, tmp_path):
    before = yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8"))
    book = appendix_3(tmp_path / "附件3.xlsx", printed_rows(data))
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == []
    importer.write_import(plan, str(tmp_path / "backup"))
    after = yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8"))
    assert after == before


def test_a_heading_whose_count_does_not_match_its_rows(data, tmp_path):
    rows = printed_rows(data)
    rows[0] = ["活跃度高的联盟（共 36 家）"]
    book = appendix_3(tmp_path / "附件3.xlsx", rows)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:附件3!A4", "heading-count")]


@pytest.mark.parametrize("sheet, changes, location, slug", [
    (W.RESULTS, {"C38": "某某产业技术创新战略联盟"}, "评价结果!C38", "name-mismatch"),
    (W.RESULTS, {"E2": "活跃度一般"}, "评价结果!E2", "tier-mismatch"),
    (W.RESULTS, {"B3": "110"}, "评价结果!B3", "duplicate-row"),
    (W.RESULTS, {"D5": "=90+9"}, "评价结果!D5", "formula-cell"),
    (W.RESULTS, {"D6": "九十"}, "评价结果!D6", "cell-number"),
    (W.RESULTS, {"D7": 120}, "评价结果!D7", "cell-range"),
    (W.RESULTS, {"E8": "很活跃"}, "评价结果!E8", "cell-tier"),
    (W.RESULTS, {"B9": "999"}, "评价结果!B9", "new-code"),
    (W.INFO, {"B5": "二〇二二年二月"}, "基本信息!B5", "cell-date"),
    (W.INFO, {"B3": "2020-13-01"}, "基本信息!B3", "cell-date"),
    (W.INFO, {"B7": "很多"}, "基本信息!B7", "cell-number"),
    (W.EXPERTS, {"D2": None, "C3": None}, "专家组!A3", "cell-missing"),
])
def test_each_mistake_in_a_sheet_is_named_by_its_cell(data, tmp_path, sheet, changes, location, slug):
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), sheet, changes)
    before = digest(data)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert (f"{book}:{location}", slug) in problems(plan)
    assert not plan.ok
    assert digest(data) == before


def test_a_date_where_a_score_belongs(data, tmp_path):
    import datetime as dt

    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.RESULTS, {"D4": dt.datetime(2021, 3, 1)})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert problems(plan) == [(f"{book}:评价结果!D4", "cell-number")]


def test_merged_cells_and_a_hidden_results_sheet(data, tmp_path):
    path = filled_workbook(data, tmp_path / "结果.xlsx")
    book = openpyxl.load_workbook(path)
    book[W.RESULTS].merge_cells("F3:F5")
    book[W.RESULTS].sheet_state = "hidden"
    book.active = 0
    book.save(path)
    plan = importer.plan_import(str(data), EDITION, str(path))
    assert sorted(problems(plan)) == [(f"{path}:评价结果", "hidden-sheet"), (f"{path}:评价结果!F3", "merged-cells")]


def test_the_checker_s_findings_point_at_cells(data, tmp_path):
    # 90 entered is fewer than the 106 listed: the whole checker finds it on the data as it would
    # be, and the finding names the cell the value came from, not a line of a file not yet written.
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.INFO, {"B7": 90})
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert (f"{book}:基本信息!B7", "count-exceeds") in problems(plan)
    assert not plan.ok


def test_the_checker_reads_the_planned_files_in_memory(data, tmp_path, monkeypatch):
    """The import checks the data as it would be with its planned files laid over the disk: no
    copy of the data folder is made and nothing is written before the plan is accepted."""
    book = edit(filled_workbook(data, tmp_path / "结果.xlsx"), W.INFO, {"B7": 90})
    before = digest(data)

    def no_copy(*args, **kwargs):
        raise AssertionError("the data folder is copied")

    monkeypatch.setattr(shutil, "copytree", no_copy)
    plan = importer.plan_import(str(data), EDITION, str(book))
    assert (f"{book}:基本信息!B7", "count-exceeds") in problems(plan)
    assert digest(data) == before


def test_a_source_lays_planned_files_over_the_disk(data):
    from reportsite.read.source import Source

    edition = data / EDITION / "edition.yaml"
    planned = edition.read_text(encoding="utf-8").replace("entered: 107", "entered: 90")
    later = data / "2022-2023" / "results.yaml"
    source = Source({str(edition): planned, str(later): "evaluated: []\n"})
    assert source.read(str(edition)) == planned.encode("utf-8")
    assert "2022-2023" in source.names(str(data)) and source.is_dir(str(data / "2022-2023"))
    assert not later.exists() and source.exists(str(later))
    _, found = check_archive(str(data), source=source)
    assert any(p.slug == "count-exceeds" and p.loc.path == str(edition) for p in found)
    assert any(p.loc.path == str(data / "2022-2023" / "edition.yaml") and p.slug == "file-missing" for p in found)


def test_a_file_that_is_not_a_workbook(data, tmp_path):
    fake = tmp_path / "结果.xlsx"
    fake.write_text("序号,联盟编号\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        importer.plan_import(str(data), EDITION, str(fake))
    assert caught.value.slug == "workbook-unreadable" and caught.value.location == str(fake)


def test_a_sheet_that_unpacks_to_50_mb_is_refused_before_it_is_read(data, tmp_path):
    path = filled_workbook(data, tmp_path / "结果.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/worksheets/padding.xml", b"<x>" + b" " * (40 * 1024 * 1024) + b"</x>")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(SheetError) as caught:
        importer.plan_import(str(data), EDITION, str(bomb))
    assert caught.value.slug == "workbook-too-large"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_a_csv_results_sheet_in_utf8_or_gbk(data, tmp_path, encoding):
    rows = printed_rows(data)
    lines = ["序号,联盟名称,联盟编号,得分"] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    path = tmp_path / "附件3.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    before = yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8"))
    plan = importer.plan_import(str(data), EDITION, str(path))
    assert problems(plan) == []
    importer.write_import(plan, str(tmp_path / "backup"))
    assert yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8")) == before


def test_a_csv_mistake_is_located_by_line_and_column(data, tmp_path):
    rows = printed_rows(data)
    rows[3][3] = "abc"
    lines = ["序号,联盟名称,联盟编号,得分"] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    path = tmp_path / "附件3.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = importer.plan_import(str(data), EDITION, str(path))
    assert problems(plan) == [(f"{path}:5:4", "cell-number")]


def soffice(*args: str, cwd: Path) -> None:
    """LibreOffice headless, as a real spreadsheet application opening and saving a file."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{cwd}/lo-profile", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=180)


def test_the_template_survives_a_round_trip_through_libreoffice_and_as_xls(data, tmp_path):
    path = filled_workbook(data, tmp_path / "结果.xlsx")
    out = tmp_path / "lo"
    soffice("--convert-to", "xls", "--outdir", str(out), str(path), cwd=tmp_path)
    soffice("--convert-to", "xlsx", "--outdir", str(out), str(out / "结果.xls"), cwd=tmp_path)
    before = yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8"))
    for saved in (out / "结果.xls", out / "结果.xlsx"):
        plan = importer.plan_import(str(data), EDITION, str(saved))
        assert problems(plan) == [], saved
        assert plan.rows == 86
        importer.write_import(plan, str(tmp_path / "backup"))
        assert yaml.safe_load((data / EDITION / "results.yaml").read_text(encoding="utf-8")) == before


def new_edition(data: Path) -> None:
    """2022-2023 made by `new` from the shipped edition, its results imported from the printed
    2020-2021 appendix (the scores do not matter here)."""
    from reportsite.authoring import scaffold

    archive, _ = check_archive(str(data))
    scaffold.write_edition(scaffold.plan_edition(str(data), str(data.parent / "content"), "2022-2023", archive.edition(EDITION)))
    # Its A-level is not what these tests are about: an edition that does not evaluate it.
    path = data / "2022-2023" / "edition.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("a_level:")] + "a_level: false\n", encoding="utf-8")


def renamed_book(data: Path, tmp_path: Path) -> tuple[Path, int]:
    """A new edition 2022-2023 and the printed appendix with 119 under a new name: the workbook
    and the row (0-based among the data rows) of the renamed alliance."""
    new_edition(data)
    rows = printed_rows(data)
    renamed = next(i for i, row in enumerate(rows) if len(row) == 4 and row[2] == "119")
    rows[renamed][1] = "先进存储产业技术创新战略联盟"
    return appendix_3(tmp_path / "附件3.xlsx", rows), renamed


def test_a_rename_is_recorded_in_the_registry_with_rename(data, tmp_path):
    book, renamed = renamed_book(data, tmp_path)
    refused = importer.plan_import(str(data), "2022-2023", str(book), entered=86)
    assert problems(refused) == [(f"{book}:附件3!B{renamed + 4}", "name-mismatch")]
    plan = importer.plan_import(str(data), "2022-2023", str(book), renames=frozenset({"119"}), entered=86)
    assert problems(plan) == []
    assert [m.text("en") for m in plan.changes] == [
        "recorded the rename of 119: 存储产业技术创新战略联盟 -> 先进存储产业技术创新战略联盟 "
        "(the old name printed until 2020-2021)"]
    registry = yaml.safe_load(plan.files[str(data / "alliances.yaml")])
    entry = next(e for e in registry if e["code"] == "119")
    assert entry == {"code": "119", "name": "先进存储产业技术创新战略联盟",
                     "former_names": [{"name": "存储产业技术创新战略联盟", "until": "2020-2021"}]}


def test_a_rename_in_an_older_edition_is_refused(data, tmp_path):
    book, renamed = renamed_book(data, tmp_path)
    plan = importer.plan_import(str(data), EDITION, str(book), renames=frozenset({"119"}))
    assert problems(plan) == [(f"{book}:附件3!B{renamed + 4}", "rename-not-newest")]
