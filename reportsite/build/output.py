"""The output folder: which folders a build may write, and the atomic swap that publishes a site.

A build writes only into a folder that is absent, empty, or marked as ours (`MARKER`, a file every
published site holds), and never into, at or above a folder it reads (data, content, templates,
frozen pages, the tool's code) nor at or above a project folder. This is the one place where the
output path is resolved and checked.

A site is built into a temporary folder beside the output and swapped in by two renames only when
complete, so a failed or killed build leaves the previous site as it was. A temporary folder left
by a killed build is removed by the next one, but only when it is marked as ours and the build
that made it is no longer running.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from reportsite.build.lock import alive
from reportsite.model import files
from reportsite.model.errors import BuildError, failed_path, from_os_error, relative
from reportsite.model.project import PACKAGE, TEMPLATES, Project

T = TypeVar("T")

MARKER = ".reportsite"
"""The file that marks a folder as a site this tool built (and may replace)."""
MARKER_TEXT = "This folder is written by `python build.py`, which replaces it whole at every build.\n"
BUILDING = "pid "
"""The marker of a site still being built carries a line `pid N` naming the builder."""


@dataclass(frozen=True)
class Guarded:
    """The folders a build must not write over."""

    inputs: tuple[str, ...]
    """Folders the build reads (data, content, templates, frozen pages, code): the output may not
    be one of them, lie inside one, or contain one."""
    roots: tuple[str, ...]
    """Project folders (the tool's, the data's, the working directory): the output may lie inside
    one (`site/`), but may not be one or contain one."""


def guarded(project: Project) -> Guarded:
    """The folders a build of `project` reads, and the project folders: never to be written over."""
    roots = (os.path.dirname(PACKAGE), project.root, os.getcwd())
    return Guarded(
        inputs=(project.data, project.content, project.frozen, TEMPLATES, PACKAGE, project.state,
                *(os.path.join(r, ".git") for r in roots)),
        roots=roots)


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or lies below it (both resolved)."""
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive (Windows)
        return False


def is_ours(folder: str) -> bool:
    """Whether `folder` holds our marker."""
    return os.path.isfile(os.path.join(folder, MARKER))


def check_out(out_dir: str, guarded: Guarded) -> None:
    """Raise `BuildError` unless a build may replace `out_dir`; write nothing."""
    shown = relative(out_dir or ".")
    out = _real(out_dir or ".")
    for folder in guarded.inputs:
        folder = _real(folder)
        if _within(out, folder) or _within(folder, out):
            raise BuildError.of("out-unsafe", shown, folder=relative(folder))
    for folder in guarded.roots:
        if _within(_real(folder), out):
            raise BuildError.of("out-unsafe", shown, folder=relative(folder))
    if os.path.islink(out_dir):
        raise BuildError.of("out-link", shown)
    if os.path.lexists(out_dir) and not os.path.isdir(out_dir):
        raise BuildError.of("out-not-folder", shown)
    above = os.path.dirname(os.path.abspath(out_dir))
    while not os.path.lexists(above):
        above = os.path.dirname(above)
    if not os.path.isdir(above):  # `--out essay.txt/site`
        raise BuildError.of("out-not-folder", relative(above))
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not is_ours(out_dir):
        raise BuildError.of("out-not-ours", shown, marker=MARKER)


def _builder(folder: str) -> int | None:
    """The process id of the build still writing `folder`, or None when it is complete."""
    with open(os.path.join(folder, MARKER), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(BUILDING) and line[len(BUILDING):].strip().isdigit():
                return int(line[len(BUILDING):])
    return None


def _clean_up(parent: str, base: str, out_dir: str) -> None:
    """Put back a site moved aside by a build killed mid-swap; remove our stale temporary folders."""
    for name in sorted(os.listdir(parent)):
        path = os.path.join(parent, name)
        if not name.startswith((f".{base}-build-", f".{base}-old-")) or not os.path.isdir(path) \
                or os.path.islink(path):
            continue
        if not os.listdir(path):
            os.rmdir(path)  # killed before its marker was written
            continue
        if not is_ours(path):
            continue
        builder = _builder(path)
        if builder is not None and alive(builder):
            continue
        if name.startswith(f".{base}-old-") and not os.path.exists(out_dir):
            # A build killed between the two renames below: this is the previous site; put it back.
            os.rename(path, out_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


UNCHECKED = "warning "
"""A line of the finished site's marker naming a narrative warning left unacknowledged: `package`
refuses the site for publication while there is one."""


def _write_marker(folder: str, building: bool, warnings: tuple[str, ...] = ()) -> None:
    lines = [f"{BUILDING}{os.getpid()}"] if building else [UNCHECKED + w for w in warnings]
    files.write(os.path.join(folder, MARKER), MARKER_TEXT + "".join(line + "\n" for line in lines))


def unchecked(site: str) -> list[str]:
    """The narrative warnings a built site's marker records (`location [slug]`), in order."""
    try:
        with open(os.path.join(site, MARKER), encoding="utf-8", errors="replace") as f:
            return [line[len(UNCHECKED):].rstrip("\n") for line in f if line.startswith(UNCHECKED)]
    except OSError:
        return []


def _place(exc: OSError, tmp: str, out_dir: str) -> str:
    """Where a fault happened, as the user knows it: the output folder for anything inside the
    temporary folder (whose name is random), else the file itself."""
    path = failed_path(exc)
    return out_dir if path is None or _within(os.path.abspath(path), os.path.abspath(tmp)) else path


def publish(build_into: Callable[[str], T], out_dir: str, guarded: Guarded, warnings: tuple[str, ...] = ()) -> T:
    """Check `out_dir` (`check_out`), run `build_into(tmp_dir)`, then swap the result in for
    `out_dir` in two renames; what `build_into` returned. The marker of the finished site records
    `warnings` (the narrative's, `location [slug]`).

    The previous `out_dir` stays untouched until the new site is complete. A fault of the disk
    is raised as a `ReportError` located at `out_dir` (or at the file outside it that failed).
    """
    check_out(out_dir, guarded)
    out_dir = os.path.abspath(out_dir)
    parent, base = os.path.split(out_dir)
    try:
        os.makedirs(parent, exist_ok=True)
        _clean_up(parent, base, out_dir)
        tmp = tempfile.mkdtemp(prefix=f".{base}-build-", dir=parent)
    except OSError as exc:
        raise from_os_error(exc, parent) from exc
    try:
        _write_marker(tmp, building=True)
        result = build_into(tmp)
        _write_marker(tmp, building=False, warnings=warnings)
        os.chmod(tmp, 0o755)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise from_os_error(exc, _place(exc, tmp, out_dir)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(tmp, out_dir)
    return result


def _swap(tmp: str, out_dir: str) -> None:
    """Replace `out_dir` with `tmp` in two renames, putting the old site back if the second fails."""
    parent, base = os.path.split(out_dir)
    old = None
    try:
        if os.path.exists(out_dir):
            old = tempfile.mkdtemp(prefix=f".{base}-old-", dir=parent)
            os.rmdir(old)
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
    except OSError as exc:
        if old and os.path.isdir(old) and not os.path.exists(out_dir):
            os.rename(old, out_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise from_os_error(exc, out_dir) from exc
    if old:
        shutil.rmtree(old, ignore_errors=True)
