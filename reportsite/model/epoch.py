"""The build's clock, `SOURCE_DATE_EPOCH`: never the wall clock, so the same input gives the same
bytes. The user may set it; otherwise a build takes 00:00 UTC on the first day of the newest
edition's publication month, a date that is part of the data, and an edition's PDF its own
edition's (`write/pdf.py`)."""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from reportsite.model.errors import BuildError
from reportsite.model.records import Archive, quote

NAME = "SOURCE_DATE_EPOCH"
MAX = 253402300799
"""9999-12-31 23:59:59 UTC: the last second a date can hold (a later epoch is refused)."""


def given() -> int | None:
    """The user's `SOURCE_DATE_EPOCH`, or None when unset; `BuildError` when it is no such time."""
    value = os.environ.get(NAME)
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", value) or int(value) > MAX:
        raise BuildError.of("epoch-bad", value=repr(quote(value)))
    return int(value)


def of_build(archive: Archive, user: int | None) -> int:
    """The epoch of a build: the user's, else the newest edition's publication month."""
    if user is not None:
        return user
    year, month = map(int, max(e.published for e in archive.editions).split("-"))
    return calendar.timegm((year, month, 1, 0, 0, 0))


@contextmanager
def set_to(seconds: int) -> Iterator[None]:
    """`SOURCE_DATE_EPOCH` set to `seconds` while inside (MkDocs, fontTools and the worker
    processes read it), the process's own value back after."""
    before = os.environ.get(NAME)
    os.environ[NAME] = str(seconds)
    try:
        yield
    finally:
        if before is None:
            del os.environ[NAME]
        else:
            os.environ[NAME] = before
