"""What to commit after `freeze` or `correct`: the files an edition's build reads that git has not
committed, so that a fresh clone rebuilds the published edition from its stored pages.

An edition's build reads its data folder, its narrative folder, the registry, the settings file and
its stored pages. Where the project is a git work tree, the ones git reports as changed or new are
named (a folder wholly new is named once, as git names it); elsewhere every one of them that exists
is named, as paths to copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from reportsite.model.errors import relative
from reportsite.model.project import Project
from reportsite.read.check import REGISTRY


@dataclass(frozen=True)
class Handover:
    """The paths to commit (or copy), relative to the working directory."""

    paths: tuple[str, ...]
    git: bool
    """True when the project is in a git work tree (the paths are then what git has not committed)."""


def inputs(project: Project, edition_id: str) -> list[str]:
    """Every path an edition's build reads, absolute: files, or folders read whole."""
    return [os.path.abspath(p) for p in (
        os.path.join(project.data, edition_id), project.edition_content(edition_id),
        os.path.join(project.data, REGISTRY), project.config, os.path.join(project.frozen, edition_id))]


def _git(args: list[str], cwd: str) -> str | None:
    """git's output, or None when git is missing or the folder is no work tree."""
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def to_commit(project: Project, edition_id: str) -> Handover:
    """What git has not committed of what the edition's build reads (every such path that exists
    where there is no git). A folder the tool writes whole (the stored pages) is named as one."""
    wanted = inputs(project, edition_id)
    top = _git(["rev-parse", "--show-toplevel"], project.root)
    status = _git(["status", "--porcelain=v1", "-z", "--untracked-files=normal", "--", *wanted],
                  project.root) if top else None
    if top is None or status is None:
        return Handover(tuple(relative(p) for p in wanted if os.path.exists(p)), False)
    root = top.strip()
    stored = wanted[-1]
    found: list[str] = []
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        if entry[0] in "RC":
            i += 1  # a rename or copy is followed by the path it came from
        path = os.path.abspath(os.path.join(root, entry[3:].rstrip("/")))
        if _within(path, stored):
            path = stored
        if path not in found:
            found.append(path)
    # In the order the build reads them, each path once.
    order = {p: n for n, p in enumerate(wanted)}
    found.sort(key=lambda p: (next((n for w, n in order.items() if _within(p, w)), len(order)), p))
    return Handover(tuple(relative(p) for p in found), True)
