"""The one way our code writes a file: whole or not at all; and how it looks at a file before
reading it (`plain_file()`: a named pipe would make a read wait forever).

Every file a command writes goes through `write()`: the bytes go to a temporary file beside the
target, which is renamed over it once complete, so a reader (or a build killed midway) never sees
half a file, and text is always UTF-8 with `\\n` line ends whatever the system's defaults.
"""

from __future__ import annotations

import errno
import os
import stat


class NotAFile(OSError):
    """A path that names a named pipe, a device or a socket: reading it could wait forever."""


class TooLarge(OSError):
    """A file over the size a reader accepts, left unread (its size is the argument)."""


def plain_file(path: str, limit: int | None = None) -> None:
    """Raise `NotAFile` unless `path` is a regular file (followed through links; a folder is
    `IsADirectoryError`, as `open` says), `TooLarge` when it
    holds more than `limit` bytes, `OSError` when it cannot be looked at; nothing is opened."""
    found = os.stat(path)
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if not stat.S_ISREG(found.st_mode):
        raise NotAFile(path)
    if limit is not None and found.st_size > limit:
        raise TooLarge(found.st_size)


def _beside(path: str, data: str | bytes) -> str:
    """`data` (text encoded as UTF-8) written whole to a part file beside `path`, its folder made
    when missing; the part file's path. The caller puts it in place and removes what is left."""
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    part = f"{path}.{os.getpid()}.part"
    with open(part, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return part


def write(path: str, data: str | bytes) -> None:
    """Write `data` (text is encoded as UTF-8) to `path`, making its folder when missing."""
    part = f"{path}.{os.getpid()}.part"
    try:
        os.replace(_beside(path, data), path)
    finally:
        if os.path.lexists(part):
            os.remove(part)


def create(path: str, data: str | bytes) -> None:
    """Write `data` to `path` only if no file is there, whole or not at all: written beside it,
    then linked into place (a link fails, atomically, when the name is taken meanwhile, raising
    `FileExistsError`), so a kill never leaves half a file and nothing is ever replaced."""
    part = f"{path}.{os.getpid()}.part"
    try:
        _beside(path, data)
        try:
            os.link(part, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: create exclusively, then fill
            with open(path, "xb") as f, open(part, "rb") as written:
                f.write(written.read())
    finally:
        if os.path.lexists(part):
            os.remove(part)


def copy(source: str, path: str) -> None:
    """Copy the file `source` to `path` as `write()` writes."""
    with open(source, "rb") as f:
        write(path, f.read())
