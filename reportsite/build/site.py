"""Write the site: one MkDocs build per edition, our assets, the archive home, an atomic swap.

Everything before `publish()` is gathered in memory by the earlier stages; this module is where
files are written. A build goes to a temporary folder beside the output and replaces the old
site only when complete, so a failed or killed build leaves the previous site as it was
(`publish.py`, which also decides which folders a build may write).
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import shutil
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from reportsite.build import freeze, workers
from reportsite.build.output import Guarded, publish
from reportsite.model.errors import BuildError, relative
from reportsite.model.messages import message
from reportsite.model.project import ASSETS, PACKAGE, TEMPLATES
from reportsite.model.records import Archive, Edition
from reportsite.render import cite, exports, metadata, search
from reportsite.render.pages import Page, Pages
from reportsite.root import feed, statement
from reportsite.root.archive import write_root
from reportsite.write import annotate, csp, pdf, stamp

EXTRA_CSS = ["assets/css/report.css", "assets/css/ranking.css", "assets/css/charts.css",
             "assets/css/search.css", "assets/css/print.css"]
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


def read_site_config(path: str) -> dict:
    """The project's `mkdocs.yml` as a dict (plain YAML: no Python tags), its `theme` and `extra`
    checked to be mappings (a theme given by name, `theme: material`, is read as `{name: material}`)."""
    shown = relative(path)
    try:
        with open(path, encoding="utf-8") as f:
            config = yaml.safe_load(f)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise BuildError.of("settings-unreadable", where, reason=exc.problem or exc.context) from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise BuildError.of("settings-unreadable", shown, reason=reason) from exc
    if not isinstance(config, dict):
        raise BuildError.of("settings-not-mapping", shown)
    if isinstance(config.get("theme"), str):
        config["theme"] = {"name": config["theme"]}
    for key in ("theme", "extra", "extra.gov"):
        value = config
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and not isinstance(value, dict):
            raise BuildError.of("settings-key", shown, key=key, value=shown_value(value))
    return config


def shown_value(value, limit: int = 60) -> str:
    """A settings value as the user typed it, cut to `limit` characters."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000).strip()
    text = text.removesuffix("\n...").removesuffix("...").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def nav(pages: tuple[Page, ...]) -> list:
    """MkDocs navigation: top-level pages and sections, in page order."""
    out: list = []
    sections: dict[str, list] = {}
    for page in pages:
        if not page.in_nav:
            continue
        entry = {"概览" if page.name == "index.md" else page.title: page.name}
        if not page.section:
            out.append(entry)
            continue
        if page.section not in sections:
            sections[page.section] = []
            out.append({page.section: sections[page.section]})
        sections[page.section].append(entry)
    return out


def edition_config(base: dict, edition: Edition, pages: Pages, docs_dir: str, site_dir: str) -> dict:
    """The MkDocs configuration of one edition, derived from the project's settings."""
    config = dict(base)
    theme = dict(base.get("theme") or {})
    theme["custom_dir"] = os.path.join(TEMPLATES, "theme")
    extra = dict(base.get("extra") or {})
    extra["edition"] = {
        "id": edition.id,
        "published": edition.published,
        "publishers": "、".join(edition.publishers),
        "version": edition.version,
        "corrections": len(edition.corrections),
        "demo": edition.demo,
    }
    extra.update(public_extra(base, edition))
    public_url = metadata.base_url(base)
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


def public_extra(base: dict, edition: Edition) -> dict:
    """What the theme's partials show about the page to the platform and to readers: the filled-in
    `extra.gov` values only, the government metadata set, the public address and the reference
    to cite (`metadata.py`, `cite.py`)."""
    gov = (base.get("extra") or {}).get("gov") or {}
    public_url = metadata.base_url(base)
    edition_url = f"{public_url}{edition.id}/" if public_url else None
    keywords = [*(gov.get("keywords") or []), edition.id]
    shown = {"published": edition.published, "publishers": "、".join(edition.publishers)}
    src = cite.source(edition.title, edition.publishers, edition.published, edition.version,
                      metadata.public(gov).get("place"), edition_url)
    whole = cite.report(src)
    head, tail = cite.part(src, "\0", "\1")
    before, after = head.split("\0")
    url_before, _, url_after = tail.partition("\1")
    return {
        "gov": metadata.public(gov),
        "meta": metadata.meta_set(gov, public_url, shown, keywords),
        "public": {"root": public_url, "edition": edition_url},
        "cite": {"report": list(whole), "part": [before, after, url_before, url_after]},
    }


