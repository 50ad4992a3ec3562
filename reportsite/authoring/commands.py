"""The secretariat's commands: `new`, `template` and `import`, and the archive's life without git
commands, `freeze` and `correct`. Each calls its stage (`scaffold.py`, `template.py`,
`importer.py`; a build for the last two, handed in by the command line), writes only files it
creates or was asked to replace, and prints one line of outcome in the user's language.

    python build.py new 2022-2023 [--from 2020-2021]
    python build.py template 2022-2023 数据.xlsx
    python build.py import 2022-2023 数据.xlsx [--update-registry]
    python build.py freeze 2020-2021
    python build.py correct 2020-2021 --note "附件 3 中……更正为……" [--date 2022-03-01]
"""

from __future__ import annotations

import datetime as dt
import os

from reportsite.authoring import datafiles, importer, scaffold, template
from reportsite.build import lock
from reportsite.model.console import report
from reportsite.model.errors import BuildError, UsageError, relative
from reportsite.model.messages import say
from reportsite.model.records import edition_order, is_edition_id, quote
from reportsite.read.check import check_archive


def project_root(data_dir: str) -> str:
    """The folder holding the data folder, where the project's lock and backups live."""
    return os.path.dirname(os.path.abspath(data_dir))


def _checked(args):
    """The archive, or None after printing why it cannot be used."""
    archive, problems = check_archive(args.data)
    if archive is None:
        report(problems, None, args.lang)
        return None
    return archive


def new(args) -> int:
    """Create `data/EDITION/` and `content/EDITION/` from the previous edition."""
    edition_id = args.edition
    if not is_edition_id(edition_id):
        raise UsageError.of("new-bad-id", edition=quote(edition_id))
    content_root = args.content or os.path.join(project_root(args.data), "content")
    for folder in (os.path.join(args.data, edition_id), os.path.join(content_root, edition_id)):
        if os.path.lexists(folder):
            raise BuildError.of("new-exists", relative(folder), edition=edition_id, path=relative(folder))
    archive = _checked(args)
    if archive is None:
        return 1
    known = [e.id for e in archive.editions]
    earlier = [e for e in known if edition_order(e) < edition_order(edition_id)]
    previous_id = args.source or (earlier[-1] if earlier else None)
    if previous_id not in known:
        raise BuildError.of("new-no-previous", relative(args.data), edition=quote(previous_id or "-"),
                            known=", ".join(known))
    if edition_order(previous_id) >= edition_order(edition_id):
        raise BuildError.of("new-not-later", edition=edition_id, previous=previous_id)
    history = sum(1 for e in known if edition_order(e) <= edition_order(previous_id))
    planned = scaffold.plan(args.data, content_root, edition_id, archive.edition(previous_id), history)
    with lock.held(project_root(args.data)):
        written = scaffold.write(planned)
    pages = sum(1 for path in written if path.endswith(".md"))
    print(say("new-done", args.lang, edition=edition_id, previous=previous_id, files=len(written) - pages,
              pages=pages, data=relative(os.path.join(args.data, edition_id)),
              content=relative(os.path.join(content_root, edition_id))))
    return 0


def write_template(args) -> int:
    """Write the workbook for an edition: filled with its data when it has any."""
    path = args.file
    if not path.lower().endswith(".xlsx"):
        raise UsageError.of("template-type", path=quote(path))
    if os.path.lexists(path):
        raise BuildError.of("template-exists", relative(path), path=relative(path))
    archive = _checked(args)
    if archive is None:
        return 1
    known = {e.id: e for e in archive.editions}
    if args.edition not in known:
        raise BuildError.of("template-unknown", relative(args.data), edition=quote(args.edition),
                            known=", ".join(known))
    edition = known[args.edition]
    filled = bool(edition.evaluated or edition.incomplete or edition.experts)
    data = template.to_bytes(template.workbook(archive, edition, filled), edition.published)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "xb") as f:  # never replaces a file that appeared meanwhile
        f.write(data)
    state = say("template-filled" if filled else "template-blank", args.lang)
    print(say("template-done", args.lang, path=relative(path), edition=edition.id, state=state,
              rows=len(edition.evaluated) if filled else 0))
    return 0


