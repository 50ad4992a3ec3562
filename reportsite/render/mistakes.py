"""A content file's mistake in its author's words: which expression, what is wrong with it and
what would be right, never a Python type or module name.

Jinja reports a mistake in its own English (`unexpected '}'`, `'dict object' has no attribute
'hgh'`), and Python in its (`unsupported operand type(s) for +: 'int' and 'str'`). Each is turned
here into a catalogue message about the expression on the line where it happened: an unknown name
with the close ones the context has, an unbalanced `{{ }}`, a value of the wrong kind. What cannot
be read is said in general words, and its place is still given.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

import jinja2
from jinja2.exceptions import UndefinedError

from reportsite.model.chars import char_name
from reportsite.model.messages import Message, message
from reportsite.model.records import quote

SHOWN_CHOICES = 12
"""The most names a message lists as available."""
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
TYPE_KINDS = {
    "int": "whole", "float": "number", "Decimal": "number", "Share": "share", "str": "text",
    "Markup": "text", "PageMarkup": "text", "list": "list", "tuple": "list", "dict": "mapping",
    "NoneType": "none", "None": "none", "bool": "boolean", "function": "function", "method": "function",
    "builtin_function_or_method": "function", "ContentUndefined": "undefined", "StrictUndefined": "undefined",
    "Undefined": "undefined", "Edition": "edition", "Counts": "counts", "Activity": "activity", "Tier": "tier",
    "Group": "group", "ALevel": "a-level", "Alliance": "alliance", "Result": "result",
}
"""Python's names of a value's type -> the `kind/…` word a message uses."""


class UnknownName(UndefinedError):
    """A name or attribute a template asked for that is not there, with what it was asked of."""

    def __init__(self, text: str | None = None, obj=None, name: str | None = None):
        super().__init__(text)
        self.obj, self.name = obj, name


def kind(value) -> Message:
    """What a value is, in words: 整数, 文字, 列表, 空值, 一届报告的记录 …"""
    return kind_named(type(value).__name__)


def kind_named(type_name: str) -> Message:
    """`kind()` from the name of a type."""
    return message("kind/" + TYPE_KINDS.get(type_name, "record"))


def expressions(line: str) -> list[tuple[int, str]]:
    """(column, text) of each `{{ … }}` and `{% … %}` on a line."""
    return [(m.start() + 1, m.group()) for m in EXPRESSION.finditer(line)]


def _choices(names: list[str], wanted: str) -> tuple[str, str]:
    """The close ones to `wanted` (for 是否应为…) and the names to list as available."""
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    ordered = close + [n for n in names if n not in close]
    shown = "、".join(ordered[:SHOWN_CHOICES]) + ("…" if len(ordered) > SHOWN_CHOICES else "")
    return "、".join(close), shown


def unknown_name(name: str, known: list[str]) -> Message:
    """`name` is no name of the context: the close ones, else where the names are listed."""
    close, _ = _choices(known, name)
    if close:
        return message("content-undefined/close", name=quote(name), close=close)
    return message("content-undefined", name=quote(name))


INTERNAL = re.compile(r"(^|_)locs?$")
"""Fields a record keeps for messages (where a value was written), not for a narrative."""


def public_names(obj) -> list[str]:
    """What a template may read of `obj`: a mapping's keys, a record's fields and properties."""
    if isinstance(obj, dict):
        return [str(k) for k in obj]
    if dataclasses.is_dataclass(obj):
        return [f.name for f in dataclasses.fields(obj) if not INTERNAL.search(f.name)] + sorted(
            n for n in dir(type(obj)) if not n.startswith("_") and isinstance(getattr(type(obj), n), property))
    return []


def missing_attribute(exc: UnknownName, line: str) -> tuple[Message, int]:
    """An attribute or key a value lacks: the expression it was asked of, the close ones."""
    name = str(exc.name)
    asked = re.compile(r"((?:[A-Za-z_]\w*)(?:\.[A-Za-z_]\w*|\[[^\]]+\])*)"
                       rf"(?:\.{re.escape(name)}\b|\[\s*[\"']{re.escape(name)}[\"']\s*\])")
    m = asked.search(line)
    owner: object = m.group(1) if m else kind(exc.obj)
    col = m.end(1) + 2 if m else (expressions(line) or [(1, "")])[0][0]
    if exc.obj is None:
        return message("content-undefined/empty", owner=owner, name=quote(name)), col
    close, shown = _choices(public_names(exc.obj), name)
    if not shown:
        return message("content-undefined/nothing", owner=owner, name=quote(name), kind=kind(exc.obj)), col
    said = "content-undefined/attribute-close" if close else "content-undefined/attribute"
    return message(said, owner=owner, name=quote(name), close=close, choices=shown), col


SYNTAX = (
    (re.compile(r"unexpected '(?P<got>.*?)', expected '(?P<expected>.*?)'"), "content/expected"),
    (re.compile(r"unexpected '\}'"), "content/unbalanced-close"),
    (re.compile(r"unexpected end of template, expected 'end of print statement'"), "content/unclosed-print"),
    (re.compile(r"expected token 'end of print statement', got '(?P<got>.*)'"), "content/print-got"),
    (re.compile(r"Unexpected end of template\. Jinja was looking for the following tags: (?P<tags>.*?)\. "
                r"The innermost block that needs to be closed is '(?P<block>\w+)'"), "content/unclosed-block"),
    (re.compile(r"Encountered unknown tag '(?P<tag>\w+)'\. Jinja was looking for the following tags: "
                r"(?P<tags>.*?)\. The innermost block that needs to be closed is '(?P<block>\w+)'"),
     "content/misplaced-tag"),
    (re.compile(r"Encountered unknown tag '(?P<tag>\w+)'"), "content/unknown-tag"),
    (re.compile(r"unexpected char '(?P<char>.)'"), "content/character"),
    (re.compile(r"expected token '(?P<expected>.*)', got '(?P<got>.*)'"), "content/expected"),
    (re.compile(r"unexpected '(?P<got>.*?)'"), "content/unexpected"),
    (re.compile(r"unexpected end of template"), "content/unexpected-end"),
)
"""Jinja's syntax errors, by the start of its message, and the catalogue entry saying each."""


