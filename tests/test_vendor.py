"""Tests for the vendored plotly.js files (no network needed)."""

import hashlib
import json
import re
from pathlib import Path

import pytest

VENDOR_DIR = (
    Path(__file__).resolve().parent.parent / "reportsite" / "assets" / "vendor" / "plotly"
)
MANIFEST = json.loads((VENDOR_DIR / "VENDOR.json").read_text(encoding="utf-8"))["files"]

REQUIRED_FIELDS = {"package", "version", "path", "integrity", "sha256", "bytes", "gzip_bytes"}


def test_manifest_lists_the_expected_files():
    assert set(MANIFEST) == {"plotly-basic.min.js", "plotly-locale-zh-cn.js", "LICENSE"}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_entry_is_complete(name):
    entry = MANIFEST[name]
    assert REQUIRED_FIELDS <= set(entry)
    assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"])
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", entry["integrity"])
    assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_file_matches_manifest(name):
    data = (VENDOR_DIR / name).read_bytes()
    assert len(data) == MANIFEST[name]["bytes"]
    assert hashlib.sha256(data).hexdigest() == MANIFEST[name]["sha256"]


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
