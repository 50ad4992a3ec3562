"""The edition's built report pages as one printable HTML document: the source of the PDF and
of the Word copy.

The article of each report page (sections, appendices, then the errata), as MkDocs wrote it with
the charts' inline SVG, is rewritten to be a part of one document: ids made unique and links made
internal, what only works on screen left out (scripts, buttons, the reading aids, the edition bar,
screen-reader copies, the chart headings drawn for the downloaded SVG), every chart's text set in
the PDF's font and its description made its alternative text. Then `record.py` makes each part
read as the publishers printed it, gathering what the site adds into its own appendix; a page
that continues the chapter before it (三、 over two pages) loses its own chapter heading.
`templates/pdf/report.html.j2` puts the parts together behind a cover and a contents list. Pure:
`pdf.py` hands it the built pages and typesets the result; `docx.py` reads the same document.
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
from reportsite.render.pages import CHAPTER_NUMBER, Pages
from reportsite.write import record
from reportsite.write.article import Rewriter, article
from reportsite.write.record import Supplement
from reportsite.write.tree import parse, serialize

FAMILY = "Report Serif"
"""The body's font family in the PDF: the vendored Noto Serif SC faces under `print/fonts/`."""
HEADING_FAMILY = "Report Sans"
"""The headings' 黑体-style family in the PDF: the vendored Noto Sans SC face."""
SECTIONS = ("报告正文", "附件")
"""Navigation sections whose pages make the report; the errata page closes it."""
CLOSING = "errata.md"
SKIPPED_TAGS = {"script", "button", "template", "noscript", "style"}
SKIPPED_CLASSES = {"column-breadcrumb", "column-byline", "demo-banner", "edition-bar", "chart-actions", "chart-sr",
                   "pdf-link", "ranking-downloads", "reading-aids", "headerlink"}
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
    body_part: bool = False
    """A part of the report's body (一 to 八), as opposed to an appendix or the errata."""


class _Part(Rewriter):
    """One built page's article rewritten as a part of the PDF document: ids made unique, links
    made internal, the chart's text in the PDF's font."""

    skipped_tags = frozenset(SKIPPED_TAGS)
    skipped_classes = frozenset(SKIPPED_CLASSES)

    def __init__(self, stem: str, stems: set[str]):
        super().__init__()
        self.stem, self.stems = stem, stems

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


def section(page_html: str, stem: str, stems: set[str], depth: int = 2, site_dir: str = "",
            edition: Edition | None = None, supplement: Supplement | None = None,
            continues: bool = False) -> Section:
    """The report page `stem` (its built HTML, of the edition built in `site_dir`) as a part of
    the PDF, its headings down to `depth` in the contents: as printed when the edition was
    (`edition.printed`), the site's own material gathered into `supplement`, without its chapter
    heading when it `continues` the chapter before it."""
    body = article(page_html)
    if body is None:
        raise BuildError.of("pdf-page-unreadable", os.path.join(site_dir, f"{stem}.html"), page=f"{stem}.html")
    root = parse(_Part(stem, stems).rewrite(SVG.sub(_alt_from_description, body)))
    if edition is not None and edition.printed:
        record.errata_as_printed(root)
    record.web_only(root)
    record.marked_notes(root)
    record.figures_of_record(root, supplement if supplement is not None else record.Supplement())
    record.site_material(root, supplement if supplement is not None else record.Supplement())
    record.numeric_cells(root)
    record.lead_ins(root)
    if continues:
        record.continued_chapter(root)
    label = record.annex_heading(root)
    headings = []
    for node in root.elements():
        if node.tag in ("h1", "h2") and "id" in node.attrs and int(node.tag[1]) <= depth:
            text = label if node.tag == "h1" and label else " ".join(node.text().split())
            headings.append((int(node.tag[1]), node.attrs["id"], text))
    return Section(stem, serialize(root).strip(), tuple(headings), depth == 2)


def chapter_number(part_html: str) -> str | None:
    """The chapter number its built page's heading opens with (三), if any."""
    body = article(part_html) or ""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL)
    number = CHAPTER_NUMBER.match(re.sub(r"<[^>]*>", "", m.group(1)).strip()) if m else None
    return number.group(1) if number else None


def parts_of_record(edition: Edition | None, parts: list[tuple[str, int, str]], site_dir: str) -> tuple[list[Section], str]:
    """Every report page as a part of the document (`parts`: name, depth in the contents, built
    HTML), and the site's own appendix (附：本网站补充材料) gathered from them ("" without one)."""
    stems = {stem for stem, _, _ in parts}
    supplement = record.Supplement()
    sections, last = [], None
    for stem, depth, text in parts:
        number = chapter_number(text) if depth == 2 else None
        sections.append(section(text, stem, stems, depth, site_dir, edition, supplement,
                                continues=number is not None and number == last))
        last = number
    extra = record.supplement_part(supplement)
    return sections, serialize(extra) if extra is not None else ""


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


BEIJING = dt.timezone(dt.timedelta(hours=8))


def published_at(edition: Edition) -> dt.datetime:
    """00:00 Beijing time (+08:00) on the first day of the edition's publication month: every
    date in its PDF and Word copy."""
    year, month = map(int, edition.published.split("-"))
    return dt.datetime(year, month, 1, tzinfo=BEIJING)


def document(edition: Edition, sections: list[Section], supplement: str = "", original: bool = False) -> str:
    """The whole report as one HTML document: cover, contents, the parts, the site's own appendix,
    version and corrections. `original`: the ministry's own PDF is published beside this one,
    which then calls itself the accessible edition."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("pdf/report.html.j2").render(
        edition=edition, sections=sections, month=cn_month(edition.published),
        date=published_at(edition).strftime("%Y-%m-%dT%H:%M:%S+08:00"), supplement=supplement,
        publishers="、".join(edition.publishers), original=original, cover_lines=cover_lines(edition.title))


def cover_lines(title: str) -> list[str]:
    """The cover's title on two lines where it names the alliances: after 联盟, before what the
    report is (…战略联盟 / 活跃度评价报告); one line otherwise."""
    head, found, tail = title.rpartition("联盟")
    return [head + found, tail] if found and head and tail else [title]
