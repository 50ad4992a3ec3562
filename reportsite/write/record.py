"""The text of record: a report page's part of the printable document made to read as the
publishers printed it, with what the site adds marked as the site's and set apart.

For a printed (transcribed) edition the rule is: what the publishers printed, as they printed it.
So in a part of the PDF and the Word copy (each function below changes a part's tree in place):

- where an erratum applies the printed figure stands, and the note gives the computed one
  (`40.69%［按数据计算为 40.70%，见勘误与说明］`);
- what only makes sense on the site goes (`web-only`, or its `data-print` wording instead);
- a figure's caption stands below the drawing, as 图题 do; the figure's data table, headline and
  subtitle (the site's) go to the site's own appendix (附：本网站补充材料) as 附表 N, and the
  caption points there;
- a site note holding a list or a table (the reconstructed indicators) goes there too, leaving a
  one-line pointer; the site's other notes stay where they are, marked as the site's;
- an appendix's heading is set as the print sets it (附件1 at the top left, its title below);
- numbers in tables are right-aligned.

`is_site_note()` is the one place that knows how the site marks its own notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportsite.write.tree import Node, parent_map, tagged

SITE_NOTE_CLASS = "site-note"
SITE_NOTE_TITLE = "本网站说明"
SITE_NOTE_INLINE = "［本网站注"
"""How the narrative marks the site's own notes, in the one markup of the narrative's `site_note`
(docs/content.md): the class `site-note`, inline `<span class="site-note">［本网站注：…］</span>` or a
note block `<div class="admonition note site-note">` titled 本网站说明：…. A note block titled
本网站说明 or an inline ［本网站注：…］ without the class (content written before that markup) is
read as one too; `is_site_note()` is the one place to change if the markup changes."""
NUMBER = re.compile(r"[−-]?\d[\d,]*(\.\d+)?%?")
CODE = re.compile(r"[A-Za-z]\d+")
"""An identifier that stands in a column of numbers: an alliance's code (D106)."""
ANNEX = re.compile(r"附件\s*(\d+)\s*[：:]\s*(.+)", re.DOTALL)
SUPPLEMENT = "附：本网站补充材料"


@dataclass
class Supplement:
    """The site's own material gathered from the parts, in document order."""

    notes: list[Node] = field(default_factory=list)
    """Site notes holding lists or tables (the reconstructed indicators), whole."""
    tables: list[Node] = field(default_factory=list)
    """Each figure's data table as 附表 N, with what the site says of the figure."""


def is_site_note(node: Node) -> bool:
    """Whether an element is one of the site's own notes."""
    if SITE_NOTE_CLASS in node.classes:
        return True
    if "admonition" in node.classes:
        title = node.find(tagged("p", "admonition-title"))
        return title is not None and title.text().startswith(SITE_NOTE_TITLE)
    return node.tag == "span" and node.text().startswith(SITE_NOTE_INLINE)


def errata_as_printed(root: Node) -> None:
    """Each erratum: the printed figure in the text, the computed one in the note."""
    parents = parent_map(root)
    for span in [n for n in root.elements() if "erratum" in n.classes and "data-printed" in n.attrs]:
        parent = parents[id(span)]
        at = next(i for i, c in enumerate(parent.children) if c is span)
        computed, printed = span.attrs["data-computed"], span.attrs["data-printed"]
        before = parent.children[at - 1] if at else None
        if not isinstance(before, str) or not before.endswith(computed):
            continue
        parent.children[at - 1] = before[: -len(computed)] + printed
        link = span.find(tagged("a"))
        link_node = Node("a", dict(link.attrs), ["勘误与说明"]) if link else "勘误与说明"
        span.children = [f"［按数据计算为 {computed}，见", link_node, "］"]


def web_only(root: Node) -> None:
    """What only the site says: left out, or its `data-print` wording in its place."""
    parents = parent_map(root)
    for node in [n for n in root.elements() if "web-only" in n.classes]:
        parent = parents.get(id(node))
        if parent is None:
            continue
        wording = node.attrs.get("data-print")
        kept: list[Node | str] = []
        for child in parent.children:
            if child is not node:
                kept.append(child)
            elif wording:
                kept.append(wording)
        parent.children = kept


