"""Read the registry, `data/alliances.yaml`: every alliance once, across all editions.

Besides the entries read without a mistake, the registry remembers what it can of the entries it
had to drop, so that an edition naming one of them gets no second finding about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from reportsite.model.lookalike import differing_character, odd_characters, odd_name, skeleton
from reportsite.model.records import Alliance, FormerName, Loc, Problem, edition_order, is_edition_id, quote
from reportsite.read.load import SCALAR, SEQ, load_yaml
from reportsite.read.schema import Reader, suggest_code
from reportsite.read.source import DISK, Source


@dataclass(frozen=True)
class Registry:
    """What `alliances.yaml` gave: the entries, and what is known of those dropped for a mistake."""

    alliances: tuple[Alliance, ...] = ()
    """The entries read without a mistake, in file order."""
    dropped: frozenset[str] = frozenset()
    """Codes of entries dropped for a mistake already reported, as written and as a near miss was
    meant (`d101`, `D101`): an edition that names one gets no second finding about it."""
    names: frozenset[str] = frozenset()
    """Every name and alias written, of kept and dropped entries alike."""
    readable: bool = True
    """False when the file could not be read at all (missing, empty, not YAML, not a list): then
    nothing can be said about which codes and names it holds."""

    @cached_property
    def codes(self) -> frozenset[str]:
        """The codes of the entries read without a mistake."""
        return frozenset(a.code for a in self.alliances)

    def lacks(self, code: str) -> bool:
        """True when the registry certainly has no entry for `code`: never when the file could not
        be read, nor for the code of an entry dropped for its own mistake."""
        return self.readable and code not in self.codes and code not in self.dropped


def read_registry(path: str, problems: list[Problem], source: Source = DISK) -> Registry:
    """Read `alliances.yaml`: shapes, and codes and names unique across the registry."""
    read = Reader(problems)
    root = load_yaml(path, problems, source)
    items = read.seq(root, "the-registry")
    if root is None or root.kind != SEQ:
        return Registry(readable=False)
    out: list[Alliance] = []
    dropped: set[str] = set()
    codes: dict[str, Loc] = {}
    names: dict[str, Loc] = {}
    looks: dict[str, tuple[str, Loc]] = {}
    """Each name's skeleton (`lookalike.skeleton`) -> the name and where it was written first."""
    for item in items:
        fields = read.mapping(item, "an-alliance", ("code", "name"), ("aliases", "former_names"))
        if fields is None:
            continue
        code = read.code(fields.get("code"))
        if code is None and fields.get("code") is not None and fields["code"].kind == SCALAR:
            # A code refused for its characters (full-width digits) still names the intended code.
            intended = suggest_code(fields["code"].raw)
            if intended:
                dropped.add(intended)
        name = read.text(fields.get("name"), "name")
        aliases = [(text, node.loc) for node in read.seq(fields.get("aliases"), "aliases")
                   if (text := read.text(node, "alias"))]
        if code is not None and code in codes:
            # A repeated entry is one mistake: its name is not reported again.
            read.problem("duplicate-code", fields["code"].loc, code=quote(code), line=codes[code].line)
            continue
        former = read_former_names(fields.get("former_names"), read)
        for text, loc in ([(name, fields["name"].loc)] if name else []) + aliases + [(f.name, f.loc) for f in former]:
            odd = odd_characters(text)
            if odd:
                read.problem("name-character", loc, name=quote(text), char=odd_name(odd[0]),
                             position=text.index(odd[0]) + 1)
            seen = looks.get(skeleton(text))
            if text in names:
                read.problem("duplicate-name", loc, name=quote(text), line=names[text].line)
            elif seen is not None:
                # A twin: the same name to the eye, another string (a Cyrillic А, a zero-width space).
                other = seen[0]
                odd_one = differing_character(text, other) or differing_character(other, text) or text[0]
                read.problem("duplicate-name", loc, "duplicate-name/twin", name=quote(text), other=quote(other),
                             line=seen[1].line, char=odd_name(odd_one))
            else:
                names[text] = loc
                looks[skeleton(text)] = (text, loc)
        if code is None:
            continue
        if name is None or not read.check_code_shape(code, fields["code"].loc):
            dropped.update(c for c in (code, suggest_code(code)) if c)
            continue
        codes[code] = fields["code"].loc
        out.append(Alliance(code, name, tuple(a for a, _ in aliases), fields["code"].loc, former))
    return Registry(tuple(out), frozenset(dropped - set(codes)), frozenset(names))


def read_former_names(node, read: Reader) -> tuple[FormerName, ...]:
    """`former_names: [{name: …, until: EDITION}]`, oldest first: each `until` an edition id, later
    than the one before."""
    out: list[FormerName] = []
    for item in read.seq(node, "former_names"):
        fields = read.mapping(item, "a-former-name", ("name", "until"), ())
        if fields is None:
            continue
        name = read.text(fields.get("name"), "former-name")
        node = fields.get("until")
        # An edition id of one year (`until: 2016`) is a number to YAML: read it as typed.
        until = node.raw.strip() if node is not None and node.kind == SCALAR else read.text(node, "until")
        if until is not None and not is_edition_id(until):
            read.problem("former-name-until", fields["until"].loc, until=quote(until))
            continue
        if until is not None and out and edition_order(until) <= edition_order(out[-1].until):
            read.problem("former-name-order", fields["until"].loc, until=until, before=out[-1].until)
            continue
        if name is not None and until is not None:
            out.append(FormerName(name, until, fields["name"].loc))
    return tuple(out)
