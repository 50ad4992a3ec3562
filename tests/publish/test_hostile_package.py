"""Hostile sites and requests for `package` (issue 22): what a hand-off fragment keeps of a page
that holds what content may not (a site built by hand or by an older tool), and more below.

Each case asserts the exact outcome: the slug and location of the one error line, or the exact
output, and no traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hostile import failed_with, run

from reportsite.publish.cms import fragment

EDITION_URL = "https://www.most.gov.cn/kjbgz/2020-2021/"


def page(body: str) -> str:
    return f'<html><body><article class="md-content__inner md-typeset">{body}</article></body></html>'


@pytest.mark.parametrize("body, kept", [
    ("<video src=https://evil.example/v.mp4 controls></video>", '<video controls=""></video>'),
    ("<video src=\"https://[::1/v.mp4\"></video>", "<video></video>"),
    ('<video poster="https://evil.example/p.png"><source src="//evil.example/v.mp4"></video>',
     "<video><source></video>"),
    ('<object data="https://evil.example/x.swf"><p>后备</p></object>', ""),
    ('<iframe src="https://evil.example/"></iframe><embed src="https://evil.example/x">', ""),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0">', ""),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
    ('<img srcset="https://evil.example/x.png 2x" src="https://evil.example/x.png" alt="统计">', ""),
    ('<a href="https://[::1/">坏地址</a>', "坏地址"),
    ('<a href="javascript:alert(1)" onclick="alert(1)">链接</a>', "链接"),
    ('<svg><image href="https://evil.example/x.png"/></svg>', "<svg><image /></svg>"),
    ('<p style="background:url(https://evil.example/x.png)">文字</p>', "<p>文字</p>"),
], ids=["video-elsewhere", "video-bad-address", "poster-and-source", "object", "iframe-embed", "base-meta",
        "link", "img-srcset", "bad-ipv6-link", "javascript-link", "svg-image", "style-url"])
@pytest.mark.parametrize("edition_url", [None, EDITION_URL], ids=["no-address", "address"])
def test_a_fragment_keeps_nothing_that_loads_from_elsewhere_and_never_fails(body, kept, edition_url):
    assert fragment(page(body), set(), set(), edition_url) == kept + "\n"


# --- What package reads: the site, and the previous package ------------------------------------

@pytest.fixture
def site(built_site, tmp_path) -> Path:
    """A copy of the default site, to change; the working directory is its parent."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, symlinks=True)
    return copy


def package(cwd: Path, *args: str):
    return run("package", "--draft", "--lang", "en", *args, cwd=cwd, timeout=120)


