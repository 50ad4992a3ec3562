"""The Word copy for review, `EDITION-report.docx`: the printable document the PDF is made from,
as a Word file a ministry passes round for 审阅、会签 and hands to web editors.

python-docx (maintained, pure Python over lxml, no Word or LibreOffice needed) writes it: Word's
own heading styles (标题 1-3, so the navigation pane works), a table-of-contents field filled in
with the headings, tables as Word tables with their header rows repeated, each chart a 300 dpi
picture (`raster.py`) with a Word caption (图 {SEQ}), each 附件 a section of its own, page numbers
in the footer, 宋体/黑体 named in the East Asian font slots (no font embedded), title, author,
language and date in its properties, "审阅稿" on its cover. The same document gives the same
bytes: every date is the edition's, and the zip's entries carry that date.
"""

from __future__ import annotations

import io
import re
import zipfile

from reportsite.model.records import Edition
from reportsite.write import raster
from reportsite.write.wordparts import HEADING_FONT, east_asian, field, field_end, field_start, styles
from reportsite.write.printable import published_at
from reportsite.write.tree import Node, parse, tagged

DRAFT = "审阅稿"
SKIPPED = {"script", "style", "nav", "svg", "title", "head"}


class Writer:
    """Walks the printable document and writes the Word file."""

    def __init__(self, edition: Edition, cache_dir: str):
        import docx

        self.edition, self.cache_dir = edition, cache_dir
        self.document = docx.Document()
        self.figures = 0
        styles(self.document)

    # -- document parts ------------------------------------------------------------------------

    def cover(self, root: Node) -> None:
        """The cover: title, 审阅稿, publishers, month; then the contents."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
        from docx.shared import Pt

        doc = self.document
        doc.sections[0].different_first_page_header_footer = True
        for _ in range(5):
            doc.add_paragraph()
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(self.edition.title)
        run.font.size = Pt(22)
        east_asian(run, HEADING_FONT)
        draft = doc.add_paragraph()
        draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = draft.add_run(DRAFT)
        run.font.size = Pt(16)
        east_asian(run, HEADING_FONT)
        for _ in range(6):
            doc.add_paragraph()
        cover = root.find(tagged("section", "cover"))
        for p in cover.elements() if cover else []:
            if p.tag == "p" and {"cover-publisher", "cover-month", "cover-demo", "cover-edition"} & p.classes:
                line = doc.add_paragraph(p.text().strip())
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    def contents(self, headings: list[tuple[int, str]]) -> None:
        """目录: a TOC field, filled in with the headings (Word puts the page numbers in)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

        title = self.document.add_paragraph("目　录")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first = self.document.add_paragraph(style=self.toc_style(headings[0][0]) if headings else None)
        field_start(first)
        for i, (level, text) in enumerate(headings):
            p = first if i == 0 else self.document.add_paragraph(style=self.toc_style(level))
            p.add_run(text)
        field_end(self.document.paragraphs[-1])
        self.document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    def toc_style(self, level: int):
        """Word's own style of a contents line at `level` (TOC 1, TOC 2), made when missing."""
        from docx.enum.style import WD_STYLE_TYPE

        name = f"TOC {level}"
        names = {s.name for s in self.document.styles}
        if name not in names:
            style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.document.styles["Normal"]
            style.paragraph_format.left_indent = (level - 1) * 304800
        return self.document.styles[name]

    def new_section(self) -> None:
        """A section of its own (each 附件, the errata, the site's appendix, the version page)."""
        from docx.enum.section import WD_SECTION

        self.document.add_section(WD_SECTION.NEW_PAGE)

    def footer(self) -> None:
        """The page number, centred in the footer: — 1 —."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.document.sections[0].footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("— ")
        field(p, "PAGE", "1")
        p.add_run(" —")

    # -- blocks ----------------------------------------------------------------------------------

    def block(self, node: Node, level: int = 0) -> None:
        """One element of a part, and what it holds."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        tag, doc = node.tag, self.document
        if tag in SKIPPED:
            return
        if tag in ("h1", "h2", "h3", "h4"):
            if "annex" in node.classes:
                label = node.find(tagged("span", "annex-number"))
                title = node.find(tagged("span", "annex-title"))
                p = doc.add_paragraph()
                run = p.add_run(label.text() if label else "")
                run.font.size = Pt(16)
                east_asian(run, HEADING_FONT)
                heading = doc.add_heading(title.text() if title else node.text(), 1)
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
                heading.paragraph_format.first_line_indent = Pt(0)
                return
            doc.add_heading(" ".join(node.text().split()), min(int(tag[1]), 3))
        elif tag == "p":
            p = doc.add_paragraph()
            if "admonition-title" not in node.classes and "table-note" not in node.classes:
                p.paragraph_format.first_line_indent = Pt(24)
            self.inline(p, node, note="site-note" in node.classes or level > 0)
        elif tag in ("ul", "ol"):
            self.listing(node, tag == "ol", level)
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            self.figure(node)
        elif tag == "div" and "site-note" in node.classes:
            for child in node.element_children():
                self.block(child, level + 1)
        else:
            for child in node.element_children():
                self.block(child, level)

    def inline(self, p, node: Node, note: bool = False, bold: bool = False, size: float = 0) -> None:
        """The runs of a paragraph: text, bold, the site's notes and errata set smaller."""
        from docx.shared import Pt, RGBColor

        for child in node.children:
            if isinstance(child, str):
                text = re.sub(r"\s+", " ", child)
                if text.strip() or text == " ":
                    run = p.add_run(text)
                    run.bold = bold or None
                    if note or size:
                        run.font.size = Pt(size or 10.5)
                    if note:
                        run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
                continue
            if child.tag == "br":
                p.add_run().add_break()
            elif child.tag in SKIPPED:
                continue
            else:
                marked = note or {"site-note", "erratum", "chart-source"} & child.classes != set()
                self.inline(p, child, marked, bold or child.tag in ("strong", "b", "th"), size)

    def listing(self, node: Node, numbered: bool, level: int) -> None:
        """A list as indented paragraphs, numbered as the print numbers it."""
        from docx.shared import Pt

        number = 0
        for item in node.element_children():
            if item.tag != "li":
                continue
            number += 1
            p = self.document.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(24)
            p.paragraph_format.left_indent = Pt(24 * level)
            if numbered:
                p.add_run(f"{number}. ")
            inline = Node("span", {}, [c for c in item.children if not (isinstance(c, Node) and c.tag in ("ul", "ol"))])
            self.inline(p, inline, note=level > 0)
            for sub in item.element_children():
                if sub.tag in ("ul", "ol"):
                    self.listing(sub, sub.tag == "ol", level + 1)

    def table(self, node: Node) -> None:
        """A Word table, its caption above it, its head rows repeated on every page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        caption = node.find(tagged("caption"))
        if caption is not None:
            self.document.add_paragraph(" ".join(caption.text().split()), style="Caption")
        rows: list[tuple[Node, bool]] = []
        for part in node.element_children():
            if part.tag in ("thead", "tbody", "tfoot"):
                rows += [(r, part.tag == "thead") for r in part.element_children() if r.tag == "tr"]
            elif part.tag == "tr":
                rows.append((part, False))
        grid = layout(rows)
        if not grid:
            return
        table = self.document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
        table.style = "Table Grid"
        for i, (row, head) in enumerate(rows):
            if head:
                trpr = table.rows[i]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                trpr.append(repeat)
        # python-docx lays out the whole table to find one cell: take the fresh table's cells once
        # (appendix 3 has a hundred rows), fill them, and merge the spanning ones last.
        width = len(grid[0])
        flat = table._cells
        widths(table, grid, [[flat[i * width + j] for j in range(width)] for i in range(len(grid))])
        merges = []
        done: set[int] = set()
        for i, cells in enumerate(grid):
            for j, cell in enumerate(cells):
                if cell is None or id(cell) in done:
                    continue
                done.add(id(cell))
                span_r = int(cell.attrs.get("rowspan", "1") or 1)
                span_c = int(cell.attrs.get("colspan", "1") or 1)
                target = flat[i * width + j]
                if span_r > 1 or span_c > 1:
                    merges.append((target, flat[(min(i + span_r, len(grid)) - 1) * width + min(j + span_c, width) - 1]))
                p = target.paragraphs[0]
                p.paragraph_format.line_spacing = 1.0
                p.paragraph_format.first_line_indent = Pt(0)
                self.inline(p, cell, bold=cell.tag == "th", size=10.5)
                shade(target, cell)
                if "num" in cell.classes:
                    from docx.enum.text import WD_ALIGN_PARAGRAPH
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for first, last in merges:
            first.merge(last)

    def figure(self, node: Node) -> None:
        """The chart as a 300 dpi picture, its caption below it as a Word caption (图 {SEQ})."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        svg = node.find(tagged("svg"))
        drawn = node.find(tagged("table"))
        if svg is not None:
            from reportsite.write.tree import serialize

            png = raster.chart_png(serialize(svg), self.cache_dir)
            self.document.add_picture(io.BytesIO(png), width=Mm(raster.WIDTH_MM))
            self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif drawn is not None:
            # A figure that is a table (the table of 得分率): a Word table, its cells coloured as
            # on the page, under the figure's caption rather than its own.
            self.table(Node(drawn.tag, drawn.attrs, [c for c in drawn.children
                                                     if not (isinstance(c, Node) and c.tag == "caption")]))
        title = node.find(tagged("p", "chart-caption"))
        if title is None:
            return
        self.figures += 1
        caption = self.document.add_paragraph(style="Caption")
        number = title.find(tagged("span", "chart-number"))
        caption.add_run("图 ")
        field(caption, "SEQ 图 \\* ARABIC", number.text().replace("图", "").strip() if number else str(self.figures))
        caption.add_run("　")
        self.inline(caption, Node("span", {}, [c for c in title.children if c is not number]))


