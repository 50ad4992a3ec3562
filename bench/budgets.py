"""Time the import of workbooks past the budgets of `reportsite/authoring/budget.py` (issue 22):
each is refused by the streaming count before a reader parses it, and the time and peak memory
that takes are what this prints. Also the shipped edition's filled template, within the budgets.

    python bench/budgets.py [--runs 3]

Each import runs as a user runs it (`python build.py import`, a fresh process). Prints a table of
median wall time [min-max] and the peak resident memory of the process; asserts nothing. The
hostile workbooks are made here (`CASES`); tests/authoring/test_hostile_budgets.py imports them and
asserts the outcome of each.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out", "budgets")
EDITION = "2020-2021"


def workbook_with(sheet_xml: bytes, shared: bytes | None = None, sheets: int = 1, name: str = "评价结果") -> bytes:
    """A minimal .xlsx whose worksheets' XML is `sheet_xml` (each of `sheets` sheets)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                      f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, sheets + 1))
            + "</Types>").encode(),
        "_rels/.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
                        'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                        'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                        '</Relationships>').encode(),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets>'
                            + "".join(f'<sheet name="{name if i == 1 else name + str(i)}" sheetId="{i}" r:id="rId{i}"/>'
                                      for i in range(1, sheets + 1))
                            + "</sheets></workbook>").encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
            + "</Relationships>").encode(),
    }
    for i in range(1, sheets + 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return buf.getvalue()


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows: bytes, tail: bytes = b"") -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b"><sheetData>" + rows + b"</sheetData>" \
        + tail + b"</worksheet>"


CASES = {
    # (file content, location, words)
    "empty-cells": (lambda: workbook_with(sheet(b'<row r="1">' + b"<c/>" * 99 + b"</row>"
                                                + b"".join(b"<row>" + b"<c/>" * 99 + b"</row>" for _ in range(3000)))),
                    "book.xlsx:评价结果!", "over the limit of 250000"),
    "one-cell-at-the-end": (lambda: workbook_with(sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
                                                        b'</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
                            "book.xlsx:评价结果!A1048576", "row 1048576, past the limit of 20000"),
    "wide-cell": (lambda: workbook_with(sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>1</v></c></row>')),
                  "book.xlsx:评价结果!XFD1", "column 16384, past the limit of 100"),
    "104511-rows": (lambda: workbook_with(sheet(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i)
                                                         for i in range(1, 104_512)))),
                    "book.xlsx:评价结果", "20001 rows or more"),
    "grid-across-sheets": (lambda: workbook_with(sheet(b'<row r="5000"><c r="AD5000"><v>1</v></c></row>'), sheets=4),
                           "book.xlsx:评价结果2!AD5000", "span 300000 cells together"),
    "shared-strings": (lambda: workbook_with(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'),
                                             b'<?xml version="1.0"?><sst ' + NS + b">" + b"<si><t/></si>" * 300_000
                                             + b"</sst>"),
                       "book.xlsx", "250001 entries or more"),
    "merges": (lambda: workbook_with(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>',
                                           b"<mergeCells>" + b'<mergeCell ref="A1:B2"/>' * 5000 + b"</mergeCells>")),
               "book.xlsx:评价结果", "1001 merged ranges or more"),
    "styles-bomb": (lambda: workbook_with(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'),
                                          b'<?xml version="1.0"?><sst ' + NS + b"><si>" + b"<r/>" * 2_100_000
                                          + b"</si></sst>"),
                    "book.xlsx", "XML elements or more"),
    "billion-laughs": (lambda: workbook_with(b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                             b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                                             b"<worksheet " + NS + b"><sheetData/>&lol2;</worksheet>"),
                       "book.xlsx:xl/worksheets/sheet1.xml", "document type or entities"),
}


def timed(args: list[str], cwd: str) -> tuple[float, int, int]:
    """Wall seconds, exit status and peak resident memory (MB) of `python build.py ARGS`."""
    started = time.perf_counter()
    done = subprocess.Popen([sys.executable, os.path.join(ROOT, "build.py"), *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(done.pid, 0)
    return time.perf_counter() - started, os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    shutil.copytree(os.path.join(ROOT, "data"), os.path.join(OUT, "data"))
    subprocess.run([sys.executable, os.path.join(ROOT, "build.py"), "template", EDITION, "filled.xlsx"],
                   cwd=OUT, check=True, capture_output=True)
    files = {"filled template (86 rows, imports)": "filled.xlsx"}
    for name, (make, _, _) in CASES.items():
        path = os.path.join(OUT, f"{name}.xlsx")
        with open(path, "wb") as f:
            f.write(make())
        files[f"{name} ({os.path.getsize(path) // 1024} KB, refused)"] = path
    print("| workbook | median [min–max] | peak memory | exit |\n|---|---|---|---|")
    for label, path in files.items():
        runs = [timed(["import", EDITION, path], OUT) for _ in range(args.runs)]
        times = [t for t, _, _ in runs]
        print(f"| {label} | {statistics.median(times):.2f} s [{min(times):.2f}–{max(times):.2f}] | "
              f"{max(m for _, _, m in runs)} MB | {runs[0][1]} |")
        if path == "filled.xlsx":
            shutil.rmtree(os.path.join(OUT, "data"))
            shutil.copytree(os.path.join(ROOT, "data"), os.path.join(OUT, "data"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
