#!/usr/bin/env python3
"""Lighthouse 12.2.3 (mobile preset) against pages served on loopback, with Debian's Chromium.

    python bench/lighthouse.py URL [URL ...]

Lighthouse is installed from npm into `bench/.node/` on first use (`npm i -E lighthouse@12.2.3`),
never a browser: `CHROME_PATH` points it at /usr/bin/chromium. Only the performance and
accessibility categories are run; each report is kept as JSON beside the bench's other output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
NODE = os.path.join(BENCH, ".node")
VERSION = "12.2.3"
BIN = os.path.join(NODE, "node_modules", ".bin", "lighthouse")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"


@dataclass
class Scores:
    """One Lighthouse run of one page."""

    url: str
    performance: float | None = None
    accessibility: float | None = None
    failing: list = field(default_factory=list)
    """The audits that lost points: a metric with its value (`total-blocking-time 340 ms`), an
    accessibility audit with the elements it names (`color-contrast: .md-copyright > p (3)`)."""
    warnings: list = field(default_factory=list)
    benchmark_index: float | None = None
    """Lighthouse's measure of this machine's CPU speed (its CPU slowdown assumes a fast desktop)."""
    error: str = ""


def install() -> str:
    """The path of the lighthouse command, installing it into bench/.node/ when missing; or why not."""
    if os.path.exists(BIN):
        return BIN
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm is not installed (Debian: apt-get install npm)")
    os.makedirs(NODE, exist_ok=True)
    result = subprocess.run([npm, "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund", "--prefix", NODE],
                            capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(BIN):
        raise RuntimeError(f"npm could not install lighthouse@{VERSION}: {result.stderr.strip()[-400:]}")
    return BIN


def describe(audit_id: str, audit: dict) -> str:
    """One audit that lost points, in a line: its value, or the elements it failed on."""
    items = (audit.get("details") or {}).get("items") or []
    selectors = list(dict.fromkeys((item.get("node") or {}).get("selector", "") for item in items))
    selectors = [s for s in selectors if s]
    if selectors:
        shown = "; ".join(" > ".join(s.split(" > ")[-2:]) for s in selectors[:3])
        more = f" and {len(selectors) - 3} more" if len(selectors) > 3 else ""
        return f"{audit_id}: {shown}{more}"
    return f"{audit_id} {audit.get('displayValue', '')}".strip()


def run(url: str, report_path: str, chrome: str = "/usr/bin/chromium") -> Scores:
    """Run Lighthouse once; the category scores (0-100) and what lost points."""
    try:
        binary = install()
    except RuntimeError as exc:
        return Scores(url, error=str(exc))
    env = {**os.environ, "CHROME_PATH": chrome}
    cmd = [binary, url, "--quiet", "--output=json", f"--output-path={report_path}",
           "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0 or not os.path.exists(report_path):
        return Scores(url, error=(result.stderr.strip() or result.stdout.strip())[-400:])
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    if report.get("runtimeError"):
        return Scores(url, error=report["runtimeError"].get("message", "runtime error"))
    scores = Scores(url, warnings=report.get("runWarnings", []),
                    benchmark_index=report.get("environment", {}).get("benchmarkIndex"))
    for key in ("performance", "accessibility"):
        score = report["categories"][key]["score"]
        setattr(scores, key, None if score is None else round(score * 100))
    weighted = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"] if ref.get("weight")}
    for audit_id in sorted(weighted):
        audit = report["audits"][audit_id]
        if audit.get("score") is not None and audit["score"] < 1:
            scores.failing.append(describe(audit_id, audit))
    return scores


def main(argv: list[str]) -> int:
    for i, url in enumerate(argv):
        s = run(url, os.path.join("/tmp", f"lighthouse-{i}.json"))
        print(f"{url}: performance {s.performance}, accessibility {s.accessibility} {s.error}")
        for audit in s.failing:
            print(f"  {audit}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
