#!/usr/bin/env python3
"""The weight of site search across an archive: every edition's index, as the browser loads them
all on the first keystroke, raw and gzipped (level 9), for a synthetic archive.

    python bench/search_index.py [--editions 20] [--alliances 300]

The target (issue 24): at most 300 KB gzip in all for the 20-edition, 300-alliance archive.
Measured in December 2026: 240 KB (1.7 MB raw); the indexes as they were, every page's whole
text with its tables: 539 KB.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from synth import write_archive  # noqa: E402

from reportsite.read.check import check_archive  # noqa: E402
from reportsite.render import search  # noqa: E402
from reportsite.render.pages import edition_pages  # noqa: E402


def index_weight(editions: int, alliances: int) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of every edition's `search-index.js` of a synthetic archive."""
    with tempfile.TemporaryDirectory() as out:
        write_archive(out, editions, alliances)
        archive, _ = check_archive(os.path.join(out, "data"))
        texts = [search.index_script(edition_pages(archive, e, os.path.join(out, "content", e.id))).encode("utf-8")
                 for e in archive.editions]
    return sum(len(t) for t in texts), sum(len(gzip.compress(t, 9)) for t in texts)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--editions", type=int, default=20)
    ap.add_argument("--alliances", type=int, default=300)
    args = ap.parse_args(argv)
    raw, packed = index_weight(args.editions, args.alliances)
    print(f"{args.editions} editions x {args.alliances} alliances: {raw / 1e3:.0f} KB raw, {packed / 1e3:.0f} KB gzip "
          f"({'within' if packed <= 300_000 else 'over'} the 300 KB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
