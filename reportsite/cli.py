"""Parse the command line, turn it into typed requests, run the commands, print the outcome.
No logic of the report lives here, and nothing below this module sees `argparse`.

Reproducible output: two builds of the same input are byte-identical. MkDocs takes its build time
from `SOURCE_DATE_EPOCH`; when the user has not set it, the build sets it to 00:00 UTC on the first
day of the newest edition's publication month (`published:` in its edition.yaml), a date that is
part of the data and never the wall clock. `package` stamps zip entries with `SOURCE_DATE_EPOCH`
when set, else with 1980-01-01.

Every command ends in one line: on anything a user, a file, the disk or the network can cause, an
`error [slug]` line and status 1 (2 for a command line that cannot be run as given); on a bug in
the tool, one line saying what failed and where (`--debug` adds the traceback). `--lang` chooses
the language of those lines (Chinese by default). A build holds the project's lock
(`build/lock.py`) from rendering to storing frozen pages, and writes only where
`build/output.py` allows.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import os
import re
import signal
import sys
import threading
import traceback

from reportsite.authoring import commands as authoring
from reportsite.build import pipeline, workers
from reportsite.build.request import NO_PDF, OPTIONAL, REQUIRED, Request
from reportsite.build.serve import serve
from reportsite.model import epoch
from reportsite.model.console import setup, teller
from reportsite.model.errors import BuildError, ReportError, UsageError, failed_path, from_os_error, relative
from reportsite.model.messages import DEFAULT_LANG, LANGS, Message, message, say
from reportsite.model.project import ASSETS, PACKAGE, TEMPLATES, Project
from reportsite.model.records import quote
from reportsite.model.settings import Settings, read_settings
from reportsite.publish import cms
from reportsite.publish.package import MANIFEST, SITEMAP, package

INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl+C or SIGTERM."""


class Parser(argparse.ArgumentParser):
    """argparse whose complaints are a `UsageError` (one line, exit status 2), not a usage dump."""

    def error(self, message: str):
        raise UsageError.of("usage", detail=" ".join(message.split()), prog=self.prog)


