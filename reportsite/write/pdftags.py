"""The PDF's tags finished after WeasyPrint: what PDF/UA-1 asks that the engine leaves out.

WeasyPrint tags the document but keeps the page margins' content (page numbers) out of the
structure tree as orphan elements rather than artifacts, tags the contents as a plain list,
describes no link, and gives figures' bounding boxes in CSS pixels from the top of the page. One
deterministic pass with pikepdf (`finish_pdf()`), so the PDF/A-3a claim stays true:

- the page margins' content becomes pagination artifacts, and its orphan elements go;
- the contents list becomes `TOC` with a `TOCI` per entry (its leader is a dotted rule, drawn as
  one artifact per entry by the stylesheet);
- every link annotation is described by where it leads ("跳转到：三、1. 总体情况");
- every figure's bounding box is in PDF user space (points, from the bottom of the page);
- every header cell has its scope (column in a table's head, row elsewhere);
- `pdfmeta.catalog()`: one XMP packet, dates, page labels, the outline on opening, `/AF`.
"""

from __future__ import annotations

import io
import re

import pikepdf

from reportsite.model.records import Edition
from reportsite.render.pages import CHAPTER_NUMBER
from reportsite.write import pdfmeta
from reportsite.write.tree import parse

PX = 0.75
"""Points per CSS pixel."""
MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
"""Where a marked-content sequence with an id opens in a page's content stream."""


def link_targets(source: str) -> dict[str, str]:
    """What each link of the printable document leads to, by the id it names: a heading by its
    text (a subsection with its chapter's number: 三、1. 总体情况), anything else by the heading
    it stands under."""
    out: dict[str, str] = {}
    chapter = current = ""
    for node in parse(source).elements():
        if node.tag in ("h1", "h2"):
            text = node.attrs.get("data-label") or " ".join(node.text().split())
            if node.tag == "h1":
                m = CHAPTER_NUMBER.match(text)
                chapter = f"{m.group(1)}、" if m else ""
                current = text
            else:
                current = f"{chapter}{text}" if chapter and not text.startswith(chapter) else text
        if "id" in node.attrs:
            out[node.attrs["id"]] = current or " ".join(node.text().split())
    return out


def reachable(root: pikepdf.Object) -> set[tuple[int, int]]:
    """Every structure element reachable from the structure tree's root."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem" and kid.is_indirect:
                if kid.objgen not in seen:
                    seen.add(kid.objgen)
                    stack.append(kid)
    return seen


def artifacts(pdf: pikepdf.Pdf) -> int:
    """The page margins' marked content as pagination artifacts, their orphan elements out of the
    parent tree; the number of marked-content sequences changed."""
    tree = pdf.Root.StructTreeRoot
    kept = reachable(tree)
    nums = tree.ParentTree.Nums
    changed = 0
    for at in range(0, len(nums), 2):
        index, entries = int(nums[at]), nums[at + 1]
        if not isinstance(entries, pikepdf.Array) or index >= len(pdf.pages):
            continue
        orphans = {mcid for mcid, elem in enumerate(entries)
                   if isinstance(elem, pikepdf.Dictionary) and elem.objgen not in kept}
        if not orphans:
            continue
        page = pdf.pages[index]
        page.contents_coalesce()

        def artifact(m: re.Match) -> bytes:
            return b"/Artifact <</Type /Pagination>> BDC" if int(m.group(1)) in orphans else m.group(0)

        # A pattern over the page's stream, not a parse of it: the stream is WeasyPrint's own, and
        # its marked-content openings have one shape (`/Span <</MCID 3>> BDC`).
        stream, count = MARKED.subn(artifact, page.obj.Contents.read_bytes())
        page.obj.Contents = pdf.make_stream(stream)
        changed += count
        for mcid in orphans:
            entries[mcid] = None
    return changed


def walk(node: pikepdf.Object):
    """Every structure element below `node`, in document order."""
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from walk(kid)


def contents_as_toc(pdf: pikepdf.Pdf) -> int:
    """The contents (the lists between the cover's title and the first chapter, each item holding
    a link; one list per page it runs over) as `TOC`, each entry a `TOCI` whose body is a
    `Reference`. The number of entries."""
    headings, count = 0, 0
    for toc in walk(pdf.Root.StructTreeRoot):
        headings += toc.S == "/H1"
        if headings > 1:
            break
        if toc.S != "/L":
            continue
        items = [k for k in toc.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/LI"]
        if not items or not all(any(e.S == "/Link" for e in walk(item)) for item in items):
            continue
        toc.S = pikepdf.Name("/TOC")
        for item in items:
            item.S = pikepdf.Name("/TOCI")
            for kid in walk(item):
                if kid.S == "/LBody":
                    kid.S = pikepdf.Name("/Reference")
        count += len(items)
    return count


def link_descriptions(pdf: pikepdf.Pdf, targets: dict[str, str]) -> None:
    """Every link annotation described by where it leads."""
    for page in pdf.pages:
        for annot in page.obj.get("/Annots") or []:
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            dest = annot.get("/Dest") if action is None else action.get("/D") or action.get("/URI")
            name = str(dest) if isinstance(dest, (pikepdf.String, pikepdf.Name)) else ""
            name = name.lstrip("/#")
            where = targets.get(name)
            if where:
                annot.Contents = pikepdf.String(f"跳转到：{where}")
            elif action is not None and action.get("/S") == "/URI":
                annot.Contents = pikepdf.String(f"打开网址：{action.URI}")


def figure_boxes(pdf: pikepdf.Pdf) -> None:
    """Each figure's bounding box from CSS pixels below the page's top into PDF user space."""
    for elem in walk(pdf.Root.StructTreeRoot):
        attrs = elem.get("/A")
        if elem.S != "/Figure" or not isinstance(attrs, pikepdf.Dictionary) or "/BBox" not in attrs:
            continue
        height = float(elem.Pg.MediaBox[3])
        x1, y1, x2, y2 = (float(v) for v in attrs.BBox)
        attrs.BBox = pikepdf.Array([round(x1 * PX, 3), round(height - y2 * PX, 3),
                                    round(x2 * PX, 3), round(height - y1 * PX, 3)])


def header_scopes(pdf: pikepdf.Pdf) -> None:
    """Every header cell says what it heads: its column in a table's head, its row elsewhere."""
    for elem in walk(pdf.Root.StructTreeRoot):
        if elem.S != "/TH":
            continue
        attrs = elem.get("/A")
        if not isinstance(attrs, pikepdf.Dictionary):
            attrs = elem.A = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
        if "/Scope" not in attrs:
            row = elem.get("/P")
            group = row.get("/P") if row is not None else None
            head = group is not None and group.get("/S") == "/THead"
            attrs.Scope = pikepdf.Name("/Column" if head else "/Row")


def finish_pdf(data: bytes, edition: Edition, targets: dict[str, str], first: str) -> bytes:
    """WeasyPrint's PDF with its tags, metadata and page labels finished (`first`: the id of the
    part whose first page is page 1)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        artifacts(pdf)
        contents_as_toc(pdf)
        link_descriptions(pdf, targets)
        figure_boxes(pdf)
        header_scopes(pdf)
        pdfmeta.catalog(pdf, edition, first)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
    return out.getvalue()
