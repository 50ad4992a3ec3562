"""The secretariat's commands: `new`, `template` and `import`, and the archive's life without git
commands, `freeze` and `correct`. Each calls its stage (`scaffold.py`, `template.py`,
`importer.py`; the build pipeline for the last two), writes only files it creates or was asked to
replace, and prints one line of outcome in the user's language. The command line hands each its
values typed (a `Project`, a pipeline `Request`).

    python build.py new 2022-2023 [--from 2020-2021]
    python build.py template 2022-2023 数据.xlsx
    python build.py import 2022-2023 数据.xlsx [--update-registry]
    python build.py freeze 2020-2021
    python build.py correct 2020-2021 --note "附件 3 中……更正为……" [--date 2022-03-01]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata

from reportsite.authoring import datafiles, handover, importer, scaffold, template
from reportsite.build import lock, pipeline
from reportsite.build.journal import Transaction
from reportsite.build.request import Request
from reportsite.model import files
from reportsite.model.chars import char_name
from reportsite.model.console import report, teller
from reportsite.model.errors import BuildError, UsageError, relative
from reportsite.model.messages import Message, message, say
from reportsite.model.project import Project
from reportsite.model.records import edition_order, is_edition_id, quote
from reportsite.read.check import check_archive
from reportsite.read.schema import CONTROL


def _checked(project: Project, lang: str):
    """The archive, or None after printing why it cannot be used."""
    archive, problems = check_archive(project.data)
    if archive is None:
        # The errors are what stops the command; the acknowledged notes are only counted.
        report(problems, None, lang, hidden=lambda p: True)
        return None
    return archive


def meant_id(typed: str) -> str:
    """An edition id as it was probably meant: full-width characters and dashes made ASCII."""
    return re.sub(r"[\u2010-\u2015\u2212]", "-", unicodedata.normalize("NFKC", typed)).replace(" ", "")


def new(project: Project, edition_id: str, source: str | None, lang: str) -> int:
    """Create `data/EDITION/` and `content/EDITION/` from the previous edition (`source`, else the
    latest before it)."""
    if not is_edition_id(edition_id):
        odd = next((i for i, c in enumerate(edition_id) if not c.isascii() or not c.isprintable()), None)
        if odd is not None:
            raise UsageError.of("new-bad-id/character", edition=quote(edition_id), position=odd + 1,
                                char=char_name(edition_id[odd]), meant=quote(meant_id(edition_id)))
        raise UsageError.of("new-bad-id", edition=quote(edition_id))
    data, content_root = project.data, project.content
    for folder in (os.path.join(data, edition_id), os.path.join(content_root, edition_id)):
        if os.path.lexists(folder):
            raise BuildError.of("new-exists", relative(folder), edition=edition_id, path=relative(folder))
    archive = _checked(project, lang)
    if archive is None:
        return 1
    known = [e.id for e in archive.editions]
    earlier = [e for e in known if edition_order(e) < edition_order(edition_id)]
    previous_id = source or (earlier[-1] if earlier else None)
    if previous_id is None or previous_id not in known:
        raise BuildError.of("new-no-previous", relative(data), edition=quote(previous_id or "-"),
                            known=", ".join(known))
    if edition_order(previous_id) >= edition_order(edition_id):
        raise BuildError.of("new-not-later", edition=edition_id, previous=previous_id)
    planned = scaffold.plan_edition(data, content_root, edition_id, archive.edition(previous_id))
    with lock.held(project.root):
        written = scaffold.write_edition(planned)
    pages = sum(1 for path in written if path.endswith(".md"))
    print(say("new-done", lang, edition=edition_id, previous=previous_id, files=len(written) - pages,
              pages=pages, data=relative(os.path.join(data, edition_id)),
              content=relative(os.path.join(content_root, edition_id))))
    return 0


def write_template(project: Project, edition_id: str, path: str, lang: str) -> int:
    """Write the workbook for an edition at `path`: filled with its data when it has any."""
    if not path.lower().endswith(".xlsx"):
        raise UsageError.of("template-type", path=quote(path))
    if os.path.lexists(path):
        raise BuildError.of("template-exists", relative(path), path=relative(path))
    archive = _checked(project, lang)
    if archive is None:
        return 1
    known = {e.id: e for e in archive.editions}
    if edition_id not in known:
        raise BuildError.of("template-unknown", relative(project.data), edition=quote(edition_id),
                            known=", ".join(known))
    edition = known[edition_id]
    filled = bool(edition.evaluated or edition.incomplete or edition.experts)
    data = template.to_bytes(template.workbook(archive, edition, filled), edition.published)
    files.create(path, data)  # whole or not at all, and never over a file that appeared meanwhile
    state = say("template-filled" if filled else "template-blank", lang)
    print(say("template-done", lang, path=relative(path), edition=edition.id, state=state,
              rows=len(edition.evaluated) if filled else 0))
    return 0


def utf8(text: str) -> bool:
    """Whether `text` (a command-line value: bytes that are not UTF-8 reach Python as lone
    surrogates) is UTF-8 text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _workbook_file(path: str) -> None:
    """Refuse a workbook to import (or to correct from) that is not a plain file, is missing, or
    whose name is not UTF-8, before anything is read."""
    if os.path.exists(path) and not os.path.isfile(path):  # a folder, or a named pipe that would hang the read
        raise BuildError.of("import-not-file", relative(path), path=relative(path))
    if not os.path.isfile(path):
        raise BuildError.of("import-missing", relative(path), path=relative(path))
    if not utf8(path):
        # The name is written into the data files' comments, which are UTF-8.
        raise BuildError.of("import-name", relative(path), path=relative(path))


