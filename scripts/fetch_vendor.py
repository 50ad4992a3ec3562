#!/usr/bin/env python3
"""Fetch the vendored plotly.js front-end files and the PDF's fonts from the npm registry.

The generated site must not load anything from a CDN, so the plotly.js
bundle and its zh-CN locale are copied into the package under
``reportsite/assets/vendor/plotly/``.  This script is for maintainers only:
building a site never runs it and never needs npm.

For every entry in ``PINS`` the script runs ``npm pack NAME@VERSION``,
checks the tarball against the ``dist.integrity`` that ``npm view`` reports
(sha512, base64), extracts the named file, applies the byte patches in
``PATCHES`` (each must match exactly once) and records its provenance, the
sha256 of the file as npm ships it (``npm_sha256``) and as vendored
(``sha256``), its size and gzip size (level 9, Python's ``gzip`` module,
mtime 0) in ``VENDOR.json``.

The patches take out the two addresses of other hosts that plotly.js carries
as defaults, so that no option left at its default can make a reader's
browser contact them: ``topojsonURL`` (the CDN folder map traces would fetch
their maps from; the basic bundle has no map traces) and ``plotlyServerURL``
(Chart Studio, for the "edit chart" link we never show). Nothing else changes;
reversing the patches gives back npm's bytes, which the tests check offline.

The PDF's fonts (``reportsite/print/fonts/``) are Noto Serif SC from the
``@expo-google-fonts/noto-serif-sc`` package (Google Fonts' files, SIL Open
Font License 1.1), Regular and Bold, and Noto Sans SC Medium from
``@expo-google-fonts/noto-sans-sc`` (the same licence) for headings, each subset with fontTools to GB 2312 plus
every character of the report's own text (``content/``, ``data/``,
``examples/``, ``templates/`` and the package's sources), saved as WOFF (zlib:
WeasyPrint opens it in a blink, where WOFF2 takes seconds).  Its
``VENDOR.json`` records npm's sha256 of each whole font and the sha256 of the
subset; the subset keeps the font's own date, so it is the same bytes for the
same font and fontTools.
The characters beyond GB 2312 are kept in ``characters.txt`` beside the font;
``--check`` subsets to exactly those.  Re-run the script (without ``--check``)
after adding text with a character outside them (``tests/write/test_font.py`` says
which).

Usage::

    python scripts/fetch_vendor.py          # (re)write the vendored files
    python scripts/fetch_vendor.py --check  # re-fetch and compare, write nothing

``--check`` exits with status 1 if a fetched file, its package, version,
path or tarball integrity differs from ``VENDOR.json``, or if a vendored
file on disk differs from the fetched one.
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Vendored file name -> npm package, exact version and path inside the package.
# The locale comes from the full plotly.js package: its dist/ locale is a
# browser-ready script that calls Plotly.register() when loaded after the
# bundle, and it matches the bundle's version.  (zh-cn.js in the separate
# plotly.js-locales package is a CommonJS module, which fails in a plain
# <script> tag, and that package has no 4.x release.)
PINS = {
    "plotly-basic.min.js": {
        "package": "plotly.js-basic-dist-min",
        "version": "4.1.1",
        "path": "plotly-basic.min.js",
    },
    "plotly-locale-zh-cn.js": {
        "package": "plotly.js",
        "version": "4.1.1",
        "path": "dist/plotly-locale-zh-cn.js",
    },
    "LICENSE": {
        "package": "plotly.js-basic-dist-min",
        "version": "4.1.1",
        "path": "LICENSE",
    },
}

# Vendored file name -> (bytes as npm ships them, bytes as vendored), each pair
# found exactly once in the file.
PATCHES = {
    "plotly-basic.min.js": [
        (b'topojsonURL:{valType:"string",noBlank:!0,dflt:"https://cdn.plot.ly/un/"}',
         b'topojsonURL:{valType:"string",noBlank:!0,dflt:""}'),
        (b'plotlyServerURL:{valType:"string",dflt:"https://cloud.plotly.com/newchart"}',
         b'plotlyServerURL:{valType:"string",dflt:""}'),
    ],
}

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "reportsite" / "assets" / "vendor" / "plotly"
MANIFEST = DEST / "VENDOR.json"

# Fields of a VENDOR.json entry that --check compares.  The gzip size is left
# out because it depends on the zlib build, not on the vendored bytes.
CHECKED_FIELDS = ("package", "version", "path", "integrity", "npm_sha256", "sha256", "bytes")


FONT_DEST = ROOT / "reportsite" / "print" / "fonts"
FONT_MANIFEST = FONT_DEST / "VENDOR.json"
# The characters beyond GB 2312 the subset holds, as written by the last fetch: --check subsets
# to exactly these, so it tells a changed font apart from text added since.
FONT_CHARACTERS = FONT_DEST / "characters.txt"

# Vendored font file -> npm package, exact version and path inside the package; "subset" marks
# a font subset to GB 2312 and the report's own characters.
FONT_PINS = {
    "NotoSerifSC-Regular.woff": {
        "package": "@expo-google-fonts/noto-serif-sc",
        "version": "0.4.3",
        "path": "400Regular/NotoSerifSC_400Regular.ttf",
        "subset": True,
    },
    "NotoSerifSC-Bold.woff": {
        "package": "@expo-google-fonts/noto-serif-sc",
        "version": "0.4.3",
        "path": "700Bold/NotoSerifSC_700Bold.ttf",
        "subset": True,
    },
    "OFL.txt": {
        "package": "@expo-google-fonts/noto-serif-sc",
        "version": "0.4.3",
        "path": "LICENSE_FONT",
    },
    # The 黑体-style face of headings, the cover and the contents' chapter lines (GB/T 9704 sets
    # titles in 黑体 or 小标宋 and the body in 仿宋/宋体): Noto Sans SC Medium, the weight nearest
    # SimHei's colour beside the serif's Regular.
    "NotoSansSC-Medium.woff": {
        "package": "@expo-google-fonts/noto-sans-sc",
        "version": "0.4.3",
        "path": "500Medium/NotoSansSC_500Medium.ttf",
        "subset": True,
    },
    "OFL-NotoSansSC.txt": {
        "package": "@expo-google-fonts/noto-sans-sc",
        "version": "0.4.3",
        "path": "LICENSE_FONT",
    },
}

# The report's own text, scanned for characters beyond GB 2312 (names, symbols, punctuation).
TEXT_FOLDERS = ("content", "data", "examples", "templates", "reportsite")
TEXT_SUFFIXES = (".md", ".yaml", ".yml", ".j2", ".html", ".py", ".txt")
# Characters the PDF draws that no text file holds (list markers: disc, circle, square), and
# punctuation and signs a writer may type next: Noto Serif SC's general punctuation, the minus
# sign and arrows.
MARKERS = "\u2022\u25e6\u25aa" + "‐‑‒–—―‖‘’‚“”„†‡‥…‧‰′″‵‹›※‼⁂⁇⁈⁉⁑" + "\u2212←↑→↓"


def gb2312():
    """Every character of GB 2312 (its 94 x 94 double-byte table)."""
    out = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                out.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def report_characters(folders=TEXT_FOLDERS):
    """Every character in the report's text files under ``folders``, plus printable ASCII and
    Latin-1."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            # The font's own folder (its license, the last character list) is not report text.
            if path.suffix in TEXT_SUFFIXES and path.is_file() and FONT_DEST not in path.parents:
                chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if c.isprintable() or c == "\u3000"} | set(MARKERS)


