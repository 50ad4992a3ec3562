"""Read YAML files into located nodes: every value remembers its file, line and column.

Reading never raises for bad input: a file that cannot be read or parsed yields a `Problem` and no
node, so the checks can go on with the other files and report everything at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from .model import Loc, Problem

MAP, SEQ, SCALAR = "map", "seq", "scalar"


@dataclass
class Node:
    """A YAML value with its location. Maps keep their keys' locations too."""

    kind: str
    """`map`, `seq` or `scalar`."""
    loc: Loc
    value: Any
    """Scalar: the value YAML resolves (str, int, float, bool, date, None); seq: list of Node;
    map: dict of key text to Node."""
    raw: str = ""
    """Scalar: the text as written, without quotes."""
    quoted: bool = False
    """Scalar: written in quotes (so YAML did not resolve it to a number)."""
    key_locs: dict[str, Loc] = field(default_factory=dict)
    """Map: where each key was written."""

    def get(self, key: str) -> Node | None:
        """A map's value for `key`, or None."""
        return self.value.get(key) if self.kind == MAP else None


def loc_of(path: str, mark: yaml.Mark | None) -> Loc:
    """A `Loc` from a PyYAML mark (0-based) in `path`."""
    if mark is None:
        return Loc(path)
    return Loc(path, mark.line + 1, mark.column + 1)


class _Builder:
    """Turns a composed PyYAML node tree into `Node`s, reporting duplicate keys."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node) -> Node:
        loc = loc_of(self.path, node.start_mark)
        if isinstance(node, yaml.MappingNode):
            values: dict[str, Node] = {}
            key_locs: dict[str, Loc] = {}
            for key_node, value_node in node.value:
                key_loc = loc_of(self.path, key_node.start_mark)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem("wrong-type", key_loc, "a key must be plain text"))
                    continue
                key = key_node.value
                if key in values:
                    first = key_locs[key]
                    self.problems.append(Problem(
                        "duplicate-key", key_loc,
                        f'key "{key}" is given twice in this mapping (first at line {first.line})'))
                    continue
                values[key] = self.build(value_node)
                key_locs[key] = key_loc
            return Node(MAP, loc, values, key_locs=key_locs)
        if isinstance(node, yaml.SequenceNode):
            return Node(SEQ, loc, [self.build(item) for item in node.value])
        try:
            value = self.constructor.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError) as exc:
            self.problems.append(Problem("yaml-syntax", loc, f"cannot read this value: {exc}"))
            value = node.value
        return Node(SCALAR, loc, value, raw=node.value, quoted=node.style in ("'", '"'))


def read_text(path: str, problems: list[Problem]) -> str | None:
    """The file's text, or None with a problem: missing, unreadable, not UTF-8 or empty.

    A UTF-8 byte-order mark is accepted and dropped.
    """
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        problems.append(Problem("file-missing", Loc(path), "file not found"))
        return None
    except OSError as exc:
        problems.append(Problem("file-unreadable", Loc(path), f"cannot read the file: {exc.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(
            "file-encoding", Loc(path, line, col),
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8"))
        return None
    if not text.strip():
        problems.append(Problem("file-empty", Loc(path), "the file is empty"))
        return None
    return text


def load_yaml(path: str, problems: list[Problem]) -> Node | None:
    """Parse one YAML file into a `Node`, or None with the problems appended."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem("yaml-syntax", loc_of(path, mark), f"YAML syntax: {message}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem("yaml-syntax", Loc(path), f"YAML syntax: {exc}"))
        return None
    if root is None:
        problems.append(Problem("file-empty", Loc(path), "the file holds no data"))
        return None
    return _Builder(path, problems).build(root)


def list_editions(data_dir: str) -> list[str]:
    """Names of the sub-folders of `data_dir`, sorted (whether each is an edition id is checked later)."""
    try:
        entries = sorted(os.listdir(data_dir))
    except OSError:
        return []
    return [e for e in entries if os.path.isdir(os.path.join(data_dir, e)) and not e.startswith(".")]
