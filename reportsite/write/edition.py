"""Stage 3: one edition's pages -> its built folder `site/EDITION/`.

The Markdown pages, the shells of the stamped pages (`stamp.py`), our assets, the downloads and
the search index are written as MkDocs reads them; MkDocs (with Material and our theme overrides)
builds the edition; the stamped pages are filled in, the PDF is typeset from the built report
pages, and the last touches are written (`finish.py`). Everything is written below the folder
it is given, which the pipeline swaps in whole once the site is complete.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import time
from dataclasses import dataclass

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from reportsite.model import files
from reportsite.model.errors import BuildError
from reportsite.model.project import ASSETS, PACKAGE, TEMPLATES
from reportsite.model.records import Archive, Edition
from reportsite.model.settings import Settings
from reportsite.render import cite, exports, metadata, search
from reportsite.render.pages import Page, Pages, chapters
from reportsite.render.scoreexports import indicator_downloads
from reportsite.write import finish, pdf, stamp
from reportsite.write.printable import cn_month

EXTRA_CSS = ["assets/css/report.css", "assets/css/column.css", "assets/css/ranking.css", "assets/css/charts.css",
             "assets/css/search.css", "assets/css/print.css"]
WIDE_PAGES = frozenset({"ranking.md"})
"""Pages shown at the content's full width, without a table of contents beside them: the ranking,
whose seven columns need the room (its contents are one heading)."""
EXTRA_JS = ["assets/js/archive.js"]


@dataclass(frozen=True)
class EditionBuild:
    """What one edition's build produced."""

    edition: str
    pages: int
    errata: int
    seconds: float
    pdf: pdf.Outcome | None = None
    """What writing its PDF did (None when copied from a frozen edition's stored pages)."""


def nav(pages: tuple[Page, ...]) -> list:
    """MkDocs navigation: top-level pages and sections, in page order; a chapter the site sets
    over several pages (三、 in two) is one entry holding them, as the printed report has it. The
    search page is left out, so it is not among the previous and next pages."""
    out: list = []
    sections: dict[str, list] = {}
    chapter = chapters(p for p in pages if p.in_nav and p.section)
    shared = {c for name, c in chapter.items() if c != next(p.title for p in pages if p.name == name)}
    groups: dict[str, list] = {}
    for page in pages:
        if not page.in_nav or page.name == search.SEARCH_PAGE:
            continue  # the search page is reached from the header's box, not read in order
        entry = {"概览" if page.name == "index.md" else page.title: page.name}
        if not page.section:
            out.append(entry)
            continue
        if page.section not in sections:
            sections[page.section] = []
            out.append({page.section: sections[page.section]})
        title = chapter[page.name]
        if title in shared:
            if title not in groups:
                groups[title] = []
                sections[page.section].append({title: groups[title]})
            # MkDocs titles a page by its entry: the entry keeps the page's own heading.
            groups[title].append({page.title: page.name})
            continue
        sections[page.section].append(entry)
    return out


def edition_config(settings: Settings, edition: Edition, pages: Pages, docs_dir: str, site_dir: str) -> dict:
    """The MkDocs configuration of one edition, derived from the project's settings."""
    config = dict(settings.raw)
    theme = dict(settings.raw.get("theme") or {})
    theme["custom_dir"] = os.path.join(TEMPLATES, "theme")
    extra = dict(settings.raw.get("extra") or {})
    extra["edition"] = {
        "id": edition.id,
        "published": edition.published,
        "published_text": cn_month(edition.published),
        "publishers": "、".join(edition.publishers),
        "version": edition.version,
        "corrections": len(edition.corrections),
        "demo": edition.demo,
    }
    extra.update(public_extra(settings, edition))
    public_url = settings.public_url
    config.update(
        site_name=edition.title,
        site_url=f"{public_url}{edition.id}/" if public_url else None,
        docs_dir=docs_dir,
        site_dir=site_dir,
        use_directory_urls=False,
        nav=nav(pages.pages),
        theme=theme,
        extra=extra,
        extra_css=EXTRA_CSS,
        extra_javascript=EXTRA_JS,
        plugins=[],
        hooks=[os.path.join(PACKAGE, "write", "hooks.py")],
        strict=True,
        validation={"links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"}},
    )
    return config


def public_extra(settings: Settings, edition: Edition) -> dict:
    """What the theme's partials show about the page to the platform and to readers: the filled-in
    `extra.gov` values only, the government metadata set, the public address and the reference
    to cite (`metadata.py`, `cite.py`)."""
    gov = settings.gov
    public_url = settings.public_url
    edition_url = f"{public_url}{edition.id}/" if public_url else None
    keywords = [*(gov.get("keywords") or []), edition.id]
    shown = {"published": edition.published, "publishers": "、".join(edition.publishers)}
    src = cite.source(edition.title, edition.publishers, edition.published, edition.version,
                      settings.shown.get("place"), edition_url)
    whole = cite.report_reference(src)
    head, tail = cite.part(src, "\0", "\1")
    before, after = head.split("\0")
    url_before, _, url_after = tail.partition("\1")
    return {
        "gov": settings.shown,
        "images": settings.images,
        "meta": metadata.meta_set(gov, public_url, shown, keywords),
        "public": {"root": public_url, "edition": edition_url},
        "cite": {"report": list(whole), "part": [before, after, url_before, url_after]},
    }