def subset_font(data, chars):
    """``data`` (a TrueType font) subset to ``chars`` as WOFF, without hinting."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    # The subset keeps the font's own date, so the same font gives the same bytes on every run.
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def npm(*args):
    """Run npm with the given arguments and return its parsed JSON output."""
    result = subprocess.run(
        ["npm", *args, "--json"], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def fetch_tarball(spec, workdir):
    """Download the tarball of ``spec`` (NAME@VERSION) into ``workdir``.

    Returns the tarball path and the registry's ``dist.integrity`` after
    checking that the tarball's sha512 matches it.
    """
    integrity = npm("view", spec, "dist.integrity")
    packed = npm("pack", spec, "--pack-destination", str(workdir), "--ignore-scripts")
    tarball = Path(workdir) / packed[0]["filename"]
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"{spec}: unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{spec}: tarball sha512 {actual} != dist.integrity {expected}")
    return tarball, integrity


def extract(tarball, path):
    """Return the bytes of ``package/PATH`` inside an npm tarball."""
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(f"package/{path}")
        if member is None:
            raise SystemExit(f"{tarball.name}: package/{path} is not a regular file")
        return member.read()


def patch(name, data):
    """``data`` with the patches of ``PATCHES[name]`` applied, each exactly once."""
    for before, after in PATCHES.get(name, []):
        if data.count(before) != 1:
            raise SystemExit(f"{name}: expected {before!r} once, found it {data.count(before)} times")
        data = data.replace(before, after)
    return data


def transform(name, data, chars):
    """The vendored bytes of ``name``: a font subset to ``chars``, else npm's bytes patched."""
    if name in FONT_PINS and FONT_PINS[name].get("subset"):
        return subset_font(data, chars)
    return patch(name, data)


