"""Everything a user can name is documented (as Datasette's tests/test_docs.py does for its settings,
plugin hooks and views): every name a content template sees, every chart option and value, every
setting read from `mkdocs.yml`, every slug a line can print as `[slug]`, and every key of the data
files.

Each list is computed from the code when the test runs (the context built for the default
edition, the chart option tables, the settings the code and templates read, the slugs the package
raises and reports, the keys the data readers accept), never copied here, so a new name fails
until the docs name it, and a name the docs keep after the code dropped it fails too. A failure
lists every name missing and where it belongs.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re

import jinja2.defaults
import pytest
import yaml
from conftest import ROOT

from reportsite.model.messages import catalogue
from reportsite.read import check
from reportsite.read.check import check_archive
from reportsite.read.parse import EDITION_KEYS, EDITION_OPTIONAL
from reportsite.render.charts import options as chart_options
from reportsite.render.narrative import Counts
from reportsite.render.pages import Renderer

PACKAGE = ROOT / "reportsite"
DOCS = ROOT / "docs"


# --- Reading the docs -------------------------------------------------------------------------

def doc(name: str) -> str:
    """A documentation file (`content.md`, or `README.md` at the root), without its fenced code
    blocks: an example shows a name, the prose or a table has to say what it is."""
    path = ROOT / name if name == "README.md" else DOCS / name
    return re.sub(r"^```.*?^```[^\n]*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)


def section(text: str, heading: str) -> str:
    """The part of `text` under the first heading that starts with `heading` (`## Context names`),
    up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    m = re.search(rf"^{re.escape(heading)}.*$", text, re.MULTILINE)
    assert m, f"no heading {heading!r}"
    end = re.compile(rf"^#{{1,{len(level)}}} ", re.MULTILINE).search(text, m.end())
    return text[m.start(): end.start() if end else len(text)]


def spans(text: str) -> list[str]:
    """Every inline code span of `text` (`` `n.evaluated` ``)."""
    return re.findall(r"`([^`\n]+)`", text)


def words(text: str) -> set[str]:
    """Every word inside the code spans of `text`: `{start, end}` names `start` and `end`."""
    return {w for span in spans(text) for w in re.findall(r"[\w-]+", span)}


def rows(text: str) -> list[list[str]]:
    """The cells of every table row of `text` (header rows included); `\\|` stays in its cell."""
    out = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            out.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return out


def tables(text: str) -> list[list[list[str]]]:
    """Each table of `text` as its rows of cells, the header first."""
    return [rows(block) for block in re.findall(r"(?:^\|.*\n?)+", text, re.MULTILINE)]


def table(text: str, header: str) -> list[list[str]]:
    """The body rows of the first table of `text` whose first column is headed `header`."""
    found = [t[1:] for t in tables(text) if t[0][0] == header]
    assert found, f"no table with a column headed {header!r}"
    return found[0]


def row(text: str, first: str) -> str:
    """The table row of `text` whose first cell is `first` (`` `kind` ``), as one line."""
    found = [" | ".join(cells) for cells in rows(text) if cells and cells[0] == first]
    assert found, f"no table row starting with {first}"
    return found[0]


def first_cells(text: str) -> set[str]:
    """The names the tables of `text` list in their first cells: the leading name of each code
    span there (`` `count(**filters)` `` lists `count`, `` `extra.gov.icp`, `police` `` both)."""
    out = set()
    for cells in rows(text):
        for span in spans(cells[0]) if cells else ():
            m = re.match(r"[\w.-]+", span)
            if m:
                out.add(m.group())
    return out


def quoted(text: str) -> set[str]:
    """The values written as `"value"` in the code spans of `text`."""
    return {v for span in spans(text) for v in re.findall(r'"([^"]*)"', span)}


def gaps(required, documented, what: str, where: str) -> str:
    """An assertion message listing what is required but not documented, or "" when nothing is."""
    lacking = sorted(set(required) - set(documented))
    return f"{len(lacking)} {what} not documented in {where}: {', '.join(lacking)}" if lacking else ""


# --- 1. What content templates see ------------------------------------------------------------

@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """The page stage's renderer for the default project's newest edition, as `edition_pages`
    builds it: its values and its Jinja environment are what a content file sees."""
    archive, _ = check_archive(str(ROOT / "data"))
    edition = archive.editions[-1]
    return Renderer(archive.as_of(edition.id), edition, str(ROOT / "content" / edition.id))