def backup_folder(project: Project, edition_id: str) -> str:
    """A new folder for the files an import replaces: `.reportsite/backup/EDITION-N/`."""
    root = os.path.join(project.state, "backup")
    n = 1
    while os.path.exists(os.path.join(root, f"{edition_id}-{n}")):
        n += 1
    return os.path.join(root, f"{edition_id}-{n}")


def import_book(project: Project, edition_id: str, path: str, update_registry: bool, lang: str,
                renames: frozenset[str] = frozenset(), entered: int | None = None) -> int:
    """Check the workbook at `path` against the registry and the edition, then write the
    edition's YAML (`update_registry`: register new alliances too; `renames`: the codes whose
    new name to record, besides the rows the workbook marks 更名; `entered`: 录入信息的联盟数)."""
    _workbook_file(path)
    with lock.held(project.root, teller(lang)):
        planned = importer.plan_import(project.data, edition_id, path, update_registry, renames=renames,
                                       entered=entered)
        errors = report(planned.problems, None, lang)
        if errors:
            print(say("import-stopped", lang))
            return 1
        backup = backup_folder(project, edition_id)
        written = importer.write_import(planned, backup, project.state)
    for change in planned.changes:
        print(change.text(lang))
    if not written:
        print(say("import-nothing", lang))
        return 0
    kept = say("import-backup", lang, path=relative(backup)) if os.path.isdir(backup) else ""
    print(say("import-done", lang, rows=planned.rows, files=len(written), backup=kept))
    return 0


def _edition_file(project: Project, edition_id: str) -> tuple[str, str]:
    """The edition's edition.yaml and its text, after checking the edition exists."""
    path = os.path.join(project.data, edition_id, "edition.yaml")
    if not is_edition_id(edition_id) or not os.path.isfile(path):
        data = project.data
        known = sorted(e for e in os.listdir(data) if is_edition_id(e)) if os.path.isdir(data) else []
        raise BuildError.of("freeze-unknown", relative(data), edition=quote(edition_id), known=", ".join(known) or "-")
    with open(path, encoding="utf-8") as f:
        return path, f.read()


def _rebuilt(changes: dict[str, str], request: Request, command: str, edition_id: str) -> int:
    """Write each file of `changes` (path -> text) and build, as one transaction with the edition's
    stored pages (`build/journal.py`): a build that fails, or a kill at any point, leaves every file
    of `changes` (one that was not there is removed again) and frozen/EDITION/ as they were. Called
    holding the project's lock."""
    transaction = Transaction(request.project.state, command)
    for path, text in changes.items():
        transaction.write(path, text)
    transaction.tree(os.path.join(request.project.frozen, edition_id))
    transaction.begin()
    status = 1
    try:
        transaction.apply()
        status = pipeline.run_build(dataclasses.replace(request, locked=True), teller(request.lang))
    finally:
        if status == 0:
            transaction.complete()
        else:
            transaction.abandon()
    return status


def _stored(project: Project, edition_id: str) -> tuple[str, int]:
    """The edition's stored pages folder and how many files it holds."""
    folder = os.path.join(project.frozen, edition_id)
    count = sum(len(files) for _, _, files in os.walk(folder))
    return folder, count