def write_docs(archive: Archive, edition: Edition, pages: Pages, groups: list[stamp.Shell], docs_dir: str) -> None:
    """What MkDocs reads: the edition's Markdown pages, the shells of its HTML pages, the search
    index, the downloads and our assets."""
    for page in [*(p for p in pages.pages if not p.html), *(g.page for g in groups)]:
        meta: dict[str, str | list[str]] = {"description": page.description}
        if page.charts:
            meta["charts"] = list(page.charts)
        if page.scripts:
            meta["scripts"] = list(page.scripts)
        if page.name in WIDE_PAGES:
            meta["hide"] = ["toc"]
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
        files.write(os.path.join(docs_dir, page.name), f"---\n{front}---\n{page.markdown}")
    files.write(os.path.join(docs_dir, search.INDEX_FILE), search.index_script(pages))
    downloads = {**exports.download_files(archive, edition), **indicator_downloads(archive, edition)}
    for name, data in downloads.items():
        files.write(os.path.join(docs_dir, "data", name), data)
    shutil.copytree(ASSETS, os.path.join(docs_dir, "assets"), dirs_exist_ok=True)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed build can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(settings: Settings, archive: Archive, edition: Edition, pages: Pages, groups: list[stamp.Shell],
               work_dir: str, site_dir: str) -> None:
    """Build one edition into `site_dir` with MkDocs, from a docs folder in `work_dir`."""
    docs_dir = os.path.join(work_dir, f"docs-{edition.id}")
    write_docs(archive, edition, pages, groups, docs_dir)
    config_text = yaml.safe_dump(edition_config(settings, edition, pages, docs_dir, site_dir),
                                 allow_unicode=True, sort_keys=True)
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(io.StringIO(config_text), config_file_path=os.path.join(work_dir, "mkdocs.yml"))
        mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        # MkDocs' own words, quoted as they are in either language.
        detail, more = "; ".join(collect.messages[:5]) or str(exc), len(collect.messages) - 5
        if more > 0:
            raise BuildError.of("build/mkdocs-more", edition=edition.id, detail=detail, more=more) from exc
        raise BuildError.of("build/mkdocs", edition=edition.id, detail=detail) from exc
    finally:
        logger.removeHandler(collect)
    shutil.rmtree(docs_dir)


def built_pages(site_dir: str, groups: list[stamp.Shell]) -> dict[str, str]:
    """Every page MkDocs wrote into `site_dir`, read once, by path in the edition; each shell is
    read in place of the pages stamped into it (`stamp.py`), and removed."""
    shells = {stamp.html_name(g.page.name): g for g in groups}
    out: dict[str, str] = {}
    for parent, dirs, names in os.walk(site_dir):
        dirs[:] = sorted(d for d in dirs if d not in ("assets", "data"))
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = os.path.join(parent, name)
            rel = os.path.relpath(path, site_dir).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            if rel in shells:
                out.update(stamp.expand(text, shells[rel], path))
                os.remove(path)
            else:
                out[rel] = text
    return out


def edition_downloads(edition_dir: str) -> list[metadata.Download]:
    """The edition's data files and PDF, as they are on disk."""
    out = []
    data = os.path.join(edition_dir, "data")
    for name in sorted(os.listdir(data)) if os.path.isdir(data) else []:
        out.append(metadata.Download(f"data/{name}", os.path.getsize(os.path.join(data, name))))
    for name in sorted(os.listdir(edition_dir)):
        if name.endswith(".pdf"):
            out.append(metadata.Download(name, os.path.getsize(os.path.join(edition_dir, name))))
    return out


def home_jsonld(settings: Settings, edition: Edition, pages: Pages, edition_dir: str) -> str:
    """The `<script type="application/ld+json">` of the edition home, its downloads as they are."""
    home = next((p for p in pages.pages if p.name == "index.md"), None)
    public = public_extra(settings, edition)
    keywords = public["meta"].get("Keywords", "").split(",")
    data = metadata.report_jsonld(edition.title, home.description if home else edition.title, edition.published,
                                  edition.publishers, edition.version, edition_downloads(edition_dir),
                                  public["public"]["edition"], keywords)
    return metadata.jsonld_script(data)


def edition_dir(root: str, edition: Edition) -> str:
    """Where an edition is built: `site/EDITION/`."""
    return os.path.join(root, edition.id)


def build_one(shared: tuple[Settings, Archive], edition_id: str, pages: Pages, work_dir: str,
              site_dir: str, pdf_mode: pdf.Mode | None = None) -> EditionBuild:
    """One edition into `site_dir` (run in a worker process): MkDocs, then the PDF from the report
    pages it built, then one finishing pass over every page (`finish.py`)."""
    settings, archive = shared
    edition = archive.edition(edition_id)
    started = time.perf_counter()
    groups = stamp.shells(pages.pages)
    run_mkdocs(settings, archive, edition, pages, groups, work_dir, site_dir)
    # The headings' anchors as the published pages carry them (finish.anchors, which the finishing
    # pass finds done), so that the PDF made again from the published pages is the same file.
    built = {rel: finish.anchors(text, finish.Place(site_dir, rel)) for rel, text in built_pages(site_dir, groups).items()}
    # Made from the pages just built, and before a frozen edition's files are compared and stored.
    outcome = pdf.write_pdf(edition, pages, built, site_dir, pdf_mode)
    finish.write_pages(site_dir, built, {"index.html": home_jsonld(settings, edition, pages, site_dir)})
    return EditionBuild(edition.id, len(pages.pages), len(pages.errata), time.perf_counter() - started, outcome)
