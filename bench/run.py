#!/usr/bin/env python3
"""Run every benchmark of issue 8 and print the results table with PASS/FAIL per target.

    python bench/run.py              # the full bench: 5 runs per build (takes a while; see README)
    python bench/run.py --quick      # a smoke run: 1 run, archives of 1 and 2 editions, one Lighthouse page
    python bench/run.py --runs 7 --lighthouse-runs 5

It measures whatever the generator on disk is now. Work goes to `bench/out/` (git-ignored): the
synthetic archives, the stock-stack projects, every built site, Lighthouse reports, and the results
as `results.json` and `results.md` (the table printed at the end).

Stages, in order: write the synthetic archives (`synth.py`) and the stock projects (`stock.py`);
time our build and the stock builds (both navigations) of each site (`python build.py` and
`python -m mkdocs build`, each a fresh process, output folder emptied before every run, wall
time, CPU time and peak RSS from `wait4`); time score edits in `serve` (`serve_edit.py`); weigh
five pages of each site (`weight.py`); run Lighthouse on our default site (`lighthouse.py`);
print the table (`report.py`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import report  # noqa: E402  (the bench's own modules, beside this file)
import serve_edit  # noqa: E402
import stock  # noqa: E402
import synth  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
PAGES = {
    "home": ("index.html", ""),
    "section": ("{e}/preface.html", "{e}/preface/"),
    "chart": ("{e}/overall.html", "{e}/overall/"),
    "ranking": ("{e}/ranking.html", "{e}/ranking/"),
    "alliance": ("{e}/alliances/110.html", "{e}/alliances/110/"),
}
"""The five pages weighed: our path and the stock site's (`use_directory_urls`), `{e}` the newest edition."""


def say(line: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {line}", flush=True)


def tree_rss_kib(root: int) -> int:
    """Resident memory (KiB) of process `root` and all its descendants now, from /proc. Pages shared
    between processes (a forked worker's) are counted in each, so this is an upper bound."""
    parent, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)], rss[int(entry)] = int(fields[1]), int(fields[21])
    tree, grown = {root}, True
    while grown:
        found = {pid for pid, ppid in parent.items() if ppid in tree and pid not in tree}
        tree |= found
        grown = bool(found)
    return sum(rss.get(pid, 0) for pid in tree) * os.sysconf("SC_PAGE_SIZE") // 1024


