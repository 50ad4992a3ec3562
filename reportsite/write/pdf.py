"""Write an edition's report as a PDF of record: `site/EDITION/EDITION-report.pdf`.

The PDF is made from the edition's own built report pages, set by `printable.py` in one document
with a cover, a contents list and a closing note on the version and corrections, and typeset here
by WeasyPrint with our print stylesheet (`print/pdf.css`) and our vendored font, never a system
one. The engine reads nothing but the edition's folder and our font (`fetcher_class()`).

It is tagged (a structure tree, figures with alternative text, table header cells), declared
PDF/A-3a (WeasyPrint declares one variant; the tags stay on) and, in its XMP metadata, PDF/UA-1,
with the edition's `results.csv` and `results.xlsx` attached. Its dates are the edition's own
publication month and its document id derives from its inputs, so the same input gives the same
bytes, and adding an edition never changes an earlier edition's PDF.

A PDF is rebuilt only when its inputs change: the finished file is kept in a cache folder under a
fingerprint of everything it is made from, and an unchanged edition copies it. WeasyPrint is
imported only for a rebuild (importing it costs about half a second), and so is the post-pass
(`pdftags.py`, `pdfmeta.py`: pikepdf and lxml, a tenth of a second more), so that a build whose PDFs
are cached, `check` and `--no-pdf` never load them.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import re
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from reportsite.model import epoch, files
from reportsite.model.errors import BuildError
from reportsite.model.messages import Message, message
from reportsite.model.project import PRINT, TEMPLATES
from reportsite.model.records import Edition
from reportsite.render.pages import Pages
from reportsite.write import article, printable, raster, record, tree, word, wordparts
from reportsite.write.printable import FAMILY, HEADING_FAMILY, document, parts_of_record, published_at, report_stems

FONTS = os.path.join(PRINT, "fonts")
FACES = (("NotoSerifSC-Regular.woff", FAMILY, 400), ("NotoSerifSC-Bold.woff", FAMILY, 700),
         ("NotoSansSC-Medium.woff", HEADING_FAMILY, 400))
"""The vendored faces: the 宋体-style serif of the text, the 黑体-style sans of headings."""
ORIGINAL = "original.pdf"
"""The ministry's own PDF, when the edition's data folder has it: published beside ours."""
ATTACHMENTS = (("results.csv", "评价结果（CSV）"), ("results.xlsx", "评价结果（Excel 工作簿）"))
"""The edition's downloads attached to the PDF (PDF/A-3 allows any file), from `data/`."""
UNAVAILABLE, BUILT, CACHED, SKIPPED = "unavailable", "built", "cached", "skipped"


def file_name(edition: Edition) -> str:
    """The PDF's name in the edition folder: `2020-2021-report.pdf`."""
    return f"{edition.id}-report.pdf"


def word_name(edition: Edition) -> str:
    """The Word copy's name in the edition folder: `2020-2021-report.docx`."""
    return f"{edition.id}-report.docx"


@dataclass(frozen=True)
class Outcome:
    """What writing one edition's PDF did."""

    status: str
    """`built`, `cached`, `unavailable` (no PDF: the engine could not load, or our font lacks a
    character the report uses) or `skipped` (a preview, which makes no PDF)."""
    size: int = 0
    """The PDF's size in bytes (0 without one)."""
    note: Message | None = None
    """Why there is no PDF (`unavailable`), for the command line to say."""
    word: int = 0
    """The Word copy's size in bytes (0 without one)."""
    word_note: Message | None = None
    """Why there is no Word copy, for the command line to say."""


def stylesheet() -> str:
    """Our print stylesheet with the vendored faces declared as its two font families."""
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("fonts/{name}") format("woff"); }}\n' for name, family, weight in FACES)
    with open(os.path.join(PRINT, "pdf.css"), encoding="utf-8") as f:
        return faces + f.read().replace("FAMILY", f'"{FAMILY}"').replace("HEADING", f'"{HEADING_FAMILY}"')


def original_of(edition: Edition) -> str | None:
    """The ministry's own PDF of the edition (`data/EDITION/original.pdf`), if there is one."""
    path = os.path.join(os.path.dirname(edition.loc.path), ORIGINAL)
    return path if edition.loc.path and os.path.isfile(path) else None


def original_name(edition: Edition) -> str:
    """The name the ministry's own PDF is published under: `2020-2021-original.pdf`."""
    return f"{edition.id}-original.pdf"


