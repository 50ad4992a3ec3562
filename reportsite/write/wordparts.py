"""Word's own parts for the Word copy (`word.py`): the East Asian font slots, fields (PAGE,
SEQ, TOC) and the document's styles (宋体 小四 body, 黑体 headings, zh-CN, captions)."""

from __future__ import annotations

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def east_asian(style_or_run, font: str, latin: str = LATIN_FONT) -> None:
    """Name `font` in the East Asian slot of a style's or run's fonts (and `latin` for the rest)."""
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), font)


def field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, SEQ 图, …) in `paragraph`, showing `shown` until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("shown", shown),
                       ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "shown":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def styles(document) -> None:
    """宋体 小四 body, 黑体 headings in black, zh-CN, captions below figures."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    east_asian(normal, BODY_FONT)
    lang = normal.element.get_or_add_rPr().makeelement(qn("w:lang"), {
        qn("w:val"): "zh-CN", qn("w:eastAsia"): "zh-CN"})
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.line_spacing = 1.5
    for level, size in ((1, 16), (2, 12), (3, 12)):
        style = document.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.bold = level == 2
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        east_asian(style, HEADING_FONT if level == 1 else BODY_FONT)
        style.paragraph_format.first_line_indent = Pt(24)
        style.paragraph_format.space_before = Pt(12 if level == 1 else 6)
    caption = document.styles["Caption"]
    caption.font.size = Pt(10.5)
    caption.font.bold = False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    east_asian(caption, HEADING_FONT)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def field_start(paragraph) -> None:
    """Open a TOC field (headings 1-2, as links) in `paragraph`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind in ("begin", "instr", "separate"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = ' TOC \\o "1-2" \\h \\z \\u '
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def field_end(paragraph) -> None:
    """Close the field opened by `field_start()`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(char)
