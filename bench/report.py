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
BUILD_LIMIT_S, SPEEDUP, EDIT_LIMIT_S, PERF, A11Y = 60, 10, 2, 95, 100
PAGE_NAMES = {"home": "archive home", "section": "report section (preface)", "chart": "chart page (overall)",
              "ranking": "ranking page", "alliance": "alliance page (110)"}


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**FAIL**")


def med(values: list) -> float | None:
    return statistics.median(values) if values else None


def span(values: list, unit: str = "s", digits: int = 2) -> str:
    if not values:
        return "—"
    m = med(values)
    if len(values) == 1:
        return f"{m:.{digits}f} {unit} (1 run)"
    return f"{m:.{digits}f} {unit} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def timing_cell(t: dict) -> str:
    if t.get("error"):
        return f"failed: {t['error'][:160]}"
    cell = span(t["seconds"])
    return cell + (f" — {t['note']}" if t.get("note") else "")


def builds_table(sites: dict, meta: dict) -> tuple[list[str], list[tuple[str, bool | None, str]]]:
    lines = ["## Build time",
             "",
             f"Wall time of a fresh `python build.py --out DIR` (ours) and `python -m mkdocs build` (stock), "
             f"median of {meta['runs']} runs [min–max]; a stock build whose first run is slow is measured once.",
             "",
             "| site | pages ours / stock | ours | stock | ours ÷ stock | stock ÷ ours |",
             "|---|---|---|---|---|---|"]
    targets = []
    for key, site in sites.items():
        ours, stock = site["ours"], site["stock"]
        o, s = med(ours["seconds"]), med(stock["seconds"])
        ratio = f"{o / s:.2f}" if o and s else "—"
        speedup = f"{s / o:.1f}×" if o and s else "—"
        lines.append(f"| {site['label']} | {ours.get('pages') or '—'} / {stock.get('pages') or '—'} | "
                     f"{timing_cell(ours)} | {timing_cell(stock)} | {ratio} | {speedup} |")
    default = sites.get("default")
    if default:
        o, s = med(default["ours"]["seconds"]), med(default["stock"]["seconds"])
        targets.append(("default site: ours ÷ stock ≤ 1.0", (o / s <= 1.0) if o and s else None,
                        f"{o / s:.2f}" if o and s else "not measured"))
    archives = [site for site in sites.values() if site.get("editions")]
    if archives:
        largest = max(archives, key=lambda site: site["editions"])
        o, s = med(largest["ours"]["seconds"]), med(largest["stock"]["seconds"])
        n = largest["editions"]
        targets.append((f"{n}-edition archive: ours < {BUILD_LIMIT_S} s", (o < BUILD_LIMIT_S) if o else False,
                        f"{o:.1f} s" if o else f"failed: {largest['ours'].get('error', '')[:100]}"))
        targets.append((f"{n}-edition archive: stock ÷ ours ≥ {SPEEDUP}", (s / o >= SPEEDUP) if o and s else None,
                        f"{s / o:.1f}×" if o and s else "not measured"))
    growth_lines, growth_target = growth(archives)
    return lines + [""] + growth_lines, targets + growth_target


def growth(archives: list) -> tuple[list[str], list]:
    """Seconds per added edition between archive sizes, and whether the cost stays linear."""
    lines = ["### Growth per edition", "",
             "Seconds added per edition between consecutive archive sizes; linear when the later step costs "
             "no more than 1.25× the earlier one per edition.", "",
             "| step | ours s/edition | stock s/edition |", "|---|---|---|"]
    points = {side: [(site["editions"], med(site[side]["seconds"])) for site in sorted(archives, key=lambda x: x["editions"])
                     if med(site[side]["seconds"])] for side in ("ours", "stock")}
    steps = {side: [((a[0], b[0]), (b[1] - a[1]) / (b[0] - a[0])) for a, b in zip(pts, pts[1:])]
             for side, pts in points.items()}
    labels = sorted({k for side in steps.values() for k, _ in side})
    for k in labels:
        cells = [next((f"{v:.2f}" for kk, v in steps[side] if kk == k), "—") for side in ("ours", "stock")]
        lines.append(f"| {k[0]} → {k[1]} editions | {cells[0]} | {cells[1]} |")
    targets = []
    ours = steps["ours"]
    if len(ours) >= 2:
        first, last = ours[0][1], ours[-1][1]
        ok = last <= 1.25 * first
        targets.append(("build time linear in editions (later s/edition ≤ 1.25× earlier)", ok,
                        f"{first:.2f} → {last:.2f} s/edition ({last / first:.2f}×)" if first > 0 else f"{last:.2f}"))
    else:
        targets.append(("build time linear in editions", None, "needs three archive sizes"))
    return lines + [""], targets