def context_names(renderer: Renderer) -> set[str]:
    """Every name a content template may use that Jinja itself does not provide: the context, and
    the filters, tests and globals the environment adds."""
    env = renderer.env
    return (set(renderer.values)
            | set(env.filters) - set(jinja2.defaults.DEFAULT_FILTERS)
            | set(env.tests) - set(jinja2.defaults.DEFAULT_TESTS)
            | set(env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE))


def test_every_context_name_and_filter_is_documented(renderer):
    names = context_names(renderer)
    assert {"edition", "n", "vs", "chart", "archive", "url", "fmt", "cn_date"} <= names
    listed = first_cells(section(doc("content.md"), "## Context names"))
    message = gaps(names, listed, "context names", "docs/content.md, ## Context names (a table row each)")
    assert not message, message
    assert listed <= names, \
        "docs/content.md, ## Context names lists names content no longer sees: " + ", ".join(sorted(listed - names))


def test_every_total_of_n_is_documented():
    totals = {f"n.{f.name}" for f in dataclasses.fields(Counts)}
    documented = set(spans(section(doc("content.md"), "## Context names")))
    message = gaps(totals, documented, "totals of `n`", "docs/content.md, the row of `n`")
    assert not message, message


# --- 2. Charts --------------------------------------------------------------------------------

def test_every_chart_option_is_documented():
    options = section(doc("content.md"), "### Options")
    listed = {cells[0].strip("`") for cells in table(options, "option")}
    message = gaps(chart_options.OPTIONS, listed, "chart options", "docs/content.md, ### Options (a row each)")
    assert not message, message
    assert listed <= set(chart_options.OPTIONS), \
        "docs/content.md, ### Options lists options chart() does not take: " \
        + ", ".join(sorted(listed - set(chart_options.OPTIONS)))


def test_every_chart_value_is_documented():
    options = section(doc("content.md"), "### Options")
    keys = {cells[0].strip("`"): cells for cells in table(options, "key")}
    bases = quoted("\n".join(cells[0] for cells in table(options, "base")))
    checks = [
        ("kinds", chart_options.KINDS, quoted(row(options, "`kind`")), "the row of `kind`"),
        ("bases", chart_options.BASES, quoted(row(options, "`share_of`")), "the row of `share_of`"),
        ("values of show", chart_options.SHOW, quoted(row(options, "`show`")), "the row of `show`"),
        ("filter keys", chart_options.FILTER_KEYS, quoted(row(options, "`filter`")), "the row of `filter`"),
        ("filter keys", chart_options.FILTER_KEYS, keys, "the table of `filter` keys (a row each)"),
        ("statuses", chart_options.STATUSES, quoted(" | ".join(keys.get("status", []))),
         "the row of the filter key `status`"),
        ("bases", chart_options.BASES, bases, "the table of `share_of` bases (a row each)"),
    ]
    failures = [gaps(required, documented, what, f"docs/content.md, ### Options, {where}")
                for what, required, documented, where in checks]
    if set(keys) - set(chart_options.FILTER_KEYS) or bases - set(chart_options.BASES):
        failures.append(f"filter keys or bases documented that chart() does not take: "
                        f"{sorted(set(keys) - set(chart_options.FILTER_KEYS) | bases - set(chart_options.BASES))}")
    band, bands = row(options, "`band`"), chart_options.BANDS
    if f"{bands.start} to {bands.stop - 1}" not in band:
        failures.append(f"the row of `band` should say {bands.start} to {bands.stop - 1}: {band}")
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)


def test_the_bars_each_kind_may_have_are_documented_per_kind():
    """The row of `by` writes `"tier"`, `"status"` (stacked, line); read it back per kind."""
    by = row(section(doc("content.md"), "### Options"), "`by`")
    documented: dict[str, set[str]] = {}
    for values, kinds in re.findall(r'((?:`"\w+"`,\s*)*`"\w+"`)\s*\(([\w, ]+)\)', by):
        for kind in re.findall(r"\w+", kinds):
            documented.setdefault(kind, set()).update(re.findall(r'"(\w+)"', values))
    wrong = {kind: (sorted(allowed), sorted(documented.get(kind, ())))
             for kind, allowed in chart_options.BY.items() if set(allowed) != documented.get(kind)}
    assert not wrong, ("docs/content.md, the row of `by`, differs from options.BY: "
                       + "; ".join(f"{k}: code {c}, docs {d}" for k, (c, d) in wrong.items()))


