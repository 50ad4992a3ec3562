#!/usr/bin/env python3
"""Page weight: the bytes a first visit loads, recorded by Debian's Chromium under Playwright.

    python bench/weight.py URL [URL ...]

A visit is a fresh browser context (empty cache) at 1280x800: the page loads, is scrolled to the
bottom in screen-high steps (so anything loaded lazily is counted), and the network goes idle.
Every response is counted once per URL: `bytes` is the decoded body, `gzip` what it weighs
gzipped at level 6 (images, fonts and other compressed formats count as they are). With
`engage`, the reader then asks for the first chart's interactive figure (ours loads plotly only on
a click on 交互图表; the stock page's loads without it) and the network goes idle again: the weight
of a reader who uses a chart. Only loopback is reached. A request to another host is answered from
a local copy when the bench has one (Plotly's CDN bundle, from the `plotly` package: the same file
and checksum) and is otherwise blocked and listed under `blocked` (not counted: this machine has no
internet, and neither has a reader in mainland China for Google's hosts).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from urllib.parse import urlparse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
ENGAGE = ("figure.chart .chart-toggle", ".plotly-graph-div")
"""What a reader clicks for a chart of ours (its 交互图表), or hovers on a stock page's chart."""
COMPRESSED = re.compile(r"image/(png|jpe?g|gif|webp|avif)|font/woff2?|application/(zip|gzip|x-gzip|octet-stream)|"
                        r"spreadsheetml")
CDN_PLOTLY = re.compile(r"^https://cdn\.plot\.ly/plotly-[\d.]+(\.min)?\.js$")


@dataclass
class Weight:
    """What one visit loaded."""

    url: str
    bytes: int = 0
    gzip: int = 0
    requests: int = 0
    files: list = field(default_factory=list)
    """(url, bytes, gzip) of each response, largest first."""
    blocked: list = field(default_factory=list)
    """URLs on other hosts that were not served (and so not counted)."""


def gzip_size(body: bytes, content_type: str) -> int:
    if COMPRESSED.search(content_type or ""):
        return len(body)
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def local_plotly() -> bytes | None:
    """Plotly's CDN bundle as the `plotly` package ships it (the version its `to_html` names)."""
    try:
        import plotly
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    with open(path, "rb") as f:
        return f.read()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def visit(browser, url: str, engage: bool = False, plotly_js: bytes | None = None) -> tuple[Weight, Weight | None]:
    """The first visit's weight and, with `engage`, the weight once a chart has been engaged."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    blocked: list[str] = []

    def route(r):
        target = r.request.url
        host = urlparse(target).hostname or ""
        if host in ("127.0.0.1", "localhost") or target.startswith("data:"):
            return r.continue_()
        if plotly_js is not None and CDN_PLOTLY.match(target.split("?")[0]):
            return r.fulfill(status=200, body=plotly_js, headers={"Content-Type": "text/javascript",
                                                                 "Access-Control-Allow-Origin": "*"})
        blocked.append(target)
        return r.abort()

    context.route("**/*", route)
    seen: dict[str, tuple[int, int]] = {}

    def record(response):
        if response.url in seen or response.status in (204, 301, 302, 303, 304, 307, 308):
            return
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a response the browser dropped (navigated away, aborted)
            return
        seen[response.url] = (len(body), gzip_size(body, response.headers.get("content-type", "")))

    context.on("response", record)
    inflight: set = set()
    context.on("request", lambda r: inflight.add(r))
    context.on("requestfinished", lambda r: inflight.discard(r))
    context.on("requestfailed", lambda r: inflight.discard(r))
    page = context.new_page()
    page.goto(url, wait_until="load")
    settle(page, inflight)
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 800, 800):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    settle(page, inflight)
    first = summarise(url, seen, blocked)
    engaged = None
    if engage:
        for selector in ENGAGE:
            target = page.locator(selector).first
            if target.count():
                target.scroll_into_view_if_needed()
                target.click() if selector.endswith("chart-toggle") else target.hover()
                settle(page, inflight)
                break
        engaged = summarise(url, seen, blocked)
    context.close()
    return first, engaged


def settle(page, inflight: set, quiet_ms: int = 500, limit_ms: int = 20000) -> None:
    """Wait until no request has been in flight for `quiet_ms` (at most `limit_ms`)."""
    quiet = waited = 0
    while quiet < quiet_ms and waited < limit_ms:
        page.wait_for_timeout(50)
        waited += 50
        quiet = 0 if inflight else quiet + 50


def summarise(url: str, seen: dict, blocked: list) -> Weight:
    files = sorted(((u, b, g) for u, (b, g) in seen.items()), key=lambda f: -f[2])
    return Weight(url, sum(f[1] for f in files), sum(f[2] for f in files), len(files), files,
                  sorted(set(blocked)))


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    engage = "--engage" in argv
    urls = [a for a in argv if not a.startswith("--")]
    with sync_playwright() as p:
        browser = launch(p)
        for url in urls:
            first, engaged = visit(browser, url, engage, local_plotly())
            for label, w in (("first visit", first), ("engaged", engaged)):
                if w is None:
                    continue
                print(f"{url} ({label}): {w.bytes} bytes, {w.gzip} gzip, {w.requests} requests")
                for u, b, g in w.files:
                    print(f"  {g:>9} {b:>9}  {u}")
                for u in w.blocked:
                    print(f"  blocked: {u}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
