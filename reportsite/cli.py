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

import dataclasses
import io
import os
import signal
import sys
import threading
import traceback

from reportsite.arguments import parser, speaking
from reportsite.build import pipeline
from reportsite.build.request import NO_PDF, OPTIONAL, REQUIRED, Request
from reportsite.build.serve import serve
from reportsite.model import epoch
from reportsite.model.console import setup, teller
from reportsite.model.errors import BuildError, ReportError, failed_path, from_os_error, relative
from reportsite.model.messages import DEFAULT_LANG, LANGS, Message, message, say
from reportsite.model.project import ASSETS, PACKAGE, TEMPLATES, Project
from reportsite.model.records import quote
from reportsite.model.settings import Settings, read_settings
from reportsite.publish import cms
from reportsite.publish.package import MANIFEST, SITEMAP, package

INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl+C or SIGTERM."""


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
                   epoch=getattr(args, "epoch", None), lang=args.lang, verbose=getattr(args, "verbose", False))
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
    if done.review:
        print(say("package-review", args.lang, folder=relative(done.review)))
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


def authoring():
    """The workbook side road's commands, imported when one of them runs: the spreadsheet library
    they read and write with takes a fifth of a second to load, which `build`, `check` and every
    `--help` would pay."""
    from reportsite.authoring import commands

    return commands


COMMANDS = {
    "check": cmd_check, "build": cmd_build, "serve": cmd_serve, "package": cmd_package,
    "new": lambda args: authoring().new(project(args), args.edition, args.source, args.lang),
    "template": lambda args: authoring().write_template(project(args), args.edition, args.file, args.lang),
    "import": lambda args: authoring().import_book(project(args), args.edition, args.file, args.update_registry,
                                                 args.lang, frozenset(args.rename), args.entered),
    "freeze": lambda args: authoring().freeze(request(args), args.edition),
    "correct": lambda args: authoring().correct(request(args), args.edition, args.note, args.date, args.workbook),
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
        with speaking(lang):
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
