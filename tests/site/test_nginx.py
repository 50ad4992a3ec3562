"""Served by a real web server, as the column will serve it: `package --base-url …/kjbgz/`'s zip
unpacked under Debian's nginx (started here on a loopback port, with the settings README.md gives
web editors: gzip on, `types { text/csv csv; }`, `charset utf-8`, `error_page 404`), then crawled:
every page and every link it names resolves, Chromium loads pages with no console error, the 404
page at a deep address leads home, and every download has the right Content-Type and charset."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import run_build
from test_gates import LINKED, sample_pages

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONFIG = """\
daemon off;
worker_processes 1;
{user}
error_log {tmp}/error.log;
pid {tmp}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include /etc/nginx/mime.types;
  server {{
    listen 127.0.0.1:{port};
    root {www};
    # As README.md's "Serving the site" gives it.
    location /kjbgz/ {{
      types {{ text/csv csv; }}
      include /etc/nginx/mime.types;
      charset utf-8;
      charset_types text/html text/css text/plain text/xml text/csv application/javascript application/json
                    application/atom+xml image/svg+xml;
      gzip on;
      gzip_types text/css text/csv application/javascript application/json application/atom+xml image/svg+xml;
      error_page 404 /kjbgz/404.html;
    }}
  }}
}}
"""
DOWNLOADS = {".csv": "text/csv; charset=utf-8", ".json": "application/json; charset=utf-8",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             ".pdf": "application/pdf"}
"""The Content-Type each kind of download must be served with."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(built_site, tmp_path_factory):
    """The default site packaged for `http://127.0.0.1:PORT/kjbgz/` and served there by nginx."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: run `make test`, which installs it")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}/kjbgz/"
    run = run_build("package", "--draft", "--out", built_site, "--zip", str(tmp / "site.zip"), "--base-url", base)
    assert run.returncode == 0, run.stdout + run.stderr
    www = tmp / "www"
    zipfile.ZipFile(tmp / "site.zip").extractall(www / "kjbgz")
    for folder in (tmp, www):
        os.chmod(folder, 0o755)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(CONFIG.format(user=user, tmp=tmp, port=port, www=www), encoding="utf-8")
    server = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "index.html", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("nginx did not start: " + (tmp / "error.log").read_text(encoding="utf-8", errors="replace"))
    yield base, www / "kjbgz"
    server.terminate()
    server.wait(10)


def fetch(url: str) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET that accepts gzip, the body unpacked."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            status, headers, body = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, dict(e.headers), e.read()
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, headers, body


def test_every_page_and_every_link_resolves(nginx):
    base, folder = nginx
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    targets: set[str] = set()
    for rel in pages:
        status, headers, body = fetch(base + rel)
        assert status == 200, rel
        assert headers["Content-Type"] == "text/html; charset=utf-8", rel
        soup = BeautifulSoup(body, "html.parser")
        for tag, attr in LINKED.items():
            for el in soup.find_all(tag):
                value = el.get(attr)
                if value and not value.startswith(("data:", "mailto:", "#")):
                    url = urljoin(base + rel, value).split("#")[0]
                    if urlsplit(url).netloc == urlsplit(base).netloc:
                        targets.add(url)
    broken = [url for url in sorted(targets) if fetch(url)[0] != 200]
    assert len(pages) > 100 and len(targets) > 200
    assert broken == []
    # The crawl's counts, for whoever reads the log.
    print(f"nginx crawl: {len(pages)} pages, {len(targets)} distinct addresses, {len(broken)} broken")


def test_downloads_have_their_content_type_and_charset(nginx):
    base, folder = nginx
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix in DOWNLOADS]
    assert {Path(f).suffix for f in files} == set(DOWNLOADS)
    for rel in files:
        status, headers, _ = fetch(base + rel)
        assert status == 200 and headers["Content-Type"] == DOWNLOADS[Path(rel).suffix], (rel, headers["Content-Type"])
    assert fetch(base + "assets/images/emblem.svg")[1]["Content-Type"].startswith("image/svg+xml")
    status, headers, _ = fetch(base + "2020-2021/assets/js/search.js")
    assert headers.get("Content-Encoding") is None or status == 200


def test_pages_load_in_chromium_with_no_console_error(page, nginx, built_site):
    base, _ = nginx
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    for rel in sample_pages(built_site, alliances=3):
        page.goto(base + rel, wait_until="load")
        if rel.endswith("2020-2021/overall.html"):
            page.fill("#site-search-q", "联盟")
            page.wait_for_selector(".site-search__panel .search-result")
    assert failed == [] and page.console_errors == []


def test_the_404_page_at_a_deep_address_leads_home(page, nginx):
    base, _ = nginx
    response = page.goto(base + "2020-2021/alliances/999.html")
    assert response.status == 404 and "页面未找到" in page.title()
    page.click("main a[href$='index.html']")
    page.wait_for_url(base + "index.html")
    assert "页面未找到" not in page.title()