def syntax(exc: jinja2.TemplateSyntaxError, line: str) -> Message:
    """A syntax error in words: what is unbalanced or unexpected, and where."""
    text = exc.message or ""
    for pattern, slug in SYNTAX:
        m = pattern.search(text)
        if not m:
            continue
        params: dict[str, object] = {k: quote(v) for k, v in m.groupdict().items()}
        if slug == "content/unbalanced-close" and line.count("{{") > line.count("}}"):
            slug = "content/unclosed-print"
        elif slug == "content/unbalanced-close" and line.count("{{") == line.count("}}"):
            slug, params = "content/unexpected", {"got": "}"}
        if "char" in params:
            params["char"] = char_name(m.group("char"))
        if "tags" in params:
            tags = re.findall(r"'(\w+)'", m.group("tags"))
            ends = [t for t in tags if t.startswith("end")] or tags
            params["tags"] = "、".join(f"{{% {t} %}}" for t in ends)
        return message(slug, **params)
    return message("content/syntax", detail=quote(text, 120))


OPERAND = re.compile(r"unsupported operand type\(s\) for (?P<op>\S+): '(?P<left>\w+)' and '(?P<right>\w+)'")
CONCATENATE = re.compile(r'can only concatenate (?P<left>\w+) \(not "(?P<right>\w+)"\) to \w+')
COMPARE = re.compile(r"'(?P<op>\S+)' not supported between instances of '(?P<left>\w+)' and '(?P<right>\w+)'")
CONVERT = re.compile(r"conversion from (?P<kind>\w+) to (?:Decimal|int|float) is not supported")
NOT_A = re.compile(r"'(?P<kind>\w+)' object is not (?P<what>callable|iterable|subscriptable)")
ARGUMENT = re.compile(r"unexpected keyword argument '(?P<name>\w+)'")


def _expression(line: str, hint: str) -> tuple[int, str]:
    """The expression on `line` a failure most likely comes from: the first holding `hint`."""
    found = expressions(line) or [(1, line.strip())]
    return next(((col, text) for col, text in found if hint and hint in text), found[0])


def failure(exc: BaseException, line: str) -> tuple[Message, int]:
    """A failure while a value was computed, in words, naming the expression; its column."""
    text = " ".join(str(exc).split())
    said: tuple[str, dict, str]
    if isinstance(exc, ZeroDivisionError):
        said = ("template-failed/zero", {}, "/")
    elif m := OPERAND.search(text) or CONCATENATE.search(text):
        op = m.groupdict().get("op", "+")
        hint = message("template-failed/join-hint") if op == "+" and "str" in (m["left"], m["right"]) else ""
        said = ("template-failed/operand", {"op": op, "left": kind_named(m["left"]), "right": kind_named(m["right"]),
                                            "hint": hint}, op)
    elif m := COMPARE.search(text):
        said = ("template-failed/compare", {"op": m["op"], "left": kind_named(m["left"]),
                                            "right": kind_named(m["right"])}, m["op"])
    elif m := CONVERT.search(text):
        said = ("template-failed/number", {"kind": kind_named(m["kind"])}, "(")
    elif m := NOT_A.search(text):
        said = (f"template-failed/not-{m['what']}", {"kind": kind_named(m["kind"])}, "(" if m["what"] == "callable" else "")
    elif m := ARGUMENT.search(text):
        said = ("template-failed/argument", {"name": quote(m["name"])}, m["name"])
    elif isinstance(exc, KeyError):
        said = ("template-failed/key", {"key": quote(str(exc.args[0]) if exc.args else "")}, "[")
    else:
        words = {IndexError: "index", ValueError: "value", OverflowError: "overflow", TypeError: "type"}
        said = ("template-failed/" + next((w for t, w in words.items() if isinstance(exc, t)), "other"), {}, "")
    slug, params, hint = said
    col, expression = _expression(line, hint)
    return message(slug, expression=quote(expression, 120), **params), col