CELL_COLOURS = re.compile(r"background-color:\s*#([0-9a-fA-F]{6})\s*;\s*color:\s*#([0-9a-fA-F]{6})")
"""A cell coloured by the page (the table of 得分率): its fill and its text colour."""


def shade(target, cell: Node) -> None:
    """Give a Word table cell the fill and text colour its HTML cell has, if any."""
    m = CELL_COLOURS.search(cell.attrs.get("style", ""))
    if m is None:
        return
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), m.group(1).upper())
    target._tc.get_or_add_tcPr().append(fill)
    for run in (r for p in target.paragraphs for r in p.runs):
        run.font.color.rgb = RGBColor.from_string(m.group(2).upper())


def layout(rows: list[tuple[Node, bool]]) -> list[list[Node | None]]:
    """Table rows as a grid of cells, a spanning cell in every slot it covers."""
    grid: list[list[Node | None]] = []
    for i, (row, _) in enumerate(rows):
        while len(grid) <= i:
            grid.append([])
        j = 0
        for cell in row.element_children():
            if cell.tag not in ("td", "th"):
                continue
            while j < len(grid[i]) and grid[i][j] is not None:
                j += 1
            span_r = int(cell.attrs.get("rowspan", "1") or 1)
            span_c = int(cell.attrs.get("colspan", "1") or 1)
            for r in range(i, min(i + span_r, len(rows))):
                while len(grid) <= r:
                    grid.append([])
                for c in range(j, j + span_c):
                    while len(grid[r]) <= c:
                        grid[r].append(None)
                    grid[r][c] = cell
            j += span_c
    width = max((len(r) for r in grid), default=0)
    return [r + [None] * (width - len(r)) for r in grid]


