"""References to the report and its pages in the form of GB/T 7714-2015 (信息与文献 参考文献著录规则).

The edition home is cited as a report available online (`[R/OL]`); an alliance page as a part of
it (析出文献, `题名[R/OL]//...`). The access date (引用日期) is the reader's: the page shows the
reference without it and the copy button adds today's date. A version after the first is given as
the edition statement (版本项, `第 2 版`). Without a public address the reference has no URL.

Pure functions of the edition's data and the settings; the result is plain text, escaped where it
enters a page (Jinja's autoescape, or `escape.page_text()`).
"""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN_PLACE = "[出版地不详]"
"""GB/T 7714-2015 8.4.1.4: the place of publication when none is known."""


@dataclass(frozen=True)
class Source:
    """What every reference to one edition shares."""

    authors: str
    """The publishers as 主要责任者, separated by `, ` as the standard writes them."""
    title: str
    """The report's title."""
    imprint: str
    """`出版地: 出版者, 出版年`."""
    version: int
    url: str | None
    """The edition's public address (ending in `/`), or None."""


def source(title: str, publishers, published: str, version: int, place: str | None,
           url: str | None) -> Source:
    """The shared part of an edition's references. `published` is `YYYY-MM`; the first publisher
    is the 出版者."""
    publishers = list(publishers)
    imprint = f"{place or UNKNOWN_PLACE}: {publishers[0]}, {published[:4]}"
    return Source(", ".join(publishers), title, imprint, version, url)


def edition_statement(version: int) -> str:
    """The 版本项 after the title: nothing for the first version (the standard omits 第 1 版)."""
    return f" 第 {version} 版." if version > 1 else ""


def report_reference(src: Source) -> tuple[str, str]:
    """The reference to the whole report (the edition home), as the text before and after the
    place of the access date `[YYYY-MM-DD]`."""
    url = f" {src.url}index.html." if src.url else ""
    return f"{src.authors}. {src.title}[R/OL].{edition_statement(src.version)} {src.imprint}", f".{url}"


def part(src: Source, title: str, path: str) -> tuple[str, str]:
    """The reference to one page of the report (`path` relative to the edition's folder), titled
    `title`, as a contribution to it; split as `report_reference()` splits it."""
    url = f" {src.url}{path}." if src.url else ""
    return (f"{src.authors}. {title}[R/OL]//{src.authors}. {src.title}."
            f"{edition_statement(src.version)} {src.imprint}", f".{url}")
