"""Read typed values out of located YAML nodes, collecting a problem for each value that is wrong.

Every reader returns the cleaned value, or None after appending one `Problem` that says why not;
nothing raises, so one run reports every mistake in every file.
"""

from __future__ import annotations

import datetime as dt
import re

from .load import MAP, SCALAR, SEQ, Node
from .model import Loc, Problem

CODE = re.compile(r"^(?:[1-9]\d{2}|D\d{3})$")
"""A pilot code (`110`) or a network member's code (`D106`)."""

_KIND_NAMES = {MAP: "a mapping", SEQ: "a list", SCALAR: "a single value"}


def suggest_code(raw: str) -> str | None:
    """The code a near miss was meant to be (`d101` -> `D101`, `0110` -> `110`, `11O` -> `110`)."""
    text = raw.strip().replace("_", "")
    head, body = ("D", text[1:]) if text[:1] in "dD" else ("", text)
    body = body.translate(str.maketrans("OoIl", "0011"))
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", body):
        body = str(int(body, 16))
    body = re.sub(r"\.0*$", "", body)
    if not head and re.fullmatch(r"0+\d{3}", body):
        body = body.lstrip("0").rjust(3, "0")
    candidate = head + body
    return candidate if CODE.match(candidate) and candidate != raw else None


def _skipped(node: Node | None) -> bool:
    """Nothing to read: the value is absent, or unreadable and already reported by the loader."""
    return node is None or node.broken


class Reader:
    """Typed access to nodes; each failed read appends a problem to `problems`."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def problem(self, slug: str, loc: Loc, message: str) -> None:
        """Record an error."""
        self.problems.append(Problem(slug, loc, message))

    def _wrong(self, node: Node, what: str, expected: str) -> None:
        if node.kind != SCALAR:
            shown = _KIND_NAMES[node.kind]
        elif node.raw or node.quoted:
            shown = repr(node.raw)
        else:
            self.problem("wrong-type", node.loc, f"{what} must be {expected}, but it is empty")
            return
        self.problem("wrong-type", node.loc, f"{what} must be {expected}, not {shown}")

    def mapping(self, node: Node | None, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Node] | None:
        """A mapping's values; unknown and missing keys are reported, known ones returned."""
        if _skipped(node):
            return None
        if node.kind != MAP:
            self._wrong(node, what, "a mapping with keys " + ", ".join(required + optional))
            return None
        allowed = set(required) | set(optional)
        for key, key_loc in node.key_locs.items():
            if key not in allowed:
                self.problem("unknown-key", key_loc, f'unknown key "{key}" in {what}; '
                             f"expected one of: {', '.join(required + optional)}")
        for key in required:
            if key not in node.value:
                self.problem("missing-key", node.loc, f'{what} lacks the key "{key}"')
        return {k: v for k, v in node.value.items() if k in allowed}

    def seq(self, node: Node | None, what: str) -> list[Node]:
        """A list's items (an empty list when it is not a list, after reporting it)."""
        if _skipped(node):
            return []
        if node.kind != SEQ:
            self._wrong(node, what, "a list")
            return []
        return node.value

    def text(self, node: Node | None, what: str) -> str | None:
        """Non-empty text. Numbers are not taken as text: quote them."""
        if _skipped(node):
            return None
        if node.kind != SCALAR or not isinstance(node.value, str) or not node.value.strip():
            self._wrong(node, what, "text")
            return None
        return node.value.strip()

    def texts(self, node: Node | None, what: str) -> tuple[str, ...]:
        """A list of texts."""
        return tuple(t for t in (self.text(item, what) for item in self.seq(node, what)) if t)

    def integer(self, node: Node | None, what: str, minimum: int = 0) -> int | None:
        """A whole number no less than `minimum`."""
        if _skipped(node):
            return None
        if node.kind != SCALAR or isinstance(node.value, bool) or not isinstance(node.value, int):
            self._wrong(node, what, "a whole number")
            return None
        if node.value < minimum:
            self.problem("wrong-type", node.loc, f"{what} must be at least {minimum}, not {node.value}")
            return None
        return node.value

    def number(self, node: Node | None, what: str) -> float | int | None:
        """A number (integer or decimal)."""
        if _skipped(node):
            return None
        if node.kind != SCALAR or isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            self._wrong(node, what, "a number")
            return None
        return node.value

    def boolean(self, node: Node | None, what: str, default: bool = False) -> bool:
        """true or false."""
        if _skipped(node):
            return default
        if node.kind != SCALAR or not isinstance(node.value, bool):
            self._wrong(node, what, "true or false")
            return default
        return node.value

    def date(self, node: Node | None, what: str) -> dt.date | None:
        """A date written `YYYY-MM-DD`."""
        if _skipped(node):
            return None
        value = node.value
        if node.kind != SCALAR or not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            self._wrong(node, what, "a date written YYYY-MM-DD")
            return None
        return value

    def month(self, node: Node | None, what: str) -> str | None:
        """A month written `YYYY-MM`."""
        if _skipped(node):
            return None
        if node.kind != SCALAR or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", node.raw):
            self._wrong(node, what, "a month written YYYY-MM")
            return None
        return node.raw

    def key_text(self, node: Node | None, what: str) -> str | None:
        """A short key such as a group prefix: text or a bare number, read from the raw scalar."""
        if _skipped(node):
            return None
        if node.kind != SCALAR or not node.raw.strip():
            self._wrong(node, what, "text")
            return None
        return node.raw.strip()

    def code(self, node: Node | None, what: str = "code") -> str | None:
        """An alliance code as written, unchecked for shape (a bare `110` reads as "110")."""
        if _skipped(node):
            return None
        if (node.kind != SCALAR or node.value is None or isinstance(node.value, bool)
                or not node.raw.strip()):
            self._wrong(node, what, 'an alliance code such as "110" or "D106"')
            return None
        return node.raw.strip()

    def check_code_shape(self, code: str, loc: Loc) -> bool:
        """Report a code of the wrong shape, with the intended code when it is a near miss."""
        if CODE.match(code):
            return True
        hint = suggest_code(code)
        tail = f'; did you mean "{hint}"?' if hint else ""
        self.problem("code-shape", loc, f'alliance code "{code}" is not three digits or D and three '
                     f"digits{tail}")
        return False
