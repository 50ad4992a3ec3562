"""An edition's results as downloads: CSV (UTF-8 with BOM), XLSX (a notes sheet, then one table)
and JSON, with the columns of the data contract.

`rows()` is pure; `write()` writes the three files. Text that a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe
in CSV, since a CSV cell has no type, and numbers in plain decimals. In XLSX every text cell is a
string cell holding the text exactly as in the data (no apostrophe added to the value), and a
formula-like one also gets Excel's "quote prefix" style, the mark Excel itself stores when someone
types `'=...`, so the cell stays text even when edited. Both through `escape.csv_cells()` and
`escape.data_cells()`, as every spreadsheet the tool writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from xml.etree import ElementTree
from xml.sax.saxutils import escape as xml_escape

try:
    from lxml import etree
except ImportError:  # a machine without lxml (requirements.txt pins it): the same bytes, slower
    etree = None

from reportsite.model import figures as F
from reportsite.model.escape import csv_cells, data_cells
from reportsite.model.records import Archive, Edition

COLUMNS = ("rank", "code", "name", "group", "score", "tier", "a_level", "status")
HEADERS = ("名次", "编号", "名称", "批次", "评分", "档次", "A级", "状态")
STATUS_NAMES = {F.EVALUATED: "参评", F.INCOMPLETE: "数据不完整"}
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (openpyxl refuses them with IllegalCharacterError). The checks
reject control characters in data; should one reach an export all the same, it becomes U+FFFD."""
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CORE_XML = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>{creator}</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
    "</cp:coreProperties>")
"""The workbook's properties, written by us rather than by openpyxl: its save stamps `modified`
with the current time, and its two XML writers (lxml's and the standard library's) declare the
namespaces in different places."""


@dataclass(frozen=True)
class Row:
    """One alliance of the edition, for programs (JSON) and, formatted, for people (CSV, XLSX)."""

    rank: int | None
    code: str
    name: str
    group: str
    """Group prefix, `"1"`."""
    group_name: str
    score: float | None
    tier: str | None
    """Tier key, None when incomplete."""
    tier_name: str | None
    a_level: bool
    status: str
    """`evaluated` or `incomplete`."""


def rows(archive: Archive, edition: Edition) -> list[Row]:
    """Evaluated alliances in published order, then the incomplete ones in file order."""
    a_level = set(edition.a_level.codes) if edition.a_level else set()
    out = []
    for r in F.ranking(edition):
        code = r.result.code
        tier = edition.tier(r.result.tier)
        out.append(Row(r.rank, code, archive.alliance(code).name_in(edition.id), code[0], edition.group(code[0]).name,
                       r.result.score, tier.key, tier.name, code in a_level, F.EVALUATED))
    for code in edition.incomplete:
        out.append(Row(None, code, archive.alliance(code).name_in(edition.id), code[0], edition.group(code[0]).name,
                       None, None, None, code in a_level, F.INCOMPLETE))
    return out


def for_people(row: Row) -> list:
    """A row's cells for CSV and XLSX; None for an empty cell (blank in XLSX, not an empty text)."""
    return [row.rank, row.code, row.name, row.group_name, F.plain_number(row.score), row.tier_name,
            "是" if row.a_level else None, STATUS_NAMES[row.status]]


def xml_safe(text: str) -> str:
    """`text` with the characters XML cannot hold replaced by U+FFFD."""
    return NOT_IN_XML.sub("\ufffd", text)