def _quoted(path: str) -> str:
    """A path as a command line takes it: in double quotes when it holds a space or a quote."""
    return f'"{path}"' if any(c in path for c in ' "\'&|;()') else path


def _handover(project: Project, edition_id: str, subject: str) -> Message:
    """What to commit (or copy) so that a fresh clone rebuilds the edition from its stored pages."""
    found = handover.to_commit(project, edition_id)
    if not found.paths:
        return message("handover/none")
    if not found.git:
        return message("handover/copy", files=" ".join(_quoted(p) for p in found.paths))
    return message("handover/git", files=" ".join(_quoted(p) for p in found.paths),
                   subject=message(subject, edition=edition_id))


def freeze(request: Request, edition_id: str) -> int:
    """Mark an edition frozen, build, store and check its pages; say what to commit. The project's
    lock is held from the first read to the last write."""
    with lock.held(request.project.root, teller(request.lang)):
        return _freeze(dataclasses.replace(request, locked=True), edition_id)


def _freeze(request: Request, edition_id: str) -> int:
    project, lang = request.project, request.lang
    path, original = _edition_file(project, edition_id)
    archive = _checked(project, lang)
    if archive is None:
        return 1
    if archive.edition(edition_id).frozen:
        status = pipeline.run_build(request, teller(lang))
        if status == 0:
            print(say("freeze-already", lang, edition=edition_id,
                      handover=_handover(project, edition_id, "handover/freeze")))
        return status
    status = _rebuilt({path: datafiles.frozen_text(original)}, request, "freeze", edition_id)
    if status == 0:
        folder, count = _stored(project, edition_id)
        print(say("freeze-done", lang, edition=edition_id, count=count, path=relative(folder),
                  handover=_handover(project, edition_id, "handover/freeze")))
    return status


def correct(request: Request, edition_id: str, note: str, date: dt.date | None, workbook: str | None = None) -> int:
    """Bump a frozen edition's version, add a dated correction (`note`, dated `date` or today)
    and re-publish it; with `workbook`, its data corrected from that workbook first (checked as
    `import` checks it). The note is checked before anything is read; the project's lock is held
    from the first read to the last write."""
    if not utf8(note):  # what a GBK terminal sends: checked before anything is read or written
        raise UsageError.of("correct-note-encoding")
    odd = CONTROL.search(note)
    if odd:
        raise UsageError.of("correct-note-text/char", note=quote(note), char=char_name(odd.group()))
    if not note.strip():
        raise UsageError.of("correct-note-text", note=quote(note))
    with lock.held(request.project.root, teller(request.lang)):
        return _correct(dataclasses.replace(request, locked=True), edition_id, note, date, workbook)


def _correct(request: Request, edition_id: str, note: str, date: dt.date | None, workbook: str | None) -> int:
    project, lang = request.project, request.lang
    path, original = _edition_file(project, edition_id)
    archive = _checked(project, lang)
    if archive is None:
        return 1
    edition = archive.edition(edition_id)
    if not edition.frozen:
        raise BuildError.of("correct-not-frozen", relative(path), edition=edition_id)
    today = dt.date.today()  # the clock is read here, never by the checks
    first = dt.date(int(edition.published[:4]), int(edition.published[5:7]), 1)
    when = date or today
    if not first <= when <= today:
        raise BuildError.of("correct-date", relative(path), date=when.isoformat(), first=first.isoformat(),
                            today=today.isoformat(), edition=edition_id)
    changes: dict[str, str] = {}
    if workbook is not None:
        _workbook_file(workbook)
        planned = importer.plan_import(project.data, edition_id, workbook, correcting=True)
        if report(planned.problems, None, lang):
            print(say("correct-stopped", lang))
            return 1
        changes = dict(planned.files)
    day = when.isoformat()
    corrections = [(c.date.isoformat(), c.text) for c in edition.corrections] + [(day, note)]
    changes[path] = datafiles.corrected_text(changes.get(path, original), edition.version + 1, corrections)
    status = _rebuilt(changes, dataclasses.replace(request, republish=(edition_id,)), "correct", edition_id)
    if status == 0:
        print(say("correct-done", lang, edition=edition_id, version=edition.version + 1, date=day,
                  note=quote(note), handover=_handover(project, edition_id, "handover/correct")))
    return status
