"""Tests for the vendored plotly.js files (no network needed)."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

VENDOR_DIR = (
    ROOT / "reportsite" / "assets" / "vendor" / "plotly"
)
MANIFEST = json.loads((VENDOR_DIR / "VENDOR.json").read_text(encoding="utf-8"))["files"]

REQUIRED_FIELDS = {"package", "version", "path", "integrity", "npm_sha256", "sha256", "bytes", "gzip_bytes"}


def test_manifest_lists_the_expected_files():
    assert set(MANIFEST) == {"plotly-basic.min.js", "plotly-locale-zh-cn.js", "LICENSE"}


def check_pinned(entry: dict) -> None:
    """A VENDOR.json entry pins an exact version with npm's integrity and both checksums."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"])
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", entry["integrity"])
    assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", entry["npm_sha256"])


def check_file(folder: Path, entry: dict, name: str) -> None:
    """The vendored file has the size and sha256 its entry records."""
    data = (folder / name).read_bytes()
    assert len(data) == entry["bytes"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_entry_is_complete(name):
    entry = MANIFEST[name]
    assert REQUIRED_FIELDS <= set(entry)
    check_pinned(entry)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_file_matches_manifest(name):
    check_file(VENDOR_DIR, MANIFEST[name], name)


def test_license_is_plotly_mit():
    text = (VENDOR_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text
    assert "Plotly" in text


def test_bundle_header_names_the_manifest_version():
    head = (VENDOR_DIR / "plotly-basic.min.js").read_text(encoding="utf-8")[:200]
    match = re.match(r"/\*\*\s*\*\s*plotly\.js \(basic - minified\) v(\S+)\n", head)
    assert match, head
    assert match.group(1) == MANIFEST["plotly-basic.min.js"]["version"]


def test_locale_matches_bundle_version():
    assert (
        MANIFEST["plotly-locale-zh-cn.js"]["version"]
        == MANIFEST["plotly-basic.min.js"]["version"]
    )


def test_locale_registers_zh_cn_in_a_plain_script():
    text = (VENDOR_DIR / "plotly-locale-zh-cn.js").read_text(encoding="utf-8")
    assert 'moduleType:"locale",name:"zh-CN"' in text
    assert "Plotly.register(locale)" in text
    assert "module.exports" not in text


def fetch_vendor():
    import importlib.util

    path = VENDOR_DIR.parent.parent.parent.parent / "scripts" / "fetch_vendor.py"
    spec = importlib.util.spec_from_file_location("fetch_vendor", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_reversing_the_patches_gives_npms_bytes(name):
    """The vendored file is npm's file with exactly the listed patches: undone, its sha256 is the
    one recorded from the npm tarball."""
    data = (VENDOR_DIR / name).read_bytes()
    for before, after in fetch_vendor().PATCHES.get(name, []):
        assert data.count(after) == 1 and before not in data
        data = data.replace(after, before)
    assert hashlib.sha256(data).hexdigest() == MANIFEST[name]["npm_sha256"]


def test_no_default_points_at_another_host():
    """No plotly option left at its default can make the browser contact another host."""
    text = (VENDOR_DIR / "plotly-basic.min.js").read_text(encoding="utf-8")
    assert not re.findall(r'dflt:"(?:https?:)?//', text)
    assert "cdn.plot.ly" not in text and "cloud.plotly.com" not in text
    assert fetch_vendor().PATCHES["plotly-basic.min.js"], "the patches are listed"
