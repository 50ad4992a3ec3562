"""A small element tree of HTML, for the documents of record: parsed from markup this package
wrote (a printable part, the printable document), changed in place, written back.

`printable.py` and `record.py` move whole elements (a figure's caption below its drawing, a data
table to the site's appendix), which a streaming rewriter cannot; `docx.py` walks the finished
document. Text is kept unescaped and escaped again when written, so the tree never lets markup
in through text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reportsite.write.article import VOID


@dataclass
class Node:
    """One element, or the root (`tag` empty) holding a fragment's top-level nodes."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    """Elements and text, in order."""
    closed: bool = False
    """Written as `<tag ... />` (an SVG element without content)."""

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())

    def add_class(self, name: str) -> None:
        """Give the element the class `name`."""
        if name not in self.classes:
            self.attrs["class"] = f"{self.attrs.get('class', '')} {name}".strip()

    def text(self) -> str:
        """The element's text, as a reader's tool extracts it."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self) -> Iterator[Node]:
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.elements()

    def find(self, match: Callable[[Node], bool]) -> Node | None:
        """The first element below this one that matches."""
        return next((n for n in self.elements() if match(n)), None)

    def element_children(self) -> list[Node]:
        """The child elements, without text."""
        return [c for c in self.children if isinstance(c, Node)]

    def remove(self, child: Node) -> None:
        """Take `child` out of this element."""
        self.children = [c for c in self.children if c is not child]


def tagged(tag: str, cls: str = "") -> Callable[[Node], bool]:
    """A matcher of elements named `tag` (any when empty) having the class `cls` (if given)."""
    return lambda n: (not tag or n.tag == tag) and (not cls or cls in n.classes)


def parent_map(root: Node) -> dict[int, Node]:
    """Each element's parent, by the element's id()."""
    out = {}
    for node in [root, *root.elements()]:
        for child in node.element_children():
            out[id(child)] = node
    return out


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs, closed=False):
        node = Node(tag, {k: v or "" for k, v in attrs}, closed=closed)
        self.stack[-1].children.append(node)
        if tag not in VOID and not closed:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    """`markup` as a tree under a root node."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    return builder.root


def serialize(node: Node | str) -> str:
    """A node written back as markup (the root: its children)."""
    if isinstance(node, str):
        return html.escape(node, quote=False)
    inner = "".join(serialize(c) for c in node.children)
    if not node.tag:
        return inner
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in node.attrs.items())
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    if node.closed and not node.children:
        return f"<{node.tag}{attrs} />"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
