"""The Content-Security-Policy of every page, as a `<meta http-equiv>` tag (the site is static: the
web editors' server may not let us set headers, and a page opened from file:// has none).

Only the site's own scripts, styles, images and fonts load; what must stay inline (the theme's two
small start-up scripts, the `<noscript>` style, style attributes of the static SVG charts) is
allowed by the sha256 of its exact text, computed from the finished page. A data block (`<script
type="application/json">`, JSON-LD) is never run, so it needs no hash. `'unsafe-hashes'` lets a
style attribute run only when its hash is listed; inline event handlers are never allowed.

The hash of the empty text is allowed for styles: plotly (charts.js, on demand) adds an empty
`<style>` element and fills it through the CSS object model, which a policy does not govern.

Only the site's own inline code is hashed: a page's content (what Markdown made of a content
file) is marked by the MkDocs hook (`mark_content()`) with the sha256 of its own text, which
nothing inside it can forge, and nothing in the marked part is hashed; the marks are taken out
before the page is written. Content may hold no script anyway (`render/policy.py` refuses it at
`check`): this is the second wall. The policy goes by structure into `<head>`, after its `<meta
charset>`: no text in a page's body can move or remove it.
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


CONTENT_OPEN = "<!--reportsite-content "
CONTENT_CLOSE = "<!--/reportsite-content "
"""The marks around a page's content, each followed by the sha256 of the content and `-->`."""


def mark_content(content: str) -> str:
    """A page's content between marks naming its sha256 (the MkDocs hook, `on_page_content`)."""
    key = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return f"{CONTENT_OPEN}{key}-->{content}{CONTENT_CLOSE}{key}-->"


def split_content(page: str) -> tuple[str, list[str]]:
    """The page with its marked content taken out of it (what the policy may hash), and the
    page as served: the same, with the content in place and the marks removed."""
    own, served, at = [], [], 0
    while True:
        start = page.find(CONTENT_OPEN, at)
        if start < 0:
            break
        key = page[start + len(CONTENT_OPEN):start + len(CONTENT_OPEN) + 64]
        body_at = start + len(CONTENT_OPEN) + 64 + 3
        end = page.find(f"{CONTENT_CLOSE}{key}-->", body_at)
        if end < 0 or hashlib.sha256(page[body_at:end].encode("utf-8")).hexdigest() != key:
            break
        own.append(page[at:start])
        served += [page[at:start], page[body_at:end]]
        at = end + len(CONTENT_CLOSE) + 64 + 3
    own.append(page[at:])
    served.append(page[at:])
    return "".join(own), served


def protect(page: str) -> str:
    """The page as served: its content's marks removed, and its policy (computed from the page
    without its content) as the first tag after `<meta charset>` in `<head>` (a policy governs
    only what follows it). A page without `<head>` is returned as it is."""
    own, served = split_content(page)
    page = "".join(served)
    head_end = page.find("</head>")
    if head_end < 0:
        return page
    head = page[:head_end]
    tag = f'<meta {MARK} content="{html.escape(policy(own), quote=True)}">'
    if tag in head:
        return page
    charset = CHARSET.search(head)
    if charset is not None:
        return page[:charset.end()] + "\n" + tag + page[charset.end():]
    opening = re.search(r"<head\b[^>]*>", head, re.IGNORECASE)
    at = opening.end() if opening else head_end
    return page[:at] + "\n" + tag + page[at:]