def test_every_named_chart_is_documented_with_its_kind():
    found = table(section(doc("content.md"), "### Named charts"), "name")
    named = {cells[0].strip("`"): cells[1] for cells in found}
    message = gaps(chart_options.NAMED, named, "named charts", "docs/content.md, ### Named charts (a row each)")
    assert not message, message
    unknown = sorted(set(named) - set(chart_options.NAMED))
    assert not unknown, f"docs/content.md, ### Named charts lists charts that do not exist: {unknown}"
    wrong = [name for name, d in chart_options.NAMED.items() if f'kind="{d.kind}"' not in named[name]]
    assert not wrong, f"docs/content.md, ### Named charts gives the wrong kind for {wrong}"


# --- 3. Settings ------------------------------------------------------------------------------

GOV_READ = re.compile(r"""\b(?:gov|shown)\)?(?:\.get\(\s*["'](\w+)["']|\[["'](\w+)["']\]|\.(?!get\b)(\w+)\b)"""
                      r"|extra\.gov\.(\w+)")
"""A value of `extra.gov` the code or a template reads: `gov.get("icp")`, `public(gov).get("place")`,
`settings.shown.get("place")`, `gov["icp"]`, `gov.sponsor`, or names for a person, "extra.gov.icp"."""


def gov_settings() -> set[str]:
    """Every key of `extra.gov` the tool reads (the code, the templates) or ships in `mkdocs.yml`."""
    found = set()
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.j2")]
    for path in sources:
        for m in GOV_READ.finditer(path.read_text(encoding="utf-8")):
            found.add(next(g for g in m.groups() if g))
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    found |= set(settings["extra"]["gov"])
    return found - {"html", "cn"}  # templates/archive/gov.html, www.most.gov.cn


def test_every_setting_is_documented():
    settings = gov_settings()
    assert {"site_id_code", "icp", "police", "place", "sponsor", "contact"} <= settings
    documented, rows_named = set(), set()
    for name in ("README.md", *sorted(p.name for p in DOCS.glob("*.md"))):
        text = doc(name)
        documented |= {s.removeprefix("extra.gov.") for s in spans(text) if s.startswith("extra.gov.")}
        for cells in rows(text):
            if cells and "`extra.gov." in cells[0]:
                documented |= {s.removeprefix("extra.gov.") for s in spans(cells[0])}
            if cells:
                rows_named |= set(spans(cells[0]))
    message = gaps(settings, documented, "settings of extra.gov",
                   "README.md's settings table or docs/ (as `extra.gov.KEY`)")
    assert not message, message
    assert "site_url" in rows_named, "site_url has no row in a settings table"


# --- 4. Slugs ---------------------------------------------------------------------------------

def called(node: ast.Call) -> str:
    """The name a call calls: `Problem`, `of` (of `BuildError.of`), `problem` (of `read.problem`)."""
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


@dataclasses.dataclass
class Source:
    """The package's source, read in one pass."""

    calls: list[tuple[str, ast.Call]] = dataclasses.field(default_factory=list)
    """Every call, with its module."""
    within: dict[int, tuple[str, ast.FunctionDef]] = dataclasses.field(default_factory=dict)
    """The module and innermost function of each call and name, by the node's id."""
    classes: dict[str, tuple[list[str], str | None]] = dataclasses.field(default_factory=dict)
    """Each class: its bases' names and its own `slug = "..."`, if any."""
    values: dict[str, dict[str, ast.expr]] = dataclasses.field(default_factory=dict)
    """Each module's top-level assignments (`DISK_SLUGS = {...}`)."""


@functools.cache
def source() -> Source:
    out = Source()

    def visit(node, module: str, f=None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else f
            if isinstance(child, (ast.Call, ast.Name)) and inner is not None:
                out.within[id(child)] = (module, inner)
            if isinstance(child, ast.Call):
                out.calls.append((module, child))
            elif isinstance(child, ast.ClassDef):
                slug = next((s.value.value for s in child.body if isinstance(s, ast.Assign)
                             and [getattr(t, "id", "") for t in s.targets] == ["slug"]
                             and isinstance(s.value, ast.Constant)), None)
                out.classes[child.name] = ([b.id for b in child.bases if isinstance(b, ast.Name)], slug)
            visit(child, module, inner)

    for path in sorted(PACKAGE.rglob("*.py")):
        module = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out.values[module] = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                              for t in n.targets if isinstance(t, ast.Name)}
        visit(tree, module)
    return out


