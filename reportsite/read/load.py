"""Read YAML files into located nodes: every value remembers its file, line and column.

Reading never raises for bad input: a file that cannot be read or parsed yields a `Problem` and no
node, and a value that cannot be read as its YAML type yields a `Problem` and a node marked
`broken`, so the checks can go on with the rest and report everything at once.
"""

from __future__ import annotations

import codecs
import copy
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from reportsite.model.messages import Message, message
from reportsite.model.records import Loc, Problem, quote
from reportsite.read.source import DISK, MAX_FILE_BYTES, NotAFile, Source, TooLarge

MAP, SEQ, SCALAR = "map", "seq", "scalar"

_CORE = "tag:yaml.org,2002:"
_MAP_TAG, _SEQ_TAG = _CORE + "map", _CORE + "seq"
_TEXT = {_CORE + "str", _CORE + "merge", _CORE + "value"}
"""Tags of text: a plain `<<` or `=` resolves to YAML's merge or value key, which as a value here is
just text."""
_TYPED = {tag: pattern for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
          for tag, pattern in resolvers
          if tag in {_CORE + kind for kind in ("null", "bool", "int", "float", "timestamp")}}
"""The scalar types the data files may use, each with the pattern its text must match."""
_TYPE_NAMES = {"null": "expected/null", "bool": "expected/boolean", "int": "expected/whole",
               "float": "expected/number", "timestamp": "expected/a-date"}
"""Catalogue slugs naming each scalar type, for a value that cannot be read as its type."""
FULL_WIDTH = {"，": ("comma", ","), "：": ("colon", ":"), "“": ("quote", '"'), "”": ("quote", '"'),
              "‘": ("quote", "'"), "’": ("quote", "'")}
"""Full-width punctuation a Chinese input method types where YAML needs the ASCII character:
the catalogue slug naming it (`punct/...`) and the character YAML needs."""
_MISTYPED = re.compile(
    r"(?:^|[{,\[]|-[ \t])[ \t]*[a-z_][a-z0-9_]*[ \t]*(：)"      # a key followed by a full-width colon
    r"|[{\[][^}\]\n]*?(，)"                                   # a full-width comma in a flow list
    r"|(?:^|:[ \t]|-[ \t]|[\[{,])[ \t]*([“‘])"                 # a value opened by a full-width quote
    r"|[\"'][^\"'\n]*?([”’])", re.M)                          # a quote closed by a full-width one
"""Full-width punctuation where YAML syntax expects ASCII (the group that matched is the character).
The data files' keys are lower-case ASCII, which tells a key from a name such as `CSA：…`."""
_KEYLIKE = re.compile(r"[a-z_][a-z0-9_]*[ \t]*(：)")
"""A plain value that is a key and a full-width colon (`entered：5` read as one text)."""
_PYYAML_WORDS = [(re.compile(pattern), slug) for pattern, slug in (
    (r"while scanning a simple key", "yaml/in-key"),
    (r"while parsing a block mapping", "yaml/in-block-mapping"),
    (r"while parsing a block collection", "yaml/in-block-list"),
    (r"while parsing a flow mapping", "yaml/in-flow-mapping"),
    (r"while parsing a flow sequence", "yaml/in-flow-list"),
    (r"while scanning a quoted scalar", "yaml/in-quoted"),
    (r"while scanning a double-quoted scalar", "yaml/in-double-quoted"),
    (r"while scanning for the next token", "yaml/in-token"),
    (r"mapping values are not allowed here", "yaml/mapping-values"),
    (r"could not find expected ':'", "yaml/no-colon"),
    (r"did not find expected key", "yaml/no-key"),
    (r"found unexpected end of stream", "yaml/end-of-stream"),
    (r"found character (?P<char>'.*') that cannot start any token", "yaml/bad-start"),
    (r"found unknown escape character (?P<char>'.*')", "yaml/bad-escape"),
    (r"found undefined alias (?P<name>'.*')", "yaml/no-alias"),
    (r"expected (?P<expected>.*), but found (?P<found>'.*')", "yaml/expected"),
    (r"expected (?P<expected>.*), but got (?P<found>'.*')", "yaml/expected-got"),
)]
"""PyYAML's commonest words for a syntax error, each with its catalogue entry (whose English is
PyYAML's own sentence), so a Chinese user reads them in Chinese; other words are quoted as they are."""
MAX_DEPTH = 30
"""The deepest nesting of lists and mappings a data file may have (the contract needs 4)."""
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as PyYAML counts them."""


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
    broken: bool = False
    """Scalar: its text could not be read as its YAML type. That is already reported, so readers
    skip the value without a second problem."""
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


def place(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `text[index]`, counting lines as YAML does."""
    line, start = 1, 0
    for m in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, m.end()
    return line, index - start + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