def timed(cmd: list[str], cwd: str, log_path: str, timeout: float) -> tuple[float, float, int, int, int]:
    """Run `cmd`; (wall seconds, CPU seconds, peak RSS in KiB of any one of its processes, peak
    total RSS in KiB of all of them at once (sampled every 0.1 s), exit status).

    A run still going after `timeout` seconds is killed and reported with status -9.
    """
    with open(log_path, "w") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=ENV)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        peak, done = [0], threading.Event()

        def sample():
            while not done.wait(0.1):
                peak[0] = max(peak[0], tree_rss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, max(peak[0], usage.ru_maxrss), proc.returncode


def tail(path: str, lines: int = 4) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return " | ".join(line.strip() for line in f.read().strip().splitlines()[-lines:])


def measure_build(cmd: list[str], cwd: str, out_dir: str, runs: int, slow: float, timeout: float,
                  log_path: str) -> dict:
    """Build `runs` times into an emptied `out_dir`: wall seconds, CPU seconds and peak RSS of each run.

    A first run slower than `slow` seconds is not repeated (the note says so); the last run's
    output is left in place for the page weights.
    """
    result = {"seconds": [], "cpu": [], "rss_kib": [], "tree_rss_kib": [], "error": "", "note": ""}
    for i in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        seconds, cpu, rss, tree_rss, status = timed(cmd, cwd, log_path, timeout)
        if status != 0:
            why = f"killed after {timeout:.0f} s" if status == -9 else f"exit {status}: {tail(log_path)}"
            result["error"] = why
            break
        result["seconds"].append(seconds)
        result["cpu"].append(cpu)
        result["rss_kib"].append(rss)
        result["tree_rss_kib"].append(tree_rss)
        if i == 0 and runs > 1 and seconds > slow:
            result["note"] = f"measured once: one run takes {seconds:.0f} s"
            break
    with open(log_path, encoding="utf-8", errors="replace") as f:
        m = re.search(r"built .*?, (\d+) pages", f.read())
    result["pages"] = int(m[1]) if m else None
    return result


def newest_edition(data_dir: str) -> str:
    return max(d for d in os.listdir(data_dir) if re.match(r"^\d{4}(-\d{4})?$", d))


SIDES = ("ours", "ours-1") + tuple(f"stock-{nav}" for nav in stock.NAVS)
"""What is built for every site: our generator (`ours-1`: limited to one process with `--jobs 1`,
for comparison at equal cores), and the stock stack with each navigation."""


def prepare(args, out: str) -> dict:
    """The sites to build: the default one and the synthetic archives, each with a stock project."""
    sites = {"default": {"label": "default site (2020-2021, real data)", "data": os.path.join(args.project, "data"),
                         "content": os.path.join(args.project, "content")}}
    for n in args.editions:
        folder = os.path.join(out, "archives", f"e{n}")
        say(f"writing a synthetic archive of {n} editions x {args.alliances} alliances")
        synth.write_archive(folder, n, args.alliances)
        sites[f"e{n}"] = {"label": f"{n} edition{'s' if n > 1 else ''} x {args.alliances} alliances",
                          "data": os.path.join(folder, "data"), "content": os.path.join(folder, "content"),
                          "editions": n}
    for key, site in sites.items():
        check = subprocess.run([sys.executable, "build.py", "check", "--data", site["data"]], cwd=args.project,
                               capture_output=True, text=True, env=ENV)
        last = check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr.strip()
        if len(last) > 300:                              # one summary per edition: keep the counts
            last = last.split(" — ")[0] + f" — {site.get('editions')} editions checked"
        site["check"] = f"`build.py check`: {last}"
        site["edition"] = newest_edition(site["data"])
        project = os.path.join(out, "stock", key)
        say(f"writing the stock project for {key}")
        try:
            site["stock_pages"] = stock.write_project(args.project, site["data"], site["content"], project)
            site["stock_project"] = project
        except (SystemExit, Exception) as exc:  # noqa: BLE001 - the generator may be mid-change; report, go on
            site["stock_error"] = str(exc)
    return sites


def build_command(args, site: dict, side: str, out_dir: str) -> tuple[list[str], str]:
    """The command that builds `site` the `side` way into `out_dir`, and where it runs."""
    if side in ("ours", "ours-1"):
        return [sys.executable, "build.py", "--data", site["data"], "--content", site["content"], "--out",
                out_dir, *(["--jobs", "1"] if side == "ours-1" else [])], args.project
    config = os.path.join(site["stock_project"], f"mkdocs-{side.removeprefix('stock-')}.yml")
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", out_dir], site["stock_project"]


def builds(args, sites: dict, out: str) -> None:
    """Time every side's build of every site; keep the last output of each for the page weights."""
    logs = os.path.join(out, "logs")
    os.makedirs(logs, exist_ok=True)
    for key, site in sites.items():
        site["builds"], site["out"] = {}, {}
        for side in SIDES:
            if side.startswith("stock") and "stock_project" not in site:
                site["builds"][side] = {"seconds": [], "cpu": [], "rss_kib": [], "tree_rss_kib": [], "note": "",
                                        "error": site.get("stock_error", "")}
                continue
            out_dir = os.path.join(out, "sites", side, key)
            cmd, cwd = build_command(args, site, side, out_dir)
            ours = not side.startswith("stock")
            slow = float("inf") if ours else args.slow
            if side == "ours" and site.get("editions"):
                # Once with an empty document cache (`.reportsite/cache/` beside the data folder): every
                # PDF and Word copy made, as on a new clone; the timed runs below find them cached.
                shutil.rmtree(os.path.join(os.path.dirname(os.path.abspath(site["data"])), ".reportsite", "cache"),
                              ignore_errors=True)
                say(f"timing ours on {key} once with an empty document cache")
                site["builds"]["ours-cold"] = measure_build(cmd, cwd, out_dir, 1, slow, args.timeout,
                                                            os.path.join(logs, f"ours-cold-{key}.log"))
            say(f"timing {side} on {key} ({args.runs} runs" + (")" if ours else
                f"; once if a run takes over {args.slow:.0f} s)"))
            timing = measure_build(cmd, cwd, out_dir, args.runs, slow, args.timeout,
                                   os.path.join(logs, f"{side}-{key}.log"))
            if ours:
                with open(os.path.join(logs, f"{side}-{key}.log"), encoding="utf-8", errors="replace") as f:
                    # the progress line in either language: "in 2 processes" / "（2 个进程）"
                    m = re.search(r"in (\d+) processes|（(\d+) 个进程）", f.read())
                timing["processes"] = int(m[1] or m[2]) if m else 1
            else:
                timing["pages"] = site["stock_pages"]
            site["builds"][side], site["out"][side] = timing, out_dir


def weights(args, sites: dict) -> dict:
    """First-visit weights of the five pages of every built site (and after engaging a chart)."""
    import weight
    from gzserve import Server
    from playwright.sync_api import sync_playwright

    plotly_js = weight.local_plotly()
    found: dict = {}
    with sync_playwright() as p:
        browser = weight.launch(p)
        for key, site in sites.items():
            for side in (s for s in SIDES if s != "ours-1"):  # the same pages as `ours`
                root = site["out"].get(side)
                if not root or not os.path.isdir(root) or site["builds"][side].get("error"):
                    continue
                say(f"weighing the pages of {side} {key}")
                with Server(root) as server:
                    for page, paths in PAGES.items():
                        path = paths[0 if side == "ours" else 1].format(e=site["edition"])
                        first, engaged = weight.visit(browser, server.url + path, engage=page == "chart",
                                                      plotly_js=plotly_js)
                        found.setdefault(f"{side}/{key}", {})[page] = {
                            "path": path, "first": asdict(first), "engaged": asdict(engaged) if engaged else None}
        browser.close()
    return found


def lighthouse_scores(args, sites: dict, out: str) -> dict:
    """Lighthouse on the five pages of our default site (and the stock one's with --lighthouse-stock)."""
    import lighthouse
    from gzserve import Server

    found: dict = {}
    sides = ["ours"] + (["stock-whole"] if args.lighthouse_stock else [])
    pages = list(PAGES) if not args.quick else ["chart"]
    site = sites["default"]
    for side in sides:
        root = site["out"].get(side)
        if not root or not os.path.isdir(root):
            continue
        with Server(root) as server:
            for page in pages:
                path = PAGES[page][0 if side == "ours" else 1].format(e=site["edition"])
                say(f"Lighthouse on {side} default {path} ({args.lighthouse_runs} runs)")
                runs = []
                for i in range(args.lighthouse_runs):
                    report_path = os.path.join(out, "lighthouse", f"{side}-default-{page}-{i}.json")
                    os.makedirs(os.path.dirname(report_path), exist_ok=True)
                    runs.append(asdict(lighthouse.run(server.url + path, report_path)))
                    if runs[-1]["error"]:
                        break
                found.setdefault(f"{side}/default", {})[page] = {"path": path, "runs": runs}
    return found


def machine() -> dict:
    """What the numbers were measured on: date, CPU, memory, Python, and the generator's commit."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--", ".", ":!bench"], cwd=ROOT, capture_output=True,
                           text=True).stdout
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
            "memory_gib": round(memory), "python": platform.python_version(), "system": platform.platform(),
            "commit": commit.strip() + (" + uncommitted changes" if dirty.strip() else "")}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per build (default 5; the median is shown)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1 run, archives of 1 and 2 editions, "
                    "2 serve edits, Lighthouse once on the chart page")
    ap.add_argument("--editions", default="1,5,20", help="synthetic archive sizes (default 1,5,20)")
    ap.add_argument("--alliances", type=int, default=300, help="alliances per archive (default 300)")
    ap.add_argument("--edits", type=int, default=5, help="score edits timed in serve (default 5)")
    ap.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    ap.add_argument("--lighthouse-stock", action="store_true", help="also run Lighthouse on the stock site")
    ap.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    ap.add_argument("--slow", type=float, default=60, help="a stock build whose first run takes longer is "
                    "measured once (default 60 s); ours always gets --runs runs")
    ap.add_argument("--timeout", type=float, default=3600, help="a build running longer is killed (default 3600 s)")
    ap.add_argument("--project", default=ROOT, help="the generator to measure (default: this repository)")
    ap.add_argument("--out", default=os.path.join(BENCH, "out"), help="work folder (default bench/out)")
    args = ap.parse_args(argv)
    args.project = os.path.abspath(args.project)
    args.editions = [int(n) for n in args.editions.split(",")]
    if args.quick:
        args.runs, args.editions, args.edits, args.lighthouse_runs = 1, [1, 2], 2, 1
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    started = time.perf_counter()

    results = {"meta": {**machine(), "load_before": os.getloadavg()[1], "runs": args.runs, "slow": args.slow,
                        "quick": args.quick, "alliances": args.alliances, "editions": args.editions,
                        "lighthouse_runs": args.lighthouse_runs}}
    sites = prepare(args, out)
    builds(args, sites, out)
    results["sites"] = sites
    say(f"timing {args.edits} score edits in serve")
    edit = serve_edit.measure(args.project, sites["default"]["data"], sites["default"]["content"],
                              os.path.join(out, "serve-edit"), args.edits)
    results["serve"] = {"mode": edit.mode, "seconds": edit.seconds, "error": edit.error}
    results["weights"] = weights(args, sites)
    results["lighthouse"] = {} if args.no_lighthouse else lighthouse_scores(args, sites, out)
    results["meta"]["load_after"] = os.getloadavg()[1]
    results["meta"]["bench_minutes"] = round((time.perf_counter() - started) / 60, 1)

    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    table = report.render(results)
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
