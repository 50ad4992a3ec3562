"""The Content-Security-Policy of every page, as a `<meta http-equiv>` tag (the site is static: the
web editors' server may not let us set headers, and a page opened from file:// has none).

Only the site's own scripts, styles, images and fonts load; what must stay inline (the theme's two
small start-up scripts, the `<noscript>` style, style attributes of the static SVG charts) is
allowed by the sha256 of its exact text, computed from the finished page. A data block (`<script
type="application/json">`, JSON-LD) is never run, so it needs no hash. `'unsafe-hashes'` lets a
style attribute run only when its hash is listed; inline event handlers are never allowed.

The hash of the empty text is allowed for styles: plotly (charts.js, on demand) adds an empty
`<style>` element and fills it through the CSS object model, which a policy does not govern.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
STYLE_ATTR = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
DATA_TYPES = re.compile(r"""\btype=["']?application/(?:ld\+)?json""", re.IGNORECASE)
CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?>", re.IGNORECASE)
MARK = 'http-equiv="Content-Security-Policy"'
EMPTY = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
"""The hash of the empty text."""


def digest(text: str) -> str:
    """A CSP hash source for `text`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script the browser would run."""
    return [body for attrs, body in SCRIPT.findall(page)
            if "src=" not in attrs.lower() and not DATA_TYPES.search(attrs)]


def policy(page: str) -> str:
    """The policy for one finished page: its own files, plus the hashes of its inline code."""
    scripts = sorted({digest(s) for s in inline_scripts(page)})
    styles = sorted({digest(s) for s in STYLE.findall(page)} | {EMPTY})
    # `tyle=` in lower case is exact: no other character matches t, y, l or e when case is ignored.
    found = STYLE_ATTR.findall(page) if "tyle=" in page.lower() else []
    attrs = sorted({digest(html.unescape(a or b)) for a, b in found})
    style_src = ["'self'", *styles, *(["'unsafe-hashes'", *attrs] if attrs else [])]
    return "; ".join([
        "default-src 'none'",
        " ".join(["script-src 'self'", *scripts]),
        "style-src " + " ".join(style_src),
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ])


def protect(page: str) -> str:
    """The page with its policy as the first tag after `<meta charset>` (a policy governs only what
    follows it); a page without that tag, or with a policy already, is returned unchanged."""
    if MARK in page or not CHARSET.search(page):
        return page
    tag = f'<meta {MARK} content="{html.escape(policy(page), quote=True)}">'
    return CHARSET.sub(lambda m: m.group(0) + "\n" + tag, page, count=1)
