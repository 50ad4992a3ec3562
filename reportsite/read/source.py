"""Where the reader's files come from: the disk, with an overlay of planned files in front of it.

`import` checks the data as it would be after the import by giving the checker the files it plans
to write as an overlay (path -> text), so nothing is copied or written to check them.
"""

from __future__ import annotations

import os

from reportsite.model.files import NotAFile, TooLarge, plain_file

__all__ = ["DISK", "MAX_FILE_BYTES", "NotAFile", "Source", "TooLarge"]

MAX_FILE_BYTES = 1024 * 1024
"""The largest data file read (the registry of 1,000 alliances is about 100 KB; a 2 MB YAML file
takes PyYAML seconds to read)."""


class Source:
    """The files as the reader sees them: `overlay` (by path) in front of the disk."""

    def __init__(self, overlay: dict[str, str] | None = None):
        self.overlay = {os.path.abspath(path): text for path, text in (overlay or {}).items()}
        """Planned files' text, by absolute path."""

    def read(self, path: str) -> bytes:
        """The file's bytes (an overlaid file as UTF-8); `OSError` as `open` raises it, `NotAFile` for
        a named pipe or device (never opened), `TooLarge` for a file over `MAX_FILE_BYTES`."""
        planned = self.overlay.get(os.path.abspath(path))
        if planned is not None:
            return planned.encode("utf-8")
        plain_file(path, MAX_FILE_BYTES)
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)

    def exists(self, path: str) -> bool:
        """Whether the file or folder exists (or is planned)."""
        return os.path.abspath(path) in self.overlay or os.path.exists(path) or self.is_dir(path)

    def is_dir(self, path: str) -> bool:
        """Whether `path` is a folder on disk or holds a planned file."""
        folder = os.path.abspath(path) + os.sep
        return os.path.isdir(path) or any(p.startswith(folder) for p in self.overlay)

    def names(self, folder: str) -> list[str]:
        """The entries of `folder`, planned ones included, sorted; `OSError` when there is no such
        folder."""
        planned = {os.path.relpath(p, os.path.abspath(folder)).split(os.sep)[0] for p in self.overlay
                   if p.startswith(os.path.abspath(folder) + os.sep)}
        try:
            found = set(os.listdir(folder))
        except OSError:
            if not planned:
                raise
            found = set()
        return sorted(found | planned)


DISK = Source()
"""The disk alone."""
