"""The exceptions the command line prints as one line; anything else is a bug, printed as one
line too unless `--debug` asks for its traceback."""

from __future__ import annotations

import errno
import os
import re
import shutil
from typing import Self

from reportsite.model.messages import DEFAULT_LANG, Message, message, text
from reportsite.model.records import terminal_safe

DISK_SLUGS = {errno.ENOSPC: "disk-full", errno.EDQUOT: "disk-full", errno.EACCES: "no-permission",
              errno.EPERM: "no-permission", errno.EROFS: "read-only"}
"""Catalogue slugs of the faults of a disk, by `errno`; any other `OSError` is `os-error`."""


class ReportError(Exception):
    """Base: a problem the user can fix, with a location when there is one.

    Raise it with a catalogue slug and parameters, `BuildError.of("out-not-ours", path, path=p)`:
    the command line puts it into words in the user's language. Text that is no sentence of ours
    (a template engine's own report) may be given as it is, `ContentError(text, location)`.
    """

    slug = "error"
    status = 1
    """The process exit status when this error ends a command."""

    def __init__(self, message: str | Message, location: str = "", slug: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.location = location
        if slug is not None:
            self.slug = slug

    @classmethod
    def of(cls, slug: str, location: str = "", **params) -> Self:
        """An error whose sentence comes from the catalogue entry `slug`; it prints as
        `[slug]`, or `[kind]` for an entry `kind/variant` (`frozen/changed` prints `[frozen]`)."""
        return cls(message(slug, **params), location, slug.partition("/")[0])

    def __reduce__(self):
        # Raised in a worker process, it is pickled back with its location and slug.
        return type(self), (self.message, self.location, self.slug)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The one-line form `location: error [slug] message` in `lang`."""
        prefix = f"{terminal_safe(self.location)}: " if self.location else ""
        return f"{prefix}error [{self.slug}] {text(self.message, lang)}"

    def __str__(self) -> str:
        return self.render("en")


class UsageError(ReportError):
    """A command line that cannot be run as given (exit status 2)."""

    slug = "usage"
    status = 2


class ContentError(ReportError):
    """A content or template file that cannot be rendered (syntax, an undefined name)."""

    slug = "content"


class BuildError(ReportError):
    """The site generator failed on otherwise valid input."""

    slug = "build"


class FrozenError(ReportError):
    """A build would change the pages of a frozen edition."""

    slug = "frozen"


def relative(path: str) -> str:
    """`path` relative to the working directory, as locations are printed: a character a
    terminal would act on (a file named with an escape sequence) or a byte that is not UTF-8
    shown as its escape (`\\x1b`, `\\udcff`)."""
    try:
        return terminal_safe(os.path.relpath(path))
    except ValueError:  # another drive (Windows)
        return terminal_safe(path)


def failed_path(exc: OSError) -> str | None:
    """The file an `OSError` is about: its file name, or the first target of a failed tree copy
    (`shutil.copytree` gathers its failures as (source, target, "[Errno N] reason") triples)."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        return exc.args[0][0][1]
    return os.fsdecode(exc.filename) if exc.filename else None


def from_os_error(exc: OSError, path: str | None = None) -> ReportError:
    """A fault of the disk (full, read-only, no permission, ...) as one located error; `path` names
    the place instead of the error's own file (when that is missing or temporary)."""
    code, reason = exc.errno, exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        found = re.match(r"\[Errno (\d+)\] ([^:]*)", str(exc.args[0][0][2]))
        code, reason = (int(found[1]), found[2]) if found else (None, str(exc.args[0][0][2]))
    where = path if path is not None else failed_path(exc)
    return BuildError.of(DISK_SLUGS.get(code, "os-error") if code is not None else "os-error",
                         relative(where) if where else "", reason=reason)
