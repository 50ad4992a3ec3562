"""The archive's root: the home page, `latest/`, the 404 page, the accessibility statement, and the
root files that edition pages read with script tags (`editions.js`, `history/CODE.js`). Everything that changes as editions are added
lives here, outside the editions' folders, so a frozen edition's bytes never change."""

from __future__ import annotations

import base64
import html
import os
import shutil
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from reportsite.model import files
from reportsite.model.escape import page_text, script_json
from reportsite.model.project import ASSETS, TEMPLATES
from reportsite.model.records import Archive
from reportsite.model.settings import EMBLEM, Settings
from reportsite.render import compare
from reportsite.render.charts.figure import figure_html
from reportsite.root import feed, home
from reportsite.write import finish
from reportsite.write.finish import size_text
from reportsite.write.stamp import html_name

REDIRECT = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>最新年度报告</title>
<link rel="icon" href="{icon}">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<script>location.replace({target_js} + location.search + location.hash);</script>
</head>
<body>
<p>最新年度报告是 <a href="{target}">{edition} 年度报告</a>。</p>
</body>
</html>
"""


def edition_html_pages(edition_dir: str) -> list[str]:
    """The edition's HTML pages other than alliance pages and the 404 page, as relative paths."""
    out = []
    for name in sorted(os.listdir(edition_dir)):
        if name.endswith(".html") and name != "404.html":
            out.append(name)
    return out


def editions_js(archive: Archive, root: str) -> str:
    """`editions.js`: the editions newest first, with the pages each has, for the switcher."""
    editions = sorted(archive.editions, key=lambda e: e.id, reverse=True)
    data = {
        "latest": editions[0].id,
        "editions": [{"id": e.id, "title": e.title, "published": e.published, "demo": e.demo,
                      "pages": edition_html_pages(os.path.join(root, e.id))} for e in editions],
    }
    return f"window.REPORT_ARCHIVE = {script_json(data)};\n"


def history_js(archive: Archive) -> dict[str, str]:
    """`history/CODE.js` for every alliance any edition names (its standing edition by edition),
    by path from the root."""
    bands = {e.id: compare.band_text(e) for e in archive.editions}
    out = {}
    for code, rows in sorted(compare.histories(archive).items()):
        rows = [{**row, "bands": bands[row["edition"]]} for row in rows]
        out[f"history/{code}.js"] = (f"(window.REPORT_HISTORY = window.REPORT_HISTORY || {{}})"
                                     f"[{script_json(code)}] = {script_json(rows)};\n")
    return out


def latest_pages(archive: Archive, root: str, icon: str = EMBLEM) -> dict[str, str]:
    """`latest/`: a redirect page for every page of the newest edition, by path from the root;
    `icon` is the pages' icon, from the root."""
    newest = max(archive.editions, key=lambda e: e.id)
    source = os.path.join(root, newest.id)
    out = {}
    for folder, dirs, names in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in ("assets", "data"))
        rel = os.path.relpath(folder, source)
        for name in sorted(names):
            if not name.endswith(".html"):
                continue
            path = os.path.normpath(os.path.join(rel, name)).replace(os.sep, "/")
            target = "../" * (path.count("/") + 1) + f"{newest.id}/{path}"
            up = "../" * (path.count("/") + 1)
            out[f"latest/{path}"] = REDIRECT.format(target=html.escape(target), target_js=script_json(target),
                                                    edition=html.escape(newest.id), icon=html.escape(up + icon))
    return out


def root_env(templates: str) -> jinja2.Environment:
    """Jinja for the root pages: autoescaped (every value through `escape.page_text`), strict about
    undefined names; `json` writes a value as a script literal."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True, finalize=page_text,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["json"] = lambda value: Markup(script_json(value))
    return env


@dataclass(frozen=True)
class Site:
    """What every root page in the site's look knows (templates/archive/base.html)."""

    nid: str
    """The newest edition, whose look (Material's files, our stylesheets) the root pages wear."""
    theme: dict
    """Material's stylesheets and bundle in the newest edition (`theme_files`)."""
    assets: str
    """The newest edition's assets folder, from the root (`2020-2021/assets/`)."""
    gov: dict
    """`extra.gov`, the values filled in."""
    images: dict
    """The column's images, from the root (`Settings.images`)."""


