"""Commands that write several files (import, correct, freeze with its store) as one transaction.

A command first writes a journal in the project's `.reportsite/journal/`: the new text of every
file it will replace, a copy of each as it was, and a copy of each folder it will change (a frozen
edition's stored pages). The journal appears whole, by one rename, before anything is changed.
The command then changes the files; once every change is made (and, for correct and freeze, the
build has stored its pages), it marks the journal complete and removes it.

A command killed on the way leaves the journal. The next command that takes the project's lock
(`lock.held`) finds it before it reads anything: a journal marked complete is rolled forward (its
new files written again), any other is rolled back (every file and folder put back as it was),
and the command says so in one line. Every step is idempotent, so a kill during the recovery is
recovered by the next command in turn. So `data/`, `content/` and `frozen/` are always as they
were before a command or as they are after it, never between.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

from reportsite.model import files
from reportsite.model.messages import Message, message

JOURNAL = "journal"
COMPLETE = "COMPLETE"
PLAN = "plan.json"


class Transaction:
    """The changes one command makes, journaled in `state` (the project's `.reportsite/`)."""

    def __init__(self, state: str, command: str):
        self.state, self.command = state, command
        self.files: dict[str, bytes] = {}
        """Absolute path -> new content of every file to replace or create."""
        self.trees: list[str] = []
        """Absolute paths of folders the command will change (and may create)."""
        self.folder = os.path.join(state, JOURNAL)

    def write(self, path: str, data: str | bytes) -> None:
        """Plan `path` to hold `data` (text as UTF-8)."""
        self.files[os.path.abspath(path)] = data.encode("utf-8") if isinstance(data, str) else data

    def tree(self, path: str) -> None:
        """Plan the folder `path` to be changed by the command itself (kept, to be put back)."""
        self.trees.append(os.path.abspath(path))

    def begin(self) -> None:
        """Write the journal whole (aside, then one rename); nothing is changed yet."""
        os.makedirs(self.state, exist_ok=True)
        aside = tempfile.mkdtemp(prefix=f"{JOURNAL}.tmp-", dir=self.state)
        plan: dict = {"command": self.command, "files": [], "trees": []}
        for i, (path, data) in enumerate(self.files.items()):
            files.write(os.path.join(aside, f"new-{i}"), data)
            had = os.path.isfile(path)
            if had:
                files.copy(path, os.path.join(aside, f"old-{i}"))
            plan["files"].append({"path": path, "new": f"new-{i}", "old": f"old-{i}" if had else None})
        for i, path in enumerate(self.trees):
            had = os.path.isdir(path)
            if had:
                shutil.copytree(path, os.path.join(aside, f"tree-{i}"), symlinks=True)
            plan["trees"].append({"path": path, "old": f"tree-{i}" if had else None})
        files.write(os.path.join(aside, PLAN), json.dumps(plan, ensure_ascii=False, indent=1))
        os.replace(aside, self.folder)

    def apply(self) -> None:
        """Write every planned file (each whole)."""
        for path, data in self.files.items():
            files.write(path, data)

    def complete(self) -> None:
        """Mark the journal complete (from here on, a kill is rolled forward), then remove it."""
        files.write(os.path.join(self.folder, COMPLETE), "")
        _remove(self.state)

    def abandon(self) -> None:
        """Put everything back as it was (a command that failed on its own) and remove the journal."""
        roll_back(self.folder)
        _remove(self.state)


def _remove(state: str) -> None:
    """Remove the journal: renamed out of the way first, so a kill while it is deleted leaves no
    half journal to be read."""
    folder = os.path.join(state, JOURNAL)
    if os.path.isdir(folder):
        gone = tempfile.mkdtemp(prefix=f"{JOURNAL}.done-", dir=state)
        os.rmdir(gone)
        os.replace(folder, gone)
    for name in os.listdir(state) if os.path.isdir(state) else []:
        if name.startswith((f"{JOURNAL}.done-", f"{JOURNAL}.tmp-")):
            shutil.rmtree(os.path.join(state, name), ignore_errors=True)


def _plan(folder: str) -> dict:
    with open(os.path.join(folder, PLAN), encoding="utf-8") as f:
        return json.load(f)


def roll_forward(folder: str) -> None:
    """Write again every new file of a complete journal (the folders are as the command left them)."""
    for entry in _plan(folder)["files"]:
        with open(os.path.join(folder, entry["new"]), "rb") as f:
            files.write(entry["path"], f.read())


def roll_back(folder: str) -> None:
    """Put every file and folder of the journal back as it was (removing those that were not)."""
    plan = _plan(folder)
    for entry in plan["files"]:
        if entry["old"] is None:
            if os.path.lexists(entry["path"]):
                os.remove(entry["path"])
        else:
            files.copy(os.path.join(folder, entry["old"]), entry["path"])
    for entry in plan["trees"]:
        path = entry["path"]
        parent, name = os.path.split(path)
        # The folder itself, and the temporary folders an atomic store makes beside it (`.NAME-…`).
        beside = [os.path.join(parent, n) for n in (os.listdir(parent) if os.path.isdir(parent) else [])
                  if n.startswith(f".{name}-")]
        for gone in [path, *beside]:
            if os.path.islink(gone) or os.path.isfile(gone):
                os.remove(gone)
            elif os.path.isdir(gone):
                shutil.rmtree(gone)
        if entry["old"] is not None:
            shutil.copytree(os.path.join(folder, entry["old"]), path, symlinks=True)


def recover_journal(state: str) -> Message | None:
    """Finish or undo what a killed command left in `state`: the one line that says which, or
    None when there was nothing to do. Called with the project's lock held."""
    folder = os.path.join(state, JOURNAL)
    if not os.path.isdir(folder) or not os.path.isfile(os.path.join(folder, PLAN)):
        _remove(state)  # a journal not yet begun, or being removed: nothing was changed by it
        return None
    command = _plan(folder).get("command", "?")
    if os.path.isfile(os.path.join(folder, COMPLETE)):
        roll_forward(folder)
        said = message("journal-forward", command=command)
    else:
        roll_back(folder)
        said = message("journal-back", command=command)
    _remove(state)
    return said
