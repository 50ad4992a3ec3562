"""The PDF of record, read back as a reader's tools read it: poppler's pdftotext and pdffonts for
text and fonts, pypdf for the structure (tags, language, outline, attachments, metadata).

The default site is built once per session (`built_site`); the tests that change files work on a
copy of its edition folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import EDITION, ROOT, run_build

from reportsite.model.messages import message

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils: run `make test`")

NAME = f"{EDITION}-report.pdf"
SECTIONS = ["preface", "methodology", "overall", "tiers", "indicators", "a-level", "summary",
            "not-evaluated", "recommendations", "appendix-1", "appendix-2", "appendix-3", "appendix-4",
            "errata"]
ERRATUM = re.compile(r"［(勘误：|按数据计算为)[^］]*］")


def squeeze(text: str) -> str:
    """Text without any white space (PDF lines break anywhere in Chinese text)."""
    return re.sub(r"\s+", "", text)


def pdftotext(path: str, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *pages, path, "-"],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf_path(built_site) -> str:
    path = os.path.join(built_site, EDITION, NAME)
    assert os.path.isfile(path)
    return path


def built_pages(folder: str) -> dict[str, str]:
    """The HTML pages of a built edition folder, by path in it, as the build hands them on."""
    root = Path(folder)
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))
            if p.relative_to(root).parts[0] not in ("assets", "data")}


def write_pdf(edition, pages, folder: str, mode):
    """What the build does with a built edition: its PDF made from the report pages, then every
    page finished (its PDF links sized, or taken out without a PDF); the PDF's outcome."""
    from reportsite.write import finish, pdf

    built = built_pages(folder)
    outcome = pdf.write_pdf(edition, pages, built, folder, mode)
    finish.write_pages(folder, built)
    return outcome


@pytest.fixture(scope="module")
def reader(pdf_path):
    from pypdf import PdfReader

    return PdfReader(pdf_path)


def article(built_site, stem: str) -> BeautifulSoup:
    with open(os.path.join(built_site, EDITION, f"{stem}.html"), encoding="utf-8") as f:
        return BeautifulSoup(f.read(), "html.parser").select_one("article")


def body_text(pdf_path: str, title: str) -> str:
    """The PDF's text without white space, running headers, footers and erratum marks."""
    text = squeeze(pdftotext(pdf_path))
    text = text.replace(squeeze(title), "")
    text = re.sub(r"—\d+—", "", text)
    return ERRATUM.sub("", text)


def test_every_paragraph_of_the_report_is_in_the_pdf_in_order(built_site, pdf_path):
    from reportsite.read.check import check_archive

    title = check_archive(str(ROOT / "data"))[0].edition(EDITION).title
    text = body_text(pdf_path, title)
    at, count = 0, 0
    for stem in SECTIONS:
        for p in article(built_site, stem).find_all("p"):
            if p.find_parent(class_=["column-breadcrumb", "column-byline", "demo-banner", "edition-bar", "chart-actions",
                                     "ranking-downloads", "reading-aids"]) or "chart-sr" in (p.get("class") or []):
                continue
            if p.find_parent("div", class_="site-note") and p.find_parent("div", class_="site-note").find(["ol", "ul"]):
                continue  # the site's material with a list stands in its own appendix, at the end
            if {"chart-headline", "chart-subtitle"} & set(p.get("class") or []):
                continue  # the site's words on a figure stand with its data table, at the end
            for erratum in p.select(".erratum"):
                erratum.replace_with(f"@@{erratum['data-computed']}@@{erratum['data-printed']}@@")
            for web in p.select(".web-only"):
                web.replace_with(web.get("data-print", ""))
            wanted = squeeze(p.get_text())
            # The PDF prints the printed figure where an erratum applies.
            wanted = re.sub(r"([\d.]+%?)@@\1@@([^@]+)@@", r"\2", wanted)
            wanted = ERRATUM.sub("", wanted).replace(squeeze(title), "")
            if not wanted:
                continue
            found = text.find(wanted, at)
            assert found >= 0, f"{stem}: {p.get_text()[:80]!r} is missing or out of order"
            at, count = found + len(wanted), count + 1
    assert count > 60


