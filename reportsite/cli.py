"""Parse the command line, run the stages, print the outcome. No logic of the report lives here.

Reproducible output: two builds of the same input are byte-identical. MkDocs takes its build time
from `SOURCE_DATE_EPOCH`; when the user has not set it, the build sets it to 00:00 UTC on the first
day of the newest edition's publication month (`published:` in its edition.yaml), a date that is
part of the data and never the wall clock. `package` stamps zip entries with `SOURCE_DATE_EPOCH`
when set, else with 1980-01-01.
"""

from __future__ import annotations

import argparse
import calendar
import io
import os
import sys
import time

from . import workers
from .check import check_archive
from .errors import ReportError
from .figures import summary_line
from .model import ERROR, NOTE, WARNING, Archive, Problem
from .package import MANIFEST, SITEMAP, package
from .pages import TEMPLATES, Pages, edition_pages
from .serve import serve
from .site import ASSETS, build_site


def display_path(path: str) -> str:
    """`path` relative to the working directory, as problems are printed."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def report(problems: list[Problem], archive: Archive | None, out=sys.stdout) -> int:
    """Print every problem on one line and the summary line; the number of errors."""
    for p in problems:
        print(p.render(display_path(p.loc.path)), file=out)
    counts = {s: sum(1 for p in problems if p.severity == s) for s in (ERROR, WARNING, NOTE)}
    line = f"{counts[ERROR]} errors, {counts[WARNING]} warnings, {counts[NOTE]} acknowledged"
    if archive is not None:
        line += " — " + "; ".join(summary_line(e) for e in archive.editions)
    print(line, file=out)
    return counts[ERROR]


def positive(text: str) -> int:
    """A whole number of at least 1, for `--jobs`."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The command line: `build` (default), `check`, `serve`, `package`."""
    top = argparse.ArgumentParser(prog="build.py", description="Build the alliance activity report site.")
    sub = top.add_subparsers(dest="command")
    check = sub.add_parser("check", help="check the data and print every problem")
    build = sub.add_parser("build", help="check the data, then build the site (default)")
    preview = sub.add_parser(
        "serve", help="build, preview on this computer, rebuild when data, content or templates change",
        description="Build into a temporary folder (removed on exit; site/ is left alone), serve it at "
        "http://HOST:PORT/ and rebuild whenever a file changes in the data, the content, templates/, "
        "reportsite/assets/ or the settings file. A rebuild that fails prints why and the last good "
        "site stays served. Changes to the Python code need a restart.")
    for cmd in (check, build, preview):
        cmd.add_argument("--data", default="data", help="data folder (default: data)")
        cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    for cmd in (build, preview):
        cmd.add_argument("--content", help="content folder (default: content/ beside the data folder)")
        cmd.add_argument("--frozen", help="stored pages of frozen editions (default: frozen/ beside "
                         "the data folder)")
        cmd.add_argument("--config", default="mkdocs.yml", help="site settings (default: mkdocs.yml)")
        cmd.add_argument("--jobs", "-j", type=positive, default=workers.available(), metavar="N",
                         help="editions rendered and built side by side in N processes (default: the "
                         f"number of cores, {workers.available()} here); the output is the same for any N")
    build.add_argument("--out", default="site", help="output folder (default: site)")
    build.add_argument("--republish", action="append", default=[], metavar="EDITION",
                       help="re-publish a frozen edition whose pages change (needs a higher "
                       "version and a dated correction)")
    preview.set_defaults(republish=[])
    preview.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, "
                         "this computer only)")
    preview.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    pack = sub.add_parser(
        "package", help="zip the built site with a manifest, ready to upload",
        description=f"Zip the built site, its files at the zip's root, with {MANIFEST} (every file's size "
        "and sha256). The zip is the same byte for byte every time: sorted entries, permissions "
        "rw-r--r--, every entry dated SOURCE_DATE_EPOCH when set, else 1980-01-01.")
    pack.add_argument("--out", default="site", help="the built site (default: site)")
    pack.add_argument("--zip", default=os.path.join("dist", "site.zip"),
                      help="the zip to write (default: dist/site.zip)")
    pack.add_argument("--base-url", metavar="URL",
                      help=f"where the site will live, e.g. https://www.most.gov.cn/kjbgz/: adds "
                      f"{SITEMAP} with the absolute address of every page and makes the root 404.html "
                      "work at any address. Without it the zip has no sitemap, since the site's own "
                      "links are relative and name no host.")
    return top


