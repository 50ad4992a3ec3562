"""A built page's article rewritten for another document: the one HTML rewriter behind the PDF's
parts (`printable.py`) and the CMS hand-off's fragments (`publish/cms.py`).

The article is what Material writes inside `<article class="md-content__inner">`. A rewriter
leaves out whole elements that only work on screen, rewrites or drops attributes (links, ids),
and may unwrap an element (drop its tags, keep its text); what it keeps is re-escaped, so the
output is well-formed whatever the page held.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.DOTALL)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
"""Elements without an end tag."""


def article(page_html: str) -> str | None:
    """The article of a built page, or None when it has none."""
    m = ARTICLE.search(page_html)
    return m.group(1) if m else None


class Rewriter(HTMLParser):
    """Rewrites an article; subclasses say what to skip, keep, unwrap and how attributes read."""

    skipped_tags: frozenset[str] = frozenset()
    """Elements left out with everything inside them."""
    skipped_classes: frozenset[str] = frozenset()
    """Classes whose elements are left out with everything inside them."""
    unwrappable: frozenset[str] = frozenset()
    """Elements `unwrap()` may unwrap."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        """The rewritten article, piece by piece."""
        self.skipping: list[str] = []
        """The open elements being left out."""
        self.written: dict[str, list[bool]] = {}
        """For each open element that may be unwrapped: whether its start tag was written."""

    def rewrite(self, body: str) -> str:
        """`body` rewritten."""
        self.feed(body)
        self.close()
        return "".join(self.out)

    def skip(self, tag: str, attrs: dict) -> bool:
        """Whether the element is left out whole."""
        return tag in self.skipped_tags or bool(self.skipped_classes & set((attrs.get("class") or "").split()))

    def keep(self, tag: str, attrs: dict) -> bool:
        """Whether a start (or void) tag is written at all."""
        return True

    def attribute(self, tag: str, name: str, value: str) -> str | None:
        """An attribute's value as written, or None to drop it."""
        return value

    def unwrap(self, tag: str, attrs: dict, written: list[str]) -> bool:
        """Whether an element of `unwrappable` loses its tags (its rewritten attributes given)."""
        return False

    def opened(self, tag: str, attrs: dict) -> None:
        """Called for each element written, before its start tag."""

    def closing(self, tag: str) -> None:
        """Called for each end tag written, before it."""

    def text(self, data: str) -> None:
        """Called for each piece of text written, before it."""

    def handle_starttag(self, tag, attrs, closed=False):
        attrs = dict(attrs)
        if self.skipping or self.skip(tag, attrs):
            if tag not in VOID and not closed:
                self.skipping.append(tag)
            return
        if not self.keep(tag, attrs):
            return
        out = []
        for name, value in attrs.items():
            value = self.attribute(tag, name, value or "")
            if value is not None:
                out.append(f' {name}="{html.escape(value)}"')
        if tag in self.unwrappable:
            unwrapped = self.unwrap(tag, attrs, out)
            self.written.setdefault(tag, []).append(not unwrapped)
            if unwrapped:
                return
        self.opened(tag, attrs)
        self.out.append(f"<{tag}{''.join(out)}{' /' if closed else ''}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            return
        if tag in VOID:
            return
        if tag in self.unwrappable and self.written.get(tag) and not self.written[tag].pop():
            return
        self.closing(tag)
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skipping:
            return
        self.text(data)
        self.out.append(html.escape(data, quote=False))
