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
from decimal import Decimal

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
TEXT_CELL = "s"
"""openpyxl's type of a string cell (its `TYPE_STRING`): what a text cell is made, whatever it
starts with (openpyxl would store text starting with `=` as a formula)."""


def spreadsheet_text(text: str) -> str:
    """A CSV cell a spreadsheet shows as written: an apostrophe before a formula-like start (a
    CSV cell has no type). The import takes the apostrophe off again (`unprefixed()`)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unprefixed(text: str) -> str:
    """A CSV cell as `spreadsheet_text()` was given it: the apostrophe taken off only when a
    formula-like start follows it (`'=1+1` -> `=1+1`; `'abc` stays)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def plain_decimal(value: float | int | Decimal) -> str:
    """A number as decimal digits, never in exponent form (`1e-05` -> `0.00001`), which the import
    reads back (it refuses exponents as typed numbers)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def csv_cells(values) -> list[str]:
    """One CSV row of data: text through `spreadsheet_text()`, numbers as `plain_decimal()`, None as
    an empty cell. Every CSV file the tool writes (results, chart data, the CMS lists) goes through
    here."""
    return ["" if v is None else plain_decimal(v) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
            else spreadsheet_text(str(v)) for v in values]


def data_cells(sheet) -> None:
    """Make every text cell of an openpyxl sheet a string cell, its value exactly the text, with
    Excel's quote prefix (what Excel stores when someone types `'=...`) when it starts like a
    formula: so `=HYPERLINK(...)` in a name is shown, never run, even once the cell is edited.
    Every workbook the tool writes (the template, results.xlsx) goes through here."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TEXT_CELL
                if cell.value.startswith(FORMULA_START):
                    cell.quotePrefix = True


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