def widths(table, grid: list[list[Node | None]], cells: list, total_mm: float = 155) -> None:
    """Columns as wide as what they hold: a number's column narrow, a name's wide (`cells`: the
    Word table's cells, row by row)."""
    from docx.shared import Mm

    weights = []
    for j in range(len(grid[0])):
        longest = max((len(c.text().strip()) for row in grid if (c := row[j]) is not None
                       and int(c.attrs.get("colspan", "1") or 1) == 1), default=4)
        weights.append(min(max(longest, 3), 28))
    table.autofit = False
    grid_columns = table._tbl.tblGrid.gridCol_lst
    for j, weight in enumerate(weights):
        width = Mm(total_mm * weight / sum(weights))
        # Word reads the cells' widths, LibreOffice the table's grid: both say the same.
        grid_columns[j].w = width
        for row in cells:
            row[j].width = width


def fixed_zip(data: bytes, edition: Edition) -> bytes:
    """The Word file's zip with every entry dated by the edition, in the order written."""
    stamp = published_at(edition).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            dst.writestr(entry, src.read(info.filename), compresslevel=9)
    return out.getvalue()


def word_copy(edition: Edition, source: str, cache_dir: str) -> bytes:
    """The printable document `source` as the edition's Word copy for review."""
    import datetime as dt

    root = parse(source)
    writer = Writer(edition, cache_dir)
    writer.cover(root)
    parts = [n for n in root.elements() if n.tag == "section" and "part" in n.classes]
    headings = [(int(h.tag[1]), " ".join((h.attrs.get("data-label") or h.text()).split()))
                for part in parts for h in part.elements() if h.tag in ("h1", "h2") and "id" in h.attrs
                and (h.tag == "h1" or "part-body" in part.classes)]
    writer.contents(headings)
    writer.footer()
    for i, part in enumerate(parts):
        if i and "part-body" not in part.classes:
            writer.new_section()
        for child in part.element_children():
            writer.block(child)
    props = writer.document.core_properties
    when = published_at(edition).astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.title, props.author = edition.title, "、".join(edition.publishers)
    props.language, props.subject, props.comments = "zh-CN", f"{edition.title}（{DRAFT}）", DRAFT
    props.keywords, props.category = "产业技术创新战略联盟；活跃度评价", DRAFT
    props.created = props.modified = props.last_printed = when
    props.last_modified_by, props.revision = "、".join(edition.publishers), 1
    out = io.BytesIO()
    writer.document.save(out)
    return fixed_zip(out.getvalue(), edition)
