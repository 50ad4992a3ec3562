"""Where content templates run: Jinja's immutable sandbox, with limits, Markdown-aware escaping and a
loader that stays inside its folders.

Content authors are trusted to write Markdown and HTML, not to run programs: a template cannot
reach Python's internals (`cycler.__init__.__globals__` is a `SecurityError`), change the data it
is given, read a file outside the content and templates folders, or run without end. Every value
it prints that is not markup already is escaped for HTML and Markdown (`escape.page_text`), and so
is every operand that markup is combined with (`~`, `+`, `%`, `join`, `replace`, `format`).

The limits hold per page: loop iterations, the size of any one value, the page's length and its
rendering time. A template that passes one stops with a located `ContentError` (`content.render_file`
gives it the file and line).
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Generator
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.exceptions import UndefinedError
from jinja2.filters import do_center, do_indent, do_slice, make_attrgetter
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from reportsite.model.errors import ContentError
from reportsite.model.escape import PLAIN_IN_SCRIPT, PageMarkup, page_text, script_json
from reportsite.render.mistakes import UnknownName

MAX_ITERATIONS = 1_000_000
"""Loop iterations in one page, all loops together (the longest real loop is one per alliance)."""
MAX_CHARS = 10_000_000
"""Characters (or items) of any one value a template makes, and of a rendered page."""
MAX_SECONDS = 60
"""Rendering time of one page."""
MAX_INT_BITS = 10_000
"""Size of an integer a template computes (about 3,000 digits)."""
MAX_LIPSUM = 100
"""Paragraphs `lipsum()` may make."""

# A `%` or `{}` format field: a large width or precision in one would make a large string.
FORMAT_FIELD = re.compile(r"%(?:\([^)]*\))?[^a-zA-Z%]*[a-zA-Z%]|\{[^{}]*\}")


def limit(slug: str, **params) -> ContentError:
    """A limit reached inside a template; `content.render_file` adds where."""
    return ContentError.of(slug, **params)


def check_size(n: int) -> None:
    """Refuse a value of `n` characters or items before it is made."""
    if n > MAX_CHARS:
        raise limit("template-value-limit", limit=MAX_CHARS)


def check_format(template: str, args=()) -> None:
    """Refuse a format whose widths or precisions (written, or given as arguments) are too large."""
    numbers = [int(n) for field in FORMAT_FIELD.findall(str(template)) for n in re.findall(r"\d+", field)]
    numbers += [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
    if any(n > MAX_CHARS for n in numbers):
        raise limit("template-value-limit", limit=MAX_CHARS)


def sized(value):
    """`value`, once checked not to be too large a string, sequence or integer."""
    if isinstance(value, (str, list, tuple, dict, set)):
        check_size(len(value))
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise limit("template-value-limit", limit=MAX_CHARS)
    return value


def has_html(value) -> bool:
    return hasattr(value, "__html__")


class OutsideFolders(jinja2.TemplateNotFound):
    """A template whose file lies outside the folders templates may come from (a symbolic link out)."""


def inside(path: str, roots: tuple[str, ...]) -> bool:
    """True when `path`, with every symbolic link resolved, lies in one of the (resolved) `roots`."""
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + os.sep) for root in roots)


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from the search path, refusing any file that resolves outside `roots` (Jinja
    already refuses `..` in a template's name)."""

    def __init__(self, searchpath: list[str], roots: tuple[str, ...]):
        super().__init__(searchpath)
        self.roots = tuple(os.path.realpath(r) for r in roots)

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            if os.path.isfile(path):
                if not inside(path, self.roots):
                    raise OutsideFolders(template)
                break
        return super().get_source(environment, template)


