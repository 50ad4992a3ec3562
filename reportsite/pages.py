"""Model + content -> the Markdown pages of one edition.

Content files are Jinja templates over the narrative context; generated pages (overview,
appendices, errata) come from `templates/pages/`. Everything is rendered in memory: this stage
returns `Page` records and writes nothing.
"""

from __future__ import annotations

import json
import os
import re
import traceback
from dataclasses import dataclass

import jinja2
import yaml
from markupsafe import Markup

from . import charts, compare
from . import figures as F
from .errors import ContentError
from .model import Archive, Edition, alliance_named_in
from .narrative import ErrataLog, context, fmt
from .profiles import profiles

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates")
CONTENT_NAME = re.compile(r"^(\d+)-([a-z0-9-]+)\.md$")


@dataclass(frozen=True)
class Page:
    """One Markdown page of an edition."""

    name: str
    """File name in the edition, `preface.md` (built to `preface.html`)."""
    title: str
    """The page's first heading."""
    markdown: str
    section: str = ""
    """The navigation section it sits in (`附件`), empty for top level."""
    description: str = ""
    """One sentence for `<meta name="description">`."""
    in_nav: bool = True
    charts: tuple[str, ...] = ()
    """Ids of the charts on the page (the page then loads the chart scripts)."""
    scripts: tuple[str, ...] = ()
    """Our scripts the page loads (paths from the edition root), from its front matter."""
    html: str = ""
    """The body as HTML, for a page MkDocs does not convert (an alliance page, stamped into a
    shell page by `stamp.py`); `markdown` is then empty."""


@dataclass(frozen=True)
class Pages:
    """All pages of one edition, in navigation order, and what rendering them found."""

    pages: tuple[Page, ...]
    errata: tuple


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum, so editions and
    `serve` rebuilds compile each template once (an edited template is compiled again)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def environment(search_path: list[str]) -> jinja2.Environment:
    """Jinja for Markdown: strict about names, escaping every value from the data."""
    env = jinja2.Environment(
        bytecode_cache=COMPILED,
        loader=jinja2.FileSystemLoader(search_path),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["fmt"] = fmt
    env.filters["yaml_quote"] = yaml_quote
    env.filters["cn_date"] = cn_date
    return env


def cn_date(day) -> str:
    """A date as the report writes it: `2020 年 1 月 1 日`."""
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def yaml_quote(text) -> Markup:
    """Rendered (escaped) text as one double-quoted YAML scalar, for front matter."""
    return Markup(json.dumps(str(text), ensure_ascii=False))


def content_error(exc: Exception, path: str) -> ContentError:
    """A Jinja failure as one line naming the content file and line."""
    line = getattr(exc, "lineno", None)
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.abspath(f.filename) == os.path.abspath(path)]
        line = frames[-1].lineno if frames else None
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return ContentError(message, f"{os.path.relpath(path)}:{line}" if line else os.path.relpath(path))


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str]:
    """A rendered page's YAML front matter (`description`, `scripts`) and its body."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta = yaml.safe_load(m.group(1)) or {}
    return meta, text[m.end():]


def describe(markdown: str, limit: int = 120) -> str:
    """A description from the first paragraph of plain text, when a page gives none."""
    for block in markdown.split("\n\n"):
        text = re.sub(r"<[^>]+>|\{[^}]*\}|[#*_`\[\]]|\(([^)]*\.md[^)]*)\)", "", block).strip()
        if text and not block.lstrip().startswith(("#", "---", "!!!", "|")):
            text = " ".join(text.split())
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def make_page(name: str, text: str, section: str, charts: list[str]) -> Page:
    """A `Page` from rendered text: front matter split off, title from the first heading."""
    meta, body = split_front_matter(text)
    return Page(name, first_heading(body, name), body, section=section,
                description=str(meta.get("description") or describe(body)), charts=tuple(charts),
                scripts=tuple(meta.get("scripts") or ()), in_nav=not name.startswith("alliances/"))


def html_page(name: str, module) -> Page:
    """A `Page` from a rendered HTML template: its body, its first heading as the title and its
    `{% set description %}`."""
    body = str(module)
    m = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.DOTALL)
    return Page(name, m.group(1).strip() if m else name, "", description=str(getattr(module, "description", "")),
                in_nav=False, html=body)


def first_heading(markdown: str, fallback: str) -> str:
    """The text of the first `# ` heading."""
    m = re.search(r"^#\s+(.+?)\s*$", markdown, re.MULTILINE)
    return m.group(1) if m else fallback


def render(env: jinja2.Environment, template: str, path: str, values: dict, module: bool = False):
    """Render one template (as a module, whose `{% set %}` names can be read, when asked),
    turning any Jinja failure into a located `ContentError`."""
    try:
        compiled = env.get_template(template)
        return compiled.make_module(values) if module else compiled.render(values)
    except (jinja2.TemplateError, TypeError, KeyError, ValueError, AttributeError) as exc:
        raise content_error(exc, path) from exc


def content_files(content_dir: str | None) -> list[tuple[str, str]]:
    """(template name, page name) of an edition's content files in order: `01-preface.md` -> `preface.md`."""
    if not content_dir or not os.path.isdir(content_dir):
        return []
    out = []
    for name in sorted(os.listdir(content_dir)):
        m = CONTENT_NAME.match(name)
        if m:
            out.append((name, f"{m.group(2)}.md"))
    return out


