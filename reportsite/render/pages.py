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
import traceback
from dataclasses import dataclass

import jinja2
import yaml
from jinja2 import meta, nodes
from jinja2.sandbox import SecurityError
from markupsafe import Markup, escape

from reportsite.model import figures as F
from reportsite.model.errors import ContentError
from reportsite.model.escape import PageMarkup
from reportsite.model.project import ASSETS, TEMPLATES
from reportsite.model.messages import message
from reportsite.model.records import Archive, Edition, Loc, Problem, alliance_named_in
from reportsite.render import compare
from reportsite.render.charts.count import EditionCharts
from reportsite.render.charts.figure import figure_html
from reportsite.render.narrative import ErrataLog, context, fmt, mismatch_problems
from reportsite.render.profiles import profiles
from reportsite.render.sandbox import MAX_CHARS, OutsideFolders, PageSandbox, inside

SCRIPTS = os.path.join(ASSETS, "js")
"""Our scripts, the only ones front matter may name (as `assets/js/NAME.js`)."""
CONTENT_NAME = re.compile(r"^(\d+)-([a-z0-9-]+)\.md$")
FRONT_MATTER_KEYS = ("description", "scripts")
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

    def __init__(self):
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


def content_error(exc: Exception, path: str, folders: list[str]) -> ContentError:
    """A failure while rendering `path` as one line naming the template file and line where it
    happened (the innermost line of a template in `folders`), never a traceback."""
    where, line = path, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or path, exc.lineno
    else:
        roots = [os.path.abspath(f) + os.sep for f in folders]
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.abspath(f.filename).startswith(tuple(roots))]
        if frames:
            where, line = frames[-1].filename, frames[-1].lineno
    location = f"{os.path.relpath(where)}:{line}" if line else os.path.relpath(where)
    if isinstance(exc, ContentError):
        exc.location = exc.location or location
        return exc
    if isinstance(exc, OutsideFolders):
        return ContentError.of("template-outside", location, name=exc.name)
    if isinstance(exc, SecurityError):
        return ContentError.of("template-unsafe", location, detail=exc.message or str(exc))
    if isinstance(exc, RecursionError):
        return ContentError.of("template-recursion", location)
    if isinstance(exc, MemoryError):
        return ContentError.of("template-value-limit", location, limit=MAX_CHARS)
    if isinstance(exc, jinja2.TemplateError):
        return ContentError(exc.message or str(exc), location)
    detail = " ".join(str(exc).split())
    return ContentError.of("template-failed", location, kind=type(exc).__name__,
                           detail=detail if len(detail) <= 200 else detail[:199] + "…")


LOCATION = re.compile(r"(?P<path>.*?)(?::(?P<line>[0-9]+))?")
EXPRESSION = re.compile(r"\{[{%]")


def problem_of(exc: ContentError, source: str) -> Problem:
    """A content error as a problem at its file, line and column: the column of the first
    expression or tag on that line (Jinja names the line of a failure, not its column)."""
    m = LOCATION.fullmatch(exc.location or os.path.relpath(source))
    path, line = m["path"], int(m["line"] or 0)
    return Problem(exc.slug, Loc(path, line, column(path, line, EXPRESSION)), exc.message)


