"""The downloads under hostile names and on any machine: results.xlsx is well-formed, the same
bytes whether openpyxl writes with lxml or with the standard library, readable by a strict parser,
by openpyxl under lxml and by a real spreadsheet application (LibreOffice headless); a name that
looks like a formula stays text; a control character that slipped past the checks does not crash.

openpyxl picks its XML writer when imported (`openpyxl.xml.LXML`): lxml when it is installed and
`OPENPYXL_LXML` is not `False`. Each side is produced in a subprocess: with lxml, with
`OPENPYXL_LXML=False`, and with lxml made unimportable (as on a machine without it).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from conftest import EDITION, REGISTRY, ROOT, run_build
from hostile import HostileProject
from lxml import etree

from reportsite.read.check import check_archive
from reportsite.render import exports

FORMULAS = {"110": "=1+1", "104": "+1+1", "233": "-1+1", "201": "@SUM(1,1)",
            "D106": '=HYPERLINK("http://example.invalid","点击")'}
"""A formula-like name for each alliance of the fixture project."""

WRITE = """
import sys
BLOCK_LXML = {block}
if BLOCK_LXML:
    sys.modules["lxml"] = None  # import lxml now fails, as on a machine without it
sys.path.insert(0, {root!r})
import openpyxl.xml
from reportsite.render import exports
from reportsite.read.check import check_archive
archive, _ = check_archive(sys.argv[1])
edition = archive.editions[-1]
import os
os.makedirs(sys.argv[2], exist_ok=True)
for name, data in exports.download_files(archive, edition).items():
    with open(os.path.join(sys.argv[2], name), "wb") as f:
        f.write(data)
print(openpyxl.xml.LXML)
"""
"""Writes the downloads of the project's latest edition into a folder; prints whether lxml wrote them."""

SIDES = {
    "lxml": ({}, False, "True"),
    "env-no-lxml": ({"OPENPYXL_LXML": "False"}, False, "False"),
    "lxml-absent": ({}, True, "False"),
}


@pytest.fixture
def formula_project(project):
    """The fixture project with a formula-like name for every alliance."""
    project.write(REGISTRY, "".join(f"- code: \"{code}\"\n  name: '{name}'\n" for code, name in FORMULAS.items()))
    archive, problems = project.check()
    assert archive is not None, problems
    assert sorted(a.name for a in archive.alliances) == sorted(FORMULAS.values())
    return project


