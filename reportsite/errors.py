"""The exceptions the command line prints as one line; anything else is a bug with a traceback."""

from __future__ import annotations

from .messages import DEFAULT_LANG, Message, message, text


class ReportError(Exception):
    """Base: a problem the user can fix, with a location when there is one.

    Raise it with a catalogue slug and parameters, `BuildError.of("out-not-ours", path, path=p)`,
    or (older code) with an English sentence, `BuildError("...", path)`.
    """

    slug = "error"

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


class ContentError(ReportError):
    """A content or template file that cannot be rendered (syntax, an undefined name)."""

    slug = "content"


class BuildError(ReportError):
    """The site generator failed on otherwise valid input."""

    slug = "build"


class FrozenError(ReportError):
    """A build would change the pages of a frozen edition."""

    slug = "frozen"