def positive(text: str, lang: str = DEFAULT_LANG) -> int:
    """A whole number of at least 1, for `--jobs`."""
    if not re.fullmatch(r"[0-9]{1,4}", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(say("arg-jobs", lang, value=repr(quote(text))))
    return int(text)


def port(text: str, lang: str = DEFAULT_LANG) -> int:
    """A TCP port, 0 to 65535, for `--port` (0 picks a free one)."""
    if not re.fullmatch(r"[0-9]{1,5}", text) or int(text) > 65535:
        raise argparse.ArgumentTypeError(say("arg-port", lang, value=repr(quote(text))))
    return int(text)


def iso_date(text: str, lang: str = DEFAULT_LANG) -> dt.date:
    """A date written `YYYY-MM-DD`, for `correct --date`."""
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(say("arg-date", lang, value=repr(quote(text))))


def typed(check, lang: str):
    """`check` answering in `lang`, named as argparse names a value's type."""
    def read(text: str):
        return check(text, lang)
    read.__name__ = check.__name__
    return read


def parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The command line: `build` (default), `check`, `serve`, `package`, `new`, `template`, `import`;
    a value it refuses is explained in `lang`."""
    common = Parser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG,
                        help=f"language of problems and errors: zh or en (default: {DEFAULT_LANG})")
    common.add_argument("--debug", action="store_true",
                        help="on a failure, show the traceback (for maintainers)")
    top = Parser(prog="build.py", description="Build the alliance activity report site.")
    sub = top.add_subparsers(dest="command")
    check = sub.add_parser("check", parents=[common], help="check the data and print every problem")
    build = sub.add_parser("build", parents=[common],
                           help="check the data, then build the site (default)")
    preview = sub.add_parser(
        "serve", parents=[common],
        help="build, preview on this computer, rebuild when data, content or templates change",
        description="Build into a temporary folder (removed on exit; site/ is left alone), serve it at "
        "http://HOST:PORT/ and rebuild whenever a file changes in the data, the content, templates/, "
        "reportsite/assets/ or the settings file. A rebuild that fails prints why and the last good "
        "site stays served. Changes to the Python code need a restart.")
    freeze = sub.add_parser(
        "freeze", parents=[common], help="store a published edition's pages so no later build changes them",
        description="Mark the edition frozen in its edition.yaml, build the site, store and check its "
        "pages in frozen/EDITION/ and say what to commit. Nothing is changed when the build fails.")
    correct = sub.add_parser(
        "correct", parents=[common], help="publish a dated correction of a frozen edition",
        description="Bump the frozen edition's version, add a dated correction (shown as 更正 on its "
        "pages) and re-publish it. Nothing is changed when the build fails.")
    for cmd in (freeze, correct):
        cmd.add_argument("edition", help="the edition, e.g. 2020-2021")
    correct.add_argument("--note", required=True, help="the correction, as readers will read it")
    correct.add_argument("--date", type=typed(iso_date, lang), help="the correction's date, YYYY-MM-DD "
                         "(default: today)")
    for cmd in (check, build, preview, freeze, correct):
        cmd.add_argument("--data", default="data", help="data folder (default: data)")
        cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
        cmd.add_argument("--content", help="content folder (default: content/ beside the data folder)")
    for cmd in (build, preview, freeze, correct):
        cmd.add_argument("--frozen", help="stored pages of frozen editions (default: frozen/ beside "
                         "the data folder)")
        cmd.add_argument("--config", default="mkdocs.yml", help="site settings (default: mkdocs.yml)")
        cmd.add_argument("--jobs", "-j", type=typed(positive, lang), default=workers.available(), metavar="N",
                         help="editions rendered and built side by side in N processes (default: the "
                         f"number of cores, {workers.available()} here); the output is the same for any N")
    for cmd in (freeze, correct):
        cmd.set_defaults(republish=[])
    for cmd in (build, freeze, correct):
        pdf_choice = cmd.add_mutually_exclusive_group()
        pdf_choice.add_argument("--pdf", action="store_true",
                                help="require each edition's PDF (EDITION/EDITION-report.pdf): fail when "
                                "the PDF engine cannot load, rather than build the site without it and say so")
        pdf_choice.add_argument("--no-pdf", action="store_true",
                                help="build the site without the PDFs (a quick draft; not for publication)")
        cmd.add_argument("--out", default="site",
                         help="output folder (default: site); it must be absent, empty or a site this "
                         "tool built (it holds a .reportsite marker file), and it is replaced whole")
    build.add_argument("--republish", action="append", default=[], metavar="EDITION",
                       help="re-publish a frozen edition whose pages change (needs a higher "
                       "version and a dated correction)")
    preview.set_defaults(republish=[])
    preview.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, "
                         "this computer only)")
    preview.add_argument("--port", type=typed(port, lang), default=8000, help="port (default: 8000; 0 picks a free one)")
    pack = sub.add_parser(
        "package", parents=[common], help="zip the built site with a manifest, ready to upload",
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
    pack.add_argument("--config", default="mkdocs.yml",
                      help="site settings the site was built with (default: mkdocs.yml): its identifiers "
                      "must be filled in and its site_url must agree with --base-url")
    pack.add_argument("--draft", action="store_true",
                      help="package although identifiers of extra.gov are not filled in (for review, "
                      "not for publication)")
    pack.add_argument("--since", metavar="PREVIOUS.zip",
                      help="list the files added, changed and removed since that package, by the two "
                      "manifests, in a .changes.txt file beside the zip")
    pack.add_argument("--cms", action="store_true",
                      help="also write, beside the zip, a folder and its zip with one HTML fragment per "
                      "report page and appendix, the downloads as attachments, and articles.csv/.json")
    made = sub.add_parser("new", parents=[common], help="create a new edition from the previous one",
                          description="Create data/EDITION/ and content/EDITION/ from the previous "
                          "edition (or --from): tiers, groups and indicators carried over, empty "
                          "results and panel, the narrative with every figure an expression.")
    made.add_argument("edition", help="the new edition's id, YYYY or YYYY-YYYY")
    made.add_argument("--from", dest="source", metavar="EDITION", help="the edition to start from "
                      "(default: the latest before the new one)")
    made.add_argument("--content", help="content folder (default: content/ beside the data folder)")
    book = sub.add_parser("template", parents=[common], help="write the workbook to fill in for an edition",
                          description="Write FILE.xlsx for the edition: blank for a new edition, filled "
                          "with its data when it has any. An existing file is never replaced.")
    book.add_argument("edition")
    book.add_argument("file", help="the workbook to write (.xlsx)")
    read = sub.add_parser("import", parents=[common], help="write an edition's data from a workbook",
                          description="Check every row of FILE (.xlsx, .xls or .csv in UTF-8 or GBK) "
                          "against the registry and the edition's rules; write the edition's YAML only "
                          "when there is no error.")
    read.add_argument("edition")
    read.add_argument("file")
    read.add_argument("--update-registry", action="store_true",
                      help="register new alliances and record renames in data/alliances.yaml")
    for cmd in (made, book, read):
        cmd.add_argument("--data", default="data", help="data folder (default: data)")

    return top


def project(args) -> Project:
    """The project's folders as the command line names them."""
    return Project.at(args.data, getattr(args, "content", None), getattr(args, "frozen", None),
                      getattr(args, "config", "mkdocs.yml"))


def request(args, **changed) -> Request:
    """The pipeline's request for a build-like command (`build`, `check`, `serve`, `freeze`,
    `correct`), with `changed` fields set."""
    choice = NO_PDF if getattr(args, "no_pdf", True) else REQUIRED if args.pdf else OPTIONAL
    made = Request(project(args), out=getattr(args, "out", "site"), strict=args.strict,
                   jobs=getattr(args, "jobs", 1), pdf=choice, republish=tuple(getattr(args, "republish", ())),
                   epoch=getattr(args, "epoch", None), lang=args.lang)
    return dataclasses.replace(made, **changed)


def cmd_build(args) -> int:
    """Check, render every page, then write the site."""
    return pipeline.run_build(request(args), teller(args.lang))


def cmd_check(args) -> int:
    """Check the data and, when it has no error, the content too (rendering it in memory): every
    problem, then the summary."""
    return pipeline.check(request(args, jobs=1))


def cmd_serve(args) -> int:
    """Build, serve on loopback and rebuild on change; a rebuild prints only its problems."""
    asked = request(args)
    if asked.project.content_given and not os.path.isdir(asked.project.content):
        raise BuildError.of("content-missing", relative(asked.project.content))

    def build_into(out_dir: str, quiet: bool) -> Message | None:
        here = request(args, out=out_dir)
        if not quiet:
            return pipeline.build(here, teller(args.lang)).summary
        found = io.StringIO()
        summary = pipeline.build(here, lambda line: None, out=found).summary
        if summary is None:
            print(found.getvalue(), end="", flush=True)
        return summary

    def explain_here(exc: Exception) -> None:
        explain(exc, args.lang, args.debug, out=sys.stdout)

    p = asked.project
    inputs = [p.data, p.content, TEMPLATES, ASSETS, p.config]
    return serve(build_into, inputs, args.host, args.port, explain_here, tell=teller(args.lang))


def cmd_package(args) -> int:
    """Zip the built site with its manifest (and sitemap)."""
    # Without a settings file nothing is filled in: only a --draft is packaged.
    settings = read_settings(args.config) if os.path.isfile(args.config) else Settings()
    if args.cms:  # before anything is written
        cms.check_targets(args.out, *cms.targets(args.zip))
    done = package(args.out, args.zip, base_url=args.base_url, epoch=args.epoch, progress=teller(args.lang),
                   since=args.since, settings=settings, draft=args.draft)
    sitemap = message("package-done/sitemap", sitemap=SITEMAP, addresses=done.addresses) if done.addresses \
        else message("package-done/no-sitemap")
    print(say("package-done", args.lang, files=done.files, size=f"{done.size / 1e6:.1f}",
              path=relative(done.zip_path), zip_size=f"{done.zip_size / 1e6:.1f}", manifest=MANIFEST,
              sitemap=sitemap))
    if done.changes:
        c = done.changes
        print(say("package-since", args.lang, added=len(c.added), changed=len(c.changed),
                  removed=len(c.removed), path=relative(c.listing)))
    if args.cms:
        handoff = cms.hand_off(args.out, done.zip_path, done.base, args.epoch)
        print(say("package-cms", args.lang, articles=len(handoff.articles), attachments=handoff.attachments,
                  folder=relative(handoff.folder), zip=relative(handoff.folder + ".zip")))
    return 0


COMMANDS = {
    "check": cmd_check, "build": cmd_build, "serve": cmd_serve, "package": cmd_package,
    "new": lambda args: authoring.new(project(args), args.edition, args.source, args.lang),
    "template": lambda args: authoring.write_template(project(args), args.edition, args.file, args.lang),
    "import": lambda args: authoring.import_book(project(args), args.edition, args.file, args.update_registry,
                                                 args.lang),
    "freeze": lambda args: authoring.freeze(request(args), args.edition),
    "correct": lambda args: authoring.correct(request(args), args.edition, args.note, args.date),
}


def bug_place(exc: BaseException) -> str:
    """Where in our code `exc` was raised (`reportsite/figures.py:42`), or `?`."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__)
            if os.path.abspath(f.filename).startswith(PACKAGE + os.sep)]
    if not ours:
        return "?"
    return f"{os.path.relpath(ours[-1].filename, os.path.dirname(PACKAGE))}:{ours[-1].lineno}"


def explain(exc: BaseException, lang: str, debug: bool, out_dir: str | None = None, out=None) -> int:
    """Print `exc` as one line (after its traceback with `--debug`); the exit status."""
    if debug:
        traceback.print_exception(exc)
    status = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else 1
    if isinstance(exc, KeyboardInterrupt):
        exc = BuildError.of("interrupted")
    elif isinstance(exc, OSError):
        exc = from_os_error(exc, None if failed_path(exc) else out_dir)
    elif not isinstance(exc, ReportError):
        what = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        exc = BuildError.of("internal", what=quote(what, 160), place=bug_place(exc))
    print(exc.render(lang), file=out or sys.stderr, flush=True)
    return exc.status if status == 1 else status


def early_options(argv: list[str]) -> tuple[str, bool]:
    """`--lang` and `--debug` wherever they are, so even a line argparse rejects is answered in
    the language asked for."""
    lang = DEFAULT_LANG
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in LANGS:
            lang = value
    return lang, "--debug" in argv


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Run the command; the process exit status."""
    lang, debug = early_options(argv)
    setup()
    args = None
    # SIGTERM stops a build as Ctrl+C does: workers are ended and the temporary folder removed.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
            argv = ["build", *argv]
        args = parser(lang).parse_args(argv)
        if args.command != "check":
            # Read before any build sets it, so a rebuild in `serve` derives it afresh from the data.
            args.epoch = epoch.given()
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        # The reader went away (`build.py check | head`): nothing more to say, and no one to say it to.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - every failure ends as one line
        if args is not None:
            lang, debug = args.lang, args.debug
        return explain(exc, lang, debug, out_dir=getattr(args, "out", None))
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def console() -> None:
    """The `reportsite` command that `pip install -e .` installs: `python build.py` by another name."""
    sys.exit(main(sys.argv[1:]))
