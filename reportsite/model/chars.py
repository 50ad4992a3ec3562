"""Characters named as a person knows them, and two names compared character by character.

A message that points at one character says what it is in the user's language: 全角逗号“，”,
西里尔字母“А”（形似拉丁字母 A）, 零宽空格, never a Unicode name such as `FULLWIDTH COMMA`. A
character of none of the kinds below is named by its code point alone (`U+2603`), in both languages;
so is a lone surrogate (`U+D800`, what an undecodable byte becomes), which is no character at all.
And the quick search for the characters no output can carry (`first_uncarried`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from reportsite.model.messages import Message, message
from reportsite.model.records import BIDI_CONTROLS, UNCARRIED, terminal_safe

PUNCTUATION = {
    "，": "comma", "：": "colon", "；": "semicolon", "（": "paren", "）": "paren", "．": "point",
    "－": "dash", "＂": "quote", "＇": "quote", "／": "slash", "＋": "plus", "％": "percent",
}
"""Full-width punctuation an input method types, by the `punct/…` name of the mark."""
CHINESE_PUNCTUATION = {"“": "quote", "”": "quote", "‘": "quote", "’": "quote", "、": "enumeration-comma",
                       "。": "full-stop"}
"""Chinese punctuation, named where a number or code cannot hold it."""
DASHES = {"\u2010": "hyphen", "\u2011": "hyphen", "\u2012": "en-dash", "\u2013": "en-dash", "\u2014": "em-dash",
          "\u2015": "em-dash", "\u2212": "minus"}
"""Dashes that are not the ASCII hyphen-minus."""
INVISIBLE = {"\u200b": "zero-width-space", "\u200c": "zero-width-non-joiner", "\u200d": "zero-width-joiner",
             "\u2060": "word-joiner", "\ufeff": "byte-order-mark", "\u00a0": "no-break-space",
             "\u3000": "ideographic-space", "\u00ad": "soft-hyphen", " ": "space"}
"""Characters that show as nothing, or as a space."""
LOOKALIKES = dict(zip("АВЕКМНОРСТХаеорсухІіЈјЅѕ", "ABEKMHOPCTXaeopcyxIiJjSs"))
LOOKALIKES.update(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοναι", "ABEZHIKMNOPTYXovai"))
"""Cyrillic and Greek letters drawn like a Latin letter."""


def char_name(char: str) -> Message:
    """`char` as a message names it: its kind, the character itself where it can be seen, what it
    looks like, and its code point."""
    code = f"U+{ord(char):04X}"
    if char in INVISIBLE:
        return message("char/" + INVISIBLE[char], code=code)
    if char in BIDI_CONTROLS:
        return message("char/bidi", code=code)
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return message("char/control", code=code)
    if char in DASHES:
        return message("char/dash", char=char, code=code, name=message("punct/" + DASHES[char]))
    if char in CHINESE_PUNCTUATION:
        return message("char/chinese-punct", char=char, code=code, name=message("punct/" + CHINESE_PUNCTUATION[char]))
    if char in PUNCTUATION:
        return message("char/full-width-punct", char=char, code=code,
                       name=message("punct/" + PUNCTUATION[char]),
                       ascii=unicodedata.normalize("NFKC", char))
    if "\uff01" <= char <= "\uff5e":
        kind = "digit" if char.isdigit() else "letter" if char.isalpha() else "other"
        return message("char/full-width-" + kind, char=char, code=code, ascii=unicodedata.normalize("NFKC", char))
    if char.isdigit() and unicodedata.digit(char, None) is not None:
        return message("char/foreign-digit", char=char, code=code, ascii=str(unicodedata.digit(char)))
    script = unicodedata.name(char, "").split(" ")[0]
    if script in ("CYRILLIC", "GREEK"):
        looks = LOOKALIKES.get(char)
        said = f"char/{script.lower()}-lookalike" if looks else f"char/{script.lower()}"
        return message(said, char=char, code=code, **({"looks": looks} if looks else {}))
    return message("char/other", code=code)


def unusual(char: str) -> bool:
    """Whether a name holding `char` deserves a word about it: a character of the kinds
    `char_name` names (a full-width Latin letter or digit, a Cyrillic or Greek letter, an invisible
    or control character), not a Chinese character, Chinese punctuation or plain ASCII."""
    if char.isascii():
        return not char.isprintable()
    if char in INVISIBLE or char in BIDI_CONTROLS or "\uff01" <= char <= "\uff5e":
        return True
    return unicodedata.category(char).startswith("C") or \
        unicodedata.name(char, "").split(" ")[0] in ("CYRILLIC", "GREEK")


def differing(typed: str, registered: str) -> tuple[int, str, str, list[str]]:
    """How two names differ: the number of characters that differ, both names with each differing
    run marked `【…】` (an empty `【】` where the other has characters this one lacks), and the
    unusual characters among the typed ones that differ, in order."""
    matcher = difflib.SequenceMatcher(None, typed, registered, autojunk=False)
    count, left, right, odd = 0, [], [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = typed[i1:i2], registered[j1:j2]
        if op == "equal":
            left.append(a)
            right.append(b)
            continue
        count += max(len(a), len(b))
        left.append(f"【{a}】")
        right.append(f"【{b}】")
        odd += [c for c in a if unusual(c) and c not in odd]
    return count, terminal_safe("".join(left)), terminal_safe("".join(right)), odd


_UNCARRIED_OR_ASTRAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                                  "\U0001fffe-\U0010ffff]")
"""`UNCARRIED`'s characters of the Basic Multilingual Plane, and every character above U+1FFFD: one
range in place of the 32 astral noncharacters, which make the class seven times slower to search."""


def first_uncarried(text: str) -> re.Match | None:
    """`UNCARRIED.search(text)`, quicker on long text (every value a page prints is searched): an
    astral character the quick class finds is kept only when it is a noncharacter."""
    at = 0
    while (found := _UNCARRIED_OR_ASTRAL.search(text, at)) is not None:
        if found.group() < "\U00010000" or UNCARRIED.match(found.group()):
            return found
        at = found.end()
    return None
