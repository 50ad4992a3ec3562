"""The built site as one zip, ready to upload: the same bytes every time, a manifest of every file
with its size and sha256, and with a base address a sitemap of every page.

The zip holds the folder's files at its root, in sorted order, each stamped with one fixed time and
the permissions rw-r--r--, whatever the disk says. The folder itself stays relative; only
`--base-url` knows where it will live, so only then does the zip gain `sitemap.xml` and a `<base>` in
the root `404.html` (which a server shows at any missing address, where relative links would break).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from .errors import ReportError

MANIFEST = "manifest.json"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
ZIP_EPOCH = 315532800
"""1980-01-01 00:00 UTC: the earliest time a zip entry can hold, used without SOURCE_DATE_EPOCH."""


class PackageError(ReportError):
    """The site cannot be packaged as asked."""

    slug = "package"


@dataclass(frozen=True)
class Packaged:
    """What `package` wrote."""

    zip_path: str
    files: int
    """Entries in the zip, the manifest included."""
    size: int
    """Bytes of the files before compression."""
    zip_size: int
    addresses: int
    """Addresses in the sitemap; 0 without a base address."""


def site_files(site_dir: str) -> list[str]:
    """Every file below `site_dir`, as sorted relative paths with `/` separators."""
    out = []
    for parent, dirs, files in os.walk(site_dir):
        dirs.sort()
        out.extend(os.path.relpath(os.path.join(parent, name), site_dir).replace(os.sep, "/")
                   for name in files)
    return sorted(out)


def is_redirect(html: bytes) -> bool:
    """A page that only forwards to another (the pages of `latest/`)."""
    return b'http-equiv="refresh"' in html


def page_paths(files: dict[str, bytes]) -> list[str]:
    """The pages a search engine should know: the home first, then every page of every edition,
    without 404 pages and redirects."""
    pages = [rel for rel, data in sorted(files.items())
             if rel.endswith(".html") and rel.rsplit("/", 1)[-1] != NOT_FOUND and rel != "index.html"
             and not is_redirect(data)]
    return ["index.html", *pages]


def base_address(url: str) -> str:
    """The base address with its final `/`, or why it cannot be one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PackageError(f"--base-url must be an http:// or https:// address of a folder, not {url!r}")
    return url if url.endswith("/") else url + "/"


def sitemap(base: str, pages: list[str]) -> bytes:
    """`sitemap.xml` with the absolute address of every page (no `lastmod`: the site has no true
    modification dates, and a build date would change every build)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(base + quote(page))}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def with_base(html: bytes, base: str) -> bytes:
    """The page with `<base href>` first in its head, so its relative links work at any address."""
    tag = f'<head>\n<base href="{escape(base, {chr(34): "&quot;"})}">'.encode("utf-8")
    return html.replace(b"<head>", tag, 1)


def manifest(entries: dict[str, bytes], base: str | None) -> bytes:
    """`manifest.json`: every other entry with its size and sha256."""
    files = [{"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
             for path, data in sorted(entries.items())]
    text = json.dumps({"base_url": base, "files": files, "total_files": len(files),
                       "total_size": sum(f["size"] for f in files)},
                      ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


def zip_entry(name: str, epoch: int) -> zipfile.ZipInfo:
    """A zip entry whose header depends only on its name and `epoch`."""
    info = zipfile.ZipInfo(name, date_time=time.gmtime(max(epoch, ZIP_EPOCH))[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def package(site_dir: str, zip_path: str, base_url: str | None = None, epoch: int | None = None,
            progress=print) -> Packaged:
    """Write `site_dir` as a deterministic zip at `zip_path` (replaced only once complete)."""
    site_dir, zip_path = os.path.abspath(site_dir), os.path.abspath(zip_path)
    if not os.path.isfile(os.path.join(site_dir, "index.html")):
        raise PackageError("no built site here: run `python build.py` first", os.path.relpath(site_dir))
    if os.path.commonpath([site_dir, zip_path]) == site_dir:
        raise PackageError("the zip must be written outside the site it packs", os.path.relpath(zip_path))
    base = base_address(base_url) if base_url else None
    files = site_files(site_dir)
    progress(f"reading {len(files)} files ...")
    entries = {}
    for rel in files:
        with open(os.path.join(site_dir, rel), "rb") as f:
            entries[rel] = f.read()
    addresses = 0
    if base:
        pages = page_paths(entries)
        addresses = len(pages)
        progress(f"writing {SITEMAP} with {addresses} addresses under {base}")
        entries[SITEMAP] = sitemap(base, pages)
        if NOT_FOUND in entries:
            entries[NOT_FOUND] = with_base(entries[NOT_FOUND], base)
    entries[MANIFEST] = manifest(entries, base)
    progress(f"compressing into {os.path.relpath(zip_path)} ...")
    os.makedirs(os.path.dirname(zip_path), exist_ok=True)
    partial = zip_path + ".partial"
    stamp = ZIP_EPOCH if epoch is None else epoch
    with zipfile.ZipFile(partial, "w") as zf:
        for name in sorted(entries):
            zf.writestr(zip_entry(name, stamp), entries[name], compresslevel=9)
    os.replace(partial, zip_path)
    return Packaged(zip_path, len(entries), sum(len(d) for d in entries.values()),
                    os.path.getsize(zip_path), addresses)