def site_of(archive: Archive, root: str, settings: Settings) -> Site:
    """The `Site` of the root pages."""
    nid = max(e.id for e in archive.editions)
    return Site(nid, theme_files(root, nid), f"{nid}/assets/", settings.shown, settings.images)


def sizes_on_disk(archive: Archive, root: str) -> dict[str, str]:
    """The files the home may link to that exist (each edition's PDF, the newest one's data), by
    their path from the root, with their sizes as the pages show them."""
    newest = max(e.id for e in archive.editions)
    paths = [f"{e.id}/{e.id}-report.pdf" for e in archive.editions]
    paths += [f"{newest}/data/{name}" for name, _ in home.DOWNLOADS]
    return {p: size_text(os.path.getsize(os.path.join(root, p))) for p in paths
            if os.path.isfile(os.path.join(root, p))}


def theme_files(root: str, edition_id: str) -> dict[str, str]:
    """Material's stylesheets and bundle in an edition's assets, whose names carry a hash:
    `main`, `palette` and `bundle`, each a path from the root."""
    found = {}
    for folder, stem, ext in (("stylesheets", "main", ".css"), ("stylesheets", "palette", ".css"),
                              ("javascripts", "bundle", ".js")):
        names = sorted(n for n in os.listdir(os.path.join(root, edition_id, "assets", folder))
                       if n.startswith(stem + ".") and n.endswith(".min" + ext))
        found[stem] = f"{edition_id}/assets/{folder}/{names[0]}"
    return found


def home_page(archive: Archive, root: str, site: Site) -> str:
    """The archive home `index.html` (see `home.py`), in the newest edition's look."""
    ctx = home.home_context(archive, frozenset(edition_html_pages(os.path.join(root, site.nid))),
                            sizes_on_disk(archive, root), site.gov)
    return root_env(TEMPLATES).get_template("archive/home.html").render(home=ctx, site=site, figure=figure_html)


def inline_asset(assets: str, kind: str, name: str, tag: str) -> Markup:
    """The text of `assets/KIND/NAME`, to be put inside a `<TAG>` element of a page; it must not
    close that element early."""
    with open(os.path.join(assets, kind, name), encoding="utf-8") as f:
        text = f.read()
    if f"</{tag}" in text.lower():
        raise ValueError(f"{kind}/{name} cannot be inlined: it contains </{tag}")
    return Markup(text)


ROOT_FOLDERS = ("latest", "history", "assets")
"""Folders at the archive root (besides the editions') an address can lead into."""


def not_found_page(archive: Archive, site: Site, public_url: str | None = None,
                   image_files: dict[str, str] | None = None) -> str:
    """`404.html`, shown by a server at any missing address: self-contained, so nothing breaks there.

    Its stylesheet, the reading aids (the same files the other pages load, so the reader's choice
    in localStorage applies here too) and its icon are inline. Its links lead to the root pages:
    from the public address's path when `site_url` is set; otherwise relative, and a small inline
    script resolves them against the first segment of the address that names an edition or a root
    folder (else `/`), so at `/kjbgz/2020-2021/alliances/999.html` they lead to `/kjbgz/`. The
    Atom feed's link needs an absolute address, so it is given only with `public_url`. Its images
    (the emblem, the icon, the 党政机关网站标识) are inline as `data:` addresses, each the file its
    setting names (`image_files`: `Settings.files()`) or the neutral emblem. The
    Content-Security-Policy (csp.py, run over the root afterwards) lists the inline code's hashes."""
    feed_url = f"{public_url}feed.xml" if public_url else None
    names = sorted(e.id for e in archive.editions) + list(ROOT_FOLDERS)
    on_disk = {EMBLEM: os.path.join(ASSETS, "images", "emblem.svg"), **(image_files or {})}
    return root_env(TEMPLATES).get_template("archive/404.html").render(
        site=site, feed_url=feed_url, root=urlsplit(public_url).path if public_url else "", names=names,
        images={key: data_uri(on_disk[path]) for key, path in site.images.items()},
        page_css=inline_asset(ASSETS, "css", "not-found.css", "style"),
        aids_css=inline_asset(ASSETS, "css", "reading-aids.css", "style"),
        aids_js=inline_asset(ASSETS, "js", "reading-aids.js", "script"))


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".ico": "image/x-icon"}
"""The media types of the image files a setting may name, by extension (not the system's table,
so the page is the same on every machine)."""