def backup_folder(data_dir: str, edition_id: str) -> str:
    """A new folder for the files an import replaces: `.reportsite/backup/EDITION-N/`."""
    root = os.path.join(project_root(data_dir), lock.FOLDER, "backup")
    n = 1
    while os.path.exists(os.path.join(root, f"{edition_id}-{n}")):
        n += 1
    return os.path.join(root, f"{edition_id}-{n}")


def import_book(args) -> int:
    """Check a workbook against the registry and the edition, then write the edition's YAML."""
    if not os.path.isfile(args.file):
        raise BuildError.of("import-missing", relative(args.file), path=relative(args.file))
    with lock.held(project_root(args.data)):
        planned = importer.plan(args.data, args.edition, args.file, args.update_registry)
        errors = report(planned.problems, None, args.lang)
        if errors:
            print(say("import-stopped", args.lang))
            return 1
        backup = backup_folder(args.data, args.edition)
        written = importer.write(planned, backup)
    for change in planned.changes:
        print(change.text(args.lang))
    if not written:
        print(say("import-nothing", args.lang))
        return 0
    kept = say("import-backup", args.lang, path=relative(backup)) if os.path.isdir(backup) else ""
    print(say("import-done", args.lang, rows=planned.rows, files=len(written), backup=kept))
    return 0


def add_commands(sub, common) -> None:
    """The three commands' arguments, on the command line's subparsers."""
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


COMMANDS = {"new": new, "template": write_template, "import": import_book}


def _edition_file(args) -> tuple[str, str]:
    """The edition's edition.yaml and its text, after checking the edition exists."""
    path = os.path.join(args.data, args.edition, "edition.yaml")
    if not is_edition_id(args.edition) or not os.path.isfile(path):
        known = sorted(e for e in os.listdir(args.data) if is_edition_id(e)) if os.path.isdir(args.data) else []
        raise BuildError.of("freeze-unknown", relative(args.data), edition=quote(args.edition),
                            known=", ".join(known) or "-")
    with open(path, encoding="utf-8") as f:
        return path, f.read()


def _rebuilt(path: str, original: str, changed: str, args, build) -> int:
    """Write `changed` over edition.yaml and build; on any failure put `original` back."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(changed)
    status = 1
    try:
        status = build(args)
    finally:
        if status != 0:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(original)
    return status


def _stored(args) -> tuple[str, int]:
    """The edition's stored pages folder and how many files it holds."""
    folder = os.path.join(args.frozen or os.path.join(project_root(args.data), "frozen"), args.edition)
    count = sum(len(files) for _, _, files in os.walk(folder))
    return folder, count


def freeze(args, build) -> int:
    """Mark an edition frozen, build, store and check its pages; say what to commit."""
    path, original = _edition_file(args)
    archive = _checked(args)
    if archive is None:
        return 1
    if archive.edition(args.edition).frozen:
        status = build(args)
        if status == 0:
            print(say("freeze-already", args.lang, edition=args.edition))
        return status
    status = _rebuilt(path, original, datafiles.frozen_text(original), args, build)
    if status == 0:
        folder, count = _stored(args)
        print(say("freeze-done", args.lang, edition=args.edition, count=count, path=relative(folder),
                  files=f"{relative(path)} {relative(folder)}"))
    return status


def correct(args, build) -> int:
    """Bump a frozen edition's version, add a dated correction and re-publish it."""
    path, original = _edition_file(args)
    archive = _checked(args)
    if archive is None:
        return 1
    edition = archive.edition(args.edition)
    if not edition.frozen:
        raise BuildError.of("correct-not-frozen", relative(path), edition=args.edition)
    day = (args.date or dt.date.today()).isoformat()
    corrections = [(c.date.isoformat(), c.text) for c in edition.corrections] + [(day, args.note)]
    changed = datafiles.corrected_text(original, edition.version + 1, corrections)
    args.republish = [args.edition]
    status = _rebuilt(path, original, changed, args, build)
    if status == 0:
        folder, _ = _stored(args)
        print(say("correct-done", args.lang, edition=args.edition, version=edition.version + 1, date=day,
                  note=quote(args.note), files=f"{relative(path)} {relative(folder)}"))
    return status