def write_docs(pages: Pages, groups: list[stamp.Shell], docs_dir: str) -> None:
    """The edition's Markdown pages, the shells of its HTML pages and our assets, as MkDocs reads them."""
    for page in [*(p for p in pages.pages if not p.html), *(g.page for g in groups)]:
        path = os.path.join(docs_dir, page.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        meta = {"description": page.description}
        if page.charts:
            meta["charts"] = list(page.charts)
        if page.scripts:
            meta["scripts"] = list(page.scripts)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(f"---\n{front}---\n{page.markdown}")
    shutil.copytree(ASSETS, os.path.join(docs_dir, "assets"), dirs_exist_ok=True)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a failed build can say what went wrong."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_edition(base: dict, archive: Archive, edition: Edition, pages: Pages, work_dir: str,
                  site_dir: str) -> EditionBuild:
    """Build one edition into `site_dir` with MkDocs."""
    started = time.perf_counter()
    docs_dir = os.path.join(work_dir, f"docs-{edition.id}")
    groups = stamp.shells(pages.pages)
    write_docs(pages, groups, docs_dir)
    search.write_index(pages, docs_dir)
    exports.write(archive, edition, os.path.join(docs_dir, "data"))
    config_text = yaml.safe_dump(edition_config(base, edition, pages, docs_dir, site_dir),
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
    stamp.write(site_dir, groups)
    shutil.rmtree(docs_dir)
    return EditionBuild(edition.id, len(pages.pages), len(pages.errata), time.perf_counter() - started)


def edition_dir(root: str, edition: Edition) -> str:
    """Where an edition is built: `site/EDITION/`."""
    return os.path.join(root, edition.id)


def build_one(shared: tuple[dict, Archive], edition_id: str, pages: Pages, work_dir: str,
              site_dir: str, pdf_mode: pdf.Mode | None = None) -> EditionBuild:
    """`build_edition()` for an edition named by id, then its PDF (run in a worker process)."""
    base, archive = shared
    edition = archive.edition(edition_id)
    started = time.perf_counter()
    built = build_edition(base, archive, edition, pages, work_dir, site_dir)
    # Made from the pages just built, and before a frozen edition's files are compared and stored.
    outcome = pdf.write(edition, pages, site_dir, pdf_mode)
    public = public_extra(base, edition)
    home = next((p for p in pages.pages if p.name == "index.md"), None)
    annotate.finish_edition(edition, site_dir, home.description if home else edition.title,
                            public["public"]["edition"], public["meta"].get("Keywords", "").split(","))
    return dataclasses.replace(built, pdf=outcome, seconds=time.perf_counter() - started)


def build_site(archive: Archive, rendered: dict[str, Pages], config_path: str, out_dir: str,
               frozen_root: str, guarded: Guarded, republish: tuple[str, ...] = (), progress=print,
               jobs: int = 1, pdf_mode: pdf.Mode | None = None) -> list[EditionBuild]:
    """Build every edition (in up to `jobs` processes) and the archive root into `out_dir`,
    atomically, unless `guarded` says that folder must not be written.

    A frozen edition whose inputs are unchanged is copied from its stored pages. Otherwise its
    fresh build is compared with them: the build stops if it would change them (unless
    re-published); a first or re-publication is stored once the whole site is in place.
    Each built edition gets its PDF as `pdf_mode` says (none without it).
    """
    base = read_site_config(config_path)
    missing = metadata.missing((base.get("extra") or {}).get("gov"))
    if missing:
        progress(message("gov-missing", names="、".join(missing)))
    to_store: list[tuple[Edition, str]] = []
    count = len(archive.editions)

    def build_into(tmp: str) -> list[EditionBuild]:
        work = tempfile.mkdtemp(prefix="work-", dir=tmp)
        done: dict[str, EditionBuild] = {}
        inputs: dict[str, str] = {}
        to_build: list[tuple[int, Edition]] = []
        for i, edition in enumerate(archive.editions, start=1):
            pages, target = rendered[edition.id], edition_dir(tmp, edition)
            if edition.frozen:
                started = time.perf_counter()
                inputs[edition.id] = freeze.fingerprint(search.reader_text(pages))
                copied = None
                if edition.id not in republish:
                    copied = freeze.copy_if_unchanged(edition, inputs[edition.id], frozen_root, target)
                if copied is not None:
                    progress(message("site-copied", step=i, count=count, edition=edition.id, files=copied))
                    done[edition.id] = EditionBuild(edition.id, len(pages.pages), len(pages.errata),
                                                    time.perf_counter() - started)
                    continue
            to_build.append((i, edition))
        parallel = min(jobs, len(to_build)) > 1
        if parallel:
            progress(message("site-parallel", editions=len(to_build), jobs=min(jobs, len(to_build))))
        tasks = [(e.id, rendered[e.id], work, edition_dir(tmp, e), pdf_mode) for _, e in to_build]
        # Closed on the way out, so no worker still writes into the folder once a failure removes it.
        with closing(workers.run(build_one, (base, archive), tasks, jobs)) as built:
            for i, edition in to_build:
                step = message("site-step/frozen" if edition.frozen else "site-step", step=i, count=count,
                               edition=edition.id)
                if not parallel:
                    # MkDocs writes the edition while this line is the last one shown.
                    progress(message("site-building", step=step, pages=len(rendered[edition.id].pages)))
                result = next(built)
                if parallel:
                    progress(message("site-built", step=step, pages=result.pages,
                                     seconds=f"{result.seconds:.1f}"))
                done[edition.id] = result
                if edition.frozen and freeze.guard(edition, edition_dir(tmp, edition), frozen_root,
                                                   edition.id in republish):
                    to_store.append((edition, inputs[edition.id]))
        shutil.rmtree(work)
        progress(message("site-root"))
        write_root(archive, tmp, TEMPLATES, ASSETS, metadata.public((base.get("extra") or {}).get("gov")),
                   metadata.base_url(base))
        pdf.link_pages(tmp, recursive=False)
        feed.write(archive, tmp, metadata.base_url(base))
        statement.write(tmp, TEMPLATES, ASSETS, metadata.public((base.get("extra") or {}).get("gov")))
        for folder, recursive in ((tmp, False), (os.path.join(tmp, "latest"), True)):
            csp.protect_folder(folder, recursive)
        return [done[e.id] for e in archive.editions]

    done = publish(build_into, out_dir, guarded)
    for edition, inputs in to_store:
        stored = freeze.store(edition_dir(out_dir, edition), frozen_root, edition, inputs)
        progress(message("site-stored", edition=edition.id, version=edition.version, files=stored,
                         path=os.path.relpath(os.path.join(frozen_root, edition.id))))
    return done
