"""Parse the command line, run the stages, print the outcome. No logic of the report lives here."""

from __future__ import annotations

import argparse
import os
import sys
import time

from .check import check_archive
from .errors import ReportError
from .figures import summary_line
from .model import ERROR, NOTE, WARNING, Archive, Problem
from .pages import Pages, edition_pages
from .site import build_site


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


def parser() -> argparse.ArgumentParser:
    """The command line: `build` (default), `check`."""
    top = argparse.ArgumentParser(prog="build.py", description="Build the alliance activity report site.")
    sub = top.add_subparsers(dest="command")
    for name, help_text in (("build", "check the data, then build the site (default)"),
                            ("check", "check the data and print every problem")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--data", default="data", help="data folder (default: data)")
        cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
        if name == "build":
            cmd.add_argument("--content", help="content folder (default: content/ beside the data folder)")
            cmd.add_argument("--frozen", help="stored pages of frozen editions (default: frozen/ beside "
                             "the data folder)")
            cmd.add_argument("--out", default="site", help="output folder (default: site)")
            cmd.add_argument("--config", default="mkdocs.yml", help="site settings (default: mkdocs.yml)")
            cmd.add_argument("--republish", action="append", default=[], metavar="EDITION",
                             help="re-publish a frozen edition whose pages change (needs a higher "
                             "version and a dated correction)")
    return top


def render_all(archive: Archive, content_root: str) -> dict[str, Pages]:
    """Every edition's pages, rendered in memory before anything is written."""
    return {e.id: edition_pages(archive, e, os.path.join(content_root, e.id)) for e in archive.editions}


def build(args) -> int:
    """Check, render every page, then write the site."""
    started = time.perf_counter()
    print("checking data ...", flush=True)
    archive, problems = check_archive(args.data, strict=args.strict)
    if report(problems, archive):
        return 1
    try:
        print("rendering pages ...", flush=True)
        beside = os.path.dirname(os.path.abspath(args.data))
        rendered = render_all(archive, args.content or os.path.join(beside, "content"))
        builds = build_site(archive, rendered, args.config, args.out,
                            frozen_root=args.frozen or os.path.join(beside, "frozen"),
                            republish=tuple(args.republish),
                            progress=lambda line: print(line, flush=True))
    except ReportError as exc:
        print(exc, file=sys.stderr)
        return 1
    pages = sum(b.pages for b in builds)
    errata = sum(b.errata for b in builds)
    print(f"built {len(builds)} edition{'s' if len(builds) != 1 else ''}, {pages} pages, {errata} errata "
          f"into {display_path(args.out)}/ in {time.perf_counter() - started:.1f}s")
    return 0


def main(argv: list[str]) -> int:
    """Run the command; the process exit status."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    if args.command == "check":
        archive, problems = check_archive(args.data, strict=args.strict)
        return 1 if report(problems, archive) else 0
    return build(args)
