"""Words the tool adds around the report's text, marked `data-chrome` (the ranking's movements, an
alliance's rank history): not what a reader reads in the edition. A frozen edition's fingerprint
(`search.reader_text`) and the pages an alliance page says mention it leave them out, so adding
them never changes a frozen edition (docs/data.md, *Frozen editions and site-wide changes*)."""

from __future__ import annotations

import re

CHROME = re.compile(r"<(span|p|div)\b[^>]*\bdata-chrome\b[^>]*>.*?</\1\s*>", re.DOTALL)
"""An element the tool adds, with what is inside it (a `div` holds no other `div`)."""


def without_chrome(text: str) -> str:
    """`text` without the elements marked `data-chrome`."""
    return CHROME.sub("", text) if "data-chrome" in text else text