def serve_section(serve: dict) -> tuple[list[str], list]:
    seconds = serve.get("seconds", [])
    how = ("from writing `results.yaml` to the changed alliance page served by `python build.py serve`"
           if serve.get("mode") == "serve" else
           "`reportsite/serve.py` does not exist: a full `python build.py` after the edit, timed instead")
    lines = ["## Edit to preview", "", f"One score moved inside its tier, {len(seconds)} times; {how}.", "",
             "| measurement | time |", "|---|---|",
             f"| {serve.get('mode', '—')} | {span(seconds) if seconds else 'failed: ' + serve.get('error', '')} |", ""]
    m = med(seconds)
    return lines, [(f"an edit shows in serve < {EDIT_LIMIT_S} s", (m < EDIT_LIMIT_S) if m and serve.get("mode") == "serve"
                    else (None if m else False), f"{m:.2f} s ({serve.get('mode')})" if m else serve.get("error", ""))]


def kb(w: dict | None) -> str:
    if not w:
        return "—"
    blocked = f", {len(w['blocked'])} blocked" if w.get("blocked") else ""
    return f"{w['gzip'] / 1000:.1f} KB gz / {w['bytes'] / 1000:.0f} KB ({w['requests']} req{blocked})"


def weights_section(weights: dict, sites: dict) -> tuple[list[str], list]:
    columns = [name for name in ("ours/default", "stock/default") if name in weights]
    archives = sorted((site["editions"], key) for key, site in sites.items() if site.get("editions"))
    for side in ("ours", "stock"):
        for _, key in archives[:1] + archives[-1:] if len(archives) > 1 else archives:
            if f"{side}/{key}" in weights:
                columns.append(f"{side}/{key}")
    head = [c.replace("/default", " default").replace("/e", " ") + (" ed." if "/e" in c else "") for c in columns]
    lines = ["## Page weight", "",
             "Everything a first visit loads (fresh cache; page scrolled to the bottom; Chromium 1280×800), "
             "gzip level 6 / raw. `engaged`: after the pointer enters the first chart (our charts load plotly "
             "then; the stock page loads it up front). `blocked`: requests to other hosts that this offline "
             "machine cannot make and that are not counted (the stock theme's Google Fonts CSS); Plotly's CDN "
             "bundle is served from the `plotly` package's identical copy and counted.", "",
             "| page | " + " | ".join(head) + " |", "|---|" + "---|" * len(columns)]
    for page, name in PAGE_NAMES.items():
        for phase in ("first", "engaged") if page == "chart" else ("first",):
            cells = [kb((weights[c].get(page) or {}).get(phase)) for c in columns]
            label = name + (" — engaged" if phase == "engaged" else "")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    targets = []
    ours = [c for c in columns if c.startswith("ours/")]
    for page in PAGE_NAMES:
        limit = CHART_PAGE_KB if page == "chart" else TEXT_PAGE_KB
        phase = "engaged" if page == "chart" else "first"
        values = [(c, ((weights[c].get(page) or {}).get(phase) or {}).get("gzip")) for c in ours]
        values = [(c, v) for c, v in values if v is not None]
        if values:
            worst = max(values, key=lambda cv: cv[1])
            targets.append((f"{PAGE_NAMES[page]}: < {limit} KB gzip{' (engaged)' if page == 'chart' else ''}",
                            worst[1] < limit * 1000, f"heaviest {worst[1] / 1000:.1f} KB ({worst[0]})"))
    if len(archives) > 1:
        small, large = f"ours/{archives[0][1]}", f"ours/{archives[-1][1]}"
        if small in weights and large in weights:
            for page in PAGE_NAMES:
                phase = "engaged" if page == "chart" else "first"
                a = ((weights[small].get(page) or {}).get(phase) or {}).get("gzip")
                b = ((weights[large].get(page) or {}).get(phase) or {}).get("gzip")
                if a is None or b is None:
                    continue
                per = (b - a) / (archives[-1][0] - archives[0][0])
                detail = f"{a / 1000:.1f} → {b / 1000:.1f} KB ({per:+.0f} B/edition)"
                if page == "home":
                    targets.append((f"{PAGE_NAMES[page]}: size with editions (lists every edition)", None, detail))
                else:
                    targets.append((f"{PAGE_NAMES[page]}: does not grow {archives[0][0]} → {archives[-1][0]} editions",
                                    b - a <= GROWTH_BYTES, detail))
    return lines + [""], targets


