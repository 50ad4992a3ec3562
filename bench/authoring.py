"""Time the secretariat's commands: `new`, `template` and `import` (of a 10,000-row workbook).

    python bench/authoring.py [--runs 5] [--rows 10000]

Each command runs as a user runs it (`python build.py ...` in a fresh process, so interpreter
start-up is included) on a copy of the shipped data in bench/out/authoring/. The workbook to
import is the shipped edition's filled template with its results sheet grown to `--rows` rows
(codes cycle through the registry, so the import finds repeated codes: it reads, checks and
reports every row, which is the work measured). Prints a table of medians [min-max]; asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

OUT = os.path.join(ROOT, "bench", "out", "authoring")


def timed(args: list[str], cwd: str) -> tuple[float, int]:
    """Wall seconds and exit status of `python build.py ARGS`."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, os.path.join(ROOT, "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True)
    return time.perf_counter() - started, done.returncode


def project(name: str) -> str:
    """A fresh copy of the shipped data and content under bench/out/authoring/NAME."""
    root = os.path.join(OUT, name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    shutil.copytree(os.path.join(ROOT, "data"), os.path.join(root, "data"))
    shutil.copytree(os.path.join(ROOT, "content"), os.path.join(root, "content"))
    return root


def big_workbook(path: str, rows: int) -> None:
    """The filled template of the shipped edition with `rows` result rows."""
    import openpyxl

    from reportsite.authoring import template
    from reportsite.authoring import workbook as W
    from reportsite.read.check import check_archive

    archive, _ = check_archive(os.path.join(ROOT, "data"))
    edition = archive.edition("2020-2021")
    book = template.workbook(archive, edition, filled=True)
    sheet = book[W.RESULTS]
    alliances = archive.alliances
    for i in range(sheet.max_row, rows + 1):
        a = alliances[i % len(alliances)]
        sheet.append([i, a.code, a.name, 50 + i % 50, None, None])
    book.save(path)
    openpyxl.load_workbook(path, read_only=True).close()


def row(name: str, times: list[float]) -> str:
    """One table row: median [min-max] seconds."""
    return f"| {name} | {statistics.median(times):.2f} s [{min(times):.2f}–{max(times):.2f}] | {len(times)} |"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    workbook = os.path.join(OUT, f"results-{args.rows}.xlsx")
    big_workbook(workbook, args.rows)
    results: dict[str, list[float]] = {"new": [], "template (blank)": [], "template (filled)": [],
                                       f"import ({args.rows} rows)": [], "import (86 rows, writes)": []}
    for _ in range(args.runs):
        root = project("p")
        t, status = timed(["new", "2022-2023"], root)
        assert status == 0, "new failed"
        results["new"].append(t)
        results["template (blank)"].append(timed(["template", "2022-2023", "blank.xlsx"], root)[0])
        results["template (filled)"].append(timed(["template", "2020-2021", "filled.xlsx"], root)[0])
        results[f"import ({args.rows} rows)"].append(timed(["import", "2020-2021", workbook], root)[0])
        t, status = timed(["import", "2020-2021", "filled.xlsx"], root)
        assert status == 0, "import of the filled template failed"
        results["import (86 rows, writes)"].append(t)
    baseline = [timed(["--help"], ROOT)[0] for _ in range(args.runs)]
    print("| command | median [min–max] | runs |\n|---|---|---|")
    print(row("python build.py --help (start-up alone)", baseline))
    for name, times in results.items():
        print(row(name, times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
