"""The one way our code writes a file: whole or not at all.

Every file a command writes goes through `write()`: the bytes go to a temporary file beside the
target, which is renamed over it once complete, so a reader (or a build killed midway) never sees
half a file, and text is always UTF-8 with `\\n` line ends whatever the system's defaults.
"""

from __future__ import annotations

import os


def write(path: str, data: str | bytes) -> None:
    """Write `data` (text is encoded as UTF-8) to `path`, making its folder when missing."""
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    part = f"{path}.{os.getpid()}.part"
    try:
        with open(part, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(part, path)
    except BaseException:
        if os.path.lexists(part):
            os.remove(part)
        raise


def copy(source: str, path: str) -> None:
    """Copy the file `source` to `path` as `write()` writes."""
    with open(source, "rb") as f:
        write(path, f.read())