def test_every_font_is_embedded_and_ours(pdf_path):
    lines = subprocess.run(["pdffonts", pdf_path], check=True, capture_output=True, text=True).stdout.splitlines()
    fonts = [line.split() for line in lines[2:]]
    assert fonts
    for row in fonts:
        assert re.fullmatch(r"[A-Z]{6}\+Report-(Serif(-Bold)?|Sans)", row[0]), row
        assert row[-5:-3] == ["yes", "yes"], f"{row[0]} is not embedded and subset"


def test_tagged_in_chinese_with_title_pdfa_and_pdfua(reader):
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title.endswith("活跃度评价报告")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


def structure(node, depth=0):
    """Every structure element's type below `node`, with its alternative text."""
    node = node.get_object()
    out = []
    kids = node.get("/K")
    if kids is None:
        return out
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and "/S" in kid:
            out.append((kid["/S"], kid.get("/Alt")))
            out += structure(kid, depth + 1)
    return out


def test_structure_has_headings_tables_with_header_cells_and_described_figures(reader):
    tags = structure(reader.trailer["/Root"]["/StructTreeRoot"])
    kinds = {t for t, _ in tags}
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/Figure", "/Caption", "/L", "/LI"} <= kinds
    figures = [alt for t, alt in tags if t == "/Figure"]
    assert len(figures) == 11
    assert all(alt and "。" in alt for alt in figures), "figures carry the chart's description"


def test_outline_has_every_chapter_and_appendix(built_site, reader):
    """One entry per chapter (三 once, as printed), each appendix as the print labels it, then the
    site's own pages."""
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    headings = [article(built_site, stem).find("h1").get_text().strip() for stem in SECTIONS if stem != "tiers"]
    headings = [re.sub(r"附件 (\d)：", "附件\\1\u3000", h) for h in headings]
    assert top == [*headings, "附：本网站补充材料", "版本与更正"]
    assert sum(t.startswith("附件") for t in top) == 4


def test_contents_page_numbers_are_the_labels_of_where_the_headings_fall(built_site, pdf_path, reader):
    """The contents (two pages after the cover) give each heading's page in the page labels,
    前言 = 1 (tests/write/test_record.py reads each page)."""
    entries = [re.match(r"\s*(\S.*?)\s{2,}(\d+)\s*$", line) for line in pdftotext(pdf_path, 2, 3, layout=True).splitlines()]
    entries = [(m.group(1), int(m.group(2))) for m in entries if m]
    assert len(entries) >= 30
    assert entries[0] == ("一、前言", 1)
    pages = [page for _, page in entries]
    assert pages == sorted(pages)
    assert entries[-1][1] <= len(reader.pages)


def test_figures_one_to_eleven_with_their_captions(built_site, pdf_path):
    text = squeeze(pdftotext(pdf_path))
    captions = [c for stem in SECTIONS for c in article(built_site, stem).select(".chart-caption")]
    assert [squeeze(c.select_one(".chart-number").get_text()) for c in captions] == [f"图{i}" for i in range(1, 12)]
    for caption in captions:
        assert squeeze(caption.get_text()) in text


def test_no_line_starts_or_ends_with_forbidden_punctuation(pdf_path):
    for line in pdftotext(pdf_path).splitlines():
        line = line.strip()
        if line:
            assert line[0] not in "，。、；：？！」）》", line
            assert line[-1] not in "（《「", line


def test_attachments_and_dates_from_the_publication_month(reader):
    assert sorted(reader.attachments) == ["results.csv", "results.xlsx"]
    assert reader.metadata["/CreationDate"].startswith("D:20220201")
    assert reader.metadata["/ModDate"].startswith("D:20220201")


def test_a4_portrait_and_size(reader, pdf_path):
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert 25 <= len(reader.pages) <= 60
    assert os.path.getsize(pdf_path) < 3_000_000


