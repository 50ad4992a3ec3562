"""Names compared as a reader sees them: two names that look the same are the same name.

A name typed with a Cyrillic `А` for the Latin `A`, a full-width letter or a zero-width space looks
like the registered one and is another string: it would register a twin, or rename an alliance to
its own name, silently. `skeleton()` maps every character to the prototype of its confusable class
(Unicode TS #39's confusables table, as `confusable-homoglyphs` ships it) after dropping invisible
characters, so such twins compare equal; `odd_characters()` finds the characters an alliance's
name never needs (Cyrillic and Greek letters, invisible and bidi characters), which a check names
in the user's language (`odd_name()`).

This module imports nothing of ours but the model.
"""

from __future__ import annotations

import functools
import json
import os
import unicodedata

import confusable_homoglyphs

from reportsite.model.messages import Message, message
from reportsite.model.records import BIDI_CONTROLS

SCRIPTS = {"CYRILLIC": "cyrillic", "GREEK": "greek"}
"""Scripts an alliance's name has no letter of, by the catalogue's name for them."""


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character -> the prototype of its class (its smallest member)."""
    path = os.path.join(os.path.dirname(confusable_homoglyphs.__file__), "confusables.json")
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    out = {}
    for char, homoglyphs in table.items():
        members = [char, *(h["c"] for h in homoglyphs)]
        out[char] = min(members, key=lambda m: (len(m), [ord(c) for c in m]))
    return out


def invisible(char: str) -> bool:
    """A character that shows as nothing: zero-width spaces and joiners, the byte-order mark, a
    soft hyphen, bidi controls (Unicode's format characters)."""
    return unicodedata.category(char) == "Cf" or char in BIDI_CONTROLS


def skeleton(text: str) -> str:
    """`text` as it looks (TS #39's skeleton, from NFKC rather than NFD so that full-width forms,
    which the table mostly leaves to normalisation, meet their ASCII twins): invisible characters
    dropped, every character replaced by the prototype of its confusable class, spaces collapsed."""
    table = _prototypes()
    plain = "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", text) if not invisible(c))
    return " ".join(unicodedata.normalize("NFKC", plain).split())


def odd_characters(text: str) -> list[str]:
    """The characters of a name that no alliance's name needs, in order, each once."""
    out: list[str] = []
    for c in text:
        if (invisible(c) or unicodedata.name(c, "").split(" ")[0] in SCRIPTS) and c not in out:
            out.append(c)
    return out


def odd_name(char: str) -> Message:
    """A character in words: 西里尔字母“А”（U+0410，形似拉丁字母 A）, 看不见的字符（U+200B…）, or
    “Ａ”（U+FF21）for one of no kind `odd_characters()` knows."""
    code = f"U+{ord(char):04X}"
    if not odd_characters(char):
        return message("name-char/other", char=char, code=code)
    if invisible(char):
        return message("name-char/invisible", code=code)
    looks = _prototypes().get(char, "")
    kind = SCRIPTS[unicodedata.name(char).split(" ")[0]]
    if looks and looks.isascii() and looks.isalpha():
        return message(f"name-char/{kind}-looks", char=char, code=code, looks=looks)
    return message(f"name-char/{kind}", char=char, code=code)


def differing_character(typed: str, registered: str) -> str | None:
    """The first character of `typed` that makes it another string than the look-alike
    `registered`: an invisible one, or one drawn like another character."""
    table = _prototypes()
    for c in typed:
        if invisible(c) or (c not in registered and table.get(c, c) != c):
            return c
    return None
