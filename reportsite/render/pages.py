"""Model + content -> the Markdown pages of one edition.

Content files are Jinja templates over the narrative context; generated pages (overview,
appendices, errata) come from `templates/pages/`. Everything is rendered in memory: this stage
returns `Page` records and writes nothing.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jinja2
from markupsafe import Markup
from markupsafe import escape as markup_escape

from reportsite.model import figures as F
from reportsite.model.errors import ContentError
from reportsite.model.escape import PageMarkup
from reportsite.model.project import TEMPLATES
from reportsite.model.records import Archive, Edition, Problem
from reportsite.model.titles import alliance_named_in
from reportsite.render import compare, policy
from reportsite.render.charts.figure import figure_html
from reportsite.render.charts.place import EditionCharts
from reportsite.render.content import (
    content_files,
    content_roots,
    problem_of,
    marks,
    render_file,
    source_expressions,
    split_front_matter,
    typed_text,
    unknown_names,
)
from reportsite.render.indicators import findings_context, published
from reportsite.render.moves import movements
from reportsite.render.narrative import ErrataLog, fmt, mismatch_problems, narrative_context, template_line
from reportsite.render.profiles import profiles
from reportsite.render.sandbox import PageSandbox

NARRATIVE = "报告正文"
"""The navigation section of the report's text, whose charts are numbered 图 1, 2, ..."""


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
    source: str = ""
    """The content file a narrative page was rendered from; empty for a generated page."""
    typed: tuple[tuple[int, int, str], ...] = ()
    """A narrative page's text as typed in its source (not expressions, tags or comments): each
    piece with the source line and column it starts at."""
    figures: tuple[str, ...] = ()
    """What a narrative page's expressions printed (`{{ ... }}` after filters), in order."""
    sources: tuple[str, ...] = ()
    """The expression that printed each of `figures`, as written (`{{ n.evaluated }}`), or "" when
    its line holds more than one."""
    unverified: tuple[tuple[int, int], ...] = ()
    """(line, column) of each `{# 待核实 #}` mark in a narrative page's source: a sentence copied
    from the previous edition that `new` asks to check."""

    @property
    def heading(self) -> Markup:
        """The title as markup, for templates: it is rendered text, its data escaped already."""
        return Markup(self.title)