def error_classes() -> dict[str, str]:
    """`ReportError` and every class derived from it, with the slug it prints when raised with a
    sentence of its own (its class attribute `slug`, or its base's)."""
    classes = source().classes
    found = {"ReportError": classes["ReportError"][1]}
    while more := {name: slug or found[next(b for b in bases if b in found)]
                   for name, (bases, slug) in classes.items() if name not in found and set(bases) & set(found)}:
        found.update(more)
    return found


@functools.cache
def printed_slugs() -> dict[str, str]:
    """Every slug a line can print as `[slug]`, with the first place that makes it: the slug of each
    `Problem(...)`, of each error raised by catalogue slug (`BuildError.of("locked", ...)`, printed
    as the part before a `/`) and of each error raised with a sentence of its own (its class's).

    A slug passed as a function's parameter is looked up in the calls of that function; one
    unpacked from a tuple, in the tuple; otherwise the catalogue slugs the expression names (or a
    table it reads), or else its function names, are taken. A `p.slug` passes on a problem made
    elsewhere."""
    src, errors = source(), error_classes()
    slugs = {s for s in catalogue() if "/" not in s}

    def constants(node) -> set[str]:
        return {c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and c.value in slugs}

    def resolve(node, module: str, depth: int = 0) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value.partition("/")[0]}
        if isinstance(node, ast.Attribute) or depth > 3:
            return set()
        f = src.within.get(id(node), (module, None))[1]
        if isinstance(node, ast.Name) and f is not None:
            params = [a.arg for a in f.args.args]
            if node.id in params:
                index, method = params.index(node.id), params[:1] in (["self"], ["cls"])
                out = set()
                for m, call in src.calls:
                    if called(call) != f.name or (not method and m != module):
                        continue
                    at = index - (method and isinstance(call.func, ast.Attribute))
                    given = next((k.value for k in call.keywords if k.arg == node.id),
                                 call.args[at] if at < len(call.args) else None)
                    if given is not None:
                        out |= resolve(given, m, depth + 1)
                return out
            for a in ast.walk(f):
                if isinstance(a, ast.Assign) and isinstance(a.targets[0], ast.Tuple):
                    names = [getattr(t, "id", "") for t in a.targets[0].elts]
                    if node.id in names:
                        i = names.index(node.id)
                        values = [v for v in ast.walk(a.value)
                                  if isinstance(v, ast.Tuple) and len(v.elts) == len(names)]
                        return set().union(*(resolve(v.elts[i], module, depth + 1) for v in values))
        tables = src.values[module]
        found = constants(node) | {s for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in tables
                                   for s in constants(tables[n.id])}
        return found or (constants(f) if f is not None else set())

    out: dict[str, str] = {}
    for module, call in src.calls:
        name, where = called(call), f"{module}:{call.lineno}"
        f = call.func
        owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
        if call.args and (name == "Problem" or name == "of" and owner in errors):
            found = resolve(call.args[0], module)
        elif name in errors and isinstance(call.func, ast.Name):
            given = next((k.value for k in call.keywords if k.arg == "slug"), None)
            found = resolve(given, module) if given is not None else {errors[name]}
        else:
            continue
        for slug in found:
            out.setdefault(slug, where)
    return out


def test_every_printed_slug_is_documented():
    printed = printed_slugs()
    # Problems of the data, of a workbook and of content, and errors that stop a command.
    assert {"unknown-code", "cell-number", "stale-figure", "template-loop-limit", "chart-value",
            "content", "locked", "frozen-manifest-json", "disk-full", "usage"} <= set(printed)
    assert len(printed) > 100
    documented = set()
    for name in ("data.md", "content.md"):
        documented |= {s for cells in rows(doc(name)) for cell in cells for s in spans(cell)}
        documented |= set(re.findall(r"\[([a-z0-9-]+)\]", doc(name)))
    lacking = sorted(set(printed) - documented)
    assert not lacking, (f"{len(lacking)} slugs a line can print as [slug] are not documented in docs/data.md "
                         "(## Slugs) or docs/content.md:\n" + "\n".join(f"  {s} ({printed[s]})" for s in lacking))


