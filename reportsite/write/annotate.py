"""The last writes to an edition's built pages, once every file of it is in place (the PDF too,
whose size the JSON-LD gives): each alliance page's own path in its reference and `Url`
(`@@cite-path@@`, left by the theme in the shell it was stamped from) and canonical link, the edition home's JSON-LD, and every page's
Content-Security-Policy (`csp.py`), computed last from the page as it will be served.
"""

from __future__ import annotations

import os
import re

from reportsite.model.records import Edition
from reportsite.render import metadata
from reportsite.write import csp

CITE_PATH = "@@cite-path@@"
SHELL_CANONICAL = re.compile(r'(<link rel="canonical" href="[^"]*/)_shell-\d+\.html"')
"""Material's canonical link of a stamped page names the shell it was stamped from."""


def downloads(edition_dir: str) -> list[metadata.Download]:
    """The edition's data files and PDF, as they are on disk."""
    out = []
    data = os.path.join(edition_dir, "data")
    for name in sorted(os.listdir(data)) if os.path.isdir(data) else []:
        out.append(metadata.Download(f"data/{name}", os.path.getsize(os.path.join(data, name))))
    for name in sorted(os.listdir(edition_dir)):
        if name.endswith(".pdf"):
            out.append(metadata.Download(name, os.path.getsize(os.path.join(edition_dir, name))))
    return out


def home_jsonld(edition: Edition, description: str, edition_url: str | None, keywords: list[str],
                edition_dir: str) -> str:
    """The `<script type="application/ld+json">` of the edition home."""
    data = metadata.report_jsonld(edition.title, description, edition.published, edition.publishers,
                                  edition.version, downloads(edition_dir), edition_url, keywords)
    return metadata.jsonld_script(data)


def finish_edition(edition: Edition, edition_dir: str, description: str, edition_url: str | None,
                   keywords: list[str]) -> None:
    """Write the last touches into every page of the built edition at `edition_dir`."""
    for parent, dirs, files in os.walk(edition_dir):
        dirs[:] = sorted(d for d in dirs if d not in ("assets", "data"))
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(parent, name)
            rel = os.path.relpath(path, edition_dir).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            text = SHELL_CANONICAL.sub(lambda m: f'{m.group(1)}{name}"', text.replace(CITE_PATH, rel))
            if rel == "index.html":
                script = home_jsonld(edition, description, edition_url, keywords, edition_dir)
                text = text.replace("</head>", script + "\n</head>", 1)
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(csp.protect(text))
