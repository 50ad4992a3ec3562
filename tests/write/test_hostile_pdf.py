"""Hostile input for the PDF: the engine fetches nothing but the edition's own files.

A page that names another host (http, https, ftp), a file outside the edition's folder (by path,
by `..`, through a symbolic link, on another host) or anything else makes the PDF fail with
`pdf-outside-fetch`, naming the address; nothing is requested and nothing outside is read.
"""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from hostile import failed_with, no_traceback, run

EDITION = "2020-2021"


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A loopback server that counts the requests it gets; its base URL."""
    _Counting.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside the edition's folder that must never be read."""
    path = tmp_path / "secret.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET</text></svg>', encoding="utf-8")
    return path


def test_fetcher_reads_only_files_below_its_folders(tmp_path, server, secret):
    from reportsite.write import pdf

    edition = tmp_path / "site" / EDITION
    edition.mkdir(parents=True)
    (edition / "own.svg").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    (edition / "link.svg").symlink_to(secret)
    fetcher = pdf.fetcher_class([str(edition)])()
    assert fetcher.fetch((edition / "own.svg").as_uri()).read().startswith(b"<svg")
    hostile = [
        f"{server}/pwned.png",
        "https://127.0.0.1:9/pwned.png",
        "ftp://127.0.0.1/pwned.png",
        secret.as_uri(),
        (edition / "link.svg").as_uri(),
        f"file://{edition}/../../secret.svg",
        f"file://localhost{secret}",
        f"file://{tmp_path}/site-other/secret.svg",
        "javascript:alert('PWNED')",
    ]
    for url in hostile:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == hostile
    assert _Counting.requests == []


@pytest.fixture
def built(hostile) -> Path:
    """The hostile project's built edition folder, its PDF made once (the PDF cache warm)."""
    result = hostile.build(pdf=True)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = hostile.site / EDITION
    assert (folder / f"{EDITION}-report.pdf").is_file()
    return folder


def test_a_page_naming_outside_files_or_hosts_fails_the_pdf_and_fetches_nothing(
        hostile, built, tmp_path, server, secret):
    from reportsite.model.errors import BuildError
    from reportsite.read.check import check_archive
    from reportsite.render.pages import edition_pages
    from reportsite.write import pdf

    os.chdir(hostile.root)
    archive = check_archive("data")[0]
    edition = archive.edition(EDITION)
    pages = edition_pages(archive, edition, str(hostile.content))
    folder = tmp_path / "copy"
    shutil.copytree(built, folder)
    page = folder / "preface.html"
    text = page.read_text(encoding="utf-8")
    injected = (f'<p>PWNED<img src="{server}/img.png" alt="x"><img src="{secret.as_uri()}" alt="y">'
                f'<span style="background: url({server}/bg.png)">z</span>'
                f'<img src="../../secret.svg" alt="up"></p>'
                f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{secret.as_uri()}" width="9" height="9"/></svg>'
                f'<link rel="stylesheet" href="{server}/style.css">')
    page.write_text(text.replace("</article>", injected + "</article>", 1), encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        built = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
        pdf.write_pdf(edition, pages, built, str(folder), pdf.Mode(str(tmp_path / "cache")))
    assert failed.value.slug == "pdf-outside-fetch"
    assert failed.value.location == f"{EDITION}/{EDITION}-report.pdf"
    assert _Counting.requests == []
    assert not (tmp_path / "cache" / "pdf").exists() or not os.listdir(tmp_path / "cache" / "pdf")


def test_content_naming_another_host_fails_the_build_in_one_line(hostile, server):
    """Raw HTML in the narrative that names another host: the build stops with one line at the
    content file (the page policy refuses it before the PDF is made), the previous site intact,
    and no request is made."""
    before = (hostile.site / EDITION / "preface.html").read_bytes()
    hostile.content_file("02-remote.md", f'# 远程图片\n\n<img src="{server}/pwned.png" alt="PWNED">\n')
    result = hostile.build(pdf=True)
    no_traceback(result)
    failed_with(result, "content-script", f"content/{EDITION}/02-remote.md:3:11")
    assert _Counting.requests == []
    assert (hostile.site / EDITION / "preface.html").read_bytes() == before


def test_a_draft_without_the_pdf_links_none(hostile):
    # The hostile fixture builds with --no-pdf: no PDF, and no page promises one.
    folder = hostile.site / EDITION
    assert not (folder / f"{EDITION}-report.pdf").exists()
    assert "report.pdf" not in (folder / "index.html").read_text(encoding="utf-8")
    assert "report.pdf" not in (hostile.site / "index.html").read_text(encoding="utf-8")
    refused = run("build", "--pdf", "--no-pdf", cwd=hostile.root)
    failed_with(refused, "usage", status=2)