def data_uri(path: str) -> str:
    """An image file as a `data:` address, for a page that may load nothing by path: an SVG as
    its text, any other image in base64."""
    if path.lower().endswith(".svg"):
        with open(path, encoding="utf-8") as f:
            return "data:image/svg+xml," + quote(f.read().strip(), safe="=:/'")
    kind = IMAGE_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
    with open(path, "rb") as f:
        return f"data:{kind};base64," + base64.b64encode(f.read()).decode("ascii")


STATEMENT = "accessibility.html"
"""The accessibility statement (无障碍与适老化说明), linked from every page's footer."""
SITE_MAP = "site-map.html"
"""The site map (网站地图), linked from every page's footer."""
ROOT_ASSETS = (("css", "reading-aids.css"), ("css", "column.css"), ("js", "reading-aids.js"),
               ("css", "home.css"), ("images", "emblem.svg"))
"""What the root pages load from the root's `assets/`, and what every page names there: the
reading aids, the column's and the home's stylesheets, the neutral emblem."""


def site_map(archive: Archive, outlines: dict[str, list]) -> list[dict]:
    """Each edition, newest first, with its outline: `outlines` holds each edition's navigation as
    the build gave it to MkDocs (`{title: page}` or `{section: [...]}` entries)."""
    return [{"id": e.id, "title": e.title, "entries": _outline(outlines.get(e.id, []))}
            for e in sorted(archive.editions, key=lambda e: e.id, reverse=True)]


def _outline(entries: list) -> list[dict]:
    """Navigation entries as the site map lists them; a section holds pages or, for a chapter the
    site sets over several pages, an entry of its own holding them."""
    out = []
    for entry in entries:
        (title, target), = entry.items()
        if isinstance(target, list):
            out.append({"title": title, "href": "", "children": _outline(target)})
        else:
            out.append({"title": title, "href": html_name(target), "children": []})
    return out


def write_root(archive: Archive, root: str, settings: Settings, outlines: dict[str, list] | None = None) -> None:
    """Everything at the archive's root, after every edition is in place: the home, the 404 page,
    the accessibility statement, the site map, `latest/`, `editions.js`, `history/` and the feed,
    each page finished as the editions' are (`finish.py`: its PDF links sized, its policy).
    `settings` give the metadata, the column's images and footer a government site shows on every
    page, and the site's public address (`site_url`), if set; `outlines` each edition's navigation."""
    site = site_of(archive, root, settings)
    env = root_env(TEMPLATES)
    pages = {"index.html": home_page(archive, root, site),
             "404.html": not_found_page(archive, site, settings.public_url, settings.files()),
             STATEMENT: env.get_template(f"archive/{STATEMENT}").render(site=site),
             SITE_MAP: env.get_template(f"archive/{SITE_MAP}").render(site=site, site_map=site_map(archive, outlines or {})),
             **latest_pages(archive, root, settings.images["favicon"])}
    scripts = {"editions.js": editions_js(archive, root), **history_js(archive)}
    for rel, text in scripts.items():
        files.write(os.path.join(root, *rel.split("/")), text)
    files.write(os.path.join(root, feed.NAME), feed.atom(archive, settings.public_url))
    for kind, name in ROOT_ASSETS:
        files.copy(os.path.join(ASSETS, kind, name), os.path.join(root, "assets", kind, name))
    for rel, path in settings.files().items():
        files.copy(path, os.path.join(root, *rel.split("/")))
    latest = max(archive.editions, key=lambda e: e.id)
    if os.path.isdir(os.path.join(root, latest.id, "data")):
        shutil.copytree(os.path.join(root, latest.id, "data"), os.path.join(root, "latest", "data"))
    finish.write_pages(root, pages)
