"""The one pass over a built folder's pages after MkDocs: each page is read once, given its last
touches by an ordered list of text -> text steps, and written once (`files.write`).

The steps, in order: the size of every PDF link (or the link taken out, with its separator, when
its file is missing), each stamped page's own path in its reference and `Url` and its canonical
link (the theme wrote them for the shell it was stamped from), the headings' anchors from their
numbers (`#s3-1`, the old ids kept as aliases), Material's hidden toggles without
the `autocomplete` a checkbox may not carry, the edition home's JSON-LD (its
downloads' sizes known by now), and last the Content-Security-Policy, computed from the page as
it will be served (`csp.py`).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown.extensions.toc import slugify, unique

from reportsite.model import files
from reportsite.render.anchors import heading_ids
from reportsite.write import csp

CITE_PATH = "@@cite-path@@"
"""Left by the theme where a stamped page's own path belongs (its reference and `Url`)."""
SHELL_CANONICAL = re.compile(r'(<link rel="canonical" href="[^"]*/)_shell-\d+\.html"')
"""Material's canonical link of a stamped page names the shell it was stamped from."""
PDF_LINK = re.compile(r'(<a class="pdf-link" href="([^"]*)"[^>]*?) data-pdf-size>(.*?)</a>', re.DOTALL)
"""A PDF link as the templates write it, waiting for its size. It starts with its literal text, so
the search jumps from one to the next rather than trying a match at every character."""
TOGGLES = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
           '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">')
"""Material's hidden drawer and search toggles as its base template writes them, outside any block
a theme can override. `autocomplete` is not allowed on a checkbox (the Nu HTML checker rejects it);
reading-aids.js closes both when a page is shown again instead."""
SEPARATOR = " · "
"""What stands before a PDF link among other links, taken out with it."""


@dataclass(frozen=True)
class Place:
    """What the steps know of the page they finish."""

    folder: str
    """The folder being finished (an edition's, or the archive root)."""
    rel: str
    """The page's path in it, with `/` separators: `alliances/110.html`."""
    head: str = ""
    """Markup to add at the end of the page's `<head>` (the edition home's JSON-LD)."""
    sizes: dict = field(default_factory=dict, compare=False)
    """Sizes of the files links name, by absolute path, filled as they are looked up."""


def size_text(size: int) -> str:
    """A file size as the pages show it: `1.2 MB`, `380 KB`."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} KB"


def pdf_sizes(text: str, place: Place) -> str:
    """Every PDF link (`<a class="pdf-link" href=... data-pdf-size>`) with the size of the file it
    names, or taken out (with its separator) when that file is missing."""
    if "data-pdf-size>" not in text:
        return text
    parent = os.path.dirname(os.path.join(place.folder, place.rel))

    out, at = [], 0
    for m in PDF_LINK.finditer(text):
        target = os.path.normpath(os.path.join(parent, unquote(m.group(2))))
        if target not in place.sizes:
            place.sizes[target] = os.path.getsize(target) if os.path.isfile(target) else None
        size, start = place.sizes[target], m.start()
        if size is not None:
            out += [text[at:start], f"{m.group(1)}>{m.group(3)}（{size_text(size)}）</a>"]
        else:
            gone = start - len(SEPARATOR) >= at and text.startswith(SEPARATOR, start - len(SEPARATOR))
            out.append(text[at:start - len(SEPARATOR) if gone else start])
        at = m.end()
    out.append(text[at:])
    return "".join(out)


def own_path(text: str, place: Place) -> str:
    """A stamped page's own path in its reference, `Url` and canonical link."""
    if CITE_PATH in text:
        text = text.replace(CITE_PATH, place.rel)
    if "_shell-" in text:
        name = place.rel.rsplit("/", 1)[-1]
        text = SHELL_CANONICAL.sub(lambda m: f'{m.group(1)}{name}"', text)
    return text


def head(text: str, place: Place) -> str:
    """What the page adds to its `<head>`."""
    return text.replace("</head>", place.head + "\n</head>", 1) if place.head else text


HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def anchors(text: str, place: Place) -> str:
    """Each heading whose id Python-Markdown made from its text (`_2`, `1`) with the ASCII anchor
    of its number instead (`s3-1`, `anchors.py`), the old id kept as an alias inside it, and the
    page's links to it (its table of contents, the skip link) pointing at the new one. Headings
    with ids of their own (an alliance page's `result`, the cite box's) are left as they are."""
    if "<h1 id=" not in text:
        return text
    found = [(m, html.unescape(TAG.sub("", m.group(3))).strip()) for m in HEADING.finditer(text)]
    used: set[str] = set()
    auto = [unique(slugify(plain, "-"), used) for _, plain in found]
    new = heading_ids([(int(m.group(1)), plain) for m, plain in found])
    renamed = {m.group(2): n for (m, _), made, n in zip(found, auto, new) if m.group(2) == made and n != made}
    if not renamed:
        return text
    out, at = [], 0
    for m, _ in found:
        old = m.group(2)
        if old in renamed:
            out += [text[at:m.start()], f'<h{m.group(1)} id="{renamed[old]}"><span id="{old}" class="anchor-alias">'
                    f'</span>{m.group(3)}</h{m.group(1)}>']
            at = m.end()
    out.append(text[at:])
    return LOCAL_LINK.sub(lambda m: f'href="#{renamed.get(m.group(1), m.group(1))}"', "".join(out))


LOCAL_LINK = re.compile(r'href="#([^"]+)"')


def toggles(text: str, place: Place) -> str:
    """Material's hidden toggles without the `autocomplete` a checkbox may not carry."""
    for tag in TOGGLES:
        if tag in text:
            text = text.replace(tag, tag.replace(' autocomplete="off"', ""), 1)
    return text


def content_policy(text: str, place: Place) -> str:
    """The page's Content-Security-Policy: last, so it hashes the page as served."""
    return csp.protect(text)


STEPS = (pdf_sizes, own_path, anchors, toggles, head, content_policy)
"""The finishing steps, in order."""


def finish(text: str, place: Place) -> str:
    """`text` after every step."""
    for step in STEPS:
        text = step(text, place)
    return text


def write_pages(folder: str, pages: dict[str, str], heads: dict[str, str] | None = None) -> int:
    """Finish and write each page of `pages` (path in `folder` -> its text); `heads` adds markup to
    some pages' `<head>`. The number of pages written."""
    sizes: dict = {}
    for rel, text in pages.items():
        place = Place(folder, rel, (heads or {}).get(rel, ""), sizes)
        files.write(os.path.join(folder, *rel.split("/")), finish(text, place))
    return len(pages)
