"""What a content file may put on a page: Markdown and HTML, without script and without anything
loaded from another host; and only characters XML, JSON and a terminal can carry.

The page's security policy (`write/csp.py`) lists only the site's own code, so a pasted tracking
snippet or widget would not run anyway; it is refused here, at `check`, with the file and line, so
that an author learns why rather than publishing a page that silently lacks it. What is checked is
what a browser would get: the rendered page converted by Markdown (with the site's extensions, so
an attribute list `{: onclick=… }` is seen as the attribute it becomes) and parsed as HTML, so a
`<script>` mentioned in a code span is text and passes.

Refused, each a `content-script` problem: a `<script>` element (scripts come only from front
matter `scripts:`, naming our own), an `on…` attribute, a `javascript:`, `vbscript:` or
`data:text/html` address, `iframe`/`frame`/`object`/`embed`/`applet`/`base`, `<meta http-equiv>`,
and an address that loads from another host (`src`, `srcset`, `poster`, `data`, a `<link href>`,
a form's `action`, `url(…)` in a style).
"""

from __future__ import annotations

import html.parser
import re

import markdown

from reportsite.model.files import plain_file
from reportsite.model.messages import Message, message
from reportsite.model.chars import char_name, first_uncarried
from reportsite.model.records import UNCARRIED, Loc, Problem, quote

EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition")
"""The Markdown extensions of the site's settings that change what HTML a page becomes."""
RAW_BLOCK = re.compile(r"(?:(?<=\n\n)|\A)<(figure|table)\b[^>]*>.*?</\1>(?=\n\n|\n?\Z)", re.DOTALL)
"""A chart figure or data table standing as a raw HTML block of its own (blank lines around it)."""
SET_ASIDE = re.compile(r'<div data-set-aside="(\d+)"></div>')

FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                            "portal"})
"""Elements that run code, frame another page or change where the page's links lead."""
LOADING = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "action",
                     "formaction", "codebase", "archive", "manifest", "ping", "xlink:href"})
"""Attributes whose address the browser fetches (or sends a form to) without a click."""
URL_ATTRS = LOADING | {"href", "cite", "longdesc"}
"""Attributes holding an address."""
SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.I)
ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)
"""An address naming a scheme or a host (anything but a path within the site, or a `data:` image)."""
STYLE_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import\s+['\"]([^'\"]*)", re.I)


def set_aside(text: str) -> tuple[str, list[str]]:
    """`text` with each raw chart or table block replaced by a placeholder, and the blocks.

    Markdown passes a raw HTML block through unchanged, but parsing it to find that out was most
    of the conversion time of our pages (charts carry SVG, tables hundreds of rows). Blocks that
    ask for Markdown inside them (`markdown="1"`) stay."""
    blocks: list[str] = []

    def keep(m: re.Match) -> str:
        if "markdown=" in m.group(0):
            return m.group(0)
        blocks.append(m.group(0))
        return f'<div data-set-aside="{len(blocks) - 1}"></div>'

    return RAW_BLOCK.sub(keep, text), blocks


def put_back(converted: str, blocks: list[str]) -> str:
    """The converted page with its set-aside blocks in place of their placeholders."""
    return SET_ASIDE.sub(lambda m: blocks[int(m.group(1))], converted) if blocks else converted


def _unspaced(url: str) -> str:
    """An address as a browser reads its scheme: control characters and spaces dropped."""
    return re.sub(r"[\x00-\x20]", "", url)


def _loads_elsewhere(url: str) -> bool:
    plain = _unspaced(url).lower()
    return bool(ELSEWHERE.match(plain)) and not plain.startswith(("data:image/", "mailto:", "tel:", "#"))


class _Finder(html.parser.HTMLParser):
    """Every refused element and attribute of a converted page, each as (what, needle): a short
    description and the text to look for in the source to place it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append((f"<{tag}>", f"<{tag}"))
            return
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found.append(("<meta http-equiv>", "http-equiv"))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append((f"<{tag} {name}>", name))
            elif name in URL_ATTRS and SCRIPT_SCHEME.match(_unspaced(value)):
                self.found.append((f"<{tag} {name}={quote(value, 40)}>", value.strip()[:20]))
            elif (name in LOADING or (name == "href" and tag == "link")) and any(
                    _loads_elsewhere(part.strip().split(" ")[0]) for part in value.split(",")):
                self.found.append((f"<{tag} {name}={quote(value, 40)}>", value.strip()[:40]))
            elif name == "style":
                self._style(f"<{tag} style>", value)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.lasttag == "style":
            self._style("<style>", data)

    def _style(self, where: str, css: str) -> None:
        for m in STYLE_URL.finditer(css):
            url = m.group(1) or m.group(2) or ""
            if _loads_elsewhere(url) or SCRIPT_SCHEME.match(_unspaced(url)):
                self.found.append((f"{where} url({quote(url, 40)})", url.strip()[:40]))


def refused_markup(page_markdown: str) -> list[tuple[str, str]]:
    """What a page's Markdown, converted as the site converts it, holds that the policy refuses:
    (what, needle) pairs in page order."""
    body, blocks = set_aside(page_markdown)
    converted = markdown.markdown(body, extensions=list(EXTENSIONS))
    finder = _Finder()
    finder.feed(put_back(converted, blocks))
    finder.close()
    return finder.found


def _place(source: str, needle: str, after: int) -> tuple[int, int, int]:
    """Line, column and index of `needle` (any case) in `source` from `after` on, else from the
    start; (0, 0, after) when the source does not hold it (markup an expression made)."""
    lowered, wanted = source.lower(), needle.lower()
    at = lowered.find(wanted, after)
    if at < 0:
        at = lowered.find(wanted)
    if at < 0 or not wanted:
        return 0, 0, after
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1, at + len(wanted)


def markup_problems(page_markdown: str, source: str, path: str) -> list[Problem]:
    """A `content-script` problem for each script, frame or load from another host the page holds,
    at its line in the content file `path` (whose text is `source`)."""
    out, after = [], 0
    for what, needle in refused_markup(page_markdown):
        line, col, after = _place(source, needle, after)
        out.append(Problem("content-script", Loc(path, line, col), message("content-script", what=what)))
    return out


def character_problems(source: str, path: str) -> list[Problem]:
    """A `control-character` problem for each character of a content file that XML, JSON and a
    terminal cannot carry (`records.UNCARRIED`), at its line and column."""
    out = []
    for m in UNCARRIED.finditer(source):
        line = source.count("\n", 0, m.start()) + 1
        col = m.start() - (source.rfind("\n", 0, m.start()) + 1) + 1
        out.append(Problem("control-character", Loc(path, line, col),
                           message("control-character/content", char=char_name(m.group()))))
        if len(out) == 10:
            break
    return out


def source_text(path: str) -> str:
    """A content file's text as typed (empty when it cannot be read as UTF-8: the loader says why)."""
    try:
        plain_file(path)  # a named pipe would hang the read
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return ""


def uncarried_printed(value: str) -> Message | None:
    """The first character a printed value holds that XML, JSON and a terminal cannot carry, named."""
    found = first_uncarried(value)
    return char_name(found.group()) if found else None
