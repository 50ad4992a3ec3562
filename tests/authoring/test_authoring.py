"""The secretariat's commands as a person runs them: new, template, import, then build.

The round trip is the contract: the shipped edition's workbook, filled by `template` and read back
by `import` into a copy of the project, builds a site byte-identical to the one built from the
original YAML.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import ROOT
from hostile import digest, failed_with, no_traceback, run

EDITION = "2020-2021"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the shipped project (data, content, settings) in `tmp_path`."""
    for name in ("data", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_round_trip_builds_the_same_site_byte_for_byte(project):
    built = run("build", "--jobs", "1", "--out", "before", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    made = run("template", EDITION, "结果.xlsx", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    # The workbook goes back into the edition with the notes, A-level list and printed: kept.
    imported = run("import", EDITION, "结果.xlsx", cwd=project)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "已导入 86 行评价结果" in imported.stdout
    edition = yaml.safe_load((project / "data" / EDITION / "edition.yaml").read_text(encoding="utf-8"))
    assert edition["printed"]["date"] == "2022-02" and len(edition["acknowledged"]) == 2
    assert len(edition["a_level"]["codes"]) == 24
    again = run("build", "--jobs", "1", "--out", "after", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr
    before, after = tree(project / "before"), tree(project / "after")
    assert sorted(before) == sorted(after)
    assert [name for name in before if before[name] != after[name]] == []


def test_a_new_edition_from_the_commands_alone(project):
    made = run("new", "2022-2023", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    assert made.stdout.startswith("已新建 2022-2023（底本 2020-2021）")
    narrative = (project / "content" / "2022-2023" / "01-preface.md").read_text(encoding="utf-8")
    assert "vs(" not in narrative and "{{ n.pilot_scope }}" in narrative
    edition = yaml.safe_load((project / "data" / "2022-2023" / "edition.yaml").read_text(encoding="utf-8"))
    assert "printed" not in edition and edition["period"]["start"].year == 2022
    blank = run("template", "2022-2023", "数据.xlsx", cwd=project)
    assert blank.returncode == 0 and "空白" in blank.stdout
    book = openpyxl.load_workbook(project / "数据.xlsx")
    sheet = book["评价结果"]
    for i, (code, score) in enumerate([("110", 96), ("104", 88), ("233", 71), ("201", 55)], start=2):
        sheet.append([i - 1, code, None, score, None, None])
    info = book["基本信息"]
    info["B2"] = "2022-2023 年度产业技术创新战略联盟活跃度评价报告（示例数据）"
    info["B7"] = 4
    info["B8"] = "是"
    # The rule carried over from 2020-2021, rewritten for this edition; the list typed (the archive
    # lacks the editions the rule needs to compute it).
    a_level = book["A级联盟"]
    assert [a_level[f"B{r}"].value for r in range(2, 6)] == [
        "是", "A级活跃度产业技术创新战略联盟", "2018-2021 连续三个评价期活跃度高", 3]
    a_level["B4"] = "2020-2023 连续三个评价期活跃度高"
    assert a_level["B7"].value == "联盟编号"
    a_level["B8"] = "110"
    book.save(project / "数据.xlsx")
    imported = run("import", "2022-2023", "数据.xlsx", cwd=project)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "A 级名单按填写的 1 家导入：规则需要往前 2 届的结果，档案中只有 2020-2021，未能全部核对" in imported.stdout
    edition = yaml.safe_load((project / "data" / "2022-2023" / "edition.yaml").read_text(encoding="utf-8"))
    assert edition["demo"] is True and edition["a_level"]["codes"] == ["110"]
    results = yaml.safe_load((project / "data" / "2022-2023" / "results.yaml").read_text(encoding="utf-8"))
    assert results["evaluated"] == [{"code": "110", "score": 96}, {"code": "104", "score": 88},
                                    {"code": "233", "score": 71}, {"code": "201", "score": 55}]
    # Every comment of the files new and import wrote is Chinese (a person opening one reads it).
    for path in (project / "data" / "2022-2023").glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            comment = line.partition("#")[2] if not line.lstrip().startswith(('"', "-")) else ""
            assert not comment or re.search(r"[\u4e00-\u9fff]", comment), f"{path.name}: {line}"
    assert (project / "content" / "2022-2023" / "01-preface.md").read_text(encoding="utf-8").startswith(
        "{# 由 python build.py new 从 2020-2021 复制：")
    built = run("build", "--jobs", "1", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    ranking = (project / "site" / "2022-2023" / "ranking.html").read_text(encoding="utf-8")
    assert "半导体照明产业技术创新战略联盟" in ranking


def test_new_refuses_an_existing_edition_and_a_bad_id(project):
    before = digest(project, (".reportsite",))
    failed_with(run("new", EDITION, "--from", EDITION, cwd=project), "new-exists", "data/2020-2021")
    failed_with(run("new", "2022-2021", cwd=project), "new-bad-id", status=2)
    failed_with(run("new", "２０２２", cwd=project), "new-bad-id", status=2)
    said = failed_with(run("new", "2024－2025", cwd=project), "new-bad-id", status=2)
    assert said == ("error [new-bad-id] “2024－2025”第 5 个字符是全角连字符“－”（U+FF0D，半角为 -）："
                    "版次只用半角数字和半角连字符 -，应写成 2024-2025")
    said = failed_with(run("new", "2024—2025", cwd=project), "new-bad-id", status=2)
    assert "破折号“—”（U+2014，不是半角连字符 -）" in said and said.endswith("应写成 2024-2025")
    failed_with(run("new", "2018-2019", cwd=project), "new-no-previous", "data")
    failed_with(run("new", "2024-2025", "--from", "2019-2020", cwd=project), "new-no-previous", "data")
    assert digest(project, (".reportsite",)) == before


def test_template_never_replaces_a_file(project):
    (project / "结果.xlsx").write_text("我的文件", encoding="utf-8")
    before = digest(project, (".reportsite",))
    failed_with(run("template", EDITION, "结果.xlsx", cwd=project), "template-exists", "结果.xlsx")
    failed_with(run("template", "2030-2031", "新.xlsx", cwd=project), "template-unknown", "data")
    failed_with(run("template", EDITION, "结果.csv", cwd=project), "template-type", status=2)
    assert digest(project, (".reportsite",)) == before


HOSTILE = {
    "formula": ({"评价结果": {"D5": "=90+9"}}, "结果.xlsx:评价结果!D5", "formula-cell"),
    "date-for-score": ({"评价结果": {"D4": "date"}}, "结果.xlsx:评价结果!D4", "cell-number"),
    "name-renamed": ({"评价结果": {"C3": "某某产业技术创新战略联盟"}}, "结果.xlsx:评价结果!C3", "name-mismatch"),
    "tier-contradicts": ({"评价结果": {"E2": "不活跃"}}, "结果.xlsx:评价结果!E2", "tier-mismatch"),
    "duplicate": ({"评价结果": {"B3": "110"}}, "结果.xlsx:评价结果!B3", "duplicate-row"),
    "new-code": ({"评价结果": {"B4": "399"}}, "结果.xlsx:评价结果!B4", "new-code"),
    "merged": ({"评价结果": {"merge": "F2:F9"}}, "结果.xlsx:评价结果!F2", "merged-cells"),
    "hidden": ({"评价结果": {"hide": True}}, "结果.xlsx:评价结果", "hidden-sheet"),
}


def hostile_book(project: Path, changes: dict) -> Path:
    """The filled template with hostile changes."""
    import datetime as dt

    made = run("template", EDITION, "结果.xlsx", cwd=project)
    assert made.returncode == 0, made.stderr
    path = project / "结果.xlsx"
    book = openpyxl.load_workbook(path)
    for sheet_name, cells in changes.items():
        sheet = book[sheet_name]
        for ref, value in cells.items():
            if ref == "merge":
                sheet.merge_cells(value)
            elif ref == "hide":
                sheet.sheet_state = "hidden"
                book.active = 0
            else:
                sheet[ref] = dt.datetime(2021, 3, 1) if value == "date" else value
    book.save(path)
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_workbook_writes_nothing_and_names_the_cell(project, case):
    changes, location, slug = HOSTILE[case]
    hostile_book(project, changes)
    before = digest(project, (".reportsite",))
    result = run("import", EDITION, "结果.xlsx", cwd=project)
    failed_with(result, slug, location)
    assert "没有写入任何文件" in result.stdout
    assert digest(project, (".reportsite",)) == before


@pytest.mark.parametrize("name, content, slug", [
    ("结果.xlsx", b"PK\x03\x04 not really a zip", "workbook-unreadable"),
    ("结果.xlsx", "序号,联盟编号\n".encode(), "workbook-unreadable"),
    ("结果.ods", b"whatever", "workbook-type"),
    ("结果.csv", "序号,联盟编号\n1,110\n".encode("utf-16"), "workbook-encoding"),
])
def test_a_file_that_is_not_a_workbook(project, name, content, slug):
    (project / name).write_bytes(content)
    before = digest(project, (".reportsite",))
    failed_with(run("import", EDITION, name, cwd=project), slug, name)
    assert digest(project, (".reportsite",)) == before


def test_a_50_mb_sheet_is_refused_quickly(project):
    import zipfile

    hostile_book(project, {})
    with zipfile.ZipFile(project / "结果.xlsx") as src, \
            zipfile.ZipFile(project / "大.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b"<row r=\"9999\"><c r=\"A9999\" t=\"inlineStr\"><is><t>"
                                    + b"x" * (50 * 1024 * 1024) + b"</t></is></c></row></sheetData>")
            dst.writestr(item, data)
    before = digest(project, (".reportsite",))
    failed_with(run("import", EDITION, "大.xlsx", cwd=project, timeout=60), "workbook-too-large", "大.xlsx")
    assert digest(project, (".reportsite",)) == before


def test_messages_follow_lang(project):
    hostile_book(project, {"评价结果": {"E2": "不活跃"}})
    result = run("import", EDITION, "结果.xlsx", "--lang", "en", cwd=project)
    no_traceback(result)
    assert "结果.xlsx:评价结果!E2: error [tier-mismatch] tier \"不活跃\" does not match score 100" in result.stdout
    assert "nothing was written" in result.stdout
