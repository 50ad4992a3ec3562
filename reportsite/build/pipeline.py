"""The build, top to bottom: lock (finishing or undoing what a killed command left) -> read -> gate ->
render -> gate -> write the editions and the root into a temporary folder -> swap -> store frozen pages.

Every stage returns its product and its problems; a gate prints the problems and stops the run at
the first error. Nothing is written before the second gate: everything the site shows is gathered
in memory first, then written into a temporary folder beside the output, which replaces the old
site only when complete (`output.py`), so a failed or killed build leaves it as it was.

`check` runs the same front half (read, render) and prints every problem of both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import closing, nullcontext
from dataclasses import replace

from reportsite.build import freeze, lock, workers
from reportsite.build.output import check_out, guarded, publish
from reportsite.build.request import NO_PDF, REQUIRED, Outcome, Request
from reportsite.model import epoch
from reportsite.model.console import report
from reportsite.model.errors import BuildError, relative
from reportsite.model.messages import message, say
from reportsite.model.records import ERROR, WARNING, Archive, Edition, Problem
from reportsite.model.settings import Settings, read_settings, settings_problems
from reportsite.read.check import check_archive
from reportsite.render import search
from reportsite.render.pages import Pages, edition_pages
from reportsite.render.stale import stale_problems
from reportsite.root.archive import write_root
from reportsite.write import pdf
from reportsite.write.edition import EditionBuild, build_one, edition_dir, nav


def read_data(request: Request) -> tuple[Archive | None, list[Problem]]:
    """Stage 1: the data folder -> the archive (None when it has errors) and every problem."""
    return check_archive(request.project.data, strict=request.strict)


def _render_edition(archive: Archive, edition_id: str, content_dir: str) -> Pages:
    return edition_pages(archive, archive.edition(edition_id), content_dir)


def render_pages(request: Request, archive: Archive, jobs: int = 1) -> tuple[dict[str, Pages], list[Problem]]:
    """Stage 2: every edition's pages, in memory, and every problem found rendering them, then
    what their narratives say that is stale (warnings; errors with `--strict`)."""
    tasks = [(e.id, request.project.edition_content(e.id)) for e in archive.editions]
    pages = workers.map_tasks(_render_edition, archive, tasks, jobs)
    rendered = dict(zip((e.id for e in archive.editions), pages))
    found = [p for e in rendered.values() for p in e.problems] + stale_problems(archive, rendered)
    return rendered, [replace(p, severity=ERROR) for p in found] if request.strict else found


def settled(request: Request, archive: Archive | None):
    """Which notes go unlisted: those of the data and narrative of frozen and transcribed
    editions, nobody's work now (all of them when `--verbose` is not given and the archive has
    errors, so which editions those are is not known)."""
    if request.verbose:
        return None
    if archive is None:
        return lambda p: True
    folders = tuple(os.path.abspath(folder) + os.sep for e in archive.editions if e.frozen or e.printed
                    for folder in (os.path.join(request.project.data, e.id), request.project.edition_content(e.id)))
    return lambda p: os.path.abspath(p.loc.path).startswith(folders)


def check(request: Request, out=None) -> int:
    """The data and, when it has no error, the narrative: every problem, then the summary; the
    exit status."""
    archive, problems = read_data(request)
    problems = problems + settings_problems(request.project.config)
    if archive is not None:
        problems = problems + render_pages(request, archive)[1]
    return 1 if report(problems, archive, request.lang, out, settled(request, archive)) else 0


def run_build(request: Request, progress) -> int:
    """The `build` command: build, then say what was built, where and how long it took; the exit
    status."""
    started = time.perf_counter()
    outcome = build(request, progress)
    if outcome.summary is None:
        return 1
    print(say("build-done", request.lang, summary=outcome.summary, path=relative(request.out),
              seconds=f"{time.perf_counter() - started:.1f}"))
    return 0


def build(request: Request, progress, out=None) -> Outcome:
    """Check, render every page, then write the site into `request.out`, holding the project's
    lock from reading on (so what a killed command left is finished or undone before it is read)."""
    if request.project.content_given and not os.path.isdir(request.project.content):
        raise BuildError.of("content-missing", relative(request.project.content))
    check_out(request.out, guarded(request.project))
    held = nullcontext() if request.locked else lock.held(request.project.root, progress)
    with held:
        progress(message("progress-checking"))
        archive, problems = read_data(request)
        if report(problems, archive, request.lang, out, settled(request, archive)) or archive is None:
            # No archive: there are errors.
            return Outcome(None)
        freeze.check_requested(archive, request.republish, request.project.data)
        with epoch.set_to(epoch.of_build(archive, request.epoch)):
            jobs = min(request.jobs, len(archive.editions))
            progress(message("progress-rendering/jobs", jobs=jobs) if jobs > 1 else message("progress-rendering"))
            rendered, problems = render_pages(request, archive, jobs)
            if any(p.severity == ERROR for p in problems):
                # Every file's mistakes, then the summary line, as `check` prints them.
                report(problems, archive, request.lang, out, settled(request, archive))
                return Outcome(None)
            for p in problems:
                print(p.render(relative(p.loc.path), request.lang), file=out)
            builds = write_site(request, archive, rendered, progress, jobs,
                                narrative_warnings(request, archive, problems))
    notes = [n for b in builds if b.pdf for n in (b.pdf.note, b.pdf.word_note) if n]
    for note in dict.fromkeys(notes):
        print(note.text(request.lang), file=out)
    pages, errata = sum(b.pages for b in builds), sum(b.errata for b in builds)
    return Outcome(message("summary-build" if len(builds) != 1 else "summary-build/one", editions=len(builds),
                           pages=pages, errata=errata), tuple(builds))


def narrative_warnings(request: Request, archive: Archive, problems: list[Problem]) -> tuple[str, ...]:
    """The narrative warnings of editions that are not frozen, as the site's marker records them
    (`content/2022-2023/01-preface.md:5:1 [unverified-text]`): `package` refuses such a site."""
    folders = {os.path.abspath(request.project.edition_content(e.id)) + os.sep: e for e in archive.editions}
    out = []
    for p in problems:
        edition = next((e for f, e in folders.items() if os.path.abspath(p.loc.path).startswith(f)), None)
        if p.severity == WARNING and edition is not None and not edition.frozen:
            out.append(f"{relative(p.loc.path)}:{p.loc.line}:{p.loc.col} [{p.slug}]")
    return tuple(out)


def write_site(request: Request, archive: Archive, rendered: dict[str, Pages], progress, jobs: int,
               warnings: tuple[str, ...] = ()) -> list[EditionBuild]:
    """Stages 3 and 4: every edition (in up to `jobs` processes) and the archive root into a
    temporary folder swapped in for the output, its marker recording the narrative's `warnings`;
    then the frozen editions' pages stored.

    A frozen edition whose inputs are unchanged is copied from its stored pages. Otherwise its
    fresh build is compared with them: the build stops if it would change them (unless
    re-published); a first or re-publication is stored once the whole site is in place.
    """
    settings = read_settings(request.project.config)
    settings.files()  # an image file a setting names is missing: stop before building anything
    if settings.missing:
        progress(message("gov-missing", names=settings.to_fill()[1], file=relative(settings.path) or "mkdocs.yml"))
    to_store: list[tuple[Edition, str]] = []

    def build_into(tmp: str) -> list[EditionBuild]:
        done = write_editions(request, archive, rendered, settings, tmp, to_store, progress, jobs)
        progress(message("site-root"))
        write_root(archive, tmp, settings, {eid: nav(pages.pages) for eid, pages in rendered.items()})
        return done

    done = publish(build_into, request.out, guarded(request.project), warnings)
    frozen = request.project.frozen
    for edition, inputs in to_store:
        sources = freeze.sources_fingerprint(archive, edition, request.project.edition_content(edition.id))
        stored = freeze.store(edition_dir(request.out, edition), frozen, edition, inputs, sources)
        progress(message("site-stored", edition=edition.id, version=edition.version, files=stored,
                         path=os.path.relpath(os.path.join(frozen, edition.id))))
    return done


def write_editions(request: Request, archive: Archive, rendered: dict[str, Pages], settings: Settings,
                   tmp: str, to_store: list, progress, jobs: int) -> list[EditionBuild]:
    """Every edition into `tmp/EDITION/`, copied from its stored pages or built; the frozen
    editions to store are added to `to_store`."""
    work = tempfile.mkdtemp(prefix="work-", dir=tmp)
    count, frozen, republish = len(archive.editions), request.project.frozen, request.republish
    done: dict[str, EditionBuild] = {}
    inputs: dict[str, str] = {}
    to_build: list[tuple[int, Edition]] = []
    for i, edition in enumerate(archive.editions, start=1):
        pages, target = rendered[edition.id], edition_dir(tmp, edition)
        if edition.frozen:
            started = time.perf_counter()
            text = search.reader_text(pages)
            inputs[edition.id] = freeze.inputs_fingerprint(text)
            copied = None
            if edition.id not in republish:
                sources = freeze.sources_fingerprint(archive, edition, request.project.edition_content(edition.id))
                copied = freeze.copy_if_unchanged(edition, text, sources, frozen, target)
            if copied is not None:
                progress(message("site-copied/reworded" if copied.reworded else "site-copied", step=i, count=count,
                                 edition=edition.id, files=copied.files))
                done[edition.id] = EditionBuild(edition.id, len(pages.pages), len(pages.errata),
                                                time.perf_counter() - started)
                continue
        to_build.append((i, edition))
    parallel = min(jobs, len(to_build)) > 1
    if parallel:
        progress(message("site-parallel", editions=len(to_build), jobs=min(jobs, len(to_build))))
    mode = None if request.pdf == NO_PDF else pdf.Mode(request.project.cache, required=request.pdf == REQUIRED)
    tasks = [(e.id, rendered[e.id], work, edition_dir(tmp, e), mode) for _, e in to_build]
    # Closed on the way out, so no worker still writes into the folder once a failure removes it.
    with closing(workers.map_tasks(build_one, (settings, archive), tasks, jobs)) as built:
        for i, edition in to_build:
            step = message("site-step/frozen" if edition.frozen else "site-step", step=i, count=count,
                           edition=edition.id)
            if not parallel:
                # MkDocs writes the edition while this line is the last one shown.
                progress(message("site-building", step=step, pages=len(rendered[edition.id].pages)))
            result = next(built)
            if parallel:
                progress(message("site-built", step=step, pages=result.pages, seconds=f"{result.seconds:.1f}"))
            done[edition.id] = result
            if edition.frozen and freeze.guard(edition, edition_dir(tmp, edition), frozen, edition.id in republish):
                to_store.append((edition, inputs[edition.id]))
    shutil.rmtree(work)
    return [done[e.id] for e in archive.editions]
