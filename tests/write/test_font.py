"""The PDF's vendored font: provenance, checksums, license and coverage (no network needed)."""

import json

import pytest
from conftest import ROOT
from test_vendor import check_file, check_pinned, fetch_vendor

FONTS = ROOT / "reportsite" / "print" / "fonts"
MANIFEST = json.loads((FONTS / "VENDOR.json").read_text(encoding="utf-8"))["files"]
FACES = ("NotoSerifSC-Regular.woff", "NotoSerifSC-Bold.woff", "NotoSansSC-Medium.woff")
FAMILIES = {"NotoSerifSC": "Noto Serif SC", "NotoSansSC": "Noto Sans SC"}
PACKAGES = {"NotoSerifSC-Regular.woff": "@expo-google-fonts/noto-serif-sc",
            "NotoSerifSC-Bold.woff": "@expo-google-fonts/noto-serif-sc",
            "OFL.txt": "@expo-google-fonts/noto-serif-sc",
            "NotoSansSC-Medium.woff": "@expo-google-fonts/noto-sans-sc",
            "OFL-NotoSansSC.txt": "@expo-google-fonts/noto-sans-sc"}


def test_manifest_lists_the_faces_and_their_licenses():
    """The 宋体-style serif of the body and the 黑体-style sans of headings, each with the licence
    of its own package."""
    assert set(MANIFEST) == {*FACES, "OFL.txt", "OFL-NotoSansSC.txt"}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_entry_is_pinned(name):
    entry = MANIFEST[name]
    assert entry["package"] == PACKAGES[name]
    check_pinned(entry)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_file_matches_manifest(name):
    check_file(FONTS, MANIFEST[name], name)


@pytest.mark.parametrize("name", ["OFL.txt", "OFL-NotoSansSC.txt"])
def test_license_is_the_ofl(name):
    text = (FONTS / name).read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text


@pytest.mark.parametrize("name", FACES)
def test_face_is_a_small_subset_covering_gb2312(name):
    from fontTools.ttLib import TTFont

    assert MANIFEST[name]["bytes"] < 2_000_000, "subset to GB 2312 and the report's characters"
    font = TTFont(FONTS / name)
    assert font.flavor == "woff"
    covered = font.getBestCmap()
    missing = [c for c in fetch_vendor().gb2312() if ord(c) not in covered]
    assert not missing, "".join(missing[:20])
    assert font["name"].getDebugName(1).startswith(FAMILIES[name.split("-")[0]])


@pytest.mark.parametrize("name", FACES)
def test_face_covers_the_recorded_characters(name):
    """`characters.txt`: what the last fetch added to GB 2312, and what `--check` subsets to."""
    from fontTools.ttLib import TTFont

    covered = TTFont(FONTS / name).getBestCmap()
    recorded = (FONTS / "characters.txt").read_text(encoding="utf-8").rstrip("\n")
    assert len(recorded) > 50
    assert [c for c in recorded if ord(c) not in covered] == []


@pytest.mark.parametrize("name", FACES)
def test_every_character_of_the_report_is_in_the_font(name):
    """Text added since the font was subset: re-run `python scripts/fetch_vendor.py`."""
    from fontTools.ttLib import TTFont

    covered = TTFont(FONTS / name).getBestCmap()
    wanted = fetch_vendor().report_characters(("content", "data", "templates"))
    missing = sorted(c for c in wanted if ord(c) not in covered and not c.isspace())
    assert not missing, "".join(missing)
