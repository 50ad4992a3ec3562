"""`build.py package`: the built site as a deterministic zip with a manifest, a sitemap with a base
address, and the root 404 page."""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
import zipfile

import pytest
from conftest import run_build

from reportsite.build.freeze import tree_hashes

BASE = "https://www.most.gov.cn/kjbgz/"
EDITION = "2020-2021"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def package(site: str, zip_path, *extra: str, env: dict | None = None) -> zipfile.ZipFile:
    # The repository cannot know the ministry's identifiers: its packages are drafts.
    run = run_build("package", "--lang", "en", "--draft", "--out", site, "--zip", str(zip_path), *extra, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("packaged "), run.stdout
    return zipfile.ZipFile(zip_path)


def contents(zf: zipfile.ZipFile) -> dict[str, str]:
    """sha256 of every entry, by name."""
    return {name: hashlib.sha256(zf.read(name)).hexdigest() for name in zf.namelist()}


@pytest.fixture(scope="module")
def plain(built_site, tmp_path_factory) -> zipfile.ZipFile:
    return package(built_site, tmp_path_factory.mktemp("zip") / "site.zip")


@pytest.fixture(scope="module")
def based(built_site, tmp_path_factory) -> zipfile.ZipFile:
    return package(built_site, tmp_path_factory.mktemp("zip") / "site.zip", "--base-url", BASE)


def test_the_zip_holds_the_site_and_its_manifest(built_site, plain, tmp_path):
    plain.extractall(tmp_path)
    unpacked = tree_hashes(str(tmp_path))
    assert unpacked.pop("manifest.json")
    site = tree_hashes(built_site)
    review = site.pop(f"{EDITION}/{EDITION}-report.docx")
    assert unpacked == site, "everything but the Word copy for review"
    assert plain.namelist() == sorted(plain.namelist()), "entries in sorted order"
    beside = os.path.join(os.path.dirname(plain.filename), "site-review", f"{EDITION}-report.docx")
    with open(beside, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == review, "the Word copy goes beside the zip"


def test_the_manifest_lists_every_other_entry_with_its_size_and_sha256(plain, based):
    for zf in (plain, based):
        manifest = json.loads(zf.read("manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        assert sorted(listed) == sorted(n for n in zf.namelist() if n != "manifest.json")
        for name, entry in listed.items():
            data = zf.read(name)
            assert (entry["size"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest()), name
        assert manifest["total_files"] == len(listed)
        assert manifest["total_size"] == sum(f["size"] for f in listed.values())
    assert json.loads(based.read("manifest.json"))["base_url"] == BASE


def test_two_packages_are_byte_identical_with_fixed_times_and_permissions(built_site, plain, tmp_path):
    again = package(built_site, tmp_path / "again.zip")
    with open(plain.filename, "rb") as a, open(again.filename, "rb") as b:
        assert a.read() == b.read()
    assert {(i.date_time, i.external_attr >> 16, i.create_system) for i in plain.infolist()} == {
        ((1980, 1, 1, 0, 0, 0), 0o100644, 3)}
    size = os.path.getsize(plain.filename)
    print(f"package: {len(plain.namelist())} entries, {size / 1e6:.2f} MB")


def test_entries_carry_source_date_epoch_when_set(built_site, tmp_path):
    stamped = package(built_site, tmp_path / "stamped.zip",
                      env={**os.environ, "SOURCE_DATE_EPOCH": "1643673600"})  # 2022-02-01 00:00 UTC
    assert {i.date_time for i in stamped.infolist()} == {(2022, 2, 1, 0, 0, 0)}


def test_the_sitemap_names_every_page_of_every_edition_and_the_home(built_site, based):
    locs = [u.findtext("s:loc", namespaces=NS) for u in ET.fromstring(based.read("sitemap.xml"))]
    assert locs[0] == BASE + "index.html"
    assert all(loc.startswith(BASE) for loc in locs)
    paths = {loc[len(BASE):] for loc in locs}
    pages = {p for p in tree_hashes(built_site) if p.endswith(".html")}
    assert paths <= pages
    editions = json.loads(open(os.path.join(built_site, "editions.js"), encoding="utf-8").read()
                          .removeprefix("window.REPORT_ARCHIVE = ").rstrip().removesuffix(";"))["editions"]
    for edition in editions:
        expected = {p for p in pages if p.startswith(edition["id"] + "/")}
        assert expected and expected <= paths, edition["id"]
        assert f"{edition['id']}/alliances/110.html" in paths
    assert not any(p.startswith("latest/") or p.endswith("404.html") for p in paths), "no redirects, no 404"


def test_without_a_base_url_there_is_no_sitemap_anywhere(built_site, plain):
    assert not [n for n in plain.namelist() if "sitemap" in n]
    # An edition's own sitemap would have no addresses: MkDocs has no `site_url` there.
    assert not [p for p in tree_hashes(built_site) if "sitemap" in p]


def test_the_root_404_page_is_self_contained_and_links_home(built_site, plain, based):
    html = open(os.path.join(built_site, "404.html"), encoding="utf-8").read()
    assert '<html lang="zh-CN">' in html and "页面未找到" in html
    assert 'href="index.html"' in html and 'href="latest/index.html"' in html
    # Its look, the reading aids and its icon are inline (test_platform checks them); nothing is
    # loaded from a path.
    assert "src=\"" not in html.replace('src="data:', "") and 'href="data:' in html, "no assets to break"
    assert "url(" not in html.replace('url("data:', ""), "no assets to break"
    # Editions have none: theirs would link from the server root (`/index.html`).
    assert [p for p in tree_hashes(built_site) if p.endswith("404.html")] == ["404.html"]
    assert plain.read("404.html").decode("utf-8") == html
    assert f'<head>\n<base href="{BASE}">' in based.read("404.html").decode("utf-8")


@pytest.mark.parametrize("args, message", [
    (["--base-url", "ftp://example.org/"], "error [package] --base-url must be an http:// or https://"),
    (["--out", "no-such-site"], "no-such-site: error [package] no built site here"),
])
def test_a_bad_request_prints_one_line_and_exits_1(built_site, tmp_path, args, message):
    run = run_build("package", "--lang", "en", "--out", built_site, "--zip", str(tmp_path / "x.zip"), *args,
                    cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [run.stderr.strip()] and message in run.stderr, run.stderr
    assert not (tmp_path / "x.zip").exists()