def test_linked_with_its_size_from_the_homes_and_every_section(built_site, pdf_path):
    from reportsite.write.finish import size_text

    size = f"PDF 版报告（{size_text(os.path.getsize(pdf_path))}）"
    pages = {os.path.join(built_site, "index.html"): f"{EDITION}/{NAME}"}
    for stem in ["index", *SECTIONS]:
        pages[os.path.join(built_site, EDITION, f"{stem}.html")] = NAME
    for path, href in pages.items():
        with open(path, encoding="utf-8") as f:
            soup = BeautifulSoup(f.read(), "html.parser")
        links = soup.find_all("a", href=href)
        # Once on each page: the home of a one-edition archive lists its edition once (issue 24).
        assert len(links) == 1, path
        for link in links:
            assert link.get_text() == size and not link.has_attr("data-pdf-size"), link


# --- Rebuilding: same bytes, cache, no engine ----------------------------------------------------


@pytest.fixture(scope="module")
def edition_and_pages():
    from reportsite.read.check import check_archive
    from reportsite.render.pages import edition_pages

    archive = check_archive(str(ROOT / "data"))[0]
    edition = archive.edition(EDITION)
    return edition, edition_pages(archive, edition, str(ROOT / "content" / EDITION))


@pytest.fixture
def edition_copy(built_site, tmp_path) -> str:
    """The built edition folder as MkDocs left it: PDF links waiting for their size, no PDF."""
    folder = str(tmp_path / EDITION)
    shutil.copytree(os.path.join(built_site, EDITION), folder)
    os.remove(os.path.join(folder, NAME))
    for parent, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(parent, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                text = re.sub(r'(<a class="pdf-link" href="[^"]*")>(PDF 版报告)（[^）]*）</a>',
                              r"\1 data-pdf-size>\2</a>", text)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    return folder


def test_a_fresh_build_gives_the_same_bytes_whatever_the_build_date(
        edition_copy, edition_and_pages, pdf_path, tmp_path, monkeypatch):
    from reportsite.write import pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    edition, pages = edition_and_pages
    built = built_pages(edition_copy)
    outcome = pdf.write_pdf(edition, pages, built, edition_copy, pdf.Mode(str(tmp_path / "cache")))
    assert outcome.status == pdf.BUILT
    with open(os.path.join(edition_copy, NAME), "rb") as a, open(pdf_path, "rb") as b:
        assert a.read() == b.read()
    again = pdf.write_pdf(edition, pages, built, edition_copy, pdf.Mode(str(tmp_path / "cache")))
    assert again == pdf.Outcome(pdf.CACHED, outcome.size, word=outcome.word)
    changed = {**built, "preface.html": built["preface.html"].replace("前言", "序言", 1)}
    assert "序言" in changed["preface.html"]
    assert pdf.write_pdf(edition, pages, changed, edition_copy, pdf.Mode(str(tmp_path / "cache"))).status == \
        pdf.BUILT, "a report page that changes makes the PDF again"


def test_the_bytes_do_not_depend_on_the_systems_font_subsetter(
        edition_copy, edition_and_pages, pdf_path, tmp_path, monkeypatch):
    """WeasyPrint subsets with HarfBuzz where the system has libharfbuzz-subset (Debian installs it
    with Chromium) and with fontTools elsewhere; the PDF is the same either way."""
    from weasyprint.pdf import fonts

    from reportsite.write import pdf

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    edition, pages = edition_and_pages
    assert write_pdf(edition, pages, edition_copy, pdf.Mode(str(tmp_path / "cache"))).status == pdf.BUILT
    with open(os.path.join(edition_copy, NAME), "rb") as a, open(pdf_path, "rb") as b:
        assert a.read() == b.read()


TYPESET = """
import hashlib, os, shutil, sys
sys.path.insert(0, {root!r})
from reportsite.write import pdf
from reportsite.read.check import check_archive
from reportsite.render.pages import edition_pages
archive = check_archive({data!r})[0]
edition = archive.edition({edition!r})
pages = edition_pages(archive, edition, {content!r})
if {other_first}:
    other = "<html lang=zh><body><h1>另一份文件</h1><p><b>粗体</b>和 ABC 123，别的字：鬱鑫龘。</p></body></html>"
    pdf.typeset(edition, other, pdf.stylesheet(), {folder!r}, [], "0" * 64)
target = {folder!r} + "-" + str(os.getpid())
shutil.copytree({folder!r}, target)
built = {{n: open(os.path.join(target, n), encoding="utf-8").read() for n in os.listdir(target) if n.endswith(".html")}}
pdf.write_pdf(edition, pages, built, target, pdf.Mode(target + "-cache"))
with open(os.path.join(target, pdf.file_name(edition)), "rb") as f:
    print(hashlib.sha256(f.read()).hexdigest())
"""


def test_a_pdf_typeset_second_in_a_process_is_the_one_a_fresh_process_makes(edition_copy, tmp_path):
    """A worker that has typeset one document makes the next one's bytes as a fresh process would."""
    def typeset(other_first: bool) -> str:
        script = TYPESET.format(root=str(ROOT), data=str(ROOT / "data"), edition=EDITION,
                                content=str(ROOT / "content" / EDITION), folder=edition_copy,
                                other_first=other_first)
        return subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                              text=True).stdout.split()[-1]

    assert typeset(other_first=True) == typeset(other_first=False)


