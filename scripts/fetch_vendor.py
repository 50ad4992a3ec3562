#!/usr/bin/env python3
"""Fetch the vendored plotly.js front-end files from the npm registry.

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


def fetch_all(workdir):
    """Fetch every pinned file; return {name: bytes} and {name: manifest entry}."""
    tarballs = {}
    contents = {}
    entries = {}
    for name, pin in PINS.items():
        spec = f"{pin['package']}@{pin['version']}"
        if spec not in tarballs:
            tarballs[spec] = fetch_tarball(spec, workdir)
        tarball, integrity = tarballs[spec]
        shipped = extract(tarball, pin["path"])
        data = patch(name, shipped)
        contents[name] = data
        entries[name] = {
            **pin,
            "integrity": integrity,
            "npm_sha256": hashlib.sha256(shipped).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "gzip_bytes": len(gzip.compress(data, compresslevel=9, mtime=0)),
        }
    return contents, entries


def write(contents, entries):
    """Write the vendored files and VENDOR.json."""
    DEST.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (DEST / name).write_bytes(data)
    manifest = json.dumps({"files": entries}, indent=2, sort_keys=True) + "\n"
    MANIFEST.write_text(manifest, encoding="utf-8")
    for name, entry in sorted(entries.items()):
        print(f"wrote {name}: {entry['bytes']} bytes, {entry['gzip_bytes']} gzipped")


def check(contents, entries):
    """Compare fetched files with VENDOR.json and the files on disk.

    Returns the list of problems found (empty when everything matches).
    """
    recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]
    problems = []
    for name in sorted(set(recorded) ^ set(entries)):
        problems.append(f"{name}: listed in only one of PINS and VENDOR.json")
    for name in sorted(set(recorded) & set(entries)):
        for field in CHECKED_FIELDS:
            if recorded[name].get(field) != entries[name][field]:
                problems.append(
                    f"{name}: {field} is {recorded[name].get(field)!r} in VENDOR.json, "
                    f"{entries[name][field]!r} fetched"
                )
        on_disk = DEST / name
        if not on_disk.is_file() or on_disk.read_bytes() != contents[name]:
            problems.append(f"{name}: file on disk differs from the fetched one")
    return problems


def main():
    """Parse arguments, fetch the pinned files, then write or check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="re-fetch into a temporary directory and compare with VENDOR.json",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fetch_vendor-") as workdir:
        contents, entries = fetch_all(workdir)
    if not args.check:
        write(contents, entries)
        return 0
    problems = check(contents, entries)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(entries)} vendored files match VENDOR.json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
