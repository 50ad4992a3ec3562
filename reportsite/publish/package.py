"""The built site as one zip, ready to upload: the same bytes every time, a manifest of every file
with its size and sha256, and with a base address a sitemap of every page.

The zip holds the folder's files at its root, in sorted order, each stamped with one fixed time and
the permissions rw-r--r--, whatever the disk says. The folder itself stays relative; only
`--base-url` knows where it will live, so only then does the zip gain `sitemap.xml` and a `<base>` in
the root `404.html` (which a server shows at any missing address, where relative links would break).
The site's marker file (`.reportsite`, which tells a build the folder is a site it may replace) is
packed and listed like any other file: unpacked, the site is still recognised as one.

The zip replaces only a zip: `--zip` naming a folder or another kind of file stops with an error.
A base address may not carry a user name or password; spaces in its path are percent-encoded.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

import markupsafe

from reportsite.build.output import unchecked
from reportsite.model import files
from reportsite.model.errors import ReportError, relative
from reportsite.model.messages import message
from reportsite.model.settings import Settings

MANIFEST = "manifest.json"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
ZIP_EPOCH = 315532800
"""1980-01-01 00:00 UTC: the earliest time a zip entry can hold, used without SOURCE_DATE_EPOCH."""
ZIP_LAST_YEAR = 2107
"""The last year a zip entry's date can hold."""
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
"""Characters a URL path keeps as they are (RFC 3986); others, spaces first, are percent-encoded."""


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
    base: str | None = None
    """The base address the zip was made for."""
    review: str | None = None
    """The folder beside the zip holding the Word copies for review (not in the zip unless the
    settings link them on the site: `extra.word_copy`), None without any."""
    changes: "Changes | None" = None
    """What changed since the package named by `--since`, None without it."""


@dataclass(frozen=True)
class Changes:
    """Files added, changed and removed since a previous package, by the two manifests."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    listing: str
    """The text file listing them, beside the zip."""


def site_files(site_dir: str) -> list[str]:
    """Every file below `site_dir`, as sorted relative paths with `/` separators."""
    out: list[str] = []
    for parent, dirs, names in os.walk(site_dir):
        dirs.sort()
        out.extend(os.path.relpath(os.path.join(parent, name), site_dir).replace(os.sep, "/")
                   for name in names)
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
    """The base address with its final `/` and its path percent-encoded, or why it cannot be one."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise PackageError.of("base-url-bad")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PackageError.of("package/base-url-scheme", url=repr(url))
    if parts.username is not None or parts.password is not None:
        raise PackageError.of("base-url-credentials")
    if any(c.isspace() for c in parts.netloc):
        raise PackageError.of("base-url-bad")
    path = quote(parts.path, safe=PATH_SAFE)
    return urlunsplit((parts.scheme, parts.netloc, path if path.endswith("/") else path + "/", "", ""))


def zip_stamp(epoch: int | None) -> int:
    """The time every entry carries: `epoch` (SOURCE_DATE_EPOCH), else 1980-01-01; an error when
    a zip cannot hold it."""
    if epoch is None:
        return ZIP_EPOCH
    year = time.gmtime(epoch).tm_year
    if year > ZIP_LAST_YEAR:
        raise PackageError.of("epoch-zip", value=epoch, year=year)
    return epoch


def check_zip_path(site_dir: str, zip_path: str) -> None:
    """Raise unless `zip_path` may be written: outside the site, not a folder, not a file other
    than a zip."""
    if os.path.commonpath([site_dir, zip_path]) == site_dir:
        raise PackageError.of("package/zip-inside-site", relative(zip_path))
    if os.path.isdir(zip_path):
        raise PackageError.of("zip-is-folder", relative(zip_path))
    if os.path.lexists(zip_path) and not (os.path.isfile(zip_path) and zipfile.is_zipfile(zip_path)):
        raise PackageError.of("zip-not-ours", relative(zip_path))


def sitemap(base: str, pages: list[str]) -> bytes:
    """`sitemap.xml` with the absolute address of every page (no `lastmod`: the site has no true
    modification dates, and a build date would change every build)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{xml_escape(base + quote(page))}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def with_base(html: bytes, base: str) -> bytes:
    """The page with `<base href>` first in its head, so its relative links work at any address."""
    tag = f'<head>\n<base href="{xml_escape(base, {chr(34): "&quot;"})}">'.encode("utf-8")
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


def release_base(settings: Settings, base_url: str | None, draft: bool) -> str | None:
    """The base address to package with, after checking the site may be published: every
    identifier of `extra.gov` filled in (unless `draft`), and `--base-url` the same address as the
    settings' `site_url`, which the build wrote into the pages (either one alone is used)."""
    if settings.missing and not draft:
        where, names = settings.to_fill()
        raise PackageError.of("package-identifiers", where, names=names, file=relative(settings.path) or "mkdocs.yml")
    setting = settings.public_url
    if base_url and setting and base_address(base_url) != base_address(setting):
        raise PackageError.of("base-url-disagrees", given=base_address(base_url), setting=base_address(setting))
    return base_url or setting


def check_built_with(settings: Settings, home: bytes) -> None:
    """Raise unless the site's home page carries the settings' site identification code: a site
    built before the identifiers were filled in would be published without them."""
    code = settings.shown.get("site_id_code")
    if code and f'<meta name="SiteIDCode" content="{markupsafe.escape(code)}">'.encode("utf-8") not in home:
        raise PackageError.of("package-rebuild")