class _Composer(yaml.SafeLoader):
    """PyYAML's safe loader, but an alias is composed as a copy of its anchored node located where
    the alias is written: PyYAML hands back the anchored node itself, which would place a repeated
    entry at its first occurrence."""

    def __init__(self, text: str):
        super().__init__(text)
        self.alias_of: dict[int, yaml.Node] = {}
        """id of each alias copy -> the anchored node it repeats."""
        self.open_anchors: set[str] = set()
        self.depth = 0
        """How many collections hold the node being composed."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.depth >= MAX_DEPTH:
            # Composing recurses: a value nested thousands deep would exhaust Python's stack.
            raise yaml.composer.ComposerError(None, None, message("yaml-syntax/nested", depth=MAX_DEPTH),
                                              event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise yaml.composer.ComposerError(
                    None, None, message("yaml-syntax/alias-loop", anchor=event.anchor), event.start_mark)
            alias = copy.copy(super().compose_node(parent, index))
            alias.start_mark, alias.end_mark = event.start_mark, event.end_mark
            self.alias_of[id(alias)] = self.anchors[event.anchor]
            return alias
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.depth += 1
        node = super().compose_node(parent, index)
        self.depth -= 1
        self.open_anchors.discard(event.anchor)
        return node


class _Builder:
    """Turns a composed PyYAML node tree into `Node`s, reporting duplicate keys and unreadable
    scalars. Each composed node is built once, so a mistake inside an anchored value is reported
    once however often an alias repeats it."""

    def __init__(self, path: str, loader: _Composer, problems: list[Problem]):
        self.path = path
        self.loader = loader
        self.problems = problems
        self.built: dict[int, Node] = {}

    def build(self, node: yaml.Node) -> Node:
        if id(node) not in self.built:
            anchored = self.loader.alias_of.get(id(node))
            if anchored is None:
                self.built[id(node)] = self._build(node)
            else:
                here = loc_of(self.path, node.start_mark)
                self.built[id(node)] = _relocated(self.build(anchored), here)
        return self.built[id(node)]

    def _build(self, node: yaml.Node) -> Node:
        loc = loc_of(self.path, node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if node.tag not in (_MAP_TAG, _SEQ_TAG):
            self.problems.append(Problem("yaml-syntax", loc, message("yaml-syntax/tag",
                                                                     tag=quote(_tag_name(node.tag)))))
        if isinstance(node, yaml.SequenceNode):
            return Node(SEQ, loc, [self._item(item) for item in node.value])
        values: dict[str, Node] = {}
        key_locs: dict[str, Loc] = {}
        for key_node, value_node in node.value:
            key_loc = loc_of(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("wrong-type", key_loc, message("wrong-type/key")))
                continue
            key = key_node.value
            odd = next((i for i, c in enumerate(key) if c in FULL_WIDTH), None)
            if odd is not None:
                # Keys are ASCII: a full-width character in one was typed for YAML's own.
                self.problems.append(_full_width(Loc(self.path, key_loc.line, key_loc.col + odd), key[odd]))
                continue
            if key in values:
                self.problems.append(Problem("duplicate-key", key_loc, message(
                    "duplicate-key", key=quote(key), line=key_locs[key].line)))
                continue
            values[key] = self.build(value_node)
            key_locs[key] = key_loc
        return Node(MAP, loc, values, key_locs=key_locs)

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Node:
        """A scalar as YAML resolves it; a tag the files do not use, or text its tag cannot read
        (`!!int x`, the date 2021-09-31), is one problem and a broken node."""
        scalar = Node(SCALAR, loc, node.value, raw=node.value, quoted=node.style in ("'", '"'))
        if node.tag in _TEXT:
            return scalar
        if node.tag not in _TYPED:
            self.problems.append(Problem("yaml-syntax", loc, message("yaml-syntax/tag",
                                                                     tag=quote(_tag_name(node.tag)))))
            return replace(scalar, broken=True)
        reason = message("wrong-type/not", expected=message(_TYPE_NAMES[node.tag[len(_CORE):]]))
        if _TYPED[node.tag].match(node.value):
            try:
                return replace(scalar, value=self.loader.construct_object(node))
            except ValueError as exc:
                # An int fails only past Python's limit on digits, whose words are not for users;
                # a date fails for a day the month lacks, which Python's words name.
                reason = (message("wrong-type/digits") if node.tag == _CORE + "int"
                          else message("wrong-type/no-such-date", detail=" ".join(str(exc).split())))
        self.problems.append(Problem("wrong-type", loc, message("wrong-type/unreadable",
                                                                value=quote(node.value), reason=reason)))
        return replace(scalar, broken=True)

    def _item(self, node: yaml.Node) -> Node:
        """A list's item (or the file's root): a plain value that reads `key：value` had its colon
        typed full-width, and is reported as such rather than as the wrong type later."""
        if isinstance(node, yaml.ScalarNode) and node.style is None and node.tag in _TEXT:
            typed = _KEYLIKE.match(node.value)
            if typed:
                loc = loc_of(self.path, node.start_mark)
                self.problems.append(_full_width(Loc(self.path, loc.line, loc.col + typed.start(1)), "："))
                return Node(SCALAR, loc, node.value, raw=node.value, broken=True)
        return self.build(node)


def _relocated(node: Node, loc: Loc) -> Node:
    """An alias's copy of `node`, placed at the alias: the node and the values directly inside it
    (an aliased entry's code, say) point at the alias, so a finding about the repeat is shown there."""
    if node.kind == MAP:
        return replace(node, loc=loc, value={k: replace(v, loc=loc) for k, v in node.value.items()},
                       key_locs=dict.fromkeys(node.key_locs, loc))
    if node.kind == SEQ:
        return replace(node, loc=loc, value=[replace(v, loc=loc) for v in node.value])
    return replace(node, loc=loc)


def read_text(path: str, problems: list[Problem], source: Source = DISK) -> str | None:
    """The file's text (from `source`), or None with a problem: missing, unreadable, not UTF-8 or
    empty. A UTF-8 byte-order mark is accepted and dropped.
    """
    try:
        data = source.read(path)
    except FileNotFoundError:
        problems.append(Problem("file-missing", Loc(path), message("file-missing")))
        return None
    except NotAFile:
        problems.append(Problem("file-unreadable", Loc(path), message("file-unreadable/special")))
        return None
    except TooLarge as exc:
        problems.append(Problem("file-too-large", Loc(path), message(
            "file-too-large", size=f"{exc.args[0] / 2**20:.1f} MB", limit=f"{MAX_FILE_BYTES // 2**20} MB")))
        return None
    except OSError as exc:
        problems.append(Problem("file-unreadable", Loc(path), message("file-unreadable",
                                                                      reason=exc.strerror or str(exc))))
        return None
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode("utf-8")
        problems.append(Problem(
            "file-encoding", Loc(path, *place(before, len(before))),
            message("file-encoding", byte=f"0x{body[exc.start]:02x}")))
        return None
    if not text.strip():
        problems.append(Problem("file-empty", Loc(path), message("file-empty")))
        return None
    return text


def _full_width(loc: Loc, char: str) -> Problem:
    """A full-width character typed where YAML syntax needs its ASCII twin, at `loc`."""
    name, ascii_char = FULL_WIDTH[char]
    return Problem("yaml-syntax", loc, message("yaml-syntax/full-width", char=char, column=loc.col,
                                               name=message("punct/" + name), ascii=ascii_char))


def _mistyped(path: str, text: str, marks: list) -> Problem | None:
    """The first full-width comma, colon or quote standing where YAML syntax needs ASCII, from two
    lines before the earliest of `marks` (PyYAML notices a mistyped colon a line or two later) to
    the end of the line of the last."""
    lines = text.splitlines(keepends=True)
    first = max(min(m.line for m in marks) - 2, 0)
    last = max(m.line for m in marks)
    start = sum(len(line) for line in lines[:first])
    end = start + sum(len(line) for line in lines[first:last + 1])
    for found in _MISTYPED.finditer(text, start, end):
        index = next(found.start(g) for g in range(1, 5) if found.group(g))
        return _full_width(Loc(path, *place(text, index)), text[index])
    return None


def _syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """One line at the most helpful place inside the file, without PyYAML's own location text.

    A full-width comma, colon or quote typed for YAML's own is named with its column. PyYAML
    notices an unclosed quote or bracket at the end of the file, past the last line: the place
    that opened it (the context mark) is the one to show then.
    """
    if isinstance(exc.problem, Message):
        # A limit of ours (nesting, an alias loop): its own sentence, at its place.
        return Problem("yaml-syntax", loc_of(path, exc.problem_mark), exc.problem)
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    mistyped = _mistyped(path, text, marks) if marks else None
    if mistyped is not None:
        return mistyped
    end = len(text.rstrip())
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and mark.index >= end and exc.context_mark is not None:
        mark = exc.context_mark
    if mark is None:
        loc = Loc(path)
    elif mark.index >= end:
        loc = Loc(path, *place(text, max(end - 1, 0)))
    else:
        loc = loc_of(path, mark)
    context, problem = (_pyyaml_words(words) for words in (exc.context, exc.problem))
    where = exc.context_mark
    if context and problem and where is not None and where is not mark:
        said = message("yaml-syntax/context", context=context, line=where.line + 1, column=where.column + 1,
                       problem=problem)
    elif context and problem:
        said = message("yaml-syntax/both", context=context, problem=problem)
    else:
        said = message("yaml-syntax", detail=context or problem)
    return Problem("yaml-syntax", loc, said)


def _pyyaml_words(words: str | None) -> Message | str:
    """PyYAML's description of a syntax error as a catalogue message, or as it is when the
    catalogue lacks it (its English in either language)."""
    words = " ".join((words or "").split())
    for pattern, slug in _PYYAML_WORDS:
        found = pattern.fullmatch(words)
        if found:
            return message(slug, **found.groupdict())
    return words


def load_yaml(path: str, problems: list[Problem], source: Source = DISK) -> Node | None:
    """Parse one YAML file (from `source`) into a `Node`, or None with the problems appended."""
    text = read_text(path, problems, source)
    if text is None:
        return None
    try:
        loader = _Composer(text)
    except yaml.reader.ReaderError as exc:
        problems.append(Problem("yaml-syntax", Loc(path, *place(text, exc.position)),
                                message("yaml-syntax/character", code=f"U+{exc.character:04X}")))
        return None
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(path, text, exc))
        return None
    finally:
        loader.dispose()
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == "" and root.style is None):
        problems.append(Problem("file-empty", Loc(path), message("file-empty/no-data")))
        return None
    return _Builder(path, loader, problems)._item(root)


def list_editions(data_dir: str, source: Source = DISK) -> tuple[list[str], list[str]]:
    """Names of the sub-folders of `data_dir` and of its other entries (files), each sorted, hidden
    ones (`.git`) left out; whether each folder is an edition id is checked later."""
    try:
        entries = source.names(data_dir)
    except OSError:
        return [], []
    shown = [e for e in entries if not e.startswith(".")]
    folders = [e for e in shown if source.is_dir(os.path.join(data_dir, e))]
    return folders, [e for e in shown if e not in folders]