@dataclass(frozen=True)
class Pages:
    """All pages of one edition, in navigation order, and what rendering them found."""

    pages: tuple[Page, ...]
    errata: tuple
    """The printed figures that differ from the data (a printed edition's errata)."""
    problems: tuple[Problem, ...] = ()
    """What stops the edition from being built: each content file's unknown names, its first syntax
    or runtime error, every differing `vs` of an authored edition; a page with a problem is left
    out of `pages`."""


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and source checksum, so editions and
    `serve` rebuilds compile each template once (an edited template is compiled again)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def environment(search_path: list[str], roots: tuple[str, ...]) -> PageSandbox:
    """Jinja for Markdown: sandboxed, strict about names, escaping every value from the data for
    HTML and Markdown; templates are read only from files inside `roots`."""
    env = PageSandbox(
        search_path, roots,
        bytecode_cache=COMPILED,
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


def describe(markdown: str, limit: int = 120) -> str:
    """A description from the first paragraph of plain text, when a page gives none: its Markdown
    taken out, cut to `limit` characters as a reader counts them, escaped for an attribute."""
    for block in markdown.split("\n\n"):
        # `#` in `&#42;` is part of an escaped character, not Markdown.
        text = re.sub(r"<[^>]+>|\{[^}]*\}|(?<!&)#|[*_`\[\]]|\(([^)]*\.md[^)]*)\)", "", block).strip()
        if text and not block.lstrip().startswith(("#", "---", "!!!", "|")):
            text = " ".join(html.unescape(text).split())
            return str(markup_escape(text if len(text) <= limit else text[: limit - 1] + "…"))
    return ""


def make_page(name: str, text: str, section: str, charts: list[str], path: str) -> Page:
    """A `Page` from the rendered text of `path`: front matter split off and checked, title from
    the first heading."""
    meta, body = split_front_matter(text, path)
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


class Renderer:
    """Renders one edition's templates, knowing which page is being rendered: links are written
    relative to it, and the charts and errata it produces are recorded against it."""

    def __init__(self, archive: Archive, edition: Edition, content_dir: str | None):
        self.archive, self.edition, self.content_dir = archive, edition, content_dir
        self.log = ErrataLog()
        self.page = ""
        self.charts: list[str] = []
        self.section = ""
        self.edition_charts = EditionCharts(archive, edition)
        # What templates see holds no alliance's indicator scores unless the edition publishes them.
        public = published(archive)
        self.values = narrative_context(public, public.edition(edition.id), self.log, self.alliance, self.chart)
        self.values.update(
            findings_context(edition),
            archive=public, ranking=F.ranking(edition), group_status=F.group_status_counts(edition),
            cn_numeral=F.cn_numeral, title_with_link=self.title_with_link, names=self.names,
            url=self.url, notes=[p for p in archive.notes
                                 if p.loc.path.startswith(os.path.dirname(edition.loc.path))],
        )
        self.env = environment([p for p in (content_dir, TEMPLATES) if p and os.path.isdir(p)],
                               content_roots(content_dir))
        self.env.filters["vs"] = self.values["vs"]
        self.printed: list[tuple[str, int]] | None = None
        """While a narrative page renders: what its expressions print, and the line of the page's
        own source that printed it (0 for an included file's)."""
        self.expressions: dict[int, list[str]] = {}
        """While a narrative page renders: the `{{ … }}` of each line of its source."""
        self.source_path = ""
        self.env.finalize = self.finalize

    def finalize(self, value):
        """The sandbox's `finalize`, noting what a narrative page's expressions print, and which
        expression of the page's own source printed it; a value that XML or JSON cannot carry
        stops the page (`content.render_file` says where)."""
        out = PageSandbox.finalized(value)
        odd = policy.uncarried_printed(str(out))
        if odd is not None:
            raise ContentError.of("control-character/printed", char=odd)
        if self.printed is not None:
            path, line = template_line()
            self.printed.append((str(out), line if path == self.source_path else 0))
        return out

    def url(self, target: str) -> str:
        """`target` (a path from the edition root, `alliances/110.html`) relative to the current page."""
        return "../" * self.page.count("/") + target

    def alliance(self, code: str) -> Markup:
        """An alliance's name, linked to its page."""
        a = self.archive.alliance(code)
        return PageMarkup('<a class="alliance" href="{}">{}</a>').format(self.url(f"alliances/{code}.html"), a.name)

    def names(self, **filters) -> list[Markup]:
        """The evaluated alliances matching `figures.select()` filters, as links, in published order."""
        return [self.alliance(r.code) for r in F.select(self.edition, **filters)]

    def title_with_link(self, title: str) -> Markup:
        """An expert's title as printed, the alliance it names (by any of its names, former ones
        too) linked to that alliance's page; the name is never rewritten to another."""
        named = alliance_named_in(title)
        a = self.archive.by_name.get(named) if named else None
        if a is None or not named:
            return PageMarkup("{}").format(title)
        link = PageMarkup('<a class="alliance" href="{}">{}</a>').format(
            self.url(f"alliances/{a.code}.html"), named)
        return PageMarkup("{}{}").format(link, title[len(named):])

    def chart(self, *name: str, **options) -> Markup:
        """The static figure of a chart as content declares it (`charts/options.py`), numbered 图 N
        in the report's text; the page is marked as one that loads the chart scripts."""
        spec = self.edition_charts.place(self.section == NARRATIVE, *name, **options)
        self.charts.append(spec.id)
        return figure_html(spec)

    def render(self, template: str, path: str, name: str, section: str = "", **values) -> Page:
        """Render `template` as page `name`."""
        self.page, self.charts, self.section = name, [], section
        self.log.page = name
        text = render_file(self.env, template, path, {**self.values, **values})
        return make_page(name, text, section, self.charts, path)

    def render_narrative(self, template: str, path: str, name: str) -> Page:
        """Render the content file `template` as page `name`, keeping what was typed in it and
        what its expressions printed (for `stale.py`)."""
        self.printed, self.expressions = [], source_expressions(self.env, template)
        try:
            self.source_path = self.env.get_template(template).filename or ""
            page = self.render(template, path, name, NARRATIVE)
        finally:
            printed, self.printed = self.printed, None
        return dataclasses.replace(page, source=path, typed=typed_text(self.env, template),
                                   figures=tuple(f for f, _ in printed), sources=self.sources_of(printed),
                                   unverified=marks(self.env, template))

    def sources_of(self, printed: list[tuple[str, int]]) -> tuple[str, ...]:
        """The expression that printed each value: the n-th `{{ … }}` of its line for the line's
        n-th value, where the line printed exactly as many values as it has expressions (a loop
        or a condition on the line leaves its values' expressions unknown, "")."""
        per_line: dict[int, int] = {}
        for _, line in printed:
            per_line[line] = per_line.get(line, 0) + 1
        seen: dict[int, int] = {}
        out = []
        for _, line in printed:
            written = self.expressions.get(line, [])
            nth = seen.get(line, 0)
            seen[line] = nth + 1
            out.append(written[nth] if line and per_line[line] == len(written) else "")
        return tuple(out)

    def render_html(self, template: str, path: str, name: str, **values) -> Page:
        """Render the HTML `template` as page `name` (outside the navigation, without charts)."""
        self.page, self.charts = name, []
        self.log.page = name
        return html_page(name, render_file(self.env, template, path, {**self.values, **values}, module=True))


def edition_pages(archive: Archive, edition: Edition, content_dir: str | None) -> Pages:
    """Every page of the edition: overview, the narrative, appendices, errata, one per alliance,
    and every problem found on the way (a content file that fails is left out and the others are
    rendered, so one run names every file's mistakes).

    The edition sees the archive as it printed it (`Archive.as_of`): every alliance under the
    name in force then, so a rename recorded later changes nothing of an earlier edition."""
    archive = archive.as_of(edition.id)
    r = Renderer(archive, edition, content_dir)
    problems: list[Problem] = []

    def attempt(make, source: str):
        try:
            return make()
        except ContentError as exc:
            problems.append(problem_of(exc, source))
            return None

    folder = content_dir or ""  # without a content folder there are no content files
    files = attempt(lambda: content_files(content_dir), folder) or []
    narrative = []
    for template, name in files:
        path = os.path.join(folder, template)
        source = policy.source_text(path)
        typed = policy.character_problems(source, os.path.relpath(path))
        unknown = attempt(lambda: unknown_names(r.env, template, r.values, path), path)
        problems.extend([*typed, *(unknown or ())])
        page = None if unknown is None or unknown or typed else \
            attempt(lambda: r.render_narrative(template, path, name), path)
        refused = policy.markup_problems(page.markdown, source, os.path.relpath(path)) if page else []
        problems.extend(refused)
        narrative += [page] if page and not refused else []
    problems.extend(mismatch_problems(r.log.mismatches))
    generated: dict[str, Page] = {}
    moves = movements(archive, edition)
    for template, name, section in GENERATED:
        extra: dict[str, object] = {"rank_moves": moves} if name == "ranking.md" else {}
        if name == "errata.md":
            # A page that continues a chapter is listed under the chapter, as the print has it.
            titles = {p.name: p.heading for p in generated.values()}
            titles.update({name: Markup(title) for name, title in chapters(narrative).items()})
            extra = {"errata": tuple(r.log.items), "page_titles": titles}
        path = os.path.join(TEMPLATES, template)
        page = attempt(lambda: r.render(template, path, name, section, narrative=narrative, **extra), path)
        generated.update({name: page} if page else {})
    change = compare.changes(archive, edition)
    if change is not None:
        template = "pages/changes.md.j2"
        path = os.path.join(TEMPLATES, template)
        page = attempt(lambda: r.render(template, path, "changes.md", changes=change, band_text=compare.band_text,
                                        rank_moves=moves), path)
        generated.update({"changes.md": page} if page else {})
    ordered = [*(p for n, p in generated.items() if n == "index.md"), *narrative,
               *(p for n, p in generated.items() if n != "index.md")]
    template = "pages/alliance.html.j2"
    path = os.path.join(TEMPLATES, template)
    alliances = [attempt(lambda: r.render_html(template, path, f"alliances/{values['a'].code}.md", **values), path)
                 for values in profiles(archive, edition, ordered)]
    return Pages(tuple(ordered + [p for p in alliances if p]), tuple(r.log.items),
                 tuple(sorted(problems, key=lambda p: p.loc)))


CHAPTER_NUMBER = re.compile(r"([一二三四五六七八九十]+)、")
"""How a chapter's heading opens: 三、."""


def chapters(pages: Iterable[Page]) -> dict[str, str]:
    """Each page's chapter title as the printed report has it: a page whose heading opens with the
    chapter number of the page before it (三、 set over two pages of the site) continues that
    chapter, titled as its first page; any other page is a chapter of its own."""
    out: dict[str, str] = {}
    last: tuple[str, str] | None = None
    for page in pages:
        m = CHAPTER_NUMBER.match(page.title)
        if m and last and last[0] == m.group(1):
            out[page.name] = last[1]
            continue
        out[page.name] = page.title
        last = (m.group(1), page.title) if m else None
    return out


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
