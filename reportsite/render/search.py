"""An edition's pages -> its site-search index, a script the browser loads on demand.

Chinese has no spaces between words, so the index keeps each page's plain text and the browser
finds a query as a substring of it: 光热 is found inside 太阳能光热产业技术创新战略联盟 without a
word segmenter. Measured on the 2020-2021 edition: the text of its 122 pages is 121 KB (19 KB
gzip), while character-bigram postings alone would be 123 KB (24 KB gzip) and would still need
the text to show a match in context; scanning 366 pages takes the browser under 5 ms. jieba would
add about 0.9 s to every build (loading its dictionary, cutting the text) and finds nothing a
substring does not.

The index is a script (`search-index.js`) rather than JSON so that it loads from `file://`,
where `fetch` and XHR are refused. It assigns one global:

    window.reportSearchIndex = {"pages": [[url, title, key, [[anchor, heading, text], ...]], ...]}

`url` is the page's path from the edition root (`alliances/D106.html`); `key` is the code of an
alliance page (the query D106 puts that page first), otherwise empty; each section is the prose
under one heading, `anchor` being the heading's id (`anchors.py`; empty for the text under the
title). Tables and figures are left out of the index: their cells would make snippets of runs of
numbers and names, and what they hold is on the alliances' pages, each indexed as its name, code,
other names and its standing in one sentence. So the index of an edition of 300 alliances is about
13 KB gzip, and search.js loads every edition's on the first keystroke (the bench's 20 editions:
under 300 KB).

What a reader reads in the edition (`reader_text`, a frozen edition's fingerprint) is another
thing: every page's whole text, named by Python-Markdown's anchors, kept as it always was.
"""

from __future__ import annotations

import html
import re

from markdown.extensions.toc import slugify, unique

from reportsite.model.escape import script_json
from reportsite.render.anchors import heading_ids
from reportsite.render.chrome import without_chrome
from reportsite.render.pages import Page, Pages

