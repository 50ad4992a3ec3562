"""The downloads (CSV, XLSX, JSON) equal the model, and hostile alliance names come out inert.

The first half reads the files of the default site; the second builds a small project whose
registry holds `=HYPERLINK("x")` and `<script>alert(1)</script>` and reads every kind of output.

What "inert" means per format:
- HTML: the name appears escaped (`&lt;script&gt;`), never as markup.
- CSV: a cell has no type, so a formula-like cell gets a leading apostrophe (`'=HYPERLINK(...)`).
- XLSX: the cell holds the name exactly, as a string cell (`data_type == "s"`, never a formula),
  with Excel's quote-prefix style so it stays text when edited. openpyxl reads it back as the
  original str.
- JSON: data, not markup: the raw string is kept exactly and parses back to the original name.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EDITION, REGISTRY, ROOT, Project, run_build

from reportsite.model import figures as F
from reportsite.model.escape import spreadsheet_text
from reportsite.read.check import check_archive
from reportsite.render import exports

BOM = b"\xef\xbb\xbf"
DOWNLOADS = ("results.csv", "results.xlsx", "results.json")


def expected_rows(archive, edition) -> list[dict]:
    """Every alliance of the edition as the data contract describes it, from the model alone:
    the evaluated in the order of the results file (the published order), then the incomplete."""
    ranks = {r.result.code: r.rank for r in F.ranking(edition)}
    a_level = set(edition.a_level.codes) if edition.a_level else set()
    out = []
    for r in edition.evaluated:
        tier = edition.tier(r.tier)
        out.append({"rank": ranks[r.code], "code": r.code, "name": archive.alliance(r.code).name,
                    "group": r.code[0], "group_name": edition.group(r.code[0]).name, "score": r.score,
                    "tier": tier.key, "tier_name": tier.name, "a_level": r.code in a_level,
                    "status": "evaluated"})
    for code in edition.incomplete:
        out.append({"rank": None, "code": code, "name": archive.alliance(code).name,
                    "group": code[0], "group_name": edition.group(code[0]).name, "score": None,
                    "tier": None, "tier_name": None, "a_level": code in a_level, "status": "incomplete"})
    return out


def for_people(row: dict) -> list[str]:
    """A contract row as the CSV shows it: names for group and tier, 是 for A-level, empty for none."""
    def text(value):
        return "" if value is None else str(F.plain_number(value))
    return [text(row["rank"]), row["code"], row["name"], row["group_name"], text(row["score"]),
            row["tier_name"] or "", "是" if row["a_level"] else "",
            {"evaluated": "参评", "incomplete": "数据不完整"}[row["status"]]]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


# --- The default site: the downloads equal the model ----------------------------------------

@pytest.fixture(scope="module")
def model():
    archive, problems = check_archive(str(ROOT / "data"))
    assert archive is not None, [p.render() for p in problems]
    return archive, archive.edition(EDITION)


@pytest.fixture(scope="module")
def downloads(built_site) -> Path:
    return Path(built_site) / EDITION / "data"


def test_rows_are_86_evaluated_in_published_order_then_20_incomplete(model):
    archive, edition = model
    rows = exports.rows(archive, edition)
    assert (len(rows), len(edition.evaluated), len(edition.incomplete)) == (106, 86, 20)
    assert [r.status for r in rows] == ["evaluated"] * 86 + ["incomplete"] * 20
    assert [r.code for r in rows] == [r.code for r in edition.evaluated] + list(edition.incomplete)
    assert [vars(r) for r in rows] == expected_rows(archive, edition)


def test_csv_equals_the_model(model, downloads):
    archive, edition = model
    assert (downloads / "results.csv").read_bytes().startswith(BOM)
    table = read_csv(downloads / "results.csv")
    assert table[0] == ["名次", "编号", "名称", "批次", "评分", "档次", "A级", "状态"]
    assert table[1:] == [for_people(r) for r in expected_rows(archive, edition)]


def test_xlsx_has_notes_first_then_one_table_equal_to_the_model(model, downloads):
    archive, edition = model
    book = openpyxl.load_workbook(downloads / "results.xlsx")
    assert book.sheetnames == ["说明", "结果"]
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert notes[0] == edition.title
    table = list(book["结果"].iter_rows(values_only=True))
    assert table[0] == ("名次", "编号", "名称", "批次", "评分", "档次", "A级", "状态")
    expected = [tuple(cell if cell != "" else None for cell in for_people(r))
                for r in expected_rows(archive, edition)]
    as_text = [tuple(None if v is None else str(F.plain_number(v)) if isinstance(v, (int, float)) else v
                     for v in row) for row in table[1:]]
    assert as_text == expected
    sheet = book["结果"]
    for row in sheet.iter_rows(min_row=2):
        rank, score = row[0], row[4]
        assert rank.value is None or rank.data_type == "n"
        assert score.value is None or score.data_type == "n"


def test_json_follows_the_data_contract(model, downloads):
    archive, edition = model
    data = json.loads((downloads / "results.json").read_text(encoding="utf-8"))
    assert data["edition"] == EDITION
    assert data["columns"] == ["rank", "code", "name", "group", "score", "tier", "a_level", "status"]
    assert data["rows"] == expected_rows(archive, edition)
    for row in data["rows"]:
        assert isinstance(row["a_level"], bool)
        assert row["status"] in ("evaluated", "incomplete")
        assert row["rank"] is None or isinstance(row["rank"], int)


def test_ranking_page_links_the_downloads(built_site):
    page = (Path(built_site) / EDITION / "ranking.html").read_text(encoding="utf-8")
    for name in DOWNLOADS:
        assert f'href="data/{name}"' in page


def test_a_second_build_writes_identical_bytes(built_site, tmp_path):
    result = run_build("--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    for name in DOWNLOADS:
        first = (Path(built_site) / EDITION / "data" / name).read_bytes()
        assert (tmp_path / "site" / EDITION / "data" / name).read_bytes() == first, name


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_formula_like_cell_gets_an_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["半导体照明产业技术创新战略联盟", "D106", "1+1", ""])
def test_ordinary_text_is_left_alone(text):
    assert spreadsheet_text(text) == text


# --- Hostile names in test data ----------------------------------------------------------------

FORMULA = '=HYPERLINK("x")'
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
FORMULA_CODE, SCRIPT_CODE = "201", "233"
"""In the fixture project 201 is incomplete, 233 evaluated (tier only, no score)."""

@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Project:
    """The fixture project with two alliances renamed, and one narrative page naming both."""
    project = Project(tmp_path_factory.mktemp("hostile"))
    project.replace(REGISTRY, "name: 激光加工产业技术创新战略联盟", f"name: {json.dumps(FORMULA)}")
    project.replace(REGISTRY, "name: 住宅科技产业技术创新战略联盟", f"name: {json.dumps(SCRIPT)}")
    content = project.root / "content" / EDITION
    content.mkdir(parents=True)
    (content / "01-preface.md").write_text(
        f"# 前言\n\n{{{{ alliance('{SCRIPT_CODE}') }}}}与{{{{ alliance('{FORMULA_CODE}') }}}}。\n",
        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_model(hostile):
    archive, problems = check_archive(str(hostile.data))
    assert archive is not None, [p.render() for p in problems]
    edition = archive.edition(EDITION)
    assert archive.alliance(FORMULA_CODE).name == FORMULA
    assert archive.alliance(SCRIPT_CODE).name == SCRIPT
    return archive, edition


@pytest.fixture(scope="module")
def hostile_downloads(hostile_model, tmp_path_factory) -> Path:
    """The downloads as the build makes them (the build's own `exports.download_files`)."""
    folder = tmp_path_factory.mktemp("hostile-downloads")
    for name, data in exports.download_files(*hostile_model).items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def hostile_site(hostile) -> Path:
    """The hostile project built by `python build.py`; the edition folder."""
    out = hostile.root / "site"
    result = run_build("--data", str(hostile.data), "--content", str(hostile.root / "content"),
                       "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out / EDITION


def test_csv_cells_cannot_be_formulas(hostile_model, hostile_downloads):
    table = read_csv(hostile_downloads / "results.csv")
    names = {row[1]: row[2] for row in table[1:]}
    assert names[FORMULA_CODE] == "'" + FORMULA
    assert names[SCRIPT_CODE] == SCRIPT
    assert not [cell for row in table for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_xlsx_keeps_the_name_as_a_string_cell(hostile_downloads):
    book = openpyxl.load_workbook(hostile_downloads / "results.xlsx")
    cells = {row[1].value: row[2] for row in book["结果"].iter_rows(min_row=2)}
    for code, name in ((FORMULA_CODE, FORMULA), (SCRIPT_CODE, SCRIPT)):
        cell = cells[code]
        assert isinstance(cell.value, str) and cell.value == name
        assert cell.data_type == "s"
    assert cells[FORMULA_CODE].quotePrefix
    with zipfile.ZipFile(hostile_downloads / "results.xlsx") as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not [s for s in sheets if "<f>" in s or "<f " in s], "no cell is stored as a formula"


def test_json_keeps_the_names_as_data(hostile_downloads):
    data = json.loads((hostile_downloads / "results.json").read_text(encoding="utf-8"))
    names = {row["code"]: row["name"] for row in data["rows"]}
    assert names[FORMULA_CODE] == FORMULA
    assert names[SCRIPT_CODE] == SCRIPT


class _Scripts(html.parser.HTMLParser):
    """Collects what a browser would run: script bodies and on* attribute values."""

    def __init__(self):
        super().__init__()
        self.code: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        self.code.extend(v or "" for k, v in attrs if k.startswith("on"))

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.code.append(data)


@pytest.mark.parametrize("name", ["ranking.html", "appendix-2.html", "appendix-3.html", "preface.html"])
def test_html_pages_show_the_names_escaped(hostile_site, name):
    page = (hostile_site / name).read_text(encoding="utf-8")
    assert SCRIPT not in page
    if name != "appendix-2.html":
        assert ESCAPED in page
    if name != "appendix-3.html":
        assert "=HYPERLINK(" in page


def test_alliance_page_shows_the_name_escaped(hostile_site):
    page = (hostile_site / "alliances" / f"{SCRIPT_CODE}.html").read_text(encoding="utf-8")
    assert ESCAPED in page
    assert SCRIPT not in page


def test_no_page_runs_the_name(hostile_site):
    for path in sorted(hostile_site.rglob("*.html")):
        parser = _Scripts()
        parser.feed(path.read_text(encoding="utf-8"))
        assert not [c for c in parser.code if "alert(1)" in c], path.relative_to(hostile_site)


def test_no_js_or_json_file_holds_the_raw_script_tag(hostile_site):
    """Covers the site-search index (and any other data the pages load), whatever its name:
    every .js and .json file of the built site except the JSON downloads, which are data (an
    edition's `data/results.json`, wherever the archive copies the edition)."""
    site = hostile_site.parent
    files = [p for p in sorted(site.rglob("*")) if p.suffix in (".js", ".json")
             and not (p.name in DOWNLOADS and p.parent.name == "data")]
    assert files
    for path in files:
        assert SCRIPT not in path.read_text(encoding="utf-8", errors="replace"), path.relative_to(site)


def test_search_index_holds_the_name_escaped(hostile_site):
    index = hostile_site / "search-index.js"
    if not index.exists():
        pytest.skip("search-index.js is not built yet (site search, issue 5)")
    text = index.read_text(encoding="utf-8")
    assert "alert(1)" in text, "the alliance's name is indexed"
    assert SCRIPT not in text


def test_browser_runs_no_name(page, hostile_site):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((hostile_site / "ranking.html").as_uri())
    page.wait_for_selector("table[data-ranking][data-ranking-ready]", state="attached")
    page.fill('[data-filter="q"]', "<script>")
    names = page.eval_on_selector_all("table[data-ranking] tbody tr:not([hidden]) td:nth-child(2)",
                                      "tds => tds.map(td => td.textContent)")
    assert names == [SCRIPT]
    page.goto((hostile_site / "alliances" / f"{SCRIPT_CODE}.html").as_uri())
    assert page.locator("h1").first.text_content().strip() == SCRIPT
    assert dialogs == []
    assert page.console_errors == []


EDGE_TEXT = ["a\rb", "t\tab", "line\nbreak", 'q"uote', "it's", "a&b<c>d", "]]>", "\ufffd", "𠮷野家😀", " lead",
             "trail ", "=1+1", "中文，标点。", "\u200b", "\u2028"]
"""Cell texts whose escaping or spacing a canonical form could write otherwise."""


def test_a_worksheet_takes_the_fast_canonical_form_and_it_equals_c14n2():
    """A part that declares no prefix goes through libxml2's C14N 1.0 (the data's sheets); it gives
    the bytes of the standard library's C14N 2.0, which the other parts go through."""
    book = openpyxl.Workbook()
    sheet = book.active
    for i, text in enumerate(EDGE_TEXT):
        sheet.append([text, i, i + 0.5, None, exports.xml_safe(text)])
    sheet.freeze_panes = "A2"
    raw = io.BytesIO()
    book.save(raw)
    with zipfile.ZipFile(raw) as z:
        parts = {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}
    fast = [n for n, xml in parts.items() if b"xmlns:" not in xml]
    assert "xl/worksheets/sheet1.xml" in fast and "xl/workbook.xml" not in fast
    for name, xml in parts.items():
        assert exports._canonical(xml) == exports._c14n2(xml), name