def column(path: str, line: int, pattern: re.Pattern) -> int:
    """The 1-based column of the first match of `pattern` on `line` of the file `path` (1 when
    there is none, or no such file or line)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().splitlines()[line - 1] if line else ""
    except (OSError, UnicodeDecodeError, IndexError):
        return 1 if line else 0
    m = pattern.search(text)
    return m.start() + 1 if m else 1


def unknown_names(env: PageSandbox, template: str, values: dict, path: str) -> list[Problem]:
    """Every name the template reads that neither it nor the context defines, each once per line
    where it stands (a syntax error is raised as a `ContentError`, before any)."""
    try:
        source, filename, _ = env.loader.get_source(env, template)
        tree = env.parse(source, template, filename)
    except Exception as exc:  # noqa: BLE001 - a syntax error (or an unreadable file) is the file's problem
        raise content_error(exc, path, env.loader.searchpath) from exc
    undefined = meta.find_undeclared_variables(tree) - set(values) - set(env.globals)
    lines = source.splitlines()
    found = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in undefined:
            text = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
            at = re.search(rf"(?<![\w.]){re.escape(node.name)}\b", text)
            found.setdefault((node.lineno, node.name), at.start() + 1 if at else 1)
    where = os.path.relpath(path)
    return [Problem("content-undefined", Loc(where, line, col), message("content-undefined", name=name))
            for (line, name), col in sorted(found.items(), key=lambda item: (item[0][0], item[1]))]


FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def our_scripts() -> list[str]:
    """The scripts front matter may name, by the path pages use: `assets/js/ranking.js`."""
    return sorted(f"assets/js/{n}" for n in os.listdir(SCRIPTS) if n.endswith(".js"))


def split_front_matter(text: str, path: str) -> tuple[dict, str]:
    """A rendered page's YAML front matter (`description`, `scripts`), checked, and its body."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    where = os.path.relpath(path)
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError.of("front-matter-yaml", f"{where}:{mark.line + 2 if mark else 2}",
                              detail=getattr(exc, "problem", None) or str(exc).splitlines()[0]) from None
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise ContentError.of("front-matter-shape", f"{where}:2", kind=type(meta).__name__)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            raise ContentError.of("front-matter-key", f"{where}:2", key=str(key),
                                  keys=", ".join(FRONT_MATTER_KEYS))
    if not isinstance(meta.get("description", ""), (str, int, float)):
        raise ContentError.of("front-matter-description", f"{where}:2")
    scripts = meta.get("scripts") or []
    known = our_scripts()
    for script in scripts if isinstance(scripts, list) else [scripts]:
        if not isinstance(scripts, list) or script not in known:
            raise ContentError.of("front-matter-script", f"{where}:2", script=str(script)[:200],
                                  known=", ".join(known))
    return meta, text[m.end():]


def describe(markdown: str, limit: int = 120) -> str:
    """A description from the first paragraph of plain text, when a page gives none: its Markdown
    taken out, cut to `limit` characters as a reader counts them, escaped for an attribute."""
    for block in markdown.split("\n\n"):
        # `#` in `&#42;` is part of an escaped character, not Markdown.
        text = re.sub(r"<[^>]+>|\{[^}]*\}|(?<!&)#|[*_`\[\]]|\(([^)]*\.md[^)]*)\)", "", block).strip()
        if text and not block.lstrip().startswith(("#", "---", "!!!", "|")):
            text = " ".join(html.unescape(text).split())
            return str(escape(text if len(text) <= limit else text[: limit - 1] + "…"))
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


def render(env: PageSandbox, template: str, path: str, values: dict, module: bool = False):
    """Render one template (as a module, whose `{% set %}` names can be read, when asked) in the
    sandbox, turning any failure into a located `ContentError`."""
    try:
        return env.render(env.get_template(template), values, module)
    except Exception as exc:  # noqa: BLE001 - whatever a template does wrong, the user reads one line
        raise content_error(exc, path, env.loader.searchpath) from exc


def content_roots(content_dir: str | None) -> tuple[str, ...]:
    """The folders templates may be read from: the content folder (of every edition) and ours."""
    if not content_dir:
        return (TEMPLATES,)
    return (os.path.dirname(os.path.abspath(content_dir)), TEMPLATES)


