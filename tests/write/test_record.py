"""The PDF as a document of record, read back with a reader's tools: poppler's pdftotext (with
`-bbox` for where words stand) and pdfinfo, pikepdf for the structure, and the `pdfua` checker
(the machine-checkable subset of PDF/UA-1; no JVM). Each test is one item of issue 23's list.

The default site is built once per session (`built_site`); the example archive once per module.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from html import unescape

import pytest
from conftest import EDITION

pytestmark = [pytest.mark.pdf,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils: run `make test`")]

NAME = f"{EDITION}-report.pdf"
WEB_CONTROLS = ("阅读辅助", "放大字号", "缩小字号", "高对比度", "恢复默认", "切换年度", "交互图表", "下载 PNG",
                "下载数据 CSV", "复制本图链接")


@pytest.fixture(scope="module")
def path(built_site) -> str:
    return os.path.join(built_site, EDITION, NAME)


@pytest.fixture(scope="module")
def pdf(path):
    import pikepdf

    with pikepdf.open(path) as doc:
        yield doc


def text(path: str, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *pages, path, "-"],
                          check=True, capture_output=True, text=True).stdout


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def words(path: str) -> list[list[tuple[float, float, float, float, str]]]:
    """Every page's words with their boxes (xMin, yMin, xMax, yMax, word), from `pdftotext -bbox`."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", path, "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.DOTALL):
        pages.append([(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def labels(pdf) -> list[str]:
    """Each page's label as a reader shows it."""
    import pikepdf

    return [pikepdf.Page(p).label for p in pdf.pages]


def test_no_web_control_text_in_any_edition_s_pdf(built_site, example_site):
    found = [*glob.glob(os.path.join(built_site, "*", "*-report.pdf")),
             *glob.glob(os.path.join(example_site, "*", "*-report.pdf"))]
    assert len(found) == 4
    for pdf_path in found:
        content = text(pdf_path)
        for word in WEB_CONTROLS:
            assert word not in content, f"{os.path.basename(pdf_path)}: {word}"


def test_one_chapter_three_in_the_outline_and_the_contents(pdf, path):
    with pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
    assert [t for t in top if t.startswith("三、")] == ["三、联盟活跃度情况分析"]
    threes = [line for line in text(path, 2, 3, layout=True).splitlines() if line.strip().startswith("三、")]
    assert len(threes) == 1
    assert top[:8] == ["一、前言", "二、活跃度评价工作的组织", "三、联盟活跃度情况分析", "四、从各项指标来看试点联盟活跃度情况",
                       "五、A级活跃度联盟评价的情况", "六、总结", "七、未参与活跃度评价的联盟情况", "八、对联盟主管和业务部门的政策建议"]
    assert top[8].startswith("附件1\u3000") and top[11].startswith("附件4\u3000")


def contents(path: str) -> list[tuple[str, str]]:
    """(title, page label) of each contents line, from the pages after the cover."""
    entries = []
    for line in text(path, 2, 3, layout=True).splitlines():
        m = re.match(r"\s*(\S.*?)\s{2,}(\d+)\s*$", line)
        if m:
            entries.append((m.group(1), m.group(2)))
    return entries


def test_page_labels_start_at_the_preface_and_the_contents_use_them(pdf, path):
    shown = labels(pdf)
    assert shown[:3] == ["i", "ii", "iii"][: shown.index("1")] + ["1"][: 3 - shown.index("1")]
    first = shown.index("1")
    assert "一、前言" in squeeze(text(path, first + 1, first + 1))
    entries = contents(path)
    assert len(entries) >= 30 and entries[0] == ("一、前言", "1")
    for title, label in entries:
        page = shown.index(label) + 1
        assert squeeze(title)[:12] in squeeze(text(path, page, page)), f"{title} is not on page {label}"
    footer = squeeze(text(path, first + 2, first + 2)).endswith("—2—")
    assert footer, "the page number printed is the label"


def test_no_page_header_text_inside_the_structure_tree(pdf):
    """The page numbers are pagination artifacts; every marked-content id maps to a reachable
    element."""
    import pikepdf

    from reportsite.write.pdftags import reachable

    tree = pdf.Root.StructTreeRoot
    kept = reachable(tree)
    nums = tree.ParentTree.Nums
    for at in range(0, len(nums), 2):
        entries = nums[at + 1]
        if isinstance(entries, pikepdf.Array):
            for elem in entries:
                assert not isinstance(elem, pikepdf.Dictionary) or elem.objgen in kept
    page = pdf.pages[labels(pdf).index("2")]
    stream = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
    assert "/Artifact <</Type /Pagination>> BDC" in stream or "/Artifact << /Type /Pagination >> BDC" in stream


def test_one_xmp_packet_with_pdfaid_and_pdfuaid(pdf):
    xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    assert xmp.count("<?xpacket begin") == 1 and xmp.count("<rdf:RDF") == 1
    with pdf.open_metadata() as meta:
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "A"
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:creator"] == ["中国产业技术创新战略联盟协同发展网", "中关村国联产业协同创新发展促进中心"]
        assert meta["xmp:CreateDate"] == "2022-02-01T00:00:00+08:00"
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert str(pdf.docinfo["/CreationDate"]).startswith("D:20220201000000+08'00")


def test_catalog_outline_on_opening_attachments_once_contents_as_toc(pdf):
    from reportsite.write.pdftags import walk

    assert pdf.Root.PageMode == "/UseOutlines"
    assert sorted(str(spec.UF) for spec in pdf.Root.AF) == ["results.csv", "results.xlsx"]
    kinds = [str(e.S) for e in walk(pdf.Root.StructTreeRoot)]
    assert kinds.count("/TOC") in (1, 2) and kinds.count("/TOCI") >= 30, "one per page the contents run over"
    first_heading = next(e for e in walk(pdf.Root.StructTreeRoot) if e.S in ("/H1", "/Title"))
    assert first_heading.Pg.objgen == pdf.pages[0].objgen, "the cover's title is the first heading"


def test_links_say_where_they_lead_and_figures_sit_on_their_page(pdf):
    from reportsite.write.pdftags import walk

    described = [str(a.Contents) for p in pdf.pages for a in p.obj.get("/Annots") or []
                 if a.get("/Subtype") == "/Link"]
    assert described and all(d.startswith(("跳转到：", "打开网址：")) for d in described)
    assert "跳转到：三、1. 总体情况" in described
    assert not any("--" in d for d in described), "no internal id as a description"
    for figure in (e for e in walk(pdf.Root.StructTreeRoot) if e.S == "/Figure"):
        x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
        box = [float(v) for v in figure.Pg.MediaBox]
        assert 0 <= x1 < x2 <= box[2] and 0 <= y1 < y2 <= box[3]


def test_each_figure_caption_stands_below_its_figure(path, pdf):
    """图题 below the figure: the caption's first line starts just under the figure's box."""
    from reportsite.write.pdftags import walk

    pages = words(path)
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    figures = [e for e in walk(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    assert len(figures) == 11
    for n, figure in enumerate(figures, start=1):
        page = pages[index[figure.Pg.objgen]]
        bottom = float(figure.Pg.MediaBox[3]) - float(figure.A.BBox[1])
        captions = [w for i, w in enumerate(page) if w[4] == "图" and i + 1 < len(page) and page[i + 1][4] == str(n)]
        assert captions, f"图 {n} has no caption on its page"
        assert any(0 <= w[1] - bottom <= 40 for w in captions), f"图 {n}'s caption is not below it"


def test_no_page_holds_only_a_table_s_header_and_one_row(path, pdf):
    shown = labels(pdf)
    for number in range(1, len(pdf.pages) + 1):
        lines = [line for line in text(path, number, number, layout=True).splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"\s*—\s*\S+\s*—\s*", line)]
        assert len(body) > 2 or not body, f"page {shown[number - 1]} holds only {body}"


def test_the_printed_figure_stands_where_an_erratum_applies(path):
    content = squeeze(text(path))
    assert "40.69%［按数据计算为40.70%，见勘误与说明，第" in content
    assert "40.70%［勘误" not in content


def test_site_material_is_marked_and_set_apart(path):
    content = squeeze(text(path))
    supplement = content.index("附：本网站补充材料以下材料由本网站依据原报告与评价数据整理")
    assert content.index("附表1图1") > supplement, "the data tables stand in the site's appendix"
    assert content.index("理事会会议") > supplement, "the reconstructed indicators too"
    assert "（本网站制图，数据见附表1）" in content
    assert "［本网站注：本网站整理的二级指标见文末“附：本网站补充材料”］" in content
    assert "名次" not in content[content.index("勘误与说明本网站的数字分为两类"):supplement]
    assert "有关情况详见下表：" in content


def test_the_pdfua_checker_finds_no_error(path):
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(path)
    errors = [f"{f.rule_id}: {f.message}" for f in report.findings if f.severity.name == "ERROR"]
    assert errors == []
