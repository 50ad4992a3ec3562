"""The PDF's document-level records, written after WeasyPrint by `pdftags.finish_pdf()`: one XMP
packet that declares PDF/A-3a and PDF/UA-1 (with the extension schema PDF/A requires for the
PDF/UA identifier), the information dictionary agreeing with it, every date at 00:00 Beijing time
on the first day of the publication month, page labels (the cover and the contents in roman
numerals, 前言 page 1), the outline shown on opening, and each attachment once in `/AF`.

Pure on a pikepdf document: no clock, no randomness, so the same PDF in gives the same PDF out.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pikepdf

from reportsite.model.records import Edition
from reportsite.write.printable import published_at

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdf:Producer>{producer}</pdf:Producer>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
"""One XMP packet: PDF/A-3a, PDF/UA-1 and the extension schema that declares `pdfuaid`."""


def pdf_date(edition: Edition) -> str:
    """The edition's date as a PDF date string: `D:20220201000000+08'00'`."""
    return published_at(edition).strftime("D:%Y%m%d%H%M%S+08'00'")


def xmp_date(edition: Edition) -> str:
    """The edition's date as XMP writes it: `2022-02-01T00:00:00+08:00`."""
    return published_at(edition).isoformat()


def metadata(pdf: pikepdf.Pdf, edition: Edition) -> None:
    """The information dictionary and one XMP packet, saying the same."""
    info = pdf.docinfo
    title, subject = str(info.get("/Title", edition.title)), str(info.get("/Subject", ""))
    producer = str(info.get("/Producer", ""))
    date = pdf_date(edition)
    info["/Author"] = pikepdf.String("、".join(edition.publishers))
    info["/CreationDate"] = pikepdf.String(date)
    info["/ModDate"] = pikepdf.String(date)
    packet = XMP.format(title=escape(title), description=escape(subject), producer=escape(producer),
                        date=xmp_date(edition),
                        creators="".join(f"<rdf:li>{escape(p)}</rdf:li>" for p in edition.publishers))
    stream = pikepdf.Stream(pdf, packet.encode("utf-8"))
    stream["/Type"] = pikepdf.Name("/Metadata")
    stream["/Subtype"] = pikepdf.Name("/XML")
    pdf.Root.Metadata = pdf.make_indirect(stream)


def attached_once(pdf: pikepdf.Pdf, edition: Edition) -> None:
    """Each attached file once in `/AF`, dated by the edition."""
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return
    specs = []
    for _, spec in pikepdf.NameTree(tree).items():
        params = spec.EF.F.get("/Params")
        if params is not None:
            params["/CreationDate"] = pikepdf.String(pdf_date(edition))
            params["/ModDate"] = pikepdf.String(pdf_date(edition))
        specs.append(spec if spec.is_indirect else pdf.make_indirect(spec))
    pdf.Root.AF = pikepdf.Array(specs)


def page_index(pdf: pikepdf.Pdf, name: str) -> int | None:
    """The page a named destination (an element's id) falls on, from 0."""
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None or name not in pikepdf.NameTree(dests):
        return None
    target = pikepdf.NameTree(dests)[name]
    page = (target.D if isinstance(target, pikepdf.Dictionary) else target)[0]
    return next((i for i, p in enumerate(pdf.pages) if p.obj.objgen == page.objgen), None)


def page_labels(pdf: pikepdf.Pdf, first: str) -> None:
    """Front matter in lower-case roman numerals; the page holding `first` (前言) is 1."""
    start = page_index(pdf, first)
    if not start:
        return
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([
        0, pikepdf.Dictionary(S=pikepdf.Name("/r")),
        start, pikepdf.Dictionary(S=pikepdf.Name("/D"), St=1)]))


def catalog(pdf: pikepdf.Pdf, edition: Edition, first: str) -> None:
    """Everything document-wide: metadata, attachments, page labels, the outline on opening."""
    metadata(pdf, edition)
    attached_once(pdf, edition)
    page_labels(pdf, first)
    pdf.Root.PageMode = pikepdf.Name("/UseOutlines")
