"""Ready for the ministry's platform: no placeholder reaches the public, the government metadata set,
the public address, the Content-Security-Policy, the Atom feed, JSON-LD, GB/T 7714 references,
chart permalinks, the accessibility statement, and `package` refusing to publish without the
identifiers (or with a base address that disagrees), `--since`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, run_build

from reportsite.model import settings
from reportsite.render import cite, metadata
from reportsite.root import feed
from reportsite.write import csp

EDITION = "2020-2021"
BASE = "https://www.most.gov.cn/kjbgz/"
FILLED = {"site_id_code": "bm15000001", "icp": "京ICP备05022684号", "police": "京公网安备 11010802022588号"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def metas(page: BeautifulSoup) -> dict[str, str]:
    return {m["name"]: m.get("content", "") for m in page.find_all("meta", attrs={"name": True})}


def pages_of(site: str) -> list[Path]:
    return sorted(Path(site).rglob("*.html"))


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> tuple[str, str]:
    """The default site built with its identifiers filled in and a public address: (site, config)."""
    root = tmp_path_factory.mktemp("public")
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["site_url"] = BASE
    settings["extra"]["gov"].update(FILLED)
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    run = run_build("--config", str(config), "--out", str(root / "site"), "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "identifiers not filled in" not in run.stdout + run.stderr
    return str(root / "site"), str(config)


# --- No placeholder reaches the public ------------------------------------------------------------

def test_no_file_of_the_site_prints_a_placeholder(built_site):
    found = [p.relative_to(built_site).as_posix() for p in Path(built_site).rglob("*")
             if p.suffix in (".html", ".xml", ".js", ".json") and "待填写" in p.read_text(encoding="utf-8")]
    assert found == []


def test_unset_values_are_left_out_of_meta_tags_and_footers(built_site):
    for path in (Path(built_site) / EDITION / "index.html", Path(built_site) / "index.html"):
        page = soup(path)
        assert "SiteIDCode" not in metas(page)
        footer = page.select_one(".gov-footer").get_text(" ", strip=True)
        assert "网站标识码" not in footer and "主办单位：中华人民共和国科学技术部" in footer


def test_build_warns_once_while_identifiers_are_missing(tmp_path):
    run = run_build("--out", str(tmp_path / "site"), "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "identifiers not filled in" in line]
    settings_lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    at = {key: next(i for i, line in enumerate(settings_lines, start=1) if line.strip().startswith(f"{key}:"))
          for key in ("site_id_code", "police")}
    assert len(lines) == 1 and f"网站标识码（第 {at['site_id_code']} 行）" in lines[0] \
        and f"公安机关备案号（第 {at['police']} 行）" in lines[0], lines


def test_placeholders_in_settings():
    assert settings.public({"a": "待填写", "b": " ", "c": "", "d": None, "e": " 京ICP备1号 "}) == {"e": "京ICP备1号"}
    assert settings.missing({"site_id_code": "x", "icp": "待填写"}) == [
        settings.IDENTIFIERS["icp"], settings.IDENTIFIERS["police"]]


# --- The government metadata set ------------------------------------------------------------------

def test_every_edition_page_carries_the_guideline_metadata(built_site):
    for path in pages_of(Path(built_site) / EDITION):
        if path.name == "404.html":
            continue
        m = metas(soup(path))
        for name in ("SiteName", "ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource",
                     "Keywords", "Author", "description"):
            assert m.get(name, "").strip(), f"{path.name}: no {name}"
        assert m["PubDate"] == "2022-02-01 00:00", "the first day of the published month, 00:00"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", m["PubDate"])
        assert "Url" not in m and "SiteDomain" not in m, "no public address: no absolute URL"
    home = metas(soup(Path(built_site) / EDITION / "index.html"))
    assert home["ArticleTitle"] == "2020-2021 年度产业技术创新战略联盟活跃度评价报告"
    assert home["Keywords"].split(",")[-1] == EDITION


def test_with_a_public_address_urls_are_absolute(public_site):
    site, _ = public_site
    page = soup(Path(site) / EDITION / "overall.html")
    m = metas(page)
    assert m["Url"] == f"{BASE}{EDITION}/overall.html"
    assert m["SiteDomain"] == "www.most.gov.cn" and m["SiteIDCode"] == FILLED["site_id_code"]
    assert page.find("link", rel="canonical")["href"] == f"{BASE}{EDITION}/overall.html"
    footer = page.select_one(".gov-footer").get_text(" ", strip=True)
    for value in FILLED.values():
        assert value in footer
    home = soup(Path(site) / EDITION / "index.html")
    assert home.select_one("[data-cite-tail]").get_text().endswith(f" {BASE}{EDITION}/index.html.")
    alliance = soup(Path(site) / EDITION / "alliances" / "110.html")
    assert metas(alliance)["Url"] == f"{BASE}{EDITION}/alliances/110.html", "its own, not its shell's"
    assert alliance.find("link", rel="canonical")["href"] == f"{BASE}{EDITION}/alliances/110.html"
    assert not [p for p in pages_of(site) if "_shell-" in p.read_text(encoding="utf-8")]
    assert alliance.select_one("[data-cite-tail]").get_text().endswith(f" {BASE}{EDITION}/alliances/110.html.")
    data = json.loads(home.find("script", type="application/ld+json").string)
    assert data["url"] == f"{BASE}{EDITION}/"
    assert all(d["contentUrl"].startswith(BASE) for d in data["hasPart"]["distribution"])
    atom = ET.parse(Path(site) / "feed.xml").getroot()
    assert atom.find("a:link[@rel='self']", ATOM).get("href") == BASE + "feed.xml"
    assert all(link.get("href").startswith(BASE) for link in atom.iterfind(".//a:link", ATOM))


# --- package: identifiers, base address, --since ----------------------------------------------------

def test_package_stops_while_identifiers_are_missing(built_site, tmp_path):
    lines = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines, start=1) if line.strip().startswith("site_id_code:"))
    run = run_build("package", "--out", built_site, "--zip", str(tmp_path / "site.zip"), "--lang", "en")
    assert run.returncode == 1
    assert run.stderr.strip().count("\n") == 0, "one line"
    assert "error [package-identifiers]" in run.stderr and f"ICP 备案号（第 {n + 1} 行）" in run.stderr \
        and "--draft" in run.stderr
    assert not (tmp_path / "site.zip").exists()
    # In Chinese, at the line to edit, naming each identifier by the label the settings file gives it.
    said = run_build("package", "--out", built_site, "--zip", str(tmp_path / "site.zip"))
    assert said.stderr.strip() == (
        f"mkdocs.yml:{n}: error [package-identifiers] 不能打包发布：网站标识信息尚未填写：mkdocs.yml 中的网站标识码（第 {n} 行）、"
        f"ICP 备案号（第 {n + 1} 行）、公安机关备案号（第 {n + 2} 行）。请网站编辑在这几行把“待填写”换成主管部门核发的号码，重新构建后再打包；"
        "仅供内部审阅的草稿可加 --draft")
    assert [lines[i - 1].split(":")[0].strip() for i in (n, n + 1, n + 2)] == ["site_id_code", "icp", "police"]
    assert all("待填写" in lines[i - 1] and "由网站编辑填写" in lines[i - 1] for i in (n, n + 1, n + 2))


def test_package_with_identifiers_and_the_agreed_address(public_site, tmp_path):
    site, config = public_site
    ok = run_build("package", "--config", config, "--out", site, "--zip", str(tmp_path / "a.zip"), "--lang", "en")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    zf = zipfile.ZipFile(tmp_path / "a.zip")
    assert json.loads(zf.read("manifest.json"))["base_url"] == BASE, "site_url is the base address"
    assert "sitemap.xml" in zf.namelist()
    other = run_build("package", "--config", config, "--out", site, "--zip", str(tmp_path / "b.zip"),
                      "--base-url", "https://example.org/report/", "--lang", "en")
    assert other.returncode == 1 and "error [base-url-disagrees]" in other.stderr, other.stderr
    assert not (tmp_path / "b.zip").exists()
    same = run_build("package", "--config", config, "--out", site, "--zip", str(tmp_path / "c.zip"),
                     "--base-url", BASE.rstrip("/"), "--lang", "en")
    assert same.returncode == 0, same.stderr


def test_package_stops_when_the_site_predates_the_identifiers(built_site, public_site, tmp_path):
    _, config = public_site
    run = run_build("package", "--config", config, "--out", built_site, "--zip", str(tmp_path / "a.zip"),
                    "--lang", "en")
    assert run.returncode == 1 and "error [package-rebuild]" in run.stderr, run.stderr
    assert not (tmp_path / "a.zip").exists()


def test_since_lists_what_was_added_changed_and_removed(built_site, tmp_path):
    first = run_build("package", "--draft", "--out", built_site, "--zip", str(tmp_path / "v1.zip"))
    assert first.returncode == 0, first.stderr
    # A previous package with one file more, one less and one different.
    with zipfile.ZipFile(tmp_path / "v1.zip") as src, zipfile.ZipFile(tmp_path / "v0.zip", "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        files = [f for f in manifest["files"] if f["path"] != "feed.xml"]
        files.append({"path": "old.html", "size": 1, "sha256": "0" * 64})
        for f in files:
            if f["path"] == "index.html":
                f["sha256"] = "1" * 64
        dst.writestr("manifest.json", json.dumps({**manifest, "files": files}))
    run = run_build("package", "--draft", "--out", built_site, "--zip", str(tmp_path / "v2.zip"),
                    "--since", str(tmp_path / "v0.zip"), "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 files added, 1 changed, 1 removed" in run.stdout
    assert (tmp_path / "v2.changes.txt").read_text(encoding="utf-8") == "A feed.xml\nM index.html\nD old.html\n"
    bad = run_build("package", "--draft", "--out", built_site, "--zip", str(tmp_path / "v3.zip"),
                    "--since", str(tmp_path / "missing.zip"))
    assert bad.returncode == 1 and "error [since-unreadable]" in bad.stderr


# --- Content-Security-Policy ----------------------------------------------------------------------

def test_every_page_has_a_policy_listing_each_inline_script(built_site):
    for path in pages_of(built_site):
        text = path.read_text(encoding="utf-8")
        page = soup(path)
        tag = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert tag, f"{path}: no policy"
        policy = tag["content"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "<script" not in text or text.index("Content-Security-Policy") < text.index("<script"), \
            "before any script"
        for body in csp.inline_scripts(text):
            assert csp.digest(body) in policy


def test_the_policy_hashes_inline_code_and_ignores_data_blocks():
    page = ('<head><meta charset="utf-8"><script>a()</script><script type="application/ld+json">{}</script>'
            '<script src="x.js"></script><style>p{}</style></head><p style="color:red">x</p>')
    policy = csp.policy(page)
    assert csp.digest("a()") in policy and csp.digest("{}") not in policy
    assert csp.digest("p{}") in policy and "'unsafe-hashes' " + csp.digest("color:red") in policy
    assert csp.protect(page).count("Content-Security-Policy") == 1
    assert csp.protect(csp.protect(page)) == csp.protect(page)


# --- Feed, JSON-LD, references, permalinks, statement ----------------------------------------------

def test_the_feed_is_atom_with_one_entry_per_edition_and_correction(built_site):
    text = (Path(built_site) / "feed.xml").read_text(encoding="utf-8")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{name}", ATOM) is not None, name
    entries = root.findall("a:entry", ATOM)
    assert len(entries) == 1
    ids = set()
    for e in entries:
        for name in ("id", "title", "updated", "link", "summary"):
            assert e.find(f"a:{name}", ATOM) is not None, name
        dt.datetime.fromisoformat(e.find("a:updated", ATOM).text)
        ids.add(e.find("a:id", ATOM).text)
        href = e.find("a:link", ATOM).get("href")
        assert (Path(built_site) / href.split("#")[0]).is_file()
    assert len(ids) == len(entries) and all(i.startswith("urn:uuid:") for i in ids)
    for path in (Path(built_site) / EDITION / "alliances" / "110.html", Path(built_site) / "index.html"):
        link = soup(path).find("link", type="application/atom+xml")
        assert link and (path.parent / link["href"]).resolve() == (Path(built_site) / "feed.xml").resolve()


def test_feed_entries_for_corrections(tmp_path):
    from conftest import EDITION_YAML, Project

    from reportsite.read.check import check_archive
    project = Project(tmp_path)
    project.write(EDITION_YAML, project.text(EDITION_YAML) + "frozen: true\nversion: 2\ncorrections:\n"
                  "  - {date: 2023-05-04, text: 更正第 3 页的数字。}\n")
    archive, problems = check_archive(str(project.data))
    assert archive is not None, problems
    entries = feed.entries(archive)
    assert [(e.date, e.title[:3]) for e in entries] == [("2023-05-04", "更正："), ("2022-02-01", "202")]
    ET.fromstring(feed.atom(archive, None))


def test_the_edition_home_describes_itself_in_json_ld(built_site):
    home = soup(Path(built_site) / EDITION / "index.html")
    blocks = home.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    data = json.loads(blocks[0].string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Report"
    assert data["datePublished"] == "2022-02" and data["version"] == "1"
    assert [o["@type"] for o in data["publisher"]] == ["Organization", "Organization"]
    dataset = data["hasPart"]
    assert dataset["@type"] == "Dataset"
    formats = {}
    for d in dataset["distribution"]:
        assert d["@type"] == "DataDownload"
        size = os.path.getsize(Path(built_site) / EDITION / d["contentUrl"])
        assert d["contentSize"] == f"{size} B"
        formats[d["encodingFormat"]] = d["contentUrl"]
    assert {"text/csv", "application/json", metadata.FORMATS[".xlsx"]} <= set(formats)
    assert ("application/pdf" in formats) == any(p.suffix == ".pdf" for p in (Path(built_site) / EDITION).iterdir())


SCHEMA_ORG = {
    # Properties schema.org defines for each type, its own or inherited (Report and Dataset from
    # CreativeWork and Thing, DataDownload from MediaObject, Organization from Thing).
    "Report": {"@id", "url", "name", "headline", "description", "datePublished", "inLanguage", "version",
               "author", "publisher", "keywords", "hasPart"},
    "Dataset": {"url", "name", "description", "creator", "publisher", "datePublished", "inLanguage",
                "distribution", "keywords"},
    "DataDownload": {"contentUrl", "encodingFormat", "contentSize", "name"},
    "Organization": {"name"},
}


def test_json_ld_uses_only_what_schema_org_defines(built_site, public_site):
    def walk(node, where):
        if isinstance(node, list):
            for item in node:
                walk(item, where)
        elif isinstance(node, dict):
            kind = node["@type"]
            unknown = set(node) - SCHEMA_ORG[kind] - {"@type", "@context"}
            assert not unknown, f"{where}: {kind} has no {sorted(unknown)}"
            for key, value in node.items():
                walk(value, f"{where}.{key}")

    for site in (built_site, public_site[0]):
        home = soup(Path(site) / EDITION / "index.html")
        walk(json.loads(home.find("script", type="application/ld+json").string), "Report")


def test_references_follow_gb_t_7714():
    src = cite.source("某年度报告", ["甲单位", "乙单位"], "2022-02", 1, "北京", None)
    assert cite.report_reference(src) == ("甲单位, 乙单位. 某年度报告[R/OL]. 北京: 甲单位, 2022", ".")
    src2 = cite.source("某年度报告", ["甲单位"], "2022-02", 2, None, "https://x.gov.cn/r/2022/")
    assert cite.part(src2, "联盟甲", "alliances/1.html") == (
        "甲单位. 联盟甲[R/OL]//甲单位. 某年度报告. 第 2 版. [出版地不详]: 甲单位, 2022",
        ". https://x.gov.cn/r/2022/alliances/1.html.")


def test_the_edition_home_and_alliance_pages_offer_a_reference(built_site):
    home = soup(Path(built_site) / EDITION / "index.html").select_one(".cite-box")
    assert home.h2.get_text() == "引用本报告" and "第 1 版" in home.get_text()
    assert home.select_one("[data-cite-head]").get_text().endswith("[R/OL]. 北京: 中国产业技术创新战略联盟协同发展网, 2022")
    page = soup(Path(built_site) / EDITION / "alliances" / "110.html").select_one(".cite-box")
    assert page.h2.get_text() == "引用本页"
    assert "半导体照明产业技术创新战略联盟[R/OL]//" in page.get_text()
    assert "@@" not in page.get_text()
    assert soup(Path(built_site) / EDITION / "overall.html").select_one(".cite-box") is None


def test_every_chart_has_a_permalink_beside_its_downloads(built_site):
    figures = 0
    for path in pages_of(Path(built_site) / EDITION):
        for fig in soup(path).select("figure.chart"):
            figures += 1
            link = fig.select_one(".chart-actions a.chart-permalink")
            assert link and fig.get("id") and link["href"] == f"#{fig['id']}"
    assert figures >= 3


def test_the_accessibility_statement_is_linked_from_every_footer(built_site):
    statement = soup(Path(built_site) / "accessibility.html")
    text = statement.get_text()
    assert statement.h1.get_text() == "无障碍与适老化说明"
    for needed in ("WCAG", "2.1 AA", "GB/T 37668-2019", "反馈", "375", "200%", "axe"):
        assert needed in text, needed
    for path in pages_of(built_site):
        page = soup(path)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        link = page.select_one(".gov-footer a[href$='accessibility.html']")
        assert link, f"{path}: no link to the statement"
        assert (path.parent / link["href"]).resolve() == (Path(built_site) / "accessibility.html").resolve()


# --- The reading aids on the root pages: the 404 page, the archive home -----------------------------

def test_the_404_page_carries_its_look_and_the_reading_aids_inline(built_site):
    """Shown at any address, the 404 page loads nothing by path: its stylesheet, the aids'
    stylesheet and script (the same files as elsewhere) and its icon are inline, and the policy
    lists the hash of every inline block."""
    text = (Path(built_site) / "404.html").read_text(encoding="utf-8")
    page = BeautifulSoup(text, "html.parser")
    box = page.select_one("header [data-reading-aids]")
    assert box and box.select_one("[data-ra-toggle]")["aria-controls"] == "reading-aids-panel"
    panel = box.select_one("#reading-aids-panel")
    assert panel.get("role") == "group" and panel.get("aria-label") == "阅读辅助"
    assert [b["data-ra"] for b in panel.select("button")] == ["size"] * 3 + ["spacing"] * 3 + ["contrast", "cursor", "reset"]
    assert box.select_one("[data-ra-status]")["aria-live"] == "polite"
    assert text.index("data-reading-aids") < text.index("<h1"), "at the top"
    assets = ROOT / "reportsite" / "assets"
    scripts = csp.inline_scripts(text)
    assert (assets / "js" / "reading-aids.js").read_text(encoding="utf-8").strip() in [s.strip() for s in scripts]
    styles = [s.strip() for s in csp.STYLE.findall(text)]
    for name in ("reading-aids.css", "not-found.css"):
        assert (assets / "css" / name).read_text(encoding="utf-8").strip() in styles, name
    assert "src=\"" not in text.replace('src="data:', ""), "no image by path"
    assert [link["href"][:19] for link in page.select("link[href]")] == ["data:image/svg+xml,"], "only the inline icon"
    assert page.find("noscript").find("style"), "the control is hidden without JavaScript"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    for body in scripts + csp.STYLE.findall(text):
        assert csp.digest(body) in policy


def test_the_404_page_links_the_feed_only_with_a_public_address(built_site, public_site):
    plain = soup(Path(built_site) / "404.html")
    assert plain.find("link", type="application/atom+xml") is None, "a relative address breaks elsewhere"
    public = soup(Path(public_site[0]) / "404.html")
    link = public.find("link", type="application/atom+xml")
    assert link and link["rel"] == ["alternate", "feed"] and link["href"] == BASE + "feed.xml"
    assert public.select_one("header [data-reading-aids]")
    # With the public address its links lead to the root pages from the address's path.
    path = urlsplit(BASE).path
    assert public.select_one("main a")["href"] == path + "index.html"


def test_the_reading_aids_are_a_header_control_on_every_kind_of_page(built_site):
    for rel in ("index.html", "accessibility.html", "site-map.html", f"{EDITION}/overall.html",
                f"{EDITION}/alliances/110.html"):
        text = (Path(built_site) / rel).read_text(encoding="utf-8")
        page = BeautifulSoup(text, "html.parser")
        boxes = page.select("[data-reading-aids]")
        assert len(boxes) == 1 and boxes[0].find_parent("header"), rel
        assert not page.select("article [data-reading-aids]"), rel
        assert text.index("data-reading-aids") < text.index("<h1"), rel