class _Guards(NodeTransformer):
    """Rewrites a parsed template so that every loop counts its iterations and every `~` escapes
    and measures what it joins."""

    def __init__(self, environment: jinja2.Environment):
        self.environment = environment

    def _call(self, name: str, args: list, lineno: int) -> nodes.Call:
        call = nodes.Call(nodes.EnvironmentAttribute(name), args, [], None, None, lineno=lineno)
        call.set_environment(self.environment)
        return call

    # `generic_visit` transforms a node's children in place and returns the node itself.
    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = self._call("counted", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:
        self.generic_visit(node)
        parts = nodes.List(node.nodes, lineno=node.lineno).set_environment(self.environment)
        return self._call("joined", [parts], node.lineno)


@functools.cache
def plain_record(cls: type) -> bool:
    """Whether `cls` is one of our frozen records: a frozen dataclass of this package, not a
    container, reading its attributes the ordinary way. Reading a public attribute of one that
    holds a value (not a method) is what the sandbox allows anyway, so it is done without the
    sandbox's checks, which cost a few microseconds each on the hundreds of thousands of reads a
    large archive's generated pages make."""
    params = getattr(cls, "__dataclass_params__", None)
    return (cls.__module__.startswith("reportsite.") and params is not None and params.frozen
            and not issubclass(cls, (str, bytes, dict, list, set))
            and cls.__getattribute__ is object.__getattribute__ and not hasattr(cls, "__getattr__"))


class ContentUndefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, failing with what was asked of what (`mistakes.UnknownName`), so
    the author reads which expression lacks which name and the close ones."""

    __slots__ = ("_given_exception",)

    @property
    def _undefined_exception(self):
        # The sandbox's own (a `SecurityError` for an unsafe attribute) stays as it is.
        if self._given_exception is not UndefinedError:
            return self._given_exception
        return functools.partial(UnknownName, obj=self._undefined_obj, name=self._undefined_name)

    @_undefined_exception.setter
    def _undefined_exception(self, value) -> None:
        self._given_exception = value


class PageSandbox(ImmutableSandboxedEnvironment):
    """Jinja for content and generated pages: sandboxed, read-only data, limited, and escaping for
    HTML and Markdown. Render with `render()`, which applies the per-page limits."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    loader: FolderLoader
    """Always ours (Jinja's own type allows any loader, or none)."""

    def __init__(self, searchpath: list[str], roots: tuple[str, ...], **options):
        super().__init__(loader=FolderLoader(searchpath, roots), undefined=ContentUndefined,
                         autoescape=True, finalize=self.finalized, **options)
        self.iterations = 0
        self.deadline = 0.0
        self.globals.update(range=self.range, lipsum=self.lipsum)
        self.filters.update(
            e=page_text, escape=page_text, forceescape=lambda v: page_text(str(v)), join=self.join,
            replace=self.replace, format=self.format, tojson=lambda v: Markup(script_json(v, PLAIN_IN_SCRIPT)),
            center=self.center, indent=self.indent, slice=self.slice)
        # urlize makes links from data, with their text escaped for HTML only.
        del self.filters["urlize"]

    def getattr(self, obj, attribute):
        """`obj.attribute` as the sandbox allows it; a value of one of our records directly."""
        if not attribute.startswith("_") and plain_record(type(obj)):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not callable(value):
                    return value
        return super().getattr(obj, attribute)

    def _parse(self, source, name, filename):
        return _Guards(self).visit(super()._parse(source, name, filename))

    # -- one page ------------------------------------------------------------------------------

    def render(self, template: jinja2.Template, values: dict, module: bool = False):
        """`template` rendered with `values` (as a module, when asked), within the page's limits."""
        self.iterations, self.deadline = 0, time.monotonic() + MAX_SECONDS
        if module:
            return template.make_module(values)
        chunks, size = [], 0
        # A generator (Jinja annotates `generate` as returning an iterator), so it can be thrown into.
        output = cast(Generator[str, None, None], template.generate(values))
        for chunk in output:
            size += len(chunk)
            if size > MAX_CHARS:
                # Raised where the template is, so that its traceback names the line.
                output.throw(limit("template-output-limit", limit=MAX_CHARS))
            chunks.append(chunk)
        return "".join(chunks)

    def counted(self, iterable):
        """`iterable`, counting its items against the page's loop budget and time."""
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise limit("template-loop-limit", limit=MAX_ITERATIONS)
            if not self.iterations % 1024 and time.monotonic() > self.deadline:
                raise limit("template-time-limit", limit=MAX_SECONDS)
            yield item

    # -- escaping ------------------------------------------------------------------------------

    @staticmethod
    def finalized(value):
        """What `{{ ... }}` prints (Jinja's `finalize`): markup as it is, anything else escaped for
        HTML and Markdown."""
        return value if has_html(value) else sized(page_text(value))

    def joined(self, parts: list[Any]):
        """`a ~ b`: plain text when every part is, else markup with the plain parts escaped. (Not
        Jinja's own `concat`, which joins a macro's or block's output, its literal text unescaped.)"""
        check_size(sum(len(str(p)) for p in parts))
        if any(has_html(p) for p in parts):
            return Markup("".join(page_text(p) for p in parts))
        return "".join(str(p) for p in parts)

    def join(self, value, d: str = "", attribute=None):
        """Jinja's `join`, escaping each plain item for HTML and Markdown when any item is markup."""
        items = list(value)
        if attribute is not None:
            get = make_attrgetter(self, attribute)
            items = [get(item) for item in items]
        check_size(sum(len(str(i)) for i in items) + len(str(d)) * len(items))
        if has_html(d) or any(has_html(i) for i in items):
            return Markup(page_text(d).join(page_text(i) for i in items))
        return str(d).join(str(i) for i in items)

    def replace(self, s, old, new, count: int | None = None):
        """Jinja's `replace`, escaping for HTML and Markdown when markup is involved."""
        s, old, new = (str(s) if not has_html(s) else s), str(old), str(new)
        check_size(len(s) + (len(s) + 1 if not old else s.count(old)) * len(new))
        if has_html(s):
            return PageMarkup(s).replace(old, new, -1 if count is None else count)
        return s.replace(old, new, -1 if count is None else count)

    def format(self, value, *args, **kwargs):
        """Jinja's `format` (`"%s, %s" | format(a, b)`), measured, escaping into markup."""
        check_format(value, [*args, *kwargs.values()])
        base = PageMarkup(value) if has_html(value) else str(value)
        return sized(base % (kwargs or args))

    def center(self, value, width: int = 80):
        check_size(width)
        return do_center(value, width)

    def slice(self, value, slices: int, fill_with=None):
        check_size(slices)
        return do_slice(value, slices, fill_with)

    def indent(self, s, width=4, first: bool = False, blank: bool = False):
        if isinstance(width, int):
            check_size(len(str(s)) + (str(s).count("\n") + 1) * width)
        return do_indent(s, width, first, blank)

    # -- globals and operators ------------------------------------------------------------------

    @staticmethod
    def range(*args: int) -> range:
        """Python's range, up to the page's loop budget."""
        numbers = range(*args)
        if len(numbers) > MAX_ITERATIONS:
            raise limit("template-loop-limit", limit=MAX_ITERATIONS)
        return numbers

    @staticmethod
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100):
        """Jinja's placeholder text, a few paragraphs at most."""
        if n > MAX_LIPSUM or max > 1000:
            raise limit("template-value-limit", limit=MAX_CHARS)
        return generate_lorem_ipsum(n, html, min, max)

    def call_binop(self, context, operator: str, left, right):
        """`+`, `*`, `**` and `%`, measured before they run; markup escapes its plain operand."""
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(abs(left).bit_length() - 1, 0) * right > MAX_INT_BITS:
                    raise limit("template-value-limit", limit=MAX_CHARS)
            return left ** right
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
                    check_size(len(seq) * n)
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise limit("template-value-limit", limit=MAX_CHARS)
            return left * right
        if operator == "%":
            if isinstance(left, str):
                check_format(left, right if isinstance(right, tuple) else (right,))
                if has_html(left):
                    left = PageMarkup(left)
            return sized(left % right)
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            check_size(len(left) + len(right))
        if isinstance(left, str) and isinstance(right, str) and (has_html(left) or has_html(right)):
            return Markup(page_text(left) + page_text(right))
        return left + right

    def wrap_str_format(self, value):
        """`str.format` and `format_map` as the sandbox runs them, measured first; on markup,
        escaping their arguments for HTML and Markdown."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, Markup) and not isinstance(owner, PageMarkup):
            value = getattr(PageMarkup(owner), value.__name__)
        run = super().wrap_str_format(value)
        if run is None:
            return None

        def measured(*args, **kwargs):
            given = [*args, *kwargs.values()]
            mapping = args[0] if value.__name__ == "format_map" and args and isinstance(args[0], dict) else {}
            check_format(owner, [*given, *mapping.values()])
            return sized(run(*args, **kwargs))

        return measured

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        """A call from a template: a recursive loop's items are counted, string methods that make
        large strings are measured first (markup's escaping their arguments for Markdown too), and
        the result is measured after."""
        for given in (*args, *kwargs.values()):
            if isinstance(given, jinja2.Undefined):
                # Fail where the unknown name is passed, not deep inside the function it reaches.
                given._fail_with_undefined_error()
        if isinstance(__obj, LoopContext) and args:
            args = (__self.counted(args[0]), *args[1:])
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if isinstance(owner, Markup) and not isinstance(owner, PageMarkup) and hasattr(PageMarkup, name):
                __obj = getattr(PageMarkup(owner), name)
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            if name == "join" and args:
                args = (list(args[0]),)
                check_size(sum(len(str(a)) for a in args[0]) + len(owner) * len(args[0]))
            elif name == "replace" and len(args) >= 2:
                old, new = str(args[0]), str(args[1])
                check_size(len(owner) + (len(owner) + 1 if not old else owner.count(old)) * len(new))
            elif name == "expandtabs":
                check_size(len(owner) * max(numbers or [8]))
            elif numbers:
                check_size(max(numbers))
        return sized(super().call(__context, __obj, *args, **kwargs))
