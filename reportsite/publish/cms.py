"""The hand-off to a content management system (`package --cms`): for each edition, one HTML
fragment per report page and appendix, in reading order, with the downloads and the PDF as
attachments, and a manifest of the articles (`articles.csv`, UTF-8 with BOM, and `articles.json`).

A fragment is the page's article only: no theme chrome, no scripts, styles, buttons or forms, no
reading aids, edition bar or citation box; each chart is its static SVG, its description and its
data table. Links between fragments stay relative (`preface.html`), links to the downloads point
at the attachments (`attachments/results.csv`); links to what stays on the site (alliance pages,
the archive home) go through the public address when there is one and are left as text when not.
Nothing is loaded from another host, and every text and attribute is written escaped, so a name
holding `</script>` stays text.

Read from the built site (its pages' `<link rel="next">` give the order, their metadata the
manifest's fields); pure but for reading those files and writing the folder.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import posixpath
import re
import zipfile
from dataclasses import asdict, dataclass
from urllib.parse import quote, unquote, urlsplit

from reportsite.build.output import MARKER, Guarded, is_ours, publish
from reportsite.model import files
from reportsite.model.errors import relative
from reportsite.model.project import PACKAGE, TEMPLATES
from reportsite.publish.package import PackageError, zip_folder
from reportsite.model.escape import csv_cells
from reportsite.write.article import Rewriter, article

ATTACHMENTS = "attachments"
LEFT_OUT_PAGES = {"search.html"}
"""Pages that work only on the site (search runs in the reader's browser)."""
SKIPPED_TAGS = {"script", "button", "template", "noscript", "style", "form", "input", "select", "label",
                "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "portal"}
"""Elements left out whole: controls that work only on the site, and anything that runs code or
frames or loads another document (content may hold none of these; a hand-off never does)."""
LOADED = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "action", "formaction",
          "ping", "xlink:href", "href"}
"""Attributes holding an address: each goes through `link()`, or is dropped."""
SKIPPED_CLASSES = {"column-breadcrumb", "column-byline", "demo-banner", "reading-aids", "cite-box", "chart-actions",
                   "js-only", "headerlink", "md-content__button", "ranking-tools"}
DROPPED_ATTRS = {"data-spec", "data-chart", "tabindex", "hidden"}
NEXT = re.compile(r'<link rel="next" href="([^"]+)"')
META = re.compile(r'<meta name="([A-Za-z]+)" content="([^"]*)"')
CSV_FIELDS = ("order", "edition", "file", "title", "column", "date", "source", "keywords", "description")


@dataclass(frozen=True)
class Article:
    """One fragment, as the manifest lists it."""

    order: int
    """Reading order within its edition, from 1."""
    edition: str
    file: str
    """Relative to the hand-off folder: `2020-2021/preface.html`."""
    title: str
    column: str
    date: str
    """PubDate, `YYYY-MM-DD HH:MM`."""
    source: str
    keywords: str
    description: str


@dataclass(frozen=True)
class HandOff:
    """What `write_handoff()` produced."""

    folder: str
    articles: tuple[Article, ...]
    attachments: int


class _Fragment(Rewriter):
    """One built page's article rewritten as a fragment for the CMS: links inside the hand-off or
    through the public address, else unwrapped to their text; no scripts, handlers or controls."""

    skipped_tags = frozenset(SKIPPED_TAGS)
    skipped_classes = frozenset(SKIPPED_CLASSES)
    unwrappable = frozenset({"a"})

    def __init__(self, pages: set[str], attached: set[str], edition_url: str | None):
        super().__init__()
        self.pages, self.attached, self.edition_url = pages, attached, edition_url

    def link(self, href: str) -> str | None:
        """`href` as the fragment links it, or None to leave the link's text alone."""
        try:
            parts = urlsplit(href.strip())
        except ValueError:  # `https://[::1/`: no address a reader could follow
            return None
        if parts.scheme or parts.netloc:
            return href if self.edition_url and href.startswith(self.edition_url) else None
        if not parts.path:
            return href
        path = posixpath.normpath(unquote(parts.path))
        anchor = f"#{parts.fragment}" if parts.fragment else ""
        if path in self.pages:
            return quote(path) + anchor
        name = path[len("data/"):] if path.startswith("data/") else path
        if name in self.attached:
            return f"{ATTACHMENTS}/{quote(name)}"
        if self.edition_url:
            return self.edition_url + quote(path) + anchor
        return None

    def keep(self, tag: str, attrs: dict) -> bool:
        return tag != "img" or self.link(attrs.get("src") or "") is not None

    def attribute(self, tag: str, name: str, value: str) -> str | None:
        if name in DROPPED_ATTRS or name.startswith("on") or name == "srcset" or name == "style" and "url(" in value:
            return None
        if name in LOADED:
            return self.link(value)
        return value

    def unwrap(self, tag: str, attrs: dict, written: list[str]) -> bool:
        return "href" in attrs and not any(o.startswith(" href=") for o in written)


def fragment(page_html: str, pages: set[str], attached: set[str], edition_url: str | None) -> str:
    """The article of a built page as a CMS fragment (empty when the page has no article)."""
    body = article(page_html)
    if body is None:
        return ""
    return _Fragment(pages, attached, edition_url).rewrite(body).strip() + "\n"


def reading_order(edition_dir: str) -> list[str]:
    """The edition's pages from its home along `<link rel="next">`, without those that work only
    on the site."""
    order: list[str] = []
    name: str | None = "index.html"
    while name and name not in order and os.path.isfile(os.path.join(edition_dir, name)):
        order.append(name)
        with open(os.path.join(edition_dir, name), encoding="utf-8") as f:
            found = NEXT.search(f.read())
        name = posixpath.normpath(found.group(1)) if found else None
    return [n for n in order if n not in LEFT_OUT_PAGES]


def editions(site_dir: str) -> list[str]:
    """The edition folders of a built site (`latest/` only forwards), newest first."""
    return sorted((n for n in os.listdir(site_dir) if n != "latest" and not n.startswith(".")
                   and os.path.isfile(os.path.join(site_dir, n, "index.html"))
                   and os.path.isdir(os.path.join(site_dir, n, "assets"))), reverse=True)


def attachments(edition_dir: str) -> dict[str, str]:
    """The edition's downloads, PDFs and Word copy for review: name in `attachments/` -> file in
    the built edition."""
    out = {}
    data = os.path.join(edition_dir, "data")
    for parent, dirs, names in os.walk(data):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            out[os.path.relpath(path, data).replace(os.sep, "/")] = path
    for name in sorted(os.listdir(edition_dir)):
        if name.endswith((".pdf", ".docx")):
            out[name] = os.path.join(edition_dir, name)
    return out


def article_of(order: int, edition: str, name: str, page_html: str) -> Article:
    """The manifest's entry for one page, from its metadata."""
    meta = {k: html.unescape(v) for k, v in META.findall(page_html)}
    return Article(order, edition, f"{edition}/{name}", meta.get("ArticleTitle", name),
                   meta.get("ColumnName", ""), meta.get("PubDate", ""), meta.get("ContentSource", ""),
                   meta.get("Keywords", ""), meta.get("description", ""))


def manifest_csv(articles: list[Article]) -> bytes:
    """`articles.csv`: UTF-8 with BOM (Excel and WPS read the Chinese), CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for a in articles:
        row = asdict(a)
        writer.writerow(csv_cells([row[f] for f in CSV_FIELDS]))
    return buf.getvalue().encode("utf-8-sig")


def manifest_json(articles: list[Article]) -> bytes:
    """`articles.json`: the same fields, keys sorted."""
    text = json.dumps({"articles": [asdict(a) for a in articles]}, ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


def targets(zip_path: str) -> tuple[str, str]:
    """The hand-off's folder and zip beside the site's zip: `dist/site-cms/`, `dist/site-cms.zip`."""
    folder = os.path.splitext(os.path.abspath(zip_path))[0] + "-cms"
    return folder, folder + ".zip"


def check_targets(site_dir: str, folder: str, zip_path: str) -> None:
    """Raise unless the hand-off may replace `folder` and `zip_path`, by the rule `--out` follows:
    each absent, or marked as ours (the folder holding the `.reportsite` marker, the zip holding
    it at its root; an empty folder too), and neither holding nor inside the site. Nothing is
    written."""
    site = os.path.realpath(site_dir)
    for path in (folder, zip_path):
        real = os.path.realpath(path)
        if os.path.commonpath([real, site]) in (real, site):
            raise PackageError.of("cms-unsafe", relative(path))
    if os.path.islink(folder) or os.path.lexists(folder) and not os.path.isdir(folder) or \
            os.path.isdir(folder) and os.listdir(folder) and not is_ours(folder):
        raise PackageError.of("cms-not-ours", relative(folder), marker=MARKER)
    if os.path.lexists(zip_path) and not _our_zip(zip_path):
        raise PackageError.of("cms-not-ours", relative(zip_path), marker=MARKER)


def _our_zip(path: str) -> bool:
    """Whether `path` is a plain file, a zip, holding our marker at its root."""
    if os.path.islink(path) or not os.path.isfile(path) or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return MARKER in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def hand_off(site_dir: str, zip_path: str, base: str | None, epoch: int | None) -> HandOff:
    """Write the hand-off beside `zip_path`: its folder built aside and swapped in whole (marked as
    ours, as a site is), then its zip, written whole."""
    folder, handoff_zip = targets(zip_path)
    check_targets(site_dir, folder, handoff_zip)
    guard = Guarded(inputs=(os.path.abspath(site_dir), PACKAGE, TEMPLATES), roots=(os.path.dirname(PACKAGE), os.getcwd()))
    done = publish(lambda tmp: write_handoff(site_dir, tmp, base), folder, guard)
    zip_folder(folder, handoff_zip, epoch)
    return HandOff(folder, done.articles, done.attachments)


def write_handoff(site_dir: str, folder: str, base: str | None) -> HandOff:
    """Write the hand-off for every edition of the built site into the folder `folder`."""
    os.makedirs(folder, exist_ok=True)
    articles: list[Article] = []
    attached_count = 0
    for edition in editions(site_dir):
        edition_dir, out_dir = os.path.join(site_dir, edition), os.path.join(folder, edition)
        attached = attachments(edition_dir)
        order = reading_order(edition_dir)
        os.makedirs(os.path.join(out_dir, ATTACHMENTS), exist_ok=True)
        for name, path in attached.items():
            files.copy(path, os.path.join(out_dir, ATTACHMENTS, name))
        attached_count += len(attached)
        edition_url = f"{base}{quote(edition)}/" if base else None
        for i, name in enumerate(order, start=1):
            with open(os.path.join(edition_dir, name), encoding="utf-8") as f:
                page_html = f.read()
            files.write(os.path.join(out_dir, name), fragment(page_html, set(order), set(attached), edition_url))
            articles.append(article_of(i, edition, name, page_html))
    files.write(os.path.join(folder, "articles.csv"), manifest_csv(articles))
    files.write(os.path.join(folder, "articles.json"), manifest_json(articles))
    return HandOff(folder, tuple(articles), attached_count)
