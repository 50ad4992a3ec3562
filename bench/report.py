#!/usr/bin/env python3
"""The results table: the measurements of `run.py` as Markdown, with PASS/FAIL per target of issue 8.

    python bench/report.py [bench/out/results.json]     # print the table of the last run again

Times are the median of the runs with [min–max]; KB are 1000 bytes; gzip is level 6.
"""

from __future__ import annotations

import json
import os
import statistics
import sys

TEXT_PAGE_KB, CHART_PAGE_KB = 120, 520
GROWTH_BYTES = 1000
"""A page 'does not grow with the editions' when the largest archive's copy weighs at most this much
more (gzip) than the smallest archive's: the same edition's page, so any growth is the archive's."""
LINEAR = 1.25
"""Build time is linear when an edition added to a large archive costs at most this times one added to a small one."""
BUILD_LIMIT_S, SPEEDUP, EDIT_LIMIT_S, PERF, A11Y = 60, 10, 2, 95, 100
PAGE_NAMES = {"home": "archive home", "section": "report section (preface)", "chart": "chart page (overall)",
              "ranking": "ranking page", "alliance": "alliance page (110)"}
SIDE_NAMES = {"ours": "ours", "ours-1": "ours, one process", "stock-whole": "stock, MkDocs' nav (every page)",
              "stock-report": "stock, hand-written nav (report pages)"}
STOCKS = ("stock-whole", "stock-report")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def med(values: list) -> float | None:
    return statistics.median(values) if values else None


def span(values: list, unit: str = " s", digits: int = 2) -> str:
    if not values:
        return "—"
    m = med(values)
    if len(values) == 1:
        return f"{m:.{digits}f}{unit} (1 run)"
    return f"{m:.{digits}f}{unit} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def timing_cell(t: dict) -> str:
    if t.get("error"):
        return f"failed: {t['error'][:160]}"
    cell = span(t["seconds"])
    return cell + (f" — {t['note']}" if t.get("note") else "")


def archives_of(sites: dict) -> list[dict]:
    return sorted((site for site in sites.values() if site.get("editions")), key=lambda site: site["editions"])