def render_edition(archive: Archive, edition_id: str, content_dir: str) -> Pages:
    """One edition's pages (run in a worker process)."""
    return edition_pages(archive, archive.edition(edition_id), content_dir)


def render_all(archive: Archive, content_root: str, jobs: int = 1) -> dict[str, Pages]:
    """Every edition's pages, rendered in memory before anything is written."""
    tasks = [(e.id, os.path.join(content_root, e.id)) for e in archive.editions]
    return dict(zip((e.id for e in archive.editions), workers.run(render_edition, archive, tasks, jobs)))


def user_epoch() -> int | None:
    """The user's SOURCE_DATE_EPOCH, or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is not None and not value.isdigit():
        raise ReportError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {value!r}")
    return None if value is None else int(value)


def build_epoch(archive: Archive, given: int | None) -> int:
    """SOURCE_DATE_EPOCH for a build: the user's, else 00:00 UTC on the first day of the newest
    edition's publication month."""
    if given is not None:
        return given
    year, month = map(int, max(e.published for e in archive.editions).split("-"))
    return calendar.timegm((year, month, 1, 0, 0, 0))


def beside_data(args, name: str) -> str:
    """A folder beside the data folder (`content`, `frozen`)."""
    return os.path.join(os.path.dirname(os.path.abspath(args.data)), name)


def progress_line(line: str) -> None:
    """Print one stage of a long command as it starts."""
    print(line, flush=True)


def build_once(args, out_dir: str, progress=progress_line, out=sys.stdout) -> str | None:
    """Check, render every page, then write the site into `out_dir`.

    The summary (`1 edition, 122 pages, 6 errata`), or None when the data has errors, printed to
    `out` with every other problem. Raises `ReportError` when a page or the site cannot be built.
    """
    progress("checking data ...")
    archive, problems = check_archive(args.data, strict=args.strict)
    if report(problems, archive, out):
        return None
    os.environ["SOURCE_DATE_EPOCH"] = str(build_epoch(archive, args.epoch))
    jobs = min(args.jobs, len(archive.editions))
    progress(f"rendering pages{f' in {jobs} processes' if jobs > 1 else ''} ...")
    rendered = render_all(archive, args.content or beside_data(args, "content"), jobs)
    builds = build_site(archive, rendered, args.config, out_dir,
                        frozen_root=args.frozen or beside_data(args, "frozen"),
                        republish=tuple(args.republish), progress=progress, jobs=jobs)
    pages = sum(b.pages for b in builds)
    errata = sum(b.errata for b in builds)
    return f"{len(builds)} edition{'s' if len(builds) != 1 else ''}, {pages} pages, {errata} errata"


def build(args) -> int:
    """Check, render every page, then write the site."""
    started = time.perf_counter()
    try:
        summary = build_once(args, args.out, progress=progress_line)
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return 1
    if summary is None:
        return 1
    print(f"built {summary} into {display_path(args.out)}/ in {time.perf_counter() - started:.1f}s")
    return 0


def preview(args) -> int:
    """Build, serve on loopback and rebuild on change; a rebuild prints only its problems."""

    def build_into(out_dir: str, quiet: bool) -> str | None:
        if not quiet:
            return build_once(args, out_dir, progress=progress_line)
        found = io.StringIO()
        summary = build_once(args, out_dir, progress=lambda line: None, out=found)
        if summary is None:
            print(found.getvalue(), end="", flush=True)
        return summary

    inputs = [args.data, args.content or beside_data(args, "content"), TEMPLATES, ASSETS, args.config]
    return serve(build_into, inputs, args.host, args.port)


def pack(args) -> int:
    """Zip the built site with its manifest (and sitemap)."""
    try:
        done = package(args.out, args.zip, base_url=args.base_url, epoch=args.epoch, progress=progress_line)
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return 1
    sitemap = f"{SITEMAP} with {done.addresses} addresses" if done.addresses else "no sitemap (no --base-url)"
    print(f"packaged {done.files} files ({done.size / 1e6:.1f} MB) into {display_path(done.zip_path)} "
          f"({done.zip_size / 1e6:.1f} MB) with {MANIFEST}, {sitemap}")
    return 0


def main(argv: list[str]) -> int:
    """Run the command; the process exit status."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    if args.command == "check":
        archive, problems = check_archive(args.data, strict=args.strict)
        return 1 if report(problems, archive) else 0
    try:
        # Read before any build sets it, so a rebuild in `serve` derives it afresh from the data.
        args.epoch = user_epoch()
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return 1
    return {"build": build, "serve": preview, "package": pack}[args.command](args)
