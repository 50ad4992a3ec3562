#!/usr/bin/env python3
"""The PDF's rows of the bench (issues 15 and 23): what the PDF and the Word copy cost a build,
and what they are.

    python bench/pdf.py              # 5 runs of each build; about 1 minute on the 2-core machine
    python bench/pdf.py --runs 3

It builds a scratch copy of the default site (`data/`, `content/`) in `bench/out/pdf/`, each
build a fresh `python build.py` process, four ways, and reports the median wall time [min–max],
CPU seconds (user + system, from `wait4`) and the time the build reports itself:

- *cold, with the PDF*: the output folder and the PDF cache emptied before every run;
- *cold, without the PDF*: the same with `--no-pdf`, which makes neither the PDF nor the Word
  copy: the site as it was before the PDF;
- *cold, the Word copy cached*: the PDF's cache emptied, the Word copy's (and its pictures') kept,
  so the difference from the first row is what the Word copy adds;
- *rebuild, nothing changed, with the PDF*: the site and the cache left from the previous run;
- *rebuild, nothing changed, without the PDF*: the same with `--no-pdf`.

Then the PDF's size and pages and the Word copy's size. Results go to `bench/out/pdf/results.json` and the table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
EDITION = "2020-2021"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
WAYS = (
    ("cold, with the PDF", True, True),
    ("cold, without the PDF", True, False),
    ("cold, the Word copy cached", "word", True),
    ("rebuild, nothing changed, with the PDF", False, True),
    ("rebuild, nothing changed, without the PDF", False, False),
)
"""(row, output folder and caches emptied before each run ("word": the PDF's cache only), PDF made)."""


def run_build(project: str, engine: bool) -> tuple[float, float, float, str]:
    """One `python build.py` of the scratch project (`--no-pdf` unless `engine`): wall s, CPU s,
    the build's own s, its output."""
    cmd = [sys.executable, os.path.join(ROOT, "build.py"), "--data", os.path.join(project, "data"),
           "--out", os.path.join(project, "site"), "--config", os.path.join(ROOT, "mkdocs.yml"),
           *([] if engine else ["--no-pdf"])]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV, text=True)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {output[-2000:]}")
    own = re.search(r"(?: in |用时 )(\d+\.\d+) ?(?:s|秒)$", output.strip())
    return wall, usage.ru_utime + usage.ru_stime, float(own[1]) if own else 0.0, output


def measure(project: str, runs: int) -> dict:
    """Every way, `runs` times each."""
    results = {}
    def reset(cold, engine: bool) -> None:
        if cold:
            shutil.rmtree(os.path.join(project, "site"), ignore_errors=True)
        cache = os.path.join(project, ".reportsite", "cache")
        if cold == "word":
            shutil.rmtree(os.path.join(cache, "pdf"), ignore_errors=True)
        elif cold or not engine:
            shutil.rmtree(cache, ignore_errors=True)

    for label, cold, engine in WAYS:
        if not cold or cold == "word":
            reset(cold, engine)
            run_build(project, engine)  # the state the rebuild starts from
        rows = []
        for _ in range(runs):
            reset(cold, engine)
            wall, cpu, own, output = run_build(project, engine)
            made = os.path.isfile(os.path.join(project, "site", EDITION, f"{EDITION}-report.pdf"))
            assert made == engine, output
            rows.append((wall, cpu, own))
        results[label] = rows
        print(f"{label}: {statistics.median(r[0] for r in rows):.2f} s", flush=True)
    return results


def pdf_facts(project: str) -> dict:
    """Size and pages of the PDF built last."""
    from pypdf import PdfReader

    path = os.path.join(project, "site", EDITION, f"{EDITION}-report.pdf")
    word = os.path.join(project, "site", EDITION, f"{EDITION}-report.docx")
    return {"bytes": os.path.getsize(path), "pages": len(PdfReader(path).pages), "word_bytes": os.path.getsize(word)}


def table(results: dict, facts: dict) -> str:
    """The results as Markdown."""
    def cell(values):
        return f"{statistics.median(values):.2f} s [{min(values):.2f}–{max(values):.2f}]"

    lines = ["| build of the default site | wall | CPU | the build's own time |", "|---|---|---|---|"]
    for label, rows in results.items():
        lines.append(f"| {label} | {cell([r[0] for r in rows])} | {cell([r[1] for r in rows])} | "
                     f"{cell([r[2] for r in rows])} |")
    med = {label: statistics.median(r[0] for r in rows) for label, rows in results.items()}
    word = med["cold, with the PDF"] - med["cold, the Word copy cached"]
    added = med["cold, the Word copy cached"] - med["cold, without the PDF"]
    rebuild = med["rebuild, nothing changed, with the PDF"] / med["rebuild, nothing changed, without the PDF"]
    lines += ["", f"The PDF adds {added:.2f} s to a cold build (target: at most 5 s) and the Word copy "
              f"{word:.2f} s more (target: at most 1.5 s); a rebuild with nothing changed takes {rebuild:.2f}× "
              f"the site-only rebuild (target: at most 1.10×). The PDF: {facts['bytes'] / 1e6:.2f} MB, "
              f"{facts['pages']} pages (target: 25-40 pages); the Word copy: {facts['word_bytes'] / 1e6:.2f} MB "
              "(target: under 2 MB)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each build (default 5; the median is shown)")
    ap.add_argument("--out", default=os.path.join(BENCH, "out", "pdf"), help="work folder (default bench/out/pdf)")
    args = ap.parse_args(argv)
    out = os.path.abspath(args.out)
    project = os.path.join(out, "project")
    shutil.rmtree(project, ignore_errors=True)
    for folder in ("data", "content"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(project, folder))
    results = measure(project, args.runs)
    run_build(project, True)
    facts = pdf_facts(project)
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": results, "pdf": facts, "load": os.getloadavg()}, f, indent=1)
    print()
    print(table(results, facts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
