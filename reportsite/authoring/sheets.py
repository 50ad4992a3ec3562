"""Read a spreadsheet (.xlsx, .xls or .csv) into located cells, refusing what cannot be trusted.

Every cell remembers where it was typed, so a problem names it the way the person sees it: a
workbook's location is `FILE:SHEET!CELL` (`结果.xlsx:评价结果!C37`), a CSV file's is
`FILE:ROW:COL`. The readers only read: nothing here knows what the cells mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter

from reportsite.authoring import budget
from reportsite.model.errors import ReportError, from_os_error
from reportsite.model.escape import unprefixed
from reportsite.model.messages import message
from reportsite.model.records import Loc, quote

MAX_BYTES = 20 * 1024 * 1024
"""A workbook file larger than this is refused (the secretariat's are well under 1 MB)."""
MAX_UNPACKED = 32 * 1024 * 1024
"""Nor may the parts of an .xlsx unpack to more than this (a sheet of 50 MB, a zip bomb); a
10,000-row results sheet unpacks to about 1 MB. Within it, every sheet is counted against the
budgets of `budget.py` before a reader parses it."""


class SheetError(ReportError):
    """A spreadsheet that cannot be read at all."""

    slug = "workbook"


@dataclass(frozen=True)
class Cell:
    """One non-empty cell."""

    value: object
    """str, int, float, bool, datetime or date; text is stripped of surrounding spaces."""
    loc: Loc
    formula: bool = False
    """True when the cell holds a formula (its value is then the formula's text)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: its rows of cells (None for an empty cell), its state and merged ranges."""

    name: str
    rows: tuple[tuple[Cell | None, ...], ...]
    """Rows from the first, each as wide as the sheet's used range."""
    hidden: bool = False
    merged: tuple[tuple[str, Loc], ...] = ()
    """Merged ranges (`A3:D3`) and where each starts."""


@dataclass(frozen=True)
class Book:
    """A spreadsheet file: its sheets in order."""

    path: str
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet | None:
        """The sheet called `name`, or None."""
        return next((s for s in self.sheets if s.name == name), None)


def cell_loc(path: str, sheet: str | None, row: int, col: int) -> Loc:
    """Where a cell is: `FILE:SHEET!C37` in a workbook, `FILE:37:3` in a CSV file (sheet None)."""
    if sheet is None:
        return Loc(path, row, col)
    return Loc(f"{path}:{sheet}!{get_column_letter(col)}{row}")


CELL_REF = re.compile(r"^(?P<path>.*):(?P<sheet>[^:!]*)!(?P<col>[A-Z]{1,3})(?P<row>[0-9]+)$")


def cell_place(loc: Loc) -> tuple[str, str, int, int] | None:
    """(file, sheet, row, column) of a workbook cell's location (`FILE:SHEET!C37`), else None."""
    m = CELL_REF.match(loc.path)
    if m is None:
        return None
    return m.group("path"), m.group("sheet"), int(m.group("row")), column_index_from_string(m.group("col"))


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def read_book(path: str) -> Book:
    """The spreadsheet at `path`, by its extension."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".xlsx", ".xlsm", ".xls", ".csv"):
        raise SheetError.of("workbook-type", path, ext=ext or "(none)")
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise from_os_error(exc, path) from exc
    if size > MAX_BYTES:
        raise SheetError.of("workbook-too-large", path, size=f"{size / 1e6:.0f} MB",
                            limit=f"{MAX_BYTES / 1e6:.0f} MB")
    if ext == ".csv":
        return read_csv(path)
    if ext == ".xls":
        return read_xls(path)
    return read_xlsx(path)


def read_xlsx(path: str) -> Book:
    """An Office Open XML workbook, formulas kept as formulas (never evaluated)."""
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/not-zip"))
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/damaged")) from exc
    if unpacked > MAX_UNPACKED:
        raise SheetError.of("workbook-too-large", path, size=f"{unpacked / 1e6:.0f} MB",
                            limit=f"{MAX_UNPACKED / 1e6:.0f} MB")
    try:
        budget.scan_xlsx(path)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        raise SheetError.of("workbook-unreadable", path,
                            reason=message("workbook-reason/damaged-detail", detail=type(exc).__name__)) from exc
    try:
        book = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/damaged")) from exc
    sheets = []
    for ws in book.worksheets:
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells: list[Cell | None] = []
            for c, cell in enumerate(row, start=1):
                value = _clean(cell.value)
                if value is None or value == "":
                    cells.append(None)
                    continue
                formula = cell.data_type == "f"
                cells.append(Cell(str(value) if formula else value, cell_loc(path, ws.title, r, c), formula))
            rows.append(tuple(cells))
        merged = tuple((str(rng), cell_loc(path, ws.title, rng.min_row, rng.min_col))
                       for rng in sorted(ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)))
        sheets.append(Sheet(ws.title, tuple(rows), ws.sheet_state != "visible", merged))
    return Book(path, tuple(sheets))


def read_xls(path: str) -> Book:
    """A legacy Excel 97-2003 workbook, through python-calamine (values only)."""
    from python_calamine import CalamineWorkbook

    budget.scan_xls(path, xls_stream(path))
    try:
        book = CalamineWorkbook.from_path(path)
        sheets = []
        for meta in book.sheets_metadata:
            data = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = tuple(tuple(None if v in (None, "") else Cell(_clean(v), cell_loc(path, meta.name, r, c))
                               for c, v in enumerate(row, start=1))
                         for r, row in enumerate(data, start=1))
            sheets.append(Sheet(meta.name, rows, str(meta.visible).lower().endswith("hidden")))
    except SheetError:
        raise
    except Exception as exc:  # the reader's own errors: a damaged or mislabelled file
        raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/damaged")) from exc
    return Book(path, tuple(sheets))


def xls_stream(path: str) -> bytes:
    """The Workbook stream of an .xls (an OLE2 compound file), to count before it is parsed."""
    import olefile

    try:
        if not olefile.isOleFile(path):
            raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/not-ole"))
        with olefile.OleFileIO(path) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise SheetError.of("workbook-unreadable", path, reason=message("workbook-reason/no-stream"))
            with ole.openstream(name) as stream:
                return stream.read(MAX_BYTES + 1)
    except SheetError:
        raise
    except Exception as exc:  # olefile raises many kinds for a damaged file
        raise SheetError.of("workbook-unreadable", path,
                            reason=message("workbook-reason/damaged-detail", detail=type(exc).__name__)) from exc


def decode(data: bytes, path: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GBK/GB18030 as Chinese Excel saves it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError.of("workbook-encoding", path)


def read_csv(path: str) -> Book:
    """A CSV file as one sheet named after the file; numbers stay text until a column asks."""
    with open(path, "rb") as f:
        text = decode(f.read(), path)
    rows = []
    count = budget.Count(path, csv=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for r, row in enumerate(reader, start=1):
            count.row(r)
            for c, v in enumerate(row, start=1):
                if v.strip():
                    count.cell(r, c)
            rows.append(tuple(None if not v.strip() else Cell(unprefixed(v.strip()).strip(), cell_loc(path, None, r, c))
                              for c, v in enumerate(row, start=1)))
    except csv.Error as exc:  # a field over csv's limit of 128 KB, a NUL byte
        raise SheetError.of("workbook-unreadable", f"{path}:{reader.line_num}",
                            reason=message("workbook-reason/csv", detail=quote(str(exc), 80))) from exc
    name = os.path.splitext(os.path.basename(path))[0]
    return Book(path, (Sheet(name, tuple(rows)),))


def as_date(value) -> dt.date | None:
    """A cell's value as a date: a spreadsheet date, or text `YYYY-MM-DD` (also with `/` or `.`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for sep in ("-", "/", "."):
            parts = value.split(sep)
            if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
                try:
                    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
                except ValueError:
                    return None
    return None