def figures_of_record(root: Node, supplement: Supplement) -> None:
    """Each figure: the drawing, then its caption; its data table to the site's appendix."""
    for figure in [n for n in root.elements() if n.tag == "figure" and "chart" in n.classes]:
        caption = figure.find(tagged("figcaption"))
        plot = figure.find(tagged("div", "chart-plot"))
        table = figure.find(tagged("table"))
        if caption is None or plot is None:
            continue
        title = caption.find(tagged("p", "chart-caption"))
        said = [p for p in caption.element_children() if p is not title]
        kept: list[Node | str] = [plot, caption]
        caption.children = [title] if title else []
        if table is not None and title is not None:
            supplement.tables.append(site_table(table, title, said, len(supplement.tables) + 1))
            title.children.append(Node("span", {"class": "chart-source"},
                                       [f"（本网站制图，数据见附表 {len(supplement.tables)}）"]))
        rest = [c for c in figure.children if isinstance(c, Node) and c.tag not in ("figcaption", "details")
                and c is not plot]
        figure.children = [*kept, *rest]


def site_table(table: Node, title: Node, said: list[Node], number: int) -> Node:
    """A figure's data table as 附表 N of the site's appendix, with the site's words on it."""
    label = title.find(tagged("span", "chart-number"))
    rest = "".join(c if isinstance(c, str) else c.text() for c in title.children if c is not label).strip()
    name = f"{label.text().strip()}　{rest}" if label is not None else rest
    caption = table.find(tagged("caption"))
    if caption is not None:
        caption.children = [f"附表 {number}　{name}的数据"]
    table.attrs["id"] = f"{table.attrs.get('id') or title.attrs.get('id') or 'table'}-{number}"
    notes = [Node("p", {"class": "table-note"}, [p.text().strip()]) for p in said if p.text().strip()]
    return Node("div", {"class": "site-table"}, [table, *notes])


def gather_listed_notes(root: Node) -> None:
    """A list the site compiled, written between an inline site note that introduces it and a
    titled site note that explains it (`{% call site_note() %}以下…{% endcall %}`, the list,
    `{% call site_note("关于…") %}…{% endcall %}`), made one note block holding all three, so it
    moves as one."""
    for parent in [root, *root.elements()]:
        kids = parent.children
        elements = [c for c in kids if isinstance(c, Node)]
        for i, p in enumerate(elements[:-1]):
            inner = p.element_children()
            lead = p.tag == "p" and len(inner) == 1 and is_site_note(inner[0]) and not p.text().replace(
                inner[0].text(), "").strip()
            if not lead or elements[i + 1].tag not in ("ol", "ul"):
                continue
            listed = elements[i + 1]
            block = elements[i + 2] if i + 2 < len(elements) and elements[i + 2].tag == "div" \
                and is_site_note(elements[i + 2]) else None
            title = block.find(tagged("p", "admonition-title")) if block is not None else None
            said = inner[0].text().strip().removeprefix(SITE_NOTE_INLINE).lstrip("：:").rstrip("］")
            merged = Node("div", {"class": f"admonition note {SITE_NOTE_CLASS}"}, [
                title if title is not None else Node("p", {"class": "admonition-title"}, [SITE_NOTE_TITLE]),
                Node("p", {}, [said]), listed,
                *([c for c in block.children if c is not title] if block is not None else [])])
            gone = {id(p), id(listed), id(block)}
            parent.children = [merged if c is p else c for c in kids if id(c) not in gone or c is p]
            return gather_listed_notes(root)


