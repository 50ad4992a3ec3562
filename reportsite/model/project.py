"""Where things are: the tool's own files (the package, its assets and print files, the templates)
and a project's folders (`Project`)."""

from __future__ import annotations

import os
from dataclasses import dataclass

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The `reportsite` package folder."""
TOOL = os.path.dirname(PACKAGE)
"""The folder holding the package and `templates/`."""
TEMPLATES = os.path.join(TOOL, "templates")
ASSETS = os.path.join(PACKAGE, "assets")
"""Our CSS and JavaScript, and the vendored plotly.js, copied into every edition."""
PRINT = os.path.join(PACKAGE, "print")
"""The PDF's stylesheet and vendored font."""

STATE = ".reportsite"
"""The tool's own folder in a project (beside the data folder): the lock, the PDF cache, import
backups; git-ignored, never content."""


@dataclass(frozen=True)
class Project:
    """Every path of one run: the project's folders as the user named them (or their defaults)."""

    data: str
    """The data folder (`data/`)."""
    content: str
    """The narrative's folder (default: `content/` beside the data folder)."""
    frozen: str
    """Stored pages of frozen editions (default: `frozen/` beside the data folder)."""
    config: str = "mkdocs.yml"
    """The settings file."""
    content_given: bool = False
    """Whether `content` was named by the user (then it must exist)."""

    @classmethod
    def at(cls, data: str = "data", content: str | None = None, frozen: str | None = None,
           config: str = "mkdocs.yml") -> "Project":
        """The project whose data folder is `data`; the other folders beside it unless named."""
        root = os.path.dirname(os.path.abspath(data))
        return cls(data, content or os.path.join(root, "content"), frozen or os.path.join(root, "frozen"),
                   config, content is not None)

    @property
    def root(self) -> str:
        """The folder holding the data folder: the project."""
        return os.path.dirname(os.path.abspath(self.data))

    @property
    def state(self) -> str:
        """The tool's own folder in the project (`.reportsite/`)."""
        return os.path.join(self.root, STATE)

    @property
    def cache(self) -> str:
        """Where finished PDFs are kept between builds."""
        return os.path.join(self.state, "cache")

    def edition_content(self, edition_id: str) -> str:
        """An edition's narrative folder."""
        return os.path.join(self.content, edition_id)