class Renderer:
    """Renders one edition's templates, knowing which page is being rendered: links are written
    relative to it, and the charts and errata it produces are recorded against it."""

    def __init__(self, archive: Archive, edition: Edition, content_dir: str | None):
        self.archive, self.edition, self.content_dir = archive, edition, content_dir
        self.log = ErrataLog()
        self.page = ""
        self.charts: list[str] = []
        self.values = context(archive, edition, self.log, self.alliance, self.chart)
        self.values.update(
            archive=archive, ranking=F.ranking(edition), group_status=F.group_status_counts(edition),
            cn_numeral=F.cn_numeral, title_with_link=self.title_with_link, names=self.names,
            url=self.url, notes=[p for p in archive.notes
                                 if p.loc.path.startswith(os.path.dirname(edition.loc.path))],
        )
        self.env = environment([p for p in (content_dir, TEMPLATES) if p and os.path.isdir(p)])
        self.env.filters["vs"] = self.values["vs"]

    def url(self, target: str) -> str:
        """`target` (a path from the edition root, `alliances/110.html`) relative to the current page."""
        return "../" * self.page.count("/") + target

    def alliance(self, code: str) -> Markup:
        """An alliance's name, linked to its page."""
        a = self.archive.alliance(code)
        return Markup('<a class="alliance" href="{}">{}</a>').format(self.url(f"alliances/{code}.html"), a.name)

    def names(self, **filters) -> list[Markup]:
        """The evaluated alliances matching `figures.select()` filters, as links, in published order."""
        return [self.alliance(r.code) for r in F.select(self.edition, **filters)]

    def title_with_link(self, title: str) -> Markup:
        """An expert's title with the alliance it names linked to that alliance's page."""
        named = alliance_named_in(title)
        a = self.archive.by_name.get(named) if named else None
        if a is None:
            return Markup("{}").format(title)
        return Markup("{}{}").format(self.alliance(a.code), title[len(named):])

    def chart(self, chart_id: str) -> Markup:
        """A chart's static figure; the page is marked as one that loads the chart scripts."""
        self.charts.append(chart_id)
        return charts.figure_html(charts.spec(self.archive, self.edition, chart_id))

    def render(self, template: str, path: str, name: str, section: str = "", **values) -> Page:
        """Render `template` as page `name`."""
        self.page, self.charts = name, []
        self.log.page = name
        text = render(self.env, template, path, {**self.values, **values})
        return make_page(name, text, section, self.charts)

    def render_html(self, template: str, path: str, name: str, **values) -> Page:
        """Render the HTML `template` as page `name` (outside the navigation, without charts)."""
        self.page, self.charts = name, []
        self.log.page = name
        return html_page(name, render(self.env, template, path, {**self.values, **values}, module=True))


def edition_pages(archive: Archive, edition: Edition, content_dir: str | None) -> Pages:
    """Every page of the edition: overview, the narrative, appendices, errata, one per alliance."""
    r = Renderer(archive, edition, content_dir)
    narrative = [r.render(template, os.path.join(content_dir, template), name, "报告正文")
                 for template, name in content_files(content_dir)]
    generated: dict[str, Page] = {}
    for template, name, section in GENERATED:
        extra = {}
        if name == "errata.md":
            extra = {"errata": tuple(r.log.items),
                     "page_titles": {p.name: p.title for p in (*narrative, *generated.values())}}
        generated[name] = r.render(template, os.path.join(TEMPLATES, template), name, section,
                                   narrative=narrative, **extra)
    change = compare.changes(archive, edition)
    if change is not None:
        template = "pages/changes.md.j2"
        generated["changes.md"] = r.render(template, os.path.join(TEMPLATES, template), "changes.md",
                                           changes=change, band_text=compare.band_text)
    ordered = [generated["index.md"], *narrative, *(p for n, p in generated.items() if n != "index.md")]
    template = "pages/alliance.html.j2"
    alliances = [r.render_html(template, os.path.join(TEMPLATES, template), f"alliances/{values['a'].code}.md",
                               **values)
                 for values in profiles(archive, edition, ordered)]
    return Pages(tuple(ordered + alliances), tuple(r.log.items))


GENERATED = (
    ("pages/index.md.j2", "index.md", ""),
    ("pages/appendix-1.md.j2", "appendix-1.md", "附件"),
    ("pages/appendix-2.md.j2", "appendix-2.md", "附件"),
    ("pages/appendix-3.md.j2", "appendix-3.md", "附件"),
    ("pages/appendix-4.md.j2", "appendix-4.md", "附件"),
    ("pages/ranking.md.j2", "ranking.md", ""),
    ("pages/errata.md.j2", "errata.md", ""),
    ("pages/search.md.j2", "search.md", ""),
)
"""Pages every edition gets from its data alone: (template, page, navigation section)."""
