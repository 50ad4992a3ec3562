"""The edition's built report pages as one printable HTML document: the PDF's source.

The article of each report page (sections, appendices, then the errata), as MkDocs wrote it with
the charts' inline SVG, is rewritten to be a part of one document: ids made unique and links made
internal, what only works on screen left out (scripts, buttons, the edition bar, screen-reader
copies, the chart headings drawn for the downloaded SVG), every chart's text set in the PDF's font
and its description made its alternative text. `templates/pdf/report.html.j2` puts the parts
together behind a cover and a contents list. Pure: `pdf.py` hands it the built pages and
typesets the result.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import jinja2

from reportsite.model.errors import BuildError
from reportsite.model.project import TEMPLATES
from reportsite.model.records import Edition
from reportsite.render.pages import Pages
from reportsite.write.article import Rewriter, article

FAMILY = "Report Serif"
"""The one font family of the PDF: the vendored Noto Serif SC faces under `print/fonts/`."""
SECTIONS = ("报告正文", "附件")
"""Navigation sections whose pages make the report; the errata page closes it."""
CLOSING = "errata.md"
SKIPPED_TAGS = {"script", "button", "template", "noscript", "style"}
SKIPPED_CLASSES = {"edition-bar", "chart-actions", "chart-sr", "pdf-link"}
"""Elements of a built page left out of the PDF: the interactive and the screen-reader-only."""
REFERENCED = ("aria-describedby", "aria-labelledby", "headers", "for")
"""Attributes naming ids, made unique with the ids they name."""


@dataclass(frozen=True)
class Section:
    """One report page as a part of the PDF."""

    stem: str
    """The page's name without `.md`: the part's id, and the prefix of every id inside it."""
    body: str
    """The article's HTML, ids prefixed, links made internal, interactive parts left out."""
    headings: tuple[tuple[int, str, str], ...]
    """(level, id, text) of its h1 and h2 (of its h1 alone outside the body sections), for the
    contents, as the printed report lists them."""


class _Part(Rewriter):
    """One built page's article rewritten as a part of the PDF document: ids made unique, links
    made internal, the chart's text in the PDF's font, the headings kept for the contents."""

    skipped_tags = frozenset(SKIPPED_TAGS)
    skipped_classes = frozenset(SKIPPED_CLASSES)

    def __init__(self, stem: str, stems: set[str]):
        super().__init__()
        self.stem, self.stems = stem, stems
        self.heading: list | None = None
        self.headings: list[tuple[int, str, str]] = []

    def local(self, ident: str) -> str:
        return f"{self.stem}--{ident}"

    def link(self, href: str) -> str | None:
        """`href` as a link inside the PDF, or None when it points outside the report."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        if not parts.path:
            return f"#{self.local(unquote(parts.fragment))}" if parts.fragment else None
        stem = parts.path[:-5] if parts.path.endswith(".html") else None
        if stem not in self.stems:
            return None
        return f"#{stem}--{unquote(parts.fragment)}" if parts.fragment else f"#{stem}"

    def skip(self, tag: str, attrs: dict) -> bool:
        if tag == "text" and (attrs.get("y") or "").startswith("-"):
            # A chart's own heading, drawn above its frame for the downloaded SVG; the figure's
            # caption says it, and text clipped from view would still be extracted.
            return True
        return super().skip(tag, attrs)

    def attribute(self, tag: str, name: str, value: str) -> str | None:
        if name == "id":
            return self.local(value)
        if name in REFERENCED:
            return " ".join(self.local(v) for v in value.split())
        if name == "href" and tag == "a":
            return self.link(value)
        if name == "face" or name == "style" and not (value := own_font(value)):
            return None
        return FAMILY if name == "font-family" else value

    def opened(self, tag: str, attrs: dict) -> None:
        if tag in ("h1", "h2") and "id" in attrs:
            self.heading = [int(tag[1]), self.local(attrs["id"]), []]

    def closing(self, tag: str) -> None:
        if self.heading and tag == f"h{self.heading[0]}":
            level, ident, text = self.heading
            self.headings.append((level, ident, " ".join("".join(text).split())))
            self.heading = None

    def text(self, data: str) -> None:
        if self.heading:
            self.heading[2].append(data)


FONT_DECLARATION = re.compile(r"^\s*font(?:-family)?\s*:", re.IGNORECASE)


def own_font(style: str) -> str:
    """A style attribute without its `font-family` and `font` declarations: the PDF sets every
    text in the vendored font (an inline family would pull a system font into the PDF of record,
    even with `!important`, which beats the stylesheet's own)."""
    return ";".join(d for d in style.split(";") if not FONT_DECLARATION.match(d)).strip()


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def _alt_from_description(svg: re.Match) -> str:
    """A chart's SVG with its description as its title, which the PDF's tags use as its
    alternative text (the caption already gives the title)."""
    text = svg.group(0)
    desc = re.search(r"<desc>(.*?)</desc>", text, re.DOTALL)
    if not desc:
        return text
    return re.sub(r"<title>.*?</title>", lambda m: f"<title>{desc.group(1)}</title>", text, count=1,
                  flags=re.DOTALL)


def section(page_html: str, stem: str, stems: set[str], depth: int = 2, site_dir: str = "") -> Section:
    """The report page `stem` (its built HTML, of the edition built in `site_dir`) as a part of
    the PDF, its headings down to `depth` in the contents."""
    body = article(page_html)
    if body is None:
        raise BuildError.of("pdf-page-unreadable", os.path.join(site_dir, f"{stem}.html"), page=f"{stem}.html")
    part = _Part(stem, stems)
    text = part.rewrite(SVG.sub(_alt_from_description, body))
    return Section(stem, text.strip(), tuple(h for h in part.headings if h[0] <= depth))


def report_stems(pages: Pages) -> list[tuple[str, int]]:
    """The pages that make the report, in order (sections, appendices, then the errata), each
    with the depth of its headings in the contents (subsections of the body only)."""
    stems = [(p.name[:-3], 2 if p.section == SECTIONS[0] else 1) for p in pages.pages if p.section in SECTIONS]
    stems += [(p.name[:-3], 1) for p in pages.pages if p.name == CLOSING]
    return stems


def cn_month(published: str) -> str:
    """`2022-02` as the report writes it: `2022 年 2 月`."""
    year, month = published.split("-")
    return f"{int(year)} 年 {int(month)} 月"


def published_at(edition: Edition) -> dt.datetime:
    """00:00 UTC on the first day of the edition's publication month: every date in its PDF."""
    year, month = map(int, edition.published.split("-"))
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def document(edition: Edition, sections: list[Section]) -> str:
    """The whole report as one HTML document: cover, contents, the parts, version and corrections."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("pdf/report.html.j2").render(
        edition=edition, sections=sections, month=cn_month(edition.published),
        date=published_at(edition).strftime("%Y-%m-%dT%H:%M:%SZ"),
        publishers="、".join(edition.publishers))
