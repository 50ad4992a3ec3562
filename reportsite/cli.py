"""Parse the command line, run the stages, print the outcome. No logic of the report lives here."""

from __future__ import annotations

import argparse
import os
import sys

from .check import check_archive
from .figures import summary_line
from .model import ERROR, NOTE, WARNING, Archive, Problem


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
    return top


def main(argv: list[str]) -> int:
    """Run the command; the process exit status."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    archive, problems = check_archive(args.data, strict=args.strict)
    errors = report(problems, archive)
    if errors:
        return 1
    return 0
