"""A workbook's size, counted before it is parsed: the budgets an import keeps to.

A spreadsheet reader builds what the file declares, not what it holds: one cell at XFD1048576 makes
openpyxl fill a grid of 17 billion cells, one at IV65536 on an .xls makes calamine allocate 16
million, and 50 KB of `<c/>` elements compress from gigabytes of cells. So every sheet is first
streamed, record by record, counting what a reader would build (rows, the last row and column,
cells, the grid they span, shared strings, merged ranges, and every XML element of every part),
and the file is refused at the first count past its budget, at the cell or sheet where it passed
it, before any reader sees it. Streaming keeps the count itself small: an .xlsx part is fed to
expat in pieces (no document type, no entities), an .xls is read as its BIFF records.

The budgets (docs/security.md) are far above a secretariat's workbook (120 rows of 8 columns) and
far below what a reader can hold in memory: a workbook within them imports in under 400 MB.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter

from reportsite.model.errors import ReportError
from reportsite.model.messages import Message, message
from reportsite.model.records import quote

MAX_SHEETS = 64
MAX_ROWS = 20_000
"""The last row any sheet may use (and the most `<row>` records it may have)."""
MAX_COLUMNS = 100
"""The last column any sheet may use: CV."""
MAX_CELLS = 250_000
"""Cells written in the file, all sheets together."""
MAX_GRID = 250_000
"""Cells of the grid the sheets span (last row x last column, all sheets together): what a
reader builds."""
MAX_STRINGS = 250_000
"""Entries of the shared-string table."""
MAX_MERGES = 1_000
"""Merged ranges, all sheets together."""
MAX_ELEMENTS = 2_000_000
"""XML elements of any one part of an .xlsx (styles, drawings, ...)."""
CHUNK = 64 * 1024
NAMED_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
"""The parts that name the sheets and the parts holding them."""
CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _damaged(detail: str) -> Message:
    """The reason a part that is not well-formed is refused, with the parser's own words."""
    return message("workbook-reason/damaged-detail", detail=quote(detail, 80))


class BudgetError(ReportError):
    """A workbook past one of its budgets."""

    slug = "workbook-too-large"


@dataclass
class Count:
    """What the sheets hold so far."""

    path: str
    cells: int = 0
    grid: int = 0
    strings: int = 0
    merges: int = 0
    sheet: str = ""
    rows: int = 0
    last_row: int = 0
    last_col: int = 0
    csv: bool = False
    """A CSV file (located by row and column), not a workbook."""

    def over(self, what: str, count: int, limit: int, cell: tuple[int, int] | None = None) -> BudgetError:
        """The error for a count past its limit, at the sheet (and cell) where it passed it: a
        workbook's `FILE:SHEET!CELL`, a CSV file's `FILE:ROW:COL`."""
        where = f"{self.path}:{self.sheet}" if self.sheet else self.path
        if cell is not None and self.csv:
            where = f"{self.path}:{cell[0]}:{cell[1]}"
        elif cell is not None:
            where += f"!{get_column_letter(min(cell[1], 18278))}{cell[0]}"
        return BudgetError.of(f"workbook-too-large/{what}", where, count=count, limit=limit)

    def start_sheet(self, name: str) -> None:
        self.grid += self.last_row * self.last_col
        self.sheet, self.rows, self.last_row, self.last_col = name, 0, 0, 0

    def row(self, index: int) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise self.over("rows", self.rows, MAX_ROWS)
        if index > MAX_ROWS:
            raise self.over("last-row", index, MAX_ROWS, (index, 1))

    def cell(self, row: int, col: int) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise self.over("cells", self.cells, MAX_CELLS, (row, col))
        if row > MAX_ROWS:
            raise self.over("last-row", row, MAX_ROWS, (row, col))
        if col > MAX_COLUMNS:
            raise self.over("last-column", col, MAX_COLUMNS, (row, col))
        self.last_row, self.last_col = max(self.last_row, row), max(self.last_col, col)
        grid = self.grid + self.last_row * self.last_col
        if grid > MAX_GRID:
            raise self.over("grid", grid, MAX_GRID, (row, col))

    def string(self) -> None:
        self.strings += 1
        if self.strings > MAX_STRINGS:
            raise self.over("strings", self.strings, MAX_STRINGS)

    def merge(self, count: int = 1) -> None:
        self.merges += count
        if self.merges > MAX_MERGES:
            raise self.over("merges", self.merges, MAX_MERGES)


# --- .xlsx: every XML part streamed through expat -----------------------------------------------

class _Part:
    """One XML part fed to expat in pieces, its elements counted (and, for a sheet, its cells)."""

    def __init__(self, count: Count, name: str, sheet: bool):
        self.count, self.name, self.sheet = count, name, sheet
        self.elements = 0
        self.row, self.col = 0, 0
        self.names: list[tuple[str, str]] = []
        """`<sheet name r:id>` of xl/workbook.xml, and `<Relationship Id Target>` of its rels."""
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self.start
        self.parser.StartDoctypeDeclHandler = self.refuse
        self.parser.EntityDeclHandler = self.refuse

    def refuse(self, *args) -> None:
        raise BudgetError.of("workbook-unreadable", f"{self.count.path}:{self.name}",
                             reason=message("workbook-reason/xml-entities"))

    def start(self, tag: str, attrs: dict) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self.count.over("elements", self.elements, MAX_ELEMENTS)
        local = tag.rpartition("}")[2]
        if self.name in NAMED_PARTS and local in ("sheet", "Relationship"):
            self.names.append((attrs.get("name") or attrs.get("Id") or "",
                               next((v for k, v in attrs.items() if k.endswith("}id")), attrs.get("Target", ""))))
        if not self.sheet:
            if local == "si" and self.name.endswith("sharedStrings.xml"):
                self.count.string()
            return
        if local == "row":
            self.row = int(attrs["r"]) if attrs.get("r", "").isdigit() else self.row + 1
            self.col = 0
            self.count.row(self.row)
        elif local == "c":
            ref = CELL_REF.fullmatch(attrs.get("r", ""))
            if ref:
                self.row, self.col = int(ref.group(2)), column_index_from_string(ref.group(1))
            else:
                self.col += 1
            self.count.cell(max(self.row, 1), self.col)
        elif local == "mergeCell":
            self.count.merge()

    def feed(self, stream) -> None:
        while True:
            data = stream.read(CHUNK)
            self.parser.Parse(data, not data)
            if not data:
                return


