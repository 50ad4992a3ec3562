"""The exceptions the command line prints as one line; anything else is a bug with a traceback."""

from __future__ import annotations


class ReportError(Exception):
    """Base: a problem the user can fix, with a location when there is one."""

    slug = "error"

    def __init__(self, message: str, location: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location

    def __reduce__(self):
        # Raised in a worker process, it is pickled back with its location.
        return type(self), (self.message, self.location)

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}error [{self.slug}] {self.message}"


class ContentError(ReportError):
    """A content or template file that cannot be rendered (syntax, an undefined name)."""

    slug = "content"


class BuildError(ReportError):
    """The site generator failed on otherwise valid input."""

    slug = "build"


class FrozenError(ReportError):
    """A build would change the pages of a frozen edition."""

    slug = "frozen"
