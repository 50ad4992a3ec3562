"""Read typed values out of located YAML nodes, collecting a problem for each value that is wrong.

Every reader returns the cleaned value, or None after appending one `Problem` that says why not;
nothing raises, so one run reports every mistake in every file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import TypeGuard

from reportsite.model.messages import Message, message
from reportsite.model.chars import char_name
from reportsite.model.records import BIDI_CONTROLS, NONCHARACTERS, UNCARRIED, Loc, Problem, quote
from reportsite.read.load import MAP, SCALAR, SEQ, Node

CODE = re.compile(r"^(?:[1-9]\d{2}|D\d{3})$", re.ASCII)
"""A pilot code (`110`) or a network member's code (`D106`), in ASCII digits."""
DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
"""A number as people write it and as it is read, matched whole: `85`, `85.5`, `-1`, `0.5`. Any
other form YAML 1.1 would read as a number (`070` octal, `1:30` base 60, `0x5A`, `1_00`, `+85`,
`.inf`) is reported, never reinterpreted."""
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
"""A date as `YYYY-MM-DD`, the form a quoted date must have to be read as one."""
QUOTES = "“”‘’"
"""Full-width quote marks, which YAML takes for text."""
MAX_DIGITS = 15
"""The most digits before the point a number may have: more than any score, count or amount here
has, and fewer than Python refuses to read as a whole number."""
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + NONCHARACTERS
                     + "".join(sorted(BIDI_CONTROLS)) + "]")
"""Characters a data value must not hold: C0 and C1 controls other than tab and line feed (what a
double-quoted `"\\x01"` or `"\\e"` gives), line and paragraph separators, bidi controls, and what
XML and JSON cannot carry (`"\\uFFFE"`, a lone surrogate `"\\ud800"`)."""

_KIND_NAMES = {MAP: "kind/mapping", SEQ: "kind/list", SCALAR: "kind/value"}
"""Catalogue slugs of what a node is, when it is not what was expected."""


def suggest_code(raw: str) -> str | None:
    """The code a near miss was meant to be (`d101` -> `D101`, `0110` -> `110`, `11O` -> `110`,
    full-width `１１０` -> `110`)."""
    text = unicodedata.normalize("NFKC", raw).strip().replace("_", "")
    head, body = ("D", text[1:]) if text[:1] in "dD" else ("", text)
    body = body.translate(str.maketrans("OoIl", "0011"))
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", body):
        body = str(int(body, 16))
    body = re.sub(r"\.0*$", "", body)
    if not head and re.fullmatch(r"0+\d{3}", body):
        body = body.lstrip("0").rjust(3, "0")
    candidate = head + body
    return candidate if CODE.match(candidate) and candidate != raw else None


