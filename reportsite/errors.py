"""The exceptions the command line prints as one line; anything else is a bug, printed as one
line too unless `--debug` asks for its traceback."""

from __future__ import annotations

import errno
import os

from .messages import DEFAULT_LANG, Message, message, text

DISK_SLUGS = {errno.ENOSPC: "disk-full", errno.EDQUOT: "disk-full", errno.EACCES: "no-permission",
              errno.EPERM: "no-permission", errno.EROFS: "read-only"}
"""Catalogue slugs of the faults of a disk, by `errno`; any other `OSError` is `os-error`."""


class ReportError(Exception):
    """Base: a problem the user can fix, with a location when there is one.

    Raise it with a catalogue slug and parameters, `BuildError.of("out-not-ours", path, path=p)`,
    or (older code) with an English sentence, `BuildError("...", path)`.
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
    def of(cls, slug: str, location: str = "", **params) -> "ReportError":
        """An error whose sentence comes from the catalogue entry `slug`."""
        return cls(message(slug, **params), location, slug)

    def __reduce__(self):
        # Raised in a worker process, it is pickled back with its location and slug.
        return type(self), (self.message, self.location, self.slug)

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The one-line form `location: error [slug] message` in `lang`."""
        prefix = f"{self.location}: " if self.location else ""
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
    """`path` relative to the working directory, as locations are printed."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path


def from_os_error(exc: OSError, path: str | None = None) -> ReportError:
    """A fault of the disk (full, read-only, no permission, ...) as one located error; `path` names
    the place when the error's own file name is missing or temporary."""
    where = path if path is not None else exc.filename
    reason = exc.strerror or str(exc) or type(exc).__name__
    return BuildError.of(DISK_SLUGS.get(exc.errno, "os-error"), relative(os.fsdecode(where)) if where else "",
                         reason=reason)
