#!/usr/bin/env python3
"""Issue 25's targets: what indicator scores cost a build, and what a profile weighs.

    python bench/indicators.py [--runs 5] [--editions 20] [--alliances 300]

Writes the same synthetic archive three times (`synth.py`): without indicator scores, with them
published as averages (`--indicator-scores aggregate`: chapter 四's findings and its table of
得分率) and with each alliance's published (`alliance`: a profile on every alliance page with a
score, and the `indicator-scores.*` downloads). Each archive is built once untimed (its first build
makes its PDFs; later builds find them in the cache), then `--runs` times, the three in turn, each
run a fresh `python build.py --data D --content C --out O` with its output folder emptied first
(`run.timed`: wall seconds, and CPU seconds of the build and its worker processes from `wait4`).
Then `weight.py` weighs the newest edition's page of alliance 110 on each site, served gzipped by
`gzserve.py`: with its profile under `alliance`.

Targets: with scores, median CPU seconds within 10% of the archive without them (the ratio of the
medians ≤ 1.10); the alliance page with a profile under 100 KB gzip on a first visit. Everything
goes to `bench/out/indicators/` (the table also to `results.md`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import gzserve  # noqa: E402  (the bench's own modules, beside this file)
import run  # noqa: E402
import synth  # noqa: E402
import weight  # noqa: E402

VARIANTS = (("without", ""), ("aggregate", "aggregate"), ("alliance", "alliance"))
"""Each archive: its name, and what `synth.py --indicator-scores` is given (nothing: no scores)."""
LIMIT_KB = 100
RATIO = 1.10


def commit() -> str:
    """The short id of the commit checked out (the working tree is what is measured)."""
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip() or "(no git)"


def median_range(values: list[float], unit: str = " s") -> str:
    return f"{statistics.median(values):.2f}{unit} [{min(values):.2f}–{max(values):.2f}]"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--editions", type=int, default=20)
    ap.add_argument("--alliances", type=int, default=300)
    ap.add_argument("--out", default=os.path.join(BENCH, "out", "indicators"))
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    load = [os.getloadavg()[1]]
    started = time.time()
    builds = {}
    for name, scores in VARIANTS:
        folder = os.path.join(args.out, name)
        ids = synth.write_archive(folder, args.editions, args.alliances, indicator_scores=scores)
        cmd = [sys.executable, "build.py", "--data", os.path.join(folder, "data"),
               "--content", os.path.join(folder, "content"), "--out", os.path.join(folder, "site")]
        builds[name] = (folder, cmd, ids[-1])
        run.say(f"{name}: warm-up build (its PDFs into the cache)")
        shutil.rmtree(os.path.join(folder, "site"), ignore_errors=True)
        wall, cpu, _, _, status = run.timed(cmd, ROOT, os.path.join(folder, "build.log"), 3600)
        if status != 0:
            run.say(f"{name}: the build failed: {run.tail(os.path.join(folder, 'build.log'))}")
            return 1
        builds[name] += ({"cold_wall": wall, "cold_cpu": cpu, "wall": [], "cpu": []},)
    for i in range(args.runs):
        for name, _ in VARIANTS:
            folder, cmd, _, result = builds[name]
            shutil.rmtree(os.path.join(folder, "site"), ignore_errors=True)
            wall, cpu, _, _, status = run.timed(cmd, ROOT, os.path.join(folder, "build.log"), 3600)
            if status != 0:
                run.say(f"{name}: the build failed: {run.tail(os.path.join(folder, 'build.log'))}")
                return 1
            result["wall"].append(wall)
            result["cpu"].append(cpu)
            run.say(f"run {i + 1}/{args.runs} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    load.append(os.getloadavg()[1])
    weights = {}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = weight.launch(p)
        for name, _ in VARIANTS:
            folder, _, newest, _ = builds[name]
            page = f"{newest}/alliances/110.html"
            with open(os.path.join(folder, "site", page), encoding="utf-8") as f:
                profile = 'id="indicators"' in f.read()
            with gzserve.Server(os.path.join(folder, "site")) as server:
                first, _ = weight.visit(browser, server.url + page)
            weights[name] = {"page": page, "profile": profile, "gzip": first.gzip, "bytes": first.bytes,
                             "requests": first.requests}
        browser.close()
    base = statistics.median(builds["without"][3]["cpu"])
    lines = [
        f"Generator at {commit()}; "
        f"{args.editions} editions x {args.alliances} alliances; {args.runs} runs each, in turn, after a warm-up "
        f"build; load average (5 min) {load[0]:.1f} before, {load[1]:.1f} after; "
        f"{(time.time() - started) / 60:.1f} min.",
        "",
        "| archive | CPU s, median [min–max] | wall, median [min–max] | CPU ÷ without | first build (PDFs made): wall / CPU |",
        "|---|---|---|---|---|",
    ]
    for name, _ in VARIANTS:
        r = builds[name][3]
        ratio = statistics.median(r["cpu"]) / base
        lines.append(f"| {name} | {median_range(r['cpu'])} | {median_range(r['wall'])} | {ratio:.3f} | "
                     f"{r['cold_wall']:.1f} s / {r['cold_cpu']:.1f} s |")
    lines += ["", "| archive | page | profile | first visit (gzip) | raw | requests |", "|---|---|---|---|---|---|"]
    for name, _ in VARIANTS:
        w = weights[name]
        lines.append(f"| {name} | `{w['page']}` | {'yes' if w['profile'] else 'no'} | {w['gzip'] / 1024:.1f} KB | "
                     f"{w['bytes'] / 1024:.0f} KB | {w['requests']} |")
    lines += [""]
    for name in ("aggregate", "alliance"):
        ratio = statistics.median(builds[name][3]["cpu"]) / base
        lines.append(f"- target, {name}: CPU ratio {ratio:.3f} ≤ {RATIO:.2f}: {'PASS' if ratio <= RATIO else 'FAIL'}")
    w = weights["alliance"]
    lines.append(f"- target: alliance page with a profile {w['gzip'] / 1024:.1f} KB gzip < {LIMIT_KB} KB: "
                 f"{'PASS' if w['profile'] and w['gzip'] < LIMIT_KB * 1024 else 'FAIL'}")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(args.out, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"builds": {n: b[3] for n, b in builds.items()}, "weights": weights, "load": load}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