def content_files(content_dir: str | None) -> list[tuple[str, str]]:
    """(template name, page name) of an edition's content files in order: `01-preface.md` -> `preface.md`.

    The edition's folder and files must lie in the content folder, and the content folder in the
    project's: a symbolic link out of them is refused, so nothing outside is read or published."""
    if not content_dir or not os.path.isdir(content_dir):
        return []
    root = os.path.dirname(os.path.abspath(content_dir))
    for folder, within in ((root, os.path.dirname(root)), (content_dir, root)):
        if not inside(folder, (os.path.realpath(within),)):
            raise ContentError.of("content-outside", os.path.relpath(folder))
    out = []
    for name in sorted(os.listdir(content_dir)):
        m = CONTENT_NAME.match(name)
        if m:
            if not inside(os.path.join(content_dir, name), (os.path.realpath(root),)):
                raise ContentError.of("content-outside", os.path.relpath(os.path.join(content_dir, name)))
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
        self.section = ""
        self.edition_charts = EditionCharts(archive, edition)
        self.values = context(archive, edition, self.log, self.alliance, self.chart)
        self.values.update(
            archive=archive, ranking=F.ranking(edition), group_status=F.group_status_counts(edition),
            cn_numeral=F.cn_numeral, title_with_link=self.title_with_link, names=self.names,
            url=self.url, notes=[p for p in archive.notes
                                 if p.loc.path.startswith(os.path.dirname(edition.loc.path))],
        )
        self.env = environment([p for p in (content_dir, TEMPLATES) if p and os.path.isdir(p)],
                               content_roots(content_dir))
        self.env.filters["vs"] = self.values["vs"]
        self.printed: list[str] | None = None
        """While a narrative page renders: what its expressions print."""
        self.env.finalize = self.finalize

    def finalize(self, value):
        """The sandbox's `finalize`, noting what a narrative page's expressions print."""
        out = PageSandbox.finalize(value)
        if self.printed is not None:
            self.printed.append(str(out))
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
        if a is None:
            return PageMarkup("{}").format(title)
        link = PageMarkup('<a class="alliance" href="{}">{}</a>').format(
            self.url(f"alliances/{a.code}.html"), named)
        return PageMarkup("{}{}").format(link, title[len(named):])

    def chart(self, *name: str, **options) -> Markup:
        """The static figure of a chart as content declares it (`chart_options.py`), numbered 图 N
        in the report's text; the page is marked as one that loads the chart scripts."""
        spec = self.edition_charts.place(self.section == NARRATIVE, *name, **options)
        self.charts.append(spec.id)
        return figure_html(spec)

    def render(self, template: str, path: str, name: str, section: str = "", **values) -> Page:
        """Render `template` as page `name`."""
        self.page, self.charts, self.section = name, [], section
        self.log.page = name
        text = render(self.env, template, path, {**self.values, **values})
        return make_page(name, text, section, self.charts, path)

    def render_narrative(self, template: str, path: str, name: str) -> Page:
        """Render the content file `template` as page `name`, keeping what was typed in it and
        what its expressions printed (for `stale.py`)."""
        self.printed = []
        try:
            page = self.render(template, path, name, NARRATIVE)
        finally:
            printed, self.printed = self.printed, None
        return dataclasses.replace(page, source=path, typed=typed_text(self.env, template),
                                   figures=tuple(printed))

    def render_html(self, template: str, path: str, name: str, **values) -> Page:
        """Render the HTML `template` as page `name` (outside the navigation, without charts)."""
        self.page, self.charts = name, []
        self.log.page = name
        return html_page(name, render(self.env, template, path, {**self.values, **values}, module=True))


def typed_text(env: PageSandbox, template: str) -> tuple[tuple[int, int, str], ...]:
    """(line, column, text) of each piece of literal text in a template's source: what its
    author typed, as opposed to what its expressions compute."""
    source, filename, _ = env.loader.get_source(env, template)
    out, cursor = [], 0
    for _, kind, text in env.lex(source, template, filename):
        if kind != "data":
            continue
        # Whitespace trimmed around block tags leaves each piece a substring of the source.
        start = source.find(text, cursor)
        if start < 0 or not text.strip():
            continue
        cursor = start + len(text)
        out.append((source.count("\n", 0, start) + 1, start - source.rfind("\n", 0, start), text))
    return tuple(out)


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

    files = attempt(lambda: content_files(content_dir), content_dir or "") or []
    narrative = []
    for template, name in files:
        path = os.path.join(content_dir, template)
        unknown = attempt(lambda: unknown_names(r.env, template, r.values, path), path)
        problems.extend(unknown or ())
        page = None if unknown is None or unknown else attempt(lambda: r.render_narrative(template, path, name), path)
        narrative += [page] if page else []
    problems.extend(mismatch_problems(r.log.mismatches))
    generated: dict[str, Page] = {}
    for template, name, section in GENERATED:
        extra = {}
        if name == "errata.md":
            extra = {"errata": tuple(r.log.items),
                     "page_titles": {p.name: p.heading for p in (*narrative, *generated.values())}}
        path = os.path.join(TEMPLATES, template)
        page = attempt(lambda: r.render(template, path, name, section, narrative=narrative, **extra), path)
        generated.update({name: page} if page else {})
    change = compare.changes(archive, edition)
    if change is not None:
        template = "pages/changes.md.j2"
        path = os.path.join(TEMPLATES, template)
        page = attempt(lambda: r.render(template, path, "changes.md", changes=change, band_text=compare.band_text),
                       path)
        generated.update({"changes.md": page} if page else {})
    ordered = [*(p for n, p in generated.items() if n == "index.md"), *narrative,
               *(p for n, p in generated.items() if n != "index.md")]
    template = "pages/alliance.html.j2"
    path = os.path.join(TEMPLATES, template)
    alliances = [attempt(lambda: r.render_html(template, path, f"alliances/{values['a'].code}.md", **values), path)
                 for values in profiles(archive, edition, ordered)]
    return Pages(tuple(ordered + [p for p in alliances if p]), tuple(r.log.items),
                 tuple(sorted(problems, key=lambda p: p.loc)))


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