def _sheet_names(zf: zipfile.ZipFile, count: Count) -> dict[str, str]:
    """Each worksheet part's sheet name, from xl/workbook.xml and its relationships."""
    found = {}
    for part in NAMED_PARTS:
        if part in zf.namelist():
            reader = _Part(count, part, sheet=False)
            with zf.open(part) as f:
                reader.feed(f)
            found[part] = reader.names
    targets = dict(found.get("xl/_rels/workbook.xml.rels", []))
    out = {}
    for name, rid in found.get("xl/workbook.xml", []):
        target = targets.get(rid, "")
        out[posixpath.normpath(target.lstrip("/") if target.startswith("/") else "xl/" + target)] = name
    return out


def scan_xlsx(path: str) -> Count:
    """Stream every part of the .xlsx at `path` against the budgets; the counts, or `BudgetError`
    (`workbook-unreadable` for XML declaring a document type or entities, or not XML)."""
    count = Count(path)
    with zipfile.ZipFile(path) as zf:
        try:
            names = _sheet_names(zf, count)
        except (expat.ExpatError, ValueError) as exc:
            raise BudgetError.of("workbook-unreadable", path, reason=_damaged(str(exc))) from exc
        if len(names) > MAX_SHEETS:
            raise count.over("sheets", len(names), MAX_SHEETS)
        for info in zf.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            sheet = info.filename.startswith("xl/worksheets/")
            if sheet:
                count.start_sheet(names.get(info.filename, posixpath.basename(info.filename)))
            try:
                with zf.open(info) as f:
                    _Part(count, info.filename, sheet).feed(f)
            except expat.ExpatError as exc:
                raise BudgetError.of("workbook-unreadable", f"{path}:{info.filename}",
                                     reason=_damaged(expat.ErrorString(exc.code) or "XML")) from exc
            except ValueError as exc:  # a cell reference or row number out of any range
                raise BudgetError.of("workbook-unreadable", f"{path}:{info.filename}", reason=_damaged(str(exc))) from exc
            count.sheet = ""
    return count


# --- .xls: the BIFF records of the Workbook stream ----------------------------------------------

CELL_RECORDS = {0x0203, 0x00FD, 0x027E, 0x0201, 0x0006, 0x0204, 0x0205, 0x00D6, 0x0004, 0x0002, 0x0003}
"""NUMBER, LABELSST, RK, BLANK, FORMULA, LABEL, BOOLERR, RSTRING and their BIFF2-4 kin: row, column first."""
MULTI_RECORDS = {0x00BD, 0x00BE}
"""MULRK, MULBLANK: row, first column, ..., last column."""
BOF, EOF, BOUNDSHEET, SST, MERGED, ROW = 0x0809, 0x000A, 0x0085, 0x00FC, 0x00E5, 0x0208


def _sheet_name(body: bytes) -> str:
    """A BOUNDSHEET record's sheet name (BIFF8: a short Unicode string after 6 bytes)."""
    length, flags = body[6], body[7] if len(body) > 7 else 0
    text = body[8:8 + length * 2].decode("utf-16-le", "replace") if flags & 1 \
        else body[8:8 + length].decode("latin-1")
    return text


def scan_xls(path: str, stream: bytes) -> Count:
    """Walk the BIFF records of an .xls Workbook `stream` against the budgets; the counts, or
    `BudgetError` at the sheet and cell where a budget is passed."""
    count = Count(path)
    sheets: list[str] = []
    depth, at, sheet = 0, 0, -1
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + size]
        at += 4 + size
        if kind == BOF:
            depth += 1
            if depth == 1 and sheets and at > 4 + size:
                sheet += 1
                count.start_sheet(sheets[sheet] if sheet < len(sheets) else f"#{sheet + 1}")
        elif kind == EOF:
            depth = max(depth - 1, 0)
        elif kind == BOUNDSHEET and len(body) >= 8:
            sheets.append(_sheet_name(body))
            if len(sheets) > MAX_SHEETS:
                raise count.over("sheets", len(sheets), MAX_SHEETS)
        elif kind == SST and len(body) >= 8:
            unique = struct.unpack_from("<I", body, 4)[0]
            if unique > MAX_STRINGS:
                raise count.over("strings", unique, MAX_STRINGS)
        elif kind == MERGED and len(body) >= 2:
            count.merge(struct.unpack_from("<H", body)[0])
        elif kind == ROW and len(body) >= 2:
            count.row(struct.unpack_from("<H", body)[0] + 1)
        elif kind in CELL_RECORDS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            count.cell(row + 1, col + 1)
        elif kind in MULTI_RECORDS and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            for col in range(first, max(first, last) + 1):
                count.cell(row + 1, col + 1)
    return count