def fetch_all(workdir, pins, chars=frozenset()):
    """Fetch every file of ``pins``; return {name: bytes} and {name: manifest entry}."""
    tarballs = {}
    contents = {}
    entries = {}
    for name, pin in pins.items():
        spec = f"{pin['package']}@{pin['version']}"
        if spec not in tarballs:
            tarballs[spec] = fetch_tarball(spec, workdir)
        tarball, integrity = tarballs[spec]
        shipped = extract(tarball, pin["path"])
        data = transform(name, shipped, chars)
        contents[name] = data
        entries[name] = {
            **pin,
            "integrity": integrity,
            "npm_sha256": hashlib.sha256(shipped).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "gzip_bytes": len(gzip.compress(data, compresslevel=9, mtime=0)),
        }
        if pin.get("subset"):
            entries[name]["characters"] = len(chars)
    return contents, entries


def write(contents, entries, dest, manifest_path):
    """Write the vendored files of one group and its VENDOR.json."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (dest / name).write_bytes(data)
    manifest = json.dumps({"files": entries}, indent=2, sort_keys=True) + "\n"
    manifest_path.write_text(manifest, encoding="utf-8")
    for name, entry in sorted(entries.items()):
        print(f"wrote {name}: {entry['bytes']} bytes, {entry['gzip_bytes']} gzipped")


def check(contents, entries, dest, manifest_path):
    """Compare fetched files with VENDOR.json and the files on disk.

    Returns the list of problems found (empty when everything matches).
    """
    recorded = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    problems = []
    for name in sorted(set(recorded) ^ set(entries)):
        problems.append(f"{name}: listed in only one of the pins and VENDOR.json")
    for name in sorted(set(recorded) & set(entries)):
        for field in CHECKED_FIELDS:
            if recorded[name].get(field) != entries[name][field]:
                problems.append(
                    f"{name}: {field} is {recorded[name].get(field)!r} in VENDOR.json, "
                    f"{entries[name][field]!r} fetched"
                )
        on_disk = dest / name
        if not on_disk.is_file() or on_disk.read_bytes() != contents[name]:
            problems.append(f"{name}: file on disk differs from the fetched one")
    return problems


GROUPS = ((PINS, DEST, MANIFEST), (FONT_PINS, FONT_DEST, FONT_MANIFEST))
"""Each group of vendored files: its pins, its folder, its VENDOR.json."""


def main():
    """Parse arguments, fetch the pinned files, then write or check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="re-fetch into a temporary directory and compare with VENDOR.json",
    )
    args = parser.parse_args()
    table = gb2312()
    if args.check:
        chars = table | set(FONT_CHARACTERS.read_text(encoding="utf-8").rstrip("\n"))
    else:
        chars = table | report_characters()
        FONT_CHARACTERS.write_text("".join(sorted(chars - table)) + "\n", encoding="utf-8")
    problems = []
    count = 0
    for pins, dest, manifest_path in GROUPS:
        with tempfile.TemporaryDirectory(prefix="fetch_vendor-") as workdir:
            contents, entries = fetch_all(workdir, pins, chars)
        count += len(entries)
        if args.check:
            problems += check(contents, entries, dest, manifest_path)
        else:
            write(contents, entries, dest, manifest_path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check and not problems:
        print(f"{count} vendored files match VENDOR.json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