def test_a_symlink_in_the_site_is_refused_and_never_packed(site, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("SECRET\n", encoding="utf-8")
    (site / "2020-2021" / "leak").symlink_to(tmp_path / "outside", target_is_directory=True)
    line = failed_with(package(tmp_path), "package-link", "site/2020-2021/leak")
    assert "never follows a link" in line
    assert not (tmp_path / "dist" / "site.zip").exists()


def test_a_symlinked_file_in_the_site_is_refused(site, tmp_path):
    (site / "passwd.html").symlink_to("/etc/passwd")
    failed_with(package(tmp_path), "package-link", "site/passwd.html")


def test_a_named_pipe_in_the_site_is_refused_unopened(site, tmp_path):
    os.mkfifo(site / "pipe.html")
    failed_with(package(tmp_path), "package-special", "site/pipe.html")
    assert not (tmp_path / "dist").exists()


def with_manifest(path: Path, manifest: bytes | str, size: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest)
    return path


GOOD_ENTRY = {"path": "index.html", "size": 1, "sha256": "0" * 64}


@pytest.mark.parametrize("manifest, says", [
    (json.dumps({"files": [{"path": "../../etc/passwd", "size": 1, "sha256": "0" * 64}]}),
     'unsafe path "../../etc/passwd"'),
    (json.dumps({"files": [{"path": "/etc/passwd", "size": 1, "sha256": "0" * 64}]}), 'unsafe path "/etc/passwd"'),
    (json.dumps({"files": [{"path": "a\x1b[2Jb", "size": 1, "sha256": "0" * 64}]}), 'unsafe path "a\\x1b[2Jb"'),
    (json.dumps({"files": [{"path": "C:\\x", "size": 1, "sha256": "0" * 64}]}), "unsafe path"),
    (json.dumps([GOOD_ENTRY]), "not shaped as this tool writes it"),
    (json.dumps({"files": {"index.html": "0" * 64}}), "not shaped as this tool writes it"),
    (json.dumps({"files": [{"path": 5, "sha256": "x"}]}), "not shaped as this tool writes it"),
    (json.dumps({"files": [GOOD_ENTRY, "x"]}), "not shaped as this tool writes it"),
    ("{not json", "Expecting property name"),
], ids=["dot-dot", "absolute", "terminal-escape", "drive", "a-list", "a-mapping", "path-number", "entry-text",
        "not-json"])
def test_a_previous_manifest_that_is_forged_or_wrongly_shaped_is_a_located_error(site, tmp_path, manifest, says):
    previous = with_manifest(tmp_path / "old.zip", manifest)
    line = failed_with(package(tmp_path, "--since", "old.zip"), "since-unreadable", "old.zip")
    assert says in line and "\x1b" not in line
    assert not (tmp_path / "dist").exists() and previous.exists()


def test_a_previous_manifest_bomb_is_refused_before_it_is_read(site, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b'{"files": [' + b" " * (40 * 2**20) + b"]}")
    assert bomb.stat().st_size < 200_000
    line = failed_with(package(tmp_path, "--since", "bomb.zip"), "since-unreadable", "bomb.zip")
    assert "unpacks to more than 32 MB" in line


def test_a_previous_package_that_is_a_named_pipe_is_refused_unopened(site, tmp_path):
    os.mkfifo(tmp_path / "old.zip")
    line = failed_with(package(tmp_path, "--since", "old.zip"), "since-unreadable", "old.zip")
    assert "not a plain file" in line


def test_since_makes_dist_when_missing_and_lists_the_changes(site, tmp_path):
    assert package(tmp_path, "--zip", "old/site.zip").returncode == 0
    (site / "extra.html").write_text("<p>新</p>\n", encoding="utf-8")
    result = package(tmp_path, "--since", "old/site.zip")
    assert result.returncode == 0, result.stdout + result.stderr
    listing = (tmp_path / "dist" / "site.changes.txt").read_text(encoding="utf-8")
    assert listing == "A extra.html\n"


# --- package --cms: its folder and zip follow --out's rule ---------------------------------------

def test_cms_keeps_a_folder_that_is_not_ours(site, tmp_path):
    (tmp_path / "dist" / "site-cms").mkdir(parents=True)
    (tmp_path / "dist" / "site-cms" / "我的笔记.docx").write_bytes(b"mine")
    line = failed_with(package(tmp_path, "--cms"), "cms-not-ours", "dist/site-cms")
    assert "no .reportsite marker" in line
    assert (tmp_path / "dist" / "site-cms" / "我的笔记.docx").read_bytes() == b"mine"
    assert not (tmp_path / "dist" / "site.zip").exists()


@pytest.mark.parametrize("zip_content", ["zip", "text"], ids=["a-zip-of-someone-else", "a-text-file"])
def test_cms_keeps_a_zip_that_is_not_ours(site, tmp_path, zip_content):
    target = tmp_path / "dist" / "site-cms.zip"
    target.parent.mkdir()
    if zip_content == "zip":
        with zipfile.ZipFile(target, "w") as zf:
            zf.writestr("报告.docx", b"mine")
    else:
        target.write_bytes(b"mine")
    before = target.read_bytes()
    failed_with(package(tmp_path, "--cms"), "cms-not-ours", "dist/site-cms.zip")
    assert target.read_bytes() == before


def test_cms_replaces_its_own_folder_and_zip(site, tmp_path):
    assert package(tmp_path, "--cms").returncode == 0
    folder = tmp_path / "dist" / "site-cms"
    assert (folder / ".reportsite").is_file()
    with zipfile.ZipFile(tmp_path / "dist" / "site-cms.zip") as zf:
        assert ".reportsite" in zf.namelist()
    (folder / "stale.html").write_text("old\n", encoding="utf-8")
    result = package(tmp_path, "--cms")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (folder / "stale.html").exists()
    assert [p.name for p in tmp_path.joinpath("dist").iterdir() if p.name.startswith(".")] == []


def test_cms_on_a_page_with_a_video_from_elsewhere_does_not_fail(site, tmp_path):
    page = site / "2020-2021" / "preface.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", '<video src=https://evil.example/v.mp4 controls></video>'
                                 '<video src="https://[::1/x.mp4"></video></article>', 1), encoding="utf-8")
    result = package(tmp_path, "--cms", "--base-url", "https://www.most.gov.cn/kjbgz/")
    assert result.returncode == 0, result.stdout + result.stderr
    fragment_text = (tmp_path / "dist" / "site-cms" / "2020-2021" / "preface.html").read_text(encoding="utf-8")
    assert "evil.example" not in fragment_text and "[::1" not in fragment_text


# --- A malformed --base-url is a usage error ---------------------------------------------------

@pytest.mark.parametrize("url, says", [
    ("https://[::1/", "Invalid IPv6 URL"),
    ("https://example.org:99999/", "Port out of range"),
    ("https://example.org:0/", "no host name, or port 0"),
    ("https://:8080/", "no host name, or port 0"),
    ("https://example.org:http/", "Port could not be cast"),
], ids=["unclosed-ipv6", "port-99999", "port-0", "no-host", "port-not-a-number"])
def test_a_malformed_base_url_is_a_usage_error(site, tmp_path, url, says):
    line = failed_with(package(tmp_path, "--base-url", url), "base-url-malformed", status=2)
    assert says in line
    assert not (tmp_path / "dist").exists()


def test_an_ipv6_base_url_with_a_port_is_fine(site, tmp_path):
    result = package(tmp_path, "--base-url", "https://[::1]:8443/kjbgz/")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("url", ["https://[::1/", "https://example.org:99999/"], ids=["unclosed-ipv6", "port-99999"])
def test_a_malformed_site_url_in_the_settings_is_a_located_error(site, tmp_path, url):
    (tmp_path / "mkdocs.yml").write_text(f"site_url: '{url}'\n", encoding="utf-8")
    line = failed_with(package(tmp_path), "settings-key", "mkdocs.yml")
    assert "site_url" in line
