"""Content files: which files an edition's narrative has, their front matter, rendering one
template file in the sandbox, the names it reads that nothing defines, what its author typed,
and every failure as a located problem."""

from __future__ import annotations

import os
import re
import traceback

import jinja2
import yaml
from jinja2 import meta, nodes
from jinja2.sandbox import SecurityError
from jinja2.utils import missing

from reportsite.model.errors import ContentError
from reportsite.model.files import plain_file
from reportsite.model.project import ASSETS, TEMPLATES
from reportsite.model.records import Loc, Problem
from reportsite.render import mistakes
from reportsite.render.sandbox import MAX_CHARS, OutsideFolders, PageSandbox, inside

SCRIPTS = os.path.join(ASSETS, "js")
"""Our scripts, the only ones front matter may name (as `assets/js/NAME.js`)."""
CONTENT_NAME = re.compile(r"^(\d+)-([a-z0-9-]+)\.md$")
FRONT_MATTER_KEYS = ("description", "scripts")
def content_error(exc: Exception, path: str, folders: list[str]) -> ContentError:
    """A failure while rendering `path` as one line naming the template file, line and column where
    it happened (the innermost line of a template in `folders`), in the author's words
    (`mistakes.py`), never a traceback."""
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
    if isinstance(exc, UnicodeDecodeError):
        return encoding_error(exc, path)
    if isinstance(exc, OutsideFolders):
        return ContentError.of("template-outside", location, name=exc.name)
    if isinstance(exc, SecurityError):
        return ContentError.of("template-unsafe", location, detail=exc.message or str(exc))
    if isinstance(exc, RecursionError):
        return ContentError.of("template-recursion", location)
    if isinstance(exc, MemoryError):
        return ContentError.of("template-value-limit", location, limit=MAX_CHARS)
    text = source_line(where, line or 0)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentError(mistakes.syntax(exc, text), location)
    if isinstance(exc, mistakes.UnknownName) and exc.name is not None:
        if exc.obj is missing:
            return ContentError(mistakes.unknown_name(exc.name, []), location, slug="content-undefined")
        said, col = mistakes.missing_attribute(exc, text)
        return ContentError(said, f"{location}:{col}" if line else location, slug="content-undefined")
    if isinstance(exc, jinja2.TemplateNotFound):
        return ContentError.of("content/include", location, name=exc.name)
    if isinstance(exc, jinja2.TemplateError):
        return ContentError.of("content/syntax", location, detail=exc.message or str(exc))
    said, col = mistakes.failure(exc, text)
    return ContentError(said, f"{location}:{col}" if line else location, slug="template-failed")


def encoding_error(exc: UnicodeDecodeError, path: str) -> ContentError:
    """A content file that is not UTF-8, at the first byte that is not, with how to save it as
    UTF-8 (its encoding is never guessed)."""
    try:
        plain_file(path)  # a named pipe would hang the read
        with open(path, "rb") as f:
            data = f.read()
        before = data[:exc.start].decode("utf-8", errors="replace")
    except OSError:
        before = ""
    line = before.count("\n") + 1
    col = len(before) - before.rfind("\n")
    return ContentError.of("content-encoding", f"{os.path.relpath(path)}:{line}:{col}",
                           byte=f"0x{exc.object[exc.start]:02X}")


def source_line(path: str, line: int) -> str:
    """Line `line` of the text file `path` ("" when there is none)."""
    try:
        plain_file(path)  # a named pipe would hang the read
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


LOCATION = re.compile(r"(?P<path>.*?)(?::(?P<line>[0-9]+)(?::(?P<col>[0-9]+))?)?")
EXPRESSION = re.compile(r"\{[{%]")


def problem_of(exc: ContentError, source: str) -> Problem:
    """A content error as a problem at its file, line and column: the column it names, else the
    column of the first expression or tag on that line (Jinja names the line of a failure, not its
    column)."""
    m = LOCATION.fullmatch(exc.location or os.path.relpath(source))
    assert m is not None  # a location is one line, and any line matches (its `:line` is optional)
    path, line = m["path"], int(m["line"] or 0)
    col = int(m["col"]) if m["col"] else column(path, line, EXPRESSION)
    return Problem(exc.slug, Loc(path, line, col), exc.message)


def column(path: str, line: int, pattern: re.Pattern) -> int:
    """The 1-based column of the first match of `pattern` on `line` of the file `path` (1 when
    there is none, or no such file or line)."""
    try:
        plain_file(path)  # a named pipe would hang the read
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
    known = sorted({*values, *env.globals})
    undefined = meta.find_undeclared_variables(tree) - set(known)
    lines = source.splitlines()
    found: dict[tuple[int, str], int] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in undefined:
            text = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
            at = re.search(rf"(?<![\w.]){re.escape(node.name)}\b", text)
            found.setdefault((node.lineno, node.name), at.start() + 1 if at else 1)
    where = os.path.relpath(path)
    return [Problem("content-undefined", Loc(where, line, col), mistakes.unknown_name(name, known))
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
        raise ContentError.of("front-matter-shape", f"{where}:2", kind=mistakes.kind(meta))
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


def render_file(env: PageSandbox, template: str, path: str, values: dict, module: bool = False):
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
            if not os.path.isfile(os.path.join(content_dir, name)):  # a named pipe would hang the read
                raise ContentError.of("content-not-file", os.path.relpath(os.path.join(content_dir, name)))
            out.append((name, f"{m.group(2)}.md"))
    return out


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


UNVERIFIED = "待核实"
"""The comment `new` puts before a copied sentence to check: `{# 待核实 #}`."""
PRINT = re.compile(r"\{\{.*?\}\}")


def marks(env: PageSandbox, template: str) -> tuple[tuple[int, int], ...]:
    """(line, column) of each `{# 待核实 #}` in a template's source."""
    source, _, _ = env.loader.get_source(env, template)
    return tuple((source.count("\n", 0, m.start()) + 1, m.start() - source.rfind("\n", 0, m.start()))
                 for m in re.finditer(r"\{#-?\s*" + UNVERIFIED + r"\s*-?#\}", source))


def source_expressions(env: PageSandbox, template: str) -> dict[int, list[str]]:
    """The `{{ … }}` written on each line of a template's source, by line."""
    source, _, _ = env.loader.get_source(env, template)
    out: dict[int, list[str]] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        found = PRINT.findall(line)
        if found:
            out[number] = found
    return out