INDEX_FILE = "search-index.js"
"""The index's path from the edition root."""
GLOBAL = "reportSearchIndex"
SEARCH_PAGE = "search.md"
"""The search page itself, which is not indexed."""
ALLIANCE_PAGE = re.compile(r"^alliances/([^/]+)\.md$")

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
EXPLICIT_ID = re.compile(r"\{:?[^}\n]*#([\w-]+)[^}\n]*\}")
# Line-level Markdown: list markers, quote marks, table rules, admonition titles.
ADMONITION = re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"([^"]*)")?', re.MULTILINE)
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.MULTILINE)
BLOCKQUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+", re.MULTILINE)
TABLE_PIPE = re.compile(r"(?<!\\)\|")
# Elements whose content is not prose: dropped whole, with what is inside them.
HIDDEN = re.compile(r"<(script|style|svg|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Block-level tags separate words; inline tags (a, span, strong) sit inside them.
BLOCK_TAG = re.compile(r"</?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|"
                       r"figcaption|figure|footer|h[1-6]|header|hr|li|nav|ol|p|section|summary|"
                       r"table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"</?[A-Za-z][^>]*>")
ATTR_LIST = re.compile(r"\{:[^}\n]*\}|\{[#.][^}\n]*\}")
IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
# Emphasis and code marks sit inside words: removed without a space, so 半导体 stays one word.
MARKUP = re.compile(r"\*\*|__|[*`]|\\(?=[\\`*_{}\[\]()#+\-.!|>])")
MARKUP_CHARS = "*_`\\"
"""The characters `MARKUP` starts with."""
SPACE = re.compile(r"\s+")
HTML_HEADING = re.compile(r'<h([1-6])\b[^>]*?\bid="([^"]*)"[^>]*>(.*?)</h\1\s*>', re.DOTALL | re.IGNORECASE)


def plain_text(markdown: str) -> str:
    """The words of a piece of Markdown with inline HTML, as a reader sees them, on one line."""
    text = ADMONITION.sub(r"\1", markdown)
    text = TABLE_RULE.sub(" ", text)
    text = BLOCKQUOTE.sub("", text)
    text = LIST_MARKER.sub("", text)
    return inline_text(TABLE_PIPE.sub(" ", text))


def inline_text(markdown: str) -> str:
    """The words of one line of Markdown (a heading: `1. 总体情况` keeps its number).

    Each pass runs only when its first character is in the text (most lines are plain words)."""
    text = markdown
    if "<" in text:
        text = without_chrome(text)
        text = TAG.sub("", BLOCK_TAG.sub(" ", HIDDEN.sub(" ", COMMENT.sub(" ", text))))
    if "{" in text:
        text = ATTR_LIST.sub("", text)
    if "[" in text:
        text = IMAGE_OR_LINK.sub(r"\1", text)
    if any(c in text for c in MARKUP_CHARS):
        text = MARKUP.sub("", text)
    return SPACE.sub(" ", html.unescape(text)).strip()


def sections(markdown: str) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) of each part of a page, split at its Markdown headings.

    Anchors are the ids MkDocs gives the headings (Python-Markdown's `toc`: the slug of the
    heading's text, made unique with `_1`, `_2` ...); the first part, under the title, has none.
    """
    used: set[str] = set()
    parts: list[tuple[str, str, list[str]]] = [("", "", [])]
    fenced = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        m = None if fenced else HEADING.match(line)
        if not m:
            parts[-1][2].append(line)
            continue
        explicit = EXPLICIT_ID.search(m.group(2))
        heading = inline_text(m.group(2))
        anchor = explicit.group(1) if explicit else unique(slugify(heading, "-"), used)
        if len(m.group(1)) == 1 and len(parts) == 1:
            continue  # the title: its text is the page's title, and a link to it is the page
        parts.append((anchor, heading, []))
    out = []
    for anchor, heading, lines in parts:
        text = plain_text("\n".join(lines))
        if heading or text:
            out.append((anchor, heading, text))
    return out


def html_sections(body: str) -> list[tuple[str, str, str]]:
    """`sections()` of a page whose body is HTML (an alliance page), split at its headings' ids."""
    pieces = HTML_HEADING.split(body)  # text, then (level, id, heading, text) per heading
    parts = [["", "", pieces[0]]]
    for i in range(1, len(pieces), 4):
        level, anchor, heading, text = pieces[i:i + 4]
        if level == "1" and len(parts) == 1:
            parts[0][2] += " " + text  # under the title, as in `sections()`
        else:
            parts.append([anchor, inline_text(heading), text])
    texts = [(anchor, heading, inline_text(html)) for anchor, heading, html in parts]
    return [(anchor, heading, text) for anchor, heading, text in texts if heading or text]


def entry(page: Page) -> list:
    """A page as the index lists it: [url, title, key, sections]."""
    m = ALLIANCE_PAGE.match(page.name)
    url = page.name[: -len(".md")] + ".html"
    return [url, inline_text(page.title), m.group(1) if m else "",
            [list(s) for s in (html_sections(page.html) if page.html else sections(page.markdown))]]


BLOCKS = re.compile(r"<(table|figure)\b.*?</\1\s*>|<div class=\"[^\"]*\bjs-only\b[^\"]*\"[^>]*>.*?</div>",
                    re.DOTALL | re.IGNORECASE)
"""What the index leaves out: tables, figures, and controls (the ranking's search and filters)."""
PIPE_ROW = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)
OTHER_NAMES = re.compile(r"<dt>(又称|曾用名)</dt><dd>(.*?)</dd>", re.DOTALL)
STANDING = re.compile(r'<p class="history-static">(.*?)</p>', re.DOTALL)


def levels(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every Markdown heading, in order (the title too)."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        m = None if fenced else HEADING.match(line)
        if m:
            out.append((len(m.group(1)), inline_text(m.group(2))))
    return out


def prose_sections(markdown: str) -> list[list[str]]:
    """[anchor, heading, text] of each part of a page, its tables and figures left out, each
    heading named by the anchor the built page gives it (`anchors.heading_ids`)."""
    text = PIPE_ROW.sub("", BLOCKS.sub(" ", markdown))
    outline = levels(text)
    ids = heading_ids(outline)[1 if outline and outline[0][0] == 1 else 0:]
    out, at = [], 0
    for _, heading, body in sections(text):
        anchor = ""
        if heading:
            anchor, at = (ids[at] if at < len(ids) else ""), at + 1
        out.append([anchor, heading, body])
    return out


def alliance_sections(page: Page) -> list[list[str]]:
    """An alliance page as one sentence: its other names and its standing in the edition."""
    names = [f"{label}：{inline_text(value)}。" for label, value in OTHER_NAMES.findall(page.html)]
    standing = STANDING.search(page.html)
    said = inline_text(standing.group(1)).split("。")[0] + "。" if standing else ""
    return [["", "", said + "".join(names)]]


def index_entry(page: Page) -> list:
    """A page as the index lists it: [url, title, key, sections]."""
    m = ALLIANCE_PAGE.match(page.name)
    url = page.name[: -len(".md")] + ".html"
    parts = alliance_sections(page) if m else prose_sections(page.markdown) if not page.html else \
        [list(s) for s in html_sections(BLOCKS.sub(" ", page.html))]
    return [url, inline_text(page.title), m.group(1) if m else "", parts]


def index_data(pages: Pages) -> dict:
    """The index of an edition: every page but the search page, in the edition's page order."""
    return {"pages": [index_entry(p) for p in pages.pages if p.name != SEARCH_PAGE]}


def reader_text(pages: Pages) -> str:
    """What a reader reads in an edition: each page's address, title, headings and text as the
    index keeps them (markup, scripts and drawings left out), one page a line, stable.

    A frozen edition is compared by it: the same text is the same report, whatever markup, theme
    or assets surround it (docs/data.md, *Frozen editions and site-wide changes*)."""
    return "\n".join(script_json(entry(p)) for p in pages.pages)


def script_literal(data) -> str:
    """`data` as a JavaScript literal that is safe inside any HTML: no `<`, `>` or `&` appears, so
    no `</script>` or comment can end the script early. Stable: keys sorted, no spaces."""
    return script_json(data)


def index_script(pages: Pages) -> str:
    """The text of `search-index.js` for an edition."""
    return f"window.{GLOBAL}={script_literal(index_data(pages))};\n"