def test_every_slug_in_the_slug_tables_is_printed():
    """The other way round: a table of slugs (its first column headed `slug`) names no slug the
    tool does not print."""
    listed = {}
    for name in ("data.md", "content.md"):
        for table in tables(doc(name)):
            if table[0][0] == "slug":
                listed.update((slug, name) for cells in table[1:] for slug in spans(cells[0]))
    assert len(listed) > 120
    stale = sorted(f"{slug} (docs/{name})" for slug, name in listed.items() if slug not in printed_slugs())
    assert not stale, "slug tables name slugs the tool never prints: " + ", ".join(stale)


# --- 5. The data contract ---------------------------------------------------------------------

def reader_keys(module: str) -> dict[str, set[str]]:
    """The keys the `Reader.mapping(node, what, required, optional)` calls of `read/MODULE` accept,
    by the data file each reads. A reader function's file is the `*.yaml` name its callers pass
    it, or names itself, or else its caller's; the registry's reader is given its path by the
    checker (`check.REGISTRY`)."""
    tree = ast.parse((PACKAGE / "read" / module).read_text(encoding="utf-8"))
    values = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name)}
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}

    def keys(node) -> set[str]:
        if isinstance(node, ast.Name):
            return keys(values[node.id])
        if isinstance(node, ast.BinOp):
            return keys(node.left) | keys(node.right)
        return {e.value for e in node.elts}

    def calls(node, name: str | None = None) -> list[ast.Call]:
        return [c for c in ast.walk(node) if isinstance(c, ast.Call) and name in (None, called(c))]

    def yaml_names(nodes, skip=frozenset()) -> set[str]:
        return {c.value for node in nodes for c in ast.walk(node) if id(c) not in skip
                and isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.endswith(".yaml")}

    def file_of(name: str, seen=()) -> str:
        given = yaml_names(a for f in functions.values() for c in calls(f, name) for a in c.args)
        if given:
            return given.pop()
        f = functions[name]
        inner = {id(n) for c in calls(f) if called(c) in functions for n in ast.walk(c)}
        own = yaml_names([f], inner)
        if own:
            return own.pop()
        callers = [g for g, h in functions.items() if g not in seen and g != name and calls(h, name)]
        if callers:
            return file_of(callers[0], (*seen, name))
        assert module == "registry.py", f"cannot tell which data file read/{module}: {name}() reads"
        return check.REGISTRY

    out: dict[str, set[str]] = {}
    for name, f in functions.items():
        for call in calls(f, "mapping"):
            out.setdefault(file_of(name), set()).update(*(keys(a) for a in call.args[2:]))
    return out


def mapping_keys() -> dict[str, set[str]]:
    """The keys each data file accepts (`edition.yaml`: its own keys and every key of a mapping
    inside it), as the readers of `read/parse.py` and `read/registry.py` read them."""
    out: dict[str, set[str]] = {}
    for module in ("parse.py", "registry.py", "indicators.py"):
        for file, keys in reader_keys(module).items():
            out.setdefault(file, set()).update(keys)
    return out


def test_every_data_key_is_documented():
    keys = mapping_keys()
    assert {"alliances.yaml", "edition.yaml", "results.yaml", "experts.yaml", "indicators.yaml"} <= set(keys)
    assert set(EDITION_KEYS + EDITION_OPTIONAL) <= keys["edition.yaml"]
    data = doc("data.md")
    headings = {file: next((h for h in data.splitlines() if h.startswith("## ") and f"{file}`" in h), None)
                for file in keys}
    failures = [f"docs/data.md has no section headed ## `data/.../{file}`" for file, h in headings.items() if not h]
    for file, required in sorted(keys.items()):
        if headings[file]:
            failures.append(gaps(required, words(section(data, headings[file])), f"keys of {file}",
                                 f"docs/data.md, {headings[file]}"))
    # The edition's own keys each have a row of its table.
    if headings["edition.yaml"]:
        failures.append(gaps(EDITION_KEYS + EDITION_OPTIONAL, first_cells(section(data, headings["edition.yaml"])),
                             "keys of edition.yaml", "docs/data.md, the table of edition.yaml (a row each)"))
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)