def changes_since(previous: str, current: bytes, zip_path: str) -> Changes:
    """Compare this package's manifest with that of the zip `previous`; list them beside `zip_path`."""
    try:
        with zipfile.ZipFile(previous) as zf:
            before = {f["path"]: f["sha256"] for f in json.loads(zf.read(MANIFEST))["files"]}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PackageError.of("since-unreadable", relative(previous),
                              reason=getattr(exc, "strerror", None) or str(exc)) from exc
    after = {f["path"]: f["sha256"] for f in json.loads(current)["files"]}
    added = tuple(sorted(set(after) - set(before)))
    removed = tuple(sorted(set(before) - set(after)))
    changed = tuple(sorted(p for p in set(after) & set(before) if after[p] != before[p]))
    listing = os.path.splitext(zip_path)[0] + ".changes.txt"
    lines = [*(f"A {p}" for p in added), *(f"M {p}" for p in changed), *(f"D {p}" for p in removed)]
    files.write(listing, "".join(line + "\n" for line in lines))
    return Changes(added, changed, removed, listing)


def zip_folder(folder: str, zip_path: str, epoch: int | None = None) -> None:
    """Write `folder` as a deterministic zip at `zip_path`, as `package()` writes a site."""
    stamp = zip_stamp(epoch)
    with zipfile.ZipFile(zip_path + ".partial", "w") as zf:
        for rel in site_files(folder):
            with open(os.path.join(folder, rel), "rb") as f:
                zf.writestr(zip_entry(rel, stamp), f.read(), compresslevel=9)
    os.replace(zip_path + ".partial", zip_path)


def package(site_dir: str, zip_path: str, base_url: str | None = None, epoch: int | None = None,
            progress=print, since: str | None = None, settings: Settings | None = None,
            draft: bool = False) -> Packaged:
    """Write `site_dir` as a deterministic zip at `zip_path` (replaced only once complete), once
    `release_base()` agrees with the site's `settings` (the public address comes from them when
    `base_url` is not given)."""
    site_dir, zip_path = os.path.abspath(site_dir), os.path.abspath(zip_path)
    if not os.path.isfile(os.path.join(site_dir, "index.html")):
        raise PackageError.of("package/no-site", relative(site_dir))
    check_zip_path(site_dir, zip_path)
    if base_url:
        base_address(base_url)  # a malformed address is reported before the settings are checked
    stamp = zip_stamp(epoch)
    left = [] if draft else unchecked(site_dir)
    if left:
        raise PackageError.of("package-unchecked", relative(site_dir), count=len(left), first=left[0])
    settings = settings or Settings()
    base_url = release_base(settings, base_url, draft)
    base = base_address(base_url) if base_url else None
    files = site_files(site_dir)
    review = review_copies(site_dir, files, zip_path, settings)
    files = [rel for rel in files if rel not in review or (settings.raw.get("extra") or {}).get("word_copy")]
    progress(message("package-reading", files=len(files)))
    entries = {}
    for rel in files:
        with open(os.path.join(site_dir, rel), "rb") as f:
            entries[rel] = f.read()
    if not draft:
        check_built_with(settings, entries.get("index.html", b""))
    addresses = 0
    if base:
        pages = page_paths(entries)
        addresses = len(pages)
        progress(message("package-sitemap", sitemap=SITEMAP, addresses=addresses, base=base))
        entries[SITEMAP] = sitemap(base, pages)
        if NOT_FOUND in entries:
            entries[NOT_FOUND] = with_base(entries[NOT_FOUND], base)
    entries[MANIFEST] = manifest(entries, base)
    # Read before the zip is written, which may replace the previous one.
    changes = changes_since(since, entries[MANIFEST], zip_path) if since else None
    progress(message("package-compressing", path=relative(zip_path)))
    partial = zip_path + ".partial"
    try:
        os.makedirs(os.path.dirname(zip_path), exist_ok=True)
        with zipfile.ZipFile(partial, "w") as zf:
            for name in sorted(entries):
                zf.writestr(zip_entry(name, stamp), entries[name], compresslevel=9)
        os.replace(partial, zip_path)
    except OSError as exc:
        with suppress(OSError):
            os.remove(partial)
        raise PackageError.of("zip-unwritable", relative(zip_path), reason=exc.strerror or str(exc)) from exc
    return Packaged(zip_path, len(entries), sum(len(d) for d in entries.values()),
                    os.path.getsize(zip_path), addresses, base=base, changes=changes,
                    review=review_folder(zip_path) if review else None)


def review_folder(zip_path: str) -> str:
    """Where `package` puts the Word copies for review: `dist/site-review/` beside `dist/site.zip`."""
    return os.path.splitext(zip_path)[0] + "-review"


def review_copies(site_dir: str, paths: list[str], zip_path: str, settings: Settings | None) -> set[str]:
    """Copy every edition's Word copy for review (`EDITION/EDITION-report.docx`) into the review
    folder beside the zip (replaced whole); the copies' paths in the site."""
    import shutil

    found = {rel for rel in paths if rel.count("/") == 1 and rel.endswith("-report.docx")
             and rel.split("/")[1] == rel.split("/")[0] + "-report.docx"}
    folder = review_folder(zip_path)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    for rel in sorted(found):
        files.copy(os.path.join(site_dir, rel), os.path.join(folder, rel.split("/")[1]))
    return found