def memory_section(sites: dict) -> list[str]:
    lines = ["## Peak memory", "", "Largest resident set of the build process (and its children), from `wait4`.",
             "", "| site | ours | stock |", "|---|---|---|"]
    for site in sites.values():
        cells = [f"{max(site[side]['rss_kib']) / 1024:.0f} MiB" if site[side].get("rss_kib") else "—"
                 for side in ("ours", "stock")]
        lines.append(f"| {site['label']} | {cells[0]} | {cells[1]} |")
    return lines + [""]


def lighthouse_section(found: dict, meta: dict) -> tuple[list[str], list]:
    if not found:
        return ["## Lighthouse", "", "Not run (`--no-lighthouse`).", ""], [("Lighthouse", None, "not run")]
    lines = ["## Lighthouse", "",
             f"Lighthouse 12.2.3, default mobile preset (simulated slow 4G, 4× CPU slowdown), Debian Chromium "
             f"headless, served with gzip on loopback; median of {meta['lighthouse_runs']} runs [min–max].", "",
             "| site | page | performance | accessibility | audits losing points |", "|---|---|---|---|---|"]
    targets = []
    warnings = set()
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
            failing = sorted({a.split(" ")[0] for r in runs for a in r["failing"]})
            warnings.update(w for r in runs for w in r["warnings"])
            lines.append(f"| {site} | {entry['path']} | {span(perf, '', 0)} | {span(a11y, '', 0)} | "
                         f"{', '.join(failing) or '—'} |")
            if site.startswith("ours/"):
                p, a = med(perf), med(a11y)
                targets.append((f"Lighthouse {PAGE_NAMES[page]}: performance ≥ {PERF}, accessibility {A11Y}",
                                p is not None and a is not None and p >= PERF and a >= A11Y,
                                f"performance {p:.0f}, accessibility {a:.0f}" if p is not None and a is not None
                                else "no score"))
    if warnings:
        lines += ["", "Lighthouse warned: " + " ".join(sorted(w.split(". Learn more")[0] + "." for w in warnings))]
    return lines + [""], targets


def render(results: dict) -> str:
    meta, sites = results["meta"], results["sites"]
    head = [f"# Benchmark results — {meta['date']}", "",
            f"Machine: {meta['cores']} cores ({meta['cpu'] or 'unknown CPU'}), {meta['memory_gib']} GiB; "
            f"Python {meta['python']}; {meta['system']}. Generator at {meta['commit']}. "
            f"Bench took {meta.get('bench_minutes', '?')} min" + (" — **smoke run (--quick), not a measurement**"
                                                                   if meta.get("quick") else "") + ".", ""]
    checks = [f"- {site['label']}: `build.py check`: {site['check']}" for site in sites.values()]
    build_lines, targets = builds_table(sites, meta)
    serve_lines, t = serve_section(results.get("serve", {}))
    targets += t
    weight_lines, t = weights_section(results.get("weights", {}), sites)
    targets += t
    lh_lines, t = lighthouse_section(results.get("lighthouse", {}), meta)
    targets += t
    summary = ["## Targets", "", "| target | measured | result |", "|---|---|---|"]
    summary += [f"| {name} | {detail} | {verdict(ok)} |" for name, ok, detail in targets]
    return "\n".join(head + summary + [""] + build_lines + serve_lines + weight_lines + memory_section(sites)
                     + lh_lines + ["## Data checked", ""] + checks) + "\n"


def main(argv: list[str]) -> int:
    path = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "results.json")
    with open(path, encoding="utf-8") as f:
        print(render(json.load(f)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
