"""`package --cms`: the hand-off to a content management system. One fragment per report page and
appendix (article only, no chrome or scripts, charts as SVG and table), links relative between
fragments and to the attachments, alliance links through the public address; the manifest in CSV
(UTF-8 with BOM) and JSON; fragments valid for the Nu checker; hostile names stay text in the
fragments, the manifest, the JSON-LD and the feed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import EDITION_YAML, REGISTRY, VNU_JAR, run_build
from hostile import MARKER, HostileProject, live_script, run

EDITION = "2020-2021"
BASE = "https://www.most.gov.cn/kjbgz/"


@pytest.fixture(scope="module")
def handoff(built_site, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cms")
    result = run_build("package", "--draft", "--cms", "--out", built_site, "--zip", str(out / "site.zip"),
                       "--base-url", BASE, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "article fragments" in result.stdout
    return out / "site-cms"


def fragments(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html"))


def test_the_folder_its_zip_and_the_manifest(handoff):
    assert (handoff.parent / "site-cms.zip").is_file()
    with zipfile.ZipFile(handoff.parent / "site-cms.zip") as zf:
        assert sorted(zf.namelist()) == sorted(p.relative_to(handoff).as_posix()
                                               for p in handoff.rglob("*") if p.is_file())
    raw = (handoff / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    listed = json.loads((handoff / "articles.json").read_text(encoding="utf-8"))["articles"]
    assert [r["file"] for r in rows] == [a["file"] for a in listed]
    assert rows[0]["file"] == f"{EDITION}/index.html" and rows[1]["file"] == f"{EDITION}/preface.html"
    assert f"{EDITION}/appendix-4.html" in [r["file"] for r in rows]
    assert f"{EDITION}/search.html" not in [r["file"] for r in rows]
    assert [int(r["order"]) for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        assert (handoff / r["file"]).is_file()
        assert r["title"] and r["column"] == "技术创新工程" and r["date"] == "2022-02-01 00:00"
        assert r["source"] and r["keywords"] and r["description"]
    assert (handoff / EDITION / "attachments" / "results.csv").is_file()
    assert (handoff / EDITION / "attachments" / f"{EDITION}-report.docx").is_file(), "the Word copy for review"


def test_fragments_are_the_article_only(handoff):
    for path in fragments(handoff):
        text = path.read_text(encoding="utf-8")
        page = BeautifulSoup(text, "html.parser")
        assert page.find(["script", "style", "button", "form", "input", "link", "meta", "nav", "header",
                          "footer", "html", "body"]) is None, path
        assert not page.select(".column-breadcrumb, .column-byline, .reading-aids, .cite-box, .md-content__button, .headerlink"), path
        assert "data-spec" not in text and "待填写" not in text
        assert page.find("h1"), path


def test_charts_are_their_svg_and_data_table(handoff):
    figures = 0
    for path in fragments(handoff):
        for fig in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("figure.chart"):
            figures += 1
            assert fig.find("svg") and fig.find("table") and fig.find("figcaption"), path
    assert figures >= 3


def test_links_stay_inside_or_go_through_the_public_address(handoff):
    outside = []
    for path in fragments(handoff):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in page.find_all(src=True):
            outside.append(f"{path.name}: a {tag.name} loads {tag['src']}")
        for a in page.find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme:
                if not href.startswith(BASE + EDITION + "/"):
                    outside.append(f"{path.name}: {href}")
                continue
            if parts.path:
                target = (path.parent / unquote(parts.path)).resolve()
                if not target.is_file() or handoff.resolve() not in target.parents:
                    outside.append(f"{path.name}: {href} names nothing in the hand-off")
    assert outside == []
    ranking = BeautifulSoup((handoff / EDITION / "ranking.html").read_text(encoding="utf-8"), "html.parser")
    assert ranking.find("a", href=f"{BASE}{EDITION}/alliances/110.html"), "alliance pages stay on the site"


def test_without_a_public_address_site_links_are_text(built_site, tmp_path):
    result = run_build("package", "--draft", "--cms", "--out", built_site, "--zip", str(tmp_path / "s.zip"))
    assert result.returncode == 0, result.stderr
    ranking = (tmp_path / "s-cms" / EDITION / "ranking.html").read_text(encoding="utf-8")
    assert "alliances/" not in ranking and "半导体照明产业技术创新战略联盟" in ranking


def test_fragments_pass_the_nu_checker(handoff, tmp_path):
    assert shutil.which("java"), "java is not installed: run `make test`, which installs it"
    wrapped = []
    for path in fragments(handoff):
        out = tmp_path / path.relative_to(handoff)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text('<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                       f"<title>{path.stem}</title>\n</head>\n<body>\n{path.read_text(encoding='utf-8')}"
                       "</body>\n</html>\n", encoding="utf-8")
        wrapped.append(str(out))
    run_vnu = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *wrapped],
                             capture_output=True, text=True)
    messages = json.loads(run_vnu.stderr or run_vnu.stdout)["messages"]
    assert messages == [], "\n".join(f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages[:20])


# --- Hostile names: JSON-LD, fragments, the manifest and the feed ----------------------------------

PAYLOAD = "</script><script>alert('PWNED')</script>"


@pytest.fixture
def hostile_site(tmp_path, monkeypatch) -> HostileProject:
    monkeypatch.chdir(tmp_path)
    project = HostileProject(tmp_path)
    project.replace(EDITION_YAML, "title: 2020-2021 年度产业技术创新战略联盟活跃度评价报告",
                    f'title: "2020-2021 年度{PAYLOAD}评价报告"')
    project.replace(EDITION_YAML, "publishers: [中国产业技术创新战略联盟协同发展网,",
                    f'publishers: ["协同发展网{PAYLOAD}",')
    project.replace(REGISTRY, "name: 半导体照明产业技术创新战略联盟", f'name: "半导体照明{PAYLOAD}联盟"')
    result = project.build()
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return project


def test_hostile_names_stay_text_in_json_ld_fragments_manifest_and_feed(hostile_site):
    site = hostile_site.site
    result = run("package", "--draft", "--cms", "--out", "site", "--zip", "dist/site.zip", "--base-url", BASE,
                 cwd=hostile_site.root)
    assert result.returncode == 0, result.stdout + result.stderr
    cms = hostile_site.root / "dist" / "site-cms"
    assert live_script(site) == [] and live_script(cms) == []
    home = BeautifulSoup((site / EDITION / "index.html").read_text(encoding="utf-8"), "html.parser")
    blocks = home.find_all("script", type="application/ld+json")
    assert len(blocks) == 1 and "</script>" not in blocks[0].string
    data = json.loads(blocks[0].string)
    assert data["name"] == f"2020-2021 年度{PAYLOAD}评价报告"
    assert data["publisher"][0]["name"] == f"协同发展网{PAYLOAD}"
    cite = home.select_one("[data-cite-text]").get_text()
    assert f"协同发展网{PAYLOAD}" in cite
    listed = json.loads((cms / "articles.json").read_text(encoding="utf-8"))["articles"]
    assert all(a["source"].startswith(f"协同发展网{PAYLOAD}") for a in listed)
    for path in fragments(cms):
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and re.search(r"<[a-z]+[^>]*\bon\w+=", text) is None
        if MARKER in text:
            assert "&lt;/script&gt;&lt;script&gt;alert" in text
    feed = ET.parse(site / "feed.xml").getroot()
    names = [n.text for n in feed.iter("{http://www.w3.org/2005/Atom}name")]
    assert f"协同发展网{PAYLOAD}" in names