def test_without_the_engine_the_site_loses_its_pdf_links(edition_copy, edition_and_pages, tmp_path, monkeypatch):
    from reportsite.model.errors import BuildError
    from reportsite.write import pdf

    monkeypatch.setattr(pdf, "load_engine", lambda: "cannot load library 'pango'")
    edition, pages = edition_and_pages
    with pytest.raises(BuildError) as failed:
        write_pdf(edition, pages, edition_copy, pdf.Mode(str(tmp_path / "cache"), required=True))
    assert failed.value.slug == "pdf-engine-required"
    outcome = write_pdf(edition, pages, edition_copy, pdf.Mode(str(tmp_path / "cache")))
    assert outcome == pdf.Outcome(pdf.UNAVAILABLE, note=message("pdf-engine-unavailable",
                                                                reason="cannot load library 'pango'"),
                                  word=outcome.word), "the Word copy needs no engine"
    assert outcome.word > 0
    assert not os.path.exists(os.path.join(edition_copy, NAME))
    with open(os.path.join(edition_copy, "overall.html"), encoding="utf-8") as f:
        stamp = BeautifulSoup(f.read(), "html.parser").select_one(".column-byline")
    assert "PDF" not in stamp.get_text() and " ·  · " not in stamp.get_text() and not stamp.get_text().strip().endswith("·")


def test_a_character_our_font_lacks_means_no_pdf_rather_than_a_system_font(
        edition_copy, edition_and_pages, tmp_path):
    from reportsite.model.errors import BuildError
    from reportsite.write import pdf

    page = os.path.join(edition_copy, "preface.html")
    with open(page, encoding="utf-8") as f:
        text = f.read()
    with open(page, "w", encoding="utf-8") as f:
        f.write(text.replace("</article>", "<p>\u3400\U00020000 &#x1F600;</p></article>", 1))
    edition, pages = edition_and_pages
    mode = pdf.Mode(str(tmp_path / "cache"))
    outcome = write_pdf(edition, pages, edition_copy, mode)
    assert outcome == pdf.Outcome(pdf.UNAVAILABLE, note=message("pdf-font-unavailable",
                                                                chars="\u3400\U0001F600\U00020000"),
                                  word=outcome.word)
    assert not os.path.exists(os.path.join(edition_copy, NAME))
    with pytest.raises(BuildError) as failed:
        write_pdf(edition, pages, edition_copy, pdf.Mode(str(tmp_path / "cache"), required=True))
    assert failed.value.slug == "pdf-font-required"