def write_downloads(data: str, out: str, side: str) -> None:
    """The downloads written by a subprocess on one side."""
    env, block, lxml = SIDES[side]
    result = subprocess.run([sys.executable, "-c", WRITE.format(block=block, root=str(ROOT)), data, out],
                            capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == lxml, f"{side}: openpyxl.xml.LXML is {result.stdout.strip()}"


@pytest.fixture
def downloads(formula_project, tmp_path) -> dict[str, str]:
    """The downloads of the formula project, by side."""
    out = {}
    for side in SIDES:
        out[side] = str(tmp_path / side)
        write_downloads(str(formula_project.data), out[side], side)
    return out


@pytest.mark.parametrize("name", ["results.xlsx", "results.csv", "results.json"])
def test_downloads_are_the_same_bytes_with_and_without_lxml(downloads, name):
    contents = {side: open(os.path.join(folder, name), "rb").read() for side, folder in downloads.items()}
    assert contents["lxml"] == contents["env-no-lxml"] == contents["lxml-absent"]


def parts(path: str) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("side", SIDES)
def test_every_xml_part_parses_strictly_with_namespaces(downloads, side):
    for name, content in parts(os.path.join(downloads[side], "results.xlsx")).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(content, etree.XMLParser(ns_clean=False, recover=False))


def test_core_properties_are_the_edition_s_with_declared_namespaces(downloads):
    core = etree.fromstring(parts(os.path.join(downloads["lxml"], "results.xlsx"))["docProps/core.xml"])
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
          "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    xsi_type = "{http://www.w3.org/2001/XMLSchema-instance}type"
    for field in ("created", "modified"):
        element = core.find(f"dcterms:{field}", ns)
        assert element.text == "2022-02-01T00:00:00Z"
        prefix, _, local = element.get(xsi_type).partition(":")
        assert element.nsmap[prefix] == ns["dcterms"] and local == "W3CDTF"
    assert core.find("dc:creator", ns).text == "中国产业技术创新战略联盟协同发展网"


def test_openpyxl_under_lxml_reads_the_workbook_back(downloads):
    assert openpyxl.xml.LXML, "lxml must be installed for the tests (requirements-test.txt)"
    book = openpyxl.load_workbook(os.path.join(downloads["env-no-lxml"], "results.xlsx"))
    assert book.sheetnames == ["说明", "结果"]
    assert str(book.properties.modified) == str(book.properties.created) == "2022-02-01 00:00:00"
    cells = {row[1].value: row[2] for row in book["结果"].iter_rows(min_row=2)}
    for code, name in FORMULAS.items():
        assert cells[code].value == name and cells[code].data_type == "s" and cells[code].quotePrefix


def test_no_sheet_holds_a_formula(downloads):
    for name, content in parts(os.path.join(downloads["lxml"], "results.xlsx")).items():
        if name.startswith("xl/worksheets/"):
            assert etree.fromstring(content).find(".//{*}f") is None, name


def test_csv_formula_like_cells_start_with_an_apostrophe(downloads):
    text = open(os.path.join(downloads["lxml"], "results.csv"), encoding="utf-8-sig").read()
    names = {row[1]: row[2] for row in csv.reader(io.StringIO(text))}
    assert {code: names[code] for code in FORMULAS} == {code: "'" + n for code, n in FORMULAS.items()}


def libreoffice(tmp_path, *args: str) -> None:
    """Run LibreOffice headless with a profile of its own (other runs may be going on)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is not installed: run `make system-deps`"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr


def libreoffice_sheets(xlsx: str, tmp_path) -> dict[str, list[list[str]]]:
    """Every sheet of `xlsx` as LibreOffice reads it, by sheet name, through its CSV export
    (UTF-8, all sheets; formulas exported as their results)."""
    out = tmp_path / "libreoffice"
    every_sheet_as_utf8 = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    libreoffice(tmp_path, "--convert-to", every_sheet_as_utf8, "--outdir", str(out), xlsx)
    stem = os.path.splitext(os.path.basename(xlsx))[0]
    sheets = {}
    for path in sorted(out.iterdir()):
        sheet = path.stem.removeprefix(stem + "-")
        sheets[sheet] = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return sheets


def as_shown(value) -> str:
    """A cell as a spreadsheet's CSV export shows it."""
    return "" if value is None else str(value)


def test_libreoffice_reads_the_cells_we_wrote(downloads, formula_project, tmp_path):
    sheets = libreoffice_sheets(os.path.join(downloads["lxml"], "results.xlsx"), tmp_path)
    assert set(sheets) == {"说明", "结果"}
    archive, _ = check_archive(str(formula_project.data))
    edition = archive.edition(EDITION)
    expected = [list(exports.HEADERS)] + [[as_shown(c) for c in exports.for_people(r)]
                                          for r in exports.rows(archive, edition)]
    assert sheets["结果"] == expected
    # A formula would show its result (2, 0, #NAME?), the text shows as written.
    assert {row[1]: row[2] for row in sheets["结果"][1:]} == FORMULAS
    assert sheets["说明"][0] == [edition.title]


def test_libreoffice_opens_the_csv_with_formula_like_names_as_text(downloads, tmp_path):
    # Imported as UTF-8 CSV and saved as a workbook: a formula would be a cell of type "f".
    out = tmp_path / "from-csv"
    libreoffice(tmp_path, "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
                os.path.join(downloads["lxml"], "results.csv"))
    rows = list(openpyxl.load_workbook(out / "results.xlsx").active.iter_rows(min_row=2))
    assert [c.coordinate for row in rows for c in row if c.data_type == "f"] == []
    # (A CSV cell has no type: the code 110 comes back as a number.)
    assert {str(row[1].value): row[2].value for row in rows} == {code: "'" + n for code, n in FORMULAS.items()}


def test_libreoffice_reads_the_shipped_edition(tmp_path):
    archive, _ = check_archive(str(ROOT / "data"))
    edition = archive.edition(EDITION)
    path = tmp_path / "results.xlsx"
    path.write_bytes(exports.to_xlsx(archive, edition, exports.rows(archive, edition)))
    sheets = libreoffice_sheets(str(path), tmp_path)
    expected = [[as_shown(c) for c in exports.for_people(r)] for r in exports.rows(archive, edition)]
    assert sheets["结果"][1:] == expected and len(expected) == 106


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x0b", "\ufffe"], ids=["soh", "esc", "vt", "non-character"])
def test_a_control_character_in_a_name_does_not_crash_the_export(project, char):
    archive, _ = project.check()
    edition = archive.edition(EDITION)
    broken = dataclasses.replace(archive.alliances[0], name=f"农业{char}装备产业技术创新战略联盟")
    archive = dataclasses.replace(archive, alliances=(broken, *archive.alliances[1:]))
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(archive, edition, exports.rows(archive, edition))))
    names = [row[2].value for row in book["结果"].iter_rows(min_row=2)]
    assert "农业\ufffd装备产业技术创新战略联盟" in names


def test_the_check_stops_a_control_character_before_any_export(project):
    project.replace(REGISTRY, "name: 农业装备", 'name: "农业\\x01装备')
    project.replace(REGISTRY, "战略联盟\n- code: \"110\"", '战略联盟"\n- code: "110"')
    archive, problems = project.check()
    assert archive is None and [p.slug for p in problems] == ["control-character"]


def test_the_site_is_the_same_with_and_without_lxml(tmp_path):
    project = HostileProject(tmp_path / "project")
    sites = {}
    for side, env in (("lxml", {}), ("no-lxml", {"OPENPYXL_LXML": "False"})):
        out = tmp_path / side
        result = run_build("build", "--jobs", "1", "--out", str(out), cwd=project.root, env={**os.environ, **env})
        assert result.returncode == 0, result.stdout + result.stderr
        sites[side] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert sites["lxml"].keys() == sites["no-lxml"].keys()
    assert [name for name in sites["lxml"] if sites["lxml"][name] != sites["no-lxml"][name]] == []


def test_the_workbook_does_not_depend_on_what_the_process_loaded_before():
    # WeasyPrint registers the empty XML prefix process-wide when its PDF module loads; the
    # workbook written after that must be the same bytes (it was malformed: xmlns="" twice).
    from xml.etree import ElementTree

    from reportsite.read.check import check_archive
    from reportsite.render import exports

    archive, _ = check_archive(str(ROOT / "data"))
    edition = archive.edition("2020-2021")
    before = exports.to_xlsx(archive, edition, exports.rows(archive, edition))
    saved = dict(ElementTree._namespace_map)
    ElementTree.register_namespace("", "")
    try:
        after = exports.to_xlsx(archive, edition, exports.rows(archive, edition))
    finally:
        ElementTree._namespace_map.clear()
        ElementTree._namespace_map.update(saved)
    assert after == before