def site_material(root: Node, supplement: Supplement) -> None:
    """Site notes that hold a list or a table go to the site's appendix; a pointer stays."""
    gather_listed_notes(root)
    parents = parent_map(root)
    for note in [n for n in root.elements() if n.tag == "div" and is_site_note(n)]:
        if not note.find(lambda n: n.tag in ("ol", "ul", "table")):
            continue
        title = note.find(tagged("p", "admonition-title"))
        named = title.text().removeprefix(SITE_NOTE_TITLE).lstrip("：:") if title else "本网站整理的材料"
        supplement.notes.append(note)
        pointer = Node("p", {"class": "site-note"}, [f"［本网站注：{named}见文末“{SUPPLEMENT}”］"])
        parent = parents[id(note)]
        parent.children = [pointer if c is note else c for c in parent.children]


def marked_notes(root: Node) -> None:
    """Every site note carries the class the stylesheet and the Word copy set apart."""
    for node in root.elements():
        if is_site_note(node):
            node.add_class(SITE_NOTE_CLASS)


def lead_ins(root: Node) -> None:
    """A paragraph that ends with a colon introduces what follows and stays with it."""
    for p in root.elements():
        if p.tag == "p" and p.text().rstrip().endswith(("：", ":")):
            p.add_class("lead-in")


def numeric_cells(root: Node) -> None:
    """Numbers in tables are right-aligned: each cell that holds a number only, and a column of
    numbers with the odd code among them (D106 among 102 and 104) as a whole."""
    for table in [n for n in root.elements() if n.tag == "table"]:
        rows = [[c for c in row.element_children() if c.tag in ("td", "th")]
                for row in table.elements() if row.tag == "tr"]
        for j in range(max((len(r) for r in rows), default=0)):
            cells = [r[j] for r in rows if len(r) > j and r[j].tag == "td" and r[j].text().strip()]
            numbers = [c for c in cells if NUMBER.fullmatch(c.text().strip())]
            codes = [c for c in cells if CODE.fullmatch(c.text().strip())]
            whole = len(numbers) * 2 > len(cells) and len(numbers) + len(codes) == len(cells)
            for cell in cells if whole else numbers:
                cell.add_class("num")


def annex_heading(root: Node) -> str | None:
    """The appendix's heading as the print sets it: 附件1 at the top left, the title centred
    below. The contents' label of it (`附件1　title`), or None when the part is no appendix."""
    heading = root.find(tagged("h1"))
    m = ANNEX.fullmatch(heading.text().strip()) if heading else None
    if heading is None or m is None:
        return None
    label = f"附件{m.group(1)}"
    heading.add_class("annex")
    heading.attrs["data-label"] = f"{label}　{m.group(2)}"
    heading.children = [Node("span", {"class": "annex-number"}, [label]),
                        Node("span", {"class": "annex-title"}, [m.group(2)])]
    return heading.attrs["data-label"]


def continued_chapter(root: Node) -> None:
    """A part that continues the chapter before it loses its own chapter heading."""
    heading = root.find(tagged("h1"))
    if heading is not None:
        parents = parent_map(root)
        parents[id(heading)].remove(heading)


def supplement_part(supplement: Supplement) -> Node | None:
    """附：本网站补充材料: the site's notes with lists, then the figures' data tables."""
    if not supplement.notes and not supplement.tables:
        return None
    out: list[Node | str] = [
        Node("h1", {"id": "supplement-title"}, [SUPPLEMENT]),
        Node("p", {"class": "supplement-lead"}, ["以下材料由本网站依据原报告与评价数据整理，不属于原报告。"]),
    ]
    number = iter("一二三四五六七八九十")
    for i, note in enumerate(supplement.notes, start=1):
        title = note.find(tagged("p", "admonition-title"))
        named = title.text().removeprefix(SITE_NOTE_TITLE).lstrip("：:") if title else "本网站整理的材料"
        if title is not None:
            note.remove(title)
        out += [Node("h2", {"id": f"supplement-{i}"}, [f"{next(number)}、{named}"]),
                Node("div", {"class": "supplement-note"}, note.children)]
    if supplement.tables:
        out += [Node("h2", {"id": "supplement-tables"}, [f"{next(number)}、图表数据"]), *supplement.tables]
    return Node("section", {"class": "part supplement", "id": "supplement"}, out)
