"""Untrusted text into the site: every value from `data/` reaches a page, a script or an index
through one of these functions.

A page is Markdown with HTML in it, so `page_text()` escapes both at once: HTML's five characters
as markupsafe does, and the ASCII punctuation Markdown (with our extensions: attr_list, tables,
admonition, toc) gives a meaning to as numeric character references. A reference is plain text
to Markdown and means the same character to HTML, so the escaped value reads the same in a raw
HTML block, in a Markdown paragraph, a heading, a table cell or an attribute; `[x](javascript:…)`
and `*强*{: onmouseover=… }` stay text. Everything else (Chinese, digits, parentheses, `%`) is
left as it is, so the HTML source stays readable and ordinary values are unchanged.

Scripts get JSON with the characters that could end a script or a line in old JavaScript written
as `\\uXXXX` escapes (`script_json()`). A cell of a CSV file or a workbook that a spreadsheet would
read as a formula starts with an apostrophe (`spreadsheet_text()`).

This module imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

import json

from markupsafe import Markup

HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
"""HTML's characters, written as markupsafe writes them (so a value escaped here or by Jinja's
autoescape is the same bytes)."""
MARKDOWN = "\\`*_{}[]|!#\n\r"
"""Characters Markdown reads as markup: escapes, code, emphasis, attribute lists, links and images,
table cells, admonitions, headings; line breaks, which would start a new block."""

_PAGE = str.maketrans({**HTML, **{c: f"&#{ord(c)};" for c in MARKDOWN}})

SCRIPT = "<>&\u2028\u2029"
"""Characters that could end a script element or (in old JavaScript) a string literal."""
PLAIN_IN_SCRIPT = SCRIPT + "'`*_{}[]|!#"
"""The same for JSON placed in a page's Markdown or an HTML attribute (Jinja's `tojson`): Markdown's
characters too, but for the backslash, which JSON already writes as an escape of its own."""


def page_text(value) -> Markup:
    """`value` as text of a page (Markdown with HTML): escaped for both. Markup passes unchanged."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(str(value).translate(_PAGE))


class PageMarkup(Markup):
    """Markup whose operations (`format`, `join`, `+`, `%`) escape their plain-text operands with
    `page_text()`, for HTML built in Python from data (chart figures, links to alliances)."""

    __slots__ = ()

    @classmethod
    def escape(cls, s) -> "PageMarkup":
        return cls(page_text(s))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a cell starts that a spreadsheet (Excel, WPS, LibreOffice) reads as a formula."""


def spreadsheet_text(text: str) -> str:
    """A cell a spreadsheet shows as written: an apostrophe before a formula-like start."""
    return "'" + text if text.startswith(FORMULA_START) else text


def script_json(value, escape: str = SCRIPT) -> str:
    """`value` as JSON (keys sorted, no spaces, non-ASCII as it is) with each character of `escape`
    inside its strings written as a `\\uXXXX` escape. Stable from run to run."""
    table = str.maketrans({c: f"\\u{ord(c):04x}" for c in escape})

    def dump(v) -> str:
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False).translate(table)
        if isinstance(v, dict):
            items = sorted(v.items(), key=lambda kv: str(kv[0]))
            return "{" + ",".join(f"{dump(str(k))}:{dump(x)}" for k, x in items) + "}"
        if isinstance(v, (list, tuple)):
            return "[" + ",".join(dump(x) for x in v) + "]"
        return json.dumps(v)

    return dump(value)