def builds_section(sites: dict, meta: dict) -> tuple[list[str], list]:
    lines = ["## Build time", "",
             f"Wall time of a fresh `python build.py --out DIR` (ours) and `python -m mkdocs build` (stock), "
             f"median of {meta['runs']} runs [min–max]; a stock build whose first run takes over "
             f"{meta.get('slow', 60):.0f} s is measured once. CPU: user + system seconds (median), less "
             "sensitive than wall time to other work on the machine. Ratios are of the medians.", "",
             "Ours runs one process per core (`--jobs`, default), the processes column says how many it "
             "used; *ours, one process* is the same build with `--jobs 1`. MkDocs has no such option.", "",
             "| site | pages | ours | processes | ours, one process | stock, MkDocs' nav | stock, hand-written nav | "
             "ours ÷ stock (wall) | ours ÷ stock (CPU) | CPU s ours / one process / stocks |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for site in sites.values():
        b = site["builds"]
        o, oc = med(b["ours"]["seconds"]), med(b["ours"].get("cpu", []))
        ratios, cpu_ratios = [], []
        for side in STOCKS:
            s, sc = med(b[side]["seconds"]), med(b[side].get("cpu", []))
            ratios.append(f"{o / s:.2f}" if o and s else "—")
            cpu_ratios.append(f"{oc / sc:.2f}" if oc and sc else "—")
        one = b.get("ours-1", {"seconds": []})
        cpu = " / ".join(f"{med(b[side]['cpu']):.1f}" if b.get(side, {}).get("cpu") else "—"
                         for side in ("ours", "ours-1") + STOCKS)
        lines.append(f"| {site['label']} | {b['ours'].get('pages') or '—'} / {site.get('stock_pages') or '—'} | "
                     f"{timing_cell(b['ours'])} | {b['ours'].get('processes', '—')} | {timing_cell(one)} | "
                     f"{timing_cell(b['stock-whole'])} | {timing_cell(b['stock-report'])} | "
                     f"{' / '.join(ratios)} | {' / '.join(cpu_ratios)} | {cpu} |")
    targets = []
    if "default" in sites:
        b = sites["default"]["builds"]
        o, oc = med(b["ours"]["seconds"]), med(b["ours"].get("cpu", []))
        for side in STOCKS:
            s, sc = med(b[side]["seconds"]), med(b[side].get("cpu", []))
            cpu = f" (CPU {oc / sc:.2f})" if oc and sc else ""
            targets.append((f"default site: ours ÷ {SIDE_NAMES[side]} ≤ 1.0", (o / s <= 1.0) if o and s else None,
                            f"{o:.2f} s ÷ {s:.2f} s = {o / s:.2f}{cpu}" if o and s else "not measured"))
    archives = archives_of(sites)
    if archives:
        largest = archives[-1]
        b, n = largest["builds"], largest["editions"]
        o = med(b["ours"]["seconds"])
        targets.append((f"{n}-edition archive: ours < {BUILD_LIMIT_S} s", (o < BUILD_LIMIT_S) if o else False,
                        f"{o:.1f} s" if o else f"failed: {b['ours'].get('error', '')[:100]}"))
        one = med(b.get("ours-1", {}).get("seconds", []))
        for side in STOCKS:
            s = med(b[side]["seconds"])
            targets.append((f"{n}-edition archive: {SIDE_NAMES[side]} ÷ ours ≥ {SPEEDUP}",
                            (s / o >= SPEEDUP) if o and s else None,
                            f"{s:.1f} s ÷ {o:.1f} s = {s / o:.1f}× ({b['ours'].get('processes', '?')} processes)"
                            if o and s else "not measured"))
            if one and s:
                targets.append((f"{n}-edition archive: {SIDE_NAMES[side]} ÷ ours in one process (for reference)",
                                None, f"{s:.1f} s ÷ {one:.1f} s = {s / one:.1f}×"))
    cold = [site for site in archives if site["builds"].get("ours-cold", {}).get("seconds")]
    if cold:
        lines += ["", "**Cold beside warm.** The first build of each archive with an empty document cache "
                  "(every PDF and Word copy made, as on a new clone), once, beside the builds above, which "
                  "find them cached:", "", "| site | cold: wall / CPU | warm: wall / CPU (median) |", "|---|---|---|"]
        for site in cold:
            c, w = site["builds"]["ours-cold"], site["builds"]["ours"]
            lines.append(f"| {site['label']} | {c['seconds'][0]:.1f} s / {c['cpu'][0]:.1f} s | "
                         f"{med(w['seconds']) or 0:.1f} s / {med(w.get('cpu', [])) or 0:.1f} s |")
    growth_lines, growth_targets = growth(archives)
    return lines + [""] + growth_lines, targets + growth_targets


def growth(archives: list) -> tuple[list[str], list]:
    """Seconds per added edition between archive sizes, and whether the cost stays linear."""
    lines = ["### Growth per edition", "",
             f"Seconds each added edition costs between consecutive archive sizes (wall / CPU). Linear when "
             f"the last step costs at most {LINEAR}× the first per edition, judged on CPU seconds (wall time "
             "moves with other work on the machine).", "",
             "| step | ours | stock, MkDocs' nav | stock, hand-written nav |", "|---|---|---|---|"]
    steps = {}
    for side in ("ours",) + STOCKS:
        points = [(a["editions"], med(a["builds"][side]["seconds"]), med(a["builds"][side].get("cpu", [])))
                  for a in archives if a["builds"][side]["seconds"]]
        steps[side] = {(a[0], b[0]): ((b[1] - a[1]) / (b[0] - a[0]), (b[2] - a[2]) / (b[0] - a[0]))
                       for a, b in zip(points, points[1:])}
    for step in sorted({k for side in steps.values() for k in side}):
        cells = [f"{steps[side][step][0]:.2f} / {steps[side][step][1]:.2f}" if step in steps[side] else "—"
                 for side in ("ours",) + STOCKS]
        lines.append(f"| {step[0]} → {step[1]} editions | " + " | ".join(cells) + " |")
    ours = [v for _, v in sorted(steps["ours"].items())]
    if len(ours) >= 2 and ours[0][1] > 0:
        first, last = ours[0][1], ours[-1][1]
        target = ("ours: build time linear in editions", last <= LINEAR * first,
                  f"{first:.2f} → {last:.2f} CPU s per edition ({last / first:.2f}×)")
    else:
        target = ("ours: build time linear in editions", None, "needs three archive sizes")
    return lines + [""], [target]


def serve_section(serve: dict) -> tuple[list[str], list]:
    seconds = serve.get("seconds", [])
    how = ("from writing `results.yaml` to the changed alliance page served by `python build.py serve`"
           if serve.get("mode") == "serve" else
           "`reportsite/build/serve.py` does not exist: a full `python build.py` after the edit, timed instead")
    cell = span(seconds) if seconds else "failed: " + serve.get("error", "")
    lines = ["## Edit to preview", "", f"One score moved inside its tier, {len(seconds)} times; {how}.", "",
             "| measurement | time |", "|---|---|", f"| {serve.get('mode', '—')} | {cell} |", ""]
    m = med(seconds)
    ok = (m < EDIT_LIMIT_S) if m and serve.get("mode") == "serve" else (None if m else False)
    return lines, [(f"an edit shows in serve < {EDIT_LIMIT_S} s", ok,
                    f"{m:.2f} s ({serve.get('mode')})" if m else serve.get("error", ""))]


def kb(w: dict | None) -> str:
    if not w:
        return "—"
    blocked = f", {len(w['blocked'])} blocked" if w.get("blocked") else ""
    return f"{w['gzip'] / 1000:.1f} / {w['bytes'] / 1000:.0f} ({w['requests']}{blocked})"


def gzip_of(weights: dict, column: str, page: str, phase: str) -> int | None:
    return (((weights.get(column) or {}).get(page) or {}).get(phase) or {}).get("gzip")


def weights_section(weights: dict, sites: dict) -> tuple[list[str], list]:
    archives = archives_of(sites)
    keys = [("default", sites["default"]["label"])] if "default" in sites else []
    keys += [(f"e{a['editions']}", a["label"]) for a in (archives[:1] + archives[-1:] if len(archives) > 1 else archives)]
    lines = ["## Page weight", "",
             "Everything a first visit loads, as `KB gzip / KB raw (requests)`: fresh cache, Chromium 1280×800, "
             "the page scrolled to the bottom, gzip level 6. `engaged`: after the pointer enters the first chart "
             "(our charts load plotly then; the stock page loads it up front). `blocked`: requests to other hosts, "
             "not counted (the stock theme's Google Fonts stylesheet: this machine is offline, as Google's hosts "
             "are for a reader in mainland China); Plotly's CDN bundle is answered from the `plotly` package's "
             "identical copy and counted.", "",
             "| site | " + " | ".join(PAGE_NAMES[p] for p in PAGE_NAMES if p != "chart") + " | chart page | "
             "chart page, engaged |", "|---|---|---|---|---|---|---|"]
    for side in ("ours",) + STOCKS:
        for key, label in keys:
            column = weights.get(f"{side}/{key}")
            if not column:
                continue
            cells = [kb((column.get(p) or {}).get("first")) for p in PAGE_NAMES if p != "chart"]
            cells += [kb((column.get("chart") or {}).get("first")), kb((column.get("chart") or {}).get("engaged"))]
            lines.append(f"| {SIDE_NAMES[side]}: {label} | " + " | ".join(cells) + " |")
    targets = []
    ours = [f"ours/{key}" for key, _ in keys if f"ours/{key}" in weights]
    for page in PAGE_NAMES:
        limit = CHART_PAGE_KB if page == "chart" else TEXT_PAGE_KB
        phase = "engaged" if page == "chart" else "first"
        values = [(c, gzip_of(weights, c, page, phase)) for c in ours]
        values = [(c, v) for c, v in values if v is not None]
        if values:
            worst = max(values, key=lambda cv: cv[1])
            targets.append((f"{PAGE_NAMES[page]}: < {limit} KB gzip{' (engaged)' if page == 'chart' else ''}",
                            worst[1] < limit * 1000, f"heaviest {worst[1] / 1000:.1f} KB ({worst[0]})"))
    if len(archives) > 1:
        small, large = archives[0], archives[-1]
        for page in PAGE_NAMES:
            phase = "engaged" if page == "chart" else "first"
            a = gzip_of(weights, f"ours/e{small['editions']}", page, phase)
            b = gzip_of(weights, f"ours/e{large['editions']}", page, phase)
            if a is None or b is None:
                continue
            per = (b - a) / (large["editions"] - small["editions"])
            detail = f"{a / 1000:.1f} → {b / 1000:.1f} KB ({per:+.0f} B per edition)"
            if page == "home":
                targets.append((f"{PAGE_NAMES[page]}: weight with editions (it lists every edition)", None, detail))
            else:
                targets.append((f"{PAGE_NAMES[page]}: does not grow, {small['editions']} → {large['editions']} "
                                f"editions (≤ {GROWTH_BYTES} B)", b - a <= GROWTH_BYTES, detail))
    return lines + [""], targets


def memory_section(sites: dict) -> list[str]:
    lines = ["## Peak memory", "", "Over a build's runs: the largest resident set of any one of its processes "
             "(`wait4`), then the largest total of all its processes at once (sampled from /proc every "
             "0.1 s; pages a forked worker shares with its parent are counted twice, so it is an upper "
             "bound).", "", "| site | ours | ours, one process | stock, MkDocs' nav | stock, hand-written nav |",
             "|---|---|---|---|---|"]
    for site in sites.values():
        cells = []
        for side in ("ours", "ours-1") + STOCKS:
            b = site["builds"].get(side, {})
            one, total = max(b.get("rss_kib") or [0]), max(b.get("tree_rss_kib") or [0])
            cells.append(f"{one / 1024:.0f} MiB / {total / 1024:.0f} MiB total" if one else "—")
        lines.append(f"| {site['label']} | " + " | ".join(cells) + " |")
    return lines + [""]


def lighthouse_section(found: dict, meta: dict) -> tuple[list[str], list]:
    if not found:
        return ["## Lighthouse", "", "Not run (`--no-lighthouse`).", ""], [("Lighthouse", None, "not run")]
    lines = ["## Lighthouse", "",
             f"Lighthouse 12.2.3, default mobile preset (simulated slow 4G, 4× CPU slowdown), Debian Chromium "
             f"headless, pages served with gzip on loopback; median of {meta['lighthouse_runs']} runs [min–max]. "
             "The last column lists what lost points in any run: metrics with their value in the first run, "
             "accessibility audits with the elements they fail on.", "",
             "| site | page | performance | accessibility | lost points |", "|---|---|---|---|---|"]
    targets, warnings, index = [], set(), []
    for site, pages in found.items():
        for page, entry in pages.items():
            runs = [r for r in entry["runs"] if not r["error"]]
            if not runs:
                error = entry["runs"][0]["error"] if entry["runs"] else "no run"
                lines.append(f"| {site} | {entry['path']} | failed: {error[:200]} | | |")
                if site.startswith("ours/"):
                    targets.append((f"Lighthouse {PAGE_NAMES[page]}", False, f"could not run: {error[:120]}"))
                continue
            perf = [r["performance"] for r in runs if r["performance"] is not None]
            a11y = [r["accessibility"] for r in runs if r["accessibility"] is not None]
            lost = list(dict.fromkeys(a for a in runs[0]["failing"]))
            lost += [a for r in runs[1:] for a in r["failing"] if a.split(" ")[0].rstrip(":")
                     not in {x.split(" ")[0].rstrip(":") for x in lost}]
            warnings.update(w for r in runs for w in r["warnings"])
            index += [r["benchmark_index"] for r in runs if r.get("benchmark_index")]
            lines.append(f"| {site} | {entry['path']} | {span(perf, '', 0)} | {span(a11y, '', 0)} | "
                         f"{'; '.join(lost) or '—'} |")
            if site.startswith("ours/"):
                p, a = med(perf), med(a11y)
                targets.append((f"Lighthouse {PAGE_NAMES[page]}: performance ≥ {PERF}, accessibility {A11Y}",
                                p is not None and a is not None and p >= PERF and a >= A11Y,
                                f"performance {p:.0f}, accessibility {a:.0f}" if p is not None and a is not None
                                else "no score"))
    if index:
        lines += ["", f"Lighthouse's CPU benchmark index of this machine: {min(index):.0f}–{max(index):.0f}."]
    if warnings:
        lines += ["", "Lighthouse warned: " + " ".join(sorted(w.split(" Learn more")[0] for w in warnings))]
    return lines + [""], targets


def header(meta: dict) -> list[str]:
    busy = max(meta.get("load_before", 0), meta.get("load_after", 0)) > meta["cores"]
    return [f"# Benchmark results — {meta['date']}", "",
            f"Machine: {meta['cores']} cores ({meta['cpu'] or 'unknown CPU'}), {meta['memory_gib']} GiB; "
            f"Python {meta['python']}; {meta['system']}. Generator at {meta['commit']}. "
            f"Load average (5 min) {meta.get('load_before', 0):.1f} before, {meta.get('load_after', 0):.1f} after"
            + (" — **the machine was busy with other work: wall times are inflated; compare CPU seconds**"
               if busy else "")
            + f". The bench took {meta.get('bench_minutes', '?')} min"
            + (" — **smoke run (--quick), not a measurement**" if meta.get("quick") else "") + ".", ""]


def render(results: dict) -> str:
    meta, sites = results["meta"], results["sites"]
    build_lines, targets = builds_section(sites, meta)
    serve_lines, found = serve_section(results.get("serve", {}))
    targets += found
    weight_lines, found = weights_section(results.get("weights", {}), sites)
    targets += found
    lh_lines, found = lighthouse_section(results.get("lighthouse", {}), meta)
    targets += found
    summary = ["## Targets", "", "| target | measured | result |", "|---|---|---|"]
    summary += [f"| {name} | {detail} | {verdict(ok)} |" for name, ok, detail in targets]
    checks = ["## Data checked", ""] + [f"- {site['label']}: {site['check']}" for site in sites.values()]
    return "\n".join(header(meta) + summary + [""] + build_lines + serve_lines + weight_lines
                     + memory_section(sites) + lh_lines + checks) + "\n"


def main(argv: list[str]) -> int:
    path = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "results.json")
    with open(path, encoding="utf-8") as f:
        print(render(json.load(f)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
