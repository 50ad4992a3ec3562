"""The Word copy for review, read back with python-docx as a reviewer's tool would, and converted
to PDF by LibreOffice headless (Debian's libreoffice-writer-nogui, installed by `make test`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import EDITION

pytestmark = pytest.mark.pdf

NAME = f"{EDITION}-report.docx"
CHAPTERS = ["一、前言", "二、活跃度评价工作的组织", "三、联盟活跃度情况分析", "四、从各项指标来看试点联盟活跃度情况",
            "五、A级活跃度联盟评价的情况", "六、总结", "七、未参与活跃度评价的联盟情况", "八、对联盟主管和业务部门的政策建议"]
SECTIONS = ["preface", "methodology", "overall", "tiers", "indicators", "a-level", "summary", "not-evaluated",
            "recommendations", "appendix-1", "appendix-2", "appendix-3", "appendix-4"]


@pytest.fixture(scope="module")
def path(built_site) -> str:
    return os.path.join(built_site, EDITION, NAME)


@pytest.fixture(scope="module")
def document(path):
    import docx

    return docx.Document(path)


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_chapter_and_appendix_is_a_heading_in_order(document):
    level_one = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level_one[:8] == CHAPTERS
    assert [t for t in level_one if t.startswith("三、")] == ["三、联盟活跃度情况分析"]
    annexes = level_one[8:12]
    assert annexes[0] == "2020-2021 年度联盟活跃度评价专家组" and annexes[3] == "A 级活跃度产业技术创新战略联盟名单"
    labels = [p.text for p in document.paragraphs if re.fullmatch(r"附件\d", p.text)]
    assert labels == ["附件1", "附件2", "附件3", "附件4"]
    assert "Heading 2" in {p.style.name for p in document.paragraphs}


def test_every_paragraph_of_the_report_s_sections_is_present(built_site, document):
    text = re.sub(r"［按数据计算为[^］]*］", "", squeeze("".join(p.text for p in document.paragraphs)))
    count = 0
    for stem in SECTIONS:
        with open(os.path.join(built_site, EDITION, f"{stem}.html"), encoding="utf-8") as f:
            article = BeautifulSoup(f.read(), "html.parser").select_one("article")
        for p in article.find_all("p"):
            if p.find_parent(class_=["edition-bar", "chart-actions", "reading-aids", "site-note"]) \
                    or p.find_parent("figure") or p.find_parent("table"):
                continue
            for erratum in p.select(".erratum"):
                erratum.replace_with(f"@@{erratum['data-computed']}@@{erratum['data-printed']}@@")
            wanted = squeeze(p.get_text())
            wanted = re.sub(r"([\d.]+%?)@@\1@@([^@]+)@@", r"\2", wanted)
            if wanted and "本网站注" not in wanted:
                assert wanted in text, f"{stem}: {p.get_text()[:60]!r}"
                count += 1
    assert count > 60


def test_eleven_pictures_with_captions(document):
    assert len(document.inline_shapes) >= 11
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("图 ")]
    assert [c.split("\u3000")[0] for c in captions] == [f"图 {i}" for i in range(1, 12)]
    xml = document.element.xml
    assert xml.count("SEQ 图") == 11, "each caption numbers itself as Word captions do"
    for shape in document.inline_shapes:
        assert 120 <= shape.width.mm <= 130


def test_pictures_are_300_dpi_renders_of_the_charts(path):
    import io
    import zipfile

    from PIL import Image

    with zipfile.ZipFile(path) as z:
        pictures = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert len(pictures) == 11
        width = Image.open(io.BytesIO(z.read(pictures[0]))).size[0]
    assert width == round(125 / 25.4 * 300)


def test_tables_repeat_their_header_rows(document):
    assert len(document.tables) >= 15
    headed = [t for t in document.tables if "w:tblHeader" in t.rows[0]._tr.xml]
    assert len(headed) == len(document.tables)


def test_core_properties_contents_field_fonts_and_draft_mark(document):
    props = document.core_properties
    assert props.title.endswith("活跃度评价报告")
    assert props.author == "中国产业技术创新战略联盟协同发展网、中关村国联产业协同创新发展促进中心"
    assert props.language == "zh-CN"
    assert props.created.isoformat().startswith("2022-01-31T16:00:00")
    assert any(p.text == "审阅稿" for p in document.paragraphs[:20])
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml
    styles = document.styles.element.xml
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    assert "PAGE" in document.sections[0].footer._element.xml


def test_the_same_bytes_every_time(built_site, path, tmp_path):
    from conftest import ROOT

    from reportsite.read.check import check_archive
    from reportsite.render.pages import edition_pages
    from reportsite.write import word
    from reportsite.write.printable import document as printable_document
    from reportsite.write.printable import parts_of_record, report_stems

    archive = check_archive(str(ROOT / "data"))[0]
    edition = archive.edition(EDITION)
    pages = edition_pages(archive, edition, str(ROOT / "content" / EDITION))
    folder = os.path.join(built_site, EDITION)
    built = {}
    for stem, depth in report_stems(pages):
        with open(os.path.join(folder, f"{stem}.html"), encoding="utf-8") as f:
            built[stem] = (stem, depth, f.read())
    source = printable_document(edition, *parts_of_record(edition, list(built.values()), folder))
    first = word.word_copy(edition, source, str(tmp_path / "cache"))
    again = word.word_copy(edition, source, str(tmp_path / "cache"))
    assert first == again
    with open(path, "rb") as f:
        assert f.read() == first


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice: run `make test`")
def test_libreoffice_converts_it_to_pdf(path, tmp_path):
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    result = subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), path],
                            capture_output=True, text=True, timeout=300)
    converted = tmp_path / NAME.replace(".docx", ".pdf")
    assert result.returncode == 0 and converted.is_file(), result.stdout + result.stderr
    info = subprocess.run(["pdfinfo", str(converted)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 25
    text = subprocess.run(["pdftotext", str(converted), "-"], capture_output=True, text=True).stdout
    assert "三、联盟活跃度情况分析" in text and "审阅稿" in text


def test_not_linked_on_the_public_site_by_default(built_site):
    for stem in ("index", "preface"):
        with open(os.path.join(built_site, EDITION, f"{stem}.html"), encoding="utf-8") as f:
            assert NAME not in f.read()


def test_a_setting_links_it_and_the_ministry_s_own_pdf_stands_beside_ours(tmp_path):
    """With `extra.word_copy: true` the byline under each title links the Word copy and `package` publishes it;
    with `data/EDITION/original.pdf` the site publishes it as 原版 PDF beside ours, whose cover
    then calls itself the accessible edition."""
    import yaml
    from conftest import ROOT, run_build

    for folder in ("data", "content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["extra"]["word_copy"] = True
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    original = b"%PDF-1.4\n% the ministry's own file\n"
    (tmp_path / "data" / EDITION / "original.pdf").write_bytes(original)
    args = ["--out", str(tmp_path / "site"), "--config", str(tmp_path / "mkdocs.yml"), "--lang", "en"]
    built = run_build("--data", str(tmp_path / "data"), *args, cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    edition = tmp_path / "site" / EDITION
    assert (edition / f"{EDITION}-original.pdf").read_bytes() == original
    page = BeautifulSoup((edition / "preface.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in page.select(".column-byline a.pdf-link")}
    assert links[f"{EDITION}-original.pdf"].startswith("原版 PDF（")
    assert links[NAME].startswith("Word 审阅稿（")
    cover = subprocess.run(["pdftotext", "-l", "1", str(edition / f"{EDITION}-report.pdf"), "-"],
                           capture_output=True, text=True).stdout
    assert "无障碍版" in cover
    packed = run_build("package", "--draft", "--lang", "en", *args[:2], "--zip", str(tmp_path / "dist" / "site.zip"),
                       cwd=tmp_path)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    import zipfile

    with zipfile.ZipFile(tmp_path / "dist" / "site.zip") as z:
        assert f"{EDITION}/{NAME}" in z.namelist()


def test_a_table_of_rates_is_a_word_table_coloured_as_on_the_page(example_site):
    """The demo's 2018-2019 四 has two figures drawn as tables (the table of 得分率 by tier and by
    batch): each is a Word table under its figure's caption, every cell with the figure and the
    fill and text colour the page gives it."""
    import docx

    edition = "2018-2019"
    document = docx.Document(os.path.join(example_site, edition, f"{edition}-report.docx"))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "指标（分值）"]
    with open(os.path.join(example_site, edition, "indicators.html"), encoding="utf-8") as f:
        page = BeautifulSoup(f.read(), "html.parser")
    drawn = page.select("figure table.rate-table")
    assert len(tables) == len(drawn) == 2
    for table, html in zip(tables, drawn):
        rows = html.select("tbody tr")
        assert len(table.rows) == len(rows) + 1
        for row, tr in zip(table.rows[1:], rows):
            for cell, td in zip(row.cells[1:], tr.select("td")):
                assert cell.text == td.get_text()
                fill, ink = re.search(r"background-color:#(\w{6});color:#(\w{6})", td["style"]).groups()
                assert f'w:fill="{fill.upper()}"' in cell._tc.xml and f'w:val="{ink.upper()}"' in cell._tc.xml
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("图 ")]
    assert captions[:2] == ["图 1\u3000各活跃度档次联盟的二级指标得分率", "图 2\u3000各批次联盟的一级指标得分率"]