def engine_version() -> str:
    """The installed versions of WeasyPrint and of fontTools, which subsets the fonts it embeds,
    read without importing them ("" for one not installed)."""
    found = []
    for name in ("weasyprint", "fonttools"):
        try:
            found.append(version(name))
        except PackageNotFoundError:
            found.append("")
    return " ".join(found)


def inputs_digest(source: str, css: str, attachments: list[str]) -> str:
    """sha256 of what the PDF shows and how it is set: the document, the stylesheet, the fonts,
    the attached files and the engine's version. The PDF's document id comes from it, so the id
    changes with the report and never with our code's own text."""
    h = hashlib.sha256()
    for text in (source, css, engine_version()):
        h.update(hashlib.sha256(text.encode()).digest())
    for path in [*(os.path.join(FONTS, face[0]) for face in FACES), *attachments]:
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


HERE = os.path.dirname(os.path.abspath(__file__))
MAKERS = (__file__, printable.__file__, article.__file__, record.__file__, tree.__file__,
          os.path.join(HERE, "pdftags.py"), os.path.join(HERE, "pdfmeta.py"),
          os.path.join(TEMPLATES, "pdf", "report.html.j2"))
"""The code and template that turn an edition's built pages into its PDF."""


def cache_key(edition: Edition, parts: list[tuple[str, int, str]], css: str, attachments: list[str],
              original: bool = False) -> str:
    """The cache key of a finished PDF, from everything the document is made of, without making
    it: the edition's record, each report page's built HTML (with its name and depth in the
    contents), the stylesheet, the fonts, the attached files, the engine's version and the code
    that makes the document and typesets it. A cached PDF is copied without reading the pages."""
    h = hashlib.sha256()
    for text in (repr(edition), css, engine_version(), "original" if original else ""):
        h.update(hashlib.sha256(text.encode()).digest())
    for stem, depth, text in parts:
        h.update(hashlib.sha256(f"{stem}\0{depth}\0{text}".encode()).digest())
    for path in [*(os.path.join(FONTS, face[0]) for face in FACES), *attachments, *MAKERS]:
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def fetcher_class(roots: list[str]):
    """WeasyPrint's URL fetcher narrowed to files below `roots` (after resolving `..` and links)
    and inline `data:` URLs: no network, no other file. Every refused address is kept in
    `refused`, for the build to name."""
    with engine_namespaces():
        from weasyprint.urls import URLFetcher

    allowed = [os.path.realpath(r) for r in roots]

    class OwnFiles(URLFetcher):
        """Fetches only `file:` URLs of files below the allowed folders."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            path = os.path.realpath(unquote(parts.path)) if parts.scheme == "file" and not parts.netloc else ""
            if not path or not any(path == r or path.startswith(r + os.sep) for r in allowed):
                self.refused.append(url)
                raise ValueError(f"not one of the edition's own files: {url}")
            return super().fetch(url, headers)

    return OwnFiles


def edition_epoch(edition: Edition):
    """SOURCE_DATE_EPOCH set to the edition's publication month while inside.

    fontTools stamps every font it writes (the faces WeasyPrint opens, the subsets it embeds) with
    SOURCE_DATE_EPOCH, else with the clock; the build's own epoch follows the newest edition. The
    edition's date keeps its PDF the same from build to build and whatever editions are added.
    """
    return epoch.set_to(int(published_at(edition).timestamp()))


ENGINE_NAMESPACES: dict[str, str] = {}
"""The XML namespace prefixes WeasyPrint registers for its XMP metadata, kept out of the process's
ElementTree map but while it typesets."""


@contextlib.contextmanager
def engine_namespaces():
    """WeasyPrint's XML namespace prefixes in force while inside, the process's own after.

    WeasyPrint registers its prefixes in ElementTree's one global map when imported, one of them for
    the empty namespace; left there, other ElementTree users of the process (openpyxl writing the
    next edition's results.xlsx) write `xmlns=""` and their bytes change. ElementTree has no way to
    unregister, so the map is put back as it was.
    """
    mapping = ElementTree._namespace_map
    saved = dict(mapping)
    mapping.update(ENGINE_NAMESPACES)
    try:
        yield
    finally:
        ENGINE_NAMESPACES.update({uri: prefix for uri, prefix in mapping.items() if saved.get(uri) != prefix})
        mapping.clear()
        mapping.update(saved)


def font_lacks(source: str) -> str:
    """The characters of the document's text that the vendored font does not have."""
    from fontTools.ttLib import TTFont

    covered = TTFont(os.path.join(FONTS, FACES[0][0]), lazy=True).getBestCmap()
    text = html.unescape(re.sub(r"<[^>]*>", "", source))
    return "".join(sorted({c for c in text if ord(c) not in covered and c.isprintable() and not c.isspace()}))


class _SubsetterNotice(logging.Filter):
    """Drops WeasyPrint's notice that it subsets with fontTools: that is our choice, not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Using fontTools instead of HarfBuzz-Subset")


@contextlib.contextmanager
def fonttools_subsetting():
    """WeasyPrint subsetting the embedded fonts with fontTools while inside.

    WeasyPrint subsets with HarfBuzz when the system has `libharfbuzz-subset`, else with fontTools,
    and the two write different bytes (HarfBuzz drops the `BASE` table and orders tables its own
    way). A PDF's bytes would then depend on a system library that comes and goes with other
    packages (Debian installs it with Chromium), so the same report typeset on two machines, or
    before and after such an install, would differ. fontTools is pinned with our other Python
    packages, so we always take it.
    """
    from weasyprint.pdf import fonts

    saved, notice = fonts.harfbuzz_subset, _SubsetterNotice()
    fonts.harfbuzz_subset = None
    fonts.LOGGER.addFilter(notice)
    try:
        yield
    finally:
        fonts.harfbuzz_subset = saved
        fonts.LOGGER.removeFilter(notice)


def load_engine() -> str:
    """Import WeasyPrint; why it cannot load ("" when it can)."""
    try:
        with engine_namespaces():
            import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return " ".join(str(exc).split()) or type(exc).__name__
    return ""


def typeset(edition: Edition, source: str, css: str, site_dir: str, attachments: list[str],
           digest: str) -> bytes:
    """Typeset `source` with WeasyPrint: tagged PDF/A-3a, attachments dated by the edition's
    publication month, the document id from `digest`; then `pdftags.finish_pdf()` makes its tags,
    metadata and page labels what PDF/UA-1 and PDF/A-3a ask (WeasyPrint leaves some out)."""
    # Imported here too (for a direct call), so its namespace prefixes are taken back after.
    with edition_epoch(edition), engine_namespaces(), fonttools_subsetting():
        import pydyf
        from weasyprint import CSS, HTML, Attachment
        from weasyprint.text.fonts import FontConfiguration

        fetcher = fetcher_class([site_dir, FONTS])()
        when = published_at(edition).replace(tzinfo=None)
        names = dict(ATTACHMENTS)
        files = [Attachment(filename=path, url_fetcher=fetcher, name=os.path.basename(path),
                            description=names[os.path.basename(path)], created=when, modified=when,
                            relationship="Data")
                 for path in attachments]

        def finish(document, pdf):
            # PDF/UA: the window shows the document's title, not its file name.
            pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})

        fonts = FontConfiguration()
        page = HTML(string=source, base_url=os.path.join(site_dir, "index.html"), url_fetcher=fetcher)
        style = CSS(string=css, base_url=os.path.join(PRINT, "pdf.css"), url_fetcher=fetcher,
                    font_config=fonts)
        data = page.write_pdf(stylesheets=[style], attachments=files, pdf_variant="pdf/a-3a", pdf_tags=True,
                              pdf_identifier=bytes.fromhex(digest[:32]), font_config=fonts, finisher=finish)
    if fetcher.refused:
        raise BuildError.of("pdf-outside-fetch", f"{edition.id}/{file_name(edition)}",
                            url=fetcher.refused[0], count=len(fetcher.refused))
    from reportsite.write import pdftags  # pikepdf: only where a PDF is made (the module's docstring)

    first = re.search(r'<section class="part [^"]*part-first[^"]*" id="([^"]+)"', source)
    return pdftags.finish_pdf(data, edition, pdftags.link_targets(source), first.group(1) if first else "")


@dataclass(frozen=True)
class Mode:
    """How a build makes PDFs."""

    cache_dir: str
    """Where finished PDFs are kept by fingerprint (`.reportsite/cache/` beside the data folder)."""
    required: bool = False
    """`--pdf`: fail when the engine cannot load, rather than build the site without the PDF."""


def write_pdf(edition: Edition, pages: Pages, built: dict[str, str], site_dir: str, mode: Mode | None) -> Outcome:
    """Write the edition's PDF into `site_dir` (its built edition folder), made from its built
    report pages (`built`: path in the edition -> HTML), from the cache when its inputs are
    unchanged.

    Without a `mode` (a preview), without the engine or when the report uses a character our
    font lacks (the PDF would draw it from a system font), there is no PDF (the pages' links to it
    are taken out as they are finished) and the outcome says why; when the PDF is required, a
    `BuildError` is raised instead.
    """
    original = original_of(edition)
    if original:
        files.copy(original, os.path.join(site_dir, original_name(edition)))
    if mode is None:
        return Outcome(SKIPPED)
    stems = report_stems(pages)
    parts = [(stem, depth, built.get(f"{stem}.html", "")) for stem, depth in stems]
    css, data_dir = stylesheet(), os.path.join(site_dir, "data")
    attachments = [os.path.join(data_dir, n) for n, _ in ATTACHMENTS if os.path.isfile(os.path.join(data_dir, n))]
    key = cache_key(edition, parts, css, attachments, bool(original))
    cached = os.path.join(mode.cache_dir, "pdf", f"{edition.id}-{key[:32]}.pdf")
    target = os.path.join(site_dir, file_name(edition))
    copied = os.path.isfile(cached) and os.path.isfile(word_cache(mode, edition, key))
    source = "" if copied else document(edition, *parts_of_record(edition, parts, site_dir), original=bool(original))
    word, word_note = write_word(edition, source, site_dir, mode, key)
    if os.path.isfile(cached):
        shutil.copyfile(cached, target)
        return Outcome(CACHED, os.path.getsize(target), word=word, word_note=word_note)
    digest = inputs_digest(source, css, attachments)
    reason = load_engine()
    lacking = "" if reason else font_lacks(source)
    if reason or lacking:
        required, said, params = (("pdf-engine-required", "pdf-engine-unavailable", {"reason": reason})
                                  if reason else ("pdf-font-required", "pdf-font-unavailable", {"chars": lacking}))
        if mode.required:
            raise BuildError.of(required, **params)
        return Outcome(UNAVAILABLE, note=message(said, **params), word=word, word_note=word_note)
    data = typeset(edition, source, css, site_dir, attachments, digest)
    keep(cached, data)
    files.write(target, data)
    return Outcome(BUILT, len(data), word=word, word_note=word_note)


def word_cache(mode: Mode, edition: Edition, key: str) -> str:
    """Where the Word copy made from the inputs of PDF cache key `key` is kept."""
    h = hashlib.sha256(key.encode())
    for path in (word.__file__, wordparts.__file__, raster.__file__):
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    for name in ("python-docx", "resvg-py", "lxml"):
        with contextlib.suppress(PackageNotFoundError):
            h.update(version(name).encode())
    return os.path.join(mode.cache_dir, "docx", f"{edition.id}-{h.hexdigest()[:32]}.docx")


def write_word(edition: Edition, source: str, site_dir: str, mode: Mode, key: str) -> tuple[int, Message | None]:
    """The Word copy for review into `site_dir`, from the cache or made from the printable
    document `source`: its size, or 0 and why not (with `--pdf`, a `BuildError`)."""
    cached, target = word_cache(mode, edition, key), os.path.join(site_dir, word_name(edition))
    if not os.path.isfile(cached):
        try:
            data = word.word_copy(edition, source, mode.cache_dir)
        except (ImportError, OSError, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            if mode.required:
                raise BuildError.of("word-required", name=word_name(edition), reason=reason) from exc
            return 0, message("word-unavailable", name=word_name(edition), reason=reason)
        keep(cached, data)
    shutil.copyfile(cached, target)
    return os.path.getsize(target), None


def keep(cached: str, data: bytes) -> None:
    """Store a fresh PDF or Word copy in the cache (atomically: builds may run side by side), replacing the
    edition's older ones."""
    folder = os.path.dirname(cached)
    os.makedirs(folder, exist_ok=True)
    suffix = os.path.splitext(cached)[1]
    prefix = os.path.basename(cached)[: -len("0" * 32 + suffix)]
    for name in os.listdir(folder):
        if name.startswith(prefix) and re.fullmatch(r"[0-9a-f]{32}" + re.escape(suffix), name[len(prefix):]):
            os.remove(os.path.join(folder, name))
    files.write(cached, data)