def test_build_says_so_in_one_line_when_the_engine_cannot_load(tmp_path):
    """A `weasyprint` that fails to load as it does without Pango: one line, the site is built;
    with --pdf the build fails with that line."""
    for folder in ("data", "content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise OSError(\"cannot load library 'pango-1.0-0'\")\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "fake")}
    args = ["--data", str(tmp_path / "data"), "--out", str(tmp_path / "site"), "--jobs", "1", "--lang", "en"]
    built = run_build(*args, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    notes = [line for line in built.stdout.splitlines() if "PDF engine" in line]
    assert notes == ["the PDF engine WeasyPrint cannot load (cannot load library 'pango-1.0-0'); this build "
                     "makes the site without the report's PDF (--pdf makes the PDF required)"]
    assert not (tmp_path / "site" / EDITION / NAME).exists()
    required = run_build(*args, "--pdf", env=env)
    assert required.returncode == 1
    assert "[pdf-engine-required]" in required.stderr, required.stderr


def test_the_engine_is_not_imported_when_the_pdf_is_cached(edition_copy, edition_and_pages, tmp_path):
    """An unchanged edition copies its PDF without loading WeasyPrint (about half a second)."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from reportsite.write import pdf
from reportsite.read.check import check_archive
from reportsite.render.pages import edition_pages
archive = check_archive({str(ROOT / 'data')!r})[0]
edition = archive.edition({EDITION!r})
pages = edition_pages(archive, edition, {str(ROOT / 'content' / EDITION)!r})
mode = pdf.Mode({str(tmp_path / 'cache')!r})
import os
built = {{n: open(os.path.join({edition_copy!r}, n), encoding="utf-8").read() for n in os.listdir({edition_copy!r}) if n.endswith(".html")}}
first = pdf.write_pdf(edition, pages, built, {edition_copy!r}, mode).status
for name in [m for m in sys.modules if m.startswith("weasyprint")]:
    del sys.modules[name]
second = pdf.write_pdf(edition, pages, built, {edition_copy!r}, mode).status
print(first, second, "weasyprint" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["built", "cached", "False"]


def test_a_frozen_edition_stores_its_pdf_with_its_pages(tmp_path):
    """Frozen: the PDF is stored and checksummed with the pages, and copied back unchanged."""
    import json

    for folder in ("data", "content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    edition_yaml = tmp_path / "data" / EDITION / "edition.yaml"
    edition_yaml.write_text(edition_yaml.read_text(encoding="utf-8") + "frozen: true\n", encoding="utf-8")
    args = ["--data", str(tmp_path / "data"), "--out", str(tmp_path / "site"), "--jobs", "1", "--lang", "en"]
    first = run_build(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    stored = tmp_path / "frozen" / EDITION
    manifest = json.loads((stored / "MANIFEST.json").read_text(encoding="utf-8"))
    assert NAME in manifest["files"]
    again = run_build(*args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "(frozen, unchanged): copied" in again.stdout
    assert (tmp_path / "site" / EDITION / NAME).read_bytes() == (stored / NAME).read_bytes()


def test_charts_are_vectors_not_pictures(reader):
    """The charts are the site's SVG drawn as paths and text: the PDF holds no raster image, in
    its pages or in the forms they draw."""
    def subtypes(resources, seen):
        for ref in ((resources or {}).get("/XObject") or {}).values():
            obj = ref.get_object()
            if id(obj) not in seen:
                seen.add(id(obj))
                yield obj.get("/Subtype")
                yield from subtypes(obj.get("/Resources"), seen)

    found = [t for page in reader.pages for t in subtypes(page.get("/Resources"), set())]
    assert "/Form" in found and "/Image" not in found


def test_no_page_ends_with_a_heading(built_site, pdf_path, reader):
    """Headings are kept with what follows them: none is the last line of a page."""
    headings = {squeeze(h.get_text()) for stem in SECTIONS
                for h in article(built_site, stem).find_all(["h1", "h2", "h3"])}
    for number in range(3, len(reader.pages) + 1):
        lines = [squeeze(line) for line in pdftotext(pdf_path, number, number).splitlines()]
        body = [line for line in lines if line and not re.fullmatch(r"—\d+—", line)]
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]}"


def test_the_engine_leaves_the_process_as_it_found_it(edition_and_pages, edition_copy, tmp_path):
    """WeasyPrint registers XML namespace prefixes process-wide when imported; after a PDF, the next
    edition's results.xlsx (written by the same worker process) is the same bytes as before."""
    from xml.etree import ElementTree

    from reportsite.read.check import check_archive
    from reportsite.render import exports
    from reportsite.write import pdf

    archive = check_archive(str(ROOT / "data"))[0]
    edition, pages = edition_and_pages
    before = exports.to_xlsx(archive, edition, exports.rows(archive, edition))
    namespaces = dict(ElementTree._namespace_map)
    assert write_pdf(edition, pages, edition_copy, pdf.Mode(str(tmp_path / "cache"))).status == pdf.BUILT
    assert dict(ElementTree._namespace_map) == namespaces
    assert exports.to_xlsx(archive, edition, exports.rows(archive, edition)) == before
