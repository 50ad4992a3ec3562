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
    """Ids of the audits that lost points, with their value (`color-contrast`, `total-blocking-time 340 ms`)."""
    warnings: list = field(default_factory=list)
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
    scores = Scores(url, warnings=report.get("runWarnings", []))
    for key in ("performance", "accessibility"):
        score = report["categories"][key]["score"]
        setattr(scores, key, None if score is None else round(score * 100))
    weighted = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"] if ref.get("weight")}
    for audit_id in sorted(weighted):
        audit = report["audits"][audit_id]
        if audit.get("score") is not None and audit["score"] < 1:
            value = audit.get("displayValue", "")
            scores.failing.append(f"{audit_id} {value}".strip())
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
