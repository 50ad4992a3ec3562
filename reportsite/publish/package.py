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
import re
import time
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

import markupsafe

from reportsite.build.output import unchecked
from reportsite.model import files
from reportsite.model.errors import ReportError, UsageError, relative
from reportsite.model.messages import message
from reportsite.model.records import quote, terminal_safe
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
    """Every file below `site_dir`, as sorted relative paths with `/` separators. A site holds
    only files and folders: a symbolic link (which would pack whatever it points at) or another
    kind of entry (a named pipe would hang the read) stops with an error and is never opened."""
    out: list[str] = []
    folders = [site_dir]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink() or not (entry.is_dir(follow_symlinks=False)
                                              or entry.is_file(follow_symlinks=False)):
                    raise PackageError.of("package-link" if entry.is_symlink() else "package-special",
                                          relative(entry.path))
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                else:
                    out.append(os.path.relpath(entry.path, site_dir).replace(os.sep, "/"))
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
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError as exc:  # `https://[::1/`: an unclosed IPv6 address, a port of 99999
        raise UsageError.of("base-url-malformed", url=quote(url), reason=str(exc)) from exc
    if port == 0 or parts.netloc and not parts.hostname:
        raise UsageError.of("base-url-malformed", url=quote(url), reason=message("base-url-malformed/host"))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PackageError.of("package/base-url-scheme", url=repr(url))
    if parts.username is not None or parts.password is not None:
        raise PackageError.of("base-url-credentials")
    if any(c.isspace() for c in parts.netloc):
        raise PackageError.of("base-url-bad")
    path = url_quote(parts.path, safe=PATH_SAFE)
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
    lines += [f"<url><loc>{xml_escape(base + url_quote(page))}</loc></url>" for page in pages]
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


MAX_MANIFEST = 32 * 1024 * 1024
"""The most bytes a previous package's manifest may unpack to (a site of 100,000 files lists
about 20 MB); a larger one is refused before it is read whole."""
SAFE_PATH = re.compile(r"(?:[^/\\:\x00-\x1f\x7f-\x9f]+/)*[^/\\:\x00-\x1f\x7f-\x9f]+")
"""A relative path of a package, `/`-separated, naming no drive, no control character."""


def previous_manifest(previous: str) -> dict[str, str]:
    """The path -> sha256 listing of the package `previous`, read within `MAX_MANIFEST`; a
    `since-unreadable` error when it is not a zip, names no manifest, is too large, is not shaped as
    `package()` writes it, or lists a path that is not a safe relative one."""
    shown = relative(previous)

    def unreadable(reason) -> PackageError:
        return PackageError.of("since-unreadable", shown, reason=reason)

    if not os.path.isfile(previous):
        raise unreadable(message("since/not-a-file"))
    try:
        with zipfile.ZipFile(previous) as zf:
            if zf.getinfo(MANIFEST).file_size > MAX_MANIFEST:
                raise unreadable(message("since/too-large", manifest=MANIFEST, limit=f"{MAX_MANIFEST // 2**20} MB"))
            with zf.open(MANIFEST) as f:
                data = f.read(MAX_MANIFEST + 1)
            if len(data) > MAX_MANIFEST:
                raise unreadable(message("since/too-large", manifest=MANIFEST, limit=f"{MAX_MANIFEST // 2**20} MB"))
            listed = json.loads(data)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
        raise unreadable(quote(getattr(exc, "strerror", None) or str(exc), 120)) from exc
    entries = listed.get("files") if isinstance(listed, dict) else None
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("sha256"), str)
            for e in entries):
        raise unreadable(message("since/shape", manifest=MANIFEST))
    for e in entries:
        path = e["path"]
        if not SAFE_PATH.fullmatch(path) or any(part in (".", "..") for part in path.split("/")):
            raise unreadable(message("since/path", manifest=MANIFEST, path=quote(path)))
    return {e["path"]: e["sha256"] for e in entries}


def changes_since(previous: str, current: bytes, zip_path: str) -> Changes:
    """Compare this package's manifest with that of the zip `previous`; list them beside `zip_path`."""
    before = previous_manifest(previous)
    after = {f["path"]: f["sha256"] for f in json.loads(current)["files"]}
    added = tuple(sorted(set(after) - set(before)))
    removed = tuple(sorted(set(before) - set(after)))
    changed = tuple(sorted(p for p in set(after) & set(before) if after[p] != before[p]))
    listing = os.path.splitext(zip_path)[0] + ".changes.txt"
    lines = [*(f"A {p}" for p in added), *(f"M {p}" for p in changed), *(f"D {p}" for p in removed)]
    files.write(listing, "".join(terminal_safe(line) + "\n" for line in lines))
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
    review = review_paths(files)
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
    # Written only once everything is checked: a refused package writes nothing.
    copy_review(site_dir, review, zip_path)
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


def review_paths(paths: list[str]) -> set[str]:
    """The paths in the site of every edition's Word copy for review (`EDITION/EDITION-report.docx`)."""
    return {rel for rel in paths if rel.count("/") == 1 and rel.endswith("-report.docx")
            and rel.split("/")[1] == rel.split("/")[0] + "-report.docx"}


def copy_review(site_dir: str, found: set[str], zip_path: str) -> None:
    """Copy the Word copies for review (`found`, paths in the site) into the review folder beside
    the zip, replaced whole."""
    import shutil

    folder = review_folder(zip_path)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    for rel in sorted(found):
        files.copy(os.path.join(site_dir, rel), os.path.join(folder, rel.split("/")[1]))