def to_csv(data: list[Row]) -> bytes:
    """UTF-8 with BOM so Excel and WPS open Chinese correctly; CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in data:
        writer.writerow(csv_cells(for_people(row)))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_json(edition: Edition, data: list[Row]) -> bytes:
    """The rows for programs, with the edition id; sorted keys, stable output."""
    payload = {"edition": edition.id, "title": edition.title, "columns": list(COLUMNS),
               "rows": [{**asdict(r), "score": F.plain_number(r.score)} for r in data]}
    return (json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def to_xlsx(archive: Archive, edition: Edition, data: list[Row]) -> bytes:
    """A notes sheet, then one table. Zip entries get a fixed time so the file is identical each build."""
    notes = (edition.title, f"评价期：{edition.start} 至 {edition.end}", f"发布单位：{'、'.join(edition.publishers)}",
             "名次为竞争排名（同分同名次）；只公布档次、未公布分数的联盟没有名次与评分。",
             "状态“数据不完整”：录入了信息但数据不完整，未纳入评价。")
    return download_workbook(edition, notes, "结果", HEADERS, [for_people(row) for row in data], {"C": 44, "D": 16})


def download_workbook(edition: Edition, notes: tuple[str, ...], name: str, headers: tuple[str, ...], cells: list[list],
             widths: dict[str, int]) -> bytes:
    """An edition's download as XLSX: a notes sheet 说明 (one line a row), then the table `name`
    (`headers`, then `cells`), its columns as wide as `widths` says; the same bytes every build."""
    # Imported where a workbook is made, so that `check` and `--help` never load it (a fifth of a second).
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one sheet, a worksheet
    sheet.title = "说明"
    for line in notes:
        sheet.append([xml_safe(line)])
    table = book.create_sheet(name)
    table.append(list(headers))
    for row in cells:
        table.append([xml_safe(c) if isinstance(c, str) else c for c in row])
    for each in (sheet, table):
        data_cells(each)
    table.freeze_panes = "A2"
    for column, width in widths.items():
        table.column_dimensions[column].width = width
    stamp = dt.datetime.strptime(edition.published + "-01", "%Y-%m-%d")
    raw = io.BytesIO()
    book.save(raw)
    core = CORE_XML.format(creator=xml_escape(xml_safe(edition.publishers[0] if edition.publishers else "")),
                           stamp=f"{stamp:%Y-%m-%dT%H:%M:%SZ}")
    return _normalise_zip(raw.getvalue(), XML_DECLARATION + core.encode("utf-8"))


def _canonical(xml: bytes) -> bytes:
    """One XML part in canonical form (C14N 2.0: namespaces declared where used, attributes sorted,
    empty elements as a start and an end tag), so either of openpyxl's writers gives these bytes.

    A part that declares no prefix (`xmlns:`), as a worksheet, which holds the data, declares
    none, is put in that form by libxml2's C14N 1.0, which writes the same bytes for it (the two
    differ only in where prefixes are declared) ten times faster: an archive's downloads hold
    hundreds of thousands of cells. The others, and every part where lxml is missing, go through
    the standard library's C14N 2.0 writer (`_c14n2`)."""
    if etree is not None and b"xmlns:" not in xml:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return XML_DECLARATION + etree.tostring(etree.fromstring(xml, parser), method="c14n")
    return _c14n2(xml)


def _c14n2(xml: bytes) -> bytes:
    """C14N 2.0 by the standard library.

    Its writer consults ElementTree's process-wide prefix registry, and a library loaded in the
    same process may register the empty prefix (WeasyPrint does, for the PDF's metadata), after
    which it writes `xmlns=""` twice on elements: the registry is set aside for the call so the
    bytes never depend on what else the process has loaded."""
    # A private name, so not in the type stubs.
    registry: dict[str, str] = getattr(ElementTree, "_namespace_map")
    saved = dict(registry)
    registry.pop("", None)
    try:
        return XML_DECLARATION + ElementTree.canonicalize(xml.decode("utf-8")).encode("utf-8")
    finally:
        registry.clear()
        registry.update(saved)


def _normalise_zip(data: bytes, core: bytes) -> bytes:
    """The same zip with its XML parts in canonical form, `docProps/core.xml` replaced by `core`,
    entries in name order and each entry's time fixed: the same bytes every build, on every
    machine."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            if name == "docProps/core.xml":
                content = core
            elif name.endswith((".xml", ".rels")):
                content = _canonical(src.read(name))
            else:
                content = src.read(name)
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()


def download_files(archive: Archive, edition: Edition) -> dict[str, bytes]:
    """The edition's `results.csv`, `results.xlsx` and `results.json`, by file name."""
    data = rows(archive, edition)
    return {"results.csv": to_csv(data), "results.xlsx": to_xlsx(archive, edition, data),
            "results.json": to_json(edition, data)}