def _plain(value: float) -> str:
    """A number as a hint writes it: 90, not 90.0."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def first_odd(text: str, odd: Callable[[str], bool]) -> tuple[str, int] | None:
    """The first character of `text` for which `odd(char)` holds, and its 1-based position."""
    return next(((c, i + 1) for i, c in enumerate(text) if odd(c)), None)


def number_form(text: str) -> Message | None:
    """Why `text`, which is not written as `DECIMAL`, is not taken as a number, with how to write
    it; None when it does not look like a number at all (it is then simply the wrong type)."""
    value = quote(text)
    plain = unicodedata.normalize("NFKC", text).strip()
    if len(text) > MAX_DIGITS * 2:
        # Too long to be a number anyone meant; a hint would be as long (or, in decimal, too long
        # for Python to write).
        numeric = re.fullmatch(r"[-+]?(?:0[xXoObB][0-9a-fA-F_]+|[0-9.,:_eE]+)", plain)
        return message("number-form/other", value=value) if numeric else None
    if not text.isascii():
        # Between full-width quotes (“85”) is a number a Chinese input method quoted.
        plain = plain.strip(QUOTES)
        if not re.fullmatch(r"[-+0-9.,:_eE]+", plain, re.ASCII):
            return None
        found = first_odd(text, lambda c: not c.isascii())
        assert found is not None  # the text is not ASCII
        char, position = found
        params = dict(value=value, char=char_name(char), position=position)
        if DECIMAL.fullmatch(plain):
            return message("number-form/character-hint", hint=plain, **params)
        return message("number-form/character", **params)
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    minus = "-" if sign == "-" else ""
    if re.fullmatch(r"\.?(?:inf|infinity|nan)", body, re.I):
        return message("number-form/not-finite", value=value)
    based = re.fullmatch(r"0([xXoObB])([0-9a-fA-F_]+)", body)
    if based:
        base = {"x": 16, "o": 8, "b": 2}[based.group(1).lower()]
        try:
            hint = minus + str(int(based.group(2).replace("_", ""), base))
        except ValueError:
            return message("number-form/other", value=value)
        return message("number-form/base", value=value, base=base, hint=hint)
    if re.fullmatch(r"[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", body):
        read = 0.0
        for part in body.replace("_", "").split(":"):
            read = read * 60 + float(part or 0)
        return message("number-form/sexagesimal", value=value, read=minus + _plain(read))
    if re.fullmatch(r"[0-9_.]*[0-9][0-9_.]*", body) and "_" in body:
        hint = sign + body.replace("_", "")
        return message("number-form/underscore", value=value,
                       hint=hint if DECIMAL.fullmatch(hint) else "85")
    if re.fullmatch(r"[0-9][0-9,]*(?:\.[0-9]+)?", body) and "," in body:
        return message("number-form/comma", value=value)
    if re.fullmatch(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+", body):
        if not float(body) < 10 ** MAX_DIGITS:
            return message("number-form/other", value=value)
        return message("number-form/exponent", value=value, hint=minus + _plain(float(body)))
    if re.fullmatch(r"[0-9]+\.|\.[0-9]+", body):
        return message("number-form/point", value=value, hint=minus + _plain(float(body)))
    if re.fullmatch(r"0[0-9]+(?:\.[0-9]+)?", body):
        return message("number-form/leading-zero", value=value, hint=minus + _plain(float(body)))
    if sign == "+" and DECIMAL.fullmatch(body):
        return message("number-form/plus", value=value, hint=body)
    if re.fullmatch(r"[-+0-9.,:_eE]+", body) and re.search(r"[0-9]", body):
        return message("number-form/other", value=value)
    return None


def _readable(node: Node | None) -> TypeGuard[Node]:
    """Something to read: the value is present, and not unreadable (which the loader reported)."""
    return node is not None and not node.broken


class Reader:
    """Typed access to nodes; each failed read appends a problem to `problems`."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def problem(self, slug: str, loc: Loc, said: str | None = None, **params) -> None:
        """Record an error: the problem `slug`, its sentence the catalogue entry `said` (by
        default `slug`) with `params`."""
        self.problems.append(Problem(slug, loc, message(said or slug, **params)))

    def _wrong(self, node: Node, what: str, expected: str, **params) -> None:
        """`what` (a `field/` slug) is not `expected` (an `expected/` slug with `params`)."""
        field, want = message("field/" + what), message("expected/" + expected, **params)
        if node.kind != SCALAR:
            self.problem("wrong-type", node.loc, "wrong-type/kind", what=field, expected=want,
                         kind=message(_KIND_NAMES[node.kind]))
        elif node.raw or node.quoted:
            self.problem("wrong-type", node.loc, what=field, expected=want, value=quote(node.raw))
        else:
            self.problem("wrong-type", node.loc, "wrong-type/empty", what=field, expected=want)

    def mapping(self, node: Node | None, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Node] | None:
        """A mapping's values; unknown and missing keys are reported, known ones returned."""
        if not _readable(node):
            return None
        if node.kind != MAP:
            self._wrong(node, what, "mapping", keys=", ".join(required + optional))
            return None
        allowed = set(required) | set(optional)
        for key, key_loc in node.key_locs.items():
            if key not in allowed:
                self.problem("unknown-key", key_loc, key=quote(key), what=message("field/" + what),
                             keys=", ".join(required + optional))
        for key in required:
            if key not in node.value:
                self.problem("missing-key", node.loc, what=message("field/" + what), key=key)
        return {k: v for k, v in node.value.items() if k in allowed}

    def seq(self, node: Node | None, what: str) -> list[Node]:
        """A list's items (an empty list when it is not a list, after reporting it)."""
        if not _readable(node):
            return []
        if node.kind != SEQ:
            self._wrong(node, what, "list")
            return []
        return node.value

    def clean(self, node: Node) -> bool:
        """False, after reporting it, when a scalar holds a control character (see `CONTROL`)."""
        found = node.kind == SCALAR and CONTROL.search(node.raw)
        if found:
            kind = "control-character/uncarried" if UNCARRIED.match(found.group()) and \
                not unicodedata.category(found.group()) == "Cc" else "control-character"
            self.problems.append(Problem("control-character", node.loc, message(
                kind, value=quote(node.raw), char=char_name(found.group()), position=found.start() + 1)))
        return not found

    def text(self, node: Node | None, what: str) -> str | None:
        """Non-empty text. Numbers are not taken as text: quote them."""
        if not _readable(node):
            return None
        if node.kind != SCALAR or not isinstance(node.value, str) or not node.value.strip():
            self._wrong(node, what, "text")
            return None
        if not self.clean(node):
            return None
        return node.value.strip()

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        """A list of texts."""
        return tuple(t for t in (self.text(item, what) for item in self.seq(node, what)) if t)

    def _decimal(self, node: Node, what: str, expected: str) -> float | int | None:
        """A number read from the scalar's text as typed, quoted or not (`85`, `"85"`, `85.5`);
        any other number form is reported with how to write it (see `DECIMAL`)."""
        if node.kind == SCALAR:
            text = node.raw.strip()
            if DECIMAL.fullmatch(text):
                if len(text.split(".")[0].lstrip("-")) > MAX_DIGITS:
                    self.problems.append(Problem("number-form", node.loc, message(
                        "number-form/too-long", value=quote(text), digits=MAX_DIGITS)))
                    return None
                return float(text) if "." in text else int(text)
            form = number_form(text) if text else None
            if form is not None:
                self.problems.append(Problem("number-form", node.loc, form))
                return None
        self._wrong(node, what, expected)
        return None

    def integer(self, node: Node | None, what: str, minimum: int = 0) -> int | None:
        """A whole number no less than `minimum`, written in decimal digits."""
        if not _readable(node):
            return None
        value = self._decimal(node, what, "whole")
        if isinstance(value, float):
            self._wrong(node, what, "whole")
            return None
        if value is not None and value < minimum:
            self.problem("wrong-type", node.loc, "wrong-type/minimum", what=message("field/" + what),
                         minimum=minimum, value=value)
            return None
        return value

    def number(self, node: Node | None, what: str) -> float | int | None:
        """A number (integer or decimal), written in decimal digits."""
        if not _readable(node):
            return None
        return self._decimal(node, what, "number")

    def boolean(self, node: Node | None, what: str, default: bool = False) -> bool:
        """true or false."""
        if not _readable(node):
            return default
        if node.kind != SCALAR or not isinstance(node.value, bool):
            self._wrong(node, what, "boolean")
            return default
        return node.value

    def choice(self, node: Node | None, what: str, allowed: tuple[str, ...], default: str) -> str:
        """One of the words `allowed`, written as it is; `default` when left out or wrong (after
        reporting it)."""
        if not _readable(node):
            return default
        if node.kind != SCALAR or node.raw.strip() not in allowed:
            self._wrong(node, what, "choice", allowed=", ".join(allowed))
            return default
        return node.raw.strip()

    def date(self, node: Node | None, what: str) -> dt.date | None:
        """A date written `YYYY-MM-DD`, quoted or not (`"2022-01-01"` is the same day: people
        quote dates to be safe, and YAML then leaves them text)."""
        if not _readable(node):
            return None
        value = node.value
        if node.kind == SCALAR and node.quoted and ISO_DATE.fullmatch(node.raw.strip()):
            try:
                value = dt.date.fromisoformat(node.raw.strip())
            except ValueError:
                pass
        if node.kind != SCALAR or not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self._wrong(node, what, "date")
            return None
        return value

    def month(self, node: Node | None, what: str) -> str | None:
        """A month written `YYYY-MM`."""
        if not _readable(node):
            return None
        if node.kind != SCALAR or not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", node.raw):
            self._wrong(node, what, "month")
            return None
        return node.raw

    def key_text(self, node: Node | None, what: str) -> str | None:
        """A short key such as a group prefix: text or a bare number, read from the raw scalar."""
        if not _readable(node):
            return None
        if node.kind != SCALAR or not node.raw.strip():
            self._wrong(node, what, "text")
            return None
        if not self.clean(node):
            return None
        return node.raw.strip()

    def code(self, node: Node | None, what: str = "code") -> str | None:
        """An alliance code as written, unchecked for shape (a bare `110` reads as "110")."""
        if not _readable(node):
            return None
        if (node.kind != SCALAR or node.value is None or isinstance(node.value, bool)
                or not node.raw.strip()):
            self._wrong(node, what, "code")
            return None
        if not self.clean(node):
            return None
        code = node.raw.strip()
        odd = first_odd(code, lambda c: not c.isascii())
        if odd:
            hint = suggest_code(code)
            params = dict(value=quote(code), char=char_name(odd[0]), position=odd[1])
            self.problems.append(Problem("code-form", node.loc, message(
                "code-form/hint", hint=hint, **params) if hint else message("code-form", **params)))
            return None
        return code

    def check_code_shape(self, code: str, loc: Loc) -> bool:
        """Report a code of the wrong shape, with the intended code when it is a near miss."""
        if CODE.match(code):
            return True
        hint = suggest_code(code)
        if hint:
            self.problem("code-shape", loc, "code-shape/hint", value=quote(code), hint=hint)
        else:
            self.problem("code-shape", loc, value=quote(code))
        return False
